/* Scheduler: a worker pool capped at N activities per allowed processor.
 *
 * Work is posted to queues ("targets": one per PBX session, per line, ...).
 * Items of one queue run one at a time in FIFO order; different queues run
 * in parallel on the pool.  The pool grows on demand up to the cap
 * (per_cpu * plat_cpu_count(cpu_mask)); when more queues are runnable than
 * the cap allows, a WARN trace in the reference's words is written:
 *   "about to spawn new workerthread (n requests, m threads) -- but limit l exceeded"
 * (rate-limited) and the work waits for a free worker.
 */
#ifndef TSP8_BASE_SCHED_H
#define TSP8_BASE_SCHED_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct trace;
struct sched;
struct sched_queue;

struct sched_config {
	unsigned per_cpu;      /* ActivitiesPerCpu, default 60 */
	uint64_t cpu_mask;     /* ProcessorMask, 0 = all */
	bool pin;              /* workers run only on the processors of cpu_mask */
	unsigned idle_ms;      /* idle worker exits after this (default 30000) */
	struct trace *tr;
};

struct sched_stats {
	unsigned threads;      /* current workers */
	unsigned peak_threads; /* highest number of workers so far */
	unsigned limit;        /* cap */
	uint64_t executed;     /* items run */
	uint64_t limit_hits;   /* times demand exceeded the cap */
};

typedef void (sched_fn)(void *arg);

/* Pins the calling thread to the processors of mask (ProcessorMask; 0 =
 * leave it alone); a mask that cannot be applied is a trace warning naming
 * who, and the thread runs on.  For every thread the provider starts. */
void sched_pin_thread(uint64_t mask, struct trace *tr, const char *who);

int  sched_create(struct sched **out, const struct sched_config *cfg);
/* Waits (bounded by timeout_ms) for running items, drops queued ones
 * after calling nothing, joins workers, frees. */
void sched_destroy(struct sched *s, uint32_t timeout_ms);
void sched_get_stats(struct sched *s, struct sched_stats *out);

int  sched_queue_create(struct sched *s, struct sched_queue **out, const char *name);
/* Discards pending items (their cancel function, if any, is called) and
 * waits until an item of this queue that is running has finished.  Must not
 * be called from an item of the same queue. */
void sched_queue_destroy(struct sched_queue *q);

/* Appends fn(arg) to q.  cancel(arg), if not NULL, is called instead of fn
 * when the item is discarded before it ran. */
int  sched_post(struct sched_queue *q, sched_fn *fn, sched_fn *cancel, void *arg);

#endif
