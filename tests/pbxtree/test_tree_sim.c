/* The PBX tree against pbxsim: lines of the TAPI user's scope (names,
 * addresses with node numbers, no outsiders), permanent IDs persisted and
 * stable across a restart, call events of a line, UserCall/UserClear. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/error.h"
#include "base/platform.h"
#include "pbxtree/pbxtree.h"
#include "pbxsim_proc.h"
#include "soap/pbx_io.h"
#include "tree_rec.h"

#define WAIT_MS 10000

static const char tree_json[] =
	"{ \"poll_idle_seconds\": 60, \"session_expiry_seconds\": 10, \"pbxs\": [ {"
	"  \"name\": \"master\", \"port\": 0, \"admin_password\": \"pwd\", \"firmware\": \"13r3 test\","
	"  \"objects\": ["
	"   { \"cn\": \"_TAPI_\", \"h323\": \"_TAPI_\", \"password\": \"tapi\","
	"     \"groups\": [ { \"group\": \"tapi\", \"active\": true } ] },"
	"   { \"cn\": \"Alice Meier\", \"dn\": \"Alice\", \"h323\": \"alice\", \"e164\": \"21\", \"nodenum\": \"801\","
	"     \"groups\": [ { \"group\": \"tapi\", \"active\": false } ],"
	"     \"devices\": [ { \"hw\": \"HW21\", \"text\": \"IP232\" } ], \"registered\": [ \"HW21\" ] },"
	"   { \"cn\": \"Bernd Kr\xc3\xbcger\", \"dn\": \"Bernd\", \"h323\": \"bernd\", \"e164\": \"22\","
	"     \"groups\": [ { \"group\": \"tapi\", \"active\": false } ],"
	"     \"devices\": [ { \"hw\": \"HW22\", \"text\": \"IP222\" } ], \"registered\": [ \"HW22\" ] },"
	"   { \"cn\": \"Outsider\", \"h323\": \"out\", \"e164\": \"29\","
	"     \"groups\": [ { \"group\": \"sales\", \"active\": false } ] },"
	"   { \"cn\": \"Trunk\", \"h323\": \"trunk\", \"e164\": \"0\", \"type\": \"gw\","
	"     \"groups\": [ { \"group\": \"tapi\", \"active\": false } ] }"
	"  ] } ] }";

struct fx {
	struct pbxsim_proc *sim;
	char tree[256], dir[64], cfgpath[96];
	struct pbx_io *io;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(pbxsim_write_temp(f->tree, sizeof(f->tree), tree_json), 0);
	assert_int_equal(pbxsim_start(&f->sim, f->tree, NULL), 0);
	/* mkdtemp template: the name followed by six 'X' */
	snprintf(f->dir, sizeof(f->dir), "/tmp/tsp8-treesim-");
	size_t tl = strlen(f->dir);
	memset(f->dir + tl, 'X', 6);
	f->dir[tl + 6] = '\0';
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->cfgpath, sizeof(f->cfgpath), "%s/tsp8.reg", f->dir);
	struct pbx_io_config ioc = { 0 };
	assert_int_equal(pbx_io_create(&f->io, &ioc), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	pbx_io_destroy(f->io);
	pbxsim_stop(f->sim);
	pbxsim_remove_temp(f->tree);
	unlink(f->cfgpath);
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct pbxtree *start_tree(struct fx *f, struct rec *r, struct cfg **store, bool pure)
{
	char err[128];
	assert_int_equal(cfg_open(store, f->cfgpath, err, sizeof(err)), 0);
	struct pbxtree_config tc = {
		.master = pbxsim_url(f->sim, "master"),
		.http_user = "_TAPI_",
		.http_password = "tapi",
		.tapi_user = "_TAPI_",
		.pure_node_extensions = pure,
		.ids_store = *store,
		.io = f->io,
		.h = &rec_handler,
		.arg = r,
	};
	struct pbxtree *t = NULL;
	assert_int_equal(pbxtree_create(&t, &tc), 0);
	assert_int_equal(pbxtree_start(t), 0);
	assert_true(rec_wait(r, WAIT_MS, rec_p_enum, NULL));
	return t;
}

/* The line named name, copied (the test never asserts with the lock held). */
static bool line_named(struct rec *r, const char *name, struct rec_line *out)
{
	plat_mutex_lock(&r->lock);
	const struct rec_line *l = rec_by_name(r, name);
	if (l)
		*out = *l;
	plat_mutex_unlock(&r->lock);
	return l != NULL;
}

static void test_lines_and_ids(void **state)
{
	struct fx *f = *state;
	struct rec *r = rec_new();
	assert_non_null(r);
	struct cfg *store;
	struct pbxtree *t = start_tree(f, r, &store, false);

	struct rec_line alice = { 0 }, bernd = { 0 }, any;
	assert_int_equal(rec_count(r), 4);   /* _TAPI_, Alice, Bernd, Trunk */
	assert_true(line_named(r, "Alice Meier (master)", &alice));
	assert_true(line_named(r, "Bernd Kr\xc3\xbcger (master)", &bernd));
	assert_true(line_named(r, "_TAPI_ (master)", &any));
	assert_true(line_named(r, "Trunk (master)", &any));
	assert_false(line_named(r, "Outsider (master)", &any));
	assert_string_equal(alice.address, "80121");    /* node number + extension */
	assert_string_equal(bernd.address, "22");
	assert_string_equal(alice.pbx, "master");
	assert_true(alice.in_service);
	uint32_t alice_id = alice.id, bernd_id = bernd.id;
	assert_true(alice_id >= 0x00010001 && alice_id <= 0x00010004);
	plat_mutex_lock(&r->lock);
	unsigned enums = r->enum_count;
	plat_mutex_unlock(&r->lock);
	assert_int_equal(enums, 1);

	/* a copy of a line */
	struct pbxtree_line_info li;
	char buf[1024];
	assert_int_equal(pbxtree_get_line(t, alice_id, &li, buf, sizeof(buf)), 0);
	assert_string_equal(li.cn, "Alice Meier");
	assert_string_equal(li.name, "Alice Meier (master)");
	assert_string_equal(li.pbx_firmware, "13r3 test");
	assert_string_equal(li.guid, alice.guid);
	assert_int_equal(pbxtree_get_line(t, 0x7fffffff, &li, buf, sizeof(buf)), TSP8_ENOTFOUND);
	assert_int_equal(pbxtree_get_line(t, alice_id, &li, buf, 8), TSP8_ELIMIT);

	pbxtree_destroy(t);
	cfg_close(store);

	/* the IDs are in the file */
	char err[128];
	uint32_t v = 0;
	assert_int_equal(cfg_open(&store, f->cfgpath, err, sizeof(err)), 0);
	assert_int_equal(cfg_get_dword(store, "lineGUIDs", alice.guid, &v), 0);
	assert_int_equal(v, alice_id);
	cfg_close(store);

	/* a restart (with PureNodeExtensions now) gives the same IDs */
	rec_free(r);
	r = rec_new();
	assert_non_null(r);
	t = start_tree(f, r, &store, true);
	assert_true(line_named(r, "Alice Meier (master)", &alice));
	assert_int_equal(alice.id, alice_id);
	assert_string_equal(alice.address, "21");
	assert_true(line_named(r, "Bernd Kr\xc3\xbcger (master)", &bernd));
	assert_int_equal(bernd.id, bernd_id);
	pbxtree_destroy(t);
	cfg_close(store);
	rec_free(r);
}

static void test_calls(void **state)
{
	struct fx *f = *state;
	struct rec *r = rec_new();
	assert_non_null(r);
	struct cfg *store;
	struct pbxtree *t = start_tree(f, r, &store, false);
	struct rec_line l = { 0 };
	assert_true(line_named(r, "Alice Meier (master)", &l));
	uint32_t alice = l.id;
	assert_true(line_named(r, "Bernd Kr\xc3\xbcger (master)", &l));
	uint32_t bernd = l.id;

	/* monitors need their UserInitialize: an incoming call proves it */
	char reply[512];
	int tries = 0;
	bool seen = false;
	while (!seen && tries++ < 20) {
		assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "incoming master 0301234567 22"), 0);
		seen = rec_wait_call(r, WAIT_MS, bernd, 0, 0x8f, 0x84, true, NULL);
	}
	assert_true(seen);

	/* UserCall from Alice's line to 22 (e164) */
	assert_int_equal(pbxtree_make_call(t, alice, "22", rec_op_done, r), 0);
	int err = -1, call = 0;
	unsigned session = 0;
	assert_true(rec_wait_dones(r, WAIT_MS, 1, &err, &session, &call));
	assert_int_equal(err, 0);
	assert_true(call != 0);
	/* ringback on Alice's leg */
	assert_true(rec_wait_call(r, WAIT_MS, alice, call, 0x0f, 0x04, true, NULL));

	/* UserClear: the leg goes away */
	assert_int_equal(pbxtree_clear_call(t, session, call, 16, rec_op_done, r), 0);
	assert_true(rec_wait_dones(r, WAIT_MS, 2, &err, NULL, NULL));
	assert_int_equal(err, 0);
	assert_true(rec_wait_call(r, WAIT_MS, alice, call, 0, 0, false, NULL));

	/* a line that does not exist: done with TSP8_ENOTFOUND */
	assert_int_equal(pbxtree_make_call(t, 0x7fffffff, "22", rec_op_done, r), 0);
	assert_true(rec_wait_dones(r, WAIT_MS, 3, &err, NULL, NULL));
	assert_int_equal(err, TSP8_ENOTFOUND);
	/* bad arguments fail at once */
	assert_int_equal(pbxtree_make_call(t, alice, "", rec_op_done, r), TSP8_EINVAL);
	assert_int_equal(pbxtree_clear_call(t, session, 0, 16, rec_op_done, r), TSP8_EINVAL);
	assert_int_equal(pbxtree_clear_call(t, session, call, 300, rec_op_done, r), TSP8_EINVAL);

	pbxtree_stop(t);
	/* after stop nothing is accepted */
	assert_int_equal(pbxtree_make_call(t, alice, "22", rec_op_done, r), TSP8_ESHUTDOWN);
	pbxtree_destroy(t);
	cfg_close(store);
	rec_free(r);
}

static void test_bad_config(void **state)
{
	struct fx *f = *state;
	struct rec *r = rec_new();
	assert_non_null(r);
	struct pbxtree_config tc = {
		.master = "ftp://nowhere", .tapi_user = "_TAPI_", .io = f->io, .h = &rec_handler, .arg = r,
	};
	struct pbxtree *t = NULL;
	assert_int_equal(pbxtree_create(&t, &tc), TSP8_EINVAL);
	tc.master = "127.0.0.1:1";
	tc.tapi_user = "";
	assert_int_equal(pbxtree_create(&t, &tc), TSP8_EINVAL);
	tc.tapi_user = "_TAPI_";
	tc.h = NULL;
	assert_int_equal(pbxtree_create(&t, &tc), TSP8_EINVAL);
	assert_null(t);
	assert_true(pbxtree_dest_is_number("0301234567"));
	assert_true(pbxtree_dest_is_number("+49301234567"));
	assert_true(pbxtree_dest_is_number("*21#"));
	assert_false(pbxtree_dest_is_number("bernd"));
	assert_false(pbxtree_dest_is_number("+"));
	assert_false(pbxtree_dest_is_number("1A"));
	rec_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lines_and_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_config, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
