/* Calls: PBX legs -> TAPI calls and their events (see call.h).  Every
 * function here runs with the model lock held unless it says otherwise. */
#include "tsp8/call.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/strutil.h"
#include "tsp8/callstate.h"
#include "tsp8/call_internal.h"
#include "tsp8/events.h"
#include "tsp8/handles.h"
#include "tsp8/legcopy.h"
#include "tsp8/line.h"
#include "tsp8/linequeue.h"
#include "tsp8/request.h"

DWORD call_id_from_conf(const char *conf)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *s = (const unsigned char *)(conf ? conf : ""); *s; s++)
		h = (h ^ *s) * 16777619u;
	return h ? h : 1;
}

static void party_free(struct party *pt)
{
	free(pt->number);
	free(pt->name);
	pt->number = pt->name = NULL;
}

void call_free(struct call *c)
{
	if (!c)
		return;
	party_free(&c->caller);
	party_free(&c->called);
	party_free(&c->connected);
	legbuf_free(c->buffered);
	free(c);
}

void legbuf_free(struct legbuf *b)
{
	while (b) {
		struct legbuf *n = b->next;
		free(b->c);
		free(b);
		b = n;
	}
}

struct call *call_by_handle(struct provider *p, HDRVCALL hd)
{
	uintptr_t hv = (uintptr_t)hd;
	struct call *c = handles_get(p->handles, hv, HANDLE_CALL);
	return (c && c->hd == hv) ? c : NULL;
}

struct call *call_new(struct line *l)
{
	struct call *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->line = l;
	c->reason = LINECALLREASON_DIRECT;
	c->origin = LINECALLORIGIN_UNKNOWN;
	c->next = l->calls;
	l->calls = c;
	return c;
}

static void unlink_call(struct call *c)
{
	for (struct call **pp = &c->line->calls; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			return;
		}
	}
}

bool call_reap(struct provider *p, struct call *c)
{
	(void)p;
	if (c->hd || c->newcall_pending || c->makecall_pending || c->closing)
		return false;
	if (c->pbx_call && !c->pbx_gone)
		return false;   /* the leg still exists: keep it hidden */
	unlink_call(c);
	call_free(c);
	return true;
}

/* ---- CallInfo -> call fields ------------------------------------------- */

static bool leg_gone(const struct pbx_call *leg)
{
	return !leg->active || (leg->msg && strcmp(leg->msg, "del") == 0);
}

