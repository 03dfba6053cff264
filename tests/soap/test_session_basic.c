/* pbx_session against pbxsim: initial dump, deltas, idle Polls, monitors
 * and CallInfos, commands and lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"
#include "base/trace.h"
#include "soap/pbx_session.h"
#include "tests/common/pbxsim_proc.h"
#include "test_session_util.h"


static void start_up(struct fx *f, const char *pbx)
{
	fx_make_session(f, pbx, "tapi");
	assert_int_equal(pbx_session_start(f->s), TSP8_OK);
	assert_true(rec_wait_state(&f->rec, 0, PBX_SESSION_UP, 10000) >= 0);
}

static bool seen_user(struct fx *f, unsigned from, unsigned to, const char *cn)
{
	for (unsigned i = from; i < to; i++) {
		struct ev e = rec_get(&f->rec, i);
		if (e.kind == EV_USER && strcmp(e.cn, cn) == 0)
			return true;
	}
	return false;
}

static void test_initial_dump(void **state)
{
	struct fx *f = *state;
	start_up(f, "master");
	int end = rec_wait_kind(&f->rec, 0, EV_DUMP_END, 10000);
	assert_true(end >= 0);
	/* The scope: the members of the groups _TAPI_ is active in. */
	assert_true(seen_user(f, 0, (unsigned)end, "Alice"));
	assert_true(seen_user(f, 0, (unsigned)end, "Bob"));
	assert_true(seen_user(f, 0, (unsigned)end, "Carol"));
	assert_true(seen_user(f, 0, (unsigned)end, "Dave"));
	assert_false(seen_user(f, 0, rec_count(&f->rec), "Outsider"));
	/* The empty-cn terminator is not handed out as a user. */
	assert_false(seen_user(f, 0, rec_count(&f->rec), ""));
	assert_int_equal(pbx_session_get_state(f->s), PBX_SESSION_UP);
	assert_true(strlen(pbx_session_firmware(f->s)) > 0);
	assert_string_equal(pbx_session_url(f->s), pbxsim_url(f->sim, "master"));
	/* First event: CONNECTING, then UP. */
	struct ev e0 = rec_get(&f->rec, 0);
	assert_int_equal(e0.kind, EV_STATE);
	assert_int_equal(e0.st, PBX_SESSION_CONNECTING);
}

static void test_delta_after_register(void **state)
{
	struct fx *f = *state;
	start_up(f, "master");
	int end = rec_wait_kind(&f->rec, 0, EV_DUMP_END, 10000);
	assert_true(end >= 0);
	char reply[256];
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "register master Dave 0090330A0024"),
			 0);
	int i = rec_wait(&f->rec, (unsigned)end, ev_is_user, "Dave", 5000);
	assert_true(i > end);
	assert_int_equal(rec_get(&f->rec, (unsigned)i).ustate, 1);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "unregister master Dave"), 0);
	int j = rec_wait(&f->rec, (unsigned)i + 1, ev_is_user, "Dave", 5000);
	assert_true(j > i);
	assert_int_equal(rec_get(&f->rec, (unsigned)j).ustate, 0);
}

static void test_idle_poll_rearmed(void **state)
{
	struct fx *f = *state;
	start_up(f, "master");
	assert_true(rec_wait_kind(&f->rec, 0, EV_DUMP_END, 10000) >= 0);
	struct pbx_session_stats a, b;
	pbx_session_get_stats(f->s, &a);
	/* The tree answers idle Polls after 1 s: a few must come and go. */
	plat_sleep_ms(3500);
	pbx_session_get_stats(f->s, &b);
	assert_true(b.polls >= a.polls + 2);
	assert_int_equal(pbx_session_get_state(f->s), PBX_SESSION_UP);
	assert_true(rec_wait_state(&f->rec, 0, PBX_SESSION_DOWN, 0) < 0);
	assert_int_equal(b.resets, 0);
}

/* A paused session sends no Poll: the dump waits at the PBX, nothing is
 * lost, and comes once the pause ends.  Stop does not wait for the pause's
 * own end (10 s). */
static void test_poll_pause(void **state)
{
	struct fx *f = *state;
	fx_make_session(f, "master", "tapi");
	pbx_session_poll_pause(f->s, true);
	assert_int_equal(pbx_session_start(f->s), TSP8_OK);
	assert_true(rec_wait_state(&f->rec, 0, PBX_SESSION_UP, 10000) >= 0);
	plat_sleep_ms(1500);
	struct pbx_session_stats st;
	pbx_session_get_stats(f->s, &st);
	assert_int_equal(st.polls, 0);
	assert_true(rec_wait_kind(&f->rec, 0, EV_USER, 0) < 0);
	/* pausing twice changes nothing */
	pbx_session_poll_pause(f->s, true);
	pbx_session_poll_pause(f->s, false);
	int end = rec_wait_kind(&f->rec, 0, EV_DUMP_END, 10000);
	assert_true(end >= 0);
	assert_true(seen_user(f, 0, (unsigned)end, "Alice"));
	pbx_session_get_stats(f->s, &st);
	assert_true(st.polls >= 1);
	/* paused again, then stopped: the pause timer must not hold stop */
	pbx_session_poll_pause(f->s, true);
	uint64_t t0 = plat_now_ms();
	pbx_session_stop(f->s);
	assert_true(plat_now_ms() - t0 < 5000);
	pbx_session_poll_pause(f->s, false);   /* after stop: ignored */
}

