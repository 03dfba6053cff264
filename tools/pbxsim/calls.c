/* pbxsim call engine: placing, answering, clearing, holding calls and
 * reporting every leg change as CallInfo (pbx-soap-api.md §5). */
#include "calls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "session.h"
#include "simlog.h"
#include "tree.h"

/* ---- lookups and counting ------------------------------------------------ */

struct sim_call *calls_by_id(struct sim *sim, int id)
{
	for (size_t i = 0; i < sim->ntrees; i++)
		for (struct sim_call *c = sim->trees[i]->calls; c; c = c->next)
			if (c->id == id)
				return c;
	return NULL;
}

struct sim_call *calls_by_leg(struct sim_pbx *pbx, int handle, int *idx)
{
	const struct sim_pbx *home = tree_identity(pbx);

	if (handle <= 0)
		return NULL;
	for (struct sim_call *c = pbx->tree->calls; c; c = c->next)
		for (int i = 0; i < 2; i++)
			if (c->leg[i].used && c->leg[i].pbx == home && c->leg[i].handle == handle) {
				if (idx)
					*idx = i;
				return c;
			}
	return NULL;
}

static bool leg_ringing(const struct sim_leg *l)
{
	unsigned ph = l->state & CS_PHASE;

	return l->used && (l->state & CS_OUT) && ph >= CS_SETUP && ph <= CS_ALERT;
}

int calls_ringing_leg(const struct sim_call *c)
{
	for (int i = 0; i < 2; i++)
		if (leg_ringing(&c->leg[i]))
			return i;
	return -1;
}

void calls_count(const struct sim_pbx *pbx, const struct sim_object *o, int *channel,
		 int *alert)
{
	*channel = *alert = 0;
	for (const struct sim_call *c = pbx->tree->calls; c; c = c->next)
		for (int i = 0; i < 2; i++) {
			if (!c->leg[i].used || c->leg[i].obj != o)
				continue;
			(*channel)++;
			if (leg_ringing(&c->leg[i]))
				(*alert)++;
		}
}

void calls_refresh_counts(struct sim_pbx *pbx, struct sim_object *o)
{
	int ch, al;

	if (!o)
		return;
	calls_count(pbx, o, &ch, &al);
	if (ch == o->rep_channel && al == o->rep_alert)
		return;
	o->rep_channel = ch;
	o->rep_alert = al;
	session_emit_userinfo(pbx, o, true);
}

/* ---- records ------------------------------------------------------------- */

void calls_peer_no(const struct sim_call *c, int idx, struct sim_no *out)
{
	const struct sim_leg *me = &c->leg[idx], *other = &c->leg[1 - idx];

	if (me->peer_set) {
		*out = me->peer;
		sim_strlcpy(out->type, "peer", sizeof(out->type));
	} else if (!other->used) {
		record_no_number(out, "peer", me->dialled);
	} else if (other->ext[0]) {
		record_no_number(out, "peer", other->ext);
	} else {
		record_no_object(out, "peer", other->obj);
	}
}

void calls_record(const struct sim_call *c, int idx, int user, struct sim_callinfo *out)
{
	const struct sim_leg *l = &c->leg[idx];
	unsigned ph = l->state & CS_PHASE;

	memset(out, 0, sizeof(*out));
	out->user = user;
	out->call = l->handle;
	out->active = true;
	out->state = l->state;
	record_no_object(&out->no[out->nno++], "this", l->obj);
	calls_peer_no(c, idx, &out->no[out->nno++]);
	for (size_t i = 0; i < l->nextra && out->nno < SIM_MAX_NO; i++)
		out->no[out->nno++] = l->extra[i];
	sim_strlcpy(out->msg, l->msg, sizeof(out->msg));
	sim_strlcpy(out->conf, c->conf, sizeof(out->conf));
	if (c->cause && (ph == CS_DISC_SENT || ph == CS_DISC_RECV)) {
		out->has_cause = true;
		out->cause = c->cause;
	}
}

/* CallInfo of leg idx to one user handle: the hw filter of UserInitialize
 * applies when both the handle and the leg name a device. */
static bool user_wants(const struct sim_user_handle *u, const struct sim_leg *l)
{
	if (u->obj != l->obj)
		return false;
	return !u->hw[0] || !l->hw[0] || strcmp(u->hw, l->hw) == 0;
}

