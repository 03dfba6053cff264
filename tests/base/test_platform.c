/* base/platform.h on every platform: locks, condition variables, threads,
 * time, processors, files, shared libraries.  Checks of POSIX permission
 * bits run only where files have them (tu_have_file_modes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/platform_priv.h"
#include "test_util.h"

struct counter {
	plat_mutex m;
	long value;
};

static void count_up(void *arg)
{
	struct counter *c = arg;
	int i;

	for (i = 0; i < 20000; i++) {
		plat_mutex_lock(&c->m);
		c->value++;
		plat_mutex_unlock(&c->m);
	}
}

static void test_mutex_excludes(void **state)
{
	struct counter c = { .value = 0 };
	plat_thread *t[4];
	int i;

	(void)state;
	assert_int_equal(plat_mutex_init(&c.m), TSP8_OK);
	for (i = 0; i < 4; i++)
		assert_int_equal(plat_thread_start(&t[i], count_up, &c, "counter"), TSP8_OK);
	for (i = 0; i < 4; i++)
		plat_thread_join(t[i]);
	assert_int_equal(c.value, 4 * 20000);
	plat_mutex_destroy(&c.m);
	assert_int_equal(plat_mutex_init(NULL), TSP8_EINVAL);
}

static void test_timedwait_times_out(void **state)
{
	plat_mutex m;
	plat_cond c;
	uint64_t t0, dt;
	int rc;

	(void)state;
	assert_int_equal(plat_mutex_init(&m), TSP8_OK);
	assert_int_equal(plat_cond_init(&c), TSP8_OK);
	plat_mutex_lock(&m);
	t0 = plat_now_ms();
	do {            /* spurious wakeups are allowed: wait until the time is up */
		rc = plat_cond_timedwait(&c, &m, 100);
	} while (rc == TSP8_OK && plat_now_ms() - t0 < 100);
	dt = plat_now_ms() - t0;
	plat_mutex_unlock(&m);
	assert_int_equal(rc, TSP8_ETIMEOUT);
	assert_in_range(dt, 95, 3000);
	plat_cond_destroy(&c);
	plat_mutex_destroy(&m);
}

struct signaller {
	plat_mutex m;
	plat_cond c;
	int flag;
};

static void signal_later(void *arg)
{
	struct signaller *s = arg;

	plat_sleep_ms(50);
	plat_mutex_lock(&s->m);
	s->flag = 1;
	plat_cond_signal(&s->c);
	plat_mutex_unlock(&s->m);
}

static void test_timedwait_signalled(void **state)
{
	struct signaller s = { .flag = 0 };
	plat_thread *t;
	uint64_t t0, dt;
	int rc = TSP8_OK;

	(void)state;
	assert_int_equal(plat_mutex_init(&s.m), TSP8_OK);
	assert_int_equal(plat_cond_init(&s.c), TSP8_OK);
	t0 = plat_now_ms();
	assert_int_equal(plat_thread_start(&t, signal_later, &s, NULL), TSP8_OK);
	plat_mutex_lock(&s.m);
	while (!s.flag && rc == TSP8_OK)
		rc = plat_cond_timedwait(&s.c, &s.m, 10000);
	plat_mutex_unlock(&s.m);
	dt = plat_now_ms() - t0;
	plat_thread_join(t);
	assert_int_equal(rc, TSP8_OK);
	assert_int_equal(s.flag, 1);
	assert_in_range(dt, 40, 5000);
	plat_cond_destroy(&s.c);
	plat_mutex_destroy(&s.m);
}

struct idbox {
	unsigned long id;
	int ran;
};

static void record_id(void *arg)
{
	struct idbox *b = arg;

	b->id = plat_thread_id();
	b->ran = 1;
}

static void test_thread_start_join(void **state)
{
	struct idbox b = { 0, 0 };
	plat_thread *t;

	(void)state;
	assert_int_equal(plat_thread_start(&t, record_id, &b,
					   "a-very-long-thread-name-that-is-cut"), TSP8_OK);
	plat_thread_join(t);
	assert_int_equal(b.ran, 1);
	assert_true(b.id != 0);
	assert_true(b.id != plat_thread_id());
	assert_int_equal(plat_thread_start(NULL, record_id, &b, NULL), TSP8_EINVAL);
	assert_int_equal(plat_thread_start(&t, NULL, &b, NULL), TSP8_EINVAL);
	plat_thread_join(NULL);
}

static void mark_done(void *arg)
{
	__atomic_store_n((int *)arg, 1, __ATOMIC_SEQ_CST);
}

