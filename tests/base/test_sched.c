/* Scheduler (base/sched.h): FIFO per queue under concurrent posting,
 * parallelism across queues, the worker cap and its warning, cancelling on
 * queue destroy, shutdown with pending and running items. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/sched.h"
#include "base/trace.h"
#include "test_util.h"

/* A gate items can wait at, with a bounded wait so a bug fails the test
 * instead of hanging it. */
struct gate {
	plat_mutex m;
	plat_cond c;
	int open;
	int arrived;
};

static void gate_init(struct gate *g)
{
	memset(g, 0, sizeof(*g));
	assert_int_equal(plat_mutex_init(&g->m), TSP8_OK);
	assert_int_equal(plat_cond_init(&g->c), TSP8_OK);
}

static void gate_fini(struct gate *g)
{
	plat_cond_destroy(&g->c);
	plat_mutex_destroy(&g->m);
}

static void gate_open(struct gate *g)
{
	plat_mutex_lock(&g->m);
	g->open = 1;
	plat_cond_broadcast(&g->c);
	plat_mutex_unlock(&g->m);
}

/* Waits until the gate opens (at most 10 s); counts the arrival. */
static int gate_pass(struct gate *g)
{
	uint64_t end = plat_now_ms() + 10000;
	int ok;

	plat_mutex_lock(&g->m);
	g->arrived++;
	plat_cond_broadcast(&g->c);
	while (!g->open && plat_now_ms() < end)
		plat_cond_timedwait(&g->c, &g->m, 100);
	ok = g->open;
	plat_mutex_unlock(&g->m);
	return ok;
}

/* Waits until n items arrived at the gate (at most 10 s). */
static int gate_wait_arrived(struct gate *g, int n)
{
	uint64_t end = plat_now_ms() + 10000;
	int got;

	plat_mutex_lock(&g->m);
	while (g->arrived < n && plat_now_ms() < end)
		plat_cond_timedwait(&g->c, &g->m, 100);
	got = g->arrived;
	plat_mutex_unlock(&g->m);
	return got;
}

static struct sched *make(unsigned per_cpu, uint64_t mask, unsigned idle_ms, struct trace *tr)
{
	struct sched_config cfg = { .per_cpu = per_cpu, .cpu_mask = mask,
				    .idle_ms = idle_ms, .tr = tr };
	struct sched *s = NULL;

	assert_int_equal(sched_create(&s, &cfg), TSP8_OK);
	return s;
}

static int wait_executed(struct sched *s, uint64_t n)
{
	uint64_t end = plat_now_ms() + 20000;
	struct sched_stats st;

	do {
		sched_get_stats(s, &st);
		if (st.executed >= n)
			return 1;
		plat_sleep_ms(2);
	} while (plat_now_ms() < end);
	return 0;
}

/* --- FIFO under load --- */

#define PRODUCERS 4
#define PER_PRODUCER 400

struct fifo_state {
	struct sched_queue *shared;
	struct sched_queue *own[PRODUCERS];
	atomic_int in_shared;           /* items of the shared queue running now */
	atomic_int overlap;             /* times two of them ran at once */
	int last_shared[PRODUCERS];     /* last sequence seen per producer */
	int last_own[PRODUCERS];
	atomic_int order_errors;
};

struct fifo_item {
	struct fifo_state *st;
	int producer, seq;
	int shared;
};

static void fifo_run(void *arg)
{
	struct fifo_item *it = arg;
	struct fifo_state *st = it->st;

	if (it->shared) {
		if (atomic_fetch_add(&st->in_shared, 1) != 0)
			atomic_fetch_add(&st->overlap, 1);
		/* one item at a time: plain fields need no lock here */
		if (it->seq != st->last_shared[it->producer] + 1)
			atomic_fetch_add(&st->order_errors, 1);
		st->last_shared[it->producer] = it->seq;
		atomic_fetch_sub(&st->in_shared, 1);
	} else {
		if (it->seq != st->last_own[it->producer] + 1)
			atomic_fetch_add(&st->order_errors, 1);
		st->last_own[it->producer] = it->seq;
	}
	free(it);
}

struct producer_arg {
	struct fifo_state *st;
	int id;
	int failures;
};

static void producer(void *arg)
{
	struct producer_arg *p = arg;
	int i, k;

	for (i = 0; i < PER_PRODUCER; i++) {
		for (k = 0; k < 2; k++) {
			struct fifo_item *it = malloc(sizeof(*it));

			it->st = p->st;
			it->producer = p->id;
			it->seq = i;
			it->shared = k == 0;
			if (sched_post(k == 0 ? p->st->shared : p->st->own[p->id],
				       fifo_run, NULL, it) != TSP8_OK) {
				free(it);
				p->failures++;
			}
		}
	}
}