static void test_monitor_and_dial(void **state)
{
	struct fx *f = *state;
	int alice_tag = 1;
	fx_make_session(f, "master", "tapi");
	struct pbx_monitor *m = NULL;
	/* Added before start: initialised once UP. */
	assert_int_equal(pbx_session_monitor_add(f->s, "Alice", NULL, false, &alice_tag, &m),
			 TSP8_OK);
	assert_non_null(m);
	assert_int_equal(pbx_session_start(f->s), TSP8_OK);
	int mi = rec_wait_kind(&f->rec, 0, EV_MONITOR, 10000);
	assert_true(mi >= 0);
	struct ev me = rec_get(&f->rec, (unsigned)mi);
	assert_ptr_equal(me.cookie, &alice_tag);
	assert_int_equal(me.err, TSP8_OK);
	assert_true(pbx_session_monitor_ready(f->s, m));

	char reply[256], simcall[64];
	unsigned from = rec_count(&f->rec);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "dial master Alice 22"), 0);
	assert_int_equal(sscanf(reply, "ok %63s", simcall), 1);
	int ci = rec_wait_kind(&f->rec, from, EV_CALL, 5000);
	assert_true(ci >= 0);
	struct ev ce = rec_get(&f->rec, (unsigned)ci);
	assert_ptr_equal(ce.cookie, &alice_tag);
	assert_true(ce.call != 0);
	assert_true(ce.active);

	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "drop %s", simcall), 0);
	/* The leg ends with one inactive record. */
	int last = -1;
	for (unsigned k = (unsigned)ci;; k++) {
		int n = rec_wait_kind(&f->rec, k, EV_CALL, 5000);
		assert_true(n >= 0);
		struct ev e = rec_get(&f->rec, (unsigned)n);
		assert_ptr_equal(e.cookie, &alice_tag);
		if (!e.active && e.call == ce.call) {
			last = n;
			break;
		}
		k = (unsigned)n;
	}
	assert_true(last > ci);

	/* After removal no CallInfo reaches the handler with that cookie. */
	pbx_session_monitor_remove(f->s, m);
	plat_sleep_ms(200);
	from = rec_count(&f->rec);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "dial master Alice 23"), 0);
	plat_sleep_ms(1000);
	assert_true(rec_wait_kind(&f->rec, from, EV_CALL, 0) < 0);
}

static void test_user_call(void **state)
{
	struct fx *f = *state;
	int tag = 7;
	fx_make_session(f, "master", "tapi");
	struct pbx_monitor *m = NULL;
	assert_int_equal(pbx_session_monitor_add(f->s, "Bob", NULL, false, &tag, &m), TSP8_OK);
	/* Submitted while not yet UP: queued until the monitor is ready. */
	struct cmd_wait w;
	cw_init(&w);
	assert_int_equal(pbx_session_user_call(f->s, m, NULL, "23", NULL, 0, NULL, cw_int, &w),
			 TSP8_OK);
	assert_int_equal(pbx_session_start(f->s), TSP8_OK);
	assert_true(cw_wait(&w, 10000));
	assert_int_equal(w.err, TSP8_OK);
	assert_true(w.ret != 0);
	int call = w.ret;

	char reply[1024];
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "calls"), 0);
	assert_non_null(strstr(reply, "Bob"));
	int ci = rec_wait_kind(&f->rec, 0, EV_CALL, 5000);
	assert_true(ci >= 0);
	assert_ptr_equal(rec_get(&f->rec, (unsigned)ci).cookie, &tag);

	struct cmd_wait w2;
	cw_init(&w2);
	assert_int_equal(pbx_session_user_clear(f->s, call, 26, cw_int, &w2), TSP8_OK);
	assert_true(cw_wait(&w2, 5000));
	assert_int_equal(w2.err, TSP8_OK);
	assert_int_equal(w.calls, 1);
	assert_int_equal(w2.calls, 1);
	cw_fini(&w);
	cw_fini(&w2);
}

