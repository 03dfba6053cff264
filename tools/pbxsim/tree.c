/* pbxsim PBX trees: membership, registration, standby takeover, LocationUrl. */
#include "tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "calls.h"
#include "session.h"
#include "simlog.h"

int tree_create(struct sim *sim, struct sim_pbx *master, unsigned takeover_ms,
		struct sim_tree **out)
{
	struct sim_tree *t;
	struct sim_tree **n;

	if (!sim || !master || !out)
		return TSP8_EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return TSP8_ENOMEM;
	n = realloc(sim->trees, (sim->ntrees + 1) * sizeof(*n));
	if (!n) {
		free(t);
		return TSP8_ENOMEM;
	}
	sim->trees = n;
	t->sim = sim;
	t->master = master;
	t->takeover_ms = takeover_ms;
	if (tree_add_member(t, master) != TSP8_OK) {
		free(t);
		return TSP8_ENOMEM;
	}
	sim->trees[sim->ntrees++] = t;
	*out = t;
	return TSP8_OK;
}

int tree_add_member(struct sim_tree *tree, struct sim_pbx *pbx)
{
	struct sim_pbx **n = realloc(tree->pbxs, (tree->npbx + 1) * sizeof(*n));

	if (!n)
		return TSP8_ENOMEM;
	tree->pbxs = n;
	tree->pbxs[tree->npbx++] = pbx;
	pbx->tree = tree;
	return TSP8_OK;
}

void tree_free(struct sim_tree *tree)
{
	if (!tree)
		return;
	calls_free_all(tree);
	dir_free(&tree->dir);
	free(tree->pbxs);
	free(tree);
}

/* ---- roles --------------------------------------------------------------- */

struct sim_pbx *tree_identity(const struct sim_pbx *pbx)
{
	return (struct sim_pbx *)(pbx->primary ? pbx->primary : pbx);
}

bool tree_passive(const struct sim_pbx *pbx)
{
	return pbx->role == SIM_ROLE_STANDBY && !pbx->active;
}

struct sim_pbx *tree_serving(const struct sim_pbx *primary)
{
	const struct sim_pbx *s = primary->standby;

	if (primary->running)
		return (struct sim_pbx *)primary;
	if (s && s->running && s->active)
		return (struct sim_pbx *)s;
	return NULL;
}

bool tree_registered(const struct sim_pbx *primary)
{
	if (primary->role == SIM_ROLE_SLAVE && primary->unregistered)
		return false;
	return tree_serving(primary) != NULL;
}

int tree_object_state(const struct sim_object *o)
{
	if (o->slave)
		return tree_registered(o->slave) ? 1 : 0;
	return model_registered(o) ? 1 : 0;
}

void tree_resolve_slave(struct sim_tree *tree, struct sim_object *o)
{
	o->slave = NULL;
	if (strcmp(o->object, "pbx") != 0 || !o->h323[0])
		return;
	for (size_t i = 0; i < tree->npbx; i++) {
		struct sim_pbx *p = tree->pbxs[i];

		if (p->role == SIM_ROLE_SLAVE && strcasecmp(p->location, o->h323) == 0) {
			o->slave = p;
			return;
		}
	}
}

void tree_location_url(const struct sim_pbx *pbx, const char *loc, char *out, size_t len)
{
	const struct sim_tree *t = pbx->tree;

	sim_strlcpy(out, "", len);
	if (!loc || !*loc || tree_passive(pbx))
		return;
	for (size_t i = 0; i < t->npbx; i++) {
		const struct sim_pbx *p = t->pbxs[i];

		if (p->role == SIM_ROLE_STANDBY || strcasecmp(p->location, loc) != 0)
			continue;
		if (!tree_registered(p))
			return;
		/* The master only learnt the address the PBX registered from:
		 * 127.0.0.1, default port (reference, Known Problems). */
		if (p->loopback_registration && tree_identity(pbx) != p) {
			if (p->path_id[0])
				snprintf(out, len, "http://127.0.0.1/PBX-%s/user.soap", p->path_id);
			else
				snprintf(out, len, "http://127.0.0.1/PBX0/user.soap");
		} else {
			sim_strlcpy(out, tree_serving(p)->url, len);
		}
		return;
	}
}