static void test_fifo_under_load(void **state)
{
	struct sched *s = make(4, 0, 1000, NULL);
	struct fifo_state st;
	struct producer_arg pa[PRODUCERS];
	plat_thread *t[PRODUCERS];
	int i;

	(void)state;
	memset(&st, 0, sizeof(st));
	for (i = 0; i < PRODUCERS; i++) {
		st.last_shared[i] = -1;
		st.last_own[i] = -1;
	}
	assert_int_equal(sched_queue_create(s, &st.shared, "shared"), TSP8_OK);
	for (i = 0; i < PRODUCERS; i++)
		assert_int_equal(sched_queue_create(s, &st.own[i], "own"), TSP8_OK);
	for (i = 0; i < PRODUCERS; i++) {
		pa[i] = (struct producer_arg){ .st = &st, .id = i };
		assert_int_equal(plat_thread_start(&t[i], producer, &pa[i], "producer"), TSP8_OK);
	}
	for (i = 0; i < PRODUCERS; i++) {
		plat_thread_join(t[i]);
		assert_int_equal(pa[i].failures, 0);
	}
	assert_true(wait_executed(s, 2 * PRODUCERS * PER_PRODUCER));
	assert_int_equal(atomic_load(&st.overlap), 0);
	assert_int_equal(atomic_load(&st.order_errors), 0);
	for (i = 0; i < PRODUCERS; i++) {
		assert_int_equal(st.last_shared[i], PER_PRODUCER - 1);
		assert_int_equal(st.last_own[i], PER_PRODUCER - 1);
	}
	for (i = 0; i < PRODUCERS; i++)
		sched_queue_destroy(st.own[i]);
	sched_queue_destroy(st.shared);
	sched_destroy(s, 5000);
}

/* --- parallelism --- */

static void wait_at_gate(void *arg)
{
	gate_pass(arg);
}

static void test_parallel_across_queues(void **state)
{
	struct sched *s = make(4, 0, 1000, NULL);
	struct sched_queue *q[3];
	struct sched_stats st;
	struct gate g;
	int i;

	(void)state;
	gate_init(&g);
	for (i = 0; i < 3; i++) {
		assert_int_equal(sched_queue_create(s, &q[i], "par"), TSP8_OK);
		assert_int_equal(sched_post(q[i], wait_at_gate, NULL, &g), TSP8_OK);
	}
	/* all three run at the same time: each waits for the gate */
	assert_int_equal(gate_wait_arrived(&g, 3), 3);
	sched_get_stats(s, &st);
	assert_true(st.threads >= 3);
	gate_open(&g);
	assert_true(wait_executed(s, 3));
	for (i = 0; i < 3; i++)
		sched_queue_destroy(q[i]);
	sched_destroy(s, 5000);
	gate_fini(&g);
}

/* --- cap and warning --- */

struct warn_seen {
	atomic_int limit_warnings;
	atomic_int thread_lines;
};

static void observe(void *arg, uint32_t cls, const char *line)
{
	struct warn_seen *w = arg;

	if (cls == TRACE_WARN &&
	    strstr(line, "about to spawn new workerthread (") &&
	    strstr(line, "threads) -- but limit 1 exceeded"))
		atomic_fetch_add(&w->limit_warnings, 1);
	if (cls == TRACE_THREAD)
		atomic_fetch_add(&w->thread_lines, 1);
}

struct busy {
	atomic_int now;
	atomic_int max;
};

static void busy_item(void *arg)
{
	struct busy *b = arg;
	int n = atomic_fetch_add(&b->now, 1) + 1, m = atomic_load(&b->max);

	while (n > m && !atomic_compare_exchange_weak(&b->max, &m, n))
		;
	plat_sleep_ms(5);
	atomic_fetch_sub(&b->now, 1);
}

