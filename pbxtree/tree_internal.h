/* Private structures of the PBX tree (tree*.c).
 *
 * Shape:
 *   roots      one per configured master (FQDN\n) with its standby
 *              (StandbyFQDN\n): two endpoint sessions, one of them "active":
 *              its UserInfo dump feeds the directory.
 *   slaves     one per registered PBX object of a root's scope: a session to
 *              the URL LocationUrl(loc) gave; it monitors the users whose loc
 *              names it.
 *   directory  PBX objects by guid (owner = the root that reported them).
 *   lines      per object: one OBJECT line, or one DEVICE line per device
 *              (MapDevices), plus one PRESENCE line (MapPresence).
 *
 * Threading: everything here is changed on the pbx_io thread only; t->lock
 * is taken for every change so that other threads (pbxtree_get_line, call
 * operations) can read.  Handler calls are made on the pbx_io thread without
 * t->lock.
 */
#ifndef TSP8_PBXTREE_TREE_INTERNAL_H
#define TSP8_PBXTREE_TREE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/platform.h"
#include "pbxtree/directory.h"
#include "pbxtree/fqdn.h"
#include "pbxtree/lineids.h"
#include "pbxtree/pbxtree.h"

struct pbx_session;
struct pbx_monitor;
struct sched_queue;
struct tree_op;
struct tree_root;
struct tree_slave;

/* Line ID hash buckets (power of two). */
#define TREE_LINE_BUCKETS 4096u

/* A one-shot timer on the pbx_io thread owned by a tree object (tree.c).
 * armed is guarded by t->lock. */
struct tree_tmr {
	struct pbxtree *t;
	void (*fn)(void *arg);
	void *arg;
	uint64_t id;
	bool armed;
};

/* One PBX endpoint: a master, a standby or a slave. */
struct tree_session {
	struct pbxtree *t;
	struct tree_root *root;     /* its root (slaves: the root that found them) */
	struct tree_slave *slave;   /* NULL for root endpoints */
	unsigned pbx_id;            /* stable for the life of the tree */
	unsigned id;                /* session epoch: new after every reset */
	struct pbx_session *s;      /* NULL while not running */
	struct fqdn addr;           /* where it connects */
	char label[96];             /* "master", "standby", "slave <loc>" (traces) */
	char *pbx_name;             /* Version().GatekeeperID, fallback host */
	char *firmware;             /* Version().FirmwareVersion */
	char *location;             /* Version().Location ("" unknown) */
	bool up;                    /* session state UP */
	bool ever_up;               /* was UP at least once */
	bool failed_once;           /* went DOWN before ever being UP */
	unsigned mon_wait;          /* its lines whose first UserInitialize is unanswered */
	struct tree_line *mq_head, *mq_tail; /* lines waiting to be monitored (tree_monitor.c) */
	size_t mq_len;
	bool mq_pump;               /* a deferred pump is queued on pbx_io */
	bool poll_paused;           /* slave: its Poll is held back (tree_slaves_poll_gate) */
	bool poll_resume;           /* scratch flag of tree_slaves_poll_gate */
	struct tree_session *next_all; /* t->sessions */
};

/* A configured master with its optional standby. */
struct tree_root {
	struct pbxtree *t;
	unsigned index;             /* 0 = the dialog's master; owner tag = index + 1 */
	struct tree_session primary;
	struct tree_session standby;
	bool has_standby;
	struct tree_session *active;   /* whose dump feeds the directory; NULL before */
	bool dump_done;             /* the active session's dump ended at least once */
	bool resync;                /* sweep unseen objects at the next dump end */
};

enum slave_state { SLAVE_IDLE, SLAVE_URL_WAIT, SLAVE_RUNNING };

