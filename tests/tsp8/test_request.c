/* Async requests: exactly one completion each (0 or LINEERR), including
 * requests failed by lineClose/lineCloseCall while pending, and never one
 * for a request forgotten after a synchronous failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/error.h"
#include "base/platform.h"
#include "tsp8/dispatch.h"
#include "tsp8/request.h"

#define MAXREQ 512

/* Completion recorder; the dispatcher calls it on its thread. */
static plat_mutex rec_lock;   /* guards counts and results */
static unsigned counts[MAXREQ];
static LONG results[MAXREQ];

static void CALLBACK completion(DRV_REQUESTID id, LONG result)
{
	plat_mutex_lock(&rec_lock);
	if (id < MAXREQ) {
		counts[id]++;
		results[id] = result;
	}
	plat_mutex_unlock(&rec_lock);
}

static bool resolve(void *arg, const struct disp_item *it, struct disp_target *t)
{
	(void)arg;
	(void)it;
	t->completion = completion;
	return true;
}

static const struct dispatch_ops ops = { .resolve = resolve };

static int setup(void **state)
{
	(void)state;
	memset(counts, 0, sizeof(counts));
	memset(results, 0, sizeof(results));
	return plat_mutex_init(&rec_lock);
}

static int teardown(void **state)
{
	(void)state;
	plat_mutex_destroy(&rec_lock);
	return 0;
}

static void test_exactly_once(void **state)
{
	(void)state;
	struct dispatch *d;
	struct requests *rq;
	assert_int_equal(dispatch_create(&d, &ops, NULL, NULL, 0), 0);
	assert_int_equal(requests_create(&rq, d, NULL), 0);

	/* line 0x11 with calls 0x21, 0x22; line 0x12 with call 0x23 */
	for (DRV_REQUESTID id = 1; id <= 40; id++) {
		uintptr_t line = id <= 30 ? 0x11 : 0x12;
		uintptr_t call = id <= 10 ? 0x21 : id <= 20 ? 0x22 : id <= 30 ? 0 : 0x23;
		assert_int_equal(requests_add(rq, id, line, call, "test"), 0);
	}
	assert_int_equal(requests_add(rq, 5, 0x11, 0, "dup"), TSP8_EEXIST);
	assert_int_equal(requests_pending(rq), 40);

	/* normal completions, some twice: the second one does nothing */
	assert_true(requests_complete(rq, 1, 0, 0));
	assert_false(requests_complete(rq, 1, 0, 0));
	assert_true(requests_complete(rq, 2, 0x21, (LONG)LINEERR_CALLUNAVAIL));
	/* wrong call for the ID: refused (TAPI may have reused the ID) */
	assert_false(requests_complete(rq, 3, 0x22, 0));
	/* a positive "result" is not allowed to reach TAPI */
	assert_true(requests_complete(rq, 4, 0, 7));

	/* lineCloseCall(0x21) with 6 pending, lineClose(0x11) with the rest */
	assert_int_equal(requests_fail_call(rq, 0x21), 7);   /* 3, 5..10 */
	assert_int_equal(requests_fail_call(rq, 0x21), 0);
	assert_int_equal(requests_fail_line(rq, 0x11), 20);
	/* answers that come after close find nothing */
	assert_false(requests_complete(rq, 15, 0x22, 0));
	assert_false(requests_complete(rq, 25, 0, 0));

	/* synchronous failure: forgotten, never completed */
	assert_true(requests_forget(rq, 31));
	assert_false(requests_forget(rq, 31));
	assert_false(requests_complete(rq, 31, 0, 0));
	assert_int_equal(requests_pending(rq), 9);
	for (DRV_REQUESTID id = 32; id <= 40; id++)
		assert_true(requests_complete(rq, id, 0x23, 0));
	assert_int_equal(requests_pending(rq), 0);

	assert_true(dispatch_flush(d, 5000));
	plat_mutex_lock(&rec_lock);
	for (DRV_REQUESTID id = 1; id <= 40; id++)
		assert_int_equal(counts[id], id == 31 ? 0 : 1);
	assert_int_equal(results[1], 0);
	assert_int_equal(results[2], (LONG)LINEERR_CALLUNAVAIL);
	assert_int_equal(results[3], (LONG)LINEERR_OPERATIONFAILED);   /* failed at close */
	assert_int_equal(results[4], (LONG)LINEERR_OPERATIONFAILED);
	assert_int_equal(results[5], (LONG)LINEERR_OPERATIONFAILED);
	assert_int_equal(results[15], (LONG)LINEERR_OPERATIONFAILED);
	assert_int_equal(results[33], 0);
	for (DRV_REQUESTID id = 1; id <= 40; id++)
		assert_true(results[id] <= 0);
	plat_mutex_unlock(&rec_lock);

	requests_destroy(rq);
	dispatch_destroy(d);
}

/* Completions from several threads racing with close. */
struct racer {
	struct requests *rq;
	plat_mutex *lock;     /* the "model lock" guarding rq */
	DRV_REQUESTID first, last;
};

static void race_thread(void *arg)
{
	struct racer *r = arg;
	for (DRV_REQUESTID id = r->first; id <= r->last; id++) {
		plat_mutex_lock(r->lock);
		requests_complete(r->rq, id, 0, 0);
		plat_mutex_unlock(r->lock);
	}
}

static void test_race_with_close(void **state)
{
	(void)state;
	struct dispatch *d;
	struct requests *rq;
	plat_mutex model;
	assert_int_equal(plat_mutex_init(&model), 0);
	assert_int_equal(dispatch_create(&d, &ops, NULL, NULL, 0), 0);
	assert_int_equal(requests_create(&rq, d, NULL), 0);
	for (DRV_REQUESTID id = 1; id < 400; id++)
		assert_int_equal(requests_add(rq, id, 0x11, 0, "race"), 0);
	struct racer r1 = { rq, &model, 1, 399 }, r2 = { rq, &model, 1, 399 };
	plat_thread *t1, *t2;
	assert_int_equal(plat_thread_start(&t1, race_thread, &r1, "r1"), 0);
	assert_int_equal(plat_thread_start(&t2, race_thread, &r2, "r2"), 0);
	plat_mutex_lock(&model);
	requests_fail_line(rq, 0x11);
	plat_mutex_unlock(&model);
	plat_thread_join(t1);
	plat_thread_join(t2);
	assert_int_equal(requests_pending(rq), 0);
	assert_true(dispatch_flush(d, 5000));
	plat_mutex_lock(&rec_lock);
	for (DRV_REQUESTID id = 1; id < 400; id++)
		assert_int_equal(counts[id], 1);
	plat_mutex_unlock(&rec_lock);
	requests_destroy(rq);
	dispatch_destroy(d);
	plat_mutex_destroy(&model);
}

static void test_shutdown_drops(void **state)
{
	(void)state;
	struct dispatch *d;
	struct requests *rq;
	assert_int_equal(dispatch_create(&d, &ops, NULL, NULL, 0), 0);
	assert_int_equal(requests_create(&rq, d, NULL), 0);
	assert_int_equal(requests_add(rq, 100, 0x11, 0, "left"), 0);
	requests_destroy(rq);   /* TAPI closed everything: nothing completes */
	assert_true(dispatch_flush(d, 5000));
	dispatch_destroy(d);
	assert_int_equal(counts[100], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exactly_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_race_with_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_drops, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
