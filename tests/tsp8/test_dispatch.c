/* Dispatcher: order of delivery, one callout at a time, nothing delivered
 * for a line after its close returned, due times, callbacks that call back
 * in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <string.h>

#include "base/platform.h"
#include "tsp8/dispatch.h"

#define NEV 2000

/* LINEEVENT has no user pointer, so the recorder is file-level (tests only). */
static struct {
	plat_mutex lock;            /* guards everything in this struct */
	bool open;                  /* the fake line's state (the "model") */
	uintptr_t hd;
	DWORD seen[NEV];
	size_t nseen;
	unsigned after_calls;
	struct dispatch *d;
	bool resync_in_callback;
} m;

static atomic_int in_callback;
static atomic_int overlap;
static atomic_int closed_returned;
static atomic_int late;

static void CALLBACK event_proc(HTAPILINE htLine, HTAPICALL htCall, DWORD msg, DWORD_PTR p1,
				DWORD_PTR p2, DWORD_PTR p3)
{
	(void)htCall;
	(void)p2;
	(void)p3;
	if (atomic_fetch_add(&in_callback, 1) != 0)
		atomic_fetch_add(&overlap, 1);
	if (atomic_load(&closed_returned))
		atomic_fetch_add(&late, 1);
	plat_mutex_lock(&m.lock);
	if (m.nseen < NEV)
		m.seen[m.nseen++] = (DWORD)p1;
	bool resync = m.resync_in_callback;
	plat_mutex_unlock(&m.lock);
	if (resync)
		dispatch_sync(m.d, (uintptr_t)htLine, 0);   /* must not wait for itself */
	if ((p1 & 7) == 0)
		plat_sleep_ms(1);   /* widen the window for the close race */
	(void)msg;
	atomic_fetch_sub(&in_callback, 1);
}

static bool resolve(void *arg, const struct disp_item *it, struct disp_target *t)
{
	(void)arg;
	plat_mutex_lock(&m.lock);
	bool ok = m.open && it->line_hd == m.hd;
	if (ok) {
		t->proc = event_proc;
		t->ht_line = (HTAPILINE)m.hd;
	}
	plat_mutex_unlock(&m.lock);
	return ok;
}

static void after_newcall(void *arg, const struct disp_item *it)
{
	(void)arg;
	(void)it;
	plat_mutex_lock(&m.lock);
	m.after_calls++;
	plat_mutex_unlock(&m.lock);
}

static const struct dispatch_ops ops = { .resolve = resolve, .after_newcall = after_newcall };

