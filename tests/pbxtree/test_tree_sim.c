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

#define WAIT_MS 10000
#define MAXL 32
#define MAXC 256

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

struct line_rec {
	uint32_t id;
	char name[128], address[32], guid[64], pbx[32], fw[32];
	bool in_service, removed;
};

struct call_rec {
	uint32_t line_id;
	unsigned session;
	int call, state;
	bool active;
	char msg[16], peer[32];
};

/* What the handler saw.  The handler runs on the pbx_io thread. */
struct rec {
	plat_mutex lock;     /* guards everything below */
	plat_cond cond;      /* signalled on every record */
	struct line_rec lines[MAXL];
	size_t nlines;
	struct call_rec calls[MAXC];
	size_t ncalls;
	bool enum_done;
	unsigned enum_count;
	int done_err, done_call, dones;
	unsigned done_session;
};

static struct line_rec *find_line(struct rec *r, uint32_t id)
{
	for (size_t i = 0; i < r->nlines; i++)
		if (r->lines[i].id == id)
			return &r->lines[i];
	return NULL;
}

static void put_line(struct rec *r, const struct pbxtree_line_info *li)
{
	struct line_rec *l = find_line(r, li->id);
	if (!l && r->nlines < MAXL)
		l = &r->lines[r->nlines++];
	if (!l)
		return;
	l->id = li->id;
	snprintf(l->name, sizeof(l->name), "%s", li->name);
	snprintf(l->address, sizeof(l->address), "%s", li->address);
	snprintf(l->guid, sizeof(l->guid), "%s", li->guid);
	snprintf(l->pbx, sizeof(l->pbx), "%s", li->pbx_name);
	snprintf(l->fw, sizeof(l->fw), "%s", li->pbx_firmware);
	l->in_service = li->in_service;
}

static void h_added(void *arg, const struct pbxtree_line_info *li)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	put_line(r, li);
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void h_removed(void *arg, uint32_t id)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	struct line_rec *l = find_line(r, id);
	if (l)
		l->removed = true;
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void h_service(void *arg, uint32_t id, bool up)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	struct line_rec *l = find_line(r, id);
	if (l)
		l->in_service = up;
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void h_call(void *arg, const struct pbxtree_call_event *ev)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	if (r->ncalls < MAXC) {
		struct call_rec *c = &r->calls[r->ncalls++];
		c->line_id = ev->line_id;
		c->session = ev->session_id;
		c->call = ev->call->call;
		c->state = ev->call->state;
		c->active = ev->call->active;
		snprintf(c->msg, sizeof(c->msg), "%s", ev->call->msg);
		const struct pbx_no *peer = pbx_call_no(ev->call, "peer");
		snprintf(c->peer, sizeof(c->peer), "%s", peer ? peer->e164 : "");
	}
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void h_enum(void *arg)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	r->enum_done = true;
	r->enum_count++;
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void h_reset(void *arg, unsigned pbx, unsigned session)
{
	(void)arg;
	(void)pbx;
	(void)session;
}

static const struct pbxtree_handler handler = {
	.line_added = h_added,
	.line_changed = h_added,
	.line_removed = h_removed,
	.line_service = h_service,
	.call = h_call,
	.session_reset = h_reset,
	.enum_complete = h_enum,
};

static void op_done(void *arg, int err, unsigned session, int call)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	r->done_err = err;
	r->done_call = call;
	r->done_session = session;
	r->dones++;
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

/* Waits (lock held) until pred(r, arg) or timeout; returns pred's value. */
static bool wait_for(struct rec *r, bool (*pred)(struct rec *, const void *), const void *arg)
{
	uint64_t until = plat_now_ms() + WAIT_MS;
	while (!pred(r, arg)) {
		uint64_t now = plat_now_ms();
		if (now >= until)
			return false;
		plat_cond_timedwait(&r->cond, &r->lock, (uint32_t)(until - now));
	}
	return true;
}

static bool p_enum(struct rec *r, const void *a) { (void)a; return r->enum_done; }
static bool p_dones(struct rec *r, const void *a) { return r->dones >= *(const int *)a; }

