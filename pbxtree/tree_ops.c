/* PBX tree: call control operations (see pbxtree.h).
 *
 * An operation is queued to the pbx_io thread (pbx_io_run), where lines and
 * monitors are stable, handed to the session there, and finished exactly
 * once: by the session's completion, by an error, or by pbxtree_stop. */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/strutil.h"
#include "pbxtree/tree_internal.h"
#include "soap/pbx_io.h"
#include "soap/pbx_session.h"

enum op_kind { OP_CALL, OP_CLEAR, OP_CONNECT };
enum op_state { OPS_QUEUED, OPS_SENT };

struct tree_op {
	struct pbxtree *t;
	enum op_kind kind;
	enum op_state st;
	uint32_t line_id;
	unsigned session_id;
	int call, cause;
	char *dest;
	pbxtree_done_fn *done;
	void *arg;
	struct tree_op *prev, *next;   /* in t->ops */
};

static const char *op_name(enum op_kind k)
{
	switch (k) {
	case OP_CALL: return "UserCall";
	case OP_CLEAR: return "UserClear";
	case OP_CONNECT: return "UserConnect";
	}
	return "?";
}

static void unlink_op(struct pbxtree *t, struct tree_op *op)
{
	if (op->prev)
		op->prev->next = op->next;
	else
		t->ops = op->next;
	if (op->next)
		op->next->prev = op->prev;
	op->prev = op->next = NULL;
}

/* Calls the owner and frees op; op must already be unlinked. */
static void complete(struct tree_op *op, int err, int ret)
{
	struct pbxtree *t = op->t;
	if (!err && op->kind == OP_CALL && ret == 0)
		err = TSP8_EREFUSED;
	TRACE(t->tr, err ? TRACE_WARN : TRACE_CALL, "%s (line 0x%08x, call %d) -> %s ret %d",
	      op_name(op->kind), op->line_id, op->call, tsp8_strerror(err), ret);
	if (op->done)
		op->done(op->arg, err, op->session_id, op->kind == OP_CALL ? ret : op->call);
	free(op->dest);
	free(op);
}

static void finish(struct tree_op *op, int err, int ret)
{
	struct pbxtree *t = op->t;
	plat_mutex_lock(&t->lock);
	unlink_op(t, op);
	plat_mutex_unlock(&t->lock);
	complete(op, err, ret);
}

/* Session completion (pbx_io thread, or the thread stopping the session). */
static void op_sent_done(void *arg, int err, int ret)
{
	finish(arg, err, ret);
}

bool pbxtree_dest_is_number(const char *dest)
{
	if (!dest || !dest[0])
		return false;
	const char *p = dest;
	if (*p == '+')
		p++;
	if (!*p)
		return false;
	for (; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '*' || *p == '#'))
			return false;
	return true;
}

/* pbx_io thread: hand the operation to the session. */
static void op_run(void *arg)
{
	struct tree_op *op = arg;
	struct pbxtree *t = op->t;
	int err = TSP8_OK;
	struct pbx_session *s = NULL;
	struct pbx_monitor *mon = NULL;

	plat_mutex_lock(&t->lock);
	if (t->stopping) {
		err = TSP8_ECANCELED;
	} else if (op->kind == OP_CALL) {
		struct tree_line *l = tree_find_line(t, op->line_id);
		if (!l || !l->announced || !l->obj) {
			err = TSP8_ENOTFOUND;
		} else if (!l->mon || !l->ts || !l->ts->s) {
			err = TSP8_ESTATE;   /* presence line, or its PBX is not there */
		} else {
			s = l->ts->s;
			mon = l->mon;
			op->session_id = l->ts->id;
		}
	} else {
		struct tree_session *ts = tree_session_by_epoch(t, op->session_id);
		if (!ts)
			err = TSP8_ENOTFOUND;   /* that session (epoch) is over */
		else
			s = ts->s;
	}
	if (!err)
		op->st = OPS_SENT;   /* before the call: done may come at once */
	plat_mutex_unlock(&t->lock);

	if (!err) {
		switch (op->kind) {
		case OP_CALL:
			if (pbxtree_dest_is_number(op->dest))
				err = pbx_session_user_call(s, mon, NULL, op->dest, NULL, 0, NULL, op_sent_done, op);
			else
				err = pbx_session_user_call(s, mon, NULL, NULL, op->dest, 0, NULL, op_sent_done, op);
			break;
		case OP_CLEAR:
			err = pbx_session_user_clear(s, op->call, op->cause, op_sent_done, op);
			break;
		case OP_CONNECT:
			err = pbx_session_user_connect(s, op->call, op_sent_done, op);
			break;
		}
	}
	if (err)
		finish(op, err, 0);

	/* last: after this the tree may be freed by pbxtree_stop/destroy */
	plat_mutex_lock(&t->lock);
	t->io_pending--;
	plat_cond_broadcast(&t->cond);
	plat_mutex_unlock(&t->lock);
}

