/* pbxsim control port: a loopback TCP listener; every client gets a thread
 * that runs one command per line and answers one line each. */
#ifndef PBXSIM_CONTROL_SERVER_H
#define PBXSIM_CONTROL_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "app.h"

struct control_server;

/* Listens on 127.0.0.1:port (0 = ephemeral).  TSP8_OK, TSP8_EIO,
 * TSP8_ENOMEM. */
int control_server_create(struct control_server **out, struct pbxsim_app *app, unsigned port);
unsigned control_server_port(const struct control_server *cs);
/* Closes the listener and all clients, joins every thread, frees. */
void control_server_destroy(struct control_server *cs);

#define CONTROL_LINE_MAX 8192 /* object add carries JSON */

/* Assembles command lines from a byte stream. */
struct control_lines {
	char buf[CONTROL_LINE_MAX + 1];
	size_t len;
	bool overlong;
};

/* Feeds n bytes; every complete line is executed and answered on out_fd.
 * False when writing failed or "quit" was executed. */
bool control_feed(struct pbxsim_app *app, struct control_lines *cl, const char *data,
		  size_t n, int out_fd);

/* Reads lines from fd until EOF and answers each on out_fd (used for the
 * TCP clients and for stdin/stdout).  Returns when fd hits EOF or an
 * error, or after "quit". */
void control_serve_fd(struct pbxsim_app *app, int fd, int out_fd);

#endif
