/* The configuration store (base/config.h) on a REGEDIT4 file: reads,
 * writes, atomic commits, merging with other writers, reloads. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/config.h"
#include "base/error.h"
#include "test_util.h"

#define KEY "HKEY_LOCAL_MACHINE\\" CFG_PROVIDER_KEY

struct fixture {
	char *dir;
	char *path;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = tu_mkdtemp();
	f->path = tu_path(f->dir, "tsp8.reg");
	*state = f;
	return f->dir && f->path ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tu_rmtree(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	return 0;
}

static struct cfg *open_ok(const char *path)
{
	struct cfg *c = NULL;
	char err[256] = "";
	int rc = cfg_open(&c, path, err, sizeof(err));

	if (rc != TSP8_OK)
		fail_msg("cfg_open: %s (%s)", tsp8_strerror(rc), err);
	return c;
}

static void test_missing_file_is_empty(void **state)
{
	struct fixture *f = *state;
	struct cfg *c = open_ok(f->path);
	uint32_t v;
	char s[8];

	assert_string_equal(cfg_path(c), f->path);
	assert_int_equal(cfg_get_dword(c, "", "TraceLevel", &v), TSP8_ENOTFOUND);
	assert_int_equal(cfg_get_string(c, "FQDN", "0", s, sizeof(s)), TSP8_ENOTFOUND);
	assert_int_equal(cfg_dword_or(c, NULL, "LineTimeOut", 90), 90);
	/* nothing pending: commit writes nothing */
	assert_int_equal(cfg_commit(c), TSP8_OK);
	assert_int_equal(tu_count_files(f->dir, NULL, NULL), 0);
	cfg_close(c);
}

static void test_set_commit_reopen(void **state)
{
	struct fixture *f = *state;
	struct cfg *c = open_ok(f->path);
	unsigned char bin[3] = { 1, 2, 3 }, got[8];
	size_t len;
	char s[64];
	uint32_t v;

	assert_int_equal(cfg_set_string(c, "", "TapiUser", "_TAPI_"), TSP8_OK);
	assert_int_equal(cfg_set_dword(c, "", "TraceLevel", 0x04000400), TSP8_OK);
	assert_int_equal(cfg_set_binary(c, "", "Blob", bin, sizeof(bin)), TSP8_OK);
	assert_int_equal(cfg_set_string(c, "FQDN", "0", "https://master.example.com"), TSP8_OK);
	assert_int_equal(cfg_set_dword(c, "lineGUIDs", "{1234}", 0x10001), TSP8_OK);
	/* visible before the commit */
	assert_int_equal(cfg_get_dword(c, "", "tracelevel", &v), TSP8_OK);
	assert_int_equal(v, 0x04000400);
	assert_int_equal(cfg_commit(c), TSP8_OK);
	assert_int_equal(tu_file_mode(f->path), 0644);
	cfg_close(c);

	c = open_ok(f->path);
	assert_int_equal(cfg_get_string(c, NULL, "TapiUser", s, sizeof(s)), TSP8_OK);
	assert_string_equal(s, "_TAPI_");
	assert_int_equal(cfg_dword_or(c, "", "TraceLevel", 0), 0x04000400);
	len = sizeof(got);
	assert_int_equal(cfg_get_binary(c, "", "Blob", got, &len), TSP8_OK);
	assert_int_equal(len, 3);
	assert_memory_equal(got, bin, 3);
	assert_int_equal(cfg_get_string(c, "fqdn", "0", s, sizeof(s)), TSP8_OK);
	assert_string_equal(s, "https://master.example.com");
	assert_int_equal(cfg_dword_or(c, "lineGUIDs", "{1234}", 0), 0x10001);

	/* wrong type, short buffers */
	assert_int_equal(cfg_get_dword(c, "", "TapiUser", &v), TSP8_EINVAL);
	assert_int_equal(cfg_dword_or(c, "", "TapiUser", 5), 5);
	assert_int_equal(cfg_get_string(c, "", "TapiUser", s, 6), TSP8_ELIMIT);
	assert_int_equal(cfg_get_string(c, "", "TapiUser", s, 7), TSP8_OK);
	len = 2;
	assert_int_equal(cfg_get_binary(c, "", "Blob", got, &len), TSP8_ELIMIT);
	assert_int_equal(len, 3);
	len = 0;
	assert_int_equal(cfg_get_binary(c, "", "Blob", NULL, &len), TSP8_ELIMIT);
	assert_int_equal(len, 3);

	/* delete */
	assert_int_equal(cfg_delete(c, "", "Blob"), TSP8_OK);
	assert_int_equal(cfg_delete(c, "", "Blob"), TSP8_ENOTFOUND);
	assert_int_equal(cfg_commit(c), TSP8_OK);
	cfg_close(c);
	c = open_ok(f->path);
	len = sizeof(got);
	assert_int_equal(cfg_get_binary(c, "", "Blob", got, &len), TSP8_ENOTFOUND);
	cfg_close(c);
}

