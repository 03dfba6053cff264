/* The processing thread: handles every queued event the way tapisrv and an
 * application would (see host.h for the threading rules). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "names.h"

#define HEX_MAX 24
#define FLAGS_MAX 256

static void fmt_handle(char *buf, size_t cap, uintptr_t v)
{
	snprintf(buf, cap, "0x%" PRIxPTR, v);
}

/* True while TSPI functions may be called (between init and shutdown). */
static bool provider_live(const struct host *h)
{
	return h->tspi && h->initialized;
}

static const char *msg_name(DWORD msg, char *buf, size_t cap)
{
	const char *n = names_msg(msg);
	if (n)
		return n;
	snprintf(buf, cap, "LINE_MESSAGE_%lu", (unsigned long)msg);
	return buf;
}

/* Record head shared by line events: name, device, call. */
static void event_head(struct rec *r, const char *name, const struct line *l, char *callhex,
		       HTAPICALL ht)
{
	rec_init(r, name, name);
	if (l)
		rec_int(r, "device", "line", l->device);
	else
		rec_str(r, "device", "line", "?");
	if (ht) {
		fmt_handle(callhex, HEX_MAX, (uintptr_t)ht);
		rec_str(r, "call", "call", callhex);
	}
}

static void add_details(struct rec *r, const struct call_details *d, char *features)
{
	if (d->have_info) {
		rec_str(r, "caller", "caller", d->caller);
		if (d->caller_name[0])
			rec_qstr(r, "caller_name", "caller_name", d->caller_name);
		rec_str(r, "called", "called", d->called);
		if (d->called_name[0])
			rec_qstr(r, "called_name", "called_name", d->called_name);
		if (d->connected[0])
			rec_str(r, "connected", "connected", d->connected);
		if (d->connected_name[0])
			rec_qstr(r, "connected_name", "connected_name", d->connected_name);
		rec_int(r, "callid", "callid", d->callid);
	}
	if (d->have_status) {
		names_flags(features, FLAGS_MAX, d->features, names_callfeature);
		rec_str(r, "features", "features", features);
	}
}

/* Common checks for messages about an existing call; returns the call or
 * NULL (after reporting). */
static struct call *call_for_event(struct host *h, const char *name, HTAPICALL ht, DWORD msg)
{
	struct call *c = calls_find(h, ht);
	if (!c) {
		out_violation(h->out, "%s for unknown htCall 0x%" PRIxPTR, name, (uintptr_t)ht);
		return NULL;
	}
	if (c->pending_make)
		out_violation(h->out, "%s for call 0x%" PRIxPTR " before its lineMakeCall completed",
			      name, (uintptr_t)ht);
	if (c->announced && msg != (DWORD)LINE_CALLSTATE)
		out_violation(h->out, "%s for call 0x%" PRIxPTR
			      " before the LINE_CALLSTATE that must follow LINE_NEWCALL",
			      name, (uintptr_t)ht);
	if (c->state == LINECALLSTATE_IDLE)
		out_violation(h->out, "%s for call 0x%" PRIxPTR " after IDLE", name, (uintptr_t)ht);
	return c;
}

static void on_newcall(struct host *h, const struct ev *e, struct line *l)
{
	char callhex[HEX_MAX];
	struct rec r;
	event_head(&r, "LINE_NEWCALL", l, callhex, e->new_htcall);
	if (e->htCall)
		out_violation(h->out, "LINE_NEWCALL with htCall set");
	if (!e->p1)
		out_violation(h->out, "LINE_NEWCALL with a NULL hdCall");
	if (!e->new_htcall) {
		rec_str(&r, "refused", "refused", "yes");
		out_rec(h->out, &r);
		return;
	}
	out_rec(h->out, &r);
	struct call *c = calls_add(h, e->new_htcall, (HDRVCALL)e->p1, l->device);
	if (c)
		c->announced = true;
}

static void on_callstate(struct host *h, const struct ev *e, struct line *l)
{
	char callhex[HEX_MAX], modes[FLAGS_MAX], media[FLAGS_MAX], features[FLAGS_MAX];
	char conf[HEX_MAX];
	struct call_details d;
	struct call *c = call_for_event(h, "LINE_CALLSTATE", e->htCall, e->msg);
	DWORD state = (DWORD)e->p1;
	const char *sname = names_lookup(names_callstate, state);
	if (!sname)
		out_violation(h->out, "LINE_CALLSTATE with invalid state 0x%lx", (unsigned long)state);
	struct rec r;
	event_head(&r, "LINE_CALLSTATE", l, callhex, e->htCall);
	rec_str(&r, "state", NULL, sname ? sname : "INVALID");
	const struct flag_name *mt = names_callstate_modes(state);
	if (mt && e->p2) {
		rec_str(&r, "mode", "mode", names_flags(modes, sizeof modes, (DWORD)e->p2, mt));
	} else if (state == LINECALLSTATE_CONFERENCED) {
		fmt_handle(conf, sizeof conf, (uintptr_t)e->p2);
		rec_str(&r, "conference", "conference", conf);
		struct call *parent = calls_find(h, (HTAPICALL)e->p2);
		if (!parent || parent->closed)
			out_violation(h->out, "CONFERENCED names unknown conference call %s", conf);
	}
	if (e->p3)
		rec_str(&r, "media", "media",
			names_flags(media, sizeof media, (DWORD)e->p3, names_mediamode));
	memset(&d, 0, sizeof d);
	if (c && !c->closed) {
		c->announced = false;
		c->state = state;
		if (provider_live(h))
			callinfo_fetch(h, c, &d);
	}
	add_details(&r, &d, features);
	out_rec(h->out, &r);
	/* An application deallocates its handle once the call is IDLE. */
	if (c && !c->closed && state == LINECALLSTATE_IDLE && provider_live(h))
		calls_close(h, c);
}

