/* pbxsim sessions: Initialize/End, scope, user handles, expiry, queues. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "simlog.h"

/* ---- scope --------------------------------------------------------------- */

/* Scope = objects that are members of the groups in which user is an active
 * member; the user alone when it is active in none (pbx-soap-api.md §2). */
static int compute_scope(const struct sim_pbx *pbx, const struct sim_object *user,
			 struct sim_object ***out, size_t *nout)
{
	struct sim_object **scope = calloc(pbx->nobjs ? pbx->nobjs : 1, sizeof(*scope));
	size_t n = 0;
	bool any_active = false;

	if (!scope)
		return TSP8_ENOMEM;
	for (size_t g = 0; g < user->ngroups; g++)
		if (user->groups[g].active)
			any_active = true;
	if (!any_active) {
		scope[n++] = (struct sim_object *)user;
	} else {
		for (size_t i = 0; i < pbx->nobjs; i++) {
			const struct sim_object *o = pbx->objs[i];
			bool member = false;

			for (size_t g = 0; g < user->ngroups && !member; g++)
				if (user->groups[g].active &&
				    model_group_of(o, user->groups[g].name))
					member = true;
			if (member)
				scope[n++] = pbx->objs[i];
		}
	}
	*out = scope;
	*nout = n;
	return TSP8_OK;
}

static long scope_index(const struct sim_session *s, const struct sim_object *o)
{
	for (size_t i = 0; i < s->nscope; i++)
		if (s->scope[i] == o)
			return (long)i;
	return -1;
}

bool session_in_scope(const struct sim_session *s, const struct sim_object *o)
{
	return scope_index(s, o) >= 0;
}

/* ---- lifetime ------------------------------------------------------------ */

static void session_free(struct sim_session *s)
{
	while (s->users) {
		struct sim_user_handle *u = s->users;

		s->users = u->next;
		free(u);
	}
	event_list_free(s->head);
	free(s->scope);
	free(s);
}

static bool session_alive(const struct sim_pbx *pbx, const struct sim_session *s,
			  uint64_t now)
{
	if (s->invalid)
		return false;
	if (s->nconn > 0)
		return true;
	return now < s->orphan_ms + pbx->sim->opt.session_expiry_ms;
}

void session_sweep(struct sim_pbx *pbx)
{
	uint64_t now = sim_now_ms();
	struct sim_session **pp = &pbx->sessions;

	while (*pp) {
		struct sim_session *s = *pp;

		if (session_alive(pbx, s, now)) {
			pp = &s->next;
			continue;
		}
		sim_log(pbx->sim, "%s: session %d %s", pbx->name, s->handle,
			s->invalid ? "invalidated" : "expired");
		*pp = s->next;
		session_free(s);
	}
}

int session_initialize(struct sim_pbx *pbx, struct sim_conn *conn, const char *cn,
		       const char *appl, bool flags_ok, int *key)
{
	struct sim_object *user = model_find_cn(pbx, cn);
	struct sim_session *s;

	*key = 0;
	if (!user || !flags_ok)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return 0;
	if (compute_scope(pbx, user, &s->scope, &s->nscope) != TSP8_OK) {
		free(s);
		return 0;
	}
	s->handle = pbx->next_session++;
	/* A key that is not simply the handle, so a client mixing the two up
	 * is caught; deterministic so test runs are repeatable. */
	s->key = (int)(((unsigned)s->handle * 2654435761u) & 0x7ffffffu) + 4096;
	sim_strlcpy(s->user_cn, cn, sizeof(s->user_cn));
	sim_strlcpy(s->appl, appl, sizeof(s->appl));
	s->orphan_ms = sim_now_ms();
	s->next = pbx->sessions;
	pbx->sessions = s;
	if (conn)
		sim_conn_touch(conn, s);
	*key = s->key;
	sim_log(pbx->sim, "%s: session %d for '%s' (%zu objects in scope)", pbx->name,
		s->handle, cn, s->nscope);
	return s->handle;
}

struct sim_session *session_get(struct sim_pbx *pbx, int handle)
{
	session_sweep(pbx);
	for (struct sim_session *s = pbx->sessions; s; s = s->next)
		if (s->handle == handle)
			return s;
	return NULL;
}

bool session_end(struct sim_pbx *pbx, int handle)
{
	for (struct sim_session **pp = &pbx->sessions; *pp; pp = &(*pp)->next) {
		struct sim_session *s = *pp;

		if (s->handle != handle)
			continue;
		*pp = s->next;
		session_free(s);
		if (pbx->sim)
			sim_wake(pbx->sim);
		return true;
	}
	return false;
}

void session_invalidate_all(struct sim_pbx *pbx)
{
	for (struct sim_session *s = pbx->sessions; s; s = s->next)
		s->invalid = true;
	sim_wake(pbx->sim);
}

/* ---- user handles -------------------------------------------------------- */

int session_user_init(struct sim_pbx *pbx, struct sim_session *s, const char *cn,
		      bool xfer, bool disc, const char *hw)
{
	struct sim_object *o = model_find_cn(pbx, cn);
	struct sim_user_handle *u;

	if (!s || !o)
		return 0;
	u = calloc(1, sizeof(*u));
	if (!u)
		return 0;
	u->handle = pbx->next_user++;
	u->obj = o;
	sim_strlcpy(u->hw, hw, sizeof(u->hw));
	u->xfer = xfer;
	u->disc = disc;
	u->next = s->users;
	s->users = u;
	sim_log(pbx->sim, "%s: session %d monitors '%s' as user %d%s%s", pbx->name,
		s->handle, cn, u->handle, u->hw[0] ? " hw " : "", u->hw);
	return u->handle;
}

