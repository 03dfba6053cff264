/* pbxsim core: the simulator state of one process (all PBXs) and its lock.
 *
 * One mutex guards the whole model (PBXs, objects, sessions, event queues,
 * calls).  It is never held while writing to a socket or to stdout, and no
 * code outside the model runs while it is held.
 */
#ifndef PBXSIM_SIM_H
#define PBXSIM_SIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "model.h"

struct sim_options {
	unsigned poll_idle_ms;      /* longest idle Poll */
	unsigned session_expiry_ms; /* session life after its last connection closed */
	bool verbose;               /* log requests and call states to stderr */
};

struct sim {
	/* Guards every field below and everything reachable from pbxs. */
	pthread_mutex_t lock;
	/* Broadcast (with lock held) when events were queued, sessions became
	 * invalid, connections were dropped or the simulator shuts down: wakes
	 * every waiting Poll, which then re-checks its own condition. */
	pthread_cond_t changed;
	struct sim_options opt;
	struct sim_pbx **pbxs;      /* owned */
	size_t npbx;
	int next_simcall;           /* control-channel call ids, process wide */
	unsigned long next_conf;    /* conference id counter */
	bool shutting_down;
};

/* Creates an empty simulator.  TSP8_OK, TSP8_EINVAL, TSP8_ENOMEM. */
int sim_create(struct sim **out, const struct sim_options *opt);
/* Frees the PBXs and everything in them.  No other thread may use sim. */
void sim_destroy(struct sim *sim);

/* Adds a PBX (takes ownership; sets pbx->sim).  TSP8_OK / TSP8_ENOMEM. */
int sim_add_pbx(struct sim *sim, struct sim_pbx *pbx);
/* Allocates a zeroed PBX with the defaults of the tree format. */
struct sim_pbx *sim_pbx_new(void);
/* Frees a PBX that was never added, or one being destroyed. */
void sim_pbx_free(struct sim_pbx *pbx);

struct sim_pbx *sim_find_pbx(const struct sim *sim, const char *name);

void sim_lock(struct sim *sim);
void sim_unlock(struct sim *sim);
/* Wakes every waiting Poll (lock held). */
void sim_wake(struct sim *sim);
/* Waits on sim->changed at most ms milliseconds (lock held). */
void sim_wait(struct sim *sim, unsigned ms);
/* Marks the simulator as shutting down and wakes every Poll. */
void sim_shutdown(struct sim *sim);

/* Monotonic milliseconds. */
uint64_t sim_now_ms(void);

#endif
