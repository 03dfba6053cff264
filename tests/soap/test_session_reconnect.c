/* pbx_session loss and recovery against pbxsim: PBX restart, invalidated
 * sessions, refused credentials with growing backoff, commands while DOWN,
 * and stop (no callbacks afterwards, pending commands completed once). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"
#include "soap/pbx_session.h"
#include "tests/common/pbxsim_proc.h"
#include "test_session_util.h"


/* Session UP with Alice monitored (cookie tag) and the dump done. */
static struct pbx_monitor *up_with_monitor(struct fx *f, void *tag)
{
	fx_make_session(f, "master", "tapi");
	struct pbx_monitor *m = NULL;
	assert_int_equal(pbx_session_monitor_add(f->s, "Alice", NULL, false, tag, &m), TSP8_OK);
	assert_int_equal(pbx_session_start(f->s), TSP8_OK);
	assert_true(rec_wait_state(&f->rec, 0, PBX_SESSION_UP, 10000) >= 0);
	assert_true(rec_wait_kind(&f->rec, 0, EV_MONITOR, 10000) >= 0);
	assert_true(rec_wait_kind(&f->rec, 0, EV_DUMP_END, 10000) >= 0);
	return m;
}

/* After a loss at index from: DOWN, then reset, then UP, then the monitor
 * re-initialised and a new dump. */
static void expect_recovery(struct fx *f, unsigned from, void *tag)
{
	int down = rec_wait_state(&f->rec, from, PBX_SESSION_DOWN, 10000);
	assert_true(down >= 0);
	int reset = rec_wait_kind(&f->rec, (unsigned)down, EV_RESET, 15000);
	assert_true(reset > down);
	int up = rec_wait_state(&f->rec, (unsigned)reset, PBX_SESSION_UP, 5000);
	assert_true(up > reset);
	int mon = rec_wait_kind(&f->rec, (unsigned)up, EV_MONITOR, 5000);
	assert_true(mon > up);
	struct ev me = rec_get(&f->rec, (unsigned)mon);
	assert_ptr_equal(me.cookie, tag);
	assert_int_equal(me.err, TSP8_OK);
	assert_true(rec_wait_kind(&f->rec, (unsigned)reset, EV_DUMP_END, 5000) > reset);
	/* No UP slipped in between the loss and the reset. */
	assert_true(rec_wait_state(&f->rec, (unsigned)down, PBX_SESSION_UP, 0) > reset);
	struct pbx_session_stats st;
	pbx_session_get_stats(f->s, &st);
	assert_true(st.resets >= 1);
}

static void test_pbx_restart(void **state)
{
	struct fx *f = *state;
	int tag = 3;
	struct pbx_monitor *m = up_with_monitor(f, &tag);
	char reply[256];
	unsigned from = rec_count(&f->rec);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "stop master"), 0);
	int down = rec_wait_state(&f->rec, from, PBX_SESSION_DOWN, 10000);
	assert_true(down >= 0);
	struct ev de = rec_get(&f->rec, (unsigned)down);
	assert_int_not_equal(de.err, TSP8_OK);
	assert_true(strlen(de.why) > 0);
	assert_false(pbx_session_monitor_ready(f->s, m));

	/* While DOWN, commands fail at once. */
	struct cmd_wait w;
	cw_init(&w);
	assert_int_equal(pbx_session_user_clear(f->s, 1, 26, cw_int, &w), TSP8_OK);
	assert_true(cw_wait(&w, 3000));
	assert_int_equal(w.err, TSP8_ESESSION);
	cw_fini(&w);

	plat_sleep_ms(500);   /* a few refused reconnects */
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "start master"), 0);
	expect_recovery(f, from, &tag);
	assert_true(pbx_session_monitor_ready(f->s, m));

	/* Calls flow again with the same cookie. */
	unsigned k = rec_count(&f->rec);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "dial master Alice 22"), 0);
	int ci = rec_wait_kind(&f->rec, k, EV_CALL, 5000);
	assert_true(ci >= 0);
	assert_ptr_equal(rec_get(&f->rec, (unsigned)ci).cookie, &tag);
}

