/* pbx_io timers, run items, thread identity, and destroy with work
 * pending. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"
#include "base/platform.h"
#include "soap/pbx_io.h"
#include "test_io_server.h"
#include "test_io_wait.h"

/* Records the order in which timer/run callbacks fire. */
struct order {
	plat_mutex lock;           /* guards n, seq, on_thread */
	plat_cond cond;
	struct pbx_io *io;
	unsigned n;
	int seq[64];
	bool on_thread[64];
};

struct tick {
	struct order *o;
	int tag;
};

static void on_tick(void *arg)
{
	struct tick *t = arg;
	struct order *o = t->o;
	bool on = pbx_io_on_thread(o->io);
	plat_mutex_lock(&o->lock);
	if (o->n < 64) {
		o->seq[o->n] = t->tag;
		o->on_thread[o->n] = on;
	}
	o->n++;
	plat_cond_broadcast(&o->cond);
	plat_mutex_unlock(&o->lock);
}

static bool wait_ticks(struct order *o, unsigned n, uint32_t ms)
{
	uint64_t end = plat_now_ms() + ms;
	plat_mutex_lock(&o->lock);
	while (o->n < n && plat_now_ms() < end)
		plat_cond_timedwait(&o->cond, &o->lock, 50);
	bool ok = o->n >= n;
	plat_mutex_unlock(&o->lock);
	return ok;
}

static unsigned ticks(struct order *o)
{
	plat_mutex_lock(&o->lock);
	unsigned n = o->n;
	plat_mutex_unlock(&o->lock);
	return n;
}

static void order_init(struct order *o, struct pbx_io *io)
{
	memset(o, 0, sizeof(*o));
	plat_mutex_init(&o->lock);
	plat_cond_init(&o->cond);
	o->io = io;
}

static void order_fini(struct order *o)
{
	plat_cond_destroy(&o->cond);
	plat_mutex_destroy(&o->lock);
}

static void test_timer_order_and_cancel(void **state)
{
	(void)state;
	struct pbx_io *io;
	assert_int_equal(pbx_io_create(&io, NULL), TSP8_OK);
	struct order o;
	order_init(&o, io);
	struct tick t[5] = { { &o, 300 }, { &o, 100 }, { &o, 200 }, { &o, 150 }, { &o, 101 } };
	uint64_t id[5];
	uint64_t t0 = plat_now_ms();
	assert_int_equal(pbx_io_timer(io, 300, on_tick, &t[0], &id[0]), TSP8_OK);
	assert_int_equal(pbx_io_timer(io, 100, on_tick, &t[1], &id[1]), TSP8_OK);
	assert_int_equal(pbx_io_timer(io, 200, on_tick, &t[2], &id[2]), TSP8_OK);
	assert_int_equal(pbx_io_timer(io, 150, on_tick, &t[3], &id[3]), TSP8_OK);
	/* Same due time as t[1] or later: fires after it. */
	assert_int_equal(pbx_io_timer(io, 100, on_tick, &t[4], &id[4]), TSP8_OK);
	assert_int_equal(pbx_io_timer_cancel(io, id[3]), TSP8_OK);
	assert_int_equal(pbx_io_timer_cancel(io, id[3]), TSP8_ENOTFOUND);
	assert_true(wait_ticks(&o, 4, 3000));
	uint64_t took = plat_now_ms() - t0;
	assert_true(took >= 290);
	plat_sleep_ms(100);
	assert_int_equal(ticks(&o), 4);
	assert_int_equal(o.seq[0], 100);
	assert_int_equal(o.seq[1], 101);
	assert_int_equal(o.seq[2], 200);
	assert_int_equal(o.seq[3], 300);
	for (int i = 0; i < 4; i++)
		assert_true(o.on_thread[i]);
	/* Fired timers cannot be canceled any more. */
	assert_int_equal(pbx_io_timer_cancel(io, id[0]), TSP8_ENOTFOUND);
	assert_false(pbx_io_on_thread(io));
	pbx_io_destroy(io);
	order_fini(&o);
}

