/* pbxsim HTTP server of one PBX: listener on a loopback port, an event loop
 * for its connections (a thread of their own for those that wait: Poll,
 * stalls), path and Basic-auth checks, injected faults, and the SOAP answer
 * (rewritten per the PBX's wire settings). */
#ifndef PBXSIM_HTTPD_H
#define PBXSIM_HTTPD_H

#include <stdbool.h>

#include "sim.h"

struct httpd;

enum httpd_fault {
	HTTPD_FAULT_STALL,        /* arg: ms added before every response */
	HTTPD_FAULT_HTTP500,      /* arg: next n requests get HTTP 500 + Fault */
	HTTPD_FAULT_GARBAGE,      /* arg: next n requests get 200 + broken XML */
	HTTPD_FAULT_CLEAR         /* all of the above off */
};

/* Creates the server and starts listening on pbx->port (0 = ephemeral;
 * pbx->port is then set to the bound port).  TSP8_OK, TSP8_EIO (bind),
 * TSP8_ENOMEM. */
int httpd_create(struct httpd **out, struct sim *sim, struct sim_pbx *pbx);
/* Stops everything, joins all threads, frees. */
void httpd_destroy(struct httpd *h);

/* stop: close the listener and every connection (threads joined).
 * start: listen again on the same port.  TSP8_OK, TSP8_ESTATE (already in
 * that state), TSP8_EIO (port taken meanwhile). */
int httpd_stop(struct httpd *h);
int httpd_start(struct httpd *h);
bool httpd_running(struct httpd *h);

/* Closes every open connection now (a waiting Poll is abandoned). */
void httpd_drop_connections(struct httpd *h);
/* Number of open connections. */
unsigned httpd_connections(struct httpd *h);

void httpd_fault(struct httpd *h, enum httpd_fault f, unsigned arg);

/* "http://127.0.0.1:<port>/PBX0/user.soap" (or /PBX-<id>/). */
const char *httpd_url(const struct httpd *h);
unsigned httpd_port(const struct httpd *h);

#endif
