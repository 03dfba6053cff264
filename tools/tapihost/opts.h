/* tapihost command line:
 *   tapihost [--provider PATH] [--config FILE] [--seconds N] [--json]
 *            [--provider-id N] [--line-base N] [--refuse-newcalls N] [--help]
 * (the first four are the design.md contract; the rest are extras).
 */
#ifndef TAPIHOST_OPTS_H
#define TAPIHOST_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct opts {
	const char *provider;   /* NULL: default beside the executable */
	const char *config;     /* NULL: leave $TSP8_CONFIG alone */
	bool has_seconds;       /* --seconds given */
	uint32_t seconds;
	bool json;
	uint32_t provider_id;   /* dwPermanentProviderID, default 4 */
	uint32_t line_base;     /* dwLineDeviceIDBase, default 7 */
	uint32_t refuse_newcalls; /* answer the first N LINE_NEWCALLs with NULL */
	bool help;
};

#define TAPIHOST_DEFAULT_PROVIDER_ID 4u
#define TAPIHOST_DEFAULT_LINE_BASE 7u

/* Returns 0, or -1 with a one-line reason in err.  Pointers in *o point into
 * argv. */
int opts_parse(int argc, char **argv, struct opts *o, char *err, size_t cap);

/* Usage text (several lines, ends with a newline). */
const char *opts_usage(void);

#endif