struct call_want { uint32_t line; int call; int state_mask, state; bool active; };

static bool p_call(struct rec *r, const void *a)
{
	const struct call_want *w = a;
	for (size_t i = 0; i < r->ncalls; i++) {
		const struct call_rec *c = &r->calls[i];
		if (c->line_id == w->line && (!w->call || c->call == w->call) && c->active == w->active &&
		    (c->state & w->state_mask) == w->state)
			return true;
	}
	return false;
}

static const struct line_rec *by_name(struct rec *r, const char *name)
{
	for (size_t i = 0; i < r->nlines; i++)
		if (strcmp(r->lines[i].name, name) == 0 && !r->lines[i].removed)
			return &r->lines[i];
	return NULL;
}

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
		.h = &handler,
		.arg = r,
	};
	struct pbxtree *t = NULL;
	assert_int_equal(pbxtree_create(&t, &tc), 0);
	assert_int_equal(pbxtree_start(t), 0);
	plat_mutex_lock(&r->lock);
	bool ok = wait_for(r, p_enum, NULL);
	plat_mutex_unlock(&r->lock);
	assert_true(ok);
	return t;
}

static void rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(plat_mutex_init(&r->lock), 0);
	assert_int_equal(plat_cond_init(&r->cond), 0);
}

static void rec_fini(struct rec *r)
{
	plat_cond_destroy(&r->cond);
	plat_mutex_destroy(&r->lock);
}

static void test_lines_and_ids(void **state)
{
	struct fx *f = *state;
	struct rec *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	rec_init(r);
	struct cfg *store;
	struct pbxtree *t = start_tree(f, r, &store, false);

	plat_mutex_lock(&r->lock);
	assert_int_equal(r->nlines, 4);   /* _TAPI_, Alice, Bernd, Trunk */
	const struct line_rec *alice = by_name(r, "Alice Meier (master)");
	const struct line_rec *bernd = by_name(r, "Bernd Kr\xc3\xbcger (master)");
	assert_non_null(alice);
	assert_non_null(bernd);
	assert_non_null(by_name(r, "_TAPI_ (master)"));
	assert_non_null(by_name(r, "Trunk (master)"));
	assert_null(by_name(r, "Outsider (master)"));
	assert_string_equal(alice->address, "80121");    /* node number + extension */
	assert_string_equal(bernd->address, "22");
	assert_string_equal(alice->pbx, "master");
	assert_string_equal(alice->fw, "13r3 test");
	assert_true(alice->in_service);
	uint32_t alice_id = alice->id, bernd_id = bernd->id;
	char alice_guid[64];
	snprintf(alice_guid, sizeof(alice_guid), "%s", alice->guid);
	assert_true(alice_id >= 0x00010001 && alice_id <= 0x00010004);
	assert_int_equal(r->enum_count, 1);
	plat_mutex_unlock(&r->lock);

	/* a copy of a line */
	struct pbxtree_line_info li;
	char buf[1024];
	assert_int_equal(pbxtree_get_line(t, alice_id, &li, buf, sizeof(buf)), 0);
	assert_string_equal(li.cn, "Alice Meier");
	assert_string_equal(li.name, "Alice Meier (master)");
	assert_int_equal(pbxtree_get_line(t, 0x7fffffff, &li, buf, sizeof(buf)), TSP8_ENOTFOUND);
	assert_int_equal(pbxtree_get_line(t, alice_id, &li, buf, 8), TSP8_ELIMIT);

	pbxtree_destroy(t);
	cfg_close(store);

	/* the IDs are in the file */
	char err[128];
	uint32_t v = 0;
	assert_int_equal(cfg_open(&store, f->cfgpath, err, sizeof(err)), 0);
	assert_int_equal(cfg_get_dword(store, "lineGUIDs", alice_guid, &v), 0);
	assert_int_equal(v, alice_id);
	cfg_close(store);

	/* a restart (with PureNodeExtensions now) gives the same IDs */
	rec_fini(r);
	rec_init(r);
	t = start_tree(f, r, &store, true);
	plat_mutex_lock(&r->lock);
	alice = by_name(r, "Alice Meier (master)");
	assert_non_null(alice);
	assert_int_equal(alice->id, alice_id);
	assert_string_equal(alice->address, "21");
	assert_int_equal(by_name(r, "Bernd Kr\xc3\xbcger (master)")->id, bernd_id);
	plat_mutex_unlock(&r->lock);
	pbxtree_destroy(t);
	cfg_close(store);
	rec_fini(r);
	free(r);
}

