/* pbxsim HTTP server internals shared by httpd.c (listener, lifecycle) and
 * httpd_conn.c (one connection). */
#ifndef PBXSIM_HTTPD_INT_H
#define PBXSIM_HTTPD_INT_H

#include <pthread.h>
#include <stdbool.h>

#include "http_io.h"
#include "httpd.h"
#include "session.h"
#include "soap_glue.h"

/* A connection is served by the PBX's event loop (one thread for all its
 * connections, so that a burst of requests on several connections costs one
 * wakeup, as on a real, event-driven PBX) until a request would block: a
 * Poll waiting for events, or an injected stall.  From then on the
 * connection has a thread of its own that reads and answers it blocking. */
struct http_conn {
	struct httpd *h;
	int fd;                     /* closed only by the reaper */
	bool threaded;              /* has its own thread (set before it starts,
	                             * by the loop thread; read by the reaper
	                             * under h->lock) */
	pthread_t thread;           /* when threaded; joined by the reaper */
	bool finished;              /* nobody serves it any more; h->lock */
	struct sim_conn *sc;        /* freed by the reaper */
	/* Request state, used by whoever serves the connection: */
	struct soap *soap;
	struct svc_ctx ctx;
	struct http_inbuf in;
	struct http_request req;
	struct http_conn *next;
};

struct httpd {
	struct sim *sim;
	struct sim_pbx *pbx;
	char path[SIM_STR + 32];    /* "/PBX0/user.soap" */
	char url[SIM_STR + 96];
	unsigned port;
	int epfd;                   /* the event loop's epoll set (whole life) */
	int wake_fd;                /* eventfd in epfd: ends the loop's wait */
	/* Guards everything below. */
	pthread_mutex_t lock;
	int listen_fd;              /* -1 while stopped */
	int parked_fd;              /* while stopped: the socket, still bound to
	                             * the port (so nobody else takes it) but not
	                             * listening: connects are refused */
	bool running;
	pthread_t accept_thread;
	pthread_t loop_thread;      /* the event loop, while running */
	bool loop_stop;             /* tells the loop thread to end */
	struct http_conn *conns;
	unsigned nconns;
	unsigned stall_ms;
	unsigned http500_left;
	unsigned garbage_left;
};

/* httpd_conn.c.  init: the connection's SOAP context; false when out of
 * memory. */
bool httpd_conn_init(struct http_conn *c);
enum httpd_served {
	HTTPD_SERVED_KEEP,         /* answered, wait for the next request */
	HTTPD_SERVED_CLOSE,        /* done: the caller finishes it */
	HTTPD_SERVED_HANDOFF       /* would block: give it a thread */
};
/* Event loop: serves the request(s) that arrived on c (blocking only to
 * read the rest of a request that has begun). */
enum httpd_served httpd_conn_serve_ready(struct http_conn *c);
/* Thread of a connection handed off by the loop: serves the pending
 * request, then every further one. */
void *httpd_conn_main(void *arg);
/* The connection is no longer served: shut down, sessions released,
 * marked finished for the reaper. */
void httpd_conn_finish(struct http_conn *c);
/* Frees what httpd_conn_init and serving allocated (reaper). */
void httpd_conn_free(struct http_conn *c);

/* Joins and frees finished connections (all of them when `all`, after
 * they were told to go).  Must not be called with h->lock held. */
void httpd_reap(struct httpd *h, bool all);

#endif