static int submit(struct pbxtree *t, struct tree_op *op)
{
	plat_mutex_lock(&t->lock);
	if (!t->started || t->stopping) {
		plat_mutex_unlock(&t->lock);
		free(op->dest);
		free(op);
		return TSP8_ESHUTDOWN;
	}
	op->t = t;
	op->st = OPS_QUEUED;
	op->next = t->ops;
	if (t->ops)
		t->ops->prev = op;
	t->ops = op;
	t->io_pending++;
	plat_mutex_unlock(&t->lock);
	int err = pbx_io_run(t->io, op_run, op);
	if (err) {
		plat_mutex_lock(&t->lock);
		unlink_op(t, op);
		t->io_pending--;
		plat_cond_broadcast(&t->cond);
		plat_mutex_unlock(&t->lock);
		free(op->dest);
		free(op);
	}
	return err;
}

int pbxtree_make_call(struct pbxtree *t, uint32_t line_id, const char *dest,
		      pbxtree_done_fn *done, void *arg)
{
	if (!t || !dest || !dest[0])
		return TSP8_EINVAL;
	struct tree_op *op = calloc(1, sizeof(*op));
	if (!op || !(op->dest = str_dup(dest))) {
		free(op);
		return TSP8_ENOMEM;
	}
	op->kind = OP_CALL;
	op->line_id = line_id;
	op->done = done;
	op->arg = arg;
	TRACE(t->tr, TRACE_CALL, "UserCall line 0x%08x to %s \"%s\"", line_id,
	      pbxtree_dest_is_number(dest) ? "e164" : "h323", dest);
	return submit(t, op);
}

static int call_op(struct pbxtree *t, enum op_kind kind, unsigned session_id, int call, int cause,
		   pbxtree_done_fn *done, void *arg)
{
	if (!t || call == 0)
		return TSP8_EINVAL;
	if (session_id == PBXTREE_SESSION_VIRTUAL)
		return TSP8_EUNSUPPORTED;   /* a presence line's virtual call */
	struct tree_op *op = calloc(1, sizeof(*op));
	if (!op)
		return TSP8_ENOMEM;
	op->kind = kind;
	op->session_id = session_id;
	op->call = call;
	op->cause = cause;
	op->done = done;
	op->arg = arg;
	TRACE(t->tr, TRACE_CALL, "%s session %u call %d cause %d", op_name(kind), session_id, call, cause);
	return submit(t, op);
}

int pbxtree_clear_call(struct pbxtree *t, unsigned session_id, int call, int cause,
		       pbxtree_done_fn *done, void *arg)
{
	if (cause < 0 || cause > 127)
		return TSP8_EINVAL;
	return call_op(t, OP_CLEAR, session_id, call, cause, done, arg);
}

int pbxtree_connect_call(struct pbxtree *t, unsigned session_id, int call,
			 pbxtree_done_fn *done, void *arg)
{
	return call_op(t, OP_CONNECT, session_id, call, 0, done, arg);
}

void tree_ops_cancel_all(struct pbxtree *t)
{
	for (;;) {
		plat_mutex_lock(&t->lock);
		struct tree_op *op = t->ops;
		/* QUEUED operations still belong to a pending op_run (only
		 * possible when the wait at stop timed out): leave them. */
		while (op && op->st != OPS_SENT)
			op = op->next;
		if (op)
			unlink_op(t, op);
		plat_mutex_unlock(&t->lock);
		if (!op)
			return;
		complete(op, TSP8_ECANCELED, 0);
	}
}