static void on_callinfo(struct host *h, const struct ev *e, struct line *l)
{
	char callhex[HEX_MAX], states[FLAGS_MAX], features[FLAGS_MAX];
	struct call_details d;
	struct call *c = call_for_event(h, "LINE_CALLINFO", e->htCall, e->msg);
	struct rec r;
	event_head(&r, "LINE_CALLINFO", l, callhex, e->htCall);
	rec_str(&r, "states", NULL,
		names_flags(states, sizeof states, (DWORD)e->p1, names_callinfostate));
	memset(&d, 0, sizeof d);
	if (c && !c->closed && provider_live(h))
		callinfo_fetch(h, c, &d);
	add_details(&r, &d, features);
	out_rec(h->out, &r);
}

static void on_create(struct host *h, const struct ev *e)
{
	char temp[HEX_MAX];
	if (e->htLine || e->htCall)
		out_violation(h->out, "LINE_CREATE with htLine/htCall set");
	if ((HPROVIDER)e->p1 != h->hprov)
		out_violation(h->out, "LINE_CREATE dwParam1 0x%" PRIxPTR " is not our hProvider",
			      (uintptr_t)e->p1);
	fmt_handle(temp, sizeof temp, (uintptr_t)e->p2);
	struct rec r;
	rec_init(&r, "LINE_CREATE", "LINE_CREATE");
	rec_str(&r, "temp", "temp", temp);
	if (h->stopping || !provider_live(h)) {
		rec_str(&r, "ignored", "ignored", "shutdown");
		out_rec(h->out, &r);
		return;
	}
	if (!h->tspi->providerCreateLineDevice) {
		out_rec(h->out, &r);
		out_violation(h->out, "LINE_CREATE but TSPI_providerCreateLineDevice is not exported");
		return;
	}
	DWORD device = h->next_dynamic_device++;
	rec_int(&r, "device", "device", device);
	out_rec(h->out, &r);
	LONG rc = h->tspi->providerCreateLineDevice(e->p2, device);
	if (rc != 0) {
		const char *n = names_lineerr_of(rc);
		out_violation(h->out, "TSPI_providerCreateLineDevice(%s, %lu) failed with %s", temp,
			      (unsigned long)device, n ? n : "an unknown code");
		return;
	}
	host_line_add(h, device);
}

static void on_remove(struct host *h, const struct ev *e)
{
	DWORD device = (DWORD)e->p1;
	if (e->htLine || e->htCall)
		out_violation(h->out, "LINE_REMOVE with htLine/htCall set");
	struct line *l = host_line_by_device(h, device);
	struct rec r;
	rec_init(&r, "LINE_REMOVE", "LINE_REMOVE");
	rec_int(&r, "device", "line", device);
	out_rec(h->out, &r);
	if (!l || l->gone) {
		out_violation(h->out, "LINE_REMOVE for unknown device %lu", (unsigned long)device);
		return;
	}
	if (provider_live(h))
		host_line_close(h, l);
	l->gone = true;
}

