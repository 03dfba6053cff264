/* pbxsim sessions: Initialize/End, scope, user handles, expiry, queues. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "simlog.h"
#include "tree.h"

/* ---- scope --------------------------------------------------------------- */

struct scope {
	struct sim_object **objs;
	size_t n;
	uint32_t *pos;
	size_t npos;
};

static bool user_member(const struct sim_object *user, const struct sim_object *o)
{
	for (size_t g = 0; g < user->ngroups; g++)
		if (user->groups[g].active && model_group_of(o, user->groups[g].name))
			return true;
	return false;
}

/* Scope = objects that are members of the groups in which user is an active
 * member; the user alone when it is active in none (pbx-soap-api.md §2).
 * Directory order, with a slot index for O(1) membership tests. */
static int compute_scope(const struct sim_pbx *pbx, const struct sim_object *user,
			 struct scope *out)
{
	const struct sim_dir *d = &pbx->tree->dir;
	struct scope sc = { 0 };
	bool any_active = false;

	sc.npos = d->next_slot ? d->next_slot : 1;
	sc.objs = calloc(d->nobjs ? d->nobjs : 1, sizeof(*sc.objs));
	sc.pos = calloc(sc.npos, sizeof(*sc.pos));
	if (!sc.objs || !sc.pos) {
		free(sc.objs);
		free(sc.pos);
		return TSP8_ENOMEM;
	}
	for (size_t g = 0; g < user->ngroups; g++)
		if (user->groups[g].active)
			any_active = true;
	for (size_t i = 0; i < d->nobjs; i++) {
		struct sim_object *o = d->objs[i];

		if (any_active ? !user_member(user, o) : o != user)
			continue;
		sc.objs[sc.n++] = o;
		sc.pos[o->slot] = (uint32_t)sc.n;
	}
	*out = sc;
	return TSP8_OK;
}

static long scope_lookup(const struct scope *sc, const struct sim_object *o)
{
	size_t i;

	if (o->slot >= sc->npos || !sc->pos[o->slot])
		return -1;
	i = sc->pos[o->slot] - 1;
	/* Slots are per tree: make sure it is this very object. */
	return i < sc->n && sc->objs[i] == o ? (long)i : -1;
}

static long scope_index(const struct sim_session *s, const struct sim_object *o)
{
	struct scope sc = { s->scope, s->nscope, s->pos, s->npos };

	return scope_lookup(&sc, o);
}

bool session_in_scope(const struct sim_session *s, const struct sim_object *o)
{
	return scope_index(s, o) >= 0;
}

/* ---- lifetime ------------------------------------------------------------ */

/* Wakes whoever waits in Poll for s: it re-checks its session. */
static void session_wake(struct sim *sim, struct sim_session *s)
{
	if (s->poller)
		pthread_cond_signal(&s->poller->cv);
	if (s->extra_pollers && sim)
		sim_wake(sim);
}

static void session_free(struct sim *sim, struct sim_session *s)
{
	session_wake(sim, s);
	while (s->users) {
		struct sim_user_handle *u = s->users;

		s->users = u->next;
		free(u);
	}
	event_list_free(s->head);
	free(s->scope);
	free(s->pos);
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
		session_free(pbx->sim, s);
	}
}

int session_initialize(struct sim_pbx *pbx, struct sim_conn *conn, const char *cn,
		       const char *appl, bool flags_ok, int *key)
{
	struct sim_object *user = model_find_cn(pbx, cn);
	struct sim_session *s;
	struct scope sc;

	*key = 0;
	if (!user || !flags_ok || tree_passive(pbx))
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return 0;
	if (compute_scope(pbx, user, &sc) != TSP8_OK) {
		free(s);
		return 0;
	}
	s->scope = sc.objs;
	s->nscope = sc.n;
	s->pos = sc.pos;
	s->npos = sc.npos;
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
		session_free(pbx->sim, s);
		return true;
	}
	return false;
}

void session_invalidate_all(struct sim_pbx *pbx)
{
	for (struct sim_session *s = pbx->sessions; s; s = s->next) {
		s->invalid = true;
		session_wake(pbx->sim, s);
	}
}

void session_wake_all(struct sim *sim)
{
	for (size_t i = 0; i < sim->npbx; i++)
		for (struct sim_session *s = sim->pbxs[i]->sessions; s; s = s->next)
			session_wake(sim, s);
	sim_wake(sim);
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
	session_wake(sim, s);
}

static void queue_userinfo(struct sim_pbx *pbx, struct sim_session *s,
			   const struct sim_object *o, bool active)
{
	struct sim_event *ev = event_new(SIM_EV_USER);

	if (!ev)
		return;
	record_userinfo(pbx, o, active, &ev->u.user);
	session_queue(pbx->sim, s, ev);
}