static bool all_ready(struct fx *f, struct pbx_monitor **m, size_t n, uint32_t ms)
{
	for (uint64_t until = plat_now_ms() + ms;; plat_sleep_ms(20)) {
		size_t ready = 0;
		for (size_t i = 0; i < n; i++)
			ready += pbx_session_monitor_ready(f->s, m[i]);
		if (ready == n)
			return true;
		if (plat_now_ms() > until)
			return false;
	}
}

/* 100 monitors: initialised again after a PBX restart, never more than
 * SESS_INIT_WINDOW (32) UserInitialize requests at once. */
static void test_many_monitors_reinit_windowed(void **state)
{
	struct fx *f = *state;
	enum { N = 100 };
	struct pbx_monitor *m[N];
	int tag = 9;
	fx_make_session(f, "master", "tapi");
	assert_int_equal(pbx_session_start(f->s), TSP8_OK);
	assert_true(rec_wait_state(&f->rec, 0, PBX_SESSION_UP, 10000) >= 0);
	for (size_t i = 0; i < N; i++)
		assert_int_equal(pbx_session_monitor_add(f->s, i % 2 ? "Alice" : "Bob", NULL, false,
							 &tag, &m[i]), TSP8_OK);
	assert_true(all_ready(f, m, N, 10000));
	char reply[256];
	unsigned from = rec_count(&f->rec);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "stop master"), 0);
	assert_true(rec_wait_state(&f->rec, from, PBX_SESSION_DOWN, 10000) >= 0);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "start master"), 0);
	assert_true(rec_wait_state(&f->rec, from, PBX_SESSION_UP, 10000) >= 0);
	assert_true(all_ready(f, m, N, 10000));
	struct pbx_session_stats st;
	pbx_session_get_stats(f->s, &st);
	assert_true(st.inits_peak >= 2);      /* they did overlap */
	assert_true(st.inits_peak <= 32);
	assert_int_equal(st.resets, 1);
	/* one of them still gets its calls */
	unsigned k = rec_count(&f->rec);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "dial master Alice 22"), 0);
	assert_true(rec_wait_kind(&f->rec, k, EV_CALL, 5000) >= 0);
	for (size_t i = 0; i < N; i++)
		pbx_session_monitor_remove(f->s, m[i]);
}

static void test_sessions_invalidated(void **state)
{
	struct fx *f = *state;
	int tag = 4;
	up_with_monitor(f, &tag);
	char reply[256];
	unsigned from = rec_count(&f->rec);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply),
				    "fault master invalidate-sessions"), 0);
	expect_recovery(f, from, &tag);
}

/* All TCP connections cut under a live session.  libcurl transparently
 * retries a request that got no byte of answer on a reused connection, and
 * the PBX session survives while a connection comes back at once, so the
 * session may stay UP; if it went DOWN it must have recovered with a reset.
 * Either way events must keep flowing to the same cookie. */
static void test_dropped_connections(void **state)
{
	struct fx *f = *state;
	int tag = 5;
	up_with_monitor(f, &tag);
	char reply[256];
	unsigned from = rec_count(&f->rec);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply),
				    "fault master drop-connections"), 0);
	plat_sleep_ms(500);
	int down = rec_wait_state(&f->rec, from, PBX_SESSION_DOWN, 0);
	if (down >= 0) {
		expect_recovery(f, from, &tag);
	} else {
		assert_int_equal(pbx_session_get_state(f->s), PBX_SESSION_UP);
	}
	unsigned k = rec_count(&f->rec);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "dial master Alice 22"), 0);
	int ci = rec_wait_kind(&f->rec, k, EV_CALL, 5000);
	assert_true(ci >= 0);
	assert_ptr_equal(rec_get(&f->rec, (unsigned)ci).cookie, &tag);
}