static int leg_cause(const struct pbx_call *leg)
{
	const struct pbx_info *i = pbx_call_info(leg, "cause");
	if (!i)
		return -1;
	if (i->vali)
		return i->vali;
	int v = 0;
	const char *s = i->vals ? i->vals : "";
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static const char *no_number(const struct pbx_no *n)
{
	if (!n)
		return "";
	return (n->e164 && n->e164[0]) ? n->e164 : (n->h323 ? n->h323 : "");
}

static const char *no_name(const struct pbx_no *n)
{
	if (!n)
		return "";
	return (n->dn && n->dn[0]) ? n->dn : (n->cn ? n->cn : "");
}

/* Updates pt; returns true when it changed. */
static bool set_party(struct party *pt, const struct pbx_no *n, bool *oom)
{
	bool changed = false;
	if (str_assign(&pt->number, no_number(n), &changed) || str_assign(&pt->name, no_name(n), &changed))
		*oom = true;
	return changed;
}

/* Applies a CallInfo.  quiet: the call is being created, nothing is posted
 * (LINE_NEWCALL follows, and TAPI reads the details itself). */
void call_apply(struct provider *p, struct call *c, const struct pbx_call *leg, bool quiet)
{
	if (c->state == LINECALLSTATE_IDLE)
		return;  /* IDLE is final */
	bool gone = leg_gone(leg);
	const struct pbx_no *me = pbx_call_no(leg, "this");
	const struct pbx_no *peer = pbx_call_no(leg, "peer");
	bool has_number = peer && (no_number(peer)[0] || (peer->cn && peer->cn[0]));
	DWORD state, mode;
	callstate_map(leg->state, !gone, leg->msg, leg_cause(leg), has_number, &state, &mode);

	DWORD bits = 0;
	bool oom = false;
	if (!gone) {
		const struct pbx_no *caller = c->inbound ? peer : me;
		const struct pbx_no *called = c->inbound ? me : peer;
		if (set_party(&c->caller, caller, &oom))
			bits |= LINECALLINFOSTATE_CALLERID;
		if (set_party(&c->called, called, &oom))
			bits |= LINECALLINFOSTATE_CALLEDID;
		if ((state == LINECALLSTATE_CONNECTED || state == LINECALLSTATE_ONHOLD) &&
		    set_party(&c->connected, peer, &oom))
			bits |= LINECALLINFOSTATE_CONNECTEDID;
		DWORD origin;
		if (!c->inbound)
			origin = LINECALLORIGIN_OUTBOUND;
		else if (peer && peer->cn && peer->cn[0])
			origin = LINECALLORIGIN_INTERNAL;
		else if (peer && no_number(peer)[0])
			origin = LINECALLORIGIN_EXTERNAL;
		else
			origin = LINECALLORIGIN_UNKNOWN;
		if (origin != c->origin) {
			c->origin = origin;
			bits |= LINECALLINFOSTATE_ORIGIN;
		}
		DWORD reason = ((leg->state & PBX_CS_PHASE_MASK) == PBX_CS_PARKED) ? LINECALLREASON_PARKED
										  : LINECALLREASON_DIRECT;
		if (reason != c->reason) {
			c->reason = reason;
			bits |= LINECALLINFOSTATE_REASON;
		}
		const struct pbx_info *conf = pbx_call_info(leg, "conf");
		if (conf && conf->vals && conf->vals[0]) {
			DWORD id = call_id_from_conf(conf->vals);
			if (id != c->call_id) {
				c->call_id = id;
				bits |= LINECALLINFOSTATE_CALLID;
			}
		}
	}
	if (oom)
		TRACE(p->tr, TRACE_WARN, "out of memory: party data of call %d incomplete", c->pbx_call);
	if (!c->call_id)
		c->call_id = call_id_from_conf("");

	bool state_changed = state != c->state || mode != c->mode;
	TRACE(p->tr, TRACE_CALL, "line 0x%08x call %d (hd %#lx): PBX state 0x%x %s -> TAPI state %#x mode %#x%s",
	      c->line->perm_id, c->pbx_call, (unsigned long)c->hd, (unsigned)leg->state, leg->msg,
	      (unsigned)state, (unsigned)mode, state_changed ? "" : " (unchanged)");
	if (state_changed) {
		c->state = state;
		c->mode = mode;
		c->state_wall_ms = plat_wallclock_ms();
	}
	if (!quiet) {
		if (bits && state != LINECALLSTATE_IDLE)
			ev_call(p, c, LINE_CALLINFO, bits, 0, 0);
		if (state_changed)
			ev_call(p, c, LINE_CALLSTATE, state, mode, LINEMEDIAMODE_INTERACTIVEVOICE);
	}
	if (state == LINECALLSTATE_IDLE)
		c->pbx_gone = true;
}

/* Gives c a handle and tells TAPI: LINE_NEWCALL, then its state. */
static void announce(struct provider *p, struct call *c)
{
	struct line *l = c->line;
	if (!l->hd || c->hd || c->state == LINECALLSTATE_IDLE)
		return;
	uintptr_t hv = handles_add(p->handles, HANDLE_CALL, c);
	if (!hv) {
		TRACE(p->tr, TRACE_WARN, "no handle for call %d on line 0x%08x: not reported", c->pbx_call,
		      l->perm_id);
		return;
	}
	c->hd = hv;
	c->closed = false;
	TRACE(p->tr, TRACE_CALL, "LINE_NEWCALL line 0x%08x call %d hd %#lx", l->perm_id, c->pbx_call,
	      (unsigned long)hv);
	ev_newcall(p, c);
	ev_call(p, c, LINE_CALLSTATE, c->state, c->mode, LINEMEDIAMODE_INTERACTIVEVOICE);
}

static struct call *find_leg(struct line *l, unsigned session_id, int pbx_call)
{
	for (struct call *c = l->calls; c; c = c->next)
		if (c->pbx_call == pbx_call && c->session_id == session_id && !c->pbx_gone)
			return c;
	return NULL;
}

static struct call *find_pending_make(struct line *l)
{
	for (struct call *c = l->calls; c; c = c->next)
		if (c->makecall_pending && !c->pbx_call)
			return c;
	return NULL;
}

void call_handle_leg(struct provider *p, uint32_t line_id, unsigned pbx_id, unsigned session_id,
		     const struct pbx_call *leg)
{
	struct line *l = line_by_perm(p, line_id);
	if (!l || !leg->call)
		return;
	struct call *c = find_leg(l, session_id, leg->call);
	if (c) {
		call_apply(p, c, leg, false);
		call_reap(p, c);
		return;
	}
	if (leg_gone(leg))
		return;
	struct call *pending = find_pending_make(l);
	if (pending) {
		/* may be the leg of the pending lineMakeCall: keep it until the
		 * UserCall answer names the leg */
		struct legbuf *b = calloc(1, sizeof(*b));
		struct pbx_call *copy = b ? legcopy(leg) : NULL;
		if (!b || !copy) {
			free(b);
			TRACE(p->tr, TRACE_WARN, "out of memory: CallInfo of call %d lost", leg->call);
			return;
		}
		b->c = copy;
		b->pbx_id = pbx_id;
		b->session_id = session_id;
		struct legbuf **pp = &pending->buffered;
		while (*pp)
			pp = &(*pp)->next;
		*pp = b;
		TRACE(p->tr, TRACE_CALL, "line 0x%08x: CallInfo of call %d held until UserCall answers",
		      l->perm_id, leg->call);
		return;
	}
	c = call_new(l);
	if (!c) {
		TRACE(p->tr, TRACE_WARN, "out of memory: call %d on line 0x%08x not reported", leg->call,
		      l->perm_id);
		return;
	}
	c->pbx_id = pbx_id;
	c->session_id = session_id;
	c->pbx_call = leg->call;
	c->inbound = callstate_inbound(leg->state);
	call_apply(p, c, leg, true);
	announce(p, c);
}

/* A CallInfo waiting on its line's queue. */
struct leg_item {
	uint32_t line_id;
	unsigned pbx_id, session_id;
	struct pbx_call *leg;      /* legcopy */
};

static void leg_drop(void *arg)
{
	struct leg_item *x = arg;
	free(x->leg);
	free(x);
}

/* Line queue. */
static void leg_run(struct provider *p, void *arg)
{
	struct leg_item *x = arg;
	plat_mutex_lock(&p->lock);
	/* an epoch that ended meanwhile: its calls are over already */
	if (!p->stopping && !lq_epoch_ended(p, x->session_id))
		call_handle_leg(p, x->line_id, x->pbx_id, x->session_id, x->leg);
	plat_mutex_unlock(&p->lock);
	leg_drop(x);
}

void call_on_event(struct provider *p, const struct pbxtree_call_event *ev)
{
	if (!ev || !ev->call)
		return;
	struct leg_item *x = malloc(sizeof(*x));
	struct pbx_call *copy = x ? legcopy(ev->call) : NULL;
	if (!copy) {
		free(x);
		TRACE(p->tr, TRACE_WARN, "out of memory: CallInfo of call %d on line 0x%08x lost", ev->call->call,
		      ev->line_id);
		return;
	}
	*x = (struct leg_item){ ev->line_id, ev->pbx_id, ev->session_id, copy };
	if (lq_post_line(p, ev->line_id, leg_run, leg_drop, x) != TSP8_OK)
		TRACE(p->tr, TRACE_CALL, "CallInfo of call %d for line 0x%08x dropped (no such line)",
		      ev->call->call, ev->line_id);
}

void call_end(struct provider *p, struct call *c)
{
	if (c->state != LINECALLSTATE_IDLE) {
		c->state = LINECALLSTATE_IDLE;
		c->mode = 0;
		c->state_wall_ms = plat_wallclock_ms();
		ev_call(p, c, LINE_CALLSTATE, LINECALLSTATE_IDLE, 0, LINEMEDIAMODE_INTERACTIVEVOICE);
	}
	c->pbx_gone = true;
}

/* PBX link queue: every call of the ended epoch is over. */
static void reset_run(struct provider *p, void *arg)
{
	unsigned epoch = (unsigned)(uintptr_t)arg;
	size_t n = 0;
	plat_mutex_lock(&p->lock);
	for (struct line *l = p->lines; l && !p->stopping; l = l->next) {
		struct call *c = l->calls;
		while (c) {
			struct call *next = c->next;
			if (c->session_id == epoch && c->pbx_call && !c->pbx_gone) {
				call_end(p, c);
				call_reap(p, c);
				n++;
			}
			c = next;
		}
	}
	plat_mutex_unlock(&p->lock);
	TRACE(p->tr, TRACE_CALL, "PBX session %u over: %lu calls ended", epoch, (unsigned long)n);
}

void call_on_reset(struct provider *p, unsigned pbx_id, unsigned session_id)
{
	plat_mutex_lock(&p->lock);
	lq_epoch_end(p, session_id);
	plat_mutex_unlock(&p->lock);
	if (lq_post_pbx(p, pbx_id, reset_run, NULL, (void *)(uintptr_t)session_id) != TSP8_OK)
		reset_run(p, (void *)(uintptr_t)session_id);
}

void call_end_not_on(struct provider *p, struct line *l, unsigned pbx_id)
{
	struct call *c = l->calls;
	while (c) {
		struct call *next = c->next;
		if (c->pbx_call && !c->pbx_gone && c->pbx_id != pbx_id &&
		    c->session_id != PBXTREE_SESSION_VIRTUAL) {
			call_end(p, c);
			call_reap(p, c);
		}
		c = next;
	}
}

void call_line_gone(struct provider *p, struct line *l)
{
	struct call *c = l->calls;
	while (c) {
		struct call *n = c->next;
		if (!c->makecall_pending)
			call_end(p, c);
		call_reap(p, c);
		c = n;
	}
}

void call_report_existing(struct provider *p, struct line *l)
{
	for (struct call *c = l->calls; c; c = c->next)
		if (!c->pbx_gone && c->pbx_call && !c->hd && !c->closing)
			announce(p, c);
}

void call_detach_line(struct provider *p, struct line *l)
{
	for (struct call *c = l->calls; c; c = c->next) {
		if (c->hd) {
			requests_fail_call(p->reqs, c->hd);
			handles_remove(p->handles, c->hd);
			c->hd = 0;
		}
		c->ht = NULL;
		c->visible = false;
		c->newcall_pending = false;
		c->closed = false;
		/* a pending lineMakeCall is TAPI's: its answer is ignored now */
		c->makecall_pending = false;
		legbuf_free(c->buffered);
		c->buffered = NULL;
		c->closing++;
	}
}

void call_after_detach(struct provider *p, struct line *l)
{
	struct call *c = l->calls;
	while (c) {
		struct call *n = c->next;
		if (c->closing)
			c->closing--;
		call_reap(p, c);
		c = n;
	}
}
