/* pbxsim command line. */
#ifndef PBXSIM_ARGS_H
#define PBXSIM_ARGS_H

#include <stdbool.h>
#include <stddef.h>

struct pbxsim_args {
	const char *tree;
	const char *gen_tree;       /* --gen-tree SPEC: print a tree and exit */
	unsigned control_port;
	bool has_poll_idle;
	unsigned poll_idle_ms;
	bool has_session_expiry;
	unsigned session_expiry_ms;
	bool verbose;
	bool help;
};

/* Parses argv.  TSP8_OK or TSP8_ESYNTAX with a message in err. */
int args_parse(int argc, char **argv, struct pbxsim_args *a, char *err, size_t errlen);
/* The usage text. */
const char *args_usage(void);

#endif