static void test_wrong_password_backoff(void **state)
{
	struct fx *f = *state;
	fx_make_session(f, "master", "wrong");
	assert_int_equal(pbx_session_start(f->s), TSP8_OK);
	/* Collect DOWN -> next CONNECTING gaps for a few rounds. */
	uint32_t gap[6];
	unsigned k = 0;
	for (int i = 0; i < 6; i++) {
		int down = rec_wait_state(&f->rec, k, PBX_SESSION_DOWN, 5000);
		assert_true(down >= 0);
		struct ev de = rec_get(&f->rec, (unsigned)down);
		assert_int_equal(de.err, TSP8_EAUTH);
		int conn = rec_wait_state(&f->rec, (unsigned)down, PBX_SESSION_CONNECTING, 5000);
		assert_true(conn > down);
		gap[i] = (uint32_t)(rec_get(&f->rec, (unsigned)conn).at_ms - de.at_ms);
		k = (unsigned)conn;
	}
	print_message("backoff gaps: %u %u %u %u %u %u ms\n", gap[0], gap[1], gap[2], gap[3],
		      gap[4], gap[5]);
	/* min 100, doubling, max 400, +-10 % jitter, some scheduling slack. */
	assert_true(gap[0] >= 85 && gap[0] < 300);
	assert_true(gap[1] >= 175 && gap[1] > gap[0]);
	assert_true(gap[2] >= 355 && gap[2] > gap[1]);
	for (int i = 2; i < 6; i++)
		assert_true(gap[i] >= 355 && gap[i] < 700);
	assert_true(rec_wait_state(&f->rec, 0, PBX_SESSION_UP, 0) < 0);
}

static void test_stop_completes_and_silences(void **state)
{
	struct fx *f = *state;
	int tag = 6;
	struct pbx_monitor *m = up_with_monitor(f, &tag);
	/* A command still in flight at stop is completed exactly once.  The
	 * simulator stalls so that it is still pending. */
	char reply[256];
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "fault master stall 5000"), 0);
	struct cmd_wait w;
	cw_init(&w);
	assert_int_equal(pbx_session_user_call(f->s, m, NULL, "22", NULL, 0, NULL, cw_int, &w),
			 TSP8_OK);
	plat_sleep_ms(200);
	uint64_t t0 = plat_now_ms();
	pbx_session_stop(f->s);
	uint64_t took = plat_now_ms() - t0;
	assert_true(took < 3500);
	assert_true(w.done);
	assert_int_equal(w.calls, 1);
	assert_int_equal(w.err, TSP8_ESHUTDOWN);
	assert_int_equal(pbx_session_get_state(f->s), PBX_SESSION_STOPPED);
	/* The last callback was STOPPED; nothing may follow. */
	plat_mutex_lock(&f->rec.lock);
	f->rec.after_stop = true;
	plat_mutex_unlock(&f->rec.lock);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "fault master clear"), 0);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "dial master Alice 23"), 0);
	/* Public calls after stop are refused synchronously. */
	assert_int_equal(pbx_session_user_clear(f->s, 1, 26, cw_int, &w), TSP8_ESHUTDOWN);
	plat_sleep_ms(1000);
	plat_mutex_lock(&f->rec.lock);
	unsigned late = f->rec.late;
	plat_mutex_unlock(&f->rec.lock);
	assert_int_equal(late, 0);
	assert_int_equal(w.calls, 1);
	pbx_session_monitor_remove(f->s, m);
	pbx_session_destroy(f->s);
	f->s = NULL;
	cw_fini(&w);
}

static void test_stop_before_start(void **state)
{
	struct fx *f = *state;
	fx_make_session(f, "master", "tapi");
	struct pbx_monitor *m = NULL;
	assert_int_equal(pbx_session_monitor_add(f->s, "Alice", NULL, false, NULL, &m), TSP8_OK);
	struct cmd_wait w;
	cw_init(&w);
	assert_int_equal(pbx_session_location_url(f->s, "master", false, cw_str, &w), TSP8_OK);
	pbx_session_stop(f->s);
	/* The queued lookup was completed by stop, exactly once. */
	assert_true(w.done);
	assert_int_equal(w.err, TSP8_ESHUTDOWN);
	assert_int_equal(pbx_session_start(f->s), TSP8_ESTATE);
	pbx_session_destroy(f->s);
	f->s = NULL;
	assert_int_equal(w.calls, 1);
	cw_fini(&w);
}

