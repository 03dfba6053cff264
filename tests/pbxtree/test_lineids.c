/* Permanent line IDs: allocation, persistence in a temp config file, reload,
 * never reused, bad entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/config.h"
#include "base/error.h"
#include "pbxtree/lineids.h"

#define KEY "[HKEY_LOCAL_MACHINE\\SOFTWARE\\innovaphone\\innovaphone\xc2\xae PBX V8 TAPI Service Provider"

struct fx {
	char dir[64];
	char path[96];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	/* mkdtemp template: the name followed by six 'X' */
	snprintf(f->dir, sizeof(f->dir), "/tmp/tsp8-lineids-");
	size_t tl = strlen(f->dir);
	memset(f->dir + tl, 'X', 6);
	f->dir[tl + 6] = '\0';
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/tsp8.reg", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char tmp[128];
	unlink(f->path);
	/* atomic writes may leave nothing else behind; remove leftovers anyway */
	snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
	unlink(tmp);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static struct lineids *open_ids(const char *path, struct cfg **cfg)
{
	char err[128] = "";
	assert_int_equal(cfg_open(cfg, path, err, sizeof(err)), TSP8_OK);
	struct lineids *ids = NULL;
	assert_int_equal(lineids_create(&ids, *cfg, NULL), TSP8_OK);
	return ids;
}

static void close_ids(struct lineids *ids, struct cfg *cfg)
{
	assert_int_equal(lineids_commit(ids, NULL), TSP8_OK);
	assert_int_equal(lineids_pending(ids), 0);
	lineids_destroy(ids);
	cfg_close(cfg);
}

static void test_allocation_and_reload(void **state)
{
	struct fx *f = *state;
	struct cfg *cfg;
	struct lineids *ids = open_ids(f->path, &cfg);
	uint32_t a, b, c, again;
	assert_int_equal(lineids_count(ids), 0);
	assert_int_equal(lineids_get(ids, "0123456789abcdef0123456789abcdef", &a, NULL), TSP8_OK);
	assert_int_equal(a, LINEIDS_FIRST);
	assert_int_equal(lineids_get(ids, "fedcba9876543210fedcba9876543210", &b, NULL), TSP8_OK);
	assert_int_equal(b, LINEIDS_FIRST + 1);
	assert_int_equal(lineids_get(ids, "0123456789ABCDEF0123456789ABCDEF", &again, NULL), TSP8_OK);
	assert_int_equal(again, a);  /* GUIDs compare case-insensitively */
	assert_int_equal(lineids_get(ids, "guid-c", &c, NULL), TSP8_OK);
	assert_int_equal(c, LINEIDS_FIRST + 2);
	assert_int_equal(lineids_count(ids), 3);
	close_ids(ids, cfg);

	/* the file holds the map */
	uint32_t v = 0;
	char err[128];
	assert_int_equal(cfg_open(&cfg, f->path, err, sizeof(err)), TSP8_OK);
	assert_int_equal(cfg_get_dword(cfg, LINEIDS_SUBKEY, "fedcba9876543210fedcba9876543210", &v), TSP8_OK);
	assert_int_equal(v, b);
	cfg_close(cfg);

	/* reload gives the same IDs, new GUIDs continue after the highest */
	ids = open_ids(f->path, &cfg);
	assert_int_equal(lineids_count(ids), 3);
	assert_int_equal(lineids_find(ids, "guid-c", &v), TSP8_OK);
	assert_int_equal(v, c);
	assert_int_equal(lineids_get(ids, "0123456789abcdef0123456789abcdef", &v, NULL), TSP8_OK);
	assert_int_equal(v, a);
	assert_int_equal(lineids_get(ids, "guid-d", &v, NULL), TSP8_OK);
	assert_int_equal(v, LINEIDS_FIRST + 3);
	assert_int_equal(lineids_find(ids, "unknown", &v), TSP8_ENOTFOUND);
	close_ids(ids, cfg);
}

