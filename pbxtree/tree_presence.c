/* PBX tree: presence lines (MapPresence).  A presence line is in service
 * while the object's presence is "open" (and its master is reachable); the
 * activity "on-the-phone" shows as one virtual call in the CONNECTED state,
 * any other activity as no call.  Virtual calls carry the session ID
 * PBXTREE_SESSION_VIRTUAL and cannot be controlled.  pbx_io thread. */
#include <string.h>

#include "base/trace.h"
#include "pbxtree/strutil.h"
#include "pbxtree/tree_internal.h"

/* Reports the virtual call of l: connected, or gone. */
static void emit(struct pbxtree *t, struct tree_line *l, int handle, bool active)
{
	const struct dir_object *o = l->obj;
	struct pbx_no no = {
		.type = "this",
		.cn = o ? o->cn : "",
		.dn = o ? o->dn : "",
		.e164 = o ? o->e164 : "",
		.h323 = o ? o->h323 : "",
	};
	struct pbx_call c = {
		.call = handle,
		.active = active,
		.state = active ? PBX_CS_CONNECT : PBX_CS_DISC_RECV,
		.msg = active ? "r-conn" : "del",
		.nos = &no,
		.nnos = 1,
	};
	TRACE(t->tr, TRACE_CALL, "presence line 0x%08x: virtual call %d %s", l->id, handle,
	      active ? "connected" : "gone");
	struct pbxtree_call_event ev = { l->id, 0, PBXTREE_SESSION_VIRTUAL, &c };
	if (t->h->call)
		t->h->call(t->arg, &ev);
}

void tree_presence_end(struct pbxtree *t, struct tree_line *l)
{
	if (!l->vcall)
		return;
	int h = l->vcall;
	plat_mutex_lock(&t->lock);
	l->vcall = 0;
	plat_mutex_unlock(&t->lock);
	emit(t, l, h, false);
}

void tree_presence_update(struct pbxtree *t, struct tree_line *l)
{
	const struct dir_object *o = l->obj;
	if (!o)
		return;
	bool link = l->ts && l->ts->up;
	bool up = link && str_casecmp(o->pres_status, "open") == 0;
	bool busy = link && str_casecmp(o->pres_activity, "on-the-phone") == 0;
	if (up != l->in_service) {
		plat_mutex_lock(&t->lock);
		l->in_service = up;
		plat_mutex_unlock(&t->lock);
		if (l->announced) {
			TRACE(t->tr, TRACE_LINE, "presence line 0x%08x %s (presence \"%s\")", l->id,
			      up ? "in service" : "out of service", o->pres_status);
			if (t->h->line_service)
				t->h->line_service(t->arg, l->id, up);
		}
	}
	if (!l->announced)
		return;
	if (busy && !l->vcall) {
		plat_mutex_lock(&t->lock);
		if (++t->vcall_seq <= 0)
			t->vcall_seq = 1;
		l->vcall = t->vcall_seq;
		int h = l->vcall;
		plat_mutex_unlock(&t->lock);
		emit(t, l, h, true);
	} else if (!busy && l->vcall) {
		tree_presence_end(t, l);
	}
}
