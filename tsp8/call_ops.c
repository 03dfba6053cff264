/* TSPI call requests: lineMakeCall, lineDrop, lineAnswer, lineCloseCall
 * (see call.h). */
#include <stdlib.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/pbxtree.h"
#include "tsp8/call.h"
#include "tsp8/call_internal.h"
#include "tsp8/dispatch.h"
#include "tsp8/handles.h"
#include "tsp8/line.h"
#include "tsp8/request.h"

/* What a pbxtree completion needs to find its request again.  The call is
 * referred to by handle, never by pointer: it may be gone by then. */
struct op_ctx {
	struct provider *p;
	uintptr_t call_hd;
	DRV_REQUESTID req;
};

static struct op_ctx *ctx_new(struct provider *p, uintptr_t call_hd, DRV_REQUESTID req)
{
	struct op_ctx *x = malloc(sizeof(*x));
	if (x) {
		x->p = p;
		x->call_hd = call_hd;
		x->req = req;
	}
	return x;
}

static LONG lineerr_of(int err)
{
	return err == TSP8_EREFUSED ? (LONG)LINEERR_CALLUNAVAIL : (LONG)LINEERR_OPERATIONFAILED;
}

/* UserCall answered (pbx_io thread, or the thread stopping the tree). */
static void make_done(void *arg, int err, unsigned session_id, int pbx_call)
{
	struct op_ctx *x = arg;
	struct provider *p = x->p;
	struct legbuf *buf = NULL;
	plat_mutex_lock(&p->lock);
	struct call *c = handles_get(p->handles, x->call_hd, HANDLE_CALL);
	if (c && c->hd == x->call_hd && c->makecall_pending) {
		c->makecall_pending = false;
		buf = c->buffered;
		c->buffered = NULL;
		uint32_t line_id = c->line->perm_id;
		if (!err) {
			c->session_id = session_id;
			c->pbx_call = pbx_call;
			requests_complete(p->reqs, x->req, x->call_hd, 0);
			/* events only after the completion (same queue) */
			c->visible = true;
			TRACE(p->tr, TRACE_CALL, "lineMakeCall request %u: PBX call %d", (unsigned)x->req, pbx_call);
		} else {
			requests_complete(p->reqs, x->req, x->call_hd, lineerr_of(err));
			TRACE(p->tr, TRACE_WARN, "lineMakeCall request %u failed: %s", (unsigned)x->req,
			      tsp8_strerror(err));
		}
		/* legs that came before the answer: ours by handle, others are
		 * new calls */
		for (struct legbuf *b = buf; b; b = b->next)
			call_handle_leg(p, line_id, b->session_id, b->c);
	}
	plat_mutex_unlock(&p->lock);
	legbuf_free(buf);
	free(x);
}

/* UserClear / UserConnect answered. */
static void cmd_done(void *arg, int err, unsigned session_id, int pbx_call)
{
	struct op_ctx *x = arg;
	struct provider *p = x->p;
	(void)session_id;
	plat_mutex_lock(&p->lock);
	bool done = requests_complete(p->reqs, x->req, x->call_hd, err ? (LONG)LINEERR_OPERATIONFAILED : 0);
	plat_mutex_unlock(&p->lock);
	if (err)
		TRACE(p->tr, TRACE_WARN, "request %u on PBX call %d failed: %s%s", (unsigned)x->req, pbx_call,
		      tsp8_strerror(err), done ? "" : " (already completed)");
	free(x);
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
	struct op_ctx *x = hv ? ctx_new(p, hv, req) : NULL;
	int err = x ? requests_add(p->reqs, req, l->hd, hv, "lineMakeCall") : TSP8_ENOMEM;
	if (err) {
		if (hv)
			handles_remove(p->handles, hv);
		if (c)
			call_reap(p, c);
		plat_mutex_unlock(&p->lock);
		free(x);
		return err == TSP8_EEXIST ? (LONG)LINEERR_INVALPARAM : (LONG)LINEERR_NOMEM;
	}
	c->hd = hv;
	c->ht = ht;
	c->made = true;
	c->inbound = false;
	c->origin = LINECALLORIGIN_OUTBOUND;
	c->makecall_pending = true;
	c->makecall_req = req;
	*lphd = (HDRVCALL)hv;
	uint32_t line_id = l->perm_id;
	plat_mutex_unlock(&p->lock);

	err = pbxtree_make_call(p->tree, line_id, dest, make_done, x);
	if (err) {
		/* synchronous failure: TAPI will not close this call */
		plat_mutex_lock(&p->lock);
		requests_forget(p->reqs, req);
		c = handles_get(p->handles, hv, HANDLE_CALL);
		if (c) {
			handles_remove(p->handles, hv);
			c->hd = 0;
			c->makecall_pending = false;
			call_reap(p, c);
		}
		plat_mutex_unlock(&p->lock);
		free(x);
		TRACE(p->tr, TRACE_WARN, "lineMakeCall: UserCall not sent: %s", tsp8_strerror(err));
		return (LONG)LINEERR_OPERATIONFAILED;
	}
	return (LONG)req;
}

/* Common part of lineDrop/lineAnswer: validation, request, pbxtree call. */
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
	if (bad) {
		plat_mutex_unlock(&p->lock);
		return bad;
	}
	int cause = c->state == LINECALLSTATE_OFFERING ? CALL_CAUSE_REJECT : CALL_CAUSE_NORMAL;
	struct op_ctx *x = ctx_new(p, c->hd, req);
	int err = x ? requests_add(p->reqs, req, c->line->hd, c->hd, answer ? "lineAnswer" : "lineDrop")
		    : TSP8_ENOMEM;
	if (err) {
		plat_mutex_unlock(&p->lock);
		free(x);
		return err == TSP8_EEXIST ? (LONG)LINEERR_INVALPARAM : (LONG)LINEERR_NOMEM;
	}
	unsigned session_id = c->session_id;
	int pbx_call = c->pbx_call;
	plat_mutex_unlock(&p->lock);

	if (answer)
		err = pbxtree_connect_call(p->tree, session_id, pbx_call, cmd_done, x);
	else
		err = pbxtree_clear_call(p->tree, session_id, pbx_call, cause, cmd_done, x);
	if (err) {
		plat_mutex_lock(&p->lock);
		requests_forget(p->reqs, req);
		plat_mutex_unlock(&p->lock);
		free(x);
		TRACE(p->tr, TRACE_WARN, "%s: not sent: %s", answer ? "lineAnswer" : "lineDrop",
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
	 * completions of the requests failed above are delivered before
	 * lineCloseCall returns (TSPI rule); bounded, see dispatch_flush */
	dispatch_sync(p->disp, 0, hv);
	if (n && !dispatch_flush(p->disp, DISPATCH_CLOSE_FLUSH_MS))
		TRACE(p->tr, TRACE_WARN, "lineCloseCall: completions not delivered within %u ms",
		      DISPATCH_CLOSE_FLUSH_MS);

	plat_mutex_lock(&p->lock);
	c->closing--;
	call_reap(p, c);
	plat_mutex_unlock(&p->lock);
}