static void test_cap_respected_and_warned(void **state)
{
	struct trace_config tc = { .name = "sched", .level = TRACE_THREAD };
	struct warn_seen w;
	struct trace *tr;
	struct sched *s;
	struct sched_queue *q[5];
	struct sched_stats st;
	struct busy b;
	int i, k;

	(void)state;
	memset(&w, 0, sizeof(w));
	memset(&b, 0, sizeof(b));
	assert_int_equal(trace_create(&tr, &tc), TSP8_OK);
	trace_set_observer(tr, observe, &w);
	s = make(1, 1, 1000, tr);       /* 1 per CPU on a 1-CPU mask */
	sched_get_stats(s, &st);
	assert_int_equal(st.limit, 1);
	for (i = 0; i < 5; i++)
		assert_int_equal(sched_queue_create(s, &q[i], "capped"), TSP8_OK);
	for (k = 0; k < 4; k++)
		for (i = 0; i < 5; i++)
			assert_int_equal(sched_post(q[i], busy_item, NULL, &b), TSP8_OK);
	assert_true(wait_executed(s, 20));
	sched_get_stats(s, &st);
	assert_int_equal(st.peak_threads, 1);
	assert_true(st.threads <= 1);
	assert_int_equal(atomic_load(&b.max), 1);
	assert_true(st.limit_hits > 0);
	/* rate-limited: at least one, far fewer than the hits */
	assert_true(atomic_load(&w.limit_warnings) >= 1);
	assert_true(atomic_load(&w.limit_warnings) <= 2);
	assert_true(atomic_load(&w.thread_lines) >= 1);        /* worker started */
	for (i = 0; i < 5; i++)
		sched_queue_destroy(q[i]);
	sched_destroy(s, 5000);
	trace_destroy(tr);
}

/* --- cancellation and shutdown --- */

struct counts {
	atomic_int ran;
	atomic_int cancelled;
};

static void count_ran(void *arg)
{
	atomic_fetch_add(&((struct counts *)arg)->ran, 1);
}

static void count_cancelled(void *arg)
{
	atomic_fetch_add(&((struct counts *)arg)->cancelled, 1);
}

struct gate_and_counts {
	struct gate g;
	struct counts c;
};

static void blocked_item(void *arg)
{
	struct gate_and_counts *gc = arg;

	gate_pass(&gc->g);
	atomic_fetch_add(&gc->c.ran, 1);
}

static void open_later(void *arg)
{
	plat_sleep_ms(100);
	gate_open(arg);
}

static void test_queue_destroy_cancels_pending(void **state)
{
	struct sched *s = make(4, 0, 1000, NULL);
	struct gate_and_counts gc;
	struct sched_queue *q;
	plat_thread *opener;
	int i;

	(void)state;
	memset(&gc, 0, sizeof(gc));
	gate_init(&gc.g);
	assert_int_equal(sched_queue_create(s, &q, "doomed"), TSP8_OK);
	assert_int_equal(sched_post(q, blocked_item, count_cancelled, &gc), TSP8_OK);
	for (i = 0; i < 5; i++)
		assert_int_equal(sched_post(q, count_ran, count_cancelled, &gc.c), TSP8_OK);
	assert_int_equal(gate_wait_arrived(&gc.g, 1), 1);
	/* destroy waits for the running item, cancels the other five */
	assert_int_equal(plat_thread_start(&opener, open_later, &gc.g, "opener"), TSP8_OK);
	sched_queue_destroy(q);
	assert_int_equal(atomic_load(&gc.c.ran), 1);
	assert_int_equal(atomic_load(&gc.c.cancelled), 5);
	plat_thread_join(opener);
	sched_destroy(s, 5000);
	gate_fini(&gc.g);
}

static void test_destroy_with_pending_items(void **state)
{
	struct sched *s = make(4, 0, 1000, NULL);
	struct gate_and_counts gc;
	struct sched_queue *q, *q2;
	plat_thread *opener;
	int i;

	(void)state;
	memset(&gc, 0, sizeof(gc));
	gate_init(&gc.g);
	assert_int_equal(sched_queue_create(s, &q, "busy"), TSP8_OK);
	assert_int_equal(sched_queue_create(s, &q2, "idle"), TSP8_OK);
	assert_int_equal(sched_post(q, blocked_item, NULL, &gc), TSP8_OK);
	for (i = 0; i < 10; i++)
		assert_int_equal(sched_post(q, count_ran, count_cancelled, &gc.c), TSP8_OK);
	assert_int_equal(gate_wait_arrived(&gc.g, 1), 1);
	assert_int_equal(plat_thread_start(&opener, open_later, &gc.g, "opener"), TSP8_OK);
	/* waits for the running item; queued ones are dropped, nothing called;
	 * queues not destroyed by the caller go with the scheduler */
	sched_destroy(s, 5000);
	assert_int_equal(atomic_load(&gc.c.ran), 1);
	assert_int_equal(atomic_load(&gc.c.cancelled), 0);
	plat_thread_join(opener);
	gate_fini(&gc.g);
}

