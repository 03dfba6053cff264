/* Trace objects (base/trace.h): class filtering, always-on classes, the
 * observer hook, line format, and the file sink with KeepLogFiles. */
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
#include "base/platform.h"
#include "base/trace.h"
#include "test_util.h"

struct seen {
	int count;
	uint32_t last_cls;
	char last[8192];
};

static void observe(void *arg, uint32_t cls, const char *line)
{
	struct seen *s = arg;

	s->count++;
	s->last_cls = cls;
	snprintf(s->last, sizeof(s->last), "%s", line);
}

static struct trace *make(uint32_t level, struct seen *s)
{
	struct trace_config cfg = { .name = "unit", .level = level };
	struct trace *tr = NULL;

	assert_int_equal(trace_create(&tr, &cfg), TSP8_OK);
	memset(s, 0, sizeof(*s));
	trace_set_observer(tr, observe, s);
	return tr;
}

static void test_class_filtering(void **state)
{
	struct seen s;
	struct trace *tr = make(TRACE_SOAP | TRACE_CALL, &s);

	(void)state;
	assert_true(trace_enabled(tr, TRACE_SOAP));
	assert_true(trace_enabled(tr, TRACE_CALL | TRACE_LINE));
	assert_false(trace_enabled(tr, TRACE_LINE));
	assert_false(trace_enabled(tr, TRACE_FILE));
	assert_false(trace_enabled(tr, 0));
	trace_write(tr, TRACE_LINE, "not shown");
	TRACE(tr, TRACE_SOAPDUMP, "not shown either %d", 1);
	assert_int_equal(s.count, 0);
	trace_write(tr, TRACE_SOAP, "soap %d", 42);
	assert_int_equal(s.count, 1);
	assert_int_equal(s.last_cls, TRACE_SOAP);
	assert_non_null(strstr(s.last, "soap 42"));
	TRACE(tr, TRACE_CALL, "call");
	assert_int_equal(s.count, 2);

	trace_set_level(tr, TRACE_LINE);
	assert_int_equal(trace_get_level(tr), TRACE_LINE);
	trace_write(tr, TRACE_SOAP, "off now");
	assert_int_equal(s.count, 2);
	trace_write(tr, TRACE_LINE, "on now");
	assert_int_equal(s.count, 3);
	trace_destroy(tr);
}

static void test_info_warn_always_on(void **state)
{
	struct seen s;
	struct trace *tr = make(0, &s);

	(void)state;
	assert_true(trace_enabled(tr, TRACE_INFO));
	assert_true(trace_enabled(tr, TRACE_WARN));
	trace_write(tr, TRACE_WARN, "careful");
	assert_int_equal(s.count, 1);
	assert_non_null(strstr(s.last, " WARN "));
	trace_write(tr, TRACE_INFO, "fyi");
	assert_int_equal(s.count, 2);
	assert_non_null(strstr(s.last, " INFO "));
	trace_write(tr, TRACE_MIN, "quiet");
	assert_int_equal(s.count, 2);
	trace_destroy(tr);
}

static void test_line_format(void **state)
{
	struct seen s;
	struct trace *tr = make(TRACE_DEVEL, &s);
	char tid[32], *big;
	int y, mo, d, h, mi, sec, ms;

	(void)state;
	trace_write(tr, TRACE_DEVEL, "hello\n");
	/* "YYYY-MM-DD HH:MM:SS.mmm <tid> DEVEL unit: hello" */
	assert_int_equal(sscanf(s.last, "%d-%d-%d %d:%d:%d.%d", &y, &mo, &d, &h, &mi, &sec, &ms), 7);
	assert_true(y >= 2020);
	snprintf(tid, sizeof(tid), " %lu DEVEL unit: hello", plat_thread_id());
	assert_non_null(strstr(s.last, tid));
	assert_int_equal(s.last[strlen(s.last) - 1], 'o');    /* newline stripped */

	/* long lines are not cut */
	big = malloc(5001);
	memset(big, 'x', 5000);
	big[5000] = '\0';
	trace_write(tr, TRACE_DEVEL, "%s!", big);
	assert_non_null(strstr(s.last, big));
	assert_int_equal(s.last[strlen(s.last) - 1], '!');
	free(big);

	trace_set_observer(tr, NULL, NULL);
	trace_write(tr, TRACE_DEVEL, "unobserved");
	assert_non_null(strstr(s.last, "xxx!"));
	trace_destroy(tr);
}

static void test_class_names(void **state)
{
	(void)state;
	assert_string_equal(trace_class_name(TRACE_WARN), "WARN");
	assert_string_equal(trace_class_name(TRACE_SOAP), "SOAP");
	assert_string_equal(trace_class_name(TRACE_SOAPDUMP), "SOAPDUMP");
	assert_string_equal(trace_class_name(TRACE_THREAD), "THREAD");
	assert_string_equal(trace_class_name(TRACE_INFO), "INFO");
	assert_string_equal(trace_class_name(TRACE_DUMPPBX), "DUMPPBX");
	assert_string_equal(trace_class_name(TRACE_SOAP | TRACE_WARN), "WARN");
	assert_string_equal(trace_class_name(0), "?");
}

static void test_null_trace(void **state)
{
	(void)state;
	assert_false(trace_enabled(NULL, TRACE_WARN));
	trace_write(NULL, TRACE_WARN, "nowhere");
	TRACE(NULL, TRACE_WARN, "nowhere %d", 1);
	trace_set_level(NULL, 1);
	assert_int_equal(trace_get_level(NULL), 0);
	trace_set_observer(NULL, observe, NULL);
	trace_destroy(NULL);
	assert_int_equal(trace_create(NULL, NULL), TSP8_EINVAL);
}