static void test_secrets_make_file_private(void **state)
{
	struct fixture *f = *state;
	struct cfg *c = open_ok(f->path);
	unsigned char blob[4] = { 9, 9, 9, 9 };

	assert_int_equal(cfg_set_dword(c, "", "x", 1), TSP8_OK);
	assert_int_equal(cfg_commit(c), TSP8_OK);
	assert_int_equal(tu_file_mode(f->path), 0644);
	assert_int_equal(cfg_set_binary(c, "", "admin1", blob, sizeof(blob)), TSP8_OK);
	assert_int_equal(cfg_commit(c), TSP8_OK);
	assert_int_equal(tu_file_mode(f->path), 0600);
	assert_int_equal(cfg_delete(c, "", "admin1"), TSP8_OK);
	assert_int_equal(cfg_set_string(c, "", "admin2-free", "_TAPI_"), TSP8_OK);
	assert_int_equal(cfg_commit(c), TSP8_OK);
	assert_int_equal(tu_file_mode(f->path), 0600);
	assert_int_equal(cfg_delete(c, "", "admin2-free"), TSP8_OK);
	assert_int_equal(cfg_commit(c), TSP8_OK);
	assert_int_equal(tu_file_mode(f->path), 0644);
	cfg_close(c);
}

struct names {
	char list[256];
	int stop_at;
	int calls;
};

static int collect(void *arg, const char *name, enum cfg_type type, const void *data, size_t len)
{
	struct names *n = arg;

	(void)data;
	(void)len;
	(void)type;
	strcat(n->list, name);
	strcat(n->list, ";");
	return ++n->calls == n->stop_at ? 7 : 0;
}

static void test_enum(void **state)
{
	struct fixture *f = *state;
	static const char text[] =
		"REGEDIT4\n\n[" KEY "\\FQDN]\n\"0\"=\"a\"\n\"1\"=\"b\"\n\"2\"=dword:00000001\n";
	struct names n = { "", 0, 0 };
	struct cfg *c;

	assert_int_equal(tu_write_file(f->path, text, strlen(text)), 0);
	c = open_ok(f->path);
	assert_int_equal(cfg_enum(c, "FQDN", collect, &n), 0);
	assert_string_equal(n.list, "0;1;2;");
	memset(&n, 0, sizeof(n));
	n.stop_at = 2;
	assert_int_equal(cfg_enum(c, "FQDN", collect, &n), 7);
	assert_string_equal(n.list, "0;1;");
	memset(&n, 0, sizeof(n));
	assert_int_equal(cfg_enum(c, "StandbyFQDN", collect, &n), 0);
	assert_int_equal(n.calls, 0);
	cfg_close(c);
}

/* A crash mid-commit leaves at most a stray temporary file beside the
 * real one; the real file stays intact and readable. */
static void test_stray_temp_file_after_crash(void **state)
{
	struct fixture *f = *state;
	struct cfg *c = open_ok(f->path);
	char *tmp, *before, *after;
	char s[32];

	assert_int_equal(cfg_set_string(c, "", "TapiUser", "first"), TSP8_OK);
	assert_int_equal(cfg_commit(c), TSP8_OK);
	cfg_close(c);
	before = tu_read_file(f->path, NULL);

	/* what a writer killed before its rename leaves behind */
	assert_true(asprintf(&tmp, "%s.tmpK1ll3d", f->path) > 0);
	assert_int_equal(tu_write_file(tmp, "REGEDIT4\n\n[HKEY_LOC", 19), 0);

	c = open_ok(f->path);
	assert_int_equal(cfg_get_string(c, "", "TapiUser", s, sizeof(s)), TSP8_OK);
	assert_string_equal(s, "first");
	after = tu_read_file(f->path, NULL);
	assert_string_equal(before, after);
	free(after);

	/* the next commit works, and leaves no temporary of its own */
	assert_int_equal(cfg_set_string(c, "", "TapiUser", "second"), TSP8_OK);
	assert_int_equal(cfg_commit(c), TSP8_OK);
	assert_int_equal(tu_count_files(f->dir, "tsp8.reg.tmp", NULL), 1);
	/* the file, the stray temporary, and the commit lock file */
	assert_int_equal(tu_count_files(f->dir, "tsp8.reg.lock", NULL), 1);
	assert_int_equal(tu_count_files(f->dir, NULL, NULL), 3);
	cfg_close(c);
	c = open_ok(f->path);
	assert_int_equal(cfg_get_string(c, "", "TapiUser", s, sizeof(s)), TSP8_OK);
	assert_string_equal(s, "second");
	cfg_close(c);
	free(before);
	free(tmp);
}