static void test_calls(void **state)
{
	struct fx *f = *state;
	struct rec *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	rec_init(r);
	struct cfg *store;
	struct pbxtree *t = start_tree(f, r, &store, false);
	plat_mutex_lock(&r->lock);
	uint32_t alice = by_name(r, "Alice Meier (master)")->id;
	uint32_t bernd = by_name(r, "Bernd Kr\xc3\xbcger (master)")->id;
	plat_mutex_unlock(&r->lock);

	/* monitors need their UserInitialize: an incoming call proves it */
	char reply[512];
	int tries = 0;
	bool seen = false;
	while (!seen && tries++ < 20) {
		assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "incoming master 0301234567 22"), 0);
		struct call_want w = { bernd, 0, 0x8f, 0x84, true };
		plat_mutex_lock(&r->lock);
		seen = wait_for(r, p_call, &w);
		plat_mutex_unlock(&r->lock);
	}
	assert_true(seen);

	/* UserCall from Alice's line to 22 (e164) */
	assert_int_equal(pbxtree_make_call(t, alice, "22", op_done, r), 0);
	int one = 1;
	plat_mutex_lock(&r->lock);
	assert_true(wait_for(r, p_dones, &one));
	assert_int_equal(r->done_err, 0);
	assert_true(r->done_call != 0);
	int call = r->done_call;
	unsigned session = r->done_session;
	struct call_want w = { alice, call, 0x0f, 0x04, true };   /* ringback on Alice's leg */
	assert_true(wait_for(r, p_call, &w));
	plat_mutex_unlock(&r->lock);

	/* UserClear: the leg goes away */
	assert_int_equal(pbxtree_clear_call(t, session, call, 16, op_done, r), 0);
	int two = 2;
	plat_mutex_lock(&r->lock);
	assert_true(wait_for(r, p_dones, &two));
	assert_int_equal(r->done_err, 0);
	struct call_want gone = { alice, call, 0, 0, false };
	assert_true(wait_for(r, p_call, &gone));
	plat_mutex_unlock(&r->lock);

	/* a line that does not exist: done with TSP8_ENOTFOUND */
	assert_int_equal(pbxtree_make_call(t, 0x7fffffff, "22", op_done, r), 0);
	int three = 3;
	plat_mutex_lock(&r->lock);
	assert_true(wait_for(r, p_dones, &three));
	assert_int_equal(r->done_err, TSP8_ENOTFOUND);
	plat_mutex_unlock(&r->lock);
	/* bad arguments fail at once */
	assert_int_equal(pbxtree_make_call(t, alice, "", op_done, r), TSP8_EINVAL);
	assert_int_equal(pbxtree_clear_call(t, session, 0, 16, op_done, r), TSP8_EINVAL);
	assert_int_equal(pbxtree_clear_call(t, session, call, 300, op_done, r), TSP8_EINVAL);

	pbxtree_stop(t);
	/* after stop nothing is accepted */
	assert_int_equal(pbxtree_make_call(t, alice, "22", op_done, r), TSP8_ESHUTDOWN);
	pbxtree_destroy(t);
	cfg_close(store);
	rec_fini(r);
	free(r);
}

static void test_bad_config(void **state)
{
	struct fx *f = *state;
	struct rec r;
	rec_init(&r);
	struct pbxtree_config tc = {
		.master = "ftp://nowhere", .tapi_user = "_TAPI_", .io = f->io, .h = &handler, .arg = &r,
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
	rec_fini(&r);
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