struct sim_user_handle *session_find_user(struct sim_pbx *pbx, int handle,
					  struct sim_session **sess)
{
	session_sweep(pbx);
	for (struct sim_session *s = pbx->sessions; s; s = s->next)
		for (struct sim_user_handle *u = s->users; u; u = u->next)
			if (u->handle == handle) {
				if (sess)
					*sess = s;
				return u;
			}
	return NULL;
}

bool session_user_end(struct sim_pbx *pbx, int handle)
{
	session_sweep(pbx);
	for (struct sim_session *s = pbx->sessions; s; s = s->next)
		for (struct sim_user_handle **pp = &s->users; *pp; pp = &(*pp)->next)
			if ((*pp)->handle == handle) {
				struct sim_user_handle *u = *pp;

				*pp = u->next;
				free(u);
				return true;
			}
	return false;
}

/* ---- events -------------------------------------------------------------- */

void session_queue(struct sim *sim, struct sim_session *s, struct sim_event *ev)
{
	ev->next = NULL;
	if (s->nevents >= SIM_QUEUE_MAX) {
		struct sim_event *old = s->head;

		s->head = old->next;
		if (!s->head)
			s->tail = NULL;
		old->next = NULL;
		event_list_free(old);
		s->nevents--;
		s->dropped_events++;
	}
	if (s->tail)
		s->tail->next = ev;
	else
		s->head = ev;
	s->tail = ev;
	s->nevents++;
	sim_wake(sim);
}

void session_emit_userinfo(struct sim_pbx *pbx, struct sim_object *o, bool active)
{
	struct sim_userinfo rec;

	session_sweep(pbx);
	record_userinfo(pbx, o, active, &rec);
	for (struct sim_session *s = pbx->sessions; s; s = s->next) {
		long idx = scope_index(s, o);
		struct sim_event *ev;

		if (idx < 0)
			continue;
		/* Not dumped yet: the dump will carry the current state. */
		if (!s->dump_done && (size_t)idx >= s->dump_pos)
			continue;
		ev = event_new(SIM_EV_USER);
		if (!ev)
			continue;
		ev->u.user = rec;
		session_queue(pbx->sim, s, ev);
	}
	o->cfg_pending = false;
}

void session_refresh_scopes(struct sim_pbx *pbx)
{
	session_sweep(pbx);
	for (struct sim_session *s = pbx->sessions; s; s = s->next) {
		struct sim_object *user = model_find_cn(pbx, s->user_cn);
		struct sim_object **scope;
		size_t n;

		if (!user || compute_scope(pbx, user, &scope, &n) != TSP8_OK)
			continue;
		for (size_t i = 0; i < s->nscope; i++) {
			bool still = false;
			struct sim_event *ev;

			for (size_t j = 0; j < n && !still; j++)
				still = scope[j] == s->scope[i];
			if (still || !(ev = event_new(SIM_EV_USER)))
				continue;
			record_userinfo(pbx, s->scope[i], false, &ev->u.user);
			session_queue(pbx->sim, s, ev);
		}
		for (size_t j = 0; j < n; j++) {
			struct sim_event *ev;

			if (session_in_scope(s, scope[j]) || !(ev = event_new(SIM_EV_USER)))
				continue;
			record_userinfo(pbx, scope[j], true, &ev->u.user);
			session_queue(pbx->sim, s, ev);
		}
		/* Keep the dump position meaningful: restart it only if the
		 * dump is still running (it then walks the new scope). */
		free(s->scope);
		s->scope = scope;
		s->nscope = n;
		if (!s->dump_done && s->dump_pos > n)
			s->dump_pos = n;
	}
}

/* ---- connections --------------------------------------------------------- */

int sim_conn_create(struct sim_conn **out, struct sim_pbx *pbx)
{
	struct sim_conn *c;

	if (!out || !pbx)
		return TSP8_EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return TSP8_ENOMEM;
	c->pbx = pbx;
	atomic_init(&c->dropped, false);
	*out = c;
	return TSP8_OK;
}

void sim_conn_touch(struct sim_conn *conn, struct sim_session *s)
{
	for (size_t i = 0; i < conn->nsessions; i++)
		if (conn->sessions[i] == s->handle)
			return;
	if (conn->nsessions == SIM_CONN_SESSIONS)
		return;
	conn->sessions[conn->nsessions++] = s->handle;
	s->nconn++;
}

void sim_conn_release(struct sim_conn *conn)
{
	struct sim_pbx *pbx;

	if (!conn)
		return;
	pbx = conn->pbx;
	sim_lock(pbx->sim);
	for (size_t i = 0; i < conn->nsessions; i++)
		for (struct sim_session *s = pbx->sessions; s; s = s->next)
			if (s->handle == conn->sessions[i] && s->nconn > 0) {
				if (--s->nconn == 0)
					s->orphan_ms = sim_now_ms();
				break;
			}
	conn->nsessions = 0;
	sim_unlock(pbx->sim);
}

void sim_conn_free(struct sim_conn *conn)
{
	free(conn);
}

void sim_conn_drop(struct sim_conn *conn)
{
	atomic_store(&conn->dropped, true);
	sim_lock(conn->pbx->sim);
	sim_wake(conn->pbx->sim);
	sim_unlock(conn->pbx->sim);
}