/* A slave PBX of a root, found through a registered PBX object. */
struct tree_slave {
	struct tree_slave *next;    /* t->slaves */
	struct tree_root *root;
	char *loc;                  /* location: h323 of the PBX object */
	enum slave_state st;
	bool wanted;                /* a registered PBX object names it now */
	bool settled;               /* URL answered / session up or failed once */
	bool loopback;              /* its URL points at 127.0.0.1 / ::1 */
	bool loopback_warned;
	bool url_pending;           /* a LocationUrl question is outstanding */
	uint32_t url_backoff_ms;
	struct tree_tmr url_tmr;    /* LocationUrl retry */
	struct tree_session *url_asked; /* the root session the question went to */
	struct tree_session ts;     /* ts.s set while RUNNING */
};

/* One line.  Changed only on the pbx_io thread, under t->lock. */
struct tree_line {
	uint32_t id;                /* permanent line ID */
	enum pbxtree_line_kind kind;
	char *guid;                 /* line GUID */
	char *name, *address;
	char *dev_hw, *dev_name;    /* DEVICE lines */
	struct dir_object *obj;     /* its PBX object (NULL once removed) */
	struct tree_session *ts;    /* monitoring session (NULL: none) */
	struct pbx_monitor *mon;    /* UserInitialize of obj->cn [+ hw] */
	uint64_t id_seq;            /* lineids sequence to wait for */
	bool id_ok;                 /* the ID is in the store: may be monitored */
	bool announced;             /* line_added was reported */
	bool pending;               /* in t->unannounced */
	bool in_service;
	bool mon_waiting;           /* counted in ts->mon_wait */
	bool mon_ready;             /* its UserInitialize succeeded on ts's current connection */
	int vcall;                  /* PRESENCE: virtual call handle, 0 none */
	bool mq_queued;             /* in ts->mq_head: waits for its monitor batch */
	struct tree_line *mq_next, *mq_prev;
	bool keep;                  /* scratch flag of tree_lines_sync */
	struct tree_line *prev, *next;   /* t->lines */
	struct tree_line *hnext;         /* t->buckets */
	struct tree_line *onext;         /* obj->lines */
	struct tree_line *pnext, *pprev; /* t->unannounced */
};

struct pbxtree {
	/* configuration (owned copies) */
	char *http_user, *http_password, *tapi_user, *ca_file, *pattern, *appl;
	bool insecure, pure_node, no_special_disconnect;
	bool no_slaves, map_devices, map_presence, name_for_device_guid;
	uint32_t slow_call_ms;
	struct pbx_io *io;
	struct trace *tr;
	const struct pbxtree_handler *h;
	void *arg;
	struct sched *sched;        /* not owned; NULL: commits on the pbx_io thread */
	struct sched_queue *commit_q;  /* lineGUIDs commits */

	struct lineids *ids;        /* own locks */
	struct tree_root *roots;
	size_t nroots;

	/* Guards everything below (see the top of this file). */
	plat_mutex lock;
	/* Signalled (under lock) when io_pending drops. */
	plat_cond cond;
	struct directory *dir;
	struct tree_session *sessions;  /* every endpoint, for epoch lookups */
	struct tree_slave *slaves;
	unsigned next_pbx_id, next_epoch;
	struct tree_line *lines;    /* all lines, newest first */
	struct tree_line **buckets; /* by id */
	size_t nlines;
	struct tree_line *unannounced;  /* waiting for their ID or first UserInitialize */
	size_t n_unannounced;
	size_t n_dev_pending;       /* Devices() requests outstanding */
	size_t n_poll_paused;       /* slave sessions with poll_paused */
	bool commit_busy;           /* a commit job is under way */
	bool commit_again;          /* more IDs came while it ran */
	int commit_err;             /* result of the last commit */
	struct tree_tmr commit_tmr; /* coalesces bursts of new lines */
	int vcall_seq;              /* virtual call handles */
	struct tree_op *ops;        /* call operations not yet finished */
	unsigned io_pending;        /* our callbacks still queued (pbx_io, sched) */
	bool started, stopping, stopped;
	bool enum_reported;
};

/* ---- tree.c ------------------------------------------------------------ */
/* Counts / uncounts a callback that will come back into the tree. */
bool tree_hold(struct pbxtree *t);       /* false when stopping */
void tree_release(struct pbxtree *t);    /* call last */
/* Timers: init once; arm does nothing when armed already; fn is not
 * called once the tree stops; disarm may be called from any thread. */