static void test_never_reused(void **state)
{
	struct fx *f = *state;
	/* A map with holes (lines removed long ago keep their entries; a
	 * hand-deleted entry leaves a hole): new IDs go above the highest. */
	write_file(f->path, "REGEDIT4\n\n" KEY "]\n\"TapiUser\"=\"_TAPI_\"\n\n" KEY "\\lineGUIDs]\n"
		   "\"aaaa\"=dword:00010001\n\"cccc\"=dword:00010007\n");
	struct cfg *cfg;
	struct lineids *ids = open_ids(f->path, &cfg);
	uint32_t v;
	assert_int_equal(lineids_get(ids, "bbbb", &v, NULL), TSP8_OK);
	assert_int_equal(v, 0x00010008);
	assert_int_equal(lineids_get(ids, "dddd", &v, NULL), TSP8_OK);
	assert_int_equal(v, 0x00010009);
	close_ids(ids, cfg);

	/* the other values of the file survived the rewrites */
	char err[128], user[32];
	assert_int_equal(cfg_open(&cfg, f->path, err, sizeof(err)), TSP8_OK);
	assert_int_equal(cfg_get_string(cfg, "", "TapiUser", user, sizeof(user)), TSP8_OK);
	assert_string_equal(user, "_TAPI_");
	cfg_close(cfg);

	/* a removed line's GUID that comes back gets its old ID */
	ids = open_ids(f->path, &cfg);
	assert_int_equal(lineids_get(ids, "cccc", &v, NULL), TSP8_OK);
	assert_int_equal(v, 0x00010007);
	close_ids(ids, cfg);
}

static void test_bad_entries(void **state)
{
	struct fx *f = *state;
	write_file(f->path, "REGEDIT4\n\n" KEY "\\lineGUIDs]\n"
		   "\"str\"=\"not a dword\"\n\"zero\"=dword:00000000\n\"ok\"=dword:00010003\n"
		   "\"bin\"=hex:01,02\n");
	struct cfg *cfg;
	struct lineids *ids = open_ids(f->path, &cfg);
	uint32_t v;
	assert_int_equal(lineids_count(ids), 1);
	assert_int_equal(lineids_find(ids, "str", &v), TSP8_ENOTFOUND);
	assert_int_equal(lineids_get(ids, "new", &v, NULL), TSP8_OK);
	assert_int_equal(v, 0x00010004);
	assert_int_equal(lineids_get(ids, "", &v, NULL), TSP8_EINVAL);
	assert_int_equal(lineids_get(ids, NULL, &v, NULL), TSP8_EINVAL);
	assert_int_equal(lineids_get(NULL, "x", &v, NULL), TSP8_EINVAL);
	close_ids(ids, cfg);
}

static void test_memory_only(void **state)
{
	(void)state;
	struct lineids *ids = NULL;
	uint32_t v;
	assert_int_equal(lineids_create(&ids, NULL, NULL), TSP8_OK);
	assert_int_equal(lineids_get(ids, "x", &v, NULL), TSP8_OK);
	assert_int_equal(v, LINEIDS_FIRST);
	assert_int_equal(lineids_get(ids, "y", &v, NULL), TSP8_OK);
	assert_int_equal(v, LINEIDS_FIRST + 1);
	lineids_destroy(ids);
	assert_int_equal(lineids_create(NULL, NULL, NULL), TSP8_EINVAL);
}

static void test_many(void **state)
{
	struct fx *f = *state;
	struct cfg *cfg;
	struct lineids *ids = open_ids(f->path, &cfg);
	char g[32];
	uint32_t v;
	for (unsigned i = 0; i < 300; i++) {
		snprintf(g, sizeof(g), "guid%04u", i);
		assert_int_equal(lineids_get(ids, g, &v, NULL), TSP8_OK);
		assert_int_equal(v, LINEIDS_FIRST + i);
	}
	close_ids(ids, cfg);
	ids = open_ids(f->path, &cfg);
	assert_int_equal(lineids_count(ids), 300);
	assert_int_equal(lineids_find(ids, "guid0299", &v), TSP8_OK);
	assert_int_equal(v, LINEIDS_FIRST + 299);
	close_ids(ids, cfg);
}

/* New IDs are written in batches: nothing reaches the file before the
 * commit, one commit writes them all, and sequence numbers tell the owner
 * when an ID may be reported. */
