/* pbxsim HTTP server internals shared by httpd.c (listener, lifecycle) and
 * httpd_conn.c (one connection). */
#ifndef PBXSIM_HTTPD_INT_H
#define PBXSIM_HTTPD_INT_H

#include <pthread.h>
#include <stdbool.h>

#include "httpd.h"
#include "session.h"

struct http_conn {
	struct httpd *h;
	int fd;                     /* closed only by the reaper, after join */
	pthread_t thread;
	bool finished;              /* thread is done; guarded by h->lock */
	struct sim_conn *sc;        /* freed by the reaper */
	struct http_conn *next;
};

struct httpd {
	struct sim *sim;
	struct sim_pbx *pbx;
	char path[SIM_STR + 32];    /* "/PBX0/user.soap" */
	char url[SIM_STR + 96];
	unsigned port;
	/* Guards everything below. */
	pthread_mutex_t lock;
	int listen_fd;              /* -1 while stopped */
	int parked_fd;              /* while stopped: the socket, still bound to
	                             * the port (so nobody else takes it) but not
	                             * listening: connects are refused */
	bool running;
	pthread_t accept_thread;
	struct http_conn *conns;
	unsigned nconns;
	unsigned stall_ms;
	unsigned http500_left;
	unsigned garbage_left;
};

/* Connection thread entry (httpd_conn.c). */
void *httpd_conn_main(void *arg);

/* Joins and frees finished connections (all of them when `all`, after
 * they were told to go).  Must not be called with h->lock held. */
void httpd_reap(struct httpd *h, bool all);

#endif