/* Queues rec to the monitoring user handles of one PBX. */
static void route_at(struct sim_pbx *pbx, const struct sim_leg *l,
		     const struct sim_callinfo *rec, const struct leg_report_opts *opt)
{
	session_sweep(pbx);
	for (struct sim_session *s = pbx->sessions; s; s = s->next)
		for (struct sim_user_handle *u = s->users; u; u = u->next) {
			struct sim_callinfo *ci;
			struct sim_event *ev;

			if (!user_wants(u, l) || !(ev = event_new(SIM_EV_CALL)))
				continue;
			ci = &ev->u.call;
			*ci = *rec;
			ci->user = u->handle;
			if (opt && opt->no && ci->nno < SIM_MAX_NO)
				ci->no[ci->nno++] = *opt->no;
			if (opt && opt->xfer && u->xfer && ci->nno < SIM_MAX_NO)
				ci->no[ci->nno++] = *opt->xfer;
			if (opt && opt->uui) {
				ci->has_uui = true;
				sim_strlcpy(ci->uui, opt->uui, sizeof(ci->uui));
			}
			session_queue(pbx->sim, s, ev);
		}
}

void calls_route(const struct sim_leg *l, const struct sim_callinfo *rec,
		 const struct leg_report_opts *opt)
{
	/* Monitoring only works at the registration PBX (pbx-soap-api.md
	 * §4.3); its standby answers for it after a takeover. */
	route_at(l->pbx, l, rec, opt);
	if (l->pbx->standby)
		route_at(l->pbx->standby, l, rec, opt);
}

void calls_report(struct sim_call *c, int idx, const struct leg_report_opts *opt)
{
	struct sim_callinfo rec;

	calls_record(c, idx, 0, &rec);
	calls_route(&c->leg[idx], &rec, opt);
}

static const char *leg_name(const struct sim_leg *l)
{
	return l->ext[0] ? l->ext : (l->obj ? l->obj->cn : "?");
}

/* "alert, to device, held" style text for the verbose log. */
static const char *state_text(unsigned state, char *buf, size_t len)
{
	static const char *const phase[] = {
		"idle", "setup", "setup-ack", "call-proc", "alert", "connected",
		"disc-sent", "disc-received", "parked",
	};
	unsigned ph = state & CS_PHASE;

	snprintf(buf, len, "%s%s%s%s", ph < 9 ? phase[ph] : "?",
		 state & CS_OUT ? ", to device" : ", from device",
		 state & CS_HOLD ? ", holding" : "", state & CS_HELD ? ", held" : "");
	return buf;
}

void calls_set(struct sim_call *c, int idx, unsigned state, const char *msg,
	       const struct leg_report_opts *opt)
{
	struct sim_leg *l = &c->leg[idx];
	char st[80], cause[24] = "";

	l->state = state;
	sim_strlcpy(l->msg, msg, sizeof(l->msg));
	if (c->cause && (state & CS_PHASE) >= CS_DISC_SENT && (state & CS_PHASE) <= CS_DISC_RECV)
		snprintf(cause, sizeof(cause), " cause %d", c->cause);
	sim_log(l->pbx->sim, "%s: call %d %s leg %d '%s'%s: %s 0x%03x (%s)%s", l->pbx->name, c->id,
		idx == LEG_CALLER ? "caller" : "callee", l->handle, leg_name(l),
		l->ext[0] ? " via trunk" : "", msg, state, state_text(state, st, sizeof(st)), cause);
	calls_report(c, idx, opt);
	calls_refresh_counts(l->pbx, l->obj);
}

