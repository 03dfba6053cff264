/* Private structures of the PBX session (soap/session*.c).
 *
 * Threading: everything below marked (io) is touched only on the pbx_io
 * thread.  Public functions called on other threads never touch it: they
 * copy their arguments into a small object and marshal it onto the I/O
 * thread with pbx_io_run.  The few fields other threads read (state,
 * firmware, stats, the stop/outstanding bookkeeping) are guarded by s->lock;
 * a monitor's user handle is atomic so pbx_session_monitor_ready can read it.
 *
 * Lifetime: s->outstanding counts every request, timer and run item that
 * will call back into this session.  pbx_session_stop (off the I/O thread)
 * waits until it drops to 0, so that nothing touches the session after stop
 * returns; on the I/O thread, stop only flags the session "quiet" (no more
 * handler callbacks) and destroy defers the free to the last callback.
 */
#ifndef TSP8_SOAP_SESSION_INTERNAL_H
#define TSP8_SOAP_SESSION_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/platform.h"
#include "pbx_io.h"
#include "pbx_rpc.h"
#include "pbx_session.h"

#define SESS_STOP_WAIT_MS   2000u   /* End grace period on stop */
#define SESS_POLL_PAUSE_MAX_MS 10000u /* longest Poll pause (pbx_session_poll_pause) */
#define SESS_INIT_WINDOW    32u     /* UserInitialize requests in flight per session */
#define SESS_FIND_PAGE      50      /* FindUser page size (PBX advice) */
#define SESS_FIND_MAX_PAGES 4000    /* 200000 objects: beyond is a loop */

struct pbx_session;
struct sreq;
struct pbx_cmd;

typedef void (sreq_fn)(struct pbx_session *s, struct sreq *q,
		       const struct pbx_http_resp *resp);

/* One HTTP request of the session in flight (io). */
struct sreq {
	struct sreq *prev, *next;     /* s->reqs */
	struct pbx_session *s;
	enum pbx_op op;
	uint64_t io_id;
	unsigned gen;                 /* s->gen when sent */
	bool dead;                    /* canceled: the answer is ignored */
	sreq_fn *fn;                  /* answer handler (NULL: fire and forget) */
	struct pbx_cmd *cmd;          /* command it carries, or NULL */
	struct pbx_monitor *mon;      /* monitor it concerns (ref held), or NULL */
};

struct pbx_monitor {
	struct pbx_monitor *prev, *next; /* s->monitors (io; after stop: owner) */
	struct pbx_session *s;
	char *cn, *hw;
	bool disc;
	void *cookie;
	atomic_int handle;            /* UserInitialize result, 0 = none */
	atomic_bool removed;          /* pbx_session_monitor_remove called */
	atomic_int refs;              /* list membership + requests */
	bool linked;                  /* (io) in s->monitors */
	bool init_pending;            /* (io) UserInitialize in flight */
	bool init_queued;             /* (io) in s->initq, waiting for the window */
	struct pbx_monitor *init_next;/* (io) s->initq */
};

enum cmd_kind { CMD_INT, CMD_STR, CMD_USERS, CMD_DEVICES };

/* One FindUser answer; skip = leading records already in the previous page
 * (the restart cn). */
struct find_page {
	struct pbx_users_result *res;
	size_t skip;
};

struct pbx_cmd {
	struct pbx_cmd *next;         /* s->cmdq (io) */
	struct pbx_session *s;
	enum pbx_op op;
	enum cmd_kind kind;
	union {
		pbx_cmd_fn *i;
		pbx_str_fn *str;
		pbx_users_fn *users;
		pbx_devices_fn *devices;
	} done;
	void *arg;
	struct pbx_monitor *mon;      /* for UserCall/UserPickup/UserMessage */
	int a, b, c;                  /* call handles, cause, rc, position */
	bool flag;                    /* remote / tls / nohide */
	char *str[4];                 /* string arguments (NULL allowed) */
	struct sreq *inflight;        /* (io) request carrying it */
	bool finished;                /* (io) completion delivered */
	/* FindUser paging (io). */
	struct find_page *pages;
	size_t npages, cap_pages, nusers;
	char *restart_cn;
};

struct held_poll {
	struct held_poll *next;
	struct pbx_poll_result *res;
};

struct pbx_session {
	struct pbx_io *io;
	struct trace *tr;
	const struct pbx_session_handler *h;
	void *harg;
	/* Copied configuration. */
	char *url, *http_user, *http_password, *session_user, *appl, *ca_file, *name;
	bool insecure;
	uint32_t poll_timeout_ms, cmd_timeout_ms, backoff_min_ms, backoff_max_ms,
		 slow_call_ms;

	struct pbx_codec *cx;          /* (io) the I/O object's, shared: see pbx_io_codec */