void tree_tmr_init(struct tree_tmr *tm, struct pbxtree *t, void (*fn)(void *arg), void *arg);
int  tree_tmr_arm(struct tree_tmr *tm, uint32_t ms);
void tree_tmr_disarm(struct tree_tmr *tm);
/* Fires enum_complete once everything of the first enumeration settled. */
void tree_check_enum(struct pbxtree *t);

/* ---- tree_session.c ---------------------------------------------------- */
/* Prepares ts (no session yet); label for traces. */
int  tree_session_init(struct pbxtree *t, struct tree_session *ts, struct tree_root *root,
		       struct tree_slave *slave, const char *label);
void tree_session_fini(struct tree_session *ts);
/* Creates and starts the pbx_session to ts->addr.  backoff_max_ms 0 =
 * session default. */
int  tree_session_open(struct tree_session *ts, uint32_t backoff_min_ms, uint32_t backoff_max_ms);
/* Stops and destroys the pbx_session (pbx_io thread or not); its lines
 * must have been moved away first.  Reports the epoch's end. */
void tree_session_close(struct tree_session *ts);
/* The endpoint with session epoch id (lock held), NULL if none. */
struct tree_session *tree_session_by_epoch(struct pbxtree *t, unsigned id);
/* New epoch for ts; the handler hears that the old one ended. */
void tree_session_new_epoch(struct tree_session *ts);

/* ---- tree_root.c -------------------------------------------------------- */
int  tree_roots_create(struct pbxtree *t, const struct pbxtree_root_cfg *rc, size_t n);
void tree_roots_start(struct pbxtree *t);
void tree_root_on_state(struct tree_session *ts, bool up, bool failed);
void tree_root_on_reset(struct tree_session *ts);
void tree_root_on_user(struct tree_session *ts, const struct pbx_user *u);
void tree_root_on_dump_end(struct tree_session *ts);
/* True when loc names the root itself (its active or primary PBX). */
bool tree_root_is_self(const struct tree_root *r, const char *loc);
/* The root's name for %x when a user has no loc. */
const char *tree_root_name(const struct tree_root *r);
bool tree_root_settled(const struct tree_root *r);

/* ---- tree_slaves.c ------------------------------------------------------ */
/* A PBX object of root r changed / appeared / left (gone = true). */
void tree_slave_object(struct tree_root *r, struct dir_object *obj, bool gone);
struct tree_slave *tree_slave_find(struct pbxtree *t, const struct tree_root *r, const char *loc);
void tree_slave_on_state(struct tree_session *ts, bool up, bool failed, int err);
/* The root's active session changed: outstanding URL questions go to the
 * new one. */
void tree_slaves_root_changed(struct tree_root *r);
/* A new slave session's first Polls bring its own dump: the whole replicated
 * directory again, which is read from the root and dropped here.  So a
 * slave session starts with its Poll paused (tree_session_open) and is let
 * go once its root's dump has named every line and no line of any session
 * waits for its first UserInitialize any more: at start, 50 slaves draining
 * 10,000 records each would otherwise slow down what makes lines usable.
 * The pause is a start-up matter only (soap/ bounds it to a few seconds).
 * Checks every paused slave; cheap when none is.  pbx_io thread. */
void tree_slaves_poll_gate(struct pbxtree *t);

/* ---- tree_lines.c / tree_sync.c --------------------------------------- */
/* tree_sync.c: brings obj's lines in line with its data and the flags (creates,
 * removes, renames, re-homes); changes: DIR_CH_* bits of its last update. */
void tree_lines_sync(struct pbxtree *t, struct dir_object *obj, unsigned changes);
/* A new line of obj (the ID is looked up / allocated here). */
void tree_line_add(struct pbxtree *t, struct dir_object *obj, enum pbxtree_line_kind kind,
		   const char *guid, const char *hw, const char *dev_name);
