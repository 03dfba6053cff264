/* Permanent line IDs survive kill -9: tapihost (with the provider) is
 * killed 30 times at random moments (fixed seed) while new PBX objects keep
 * appearing, so that the lineGUIDs table is written again and again.  After
 * every kill the configuration file must still parse, and every permanent
 * ID tapihost ever reported must be in it under the line's GUID; a line
 * never changes its ID between runs and no two GUIDs share an ID. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/error.h"
#include "host_proc.h"
#include "tests/common/pbxsim_proc.h"

#define RUNS 30
#define FIXED_USERS 20           /* in trees/ids.json: "User 0000".. */
#define MAX_USERS 4000
#define KEY "HKEY_LOCAL_MACHINE\\SOFTWARE\\innovaphone\\innovaphone\xc2\xae PBX V8 TAPI Service Provider"

struct adder {
	struct pbxsim_proc *sim;
	atomic_bool stop;
	atomic_int next;             /* next user index */
};

/* Adds a user every 20 ms: the ID table keeps growing while tapihost runs. */
static void *adder_main(void *arg)
{
	struct adder *a = arg;
	char reply[256];
	while (!atomic_load(&a->stop)) {
		int i = atomic_load(&a->next);
		if (i >= MAX_USERS)
			break;
		int rc = pbxsim_cmd(a->sim, reply, sizeof(reply),
				    "object add master {\"cn\":\"User %04d\",\"h323\":\"u%04d\",\"e164\":\"%d\","
				    "\"guid\":\"%032x\",\"groups\":[{\"group\":\"tapi\",\"active\":false}]}",
				    i, i, 1000 + i, 0x5000 + i);
		if (rc == TSP8_OK)
			atomic_fetch_add(&a->next, 1);
		struct timespec ts = { 0, 20 * 1000000L };
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/* perm reported for each user index (0 = never) */
static long seen_perm[MAX_USERS];

static bool user_of(const char *line, int *index, long *perm)
{
	cJSON *j = cJSON_Parse(line);
	bool ok = false;
	if (j) {
		cJSON *ev = cJSON_GetObjectItemCaseSensitive(j, "event");
		cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "name");
		cJSON *p = cJSON_GetObjectItemCaseSensitive(j, "perm");
		if (cJSON_IsString(ev) && strcmp(ev->valuestring, "line") == 0 && cJSON_IsString(name) &&
		    cJSON_IsNumber(p) && sscanf(name->valuestring, "User %d", index) == 1 && *index >= 0 &&
		    *index < MAX_USERS) {
			*perm = (long)p->valuedouble;
			ok = true;
		}
		cJSON_Delete(j);
	}
	return ok;
}

struct dup_check {
	uint32_t *ids;
	size_t n, cap;
};

static int collect_id(void *arg, const char *name, enum cfg_type type, const void *data, size_t len)
{
	struct dup_check *d = arg;
	(void)name;
	uint32_t v;
	if (type != CFG_DWORD || len != sizeof(v))
		return 0;
	memcpy(&v, data, sizeof(v));
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		d->ids = realloc(d->ids, d->cap * sizeof(*d->ids));
		assert_non_null(d->ids);
	}
	d->ids[d->n++] = v;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The file parses, holds every reported ID under its GUID, no ID twice. */
static size_t check_file(const char *path)
{
	struct cfg *c = NULL;
	char err[256] = "";
	int rc = cfg_open(&c, path, err, sizeof(err));
	if (rc != TSP8_OK)
		fail_msg("the configuration no longer parses after kill -9: %s", err);
	size_t checked = 0;
	for (int i = 0; i < MAX_USERS; i++) {
		if (!seen_perm[i])
			continue;
		char guid[40];
		snprintf(guid, sizeof(guid), "%032x", 0x5000 + i);
		uint32_t v = 0;
		if (cfg_get_dword(c, "lineGUIDs", guid, &v) != TSP8_OK)
			fail_msg("User %04d was reported with ID %ld, but %s is not in lineGUIDs", i, seen_perm[i], guid);
		if ((long)v != seen_perm[i])
			fail_msg("User %04d: reported ID %ld, lineGUIDs says %u", i, seen_perm[i], v);
		checked++;
	}
	struct dup_check d = { 0 };
	assert_int_equal(cfg_enum(c, "lineGUIDs", collect_id, &d), TSP8_OK);
	if (d.n > 1)
		qsort(d.ids, d.n, sizeof(*d.ids), cmp_u32);
	for (size_t i = 1; i < d.n; i++)
		if (d.ids[i] == d.ids[i - 1])
			fail_msg("ID 0x%08x appears twice in lineGUIDs", d.ids[i]);
	free(d.ids);
	cfg_close(c);
	return checked;
}

static void test_kill9_ids(void **state)
{
	(void)state;
	struct pbxsim_proc *sim = NULL;
	assert_int_equal(pbxsim_start(&sim, E2E_TREE_DIR "/ids.json", NULL), 0);
	char text[2048];
	snprintf(text, sizeof(text),
		 "REGEDIT4\n\n[" KEY "]\n\"TapiUser\"=\"_TAPI_\"\n\"admin2-free\"=\"_TAPI_\"\n"
		 "\"admin1-free\"=\"tapi\"\n\"LineTimeOut\"=dword:0000000a\n\n[" KEY "\\FQDN]\n\"0\"=\"%s\"\n",
		 pbxsim_url(sim, "master"));
	char *config = host_write_config_text(text);
	assert_non_null(config);

	struct adder a = { .sim = sim };
	atomic_init(&a.stop, false);
	atomic_init(&a.next, FIXED_USERS);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, adder_main, &a), 0);

	unsigned seed = 20261122u;
	size_t reported = 0, checked = 0;
	for (int run = 0; run < RUNS; run++) {
		struct host_proc *h = NULL;
		assert_int_equal(host_start(&h, config, NULL), 0);
		/* 30..900 ms: during start-up writes, enumeration, or while new
		 * objects arrive */
		unsigned ms = 30 + (unsigned)(rand_r(&seed) % 870);
		struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
		nanosleep(&ts, NULL);
		host_kill_keep(h);
		size_t n = host_lines(h);
		for (size_t i = 0; i < n; i++) {
			int idx;
			long perm;
			if (!user_of(host_line(h, i), &idx, &perm))
				continue;
			if (seen_perm[idx] && seen_perm[idx] != perm)
				fail_msg("User %04d: ID %ld in an earlier run, %ld now", idx, seen_perm[idx], perm);
			seen_perm[idx] = perm;
			reported++;
		}
		host_stop(h);
		checked = check_file(config);
	}
	atomic_store(&a.stop, true);
	pthread_join(th, NULL);
	print_message("%d kills, %lu line reports, %lu distinct lines checked, %d users in the PBX\n", RUNS,
		      (unsigned long)reported, (unsigned long)checked, atomic_load(&a.next));
	/* the test saw something: lines were reported and new ones appeared */
	assert_true(checked > FIXED_USERS);
	pbxsim_stop(sim);
	unlink(config);
	char lock[256];
	snprintf(lock, sizeof(lock), "%s.lock", config);
	unlink(lock);
	free(config);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill9_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
