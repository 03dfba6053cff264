/* pbxsim scale tests: trees from "pbxsim --gen-tree" load, start fast and
 * serve - 1 master + 499 slaves with 5 users each, and 50 PBXs x 200
 * users.  Startup time and resident memory are printed for the record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/error.h"
#include "pbxsim_proc.h"
#include "soap_http.h"
#include "tree_soap.h"

#define STARTUP_LIMIT_MS 5000

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* VmRSS and thread count of the simulator, from /proc. */
static void proc_stats(pid_t pid, long *rss_kb, long *threads)
{
	char path[64], line[256];
	FILE *f;

	*rss_kb = *threads = -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "VmRSS: %ld", rss_kb);
		sscanf(line, "Threads: %ld", threads);
	}
	fclose(f);
}

/* Generates spec, starts it and checks the startup time. */
static struct pbxsim_proc *start_generated(const char *spec, char *path, size_t len,
					   size_t want_pbxs)
{
	struct pbxsim_proc *p;
	long long t0;
	long rss, threads;

	assert_int_equal(pbxsim_gen_tree(spec, path, len), TSP8_OK);
	t0 = ms_now();
	assert_int_equal(pbxsim_start(&p, path, "--poll-idle 0.3"), TSP8_OK);
	t0 = ms_now() - t0;
	proc_stats(pbxsim_pid(p), &rss, &threads);
	print_message("    %s: %zu PBXs ready in %lld ms, RSS %ld kB, %ld threads\n", spec,
		      pbxsim_pbx_count(p), t0, rss, threads);
	assert_int_equal(pbxsim_pbx_count(p), want_pbxs);
	assert_true(t0 < STARTUP_LIMIT_MS);
	return p;
}

static void test_generator_errors(void **state)
{
	char err[512];
	int code = -1;

	(void)state;
	assert_int_equal(pbxsim_run("--gen-tree slaves=x", &code, err, sizeof(err)), TSP8_OK);
	assert_int_equal(code, 2);
	assert_non_null(strstr(err, "slaves"));
	assert_int_equal(pbxsim_run("--gen-tree users=1,bogus=2", &code, err, sizeof(err)),
			 TSP8_OK);
	assert_int_equal(code, 2);
	assert_non_null(strstr(err, "bogus"));
	assert_int_equal(pbxsim_run("--gen-tree slaves=4000,standby=2", &code, err, sizeof(err)),
			 TSP8_OK);
	assert_int_equal(code, 2);
	assert_non_null(strstr(err, "too big"));
}

static void test_500_pbxs(void **state)
{
	char path[256], name[32], got[256], reply[256];
	struct pbxsim_proc *p;
	struct sh_user u[TS_MAX_USERS], x;
	const char *m;
	int s, s499;

	(void)state;
	p = start_generated("slaves=499,users=5", path, sizeof(path), 500);
	m = pbxsim_url(p, "master");
	assert_non_null(m);
	assert_string_equal(pbxsim_pbx_name(p, 499), "slave499");
	/* _TAPI_ + Trunk + 499 PBX objects + 500 x 5 users */
	s = ts_init(m, NULL);
	assert_true(s > 0);
	assert_int_equal(ts_dump(m, s, u, TS_MAX_USERS), 3001);
	s499 = ts_init(pbxsim_url(p, "slave499"), NULL);
	assert_true(s499 > 0);
	assert_int_equal(ts_dump(pbxsim_url(p, "slave499"), s499, u, TS_MAX_USERS), 3001);
	for (int i = 1; i <= 499; i += 83) {
		snprintf(name, sizeof(name), "slave%d", i);
		ts_location_url(m, name, got, sizeof(got));
		assert_string_equal(got, pbxsim_url(p, name));
	}
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "slave unregister slave7"), TSP8_OK);
	assert_true(ts_wait_user(m, s, "slave7", true, 0, 3000, &x));
	assert_true(ts_wait_user(pbxsim_url(p, "slave499"), s499, "slave7", true, 0, 3000, NULL));
	/* a user of slave 250 seen from the master and from its home */
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "unregister slave250 u250_3"),
			 TSP8_OK);
	assert_true(ts_wait_user(m, s, "User 250.3", true, 0, 3000, &x));
	assert_string_equal(x.loc, "slave250");
	pbxsim_stop(p);
	pbxsim_remove_temp(path);
}

static void test_50_pbxs_200_users(void **state)
{
	char path[256], reply[256];
	struct pbxsim_proc *p;
	struct sh_user u[TS_MAX_USERS], x;
	const char *m, *s49;
	int sm, ss, u49;
	long long t0;

	(void)state;
	p = start_generated("slaves=49,users=200,standby=1,unrelated=1", path, sizeof(path), 102);
	m = pbxsim_url(p, "master");
	s49 = pbxsim_url(p, "slave49");
	assert_non_null(m);
	assert_non_null(s49);
	sm = ts_init(m, NULL);
	ss = ts_init(s49, NULL);
	assert_true(sm > 0 && ss > 0);
	t0 = ms_now();
	/* _TAPI_ + Trunk + 49 PBX objects + 50 x 200 users */
	assert_int_equal(ts_dump(m, sm, u, TS_MAX_USERS), 10051);
	assert_int_equal(ts_dump(s49, ss, u, TS_MAX_USERS), 10051);
	print_message("    two dumps of 10051 records in %lld ms\n", ms_now() - t0);
	/* sessions on every PBX of the tree, then one change reaches them */
	for (int i = 1; i < 49; i++) {
		char name[32];

		snprintf(name, sizeof(name), "slave%d", i);
		assert_true(ts_init(pbxsim_url(p, name), NULL) > 0);
	}
	u49 = sh_user_init(s49, ss, "User 49.200", NULL);
	assert_true(u49 > 0);
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "presence master u49_200 closed"),
			 TSP8_OK);
	assert_true(ts_wait_user(m, sm, "User 49.200", true, 1, 3000, &x));
	assert_string_equal(x.loc, "slave49");
	assert_true(ts_wait_user(s49, ss, "User 49.200", true, 1, 3000, &x));
	assert_string_equal(x.loc, "");
	assert_string_equal(x.presence_status, "closed");
	/* the unrelated tree is separate: its own 10051 objects */
	sm = ts_init(pbxsim_url(p, "t1-slave3"), NULL);
	assert_true(sm > 0);
	assert_int_equal(ts_dump(pbxsim_url(p, "t1-slave3"), sm, u, TS_MAX_USERS), 10051);
	assert_non_null(ts_find(u, TS_MAX_USERS, "t1-slave1"));
	assert_null(ts_find(u, TS_MAX_USERS, "slave1"));
	pbxsim_stop(p);
	pbxsim_remove_temp(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generator_errors),
		cmocka_unit_test(test_500_pbxs),
		cmocka_unit_test(test_50_pbxs_200_users),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