static void test_many_timers(void **state)
{
	(void)state;
	struct pbx_io *io;
	assert_int_equal(pbx_io_create(&io, NULL), TSP8_OK);
	struct order o;
	order_init(&o, io);
	struct tick t[40];
	uint64_t id[40];
	/* Armed in a scrambled order; every odd one is canceled. */
	for (int i = 0; i < 40; i++) {
		int ms = ((i * 17) % 40) * 5;
		t[i].o = &o;
		t[i].tag = ms;
		assert_int_equal(pbx_io_timer(io, (uint32_t)ms + 50, on_tick, &t[i], &id[i]), TSP8_OK);
	}
	for (int i = 1; i < 40; i += 2)
		assert_int_equal(pbx_io_timer_cancel(io, id[i]), TSP8_OK);
	assert_true(wait_ticks(&o, 20, 3000));
	plat_sleep_ms(100);
	assert_int_equal(ticks(&o), 20);
	for (int i = 1; i < 20; i++)
		assert_true(o.seq[i - 1] <= o.seq[i]);
	pbx_io_destroy(io);
	order_fini(&o);
}

static void test_run_on_thread(void **state)
{
	(void)state;
	struct pbx_io *io;
	assert_int_equal(pbx_io_create(&io, NULL), TSP8_OK);
	struct order o;
	order_init(&o, io);
	struct tick t[3] = { { &o, 1 }, { &o, 2 }, { &o, 3 } };
	for (int i = 0; i < 3; i++)
		assert_int_equal(pbx_io_run(io, on_tick, &t[i]), TSP8_OK);
	assert_true(wait_ticks(&o, 3, 3000));
	for (int i = 0; i < 3; i++) {
		assert_int_equal(o.seq[i], i + 1);
		assert_true(o.on_thread[i]);
	}
	assert_int_equal(pbx_io_run(io, NULL, NULL), TSP8_EINVAL);
	assert_int_equal(pbx_io_timer(io, 1, NULL, NULL, NULL), TSP8_EINVAL);
	pbx_io_destroy(io);
	order_fini(&o);
}

/* A callback that submits more work from the I/O thread. */
struct chain {
	struct order *o;
	struct tick tick;
};

static void chain_step(void *arg)
{
	struct chain *c = arg;
	assert_int_equal(pbx_io_timer(c->o->io, 10, on_tick, &c->tick, NULL), TSP8_OK);
}

static void test_submit_from_callback(void **state)
{
	(void)state;
	struct pbx_io *io;
	assert_int_equal(pbx_io_create(&io, NULL), TSP8_OK);
	struct order o;
	order_init(&o, io);
	struct chain c = { &o, { &o, 7 } };
	assert_int_equal(pbx_io_run(io, chain_step, &c), TSP8_OK);
	assert_true(wait_ticks(&o, 1, 3000));
	assert_int_equal(o.seq[0], 7);
	pbx_io_destroy(io);
	order_fini(&o);
}

static void test_destroy_with_pending(void **state)
{
	(void)state;
	struct tsrv *srv;
	assert_int_equal(tsrv_start(&srv), TSP8_OK);
	struct pbx_io *io;
	assert_int_equal(pbx_io_create(&io, NULL), TSP8_OK);
	struct twait w;
	twait_init(&w, io);
	struct twait_slot slots[6];
	char url[128];
	tsrv_url(srv, "/delay/10000", url, sizeof(url));
	struct pbx_http_req req = { .url = url, .body = "p", .body_len = 1, .timeout_ms = 30000 };
	for (int i = 0; i < 6; i++) {
		memset(&slots[i], 0, sizeof(slots[i]));
		slots[i].w = &w;
		req.own_connection = i == 0;
		assert_int_equal(pbx_io_request(io, &req, twait_done, &slots[i], NULL), TSP8_OK);
	}
	struct order o;
	order_init(&o, io);
	struct tick t = { &o, 1 };
	assert_int_equal(pbx_io_timer(io, 60000, on_tick, &t, NULL), TSP8_OK);
	plat_sleep_ms(300);
	uint64_t t0 = plat_now_ms();
	pbx_io_destroy(io);
	assert_true(plat_now_ms() - t0 < 2000);
	assert_int_equal(twait_count(&w), 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(slots[i].calls, 1);
		assert_int_equal(slots[i].rec.err, TSP8_ECANCELED);
	}
	assert_int_equal(ticks(&o), 0);
	twait_fini(&w);
	order_fini(&o);
	tsrv_stop(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_order_and_cancel),
		cmocka_unit_test(test_many_timers),
		cmocka_unit_test(test_run_on_thread),
		cmocka_unit_test(test_submit_from_callback),
		cmocka_unit_test(test_destroy_with_pending),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
