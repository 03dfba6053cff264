/* TSPI call requests: lineMakeCall, lineDrop, lineAnswer, lineCloseCall
 * (see call.h).
 *
 * The TSPI function validates and registers the request synchronously; the
 * work (handing the operation to pbxtree) and the completion run on the
 * line's queue, in order with the line's call events. */
#include <stdlib.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/pbxtree.h"
#include "pbxtree/strutil.h"
#include "tsp8/call.h"
#include "tsp8/call_internal.h"
#include "tsp8/dispatch.h"
#include "tsp8/handles.h"
#include "tsp8/line.h"
#include "tsp8/linequeue.h"
#include "tsp8/request.h"

/* One request on its way.  The call is referred to by handle, never by
 * pointer: it may be gone by then. */
struct op_ctx {
	struct provider *p;
	uint32_t line_id;
	uintptr_t call_hd;
	DRV_REQUESTID req;
	/* the operation */
	enum { OP_MAKE, OP_DROP, OP_ANSWER } kind;
	char *dest;
	unsigned session_id;
	int pbx_call, cause;
	/* its answer */
	int err;
	unsigned ans_session;
	int ans_call;
};

static struct op_ctx *ctx_new(struct provider *p, uint32_t line_id, uintptr_t call_hd, DRV_REQUESTID req)
{
	struct op_ctx *x = calloc(1, sizeof(*x));
	if (x) {
		x->p = p;
		x->line_id = line_id;
		x->call_hd = call_hd;
		x->req = req;
	}
	return x;
}

static void ctx_free(void *arg)
{
	struct op_ctx *x = arg;
	if (x)
		free(x->dest);
	free(x);
}

static LONG lineerr_of(int err)
{
	return err == TSP8_EREFUSED ? (LONG)LINEERR_CALLUNAVAIL : (LONG)LINEERR_OPERATIONFAILED;
}

static const char *op_name(const struct op_ctx *x)
{
	return x->kind == OP_MAKE ? "lineMakeCall" : x->kind == OP_DROP ? "lineDrop" : "lineAnswer";
}

/* Line queue: UserCall answered. */
static void make_done_run(struct provider *p, void *arg)
{
	struct op_ctx *x = arg;
	struct legbuf *buf = NULL;
	plat_mutex_lock(&p->lock);
	struct call *c = handles_get(p->handles, x->call_hd, HANDLE_CALL);
	if (c && c->hd == x->call_hd && c->makecall_pending) {
		c->makecall_pending = false;
		buf = c->buffered;
		c->buffered = NULL;
		struct line *l = c->line;
		if (!x->err) {
			c->pbx_id = l->pbx_id;
			c->session_id = x->ans_session;
			c->pbx_call = x->ans_call;
			requests_complete(p->reqs, x->req, x->call_hd, 0);
			/* events only after the completion (same queue) */
			c->visible = true;
			TRACE(p->tr, TRACE_CALL, "lineMakeCall request %u: PBX call %d", (unsigned)x->req,
			      x->ans_call);
			/* the session went away before its first CallInfo */
			if (lq_epoch_ended(p, x->ans_session))
				call_end(p, c);
		} else {
			requests_complete(p->reqs, x->req, x->call_hd, lineerr_of(x->err));
			TRACE(p->tr, TRACE_WARN, "lineMakeCall request %u failed: %s", (unsigned)x->req,
			      tsp8_strerror(x->err));
		}
		/* legs that came before the answer: ours by handle, others are
		 * new calls */
		for (struct legbuf *b = buf; b; b = b->next)
			call_handle_leg(p, l->perm_id, b->pbx_id, b->session_id, b->c);
	}
	plat_mutex_unlock(&p->lock);
	legbuf_free(buf);
	ctx_free(x);
}

/* Line queue: UserClear / UserConnect answered. */
static void cmd_done_run(struct provider *p, void *arg)
{
	struct op_ctx *x = arg;
	plat_mutex_lock(&p->lock);
	bool done = requests_complete(p->reqs, x->req, x->call_hd, x->err ? (LONG)LINEERR_OPERATIONFAILED : 0);
	plat_mutex_unlock(&p->lock);
	if (x->err)
		TRACE(p->tr, TRACE_WARN, "%s request %u on PBX call %d failed: %s%s", op_name(x), (unsigned)x->req,
		      x->pbx_call, tsp8_strerror(x->err), done ? "" : " (already completed)");
	ctx_free(x);
}

