/* TAPI events: posting (model lock held) and resolution at delivery. */
#include "tsp8/events.h"

#include "base/trace.h"
#include "tsp8/handles.h"

static struct disp_item *item(struct provider *p, enum disp_kind kind, DWORD msg, DWORD_PTR p1,
			      DWORD_PTR p2, DWORD_PTR p3)
{
	struct disp_item *it = dispatch_item_new();
	if (!it) {
		TRACE(p->tr, TRACE_WARN, "out of memory: TAPI message %u lost", (unsigned)msg);
		return NULL;
	}
	it->kind = kind;
	it->msg = msg;
	it->p1 = p1;
	it->p2 = p2;
	it->p3 = p3;
	return it;
}

void ev_line(struct provider *p, struct line *l, DWORD msg, DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3)
{
	if (!l->hd)
		return;
	struct disp_item *it = item(p, DISP_EVENT, msg, p1, p2, p3);
	if (!it)
		return;
	it->line_hd = l->hd;
	it->due_ms = l->ready_ms;
	dispatch_post(p->disp, it);
}

void ev_call(struct provider *p, struct call *c, DWORD msg, DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3)
{
	struct line *l = c->line;
	if (!l->hd || !c->hd || !(c->visible || c->newcall_pending))
		return;
	struct disp_item *it = item(p, DISP_EVENT, msg, p1, p2, p3);
	if (!it)
		return;
	it->line_hd = l->hd;
	it->call_hd = c->hd;
	it->due_ms = l->ready_ms;
	dispatch_post(p->disp, it);
}

void ev_newcall(struct provider *p, struct call *c)
{
	struct line *l = c->line;
	if (!l->hd || !c->hd)
		return;
	struct disp_item *it = item(p, DISP_EVENT, (DWORD)LINE_NEWCALL, 0, 0, 0);
	if (!it)
		return;
	it->line_hd = l->hd;
	it->call_hd = c->hd;
	it->due_ms = l->ready_ms;
	c->newcall_pending = true;
	dispatch_post(p->disp, it);
}

void ev_create_proc(struct provider *p, DWORD msg, DWORD_PTR p1, DWORD_PTR p2)
{
	struct disp_item *it = item(p, DISP_CREATE_PROC, msg, p1, p2, 0);
	if (it)
		dispatch_post(p->disp, it);
}

bool ev_resolve(void *arg, const struct disp_item *it, struct disp_target *t)
{
	struct provider *p = arg;
	bool ok = false;
	plat_mutex_lock(&p->lock);
	if (p->stopping)
		goto out;
	switch (it->kind) {
	case DISP_COMPLETION:
		t->completion = p->completion;
		ok = t->completion != NULL;
		break;
	case DISP_CREATE_PROC:
		t->proc = p->line_create_proc;
		ok = t->proc != NULL;
		break;
	case DISP_EVENT: {
		struct line *l = handles_get(p->handles, it->line_hd, HANDLE_LINE);
		if (!l || l->hd != it->line_hd || !l->proc)
			break;
		t->proc = l->proc;
		t->ht_line = l->ht;
		if (!it->call_hd) {
			ok = true;
			break;
		}
		struct call *c = handles_get(p->handles, it->call_hd, HANDLE_CALL);
		if (!c || c->line != l || c->closed)
			break;
		if (it->msg == (DWORD)LINE_NEWCALL) {
			/* TAPI writes its htCall into the call object during the
			 * callout; the object lives until lineCloseCall/lineClose,
			 * which wait for this delivery (dispatch_sync). */
			t->ht_call = NULL;
			t->p1 = (DWORD_PTR)c->hd;
			t->p2 = (DWORD_PTR)&c->ht;
			t->p3 = 0;
			ok = true;
		} else if (c->visible) {
			t->ht_call = c->ht;
			ok = true;
		}
		break;
	}
	}
out:
	plat_mutex_unlock(&p->lock);
	return ok;
}

void ev_after_newcall(void *arg, const struct disp_item *it)
{
	struct provider *p = arg;
	plat_mutex_lock(&p->lock);
	struct call *c = handles_get(p->handles, it->call_hd, HANDLE_CALL);
	if (c) {
		c->newcall_pending = false;
		if (c->ht) {
			c->visible = true;
		} else {
			/* TAPI did not take the call: it will never close it, so
			 * the handle goes now and the call stays hidden until the
			 * PBX leg ends. */
			TRACE(p->tr, TRACE_WARN, "TAPI refused LINE_NEWCALL for call %#lx on line 0x%08x",
			      (unsigned long)c->hd, c->line->perm_id);
			handles_remove(p->handles, c->hd);
			c->hd = 0;
			c->closed = true;
		}
	}
	plat_mutex_unlock(&p->lock);
}