/* Removes l (line_removed when it was reported) and frees it. */
void tree_line_remove(struct pbxtree *t, struct tree_line *l);
/* Re-homes l, recomputes its name when asked or moved, reports changes
 * and its service state. */
void tree_line_refresh(struct pbxtree *t, struct tree_line *l, bool names);
/* line_changed for a reported line. */
void tree_line_report_changed(struct pbxtree *t, struct tree_line *l);
/* Removes every line of obj (before obj leaves the directory). */
void tree_lines_drop(struct pbxtree *t, struct dir_object *obj);
/* Re-homes every line (a session appeared/vanished); names follow. */
void tree_lines_rehome_all(struct pbxtree *t);
/* The service state of ts changed: its lines follow. */
void tree_lines_service(struct pbxtree *t, struct tree_session *ts);
/* Recomputes names of the lines served by ts (its PBX name is known now). */
void tree_lines_rename(struct pbxtree *t, struct tree_session *ts);
/* tree_monitor.c: a UserInitialize of l answered. */
void tree_line_on_monitor(struct tree_session *ts, struct tree_line *l, int err);
struct tree_line *tree_find_line(struct pbxtree *t, uint32_t id);  /* lock held */
void tree_line_free(struct tree_line *l);
/* Fills the owner's view of l (pointers into l; pbx_io thread, or lock
 * held). */
void tree_line_info(struct pbxtree *t, const struct tree_line *l, struct pbxtree_line_info *li);
/* Reports l: its ID is durable and its first UserInitialize settled. */
void tree_line_announce(struct pbxtree *t, struct tree_line *l);
/* Service state from the line's link/monitor/presence; reported on change. */
void tree_line_update_service(struct pbxtree *t, struct tree_line *l);

/* ---- tree_monitor.c ------------------------------------------------------ */
/* Starts monitoring l on l->ts (its ID is durable) unless it is or cannot
 * be; beyond the per-session window it waits its turn. */
void tree_line_monitor(struct pbxtree *t, struct tree_line *l);
/* Stops monitoring l (or its wait). */
void tree_line_unmonitor(struct pbxtree *t, struct tree_line *l);
/* Forgets every line waiting on ts (its session is closing). */
void tree_monitor_flush(struct pbxtree *t, struct tree_session *ts);
/* True when nothing about l's monitoring is to be waited for. */
bool tree_line_settled(struct pbxtree *t, const struct tree_line *l);

/* ---- tree_announce.c ---------------------------------------------------- */
/* A new line is reported once its ID is committed and its first
 * UserInitialize answered (or cannot be: no session up), so that it comes
 * in service and calls from then on are seen. */
void tree_announce_line(struct pbxtree *t, struct tree_line *l);
/* Something l waited for may have happened (monitor answer, link down,
 * new home). */
void tree_announce_retry(struct pbxtree *t, struct tree_line *l);
/* The same for every waiting line (a slave failed: nothing to wait for). */
void tree_announce_retry_all(struct pbxtree *t);
/* Forgets l if it waits for a commit (it is being removed). */
void tree_announce_forget(struct pbxtree *t, struct tree_line *l);
/* Commit timer callback (set up by pbxtree_create). */
void tree_commit_tick(void *arg);
/* Synchronous commit of whatever is pending (stop). */
void tree_announce_flush(struct pbxtree *t);

/* ---- tree_devices.c ----------------------------------------------------- */
/* Asks the root's active session for obj's devices (MapDevices). */
void tree_devices_fetch(struct tree_root *r, struct dir_object *obj);

/* ---- tree_presence.c ---------------------------------------------------- */
/* Presence line l: service and virtual call follow presence and link. */
void tree_presence_update(struct pbxtree *t, struct tree_line *l);
/* Ends l's virtual call (line going away). */
void tree_presence_end(struct pbxtree *t, struct tree_line *l);

/* ---- tree_ops.c --------------------------------------------------------- */
/* Finishes every operation still pending after the sessions stopped. */
void tree_ops_cancel_all(struct pbxtree *t);

#endif