static int setup(void **state)
{
	(void)state;
	memset(&m, 0, sizeof(m));
	atomic_store(&in_callback, 0);
	atomic_store(&overlap, 0);
	atomic_store(&closed_returned, 0);
	atomic_store(&late, 0);
	assert_int_equal(plat_mutex_init(&m.lock), 0);
	m.open = true;
	m.hd = 0x1001;
	assert_int_equal(dispatch_create(&m.d, &ops, NULL, NULL, 0), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dispatch_destroy(m.d);
	plat_mutex_destroy(&m.lock);
	return 0;
}

static void post(uintptr_t hd, DWORD msg, DWORD_PTR p1, uint64_t due)
{
	struct disp_item *it = dispatch_item_new();
	assert_non_null(it);
	it->kind = DISP_EVENT;
	it->line_hd = hd;
	it->msg = msg;
	it->p1 = p1;
	it->due_ms = due;
	dispatch_post(m.d, it);
}

static void test_order(void **state)
{
	(void)state;
	for (DWORD i = 0; i < 500; i++)
		post(m.hd, LINE_CALLSTATE, i + 1, 0);
	assert_true(dispatch_flush(m.d, 10000));
	plat_mutex_lock(&m.lock);
	assert_int_equal(m.nseen, 500);
	for (size_t i = 0; i < 500; i++)
		assert_int_equal(m.seen[i], i + 1);
	plat_mutex_unlock(&m.lock);
	assert_int_equal(atomic_load(&overlap), 0);
}

struct producer {
	atomic_int stop;
	uintptr_t hd;
};

static void produce(void *arg)
{
	struct producer *pr = arg;
	DWORD n = 1;
	while (!atomic_load(&pr->stop) && n < 100000) {
		post(pr->hd, LINE_CALLINFO, n++, 0);
		if ((n & 63) == 0)
			plat_sleep_ms(1);
	}
}

static void test_nothing_after_close(void **state)
{
	(void)state;
	struct producer pr;
	atomic_init(&pr.stop, 0);
	pr.hd = m.hd;
	plat_thread *t;
	assert_int_equal(plat_thread_start(&t, produce, &pr, "producer"), 0);
	plat_sleep_ms(30);
	/* lineClose: mark the line closed under the model lock, then wait for
	 * a running callout */
	plat_mutex_lock(&m.lock);
	m.open = false;
	plat_mutex_unlock(&m.lock);
	dispatch_sync(m.d, pr.hd, 0);
	atomic_store(&closed_returned, 1);
	plat_sleep_ms(50);
	atomic_store(&pr.stop, 1);
	plat_thread_join(t);
	assert_true(dispatch_flush(m.d, 10000));
	assert_int_equal(atomic_load(&late), 0);
	assert_int_equal(atomic_load(&overlap), 0);
	plat_mutex_lock(&m.lock);
	assert_true(m.nseen > 0);   /* some got through before the close */
	plat_mutex_unlock(&m.lock);
}

static void test_repeated_close_reopen(void **state)
{
	(void)state;
	for (int round = 0; round < 20; round++) {
		uintptr_t hd = 0x2000 + (uintptr_t)round;
		plat_mutex_lock(&m.lock);
		m.open = true;
		m.hd = hd;
		plat_mutex_unlock(&m.lock);
		atomic_store(&closed_returned, 0);
		for (DWORD i = 0; i < 40; i++)
			post(hd, LINE_CALLSTATE, i, 0);
		plat_sleep_ms((unsigned)(round % 5));
		plat_mutex_lock(&m.lock);
		m.open = false;
		plat_mutex_unlock(&m.lock);
		dispatch_sync(m.d, hd, 0);
		atomic_store(&closed_returned, 1);
		assert_true(dispatch_flush(m.d, 10000));
		assert_int_equal(atomic_load(&late), 0);
	}
	assert_int_equal(atomic_load(&overlap), 0);
}

static void test_due_time(void **state)
{
	(void)state;
	uint64_t t0 = plat_now_ms();
	post(m.hd, LINE_NEWCALL, 7, t0 + 120);
	post(m.hd, LINE_CALLSTATE, 8, 0);   /* queued behind: keeps the order */
	plat_sleep_ms(40);
	plat_mutex_lock(&m.lock);
	assert_int_equal(m.nseen, 0);
	plat_mutex_unlock(&m.lock);
	assert_true(dispatch_flush(m.d, 5000));
	assert_true(plat_now_ms() - t0 >= 120);
	plat_mutex_lock(&m.lock);
	assert_int_equal(m.nseen, 2);
	assert_int_equal(m.seen[0], 7);
	assert_int_equal(m.seen[1], 8);
	assert_int_equal(m.after_calls, 1);   /* after LINE_NEWCALL only */
	plat_mutex_unlock(&m.lock);
}

static void test_callback_calls_back(void **state)
{
	(void)state;
	plat_mutex_lock(&m.lock);
	m.resync_in_callback = true;
	plat_mutex_unlock(&m.lock);
	for (DWORD i = 0; i < 20; i++)
		post(m.hd, LINE_CALLSTATE, i + 1, 0);
	assert_true(dispatch_flush(m.d, 5000));
	plat_mutex_lock(&m.lock);
	assert_int_equal(m.nseen, 20);
	plat_mutex_unlock(&m.lock);
	/* the dispatcher thread itself cannot flush itself, others can */
	assert_false(dispatch_on_thread(m.d));
}

static void test_dropped_and_destroyed(void **state)
{
	(void)state;
	post(0x9999, LINE_CALLSTATE, 1, 0);   /* no such line: dropped */
	assert_true(dispatch_flush(m.d, 5000));
	plat_mutex_lock(&m.lock);
	assert_int_equal(m.nseen, 0);
	plat_mutex_unlock(&m.lock);
	/* items still queued at destroy are freed, not delivered */
	post(m.hd, LINE_CALLSTATE, 1, plat_now_ms() + 60000);
	dispatch_post(NULL, dispatch_item_new());
}

/* lineClose/lineCloseCall flush when a completion may be theirs: one that
 * is queued (here behind an event held back by its due time) counts, events
 * alone do not. */
static void test_completion_pending(void **state)
{
	(void)state;
	assert_false(dispatch_completion_pending(m.d));
	post(m.hd, LINE_CALLSTATE, 1, plat_now_ms() + 300);
	assert_false(dispatch_completion_pending(m.d));
	struct disp_item *done = dispatch_item_new();
	assert_non_null(done);
	done->kind = DISP_COMPLETION;
	done->req = 42;
	dispatch_post(m.d, done);
	assert_true(dispatch_completion_pending(m.d));
	assert_true(dispatch_flush(m.d, 5000));
	assert_false(dispatch_completion_pending(m.d));
	assert_false(dispatch_completion_pending(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_completion_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_after_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeated_close_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_due_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_calls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dropped_and_destroyed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