/* stderr and syslog outputs: lines still go everywhere, nothing breaks
 * when no syslog daemon listens. */
static void test_console_outputs(void **state)
{
	struct trace_config cfg = { .name = "tsp8-unit-test", .level = TRACE_DEVEL,
				    .to_stderr = true, .to_syslog = true };
	struct trace *tr = NULL;
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(trace_create(&tr, &cfg), TSP8_OK);
	trace_set_observer(tr, observe, &s);
	trace_write(tr, TRACE_WARN, "console warning (expected in the test log)");
	trace_write(tr, TRACE_DEVEL, "console devel line (expected in the test log)");
	assert_int_equal(s.count, 2);
	trace_destroy(tr);
}

static struct trace *make_file(const char *dir, uint32_t level, bool enabled,
			       unsigned keep)
{
	struct trace_config cfg = {
		.name = "unit", .level = level, .file_enabled = enabled,
		.log_dir = dir, .num_log_files = 3, .keep_log_files = keep,
	};
	struct trace *tr = NULL;

	assert_int_equal(trace_create(&tr, &cfg), TSP8_OK);
	return tr;
}

static void test_file_sink(void **state)
{
	char *dir = tu_mkdtemp(), suffix[64], *path, *text;
	struct trace *tr;

	(void)state;
	/* TRACE_FILE not set: no file */
	tr = make_file(dir, TRACE_LEVEL_DEFAULT, true, 2);
	trace_write(tr, TRACE_WARN, "stderr only");
	assert_int_equal(tu_count_files(dir, NULL, NULL), 0);
	/* TRACE_FILE set at run time: a file appears */
	trace_set_level(tr, TRACE_LEVEL_DEFAULT | TRACE_FILE);
	trace_write(tr, TRACE_WARN, "line one");
	trace_write(tr, TRACE_SOAP, "filtered out");
	trace_write(tr, TRACE_INFO, "line two");
	assert_int_equal(tu_count_files(dir, "tsp8-", ".log"), 1);
	/* tsp8-YYYYMMDD-HHMMSS-<pid>-<seq>.log */
	snprintf(suffix, sizeof(suffix), "-%lu-0.log", tu_getpid());
	path = tu_first_file(dir, "tsp8-");
	assert_non_null(path);
	assert_non_null(strstr(path, suffix));
	assert_int_equal(strlen(strrchr(path, '/') + 1), strlen("tsp8-YYYYMMDD-HHMMSS") + strlen(suffix));
	text = tu_read_file(path, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, " WARN unit: line one\n"));
	assert_non_null(strstr(text, " INFO unit: line two\n"));
	assert_null(strstr(text, "filtered"));
	free(text);
	free(path);

	/* off and on again: the next line starts a new file */
	trace_set_level(tr, TRACE_LEVEL_DEFAULT);
	trace_write(tr, TRACE_INFO, "not in a file");
	trace_set_level(tr, TRACE_LEVEL_DEFAULT | TRACE_FILE);
	trace_write(tr, TRACE_INFO, "second file");
	assert_int_equal(tu_count_files(dir, "tsp8-", ".log"), 2);
	snprintf(suffix, sizeof(suffix), "-%lu-1.log", tu_getpid());
	assert_int_equal(tu_count_files(dir, "tsp8-", suffix), 1);
	trace_destroy(tr);
	assert_int_equal(tu_count_files(dir, "tsp8-", ".log"), 2);      /* keep all */
	tu_rmtree(dir);
	free(dir);

	/* DoTraceFile 0: never a file */
	dir = tu_mkdtemp();
	tr = make_file(dir, 0xffffffffu, false, 2);
	trace_write(tr, TRACE_INFO, "x");
	trace_destroy(tr);
	assert_int_equal(tu_count_files(dir, NULL, NULL), 0);
	tu_rmtree(dir);
	free(dir);

	/* a log directory that does not exist: lines still reach the observer */
	{
		struct seen s;

		memset(&s, 0, sizeof(s));
		tr = make_file("/nonexistent/tsp8-logs", TRACE_FILE, true, 0);
		trace_set_observer(tr, observe, &s);
		trace_write(tr, TRACE_INFO, "a");
		trace_write(tr, TRACE_INFO, "b");
		assert_int_equal(s.count, 2);
		trace_destroy(tr);
	}
}

static void test_keep_log_files(void **state)
{
	unsigned keep;

	(void)state;
	for (keep = 0; keep <= 2; keep++) {
		char *dir = tu_mkdtemp(), *foreign;
		struct trace *tr = make_file(dir, TRACE_FILE, true, keep);

		/* a log of an earlier instance must never be touched */
		foreign = tu_path(dir, "tsp8-20200101-000000-1-0.log");
		assert_int_equal(tu_write_file(foreign, "old\n", 4), 0);
		trace_write(tr, TRACE_INFO, "a");
		trace_set_level(tr, 0);
		trace_set_level(tr, TRACE_FILE);
		trace_write(tr, TRACE_INFO, "b");
		assert_int_equal(tu_count_files(dir, "tsp8-", ".log"), 3);
		trace_destroy(tr);
		assert_int_equal(tu_count_files(dir, "tsp8-", ".log"), keep == 0 ? 1 : 3);
		assert_int_equal(tu_file_mode(foreign) >= 0, 1);
		free(foreign);
		tu_rmtree(dir);
		free(dir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_class_filtering),
		cmocka_unit_test(test_info_warn_always_on),
		cmocka_unit_test(test_line_format),
		cmocka_unit_test(test_class_names),
		cmocka_unit_test(test_null_trace),
		cmocka_unit_test(test_console_outputs),
		cmocka_unit_test(test_file_sink),
		cmocka_unit_test(test_keep_log_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
