/* PBX I/O: one thread driving every PBX session's HTTP through libcurl's
 * multi interface (keep-alive, HTTP basic auth, TLS verified by default).
 *
 * All callbacks (request completions, timers, run_on_io) are called on the
 * I/O thread, one at a time, never while an internal lock is held, so a
 * callback may submit new requests/timers.  Requests and timers may be
 * submitted from any thread.
 */
#ifndef TSP8_SOAP_PBX_IO_H
#define TSP8_SOAP_PBX_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace;
struct pbx_io;

struct pbx_http_req {
	const char *url;
	const char *user, *password;   /* HTTP basic auth (NULL: none) */
	const char *soap_action;       /* SOAPAction header value, unquoted */
	const char *body;              /* request body (copied by the call) */
	size_t body_len;
	uint32_t timeout_ms;           /* whole request, e.g. 70000 for Poll */
	const char *ca_file;           /* CA bundle for TLS (NULL: system) */
	bool insecure;                 /* explicit switch: skip TLS verification */
	bool own_connection;           /* use a connection not shared with other
	                                  requests (the long Poll) */
};

struct pbx_http_resp {
	int err;                       /* TSP8_OK, TSP8_ECONNECT, TSP8_ETIMEOUT,
	                                  TSP8_ETLS, TSP8_EAUTH, TSP8_EHTTP,
	                                  TSP8_ECLOSED, TSP8_ECANCELED, ... */
	long status;                   /* HTTP status (0 if none).  A 500 whose
	                                  body is a SOAP Fault comes with err
	                                  TSP8_OK, so the codec reads the fault */
	const char *body;              /* response body, NUL-terminated; valid
	                                  only during the callback */
	size_t body_len;
	const char *errmsg;            /* human-readable detail ("" if none) */
	uint32_t elapsed_ms;
};

typedef void (pbx_http_done_fn)(void *arg, const struct pbx_http_resp *resp);
typedef void (pbx_io_fn)(void *arg);

struct pbx_io_config {
	struct trace *tr;
	unsigned max_host_connections; /* 0 = unlimited */
	uint64_t pin_mask;             /* != 0: the I/O thread runs only on these
	                                  processors (ProcessorMask) */
};

int  pbx_io_create(struct pbx_io **out, const struct pbx_io_config *cfg);
/* Cancels everything still pending (callbacks get TSP8_ECANCELED, on the
 * calling thread after the I/O thread has stopped), joins the thread. */
void pbx_io_destroy(struct pbx_io *io);

/* Starts an HTTP POST.  *id (optional) identifies it for pbx_io_cancel. */
int pbx_io_request(struct pbx_io *io, const struct pbx_http_req *req,
		   pbx_http_done_fn *done, void *arg, uint64_t *id);
/* Cancels a request: its callback runs with TSP8_ECANCELED unless it has
 * already run.  Returns TSP8_ENOTFOUND if it was no longer pending. */
int pbx_io_cancel(struct pbx_io *io, uint64_t id);

/* One-shot timer: fn(arg) runs on the I/O thread after ms milliseconds. */
int pbx_io_timer(struct pbx_io *io, uint32_t ms, pbx_io_fn *fn, void *arg, uint64_t *id);
/* TSP8_OK if cancelled before it fired, TSP8_ENOTFOUND otherwise. */
int pbx_io_timer_cancel(struct pbx_io *io, uint64_t id);
/* Runs fn(arg) on the I/O thread as soon as possible. */
int pbx_io_run(struct pbx_io *io, pbx_io_fn *fn, void *arg);
/* True when called from the I/O thread. */
bool pbx_io_on_thread(struct pbx_io *io);

struct pbx_io_stats { uint64_t requests, failures; unsigned active; };
void pbx_io_get_stats(struct pbx_io *io, struct pbx_io_stats *out);

#endif