static void on_line_generic(struct host *h, const struct ev *e, struct line *l, const char *name)
{
	char callhex[HEX_MAX], a[FLAGS_MAX], b[FLAGS_MAX], c[HEX_MAX];
	struct rec r;
	event_head(&r, name, l, callhex, e->htCall);
	switch (e->msg) {
	case LINE_LINEDEVSTATE:
		rec_str(&r, "states", NULL, names_flags(a, sizeof a, (DWORD)e->p1, names_devstate));
		if (e->p1 & LINEDEVSTATE_RINGING) {
			rec_int(&r, "ring_mode", "ring_mode", (int64_t)e->p2);
			rec_int(&r, "ring_count", "ring_count", (int64_t)e->p3);
		}
		break;
	case LINE_ADDRESSSTATE:
		rec_int(&r, "address_id", "address", (int64_t)e->p1);
		rec_str(&r, "states", NULL, names_flags(a, sizeof a, (DWORD)e->p2, names_addrstate));
		break;
	case LINE_GENERATE: {
		const char *t = names_lookup(names_generateterm, (DWORD)e->p1);
		rec_str(&r, "term", NULL, t ? t : "INVALID");
		rec_int(&r, "end_to_end_id", "id", (int64_t)e->p2);
		break;
	}
	default:
		fmt_handle(a, HEX_MAX, (uintptr_t)e->p1);
		fmt_handle(b, HEX_MAX, (uintptr_t)e->p2);
		fmt_handle(c, HEX_MAX, (uintptr_t)e->p3);
		rec_str(&r, "p1", "p1", a);
		rec_str(&r, "p2", "p2", b);
		rec_str(&r, "p3", "p3", c);
		break;
	}
	out_rec(h->out, &r);
	if (e->msg == LINE_CLOSE && l) {
		/* The provider asks TAPI to close the line: TAPI does so. */
		if (provider_live(h))
			host_line_close(h, l);
		l->gone = true;
	}
}

static void on_line_message(struct host *h, const struct ev *e)
{
	char nbuf[32];
	const char *name = msg_name(e->msg, nbuf, sizeof nbuf);
	if (e->msg == LINE_CREATE) {
		on_create(h, e);
		return;
	}
	if (e->msg == LINE_REMOVE) {
		on_remove(h, e);
		return;
	}
	if (e->kind == EV_CREATE)
		out_violation(h->out, "%s sent through the line-create proc", name);
	struct line *l = host_line_by_ht(h, e->htLine);
	if (!l)
		out_violation(h->out, "%s for unknown htLine 0x%" PRIxPTR, name, (uintptr_t)e->htLine);
	else if (l->closed)
		out_violation(h->out, "%s for line %lu after TSPI_lineClose returned", name,
			      (unsigned long)l->device);
	if (e->msg == LINE_REPLY)
		out_violation(h->out, "the TSP sent LINE_REPLY (TAPI makes it from completions)");
	if (e->msg == (DWORD)LINE_NEWCALL && l && !l->closed) {
		on_newcall(h, e, l);
		return;
	}
	if (e->msg == LINE_CALLSTATE) {
		on_callstate(h, e, l);
		return;
	}
	if (e->msg == LINE_CALLINFO) {
		on_callinfo(h, e, l);
		return;
	}
	if (e->htCall && e->msg != (DWORD)LINE_NEWCALL)
		call_for_event(h, name, e->htCall, e->msg);
	on_line_generic(h, e, l, name);
}

static void on_check(struct host *h, const struct ev *e)
{
	if (e->htCall) {
		requests_check_closed(h, e->htCall);
		calls_forget(h, e->htCall);
	}
	if (e->htLine) {
		struct line *l = host_line_by_ht(h, e->htLine);
		if (l && l->closing) {
			l->closing = false;
			l->closed = true;
		}
	}
}

static void on_phone(struct host *h, const struct ev *e)
{
	char a[HEX_MAX], b[HEX_MAX];
	struct rec r;
	rec_init(&r, "PHONE_EVENT", "PHONE_EVENT");
	rec_int(&r, "message", "message", e->msg);
	fmt_handle(a, sizeof a, (uintptr_t)e->p1);
	fmt_handle(b, sizeof b, (uintptr_t)e->p2);
	rec_str(&r, "p1", "p1", a);
	rec_str(&r, "p2", "p2", b);
	out_rec(h->out, &r);
}

bool dispatch_event(struct host *h, struct ev *e)
{
	switch (e->kind) {
	case EV_STOP:
		return false;
	case EV_VIOLATION:
		out_violation(h->out, "%s", e->what);
		break;
	case EV_COMMAND:
		if (e->cmd.kind == CMD_NONE)
			host_reply_error(h, "", e->what);
		else
			commands_run(h, &e->cmd);
		break;
	case EV_CHECK:
		on_check(h, e);
		break;
	case EV_COMPLETION:
		requests_completed(h, e->request, e->result);
		break;
	case EV_PHONE:
		on_phone(h, e);
		break;
	case EV_LINE:
	case EV_CREATE:
		on_line_message(h, e);
		break;
	}
	return true;
}

void dispatch_drain(struct host *h)
{
	struct ev *e;
	while ((e = evq_pop(h->q, 0)) != NULL) {
		/* A stop marker cannot be queued while the main thread drains. */
		dispatch_event(h, e);
		free(e);
	}
}

void dispatch_thread(void *arg)
{
	struct host *h = arg;
	for (;;) {
		struct ev *e = evq_pop(h->q, 0);
		if (!e) {
			/* queue empty: what was printed goes out now */
			out_hold(h->out, false);
			e = evq_pop(h->q, 1000);
			if (!e)
				continue;
			out_hold(h->out, true);
		}
		bool more = dispatch_event(h, e);
		free(e);
		if (!more) {
			out_hold(h->out, false);
			return;
		}
	}
}