/* Handler that stops (or destroys) the session from inside its own DOWN
 * callback, i.e. on the I/O thread. */
struct on_io_fx {
	struct rec rec;            /* first: rec_handler callbacks get &rec */
	struct pbx_session *s;
	bool destroy;              /* destroy instead of stop */
	plat_mutex lock;           /* guards acted */
	bool acted;
};

static void on_io_state(void *arg, enum pbx_session_state st, int err, const char *why)
{
	struct on_io_fx *o = arg;
	rec_handler.state(&o->rec, st, err, why);
	if (st != PBX_SESSION_DOWN)
		return;
	plat_mutex_lock(&o->lock);
	bool first = !o->acted;
	o->acted = true;
	plat_mutex_unlock(&o->lock);
	if (!first)
		return;
	if (o->destroy)
		pbx_session_destroy(o->s);
	else
		pbx_session_stop(o->s);
	/* Stop on the I/O thread returns at once and silences the session. */
	plat_mutex_lock(&o->rec.lock);
	o->rec.after_stop = true;
	plat_mutex_unlock(&o->rec.lock);
}

static void run_stop_on_io(struct fx *f, bool destroy)
{
	struct on_io_fx *o = test_calloc(1, sizeof(*o));
	rec_init(&o->rec);
	plat_mutex_init(&o->lock);
	o->destroy = destroy;
	struct pbx_session_handler h = rec_handler;
	h.state = on_io_state;
	struct pbx_session_config cfg = {
		.url = pbxsim_url(f->sim, "master"),
		.http_user = "_TAPI_", .http_password = "tapi",
		.session_user = "_TAPI_", .backoff_min_ms = 100, .backoff_max_ms = 400,
		.name = "master", .h = &h, .arg = o,
	};
	assert_int_equal(pbx_session_create(&o->s, f->io, &cfg), TSP8_OK);
	struct pbx_monitor *m = NULL;
	assert_int_equal(pbx_session_monitor_add(o->s, "Alice", NULL, false, o, &m), TSP8_OK);
	assert_int_equal(pbx_session_start(o->s), TSP8_OK);
	assert_true(rec_wait_kind(&o->rec, 0, EV_DUMP_END, 10000) >= 0);
	assert_true(rec_wait_kind(&o->rec, 0, EV_MONITOR, 10000) >= 0);
	char reply[256];
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "stop master"), 0);
	int down = rec_wait_state(&o->rec, 0, PBX_SESSION_DOWN, 10000);
	assert_true(down >= 0);
	/* The last callback is STOPPED, delivered inside stop. */
	int stopped = rec_wait_state(&o->rec, (unsigned)down, PBX_SESSION_STOPPED, 3000);
	assert_true(stopped > down);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "start master"), 0);
	plat_sleep_ms(1500);   /* no reconnect, no callback */
	plat_mutex_lock(&o->rec.lock);
	unsigned late = o->rec.late;
	plat_mutex_unlock(&o->rec.lock);
	assert_int_equal(late, 0);
	assert_int_equal(rec_count(&o->rec), (unsigned)stopped + 1);
	if (!destroy) {
		assert_int_equal(pbx_session_get_state(o->s), PBX_SESSION_STOPPED);
		pbx_session_destroy(o->s);
	}
	rec_fini(&o->rec);
	plat_mutex_destroy(&o->lock);
	test_free(o);
}

static void test_stop_on_io_thread(void **state)
{
	run_stop_on_io(*state, false);
}

static void test_destroy_on_io_thread(void **state)
{
	run_stop_on_io(*state, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pbx_restart, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_sessions_invalidated, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_many_monitors_reinit_windowed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_dropped_connections, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_password_backoff, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_stop_completes_and_silences, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_stop_before_start, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_stop_on_io_thread, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_destroy_on_io_thread, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
