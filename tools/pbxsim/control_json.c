/* pbxsim control channel: compact JSON for "calls" and "sessions". */
#include "calls.h"
#include "control.h"
#include "session.h"

static void leg_json(const struct sim_leg *l, int side, struct strbuf *out)
{
	sb_printf(out, "{\"side\":\"%s\",\"handle\":%d,\"cn\":", side == LEG_CALLER ? "caller" : "callee",
		  l->handle);
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
	for (size_t p = 0; p < sim->npbx; p++)
		for (const struct sim_call *c = sim->pbxs[p]->calls; c; c = c->next) {
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
