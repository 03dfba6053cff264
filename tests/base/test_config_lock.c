/* Commits of the POSIX configuration store from several processes at once
 * (base/config_posix.c): the commit lock file must keep every process's
 * values, where unlocked read-merge-write cycles would lose some. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/config.h"
#include "base/error.h"
#include "test_util.h"

#define ROUNDS 200

/* Body of one child process: ROUNDS commits of one new value each, named
 * <prefix><i>, plus a value both children overwrite.  Exit status 0 when
 * every call succeeded. */
static int commit_loop(const char *path, const char *prefix)
{
	struct cfg *c = NULL;
	char name[32];
	int i;

	if (cfg_open(&c, path, NULL, 0) != TSP8_OK)
		return 10;
	for (i = 0; i < ROUNDS; i++) {
		snprintf(name, sizeof(name), "%s%d", prefix, i);
		if (cfg_set_dword(c, "lineGUIDs", name, (uint32_t)i) != TSP8_OK ||
		    cfg_set_string(c, "", "LastWriter", prefix) != TSP8_OK)
			return 11;
		if (cfg_commit(c) != TSP8_OK)
			return 12;
	}
	cfg_close(c);
	return 0;
}

static pid_t spawn(const char *path, const char *prefix)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(commit_loop(path, prefix));
	return pid;
}

static int wait_ok(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

struct tally {
	int a, b, other;
};

static int count_value(void *arg, const char *name, enum cfg_type type,
		       const void *data, size_t len)
{
	struct tally *t = arg;
	uint32_t v;

	if (type != CFG_DWORD || len != sizeof(v)) {
		t->other++;
		return 0;
	}
	memcpy(&v, data, sizeof(v));
	/* the value is the round that wrote it */
	if (name[0] == 'A' && (uint32_t)atoi(name + 1) == v)
		t->a++;
	else if (name[0] == 'B' && (uint32_t)atoi(name + 1) == v)
		t->b++;
	else
		t->other++;
	return 0;
}

static void test_two_processes_commit(void **state)
{
	char *dir = tu_mkdtemp(), *path, s[8];
	struct tally t = { 0, 0, 0 };
	struct cfg *c = NULL;
	pid_t a, b;

	(void)state;
	assert_non_null(dir);
	path = tu_path(dir, "tsp8.reg");
	a = spawn(path, "A");
	b = spawn(path, "B");
	assert_true(a > 0 && b > 0);
	assert_int_equal(wait_ok(a), 0);
	assert_int_equal(wait_ok(b), 0);

	assert_int_equal(cfg_open(&c, path, NULL, 0), TSP8_OK);
	assert_int_equal(cfg_enum(c, "lineGUIDs", count_value, &t), 0);
	assert_int_equal(t.a, ROUNDS);
	assert_int_equal(t.b, ROUNDS);
	assert_int_equal(t.other, 0);
	assert_int_equal(cfg_get_string(c, "", "LastWriter", s, sizeof(s)), TSP8_OK);
	assert_true(strcmp(s, "A") == 0 || strcmp(s, "B") == 0);
	cfg_close(c);
	/* the file, the lock file, and no temporary left behind */
	assert_int_equal(tu_count_files(dir, NULL, NULL), 2);
	assert_int_equal(tu_count_files(dir, "tsp8.reg.lock", NULL), 1);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

/* A directory the lock file cannot be made in fails the commit cleanly
 * (the write could not have worked there either). */
static void test_missing_dir(void **state)
{
	struct cfg *c = NULL;

	(void)state;
	assert_int_equal(cfg_open(&c, "/nonexistent/tsp8/tsp8.reg", NULL, 0), TSP8_OK);
	assert_int_equal(cfg_set_dword(c, "", "x", 1), TSP8_OK);
	assert_int_equal(cfg_commit(c), TSP8_ENOTFOUND);
	/* the change stays pending and visible */
	assert_int_equal(cfg_dword_or(c, "", "x", 0), 1);
	cfg_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_processes_commit),
		cmocka_unit_test(test_missing_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
