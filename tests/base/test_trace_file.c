/* Rotating log files (base/trace_file.h): rotation by size and by hour,
 * at most NumLogFiles kept, KeepLogFiles 0/1/2 on destroy, and only our own
 * files ever removed. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"
#include "base/trace_file.h"
#include "test_util.h"

#define HOUR_MS UINT64_C(3600000)
/* 2023-11-14 22:13:20 UTC: any fixed instant will do */
#define T0 UINT64_C(1700000000000)

static const char line40[] = "0123456789012345678901234567890123456789";

static struct trace_file *make(const char *dir, unsigned num, unsigned keep, uint64_t max)
{
	struct trace_file_config cfg = {
		.dir = dir, .num_files = num, .keep = keep, .max_bytes = max,
	};
	struct trace_file *f = NULL;

	assert_int_equal(trace_file_create(&f, &cfg), TSP8_OK);
	return f;
}

static void test_rotation_by_size_keeps_n(void **state)
{
	char *dir = tu_mkdtemp(), *text, *cur;
	struct trace_file *f = make(dir, 3, TRACE_FILE_KEEP_LAST, 100);
	int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		/* 41 bytes per line: two lines per file, then a new one */
		assert_int_equal(trace_file_write(f, T0 + (uint64_t)i, line40, 40), TSP8_OK);
		assert_true(tu_count_files(dir, "tsp8-", ".log") <= 3);
	}
	assert_int_equal(tu_count_files(dir, "tsp8-", ".log"), 3);
	assert_int_equal(trace_file_count(f), 3);
	cur = strdup(trace_file_current(f));
	/* the newest files are the ones left: 10 files made, 7..9 remain */
	assert_non_null(strstr(cur, "-9.log"));
	assert_int_equal(tu_count_files(dir, "tsp8-", "-7.log"), 1);
	assert_int_equal(tu_count_files(dir, "tsp8-", "-6.log"), 0);
	text = tu_read_file(cur, NULL);
	assert_string_equal(text, "0123456789012345678901234567890123456789\n"
			    "0123456789012345678901234567890123456789\n");
	free(text);
	free(cur);
	trace_file_destroy(f);
	assert_int_equal(tu_count_files(dir, "tsp8-", ".log"), 3);
	tu_rmtree(dir);
	free(dir);
}

static void test_line_bigger_than_cap(void **state)
{
	char *dir = tu_mkdtemp();
	struct trace_file *f = make(dir, 5, TRACE_FILE_KEEP_ALL, 10);

	(void)state;
	/* a single long line still goes into a file of its own */
	assert_int_equal(trace_file_write(f, T0, line40, 40), TSP8_OK);
	assert_int_equal(trace_file_write(f, T0, line40, 40), TSP8_OK);
	assert_int_equal(tu_count_files(dir, "tsp8-", ".log"), 2);
	trace_file_destroy(f);
	tu_rmtree(dir);
	free(dir);
}

static void test_rotation_by_hour(void **state)
{
	char *dir = tu_mkdtemp();
	struct trace_file *f = make(dir, 24, TRACE_FILE_KEEP_LAST, 0);
	uint64_t t = T0 - T0 % HOUR_MS;   /* top of an hour */
	int h;

	(void)state;
	for (h = 0; h < 30; h++) {
		assert_int_equal(trace_file_write(f, t + (uint64_t)h * HOUR_MS, "a", 1), TSP8_OK);
		assert_int_equal(trace_file_write(f, t + (uint64_t)h * HOUR_MS + 60000, "b", 1),
				 TSP8_OK);
	}
	/* one file per hour, a day's worth kept */
	assert_int_equal(tu_count_files(dir, "tsp8-", ".log"), 24);
	assert_int_equal(tu_count_files(dir, "tsp8-", "-29.log"), 1);
	assert_int_equal(tu_count_files(dir, "tsp8-", "-5.log"), 0);
	trace_file_destroy(f);
	tu_rmtree(dir);
	free(dir);
}

static void run_keep(unsigned keep, size_t expect_left)
{
	char *dir = tu_mkdtemp(), *other;
	struct trace_file *f = make(dir, 3, keep, 50);
	int i;

	/* another instance's file, same name pattern */
	other = tu_path(dir, "tsp8-20200101-000000-99999-0.log");
	assert_int_equal(tu_write_file(other, "x\n", 2), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(trace_file_write(f, T0, line40, 40), TSP8_OK);
	trace_file_destroy(f);
	assert_int_equal(tu_count_files(dir, "tsp8-", ".log"), expect_left + 1);
	assert_true(tu_file_mode(other) >= 0);
	free(other);
	tu_rmtree(dir);
	free(dir);
}

static void test_keep_none(void **state)
{
	(void)state;
	run_keep(TRACE_FILE_KEEP_NONE, 0);      /* removes all own files */
}

static void test_keep_last(void **state)
{
	(void)state;
	run_keep(TRACE_FILE_KEEP_LAST, 3);      /* keeps the last n */
}

static void test_keep_all(void **state)
{
	(void)state;
	run_keep(TRACE_FILE_KEEP_ALL, 5);       /* keeps every file */
}

static void test_unwritable_dir(void **state)
{
	struct trace_file *f = make("/nonexistent/tsp8", 3, TRACE_FILE_KEEP_NONE, 0);
	struct trace_file_config bad = { .dir = NULL };
	struct trace_file *g = NULL;

	(void)state;
	assert_int_equal(trace_file_write(f, T0, "a", 1), TSP8_EIO);
	/* no new attempt within the same hour */
	assert_int_equal(trace_file_write(f, T0 + 1000, "a", 1), TSP8_EIO);
	assert_int_equal(trace_file_count(f), 0);
	assert_null(trace_file_current(f));
	trace_file_destroy(f);
	assert_int_equal(trace_file_create(&g, &bad), TSP8_EINVAL);
	assert_int_equal(trace_file_create(NULL, &bad), TSP8_EINVAL);
	trace_file_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rotation_by_size_keeps_n),
		cmocka_unit_test(test_line_bigger_than_cap),
		cmocka_unit_test(test_rotation_by_hour),
		cmocka_unit_test(test_keep_none),
		cmocka_unit_test(test_keep_last),
		cmocka_unit_test(test_keep_all),
		cmocka_unit_test(test_unwritable_dir),
	};

	/* hours and file names in a fixed zone */
	tu_setenv("TZ", "UTC");
	tu_tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
