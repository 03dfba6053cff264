/* Scheduler of base/sched.h: per-target FIFO queues served by a worker
 * pool that grows on demand up to per_cpu * processors and shrinks when
 * workers stay idle. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/platform_priv.h"
#include "base/sched.h"
#include "base/trace.h"

#define PER_CPU_DEFAULT 60u
#define IDLE_MS_DEFAULT 30000u
#define WARN_INTERVAL_MS 1000u  /* at most one limit warning per second */

struct sched_item {
	struct sched_item *next;
	sched_fn *fn;
	sched_fn *cancel;
	void *arg;
};

struct sched_queue {
	struct sched *s;
	char *name;
	struct sched_item *head, *tail;         /* pending items, FIFO */
	struct sched_queue *next_run;           /* in s->run list */
	struct sched_queue *next, *prev;        /* in s->queues */
	bool running;           /* one of its items runs now */
	bool runnable;          /* waits in s->run for a worker */
	bool dying;             /* sched_queue_destroy has begun */
	bool abandoned;         /* sched_destroy gave up on it: its worker frees it */
};

struct worker {
	struct sched *s;
	plat_thread *thread;
	struct worker *next;    /* in s->workers, later in s->zombies */
	bool busy;              /* runs an item */
	bool detached;          /* nobody will join it: frees itself */
};

struct sched {
	struct trace *tr;
	unsigned limit;
	unsigned idle_ms;
	uint64_t pin_mask;      /* != 0: workers pin themselves to it */

	plat_mutex lock;        /* guards every field below */
	plat_cond work;         /* workers wait here for runnable queues */
	plat_cond done;         /* an item finished or a worker exited */
	struct sched_queue *run_head, *run_tail;
	unsigned nrun;          /* queues in the run list */
	struct sched_queue *queues;     /* all queues not yet destroyed */
	struct worker *workers;         /* running workers */
	struct worker *zombies;         /* exited workers still to be joined */
	unsigned threads, idle;
	struct sched_stats stats;
	bool warned;
	uint64_t last_warn_ms;
	bool shutdown;
	bool orphaned;          /* destroyed; the last busy worker frees it */
};

static void sched_free(struct sched *s)
{
	plat_cond_destroy(&s->done);
	plat_cond_destroy(&s->work);
	plat_mutex_destroy(&s->lock);
	free(s);
}

int sched_create(struct sched **out, const struct sched_config *cfg)
{
	struct sched *s;

	if (!out || !cfg)
		return TSP8_EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return TSP8_ENOMEM;
	s->tr = cfg->tr;
	s->limit = (cfg->per_cpu ? cfg->per_cpu : PER_CPU_DEFAULT) *
		   plat_cpu_count(cfg->cpu_mask);
	s->idle_ms = cfg->idle_ms ? cfg->idle_ms : IDLE_MS_DEFAULT;
	s->pin_mask = cfg->pin ? cfg->cpu_mask : 0;
	s->stats.limit = s->limit;
	if (plat_mutex_init(&s->lock) != TSP8_OK) {
		free(s);
		return TSP8_ENOMEM;
	}
	if (plat_cond_init(&s->work) != TSP8_OK) {
		plat_mutex_destroy(&s->lock);
		free(s);
		return TSP8_ENOMEM;
	}
	if (plat_cond_init(&s->done) != TSP8_OK) {
		plat_cond_destroy(&s->work);
		plat_mutex_destroy(&s->lock);
		free(s);
		return TSP8_ENOMEM;
	}
	TRACE(s->tr, TRACE_THREAD, "scheduler: up to %u worker threads", s->limit);
	*out = s;
	return TSP8_OK;
}

/* --- run list (lock held) --- */

static void push_run(struct sched *s, struct sched_queue *q)
{
	q->next_run = NULL;
	if (s->run_tail)
		s->run_tail->next_run = q;
	else
		s->run_head = q;
	s->run_tail = q;
	q->runnable = true;
	s->nrun++;
}

static struct sched_queue *pop_run(struct sched *s)
{
	struct sched_queue *q = s->run_head;

	if (!q)
		return NULL;
	s->run_head = q->next_run;
	if (!s->run_head)
		s->run_tail = NULL;
	q->runnable = false;
	s->nrun--;
	return q;
}

static void remove_run(struct sched *s, struct sched_queue *q)
{
	struct sched_queue **p, *prev = NULL;

	for (p = &s->run_head; *p; prev = *p, p = &(*p)->next_run) {
		if (*p != q)
			continue;
		*p = q->next_run;
		if (s->run_tail == q)
			s->run_tail = prev;
		q->runnable = false;
		s->nrun--;
		return;
	}
}

static void free_items(struct sched_item *it)
{
	struct sched_item *next;

	for (; it; it = next) {
		next = it->next;
		free(it);
	}
}

static void unlink_queue(struct sched *s, struct sched_queue *q)
{
	if (q->prev)
		q->prev->next = q->next;
	else
		s->queues = q->next;
	if (q->next)
		q->next->prev = q->prev;
}