void session_emit_userinfo(struct sim_pbx *pbx, struct sim_object *o, bool active)
{
	struct sim_tree *t = pbx->tree;

	/* Replication: every PBX of the tree reports the object, each with
	 * its own view of loc. */
	for (size_t i = 0; i < t->npbx; i++) {
		struct sim_pbx *p = t->pbxs[i];
		struct sim_userinfo rec;
		bool built = false;

		session_sweep(p);
		for (struct sim_session *s = p->sessions; s; s = s->next) {
			long idx = scope_index(s, o);
			struct sim_event *ev;

			if (idx < 0)
				continue;
			/* Not dumped yet: the dump will carry the current state. */
			if (!s->dump_done && (size_t)idx >= s->dump_pos)
				continue;
			if (!built) {
				record_userinfo(p, o, active, &rec);
				built = true;
			}
			ev = event_new(SIM_EV_USER);
			if (!ev)
				continue;
			ev->u.user = rec;
			session_queue(pbx->sim, s, ev);
		}
	}
	o->cfg_pending = false;
}

/* New scope for one session; UserInfo for what left, joined or changed,
 * as far as the client has seen it (the dump carries the rest). */
static void refresh_session(struct sim_pbx *p, struct sim_session *s,
			    const struct sim_object *changed)
{
	struct scope old = { s->scope, s->nscope, s->pos, s->npos }, sc;
	struct sim_object *user = model_find_cn(p, s->user_cn);
	size_t dumped = 0; /* new-scope entries before the dump position */

	if (!user || compute_scope(p, user, &sc) != TSP8_OK) {
		/* The login object is gone (or no memory for the new scope):
		 * so is the session; it must not keep pointers to objects
		 * that may be freed before the next sweep. */
		s->invalid = true;
		free(s->scope);
		free(s->pos);
		s->scope = NULL;
		s->pos = NULL;
		s->nscope = s->npos = 0;
		session_wake(p->sim, s);
		return;
	}
	if (!s->dump_done)
		for (size_t j = 0; j < sc.n; j++) {
			long oi = scope_lookup(&old, sc.objs[j]);

			if (oi >= 0 && (size_t)oi < s->dump_pos)
				dumped = j + 1;
		}
	for (size_t i = 0; i < old.n; i++)
		if (scope_lookup(&sc, old.objs[i]) < 0 && (s->dump_done || i < s->dump_pos))
			queue_userinfo(p, s, old.objs[i], false);
	for (size_t j = 0; j < sc.n; j++) {
		long oi = scope_lookup(&old, sc.objs[j]);

		if (!s->dump_done && j >= dumped)
			continue;
		if (oi < 0 || sc.objs[j] == changed)
			queue_userinfo(p, s, sc.objs[j], true);
	}
	free(s->scope);
	free(s->pos);
	s->scope = sc.objs;
	s->nscope = sc.n;
	s->pos = sc.pos;
	s->npos = sc.npos;
	if (!s->dump_done)
		s->dump_pos = dumped;
}

void session_refresh_scopes_for(struct sim_pbx *pbx, struct sim_object *changed)
{
	struct sim_tree *t = pbx->tree;

	for (size_t i = 0; i < t->npbx; i++) {
		struct sim_pbx *p = t->pbxs[i];

		session_sweep(p);
		for (struct sim_session *s = p->sessions; s; s = s->next)
			refresh_session(p, s, changed);
	}
}

void session_refresh_scopes(struct sim_pbx *pbx)
{
	session_refresh_scopes_for(pbx, NULL);
}

void session_forget_object(struct sim_pbx *pbx, const struct sim_object *o)
{
	struct sim_tree *t = pbx->tree;

	for (size_t i = 0; i < t->npbx; i++)
		for (struct sim_session *s = t->pbxs[i]->sessions; s; s = s->next) {
			struct sim_user_handle **pp = &s->users;

			if (strcmp(s->user_cn, o->cn) == 0) {
				s->invalid = true;
				session_wake(pbx->sim, s);
			}
			while (*pp) {
				struct sim_user_handle *u = *pp;

				if (u->obj == o) {
					*pp = u->next;
					free(u);
				} else {
					pp = &u->next;
				}
			}
		}
}

/* ---- connections --------------------------------------------------------- */

int sim_conn_create(struct sim_conn **out, struct sim_pbx *pbx)
{
	struct sim_conn *c;
	pthread_condattr_t ca;
	int rc;

	if (!out || !pbx)
		return TSP8_EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return TSP8_ENOMEM;
	c->pbx = pbx;
	atomic_init(&c->dropped, false);
	/* Poll deadlines are monotonic (sim_wait_on). */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	rc = pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (rc != 0) {
		free(c);
		return TSP8_ENOMEM;
	}
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
	if (!conn)
		return;
	pthread_cond_destroy(&conn->cv);
	free(conn);
}

void sim_conn_drop(struct sim_conn *conn)
{
	atomic_store(&conn->dropped, true);
	sim_lock(conn->pbx->sim);
	pthread_cond_broadcast(&conn->cv);
	sim_unlock(conn->pbx->sim);
}
