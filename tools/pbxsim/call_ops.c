/* pbxsim call operations: transfer, redirect, pickup, park and friends. */
#include "call_ops.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "session.h"
#include "simlog.h"
#include "tree.h"

static unsigned phase_state(const struct sim_leg *l, unsigned phase)
{
	return (l->state & CS_OUT) | phase;
}

static void add_extra(struct sim_leg *l, const struct sim_no *no)
{
	for (size_t i = 0; i < l->nextra; i++)
		if (strcmp(l->extra[i].type, no->type) == 0) {
			l->extra[i] = *no;
			return;
		}
	if (l->nextra < SIM_LEG_EXTRA)
		l->extra[l->nextra++] = *no;
}

int ops_transfer(struct sim_pbx *pbx, int a, int b)
{
	int ia, ib;
	struct sim_call *ca = calls_by_leg(pbx, a, &ia), *cb = calls_by_leg(pbx, b, &ib);
	struct sim_object *user;
	struct sim_no xa, xb, ct;
	struct leg_report_opts oa = { 0 }, ob = { 0 };
	struct sim_leg moved;
	unsigned mph;

	if (!ca || !cb || ca == cb || ca->leg[ia].obj != cb->leg[ib].obj ||
	    !ca->leg[1 - ia].used || !cb->leg[1 - ib].used)
		return TSP8_ESTATE;
	user = ca->leg[ia].obj;
	/* xfer No: where the call went, for handles that asked for it. */
	calls_peer_no(cb, ib, &xa);
	sim_strlcpy(xa.type, "xfer", sizeof(xa.type));
	calls_peer_no(ca, ia, &xb);
	sim_strlcpy(xb.type, "xfer", sizeof(xb.type));
	oa.xfer = &xa;
	ob.xfer = &xb;
	sim_log(pbx->sim, "%s: '%s' transfers call %d to call %d", pbx->name, user->cn, ca->id,
		cb->id);
	ca->cause = cb->cause = CAUSE_NORMAL;
	calls_set(ca, ia, phase_state(&ca->leg[ia], CS_DISC_RECV), "r-rel", &oa);
	calls_set(cb, ib, phase_state(&cb->leg[ib], CS_DISC_RECV), "r-rel", &ob);
	calls_leg_gone(ca, ia);
	calls_leg_gone(cb, ib);
	/* The peer of b joins call a in the slot the user left. */
	moved = cb->leg[1 - ib];
	memset(&cb->leg[1 - ib], 0, sizeof(cb->leg[0]));
	cb->park_obj = NULL;
	calls_unlink(cb);
	ca->leg[ia] = moved;
	ca->leg[0].peer_set = ca->leg[1].peer_set = false;
	ca->cause = 0;
	record_no_object(&ct, "ct", user);
	add_extra(&ca->leg[0], &ct);
	add_extra(&ca->leg[1], &ct);
	mph = moved.state & CS_PHASE;
	if ((moved.state & CS_OUT) && mph >= CS_SETUP && mph <= CS_ALERT) {
		calls_set(ca, 1 - ia, phase_state(&ca->leg[1 - ia], CS_ALERT), "x-alert", NULL);
		calls_set(ca, ia, ca->leg[ia].state & ~(CS_HOLD | CS_HELD), "x-facility", NULL);
	} else {
		calls_set(ca, 1 - ia, phase_state(&ca->leg[1 - ia], CS_CONN), "x-facility", NULL);
		calls_set(ca, ia, phase_state(&ca->leg[ia], CS_CONN), "x-facility", NULL);
	}
	return TSP8_OK;
}

/* Destination of redirect/message: cn, else e164 (external through the
 * trunk), else h323.  NULL when nothing matches. */
static struct sim_object *destination(struct sim_pbx *pbx, const char *cn, const char *e164,
				      const char *h323, char *ext, size_t extlen)
{
	struct sim_object *o;

	ext[0] = '\0';
	if (cn && *cn)
		return model_find_cn(pbx, cn);
	if (e164 && *e164) {
		o = model_find_e164(pbx, e164);
		if (o)
			return o;
		sim_strlcpy(ext, e164, extlen);
		return model_trunk(pbx);
	}
	if (h323 && *h323)
		return model_find_h323(pbx, h323);
	return NULL;
}

bool ops_redirect(struct sim_pbx *pbx, int call, const char *cn, const char *e164,
		  const char *h323, bool honour_fwd)
{
	int i;
	struct sim_call *c = calls_by_leg(pbx, call, &i);
	struct sim_object *to, *diverting, *fwd = NULL;
	char ext[SIM_NUM];

	if (!c || calls_ringing_leg(c) != i || !c->leg[1 - i].used)
		return false;
	to = destination(pbx, cn, e164, h323, ext, sizeof(ext));
	if (!to)
		return false;
	if (honour_fwd && !ext[0])
		to = calls_forward_target(pbx, to, &fwd, ext, sizeof(ext));
	diverting = c->leg[i].obj;
	sim_log(pbx->sim, "%s: call %d %s from '%s'", pbx->name, c->id,
		honour_fwd ? "rerouted" : "redirected", diverting->cn);
	c->cause = 0;
	calls_set(c, i, phase_state(&c->leg[i], CS_DISC_SENT), "x-rel", NULL);
	calls_leg_gone(c, i);
	calls_offer(c, i, to, ext, diverting);
	return true;
}

