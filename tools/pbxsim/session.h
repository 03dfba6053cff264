/* pbxsim sessions: Initialize/Echo/End, user handles, scope, expiry, event
 * queues, and which HTTP connections keep a session alive.
 * Every function expects sim->lock held unless it says otherwise. */
#ifndef PBXSIM_SESSION_H
#define PBXSIM_SESSION_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "records.h"
#include "sim.h"

#define SIM_QUEUE_MAX 5000     /* events kept per session; older ones dropped */
#define SIM_CONN_SESSIONS 32   /* sessions one connection keeps alive */

struct sim_user_handle {
	int handle;
	struct sim_object *obj;
	char hw[SIM_NUM];          /* "" = all devices */
	bool xfer, disc;
	struct sim_user_handle *next;
};

struct sim_session {
	int handle;
	int key;
	char user_cn[SIM_STR];
	char appl[SIM_STR];
	struct sim_object **scope; /* owned array, directory order; objects
	                            * owned by the tree */
	size_t nscope;
	uint32_t *pos;             /* owned: by object slot, scope index + 1
	                            * (0 = not in scope); O(1) membership */
	size_t npos;
	size_t dump_pos;           /* next scope entry of the initial dump */
	bool dump_done;            /* the empty-cn marker went out */
	struct sim_event *head, *tail;
	size_t nevents;
	size_t dropped_events;
	struct sim_user_handle *users;
	int nconn;                 /* open connections that used it */
	uint64_t orphan_ms;        /* when nconn dropped to 0 */
	bool invalid;
	/* Who waits in Poll for this session: the connection whose cv gets
	 * signalled (no thundering herd with hundreds of idle Polls), and a
	 * count of further waiters, which wait on sim->changed instead. */
	struct sim_conn *poller;
	int extra_pollers;
	struct sim_session *next;
};

/* One HTTP connection as the model sees it. */
struct sim_conn {
	struct sim_pbx *pbx;
	int sessions[SIM_CONN_SESSIONS];
	size_t nsessions;
	atomic_bool dropped;       /* closed by a fault/stop: wake and give up */
	pthread_cond_t cv;         /* its Poll waits here (with sim->lock) */
	/* Used only by the thread serving the connection (httpd): while it is
	 * served by the PBX's event loop, a Poll must not wait; it sets
	 * would_block instead and the connection gets a thread of its own. */
	bool no_wait;
	bool would_block;
};

/* Connection bookkeeping.  release (the connection closed: its sessions
 * start their expiry clocks) takes the lock itself; free only frees, after
 * nobody can reach conn any more. */
int sim_conn_create(struct sim_conn **out, struct sim_pbx *pbx);
void sim_conn_release(struct sim_conn *conn);
void sim_conn_free(struct sim_conn *conn);
/* Marks the connection as dropped and wakes its Poll (takes the lock). */
void sim_conn_drop(struct sim_conn *conn);
/* Wakes every waiting Poll of every PBX (lock held; shutdown). */
void session_wake_all(struct sim *sim);
/* Remembers that conn used session s (keeps s alive while conn is open). */
void sim_conn_touch(struct sim_conn *conn, struct sim_session *s);

/* Initialize: returns the session handle (0 = refused: unknown cn,
 * missing flags, passive standby) and *key. */
int session_initialize(struct sim_pbx *pbx, struct sim_conn *conn, const char *cn,
		       const char *appl, bool flags_ok, int *key);
/* Valid, unexpired session or NULL.  Removes expired sessions first. */
struct sim_session *session_get(struct sim_pbx *pbx, int handle);
/* Removes invalid or expired sessions. */
void session_sweep(struct sim_pbx *pbx);
/* Ends (removes) a session; false when unknown. */
bool session_end(struct sim_pbx *pbx, int handle);
/* Marks every current session invalid and wakes Polls. */
void session_invalidate_all(struct sim_pbx *pbx);

/* UserInitialize: user handle > 0, 0 when the session or cn is unknown. */
int session_user_init(struct sim_pbx *pbx, struct sim_session *s, const char *cn,
		      bool xfer, bool disc, const char *hw);
/* Finds a user handle in any live session of pbx. */
struct sim_user_handle *session_find_user(struct sim_pbx *pbx, int handle,
					  struct sim_session **sess);
/* UserEnd: false when unknown. */
bool session_user_end(struct sim_pbx *pbx, int handle);

/* True when o is in the scope of s. */
bool session_in_scope(const struct sim_session *s, const struct sim_object *o);
/* Recomputes the scope of every session on every PBX of pbx's tree after
 * group or directory changes: objects that left get one active=false
 * UserInfo, objects that joined a full UserInfo. */
void session_refresh_scopes(struct sim_pbx *pbx);
/* Same; `changed` (may be NULL) additionally gets a UserInfo in the
 * sessions that had it in scope before and after. */
void session_refresh_scopes_for(struct sim_pbx *pbx, struct sim_object *changed);
/* Before o leaves the directory: user handles on it are dropped and
 * sessions logged in as o are invalidated (on every PBX of the tree). */
void session_forget_object(struct sim_pbx *pbx, const struct sim_object *o);

/* Appends ev to the queue of s (takes ownership; drops the oldest event
 * when the queue is full) and wakes Polls. */
void session_queue(struct sim *sim, struct sim_session *s, struct sim_event *ev);
/* Queues a UserInfo delta of o to every session on every PBX of pbx's
 * tree that has o in scope, then clears o->cfg_pending. */
void session_emit_userinfo(struct sim_pbx *pbx, struct sim_object *o, bool active);

/* Poll: waits (taking the lock itself) until records are available, the
 * idle time ran out, the session died or the connection was dropped.
 * TSP8_OK with *out (possibly NULL = empty answer), TSP8_ESESSION for an
 * invalid session, TSP8_ECLOSED when conn was dropped or the simulator
 * shuts down.  With conn->no_wait it never waits: where it would, it
 * returns TSP8_OK with nothing and sets conn->would_block. */
int session_poll(struct sim_pbx *pbx, struct sim_conn *conn, int handle,
		 struct sim_event **out);

#endif