static void test_batched_commit(void **state)
{
	struct fx *f = *state;
	struct cfg *cfg;
	struct lineids *ids = open_ids(f->path, &cfg);
	uint32_t v;
	uint64_t s1 = 0, s2 = 0, s3 = 0;
	assert_int_equal(lineids_get(ids, "a", &v, &s1), TSP8_OK);
	assert_int_equal(lineids_get(ids, "b", &v, &s2), TSP8_OK);
	assert_true(s1 > 0 && s2 > s1);
	assert_true(lineids_committed(ids) < s1);
	assert_int_equal(lineids_pending(ids), 2);
	/* the file does not have them yet */
	char err[128];
	struct cfg *other;
	assert_int_equal(cfg_open(&other, f->path, err, sizeof(err)), TSP8_OK);
	assert_int_equal(cfg_get_dword(other, LINEIDS_SUBKEY, "a", &v), TSP8_ENOTFOUND);
	cfg_close(other);
	size_t written = 0;
	assert_int_equal(lineids_commit(ids, &written), TSP8_OK);
	assert_int_equal(written, 2);
	assert_true(lineids_committed(ids) >= s2);
	assert_int_equal(lineids_pending(ids), 0);
	/* a known GUID reports sequence 0 once committed */
	assert_int_equal(lineids_get(ids, "a", &v, &s3), TSP8_OK);
	assert_int_equal(s3, 0);
	/* nothing pending: a commit writes nothing */
	assert_int_equal(lineids_commit(ids, &written), TSP8_OK);
	assert_int_equal(written, 0);
	assert_int_equal(cfg_open(&other, f->path, err, sizeof(err)), TSP8_OK);
	assert_int_equal(cfg_get_dword(other, LINEIDS_SUBKEY, "b", &v), TSP8_OK);
	assert_int_equal(v, LINEIDS_FIRST + 1);
	cfg_close(other);
	close_ids(ids, cfg);
}

/* A commit that cannot write keeps the entries for the next one. */
static void test_failed_commit_retried(void **state)
{
	struct fx *f = *state;
	struct cfg *cfg;
	struct lineids *ids = open_ids(f->path, &cfg);
	uint32_t v;
	assert_int_equal(lineids_get(ids, "x1", &v, NULL), TSP8_OK);
	assert_int_equal(lineids_commit(ids, NULL), TSP8_OK);
	assert_int_equal(lineids_get(ids, "x2", &v, NULL), TSP8_OK);
	/* the directory becomes read-only: the temp file cannot be made */
	assert_int_equal(chmod(f->dir, 0500), 0);
	int rc = lineids_commit(ids, NULL);
	assert_int_equal(chmod(f->dir, 0700), 0);
	if (geteuid() == 0) {
		/* root writes anyway */
		assert_int_equal(rc, TSP8_OK);
	} else {
		assert_int_not_equal(rc, TSP8_OK);
		assert_int_equal(lineids_pending(ids), 1);
		assert_int_equal(lineids_commit(ids, NULL), TSP8_OK);
	}
	assert_int_equal(lineids_pending(ids), 0);
	close_ids(ids, cfg);
	ids = open_ids(f->path, &cfg);
	assert_int_equal(lineids_find(ids, "x2", &v), TSP8_OK);
	assert_int_equal(v, LINEIDS_FIRST + 1);
	close_ids(ids, cfg);
}

/* Thousands of entries: hashed lookups, one commit. */
static void test_ten_thousand(void **state)
{
	struct fx *f = *state;
	struct cfg *cfg;
	struct lineids *ids = open_ids(f->path, &cfg);
	char g[48];
	uint32_t v;
	for (unsigned i = 0; i < 10000; i++) {
		snprintf(g, sizeof(g), "%032x#hw:%u", i * 7919u, i);
		assert_int_equal(lineids_get(ids, g, &v, NULL), TSP8_OK);
		assert_int_equal(v, LINEIDS_FIRST + i);
	}
	size_t written = 0;
	assert_int_equal(lineids_commit(ids, &written), TSP8_OK);
	assert_int_equal(written, 10000);
	close_ids(ids, cfg);
	ids = open_ids(f->path, &cfg);
	assert_int_equal(lineids_count(ids), 10000);
	for (unsigned i = 0; i < 10000; i += 97) {
		snprintf(g, sizeof(g), "%032X#HW:%u", i * 7919u, i);
		assert_int_equal(lineids_find(ids, g, &v), TSP8_OK);
		assert_int_equal(v, LINEIDS_FIRST + i);
	}
	close_ids(ids, cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_allocation_and_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_never_reused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_memory_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batched_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_commit_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ten_thousand, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
