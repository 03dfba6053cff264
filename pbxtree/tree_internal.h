/* Private structures of the PBX tree (tree.c, tree_lines.c, tree_ops.c). */
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
struct tree_op;

#define TREE_SESSION_MASTER 1u

/* One PBX session of the tree (now only the master). */
struct tree_session {
	struct pbxtree *t;
	unsigned id;
	struct pbx_session *s;
	const struct fqdn *addr;    /* where it connects */
	char *pbx_name;             /* Version().GatekeeperID, fallback host */
	char *firmware;             /* Version().FirmwareVersion */
	bool up;                    /* session state UP */
	bool resync;                /* reset seen: sweep unseen objects at dump end */
	bool version_pending;       /* a Version() request is outstanding */
	uint64_t version_req;       /* its pbx_io ID */
};

/* One line.  Changed only on the pbx_io thread, under t->lock. */
struct tree_line {
	uint32_t id;                /* permanent line ID */
	char *guid;                 /* line GUID */
	char *name, *address;
	struct dir_object *obj;     /* its PBX object */
	struct tree_session *ts;    /* its session */
	struct pbx_monitor *mon;    /* UserInitialize of obj->cn */
	bool in_service;
	bool mon_settled;           /* its UserInitialize answered (or failed) */
	struct tree_line *prev, *next;
};

struct pbxtree {
	/* configuration (owned copies) */
	char *standby, *http_user, *http_password, *tapi_user, *ca_file, *pattern, *appl;
	bool insecure, pure_node, no_special_disconnect;
	struct fqdn master;
	struct pbx_io *io;
	struct trace *tr;
	const struct pbxtree_handler *h;
	void *arg;

	struct lineids *ids;        /* own lock */
	struct tree_session ms;     /* the master session */

	/* Guards: dir, lines, nlines, ms (except s itself, which is set before
	 * start and cleared after stop), ops, io_pending and the flags below. */
	plat_mutex lock;
	/* Signalled (under lock) when io_pending drops. */
	plat_cond cond;
	struct directory *dir;
	struct tree_line *lines;    /* all lines, newest first */
	size_t nlines;
	struct tree_op *ops;        /* call operations not yet finished */
	unsigned io_pending;        /* our callbacks still queued on pbx_io */
	bool started, stopping, stopped;
	bool dump_done, version_done, enum_reported;
};

/* tree_lines.c — all on the pbx_io thread */
void tree_on_user(struct tree_session *ts, const struct pbx_user *u);
void tree_on_reset(struct tree_session *ts);
void tree_on_dump_end(struct tree_session *ts);
void tree_on_service(struct tree_session *ts, bool up);
void tree_on_version(struct tree_session *ts);
void tree_maybe_enum_complete(struct pbxtree *t);
void tree_on_monitor(struct tree_session *ts, struct tree_line *l, int err);
void tree_line_free(struct tree_line *l);
struct tree_line *tree_find_line(struct pbxtree *t, uint32_t id);  /* lock held */

/* tree_ops.c */
/* Finishes every operation still pending after the sessions stopped. */
void tree_ops_cancel_all(struct pbxtree *t);

#endif