static void test_find_users_paged(void **state)
{
	struct fx *f = *state;
	start_up(f, "big");
	struct cmd_wait w;
	cw_init(&w);
	assert_int_equal(pbx_session_find_users(f->s, "", false, cw_users, &w), TSP8_OK);
	assert_true(cw_wait(&w, 10000));
	assert_int_equal(w.err, TSP8_OK);
	/* 120 users and _TAPI_, over three pages, no duplicates. */
	assert_int_equal(w.n, 121);
	assert_int_equal(w.calls, 1);
	cw_fini(&w);
}

static void test_devices_lookup(void **state)
{
	struct fx *f = *state;
	start_up(f, "master");
	struct cmd_wait w;
	cw_init(&w);
	assert_int_equal(pbx_session_devices(f->s, "Alice", cw_devices, &w), TSP8_OK);
	assert_true(cw_wait(&w, 5000));
	assert_int_equal(w.err, TSP8_OK);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.str, "0090330A0021");
	cw_fini(&w);
}

/* Trace observer looking for the slow-call warning. */
struct slow_seen {
	plat_mutex lock;           /* guards hits, line */
	unsigned hits;
	char line[256];
};

static void observe(void *arg, uint32_t cls, const char *line)
{
	struct slow_seen *o = arg;
	if (cls != TRACE_WARN || !strstr(line, "slow SOAP call performance: Devices took"))
		return;
	plat_mutex_lock(&o->lock);
	o->hits++;
	snprintf(o->line, sizeof(o->line), "%s", line);
	plat_mutex_unlock(&o->lock);
}

static void test_slow_call_warning(void **state)
{
	struct fx *f = *state;
	struct trace *tr = NULL;
	struct trace_config tc = { .name = "test", .level = TRACE_LEVEL_DEFAULT };
	assert_int_equal(trace_create(&tr, &tc), TSP8_OK);
	struct slow_seen seen = { .hits = 0 };
	plat_mutex_init(&seen.lock);
	trace_set_observer(tr, observe, &seen);
	struct pbx_session_config cfg = {
		.url = pbxsim_url(f->sim, "master"),
		.http_user = "_TAPI_", .http_password = "tapi", .session_user = "_TAPI_",
		.slow_call_ms = 200, .name = "master", .tr = tr,
		.h = &rec_handler, .arg = &f->rec,
	};
	assert_int_equal(pbx_session_create(&f->s, f->io, &cfg), TSP8_OK);
	assert_int_equal(pbx_session_start(f->s), TSP8_OK);
	assert_true(rec_wait_state(&f->rec, 0, PBX_SESSION_UP, 10000) >= 0);
	char reply[128];
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "fault master stall 500"), 0);
	struct cmd_wait w;
	cw_init(&w);
	assert_int_equal(pbx_session_devices(f->s, "Alice", cw_devices, &w), TSP8_OK);
	assert_true(cw_wait(&w, 5000));
	assert_int_equal(w.err, TSP8_OK);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "fault master clear"), 0);
	struct pbx_session_stats st;
	pbx_session_get_stats(f->s, &st);
	assert_true(st.slow_calls >= 1);
	assert_true(st.last_rtt_ms >= 450);
	plat_mutex_lock(&seen.lock);
	unsigned hits = seen.hits;
	plat_mutex_unlock(&seen.lock);
	assert_int_equal(hits, 1);
	assert_non_null(strstr(seen.line, "(PBX master)"));
	pbx_session_destroy(f->s);
	f->s = NULL;
	trace_destroy(tr);
	plat_mutex_destroy(&seen.lock);
	cw_fini(&w);
}

static void test_bad_arguments(void **state)
{
	struct fx *f = *state;
	struct pbx_session *s = NULL;
	struct pbx_session_config cfg = { .url = "", .session_user = "x" };
	assert_int_equal(pbx_session_create(&s, f->io, &cfg), TSP8_EINVAL);
	cfg.url = "http://127.0.0.1:1/PBX0/user.soap";
	cfg.session_user = NULL;
	assert_int_equal(pbx_session_create(&s, f->io, &cfg), TSP8_EINVAL);
	assert_int_equal(pbx_session_create(&s, NULL, &cfg), TSP8_EINVAL);
	assert_null(s);
	fx_make_session(f, "master", "tapi");
	struct pbx_monitor *m = NULL;
	assert_int_equal(pbx_session_monitor_add(f->s, "", NULL, false, NULL, &m), TSP8_EINVAL);
	assert_int_equal(pbx_session_user_call(f->s, NULL, NULL, "1", NULL, 0, NULL, NULL, NULL),
			 TSP8_EINVAL);
	assert_int_equal(pbx_session_find_users(f->s, "", false, NULL, NULL), TSP8_EINVAL);
	assert_int_equal(pbx_session_start(f->s), TSP8_OK);
	assert_int_equal(pbx_session_start(f->s), TSP8_ESTATE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_initial_dump, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_delta_after_register, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_idle_poll_rearmed, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_poll_pause, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_monitor_and_dial, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_user_call, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_find_users_paged, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_devices_lookup, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_slow_call_warning, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
