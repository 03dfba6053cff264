/* pbxsim core: simulator lifetime, PBX list and the model lock. */
#include "sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "calls.h"
#include "session.h"
#include "tree.h"

uint64_t sim_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int sim_create(struct sim **out, const struct sim_options *opt)
{
	struct sim *sim;
	pthread_condattr_t ca;

	if (!out || !opt)
		return TSP8_EINVAL;
	sim = calloc(1, sizeof(*sim));
	if (!sim)
		return TSP8_ENOMEM;
	sim->opt = *opt;
	sim->next_simcall = 1;
	if (pthread_mutex_init(&sim->lock, NULL) != 0) {
		free(sim);
		return TSP8_ENOMEM;
	}
	/* Poll deadlines are monotonic: wall-clock jumps must not cut them. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (pthread_cond_init(&sim->changed, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		pthread_mutex_destroy(&sim->lock);
		free(sim);
		return TSP8_ENOMEM;
	}
	if (pthread_cond_init(&sim->timer_cv, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		pthread_cond_destroy(&sim->changed);
		pthread_mutex_destroy(&sim->lock);
		free(sim);
		return TSP8_ENOMEM;
	}
	pthread_condattr_destroy(&ca);
	*out = sim;
	return TSP8_OK;
}

struct sim_pbx *sim_pbx_new(void)
{
	struct sim_pbx *pbx = calloc(1, sizeof(*pbx));

	if (!pbx)
		return NULL;
	pbx->dump_chunk = 100;
	/* A PBX of a loaded tree is up unless the control channel stops it. */
	pbx->running = true;
	pbx->changed_ms = sim_now_ms();
	pbx->next_session = 1;
	pbx->next_user = 1;
	pbx->next_call = 1;
	return pbx;
}

void sim_pbx_free(struct sim_pbx *pbx)
{
	if (!pbx)
		return;
	while (pbx->sessions) {
		struct sim_session *s = pbx->sessions;

		session_end(pbx, s->handle);
	}
	free(pbx);
}

int sim_add_pbx(struct sim *sim, struct sim_pbx *pbx)
{
	struct sim_pbx **n = realloc(sim->pbxs, (sim->npbx + 1) * sizeof(*n));

	if (!n)
		return TSP8_ENOMEM;
	sim->pbxs = n;
	pbx->sim = sim;
	sim->pbxs[sim->npbx++] = pbx;
	return TSP8_OK;
}

void sim_destroy(struct sim *sim)
{
	if (!sim)
		return;
	if (sim->timer_started) {
		sim_lock(sim);
		sim->shutting_down = true;
		pthread_cond_broadcast(&sim->timer_cv);
		sim_unlock(sim);
		pthread_join(sim->timer, NULL);
	}
	for (size_t i = 0; i < sim->npbx; i++)
		sim_pbx_free(sim->pbxs[i]);
	free(sim->pbxs);
	for (size_t i = 0; i < sim->ntrees; i++)
		tree_free(sim->trees[i]);
	free(sim->trees);
	pthread_cond_destroy(&sim->timer_cv);
	pthread_cond_destroy(&sim->changed);
	pthread_mutex_destroy(&sim->lock);
	free(sim);
}

struct sim_pbx *sim_find_pbx(const struct sim *sim, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sim->npbx; i++)
		if (strcmp(sim->pbxs[i]->name, name) == 0)
			return sim->pbxs[i];
	return NULL;
}

void sim_lock(struct sim *sim)
{
	pthread_mutex_lock(&sim->lock);
}

void sim_unlock(struct sim *sim)
{
	pthread_mutex_unlock(&sim->lock);
}

void sim_wake(struct sim *sim)
{
	pthread_cond_broadcast(&sim->changed);
}

void sim_wait(struct sim *sim, unsigned ms)
{
	sim_wait_on(sim, &sim->changed, ms);
}

void sim_wait_on(struct sim *sim, pthread_cond_t *cv, unsigned ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000u;
	ts.tv_nsec += (long)(ms % 1000u) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	/* ETIMEDOUT and spurious wake-ups look the same to callers: they
	 * re-check their condition and their deadline. */
	(void)pthread_cond_timedwait(cv, &sim->lock, &ts);
}

int sim_thread_create(pthread_t *t, void *(*fn)(void *), void *arg)
{
	pthread_attr_t a;
	int rc;

	if (pthread_attr_init(&a) != 0)
		return TSP8_ENOMEM;
	pthread_attr_setstacksize(&a, SIM_THREAD_STACK);
	rc = pthread_create(t, &a, fn, arg);
	pthread_attr_destroy(&a);
	return rc == 0 ? TSP8_OK : TSP8_ENOMEM;
}

void sim_shutdown(struct sim *sim)
{
	sim_lock(sim);
	sim->shutting_down = true;
	session_wake_all(sim);
	pthread_cond_broadcast(&sim->timer_cv);
	sim_unlock(sim);
}