void calls_unlink(struct sim_call *c)
{
	for (struct sim_call **pp = &c->tree->calls; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	free(c);
}

bool calls_leg_gone(struct sim_call *c, int idx)
{
	struct sim_leg *l = &c->leg[idx];
	struct sim_callinfo rec;
	struct sim_object *obj = l->obj;
	struct sim_pbx *pbx = l->pbx;

	sim_strlcpy(l->msg, "del", sizeof(l->msg));
	calls_record(c, idx, 0, &rec);
	rec.active = false;
	calls_route(l, &rec, NULL);
	sim_log(pbx->sim, "%s: call %d leg %d '%s' deleted", pbx->name, c->id, l->handle,
		leg_name(l));
	if (c->leg[1 - idx].used && !c->leg[1 - idx].peer_set) {
		/* The remaining leg keeps showing who it talked to. */
		calls_peer_no(c, 1 - idx, &c->leg[1 - idx].peer);
		c->leg[1 - idx].peer_set = true;
	}
	memset(l, 0, sizeof(*l));
	calls_refresh_counts(pbx, obj);
	if (c->leg[0].used || c->leg[1].used || c->park_obj)
		return false;
	sim_log(pbx->sim, "%s: call %d gone", pbx->name, c->id);
	calls_unlink(c);
	return true;
}

struct sim_leg *calls_new_leg(struct sim_call *c, int idx, struct sim_object *obj,
			      const char *hw)
{
	struct sim_leg *l = &c->leg[idx];

	memset(l, 0, sizeof(*l));
	/* A new party: the other leg's peer is live again. */
	c->leg[1 - idx].peer_set = false;
	l->used = true;
	l->pbx = obj->home ? obj->home : c->pbx;
	l->handle = l->pbx->next_call++;
	l->obj = obj;
	sim_strlcpy(l->hw, hw && *hw ? hw : model_first_registered_hw(obj), sizeof(l->hw));
	return l;
}

static struct sim_call *call_new(struct sim_pbx *pbx)
{
	struct sim_call *c = calloc(1, sizeof(*c));
	struct sim_call **tail = &pbx->tree->calls;

	if (!c)
		return NULL;
	c->tree = pbx->tree;
	c->pbx = tree_identity(pbx);
	c->id = pbx->sim->next_simcall++;
	model_derive_conf(c->conf, pbx->name, ++pbx->sim->next_conf);
	/* Append, so `calls` lists them in creation order. */
	while (*tail)
		tail = &(*tail)->next;
	*tail = c;
	return c;
}

/* The PBX clears leg idx itself (no route, absent user). */
static void fail_leg(struct sim_call *c, int idx, int cause)
{
	c->cause = cause;
	calls_set(c, idx, (c->leg[idx].state & ~CS_PHASE) | CS_DISC_SENT, "x-rel", NULL);
	calls_leg_gone(c, idx);
}

void calls_offer(struct sim_call *c, int slot, struct sim_object *to, const char *ext,
		 struct sim_object *diverting)
{
	int peer = 1 - slot;
	struct sim_leg *b, *a = &c->leg[peer];
	struct sim_no leg2;

	if (!to) {
		fail_leg(c, peer, CAUSE_UNALLOCATED);
		return;
	}
	if (strcmp(to->type, "ep") == 0 && !model_registered(to)) {
		fail_leg(c, peer, CAUSE_ABSENT);
		return;
	}
	b = calls_new_leg(c, slot, to, NULL);
	sim_strlcpy(b->ext, ext, sizeof(b->ext));
	if (diverting) {
		record_no_object(&leg2, "leg2", diverting);
		b->extra[b->nextra++] = leg2;
		if (a->nextra < SIM_LEG_EXTRA)
			a->extra[a->nextra++] = leg2;
	}
	calls_set(c, slot, CS_OUT | CS_SETUP, "x-setup", NULL);
	calls_set(c, slot, CS_OUT | CS_ALERT, "r-alert", NULL);
	calls_set(c, peer, (a->state & ~(CS_PHASE | CS_HOLD | CS_HELD)) | CS_ALERT, "x-alert", NULL);
}

/* Resolves a dialled string: internal object, or the trunk with ext set. */
static struct sim_object *resolve(struct sim_pbx *pbx, const char *number, char *ext,
				  size_t extlen)
{
	struct sim_object *o = model_find_number(pbx, number);

	ext[0] = '\0';
	if (o)
		return o;
	sim_strlcpy(ext, number, extlen);
	return model_trunk(pbx);
}

int calls_place(struct sim_pbx *pbx, struct sim_object *from, const char *hw,
		const char *dest_cn, const char *number, int rc, int *simcall,
		int *caller_handle)
{
	struct sim_object *to = NULL, *fwd = NULL;
	char ext[SIM_NUM] = "";
	struct sim_call *c;
	struct sim_leg *a;

	if (!from)
		return TSP8_EINVAL;
	if (dest_cn && *dest_cn) {
		to = model_find_cn(pbx, dest_cn);
		if (!to)
			return TSP8_ENOTFOUND;
	} else if (number && *number) {
		to = resolve(pbx, number, ext, sizeof(ext));
	} else {
		return TSP8_ENOTFOUND;
	}
	if (strcmp(from->type, "ep") == 0 && !model_registered(from))
		return TSP8_ESTATE;
	c = call_new(pbx);
	if (!c)
		return TSP8_ENOMEM;
	a = calls_new_leg(c, LEG_CALLER, from, hw);
	a->last_rc = rc;
	sim_strlcpy(a->dialled, dest_cn && *dest_cn ? (to->e164[0] ? to->e164 : to->h323) : number,
		    sizeof(a->dialled));
	*simcall = c->id;
	*caller_handle = a->handle;
	calls_set(c, LEG_CALLER, CS_SETUP, "r-setup", NULL);
	if (to && !ext[0])
		to = calls_forward_target(pbx, to, &fwd, ext, sizeof(ext));
	calls_offer(c, LEG_CALLEE, to, ext, fwd);
	return TSP8_OK;
}

int calls_incoming(struct sim_pbx *pbx, const char *ext, const char *to_num, int *simcall)
{
	struct sim_object *trunk = model_trunk(pbx), *to, *fwd = NULL;
	char fext[SIM_NUM] = "";
	struct sim_call *c;
	struct sim_leg *a;

	if (!trunk || !ext || !*ext)
		return TSP8_ENOTFOUND;
	to = model_find_number(pbx, to_num);
	if (!to)
		return TSP8_ENOTFOUND;
	c = call_new(pbx);
	if (!c)
		return TSP8_ENOMEM;
	a = calls_new_leg(c, LEG_CALLER, trunk, NULL);
	sim_strlcpy(a->ext, ext, sizeof(a->ext));
	sim_strlcpy(a->dialled, to_num, sizeof(a->dialled));
	*simcall = c->id;
	calls_set(c, LEG_CALLER, CS_SETUP, "r-setup", NULL);
	to = calls_forward_target(pbx, to, &fwd, fext, sizeof(fext));
	calls_offer(c, LEG_CALLEE, to, fext, fwd);
	return TSP8_OK;
}

/* ---- state changes ------------------------------------------------------- */

int calls_answer(struct sim_call *c, int idx)
{
	struct sim_leg *l = &c->leg[idx], *o = &c->leg[1 - idx];

	if (!leg_ringing(l))
		return TSP8_ESTATE;
	calls_set(c, idx, (l->state & ~CS_PHASE) | CS_CONN, "r-conn", NULL);
	if (o->used)
		calls_set(c, 1 - idx, (o->state & ~CS_PHASE) | CS_CONN, "x-conn", NULL);
	return TSP8_OK;
}

int calls_release(struct sim_call *c, int idx, int cause)
{
	int other = 1 - idx;
	bool other_used = c->leg[other].used;

	if (!c->leg[idx].used)
		return TSP8_ESTATE;
	c->cause = cause > 0 ? (cause & 0x7f) : CAUSE_NORMAL;
	calls_set(c, idx, (c->leg[idx].state & ~CS_PHASE) | CS_DISC_RECV, "r-rel", NULL);
	if (other_used)
		calls_set(c, other, (c->leg[other].state & ~CS_PHASE) | CS_DISC_SENT, "x-rel",
			  NULL);
	/* A parked call loses its park slot when its last leg goes. */
	c->park_obj = NULL;
	if (calls_leg_gone(c, idx))
		return TSP8_OK;
	if (other_used)
		calls_leg_gone(c, other);
	return TSP8_OK;
}

int calls_hold(struct sim_call *c, int idx, bool hold)
{
	struct sim_leg *l = &c->leg[idx], *o = &c->leg[1 - idx];

	if (!l->used || !o->used || (l->state & CS_PHASE) != CS_CONN)
		return TSP8_ESTATE;
	if (hold == !!(l->state & CS_HOLD))
		return TSP8_ESTATE;
	if (hold) {
		calls_set(c, idx, l->state | CS_HOLD, "r-facility", NULL);
		calls_set(c, 1 - idx, o->state | CS_HELD, "x-facility", NULL);
	} else {
		calls_set(c, idx, l->state & ~CS_HOLD, "r-facility", NULL);
		calls_set(c, 1 - idx, o->state & ~CS_HELD, "x-facility", NULL);
	}
	return TSP8_OK;
}

void calls_free_all(struct sim_tree *tree)
{
	while (tree->calls) {
		struct sim_call *c = tree->calls;

		tree->calls = c->next;
		free(c);
	}
}

/* First call of the tree that involves o, with the leg to clear. */
static struct sim_call *call_of(struct sim_tree *tree, const struct sim_object *o, int *idx)
{
	for (struct sim_call *c = tree->calls; c; c = c->next) {
		for (int i = 0; i < 2; i++)
			if (c->leg[i].used && c->leg[i].obj == o) {
				*idx = i;
				return c;
			}
		if (c->park_obj == o)
			for (int i = 0; i < 2; i++)
				if (c->leg[i].used) {
					*idx = i;
					return c;
				}
	}
	return NULL;
}

void calls_clear_object(struct sim_tree *tree, const struct sim_object *o)
{
	struct sim_call *c;
	int idx;

	while ((c = call_of(tree, o, &idx)) != NULL)
		calls_release(c, idx, CAUSE_NORMAL);
	/* A park slot without legs left cannot outlive its object. */
	for (struct sim_call **pp = &tree->calls; *pp;) {
		c = *pp;
		if (c->park_obj == o) {
			*pp = c->next;
			free(c);
		} else {
			pp = &c->next;
		}
	}
}