	/* Connection (io). */
	enum pbx_session_state st;
	unsigned gen;                  /* bumped on every (re)connect and loss */
	int session_id, key;
	bool ever_up;                  /* a reset() is due on the next UP */
	bool stopping;                 /* stop began: no reconnects, no commands */
	bool quiet;                    /* no handler callbacks any more */
	uint32_t backoff_next_ms;
	uint64_t rng;                  /* jitter (xorshift64) */
	uint64_t retry_timer;          /* 0 = none */
	uint64_t guard_timer;          /* stop grace period, 0 = none */
	struct sreq *poll;             /* the outstanding Poll */
	struct sreq *reqs;             /* every request in flight */
	struct pbx_monitor *monitors;
	unsigned inits_pending;        /* UserInitialize in flight */
	struct pbx_monitor *initq, *initq_tail; /* waiting for a UserInitialize slot
	                                   (SESS_INIT_WINDOW), each holding a ref */
	bool ignore_users;             /* UserInfo is dropped: see conn_poll_arm */
	bool poll_paused;              /* the owner holds Poll back */
	uint64_t pause_timer;          /* ends the owner's pause; 0 = none */
	struct held_poll *held, *held_tail; /* Poll answers held while
	                                       UserInitialize is in flight */
	struct pbx_cmd *cmdq, *cmdq_tail;   /* commands waiting for UP */

	/* Guards every field below; never held during a callback. */
	plat_mutex lock;
	plat_cond idle;                /* signalled when outstanding drops to 0 */
	unsigned outstanding;
	bool started, stop_requested, free_when_idle;
	enum pbx_session_state pub_state;
	char firmware[128];
	char gatekeeper_id[128];       /* Version().GatekeeperID of the connection */
	char location[128];            /* Version().Location */
	struct pbx_session_stats stats;
};

/* codec.c (declared here too: soap_internal.h brings gSOAP along) */
/* Poll answers of cx are decoded without their UserInfo array. */
void codec_set_drop_poll_users(struct pbx_codec *cx, bool on);
/* transport_curl.c: the codec every session of io uses (I/O thread only). */
struct pbx_codec *pbx_io_codec(struct pbx_io *io);

/* session.c */
void sess_set_state(struct pbx_session *s, enum pbx_session_state st, int err,
		    const char *why);
/* Counts a callback that will come back into s (see "Lifetime"). */
int  sess_hold(struct pbx_session *s);
/* Ends a callback; may free s (deferred destroy): call it last. */
void sess_release(struct pbx_session *s);
/* Runs fn(arg) on the I/O thread, counted as outstanding; refuses with
 * TSP8_ESHUTDOWN once stop was requested. */
int  sess_post(struct pbx_session *s, pbx_io_fn *fn, void *arg);
/* Arms a counted I/O timer. */
int  sess_timer(struct pbx_session *s, uint32_t ms, pbx_io_fn *fn, uint64_t *id);
/* Cancels a counted I/O timer (*id becomes 0). */
void sess_timer_cancel(struct pbx_session *s, uint64_t *id);

/* session_send.c */
/* Sends msg (its body is consumed in every case). */
int  sess_send(struct pbx_session *s, struct pbx_msg *msg, sreq_fn *fn,
	       struct pbx_cmd *cmd, struct pbx_monitor *mon);
/* Cancels q: its handler will not run. */
void sess_req_kill(struct pbx_session *s, struct sreq *q);
/* True for errors that mean the session (connection) is gone. */
bool sess_err_fatal(int err);
/* Explains a failed request: "<Op>: <error> (<detail>)". */
void sess_why(char *buf, size_t len, enum pbx_op op, int err, const char *detail);

/* session_conn.c */
void conn_start(struct pbx_session *s);
void conn_fail(struct pbx_session *s, int err, const char *why);
void conn_poll_release_held(struct pbx_session *s);
/* Sends the next Poll if none is out and nothing holds it back. */
void conn_poll_arm(struct pbx_session *s);
/* Starts (on) or ends the owner's pause (pbx_session_poll_pause). */
void conn_poll_pause(struct pbx_session *s, bool on);
void conn_stop(struct pbx_session *s);

/* session_monitor.c */
void mon_ref(struct pbx_monitor *m);
void mon_unref(struct pbx_monitor *m);
void mon_init_all(struct pbx_session *s);
void mon_session_lost(struct pbx_session *s);
struct pbx_monitor *mon_by_handle(struct pbx_session *s, int handle);
void mon_free_all(struct pbx_session *s);

/* session_cmd.c */
void cmd_submit(struct pbx_cmd *c);          /* (io) queue or send */
void cmd_flush(struct pbx_session *s);       /* (io) send what can go */
/* Fails every queued and in-flight command with err. */
void cmd_fail_all(struct pbx_session *s, int err);
void cmd_finish(struct pbx_cmd *c, int err, int ret);
/* Completes c with err, frees it; a transport error also loses the session. */
void cmd_fail(struct pbx_session *s, struct pbx_cmd *c, int err, const char *detail);
void cmd_free(struct pbx_cmd *c);
/* Sends one request of c; the answer comes back to c's handler. */
int  cmd_send_msg(struct pbx_cmd *c, struct pbx_msg *m);
/* Allocates a command of op/kind bound to s (any thread). */
struct pbx_cmd *cmd_new(struct pbx_session *s, enum pbx_op op, enum cmd_kind kind);
int  cmd_set_str(struct pbx_cmd *c, unsigned i, const char *v);
/* Posts c to the I/O thread (frees it on failure). */
int  cmd_post(struct pbx_cmd *c);

/* session_find.c */
int  find_send_page(struct pbx_cmd *c);
void find_on_page(struct pbx_session *s, struct pbx_cmd *c, const struct pbx_http_resp *resp);
void find_free_pages(struct pbx_cmd *c);

#endif