/* ---- state changes ------------------------------------------------------- */

/* UserInfo of every PBX object that follows primary's registration. */
static void emit_pbx_objects(struct sim_pbx *primary)
{
	struct sim_dir *d = &primary->tree->dir;

	for (size_t i = 0; i < d->nobjs; i++)
		if (d->objs[i]->slave == primary)
			session_emit_userinfo(primary, d->objs[i], true);
}

static void go_passive(struct sim_pbx *standby)
{
	if (!standby || !standby->active)
		return;
	standby->active = false;
	session_invalidate_all(standby);
	sim_log(standby->sim, "%s: standby passive again (sessions invalidated)", standby->name);
}

void tree_set_running(struct sim_pbx *pbx, bool running)
{
	struct sim_pbx *p = tree_identity(pbx);
	bool before = tree_registered(p);

	pbx->running = running;
	pbx->changed_ms = sim_now_ms();
	if (pbx->role != SIM_ROLE_STANDBY && running)
		go_passive(pbx->standby);
	if (pbx->role == SIM_ROLE_STANDBY && !running)
		go_passive(pbx);
	pthread_cond_broadcast(&pbx->sim->timer_cv);
	if (tree_registered(p) != before)
		emit_pbx_objects(p);
}

int tree_set_slave_registered(struct sim_pbx *pbx, bool registered)
{
	bool before;

	if (pbx->role != SIM_ROLE_SLAVE)
		return TSP8_EINVAL;
	before = tree_registered(pbx);
	pbx->unregistered = !registered;
	sim_log(pbx->sim, "%s: slave %s", pbx->name, registered ? "registered" : "unregistered");
	if (tree_registered(pbx) != before)
		emit_pbx_objects(pbx);
	return TSP8_OK;
}

/* ---- takeover timer ------------------------------------------------------ */

/* When standby s takes over (its primary has been down long enough);
 * false when it does not wait for that. */
static bool takeover_due(const struct sim_pbx *s, uint64_t *at)
{
	const struct sim_pbx *p = s->primary;
	uint64_t since;

	if (s->role != SIM_ROLE_STANDBY || s->active || !s->running || p->running)
		return false;
	since = p->changed_ms > s->changed_ms ? p->changed_ms : s->changed_ms;
	*at = since + s->tree->takeover_ms;
	return true;
}

static void take_over(struct sim_pbx *s)
{
	struct sim_pbx *p = s->primary;
	bool before = tree_registered(p);

	s->active = true;
	sim_log(s->sim, "%s: standby takes over from %s", s->name, p->name);
	if (tree_registered(p) != before)
		emit_pbx_objects(p);
}

static void *timer_main(void *arg)
{
	struct sim *sim = arg;

	sim_lock(sim);
	while (!sim->shutting_down) {
		uint64_t now = sim_now_ms(), next = UINT64_MAX;

		for (size_t i = 0; i < sim->npbx; i++) {
			uint64_t at;

			if (!takeover_due(sim->pbxs[i], &at))
				continue;
			if (at <= now)
				take_over(sim->pbxs[i]);
			else if (at < next)
				next = at;
		}
		if (next == UINT64_MAX)
			pthread_cond_wait(&sim->timer_cv, &sim->lock);
		else
			sim_wait_on(sim, &sim->timer_cv, (unsigned)(next - now));
	}
	sim_unlock(sim);
	return NULL;
}

int tree_timer_start(struct sim *sim)
{
	int rc;

	sim_lock(sim);
	if (sim->timer_started) {
		sim_unlock(sim);
		return TSP8_OK;
	}
	rc = sim_thread_create(&sim->timer, timer_main, sim);
	sim->timer_started = rc == TSP8_OK;
	sim_unlock(sim);
	return rc;
}