static void test_detach(void **state)
{
	int *done = calloc(1, sizeof(*done));  /* outlives this frame if need be */
	plat_thread *t;
	int i;

	(void)state;
	assert_int_equal(plat_thread_start(&t, mark_done, done, "detached"), TSP8_OK);
	plat_thread_detach(t);
	for (i = 0; i < 500 && !__atomic_load_n(done, __ATOMIC_SEQ_CST); i++)
		plat_sleep_ms(2);
	assert_int_equal(__atomic_load_n(done, __ATOMIC_SEQ_CST), 1);
	free(done);
}

static void test_time(void **state)
{
	uint64_t a, b;

	(void)state;
	a = plat_now_ms();
	plat_sleep_ms(30);
	b = plat_now_ms();
	assert_in_range(b - a, 28, 3000);
	/* 2020-01-01 UTC */
	assert_true(plat_wallclock_ms() > UINT64_C(1577836800000));
}

static void test_localtime(void **state)
{
	struct plat_tm tm;

	(void)state;
	tu_setenv("TZ", "UTC");
	tu_tzset();
	plat_localtime(0, &tm);
	assert_int_equal(tm.year, 1970);
	assert_int_equal(tm.mon, 1);
	assert_int_equal(tm.day, 1);
	assert_int_equal(tm.hour, 0);
	plat_localtime(UINT64_C(1700000000123), &tm);
	assert_int_equal(tm.year, 2023);
	assert_int_equal(tm.mon, 11);
	assert_int_equal(tm.day, 14);
	assert_int_equal(tm.hour, 22);
	assert_int_equal(tm.min, 13);
	assert_int_equal(tm.sec, 20);
	assert_int_equal(tm.msec, 123);
}

static void test_cpu_count(void **state)
{
	unsigned all = plat_cpu_count(0);

	(void)state;
	assert_true(all >= 1);
	assert_int_equal(plat_cpu_count(1), 1);
	assert_true(plat_cpu_count(3) <= 2 && plat_cpu_count(3) >= 1);
	assert_true(plat_cpu_count(UINT64_MAX) == all || all > 64);
	/* a mask naming no usable processor still gives 1 */
	assert_int_equal(plat_cpu_count(UINT64_C(1) << 63), 1);
}

struct pin_probe {
	uint64_t before, after, pinned, refused_mask, after_refused;
	int rc, rc_refused;
};

static void pin_thread(void *arg)
{
	struct pin_probe *p = arg;
	p->before = tu_thread_affinity();
	uint64_t low = p->before & (~p->before + 1);   /* lowest allowed processor */
	p->rc = plat_thread_pin(low);
	p->after = tu_thread_affinity();
	p->pinned = low;
	/* a processor this thread may not use: refused, nothing changes */
	p->refused_mask = ~p->before & ~(UINT64_MAX >> 1);   /* bit 63 if not allowed */
	p->rc_refused = p->refused_mask ? plat_thread_pin(p->refused_mask) : TSP8_EINVAL;
	p->after_refused = tu_thread_affinity();
}

/* ProcessorMask for one thread (in a thread of its own: the test's main
 * thread stays as it is). */
static void test_thread_pin(void **state)
{
	struct pin_probe p = { 0 };
	plat_thread *t;

	(void)state;
	assert_int_equal(plat_thread_start(&t, pin_thread, &p, "pin"), TSP8_OK);
	plat_thread_join(t);
	assert_true(p.before != 0);
	assert_int_equal(p.rc, TSP8_OK);
	assert_true(p.after == p.pinned);
	assert_int_equal(p.rc_refused, TSP8_EINVAL);
	assert_true(p.after_refused == p.pinned);
}