/* pbxtree completion (pbx_io thread, or the thread stopping the tree):
 * continues on the line's queue. */
static void op_done(void *arg, int err, unsigned session_id, int pbx_call)
{
	struct op_ctx *x = arg;
	x->err = err;
	x->ans_session = session_id;
	x->ans_call = pbx_call;
	lq_fn *fn = x->kind == OP_MAKE ? make_done_run : cmd_done_run;
	/* no queue any more (shutdown): complete here, the model lock is ours */
	struct provider *p = x->p;
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_perm_any(p, x->line_id);
	int perr = l ? lq_post_line_locked(p, l, fn, NULL, x) : TSP8_ENOTFOUND;
	plat_mutex_unlock(&p->lock);
	if (perr)
		fn(p, x);
}

/* Line queue: hands the operation to pbxtree unless TAPI gave up on it. */
static void op_run(struct provider *p, void *arg)
{
	struct op_ctx *x = arg;
	plat_mutex_lock(&p->lock);
	struct call *c = handles_get(p->handles, x->call_hd, HANDLE_CALL);
	bool live = c && c->hd == x->call_hd && !p->stopping &&
		    (x->kind != OP_MAKE || c->makecall_pending);
	plat_mutex_unlock(&p->lock);
	if (!live) {
		/* lineClose / lineCloseCall completed the request already */
		ctx_free(x);
		return;
	}
	int err;
	if (x->kind == OP_MAKE)
		err = pbxtree_make_call(p->tree, x->line_id, x->dest, op_done, x);
	else if (x->kind == OP_ANSWER)
		err = pbxtree_connect_call(p->tree, x->session_id, x->pbx_call, op_done, x);
	else
		err = pbxtree_clear_call(p->tree, x->session_id, x->pbx_call, x->cause, op_done, x);
	if (err) {
		TRACE(p->tr, TRACE_WARN, "%s request %u: not sent: %s", op_name(x), (unsigned)x->req,
		      tsp8_strerror(err));
		x->err = err;
		if (x->kind == OP_MAKE)
			make_done_run(p, x);
		else
			cmd_done_run(p, x);
	}
}

LONG call_make(struct provider *p, DRV_REQUESTID req, HDRVLINE hd_line, HTAPICALL ht,
	       LPHDRVCALL lphd, const char *dest)
{
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_handle(p, hd_line);
	if (!l) {
		plat_mutex_unlock(&p->lock);
		return (LONG)LINEERR_INVALLINEHANDLE;
	}
	if (!l->in_service) {
		plat_mutex_unlock(&p->lock);
		return (LONG)LINEERR_RESOURCEUNAVAIL;
	}
	struct call *c = call_new(l);
	uintptr_t hv = c ? handles_add(p->handles, HANDLE_CALL, c) : 0;
	struct op_ctx *x = hv ? ctx_new(p, l->perm_id, hv, req) : NULL;
	if (x && !(x->dest = str_dup(dest))) {
		ctx_free(x);
		x = NULL;
	}
	int err = x ? requests_add(p->reqs, req, l->hd, hv, "lineMakeCall") : TSP8_ENOMEM;
	if (err) {
		if (hv)
			handles_remove(p->handles, hv);
		if (c)
			call_reap(p, c);
		plat_mutex_unlock(&p->lock);
		ctx_free(x);
		return err == TSP8_EEXIST ? (LONG)LINEERR_INVALPARAM : (LONG)LINEERR_NOMEM;
	}
	x->kind = OP_MAKE;
	c->hd = hv;
	c->ht = ht;
	c->made = true;
	c->inbound = false;
	c->origin = LINECALLORIGIN_OUTBOUND;
	c->makecall_pending = true;
	c->makecall_req = req;
	err = lq_post_line_locked(p, l, op_run, ctx_free, x);
	if (err) {
		/* synchronous failure: TAPI will not close this call */
		requests_forget(p->reqs, req);
		handles_remove(p->handles, hv);
		c->hd = 0;
		c->makecall_pending = false;
		call_reap(p, c);
		plat_mutex_unlock(&p->lock);
		TRACE(p->tr, TRACE_WARN, "lineMakeCall: not queued: %s", tsp8_strerror(err));
		return (LONG)LINEERR_OPERATIONFAILED;
	}
	*lphd = (HDRVCALL)hv;
	plat_mutex_unlock(&p->lock);
	return (LONG)req;
}