static void free_queue(struct sched_queue *q)
{
	free_items(q->head);
	free(q->name);
	free(q);
}

/* --- workers --- */

static void unlink_worker(struct sched *s, struct worker *w)
{
	struct worker **p;

	for (p = &s->workers; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			return;
		}
	}
}

/* Runs one item of q (lock held on entry and on return). */
static void run_one(struct sched *s, struct worker *w, struct sched_queue *q)
{
	struct sched_item *it = q->head;

	q->head = it->next;
	if (!q->head)
		q->tail = NULL;
	q->running = true;
	w->busy = true;
	plat_mutex_unlock(&s->lock);

	TRACE(s->tr, TRACE_WORKER, "worker: running item of queue %s", q->name);
	it->fn(it->arg);
	free(it);

	plat_mutex_lock(&s->lock);
	w->busy = false;
	q->running = false;
	s->stats.executed++;
	if (q->abandoned)
		free_queue(q);
	else if (q->head && !q->dying && !s->shutdown)
		push_run(s, q);         /* behind the others: fair between queues */
	plat_cond_broadcast(&s->done);
}

void sched_pin_thread(uint64_t mask, struct trace *tr, const char *who)
{
	if (!mask)
		return;
	int rc = plat_thread_pin(mask);
	if (rc != TSP8_OK)
		TRACE(tr, TRACE_WARN, "%s: ProcessorMask 0x%llx not applied: %s", who,
		      (unsigned long long)mask, tsp8_strerror(rc));
}

static void worker_main(void *arg)
{
	struct worker *w = arg;
	struct sched *s = w->s;
	struct trace *tr = s->tr;
	struct sched_queue *q;
	bool free_sched = false;
	unsigned left;

	TRACE(tr, TRACE_THREAD, "worker thread started");
	sched_pin_thread(s->pin_mask, tr, "worker thread");
	plat_mutex_lock(&s->lock);
	for (;;) {
		q = pop_run(s);
		if (q) {
			run_one(s, w, q);
			continue;
		}
		if (s->shutdown)
			break;
		s->idle++;
		if (plat_cond_timedwait(&s->work, &s->lock, s->idle_ms) == TSP8_ETIMEOUT &&
		    !s->run_head && !s->shutdown) {
			s->idle--;
			break;          /* idle long enough: give the thread back */
		}
		s->idle--;
	}
	s->threads--;
	left = s->threads;
	unlink_worker(s, w);
	if (w->detached) {
		free(w);
		free_sched = s->orphaned && s->threads == 0;
	} else {
		w->next = s->zombies;   /* joined by the next sched_post or by destroy */
		s->zombies = w;
	}
	plat_cond_broadcast(&s->done);
	plat_mutex_unlock(&s->lock);
	/* Once unlocked, a destroyed scheduler may be gone: only tr is used. */
	TRACE(tr, TRACE_THREAD, "worker thread exits (%u left)", left);
	if (free_sched)
		sched_free(s);
}

/* Starts a worker (lock held). */
static int spawn(struct sched *s)
{
	struct worker *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return TSP8_ENOMEM;
	w->s = s;
	/* The new thread blocks on the lock we hold until we are done here. */
	rc = plat_thread_start(&w->thread, worker_main, w, "tsp8-worker");
	if (rc != TSP8_OK) {
		free(w);
		return rc;
	}
	w->next = s->workers;
	s->workers = w;
	s->threads++;
	if (s->threads > s->stats.peak_threads)
		s->stats.peak_threads = s->threads;
	return TSP8_OK;
}

static struct worker *take_zombies(struct sched *s)
{
	struct worker *z = s->zombies;

	s->zombies = NULL;
	return z;
}

static void join_zombies(struct worker *z)
{
	struct worker *next;

	for (; z; z = next) {
		next = z->next;
		plat_thread_join(z->thread);
		free(z);
	}
}

/* --- queues --- */

int sched_queue_create(struct sched *s, struct sched_queue **out, const char *name)
{
	struct sched_queue *q;

	if (!s || !out)
		return TSP8_EINVAL;
	q = calloc(1, sizeof(*q));
	if (!q)
		return TSP8_ENOMEM;
	if (!name)
		name = "";
	q->name = malloc(strlen(name) + 1);
	if (!q->name) {
		free(q);
		return TSP8_ENOMEM;
	}
	strcpy(q->name, name);
	q->s = s;
	plat_mutex_lock(&s->lock);
	if (s->shutdown) {
		plat_mutex_unlock(&s->lock);
		free_queue(q);
		return TSP8_ESHUTDOWN;
	}
	q->next = s->queues;
	if (s->queues)
		s->queues->prev = q;
	s->queues = q;
	plat_mutex_unlock(&s->lock);
	*out = q;
	return TSP8_OK;
}

