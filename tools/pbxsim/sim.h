/* pbxsim core: the simulator state of one process (all PBXs and their
 * trees) and its lock.
 *
 * One mutex guards the whole model (PBXs, trees, objects, sessions, event
 * queues, calls).  It is never held while writing to a socket or to
 * stdout, and no code outside the model runs while it is held.
 */
#ifndef PBXSIM_SIM_H
#define PBXSIM_SIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "model.h"

/* Stack size of every pbxsim thread: one thread per HTTP connection and
 * one listener per PBX must scale to hundreds of PBXs. */
#define SIM_THREAD_STACK (256u * 1024u)

struct sim_tree;

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
	/* Signalled (with lock held) when a PBX stopped or started and on
	 * shutdown: wakes the standby takeover timer (tree.c). */
	pthread_cond_t timer_cv;
	pthread_t timer;
	bool timer_started;
	struct sim_options opt;
	struct sim_pbx **pbxs;      /* owned, tree file order */
	size_t npbx;
	struct sim_tree **trees;    /* owned */
	size_t ntrees;
	int next_simcall;           /* control-channel call ids, process wide */
	unsigned long next_conf;    /* conference id counter */
	bool shutting_down;
};

/* Creates an empty simulator.  TSP8_OK, TSP8_EINVAL, TSP8_ENOMEM. */
int sim_create(struct sim **out, const struct sim_options *opt);
/* Stops the takeover timer, frees the PBXs, the trees and everything in
 * them.  No other thread may use sim. */
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
/* Same on another condition variable created like sim->changed. */
void sim_wait_on(struct sim *sim, pthread_cond_t *cv, unsigned ms);
/* pthread_create with the SIM_THREAD_STACK stack.  TSP8_OK / TSP8_ENOMEM. */
int sim_thread_create(pthread_t *t, void *(*fn)(void *), void *arg);
/* Marks the simulator as shutting down and wakes every Poll. */
void sim_shutdown(struct sim *sim);

/* Monotonic milliseconds. */
uint64_t sim_now_ms(void);

#endif