/* Common part of lineDrop/lineAnswer: validation, request, queued work. */
static LONG call_cmd(struct provider *p, DRV_REQUESTID req, HDRVCALL hd, bool answer)
{
	plat_mutex_lock(&p->lock);
	struct call *c = call_by_handle(p, hd);
	if (!c) {
		plat_mutex_unlock(&p->lock);
		return (LONG)LINEERR_INVALCALLHANDLE;
	}
	LONG bad = 0;
	if (c->state == LINECALLSTATE_IDLE || c->pbx_gone || !c->pbx_call)
		bad = (LONG)LINEERR_INVALCALLSTATE;
	else if (answer && c->state != LINECALLSTATE_OFFERING && c->state != LINECALLSTATE_ACCEPTED)
		bad = (LONG)LINEERR_INVALCALLSTATE;
	else if (!c->line->in_service)
		bad = (LONG)LINEERR_RESOURCEUNAVAIL;
	else if (c->session_id == PBXTREE_SESSION_VIRTUAL)
		bad = (LONG)LINEERR_OPERATIONUNAVAIL;   /* a presence line's virtual call */
	if (bad) {
		plat_mutex_unlock(&p->lock);
		return bad;
	}
	struct op_ctx *x = ctx_new(p, c->line->perm_id, c->hd, req);
	int err = x ? requests_add(p->reqs, req, c->line->hd, c->hd, answer ? "lineAnswer" : "lineDrop")
		    : TSP8_ENOMEM;
	if (err) {
		plat_mutex_unlock(&p->lock);
		ctx_free(x);
		return err == TSP8_EEXIST ? (LONG)LINEERR_INVALPARAM : (LONG)LINEERR_NOMEM;
	}
	x->kind = answer ? OP_ANSWER : OP_DROP;
	x->session_id = c->session_id;
	x->pbx_call = c->pbx_call;
	x->cause = c->state == LINECALLSTATE_OFFERING ? CALL_CAUSE_REJECT : CALL_CAUSE_NORMAL;
	err = lq_post_line_locked(p, c->line, op_run, ctx_free, x);
	if (err)
		requests_forget(p->reqs, req);
	plat_mutex_unlock(&p->lock);
	if (err) {
		TRACE(p->tr, TRACE_WARN, "%s: not queued: %s", answer ? "lineAnswer" : "lineDrop",
		      tsp8_strerror(err));
		return (LONG)LINEERR_OPERATIONFAILED;
	}
	return (LONG)req;
}

LONG call_drop(struct provider *p, DRV_REQUESTID req, HDRVCALL hd)
{
	return call_cmd(p, req, hd, false);
}

LONG call_answer(struct provider *p, DRV_REQUESTID req, HDRVCALL hd)
{
	return call_cmd(p, req, hd, true);
}

void call_close(struct provider *p, HDRVCALL hd)
{
	plat_mutex_lock(&p->lock);
	struct call *c = call_by_handle(p, hd);
	if (!c) {
		plat_mutex_unlock(&p->lock);
		TRACE(p->tr, TRACE_WARN, "lineCloseCall: unknown call handle %p (ignored)", (const void *)hd);
		return;
	}
	uintptr_t hv = c->hd;
	size_t n = requests_fail_call(p->reqs, hv);
	if (n)
		TRACE(p->tr, TRACE_REQ, "lineCloseCall: %lu requests failed", (unsigned long)n);
	handles_remove(p->handles, hv);
	c->hd = 0;
	c->ht = NULL;
	c->visible = false;
	c->newcall_pending = false;
	c->closed = true;      /* the leg, if any, stays hidden until it ends */
	c->makecall_pending = false;
	legbuf_free(c->buffered);
	c->buffered = NULL;
	c->closing++;
	plat_mutex_unlock(&p->lock);

	/* a running callout for this call finishes before we return, and the
	 * completions of its requests are delivered before lineCloseCall
	 * returns (TSPI rule): those failed above, and those the PBX answered
	 * just before (posted, not yet delivered: n does not count them);
	 * bounded, see dispatch_flush */
	dispatch_sync(p->disp, 0, hv);
	if ((n || dispatch_completion_pending(p->disp)) &&
	    !dispatch_flush(p->disp, DISPATCH_CLOSE_FLUSH_MS))
		TRACE(p->tr, TRACE_WARN, "lineCloseCall: completions not delivered within %u ms",
		      DISPATCH_CLOSE_FLUSH_MS);

	plat_mutex_lock(&p->lock);
	c->closing--;
	call_reap(p, c);
	plat_mutex_unlock(&p->lock);
}