static void test_commit_merges_other_writers(void **state)
{
	struct fixture *f = *state;
	struct cfg *a = open_ok(f->path), *b = open_ok(f->path), *c;
	char s[32];

	assert_int_equal(cfg_set_dword(a, "", "fromA", 1), TSP8_OK);
	assert_int_equal(cfg_set_dword(a, "", "both", 1), TSP8_OK);
	assert_int_equal(cfg_set_string(b, "", "fromB", "tray"), TSP8_OK);
	assert_int_equal(cfg_set_dword(b, "", "both", 2), TSP8_OK);
	assert_int_equal(cfg_commit(b), TSP8_OK);
	assert_int_equal(cfg_commit(a), TSP8_OK);
	/* a sees b's value after its commit */
	assert_int_equal(cfg_get_string(a, "", "fromB", s, sizeof(s)), TSP8_OK);
	assert_string_equal(s, "tray");

	c = open_ok(f->path);
	assert_int_equal(cfg_dword_or(c, "", "fromA", 0), 1);
	assert_int_equal(cfg_get_string(c, "", "fromB", s, sizeof(s)), TSP8_OK);
	assert_string_equal(s, "tray");
	assert_int_equal(cfg_dword_or(c, "", "both", 0), 1);   /* last commit wins */
	cfg_close(c);

	/* a delete is merged too (b first has to see the value to delete it) */
	assert_int_equal(cfg_delete(b, "", "fromA"), TSP8_ENOTFOUND);
	assert_int_equal(cfg_reload(b, NULL, 0), TSP8_OK);
	assert_int_equal(cfg_delete(b, "", "fromA"), TSP8_OK);
	assert_int_equal(cfg_commit(b), TSP8_OK);
	c = open_ok(f->path);
	assert_int_equal(cfg_dword_or(c, "", "fromA", 0), 0);
	cfg_close(c);
	cfg_close(a);
	cfg_close(b);
}

/* After its own commit a store skips re-reading an unchanged file; a
 * file that another writer replaced meanwhile is still merged. */
static void test_repeated_commits_notice_other_writers(void **state)
{
	struct fixture *f = *state;
	struct cfg *a = open_ok(f->path), *b = open_ok(f->path), *c;

	assert_int_equal(cfg_set_dword(a, "", "a1", 1), TSP8_OK);
	assert_int_equal(cfg_commit(a), TSP8_OK);
	assert_int_equal(cfg_set_dword(a, "", "a2", 2), TSP8_OK);
	assert_int_equal(cfg_commit(a), TSP8_OK);      /* unchanged file: no re-read */
	assert_int_equal(cfg_set_dword(b, "", "b1", 3), TSP8_OK);
	assert_int_equal(cfg_commit(b), TSP8_OK);      /* replaces the file: a1 a2 b1 */
	assert_int_equal(cfg_set_dword(a, "", "a3", 4), TSP8_OK);
	assert_int_equal(cfg_commit(a), TSP8_OK);      /* must re-read, or b1 would be lost */
	assert_int_equal(cfg_dword_or(a, "", "b1", 0), 3);
	for (int i = 0; i < 20; i++) {
		assert_int_equal(cfg_set_dword(a, "ids", "n", (uint32_t)i), TSP8_OK);
		assert_int_equal(cfg_commit(a), TSP8_OK);
	}

	c = open_ok(f->path);
	assert_int_equal(cfg_dword_or(c, "", "a1", 0), 1);
	assert_int_equal(cfg_dword_or(c, "", "a3", 0), 4);
	assert_int_equal(cfg_dword_or(c, "", "b1", 0), 3);
	assert_int_equal(cfg_dword_or(c, "ids", "n", 0), 19);
	assert_int_equal(cfg_dword_or(c, "", "a2", 0), 2);
	cfg_close(c);
	cfg_close(a);
	cfg_close(b);
}