static void test_files(void **state)
{
	char *dir = tu_mkdtemp(), *path, *data, *missing;
	size_t len;

	(void)state;
	assert_non_null(dir);
	path = tu_path(dir, "f.txt");
	missing = tu_path(dir, "no/such/dir/f.txt");
	assert_int_equal(plat_write_file_atomic(path, "hello", 5), TSP8_OK);
	if (tu_have_file_modes())
		assert_int_equal(tu_file_mode(path), 0644);
	assert_int_equal(plat_read_file(path, &data, &len), TSP8_OK);
	assert_int_equal(len, 5);
	assert_string_equal(data, "hello");
	free(data);

	/* replace, private */
	assert_int_equal(plat_write_file_atomic_mode(path, "secret!", 7, true), TSP8_OK);
	if (tu_have_file_modes())
		assert_int_equal(tu_file_mode(path), 0600);
	assert_int_equal(plat_read_file(path, &data, &len), TSP8_OK);
	assert_string_equal(data, "secret!");
	free(data);
	/* only the file itself: no temporary left behind */
	assert_int_equal(tu_count_files(dir, NULL, NULL), 1);

	/* empty file */
	assert_int_equal(plat_write_file_atomic(path, NULL, 0), TSP8_OK);
	assert_int_equal(plat_read_file(path, &data, &len), TSP8_OK);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);

	assert_int_equal(plat_read_file(missing, &data, &len), TSP8_ENOTFOUND);
	assert_int_not_equal(plat_write_file_atomic(missing, "x", 1), TSP8_OK);
	assert_int_equal(plat_write_file_atomic(NULL, "x", 1), TSP8_EINVAL);
	assert_int_equal(plat_write_file_atomic(path, NULL, 1), TSP8_EINVAL);
	assert_int_equal(plat_read_file(dir, &data, &len), TSP8_EIO);
	free(missing);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_create_exclusive(void **state)
{
	char *dir = tu_mkdtemp(), *path, *data;
	size_t len;

	(void)state;
	path = tu_path(dir, "key");
	assert_int_equal(plat_create_file_exclusive(path, "first", 5, true), TSP8_OK);
	if (tu_have_file_modes())
		assert_int_equal(tu_file_mode(path), 0600);
	assert_int_equal(plat_create_file_exclusive(path, "second", 6, true), TSP8_EEXIST);
	assert_int_equal(plat_read_file(path, &data, &len), TSP8_OK);
	assert_string_equal(data, "first");
	free(data);
	assert_int_equal(tu_count_files(dir, NULL, NULL), 1);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

/* Paths are UTF-8 on every platform (UTF-16 underneath on Windows). */
static void test_utf8_paths(void **state)
{
	char *dir = tu_mkdtemp(), *path, *data;
	size_t len;
	FILE *f;

	(void)state;
	assert_non_null(dir);
	path = tu_path(dir, "tsp8-\xc3\xa4\xc2\xae-\xe2\x82\xac.log");  /* ä®€ */
	assert_int_equal(plat_write_file_atomic(path, "one", 3), TSP8_OK);
	assert_int_equal(plat_read_file(path, &data, &len), TSP8_OK);
	assert_string_equal(data, "one");
	free(data);
	f = plat_fopen(path, "a");
	assert_non_null(f);
	assert_int_equal(fputs("+two", f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(plat_read_file(path, &data, &len), TSP8_OK);
	assert_string_equal(data, "one+two");
	free(data);
	assert_int_equal(tu_count_files(dir, "tsp8-", ".log"), 1);
	assert_int_equal(plat_remove(path), TSP8_OK);
	assert_int_equal(plat_remove(path), TSP8_ENOTFOUND);
	assert_int_equal(tu_count_files(dir, NULL, NULL), 0);
	assert_null(plat_fopen(path, "r"));
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_exe_dir(void **state)
{
	char buf[4096], small[2];
	char *self;

	(void)state;
	assert_int_equal(plat_exe_dir(buf, sizeof(buf)), TSP8_OK);
	self = tu_exe_path();
	assert_non_null(self);
	assert_memory_equal(self, buf, strlen(buf));
	assert_true(self[strlen(buf)] == '/' || self[strlen(buf)] == '\\');
	assert_null(strchr(self + strlen(buf) + 1, '/'));
	assert_null(strchr(self + strlen(buf) + 1, '\\'));
	free(self);
	assert_int_equal(plat_exe_dir(small, sizeof(small)), TSP8_ELIMIT);
	assert_int_equal(plat_exe_dir(NULL, 10), TSP8_EINVAL);
}

static void test_dl(void **state)
{
	const char *lib, *sym;
	plat_dl *dl;

	(void)state;
	tu_dl_sample(&lib, &sym);
	assert_int_equal(plat_dl_open(&dl, lib), TSP8_OK);
	assert_non_null(plat_dl_sym(dl, sym));
	assert_null(plat_dl_sym(dl, "no_such_symbol_tsp8"));
	plat_dl_close(dl);
	assert_int_equal(plat_dl_open(&dl, "/nonexistent/libnothing.so"), TSP8_ENOTFOUND);
	assert_non_null(strstr(plat_dl_error(), "libnothing"));
}

static void test_global_init(void **state)
{
	(void)state;
	assert_int_equal(plat_global_init(), TSP8_OK);
	assert_int_equal(plat_global_init(), TSP8_OK);
	assert_true(tu_sigpipe_harmless());
	assert_true(plat_process_id() == tu_getpid());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutex_excludes),
		cmocka_unit_test(test_timedwait_times_out),
		cmocka_unit_test(test_timedwait_signalled),
		cmocka_unit_test(test_thread_start_join),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_localtime),
		cmocka_unit_test(test_cpu_count),
		cmocka_unit_test(test_thread_pin),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_create_exclusive),
		cmocka_unit_test(test_utf8_paths),
		cmocka_unit_test(test_exe_dir),
		cmocka_unit_test(test_dl),
		cmocka_unit_test(test_global_init),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