void sched_queue_destroy(struct sched_queue *q)
{
	struct sched_item *items, *next;
	struct sched *s;

	if (!q)
		return;
	s = q->s;
	plat_mutex_lock(&s->lock);
	q->dying = true;
	items = q->head;
	q->head = q->tail = NULL;
	if (q->runnable)
		remove_run(s, q);
	while (q->running)
		plat_cond_wait(&s->done, &s->lock);
	unlink_queue(s, q);
	plat_mutex_unlock(&s->lock);

	/* Cancel callbacks run unlocked: they may post to other queues. */
	for (; items; items = next) {
		next = items->next;
		if (items->cancel)
			items->cancel(items->arg);
		free(items);
	}
	free_queue(q);
}

int sched_post(struct sched_queue *q, sched_fn *fn, sched_fn *cancel, void *arg)
{
	struct sched_item *it;
	struct worker *zombies;
	struct sched *s;
	unsigned demand, threads = 0;
	bool warn = false;
	uint64_t now;
	int rc = TSP8_OK;

	if (!q || !fn)
		return TSP8_EINVAL;
	s = q->s;
	it = calloc(1, sizeof(*it));
	if (!it)
		return TSP8_ENOMEM;
	it->fn = fn;
	it->cancel = cancel;
	it->arg = arg;

	plat_mutex_lock(&s->lock);
	if (s->shutdown || q->dying) {
		plat_mutex_unlock(&s->lock);
		free(it);
		return TSP8_ESHUTDOWN;
	}
	/* Queues waiting for a worker once this item is in. */
	demand = s->nrun + (!q->running && !q->runnable ? 1u : 0u);
	if (demand > s->idle) {
		if (s->threads < s->limit) {
			rc = spawn(s);
			/* Without any worker the item would never run. */
			if (rc != TSP8_OK && s->threads > 0)
				rc = TSP8_OK;
		} else {
			s->stats.limit_hits++;
			now = plat_now_ms();
			if (!s->warned || now - s->last_warn_ms >= WARN_INTERVAL_MS) {
				s->warned = true;
				s->last_warn_ms = now;
				warn = true;
				threads = s->threads;
			}
		}
	}
	if (rc == TSP8_OK) {
		if (q->tail)
			q->tail->next = it;
		else
			q->head = it;
		q->tail = it;
		if (!q->running && !q->runnable)
			push_run(s, q);
		plat_cond_signal(&s->work);
	}
	zombies = take_zombies(s);
	plat_mutex_unlock(&s->lock);

	join_zombies(zombies);
	if (rc != TSP8_OK) {
		free(it);
		TRACE(s->tr, TRACE_WARN, "could not start a worker thread: %s",
		      tsp8_strerror(rc));
	}
	if (warn)
		TRACE(s->tr, TRACE_WARN,
		      "about to spawn new workerthread (%u requests, %u threads) "
		      "-- but limit %u exceeded", demand, threads, s->limit);
	return rc;
}

void sched_get_stats(struct sched *s, struct sched_stats *out)
{
	if (!s || !out)
		return;
	plat_mutex_lock(&s->lock);
	*out = s->stats;
	out->threads = s->threads;
	plat_mutex_unlock(&s->lock);
}

static unsigned busy_workers(const struct sched *s)
{
	const struct worker *w;
	unsigned n = 0;

	for (w = s->workers; w; w = w->next)
		n += w->busy;
	return n;
}

void sched_destroy(struct sched *s, uint32_t timeout_ms)
{
	struct sched_queue *q, *next;
	struct worker *w, *zombies;
	struct trace *tr;
	uint64_t deadline, now;
	unsigned stuck;

	if (!s)
		return;
	tr = s->tr;
	plat_mutex_lock(&s->lock);
	s->shutdown = true;
	/* Queued items are dropped without calling anything (sched.h). */
	for (q = s->queues; q; q = q->next) {
		free_items(q->head);
		q->head = q->tail = NULL;
		q->runnable = false;
	}
	s->run_head = s->run_tail = NULL;
	s->nrun = 0;
	plat_cond_broadcast(&s->work);

	deadline = plat_now_ms() + timeout_ms;
	while (s->threads > 0 && (now = plat_now_ms()) < deadline)
		plat_cond_timedwait(&s->done, &s->lock, (uint32_t)(deadline - now));
	/* Idle workers leave at once; only wait for those. */
	while (s->threads > busy_workers(s))
		plat_cond_wait(&s->done, &s->lock);

	stuck = s->threads;
	for (w = s->workers; w; w = w->next) {
		w->detached = true;
		plat_thread_detach(w->thread);
		w->thread = NULL;
	}
	for (q = s->queues; q; q = next) {
		next = q->next;
		if (q->running)
			q->abandoned = true;
		else
			free_queue(q);
	}
	s->queues = NULL;
	s->orphaned = stuck > 0;
	zombies = take_zombies(s);
	plat_mutex_unlock(&s->lock);

	join_zombies(zombies);
	if (stuck) {
		TRACE(tr, TRACE_WARN, "scheduler: %u worker(s) still busy after %u ms; "
		      "left to finish on their own", stuck, (unsigned)timeout_ms);
		return;         /* the last of them frees s */
	}
	sched_free(s);
}