static void test_destroy_gives_up_on_stuck_item(void **state)
{
	struct sched *s = make(4, 0, 1000, NULL);
	struct gate_and_counts *gc = calloc(1, sizeof(*gc));
	struct sched_queue *q;
	uint64_t t0;
	int i;

	(void)state;
	gate_init(&gc->g);
	assert_int_equal(sched_queue_create(s, &q, "stuck"), TSP8_OK);
	assert_int_equal(sched_post(q, blocked_item, NULL, gc), TSP8_OK);
	assert_int_equal(gate_wait_arrived(&gc->g, 1), 1);
	t0 = plat_now_ms();
	sched_destroy(s, 100);          /* bounded: returns while the item runs */
	assert_in_range(plat_now_ms() - t0, 90, 3000);
	assert_int_equal(atomic_load(&gc->c.ran), 0);
	gate_open(&gc->g);
	for (i = 0; i < 1000 && atomic_load(&gc->c.ran) == 0; i++)
		plat_sleep_ms(2);
	assert_int_equal(atomic_load(&gc->c.ran), 1);
	/* the worker frees the scheduler on its way out; give it the moment */
	plat_sleep_ms(50);
	gate_fini(&gc->g);
	free(gc);
}

static void test_idle_workers_exit(void **state)
{
	struct sched *s = make(4, 0, 30, NULL);
	struct sched_queue *q;
	struct sched_stats st;
	struct counts c;
	int i;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(sched_queue_create(s, &q, "short"), TSP8_OK);
	assert_int_equal(sched_post(q, count_ran, NULL, &c), TSP8_OK);
	assert_true(wait_executed(s, 1));
	for (i = 0; i < 500; i++) {
		sched_get_stats(s, &st);
		if (st.threads == 0)
			break;
		plat_sleep_ms(5);
	}
	assert_int_equal(st.threads, 0);
	assert_int_equal(st.peak_threads, 1);
	/* and the pool comes back on demand */
	assert_int_equal(sched_post(q, count_ran, NULL, &c), TSP8_OK);
	assert_true(wait_executed(s, 2));
	assert_int_equal(atomic_load(&c.ran), 2);
	sched_queue_destroy(q);
	sched_destroy(s, 5000);
}

static void note_affinity(void *arg)
{
	atomic_store((_Atomic uint64_t *)arg, tu_thread_affinity());
}

/* With pin set, workers run only on the processors of cpu_mask. */
static void test_workers_pinned(void **state)
{
	uint64_t all = tu_thread_affinity();
	uint64_t low = all & (~all + 1);
	struct sched_config cfg = { .per_cpu = 2, .cpu_mask = low, .pin = true };
	struct sched *s = NULL;
	struct sched_queue *q;
	_Atomic uint64_t seen = 0;

	(void)state;
	assert_true(all != 0);
	assert_int_equal(sched_create(&s, &cfg), TSP8_OK);
	assert_int_equal(sched_queue_create(s, &q, "pinned"), TSP8_OK);
	assert_int_equal(sched_post(q, note_affinity, NULL, (void *)&seen), TSP8_OK);
	for (int i = 0; i < 500 && atomic_load(&seen) == 0; i++)
		plat_sleep_ms(10);
	sched_queue_destroy(q);
	sched_destroy(s, 5000);
	assert_true(atomic_load(&seen) == low);
}

static void test_bad_arguments(void **state)
{
	struct sched_config cfg = { 0 };
	struct sched *s = NULL;
	struct sched_queue *q;

	(void)state;
	assert_int_equal(sched_create(NULL, &cfg), TSP8_EINVAL);
	assert_int_equal(sched_create(&s, NULL), TSP8_EINVAL);
	assert_int_equal(sched_create(&s, &cfg), TSP8_OK);      /* all defaults */
	assert_int_equal(sched_queue_create(NULL, &q, "x"), TSP8_EINVAL);
	assert_int_equal(sched_queue_create(s, &q, NULL), TSP8_OK);
	assert_int_equal(sched_post(q, NULL, NULL, NULL), TSP8_EINVAL);
	assert_int_equal(sched_post(NULL, count_ran, NULL, NULL), TSP8_EINVAL);
	sched_queue_destroy(q);
	sched_queue_destroy(NULL);
	sched_destroy(s, 1000);
	sched_destroy(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_under_load),
		cmocka_unit_test(test_parallel_across_queues),
		cmocka_unit_test(test_cap_respected_and_warned),
		cmocka_unit_test(test_queue_destroy_cancels_pending),
		cmocka_unit_test(test_destroy_with_pending_items),
		cmocka_unit_test(test_destroy_gives_up_on_stuck_item),
		cmocka_unit_test(test_idle_workers_exit),
		cmocka_unit_test(test_workers_pinned),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