/* Ringing leg of a call for a pickup; -1 when the call is not ringing. */
static struct sim_call *find_ringing(struct sim_pbx *pbx, const struct sim_object *picker,
				     const struct sim_object *at, const char *group, int *idx)
{
	for (struct sim_call *c = pbx->tree->calls; c; c = c->next) {
		int i = calls_ringing_leg(c);
		const struct sim_object *o;

		if (i < 0)
			continue;
		o = c->leg[i].obj;
		if (o == picker)
			continue;
		if (at && o != at)
			continue;
		if (group && *group && !model_group_of(o, group))
			continue;
		if (!at && !(group && *group)) {
			bool shared = false;

			for (size_t g = 0; g < picker->ngroups && !shared; g++)
				shared = model_group_of(o, picker->groups[g].name) != NULL;
			if (!shared)
				continue;
		}
		*idx = i;
		return c;
	}
	return NULL;
}

/* The picker's new leg in slot idx, connected at once. */
static int connect_picker(struct sim_call *c, int idx, struct sim_object *picker,
			  const char *hw, const struct sim_object *from)
{
	struct sim_leg *n = calls_new_leg(c, idx, picker, hw);
	struct sim_no no;

	record_no_object(&no, "picking", NULL);
	add_extra(n, &no);
	if (from) {
		record_no_object(&no, "ct", from);
		add_extra(n, &no);
	}
	calls_set(c, idx, CS_OUT | CS_CONN, "r-conn", NULL);
	calls_set(c, 1 - idx, phase_state(&c->leg[1 - idx], CS_CONN), "x-conn", NULL);
	return n->handle;
}

int ops_pickup(struct sim_pbx *pbx, struct sim_object *picker, const char *hw,
	       const char *cn, int call, const char *group)
{
	struct sim_call *c = NULL;
	struct sim_object *from;
	int i = -1;

	if (!picker)
		return 0;
	if (call > 0) {
		c = calls_by_leg(pbx, call, &i);
		if (c && c->park_obj) {
			/* Unpark: the parked leg stays, the picker takes the
			 * empty slot. */
			sim_log(pbx->sim, "%s: '%s' unparks call %d from '%s'", pbx->name,
				picker->cn, c->id, c->park_obj->cn);
			c->park_obj = NULL;
			return connect_picker(c, 1 - i, picker, hw, NULL);
		}
		if (c)
			i = calls_ringing_leg(c);
		if (!c || i < 0)
			return 0;
	} else if (cn && *cn) {
		struct sim_object *at = model_find_cn(pbx, cn);

		if (!at)
			return 0;
		c = find_ringing(pbx, picker, at, NULL, &i);
	} else {
		c = find_ringing(pbx, picker, NULL, group, &i);
	}
	if (!c || !c->leg[1 - i].used)
		return 0;
	from = c->leg[i].obj;
	sim_log(pbx->sim, "%s: '%s' picks call %d from '%s'", pbx->name, picker->cn, c->id,
		from->cn);
	c->cause = CAUSE_NONSELECTED;
	calls_set(c, i, phase_state(&c->leg[i], CS_DISC_SENT), "x-rel", NULL);
	calls_leg_gone(c, i);
	c->cause = 0;
	return connect_picker(c, i, picker, hw, from);
}

int ops_park(struct sim_pbx *pbx, int call, const char *cn, int position)
{
	int i;
	struct sim_call *c = calls_by_leg(pbx, call, &i);
	struct sim_object *at = model_find_cn(pbx, cn);
	struct sim_leg *p;
	struct sim_no parked_to;
	struct leg_report_opts opt = { 0 };

	if (!c || !at || !c->leg[1 - i].used || (c->leg[i].state & CS_PHASE) != CS_CONN)
		return 0;
	if (position < 0) {
		position = 1;
		for (struct sim_call *o = pbx->tree->calls; o; o = o->next)
			if (o->park_obj == at && o->park_pos >= position)
				position = o->park_pos + 1;
	} else {
		for (struct sim_call *o = pbx->tree->calls; o; o = o->next)
			if (o->park_obj == at && o->park_pos == position)
				return 0;
	}
	sim_log(pbx->sim, "%s: call %d parked at '%s' position %d", pbx->name, c->id, at->cn,
		position);
	record_no_object(&parked_to, "parked-to", at);
	opt.no = &parked_to;
	c->cause = 0;
	calls_set(c, i, phase_state(&c->leg[i], CS_DISC_RECV), "r-rel", &opt);
	c->park_obj = at;
	c->park_pos = position;
	calls_leg_gone(c, i);
	p = &c->leg[1 - i];
	calls_set(c, 1 - i, phase_state(p, CS_PARKED), "x-facility", NULL);
	return p->handle;
}