static void test_other_sections_survive_commit(void **state)
{
	struct fixture *f = *state;
	static const char other[] =
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Other]\n"
		"; keep me\n"
		"\"x\"=hex(2):25,00,\\\n"
		"  41,00\n";
	char *text, *out;
	struct cfg *c;

	assert_true(asprintf(&text, "REGEDIT4\n\n%s\n[" KEY "]\n\"TraceLevel\"=dword:04000400\n",
			     other) > 0);
	assert_int_equal(tu_write_file(f->path, text, strlen(text)), 0);
	c = open_ok(f->path);
	assert_int_equal(cfg_set_dword(c, "", "TraceLevel", 0x92200580), TSP8_OK);
	assert_int_equal(cfg_commit(c), TSP8_OK);
	cfg_close(c);
	out = tu_read_file(f->path, NULL);
	assert_non_null(strstr(out, other));
	assert_non_null(strstr(out, "\"TraceLevel\"=dword:92200580\n"));
	free(out);
	free(text);
}

static void test_syntax_errors(void **state)
{
	struct fixture *f = *state;
	static const char bad[] = "REGEDIT4\n\n[" KEY "]\n\"TraceLevel\"=dword:xyz\n";
	static const char good[] = "REGEDIT4\n\n[" KEY "]\n\"TraceLevel\"=dword:00000001\n";
	struct cfg *c = NULL;
	char err[512];
	char *out;

	assert_int_equal(tu_write_file(f->path, bad, strlen(bad)), 0);
	assert_int_equal(cfg_open(&c, f->path, err, sizeof(err)), TSP8_ESYNTAX);
	assert_null(c);
	assert_non_null(strstr(err, "line 4: "));
	assert_non_null(strstr(err, f->path));

	/* a file broken after opening is neither used nor overwritten */
	assert_int_equal(tu_write_file(f->path, good, strlen(good)), 0);
	c = open_ok(f->path);
	assert_int_equal(tu_write_file(f->path, bad, strlen(bad)), 0);
	assert_int_equal(cfg_reload(c, err, sizeof(err)), TSP8_ESYNTAX);
	assert_non_null(strstr(err, "line 4: "));
	assert_int_equal(cfg_dword_or(c, "", "TraceLevel", 0), 1);
	assert_int_equal(cfg_set_dword(c, "", "x", 1), TSP8_OK);
	assert_int_equal(cfg_commit(c), TSP8_ESYNTAX);
	out = tu_read_file(f->path, NULL);
	assert_string_equal(out, bad);
	free(out);
	cfg_close(c);
	assert_int_equal(cfg_open(NULL, f->path, NULL, 0), TSP8_EINVAL);
}

static void test_reload_sees_changes(void **state)
{
	struct fixture *f = *state;
	static const char v1[] = "REGEDIT4\n\n[" KEY "]\n\"TraceLevel\"=dword:04000400\n";
	static const char v2[] = "REGEDIT4\n\n[" KEY "]\n\"TraceLevel\"=dword:92200580\n";
	struct cfg *c;

	assert_int_equal(tu_write_file(f->path, v1, strlen(v1)), 0);
	c = open_ok(f->path);
	assert_int_equal(cfg_dword_or(c, "", "TraceLevel", 0), 0x04000400);
	/* tsptray changes the level on disk */
	assert_int_equal(tu_write_file(f->path, v2, strlen(v2)), 0);
	assert_int_equal(cfg_dword_or(c, "", "TraceLevel", 0), 0x04000400);
	assert_int_equal(cfg_set_dword(c, "", "Pending", 5), TSP8_OK);
	assert_int_equal(cfg_reload(c, NULL, 0), TSP8_OK);
	assert_int_equal(cfg_dword_or(c, "", "TraceLevel", 0), 0x92200580);
	/* uncommitted changes survive a reload */
	assert_int_equal(cfg_dword_or(c, "", "Pending", 0), 5);
	/* the file disappearing is an empty store */
	remove(f->path);
	assert_int_equal(cfg_reload(c, NULL, 0), TSP8_OK);
	assert_int_equal(cfg_dword_or(c, "", "TraceLevel", 0), 0);
	cfg_close(c);
}

static void test_env_path(void **state)
{
	struct fixture *f = *state;
	struct cfg *c;
	char *other;

	setenv("TSP8_CONFIG", f->path, 1);
	c = open_ok(NULL);
	assert_string_equal(cfg_path(c), f->path);
	cfg_close(c);
	/* an explicit path wins over the environment */
	other = tu_path(f->dir, "other.reg");
	c = open_ok(other);
	assert_string_equal(cfg_path(c), other);
	cfg_close(c);
	free(other);
	unsetenv("TSP8_CONFIG");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_missing_file_is_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_commit_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secrets_make_file_private, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stray_temp_file_after_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_merges_other_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeated_commits_notice_other_writers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_sections_survive_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_sees_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_path, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
