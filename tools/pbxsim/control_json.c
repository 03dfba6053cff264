/* pbxsim control channel: compact JSON for "calls" and "sessions". */
#include "calls.h"
#include "control.h"
#include "session.h"
#include "tree.h"

static void leg_json(const struct sim_leg *l, int side, struct strbuf *out)
{
	sb_printf(out, "{\"side\":\"%s\",\"handle\":%d,\"pbx\":", side == LEG_CALLER ? "caller" : "callee",
		  l->handle);
	sb_json(out, l->pbx ? l->pbx->name : "");
	sb_puts(out, ",\"cn\":");
	sb_json(out, l->obj ? l->obj->cn : "");
	sb_puts(out, ",\"ext\":");
	sb_json(out, l->ext);
	sb_puts(out, ",\"hw\":");
	sb_json(out, l->hw);
	sb_printf(out, ",\"state\":%u,\"msg\":", l->state);
	sb_json(out, l->msg);
	sb_puts(out, ",\"dtmf\":");
	sb_json(out, l->dtmf);
	sb_puts(out, ",\"uui\":");
	sb_json(out, l->uui);
	sb_printf(out, ",\"rc\":%d}", l->last_rc);
}

void control_json_calls(struct sim *sim, struct strbuf *out)
{
	bool first = true;

	sb_puts(out, "[");
	for (size_t t = 0; t < sim->ntrees; t++)
		for (const struct sim_call *c = sim->trees[t]->calls; c; c = c->next) {
			bool lfirst = true;

			sb_printf(out, "%s{\"id\":%d,\"pbx\":", first ? "" : ",", c->id);
			sb_json(out, c->pbx->name);
			sb_puts(out, ",\"conf\":");
			sb_json(out, c->conf);
			sb_printf(out, ",\"cause\":%d,\"parked_at\":", c->cause);
			sb_json(out, c->park_obj ? c->park_obj->cn : "");
			sb_printf(out, ",\"park_position\":%d,\"legs\":[", c->park_obj ? c->park_pos : 0);
			for (int i = 0; i < 2; i++) {
				if (!c->leg[i].used)
					continue;
				if (!lfirst)
					sb_puts(out, ",");
				leg_json(&c->leg[i], i, out);
				lfirst = false;
			}
			sb_puts(out, "]}");
			first = false;
		}
	sb_puts(out, "]");
}

void control_json_sessions(struct sim_pbx *pbx, struct strbuf *out)
{
	bool first = true;

	session_sweep(pbx);
	sb_puts(out, "[");
	for (const struct sim_session *s = pbx->sessions; s; s = s->next) {
		bool ufirst = true;

		sb_printf(out, "%s{\"handle\":%d,\"user\":", first ? "" : ",", s->handle);
		sb_json(out, s->user_cn);
		sb_puts(out, ",\"appl\":");
		sb_json(out, s->appl);
		sb_printf(out, ",\"scope\":%zu,\"connections\":%d,\"dump_done\":%s,\"queued\":%zu,"
			  "\"users\":[", s->nscope, s->nconn, s->dump_done ? "true" : "false",
			  s->nevents);
		for (const struct sim_user_handle *u = s->users; u; u = u->next) {
			sb_printf(out, "%s{\"handle\":%d,\"cn\":", ufirst ? "" : ",", u->handle);
			sb_json(out, u->obj->cn);
			sb_puts(out, ",\"hw\":");
			sb_json(out, u->hw);
			sb_puts(out, "}");
			ufirst = false;
		}
		sb_puts(out, "]}");
		first = false;
	}
	sb_puts(out, "]");
}

static const char *role_name(enum sim_role r)
{
	return r == SIM_ROLE_MASTER ? "master" : r == SIM_ROLE_SLAVE ? "slave" : "standby";
}

void control_json_pbxs(struct sim *sim, struct strbuf *out)
{
	sb_puts(out, "[");
	for (size_t i = 0; i < sim->npbx; i++) {
		const struct sim_pbx *p = sim->pbxs[i];
		const struct sim_pbx *id = tree_identity(p);
		size_t nsess = 0;

		for (const struct sim_session *s = p->sessions; s; s = s->next)
			nsess += !s->invalid;
		sb_printf(out, "%s{\"name\":", i ? "," : "");
		sb_json(out, p->name);
		sb_printf(out, ",\"role\":\"%s\",\"tree\":", role_name(p->role));
		sb_json(out, p->tree->master->name);
		sb_puts(out, ",\"location\":");
		sb_json(out, p->location);
		sb_puts(out, ",\"url\":");
		sb_json(out, p->url);
		/* registered: the location p answers for is served (and, for a
		 * slave, not unregistered); serving: p is the one serving it. */
		sb_printf(out, ",\"running\":%s,\"registered\":%s,\"serving\":%s,"
			  "\"objects\":%zu,\"sessions\":%zu}", p->running ? "true" : "false",
			  tree_registered(id) ? "true" : "false",
			  tree_serving(id) == p ? "true" : "false", p->tree->dir.nobjs, nsess);
	}
	sb_puts(out, "]");
}