int ops_ct_complete(struct sim_pbx *pbx, int call, const char *e164, const char *h323)
{
	int i;
	struct sim_call *c = calls_by_leg(pbx, call, &i);
	struct sim_object *o;
	struct sim_leg *l;

	if (!c)
		return TSP8_ENOTFOUND;
	l = &c->leg[i];
	o = model_find_e164(pbx, e164);
	if (!o)
		o = model_find_h323(pbx, h323);
	record_no_object(&l->peer, "peer", o);
	if (!o) {
		sim_strlcpy(l->peer.e164, e164, sizeof(l->peer.e164));
		sim_strlcpy(l->peer.h323, h323, sizeof(l->peer.h323));
	}
	l->peer_set = true;
	calls_set(c, i, l->state, "x-facility", NULL);
	return TSP8_OK;
}

int ops_dtmf(struct sim_pbx *pbx, int call, bool recv, const char *dtmf)
{
	int i;
	struct sim_call *c = calls_by_leg(pbx, call, &i);
	struct sim_leg *l;
	size_t n;

	if (!c || !dtmf)
		return TSP8_ENOTFOUND;
	/* Digits toward the user are recorded on the peer's side: the peer
	 * (network) sent them. */
	l = recv && c->leg[1 - i].used ? &c->leg[1 - i] : &c->leg[i];
	n = strlen(l->dtmf);
	sim_strlcpy(l->dtmf + n, dtmf, sizeof(l->dtmf) - n);
	sim_log(pbx->sim, "%s: call %d leg %d DTMF '%s' %s", pbx->name, c->id, call, dtmf,
		recv ? "to the user" : "to the peer");
	return TSP8_OK;
}

int ops_uui(struct sim_pbx *pbx, int call, bool recv, const char *uui)
{
	int i, to;
	struct sim_call *c = calls_by_leg(pbx, call, &i);
	struct leg_report_opts opt = { 0 };

	if (!c || !uui)
		return TSP8_ENOTFOUND;
	to = recv || !c->leg[1 - i].used ? i : 1 - i;
	sim_strlcpy(c->leg[to].uui, uui, sizeof(c->leg[to].uui));
	opt.uui = uui;
	calls_set(c, to, c->leg[to].state, "x-info", &opt);
	return TSP8_OK;
}

int ops_rc(struct sim_pbx *pbx, int call, int rc)
{
	int i;
	struct sim_call *c = calls_by_leg(pbx, call, &i);

	if (!c)
		return TSP8_ENOTFOUND;
	c->leg[i].last_rc = rc;
	sim_log(pbx->sim, "%s: call %d leg %d remote control %d", pbx->name, c->id, call, rc);
	calls_set(c, i, c->leg[i].state, "x-facility", NULL);
	return TSP8_OK;
}

int ops_message(struct sim_pbx *pbx, struct sim_object *from, const char *e164,
		const char *h323, const char *msg, const char *src_e164, const char *src_h323)
{
	struct sim_object *to;
	char ext[SIM_NUM];
	struct sim_leg me = { 0 };
	struct sim_callinfo rec = { 0 };

	if (!from)
		return 0;
	to = destination(pbx, NULL, e164, h323, ext, sizeof(ext));
	if (!to)
		return 0;
	me.used = true;
	me.obj = from;
	me.pbx = from->home ? from->home : pbx;
	me.handle = me.pbx->next_call++;
	rec.call = me.handle;
	rec.active = true;
	record_no_object(&rec.no[0], "this", from);
	if (src_e164 && *src_e164)
		sim_strlcpy(rec.no[0].e164, src_e164, sizeof(rec.no[0].e164));
	if (src_h323 && *src_h323)
		sim_strlcpy(rec.no[0].h323, src_h323, sizeof(rec.no[0].h323));
	if (ext[0])
		record_no_number(&rec.no[1], "peer", ext);
	else
		record_no_object(&rec.no[1], "peer", to);
	rec.nno = 2;
	sim_strlcpy(rec.msg, "msg-sent", sizeof(rec.msg));
	model_derive_conf(rec.conf, pbx->name, ++pbx->sim->next_conf);
	sim_log(pbx->sim, "%s: message from '%s' to '%s': %s", pbx->name, from->cn,
		ext[0] ? ext : to->cn, msg ? msg : "");
	calls_route(&me, &rec, NULL);
	rec.active = false;
	sim_strlcpy(rec.msg, "del", sizeof(rec.msg));
	calls_route(&me, &rec, NULL);
	return me.handle;
}
