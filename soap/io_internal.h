/* Private declarations shared by the libcurl transport files
 * (transport_curl.c: thread, queues, timers; transport_curl_easy.c: one
 * HTTP exchange).  Nothing here leaves soap/.
 */
#ifndef TSP8_SOAP_IO_INTERNAL_H
#define TSP8_SOAP_IO_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <curl/curl.h>

#include "base/platform.h"
#include "pbx_io.h"
#include "io_timers.h"

/* Largest response body accepted (a Poll with a full dump of a big PBX is
 * a few MB); anything larger is a protocol error, not an allocation storm. */
#define IO_MAX_BODY (64u * 1024u * 1024u)
#define IO_CONNECT_TIMEOUT_MS 5000u
#define IO_EASY_POOL 64u   /* finished easy handles kept for the next requests */

struct io_req {
	struct io_req *prev, *next;     /* io->live (io->lock) */
	struct io_req *qnext;           /* io->submitq (io->lock) */
	struct pbx_io *io;
	uint64_t id;
	bool canceled;                  /* io->lock */
	bool started;                   /* I/O thread only: easy added to multi */

	/* Copies of the request (one block, freed with the request). */
	char *strings;
	const char *url, *user, *password, *action, *ca_file;
	char *body;
	size_t body_len;
	uint32_t timeout_ms;
	bool insecure, own_connection;

	/* I/O thread only. */
	CURL *easy;
	struct curl_slist *hdrs;
	char *rbuf;                     /* response body */
	size_t rlen, rcap;
	bool too_big;
	char errbuf[CURL_ERROR_SIZE];
	uint64_t t0;

	pbx_http_done_fn *done;
	void *arg;
};

/* pbx_io: the fields marked (lock) are guarded by io->lock; the rest belong
 * to the I/O thread (or to create/destroy, when that thread is not
 * running). */
struct io_run {
	struct io_run *next;
	pbx_io_fn *fn;
	void *arg;
};

struct pbx_io {
	struct trace *tr;
	CURLM *multi;
	CURLSH *poll_share;             /* separate connection cache for
	                                   own_connection requests */
	plat_thread *thread;
	atomic_ulong thread_id;         /* plat_thread_id() of the I/O thread */
	/* The one codec of every session on this I/O object: all encoding and
	 * decoding happens on the I/O thread, one message at a time, and a
	 * gSOAP context is big (~160 KiB), too big to have one per PBX. */
	struct pbx_codec *codec;
	uint64_t pin_mask;              /* see pbx_io_config */
	/* Easy handles of finished requests, reset, for the next ones: a new
	 * handle per request was a measurable part of 10,000 UserInitialize
	 * round trips.  I/O thread (or the destroying one after it stopped). */
	CURL *easy_pool[IO_EASY_POOL];
	unsigned n_easy_pool;

	/* Guards: live, submitq, runq, timers, next_id, ncanceled, stopping,
	 * stats.  Never held while a callback runs. */
	plat_mutex lock;
	struct io_req *live;            /* every request not yet completed */
	struct io_req *submitq, *submitq_tail; /* not yet given to curl */
	struct io_run *runq, *runq_tail;
	struct io_timer_heap timers;
	uint64_t next_id;
	unsigned ncanceled;             /* canceled requests not yet reaped */
	bool stopping;
	struct pbx_io_stats stats;
};

/* transport_curl_easy.c */
/* Allocates a request holding copies of everything in req. */
int  io_req_new(struct io_req **out, const struct pbx_http_req *req);
void io_req_free(struct io_req *r);
/* Creates (or takes from the pool) and configures the easy handle (I/O
 * thread). */
int  io_req_setup(struct pbx_io *io, struct io_req *r);
/* Takes r's easy handle back into the pool (reset) when there is room. */
void io_req_recycle_easy(struct pbx_io *io, struct io_req *r);
/* Frees the pooled handles (pbx_io_destroy). */
void io_easy_pool_free(struct pbx_io *io);
/* Translates a finished transfer into a response (err, status, errmsg). */
void io_req_result(struct io_req *r, CURLcode cc, struct pbx_http_resp *resp);
/* One TRACE_SOAP line per request and TRACE_SOAPDUMP bodies. */
void io_req_trace_start(struct pbx_io *io, const struct io_req *r);
void io_req_trace_done(struct pbx_io *io, const struct io_req *r,
		       const struct pbx_http_resp *resp);

#endif
