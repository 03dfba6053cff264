/* The PBX tree against a simulated multi-site tree (trees/multi.json):
 * slaves found through their PBX objects and monitored there, slave
 * registration flapping with stable IDs, master -> standby -> master,
 * unrelated masters, slaves registering later, objects added and removed,
 * and a slave that refuses us (401) or answers garbage while the others'
 * calls keep flowing. */
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
#include "base/trace.h"
#include "pbxsim_proc.h"
#include "pbxtree/pbxtree.h"
#include "soap/pbx_io.h"
#include "tree_rec.h"

#define WAIT_MS 10000
/* Master loss -> standby serving: the bound the brief sets. */
#define TAKEOVER_MAX_MS 2000
#define FLAPS 50

struct fx {
	struct pbxsim_proc *sim;
	char dir[64], cfgpath[96];
	struct pbx_io *io;
	struct rec *r;
	struct cfg *store;
	struct pbxtree *t;
	struct trace *tr;    /* $TSP8_TEST_TRACE=<level>: trace to stderr */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(pbxsim_start(&f->sim, TREE_DIR "/multi.json", NULL), 0);
	snprintf(f->dir, sizeof(f->dir), "/tmp/tsp8-treemulti-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->cfgpath, sizeof(f->cfgpath), "%s/tsp8.reg", f->dir);
	struct pbx_io_config ioc = { .max_host_connections = 4 };
	assert_int_equal(pbx_io_create(&f->io, &ioc), 0);
	f->r = rec_new();
	assert_non_null(f->r);
	const char *lvl = getenv("TSP8_TEST_TRACE");
	if (lvl) {
		struct trace_config tc = { .name = "tree", .level = (uint32_t)strtoul(lvl, NULL, 0),
					   .to_stderr = true };
		assert_int_equal(trace_create(&f->tr, &tc), 0);
	}
	*state = f;
	return 0;
}

static void stop_tree(struct fx *f)
{
	if (f->t)
		pbxtree_destroy(f->t);
	f->t = NULL;
	if (f->store)
		cfg_close(f->store);
	f->store = NULL;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	stop_tree(f);
	pbx_io_destroy(f->io);
	pbxsim_stop(f->sim);
	rec_free(f->r);
	trace_destroy(f->tr);
	unlink(f->cfgpath);
	char lock[128];
	snprintf(lock, sizeof(lock), "%s.lock", f->cfgpath);
	unlink(lock);
	rmdir(f->dir);
	free(f);
	return 0;
}

struct opts {
	bool other;          /* "other" as an unrelated master */
	bool no_standby;
	bool admin;          /* PBX account admin/pwd instead of _TAPI_/tapi */
	bool no_slaves;
};

static void start_tree(struct fx *f, const struct opts *o)
{
	char err[128];
	assert_int_equal(cfg_open(&f->store, f->cfgpath, err, sizeof(err)), 0);
	struct pbxtree_root_cfg roots[2] = {
		{ pbxsim_url(f->sim, "master"), o->no_standby ? NULL : pbxsim_url(f->sim, "master-standby") },
		{ pbxsim_url(f->sim, "other"), NULL },
	};
	struct pbxtree_config tc = {
		.roots = roots,
		.nroots = o->other ? 2 : 1,
		.http_user = o->admin ? "admin" : "_TAPI_",
		.http_password = o->admin ? "pwd" : "tapi",
		.tapi_user = "_TAPI_",
		.no_slaves = o->no_slaves,
		.ids_store = f->store,
		.io = f->io,
		.tr = f->tr,
		.h = &rec_handler,
		.arg = f->r,
	};
	assert_int_equal(pbxtree_create(&f->t, &tc), 0);
	assert_int_equal(pbxtree_start(f->t), 0);
	assert_true(rec_wait(f->r, WAIT_MS, rec_p_enum, NULL));
}

/* Copy of the line called name (fails the test when there is none). */
static struct rec_line line_named(struct fx *f, const char *name)
{
	struct rec_line l;
	if (!rec_wait_line(f->r, WAIT_MS, name, &l))
		fail_msg("no line \"%s\"", name);
	return l;
}

static void sim(struct fx *f, char *reply, size_t len, const char *cmd)
{
	char buf[256];
	int rc = pbxsim_cmd(f->sim, reply ? reply : buf, reply ? len : sizeof(buf), "%s", cmd);
	if (rc != 0)
		fail_msg("pbxsim \"%s\": %s", cmd, reply ? reply : buf);
}

/* An external call to number on pbx reaches the line (offered). */
static void call_reaches(struct fx *f, const char *pbx, const char *number, uint32_t line, unsigned pbx_id)
{
	char cmd[96], reply[128];
	size_t from = rec_ncalls(f->r);
	snprintf(cmd, sizeof(cmd), "incoming %s 0301234567 %s", pbx, number);
	sim(f, reply, sizeof(reply), cmd);
	struct rec_call c;
	if (!rec_wait_call_from(f->r, WAIT_MS, from, line, 0, 0x8f, 0x81, true, &c))
		fail_msg("call to %s on %s never reached line 0x%08x", number, pbx, line);
	if (pbx_id)
		assert_int_equal(c.pbx_id, pbx_id);
	char simcall[32];
	assert_int_equal(sscanf(reply, "ok %31s", simcall), 1);
	snprintf(cmd, sizeof(cmd), "drop %s caller", simcall);
	sim(f, NULL, 0, cmd);
	assert_true(rec_wait_call_from(f->r, WAIT_MS, from, line, c.call, 0, 0, false, NULL));
}

static void test_multisite(void **state)
{
	struct fx *f = *state;
	struct opts o = { 0 };
	start_tree(f, &o);
	struct rec_line alice = line_named(f, "Alice Meier (master)");
	struct rec_line carol = line_named(f, "Carol Clausen (branch1)");
	struct rec_line dave = line_named(f, "Dave Dorn (branch1)");
	struct rec_line erin = line_named(f, "Erin Engel (branch2)");
	line_named(f, "_TAPI_ (master)");
	line_named(f, "Trunk (master)");
	/* PBX objects are slaves, not lines */
	struct rec_line x;
	assert_int_equal(rec_count(f->r), 7);
	assert_false(rec_get_cn(f->r, "branch1", PBXTREE_LINE_OBJECT, &x));
	/* node number + extension */
	assert_string_equal(carol.address, "8131");
	assert_string_equal(alice.address, "21");
	assert_string_equal(carol.guid, "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3");
	/* served by their home PBX */
	assert_string_equal(alice.pbx, "master");
	assert_string_equal(carol.pbx, "branch1");
	assert_string_equal(erin.pbx, "branch2");
	assert_int_equal(carol.pbx_id, dave.pbx_id);
	assert_true(carol.pbx_id != alice.pbx_id && erin.pbx_id != carol.pbx_id);
	assert_true(alice.in_service && carol.in_service && erin.in_service);

	/* calls are seen on the home PBX's session */
	call_reaches(f, "branch1", "31", carol.id, carol.pbx_id);
	call_reaches(f, "branch2", "41", erin.id, erin.pbx_id);
	call_reaches(f, "master", "21", alice.id, alice.pbx_id);

	/* UserCall from a slave user goes to its slave */
	assert_int_equal(pbxtree_make_call(f->t, carol.id, "32", rec_op_done, f->r), 0);
	int err = -1, call = 0;
	unsigned session = 0;
	assert_true(rec_wait_dones(f->r, WAIT_MS, 1, &err, &session, &call));
	assert_int_equal(err, 0);
	assert_int_equal(session != 0, true);
	struct rec_call leg;
	assert_true(rec_wait_call(f->r, WAIT_MS, dave.id, 0, 0x8f, 0x81, true, &leg));
	assert_true(rec_wait_call(f->r, WAIT_MS, carol.id, call, 0, 0, true, NULL));
	assert_int_equal(pbxtree_clear_call(f->t, session, call, 16, rec_op_done, f->r), 0);
	assert_true(rec_wait_call(f->r, WAIT_MS, carol.id, call, 0, 0, false, NULL));

	struct pbxtree_stats st;
	pbxtree_get_stats(f->t, &st);
	assert_int_equal(st.lines, 7);
	assert_int_equal(st.slaves, 3);
	assert_int_equal(st.sessions_up, 3);   /* master, branch1, branch2; not dyn */
}

struct flap_want {
	uint32_t a, b;
	bool up;
};

static bool p_both(struct rec *r, const void *arg)
{
	const struct flap_want *w = arg;
	struct rec_line *a = rec_by_id(r, w->a), *b = rec_by_id(r, w->b);
	return a && b && a->in_service == w->up && b->in_service == w->up;
}

static void test_slave_flaps(void **state)
{
	struct fx *f = *state;
	struct opts o = { 0 };
	start_tree(f, &o);
	struct rec_line alice = line_named(f, "Alice Meier (master)");
	struct rec_line carol = line_named(f, "Carol Clausen (branch1)");
	struct rec_line dave = line_named(f, "Dave Dorn (branch1)");
	struct rec_line erin = line_named(f, "Erin Engel (branch2)");
	struct flap_want w = { carol.id, dave.id, false };
	for (int i = 0; i < FLAPS; i++) {
		sim(f, NULL, 0, "slave unregister branch1");
		w.up = false;
		if (!rec_wait(f->r, WAIT_MS, p_both, &w))
			fail_msg("flap %d: branch1's lines stayed in service", i);
		sim(f, NULL, 0, "slave register branch1");
		w.up = true;
		if (!rec_wait(f->r, WAIT_MS, p_both, &w))
			fail_msg("flap %d: branch1's lines did not come back", i);
	}
	struct rec_line c, a, e;
	assert_true(rec_get(f->r, carol.id, &c) && rec_get(f->r, alice.id, &a) && rec_get(f->r, erin.id, &e));
	/* out of service and back, never removed nor re-created */
	assert_int_equal(c.added, 1);
	assert_int_equal(c.removals, 0);
	assert_int_equal(c.downs, FLAPS);
	assert_int_equal(c.ups, FLAPS);   /* reported in service: no first "up" */
	assert_string_equal(c.name, "Carol Clausen (branch1)");
	/* the others never noticed */
	assert_int_equal(a.downs, 0);
	assert_int_equal(e.downs, 0);
	assert_int_equal(rec_count(f->r), 7);
	/* monitoring works again */
	call_reaches(f, "branch1", "32", dave.id, 0);

	/* same IDs after a restart */
	stop_tree(f);
	rec_free(f->r);
	f->r = rec_new();
	start_tree(f, &o);
	assert_int_equal(line_named(f, "Carol Clausen (branch1)").id, carol.id);
	assert_int_equal(line_named(f, "Dave Dorn (branch1)").id, dave.id);
	assert_int_equal(line_named(f, "Alice Meier (master)").id, alice.id);
}

static void test_standby(void **state)
{
	struct fx *f = *state;
	struct opts o = { 0 };
	start_tree(f, &o);
	struct rec_line alice = line_named(f, "Alice Meier (master)");
	struct rec_line carol = line_named(f, "Carol Clausen (branch1)");
	uint64_t t0 = plat_now_ms();
	sim(f, NULL, 0, "stop master");
	assert_true(rec_wait_service(f->r, WAIT_MS, alice.id, false));
	uint64_t lost = plat_now_ms();
	assert_true(rec_wait_service(f->r, WAIT_MS, alice.id, true));
	uint64_t back = plat_now_ms();
	print_message("master stopped -> lines out of service after %lu ms, standby serving %lu ms after that\n",
		      (unsigned long)(lost - t0), (unsigned long)(back - lost));
	assert_true(back - lost <= TAKEOVER_MAX_MS);
	struct rec_line a, c;
	assert_true(rec_get(f->r, alice.id, &a) && rec_get(f->r, carol.id, &c));
	unsigned standby_pbx = a.pbx_id;
	assert_true(standby_pbx != alice.pbx_id);
	assert_int_equal(a.removals, 0);
	assert_int_equal(a.added, 1);
	/* the slaves carry on */
	assert_int_equal(c.downs, 0);
	/* the standby's session monitors the master's users */
	call_reaches(f, "master", "21", alice.id, standby_pbx);

	/* the master comes back and serves again */
	sim(f, NULL, 0, "start master");
	struct rec_line now = alice;
	uint64_t until = plat_now_ms() + WAIT_MS;
	do {
		plat_sleep_ms(50);
		rec_get(f->r, alice.id, &now);
	} while ((now.pbx_id != alice.pbx_id || !now.in_service) && plat_now_ms() < until);
	assert_int_equal(now.pbx_id, alice.pbx_id);
	assert_true(now.in_service);
	assert_int_equal(now.id, alice.id);
	call_reaches(f, "master", "21", alice.id, alice.pbx_id);
	assert_true(rec_get(f->r, carol.id, &c));
	assert_int_equal(c.downs, 0);
	assert_int_equal(rec_count(f->r), 7);
}

static void test_unrelated_masters(void **state)
{
	struct fx *f = *state;
	struct opts o = { .other = true };
	start_tree(f, &o);
	struct rec_line alice = line_named(f, "Alice Meier (master)");
	struct rec_line otto = line_named(f, "Otto Ost (other)");
	line_named(f, "_TAPI_ (other)");
	assert_int_equal(rec_count(f->r), 9);
	/* the same extension in two unrelated PBXs: two lines, both "21" */
	assert_string_equal(otto.address, "21");
	assert_string_equal(alice.address, "21");
	assert_true(otto.pbx_id != alice.pbx_id);
	call_reaches(f, "other", "21", otto.id, otto.pbx_id);
	call_reaches(f, "master", "21", alice.id, alice.pbx_id);
	/* an unrelated master going away leaves the first alone */
	sim(f, NULL, 0, "stop other");
	assert_true(rec_wait_service(f->r, WAIT_MS, otto.id, false));
	struct rec_line a;
	assert_true(rec_get(f->r, alice.id, &a));
	assert_true(a.in_service);
	sim(f, NULL, 0, "start other");
	assert_true(rec_wait_service(f->r, WAIT_MS, otto.id, true));
}

static bool p_removed(struct rec *r, const void *arg)
{
	struct rec_line *l = rec_by_id(r, *(const uint32_t *)arg);
	return l && l->removed;
}

static void test_later_and_gone(void **state)
{
	struct fx *f = *state;
	/* branch2 is not registered when the tree starts */
	sim(f, NULL, 0, "slave unregister branch2");
	struct opts o = { 0 };
	start_tree(f, &o);
	struct rec_line erin = line_named(f, "Erin Engel (branch2)");
	assert_false(erin.in_service);
	sim(f, NULL, 0, "slave register branch2");
	assert_true(rec_wait_service(f->r, WAIT_MS, erin.id, true));
	call_reaches(f, "branch2", "41", erin.id, 0);

	/* a user that appears later: LINE_CREATE-style, monitored on its home */
	sim(f, NULL, 0, "object add master {\"cn\":\"Nina Neu\",\"h323\":\"nina\",\"e164\":\"33\","
	    "\"pbx\":\"branch1\",\"groups\":[{\"group\":\"tapi\",\"active\":false}],"
	    "\"devices\":[{\"hw\":\"HW33\",\"text\":\"IP232\"}],\"registered\":[\"HW33\"]}");
	struct rec_line nina = line_named(f, "Nina Neu (branch1)");
	assert_true(rec_wait_service(f->r, WAIT_MS, nina.id, true));
	call_reaches(f, "branch1", "33", nina.id, 0);
	/* and goes again */
	sim(f, NULL, 0, "object remove master \"Nina Neu\"");
	assert_true(rec_wait(f->r, WAIT_MS, p_removed, &nina.id));
	/* a user leaving the scope (group membership) goes too */
	struct rec_line dave;
	assert_true(rec_get_cn(f->r, "Dave Dorn", PBXTREE_LINE_OBJECT, &dave));
	sim(f, NULL, 0, "group set master \"Dave Dorn\" tapi none");
	assert_true(rec_wait(f->r, WAIT_MS, p_removed, &dave.id));
	/* and coming back gets its old ID */
	sim(f, NULL, 0, "group set master \"Dave Dorn\" tapi inactive");
	struct rec_line again = line_named(f, "Dave Dorn (branch1)");
	assert_int_equal(again.id, dave.id);
}

static void test_refusing_slave_isolated(void **state)
{
	struct fx *f = *state;
	/* admin/pwd: branch2 has another admin password and answers 401 */
	struct opts o = { .admin = true };
	start_tree(f, &o);
	struct rec_line carol = line_named(f, "Carol Clausen (branch1)");
	struct rec_line erin = line_named(f, "Erin Engel (branch2)");
	struct rec_line alice = line_named(f, "Alice Meier (master)");
	assert_false(erin.in_service);
	assert_true(carol.in_service);
	/* the others' calls flow while branch2 keeps refusing */
	for (int i = 0; i < 3; i++) {
		call_reaches(f, "branch1", "31", carol.id, carol.pbx_id);
		call_reaches(f, "master", "21", alice.id, alice.pbx_id);
	}
	struct rec_line e, c;
	assert_true(rec_get(f->r, erin.id, &e) && rec_get(f->r, carol.id, &c));
	assert_false(e.in_service);
	assert_int_equal(c.downs, 0);
}

static void test_garbage_slave_isolated(void **state)
{
	struct fx *f = *state;
	struct opts o = { 0 };
	start_tree(f, &o);
	struct rec_line carol = line_named(f, "Carol Clausen (branch1)");
	struct rec_line erin = line_named(f, "Erin Engel (branch2)");
	/* branch2 answers cut-off XML for a while: it is lost and retried */
	sim(f, NULL, 0, "fault branch2 garbage 2");
	sim(f, NULL, 0, "fault branch2 drop-connections");
	assert_true(rec_wait_service(f->r, WAIT_MS, erin.id, false));
	call_reaches(f, "branch1", "31", carol.id, carol.pbx_id);
	/* and comes back on its own once it answers properly */
	assert_true(rec_wait_service(f->r, WAIT_MS * 3, erin.id, true));
	call_reaches(f, "branch2", "41", erin.id, 0);
	struct rec_line c;
	assert_true(rec_get(f->r, carol.id, &c));
	assert_int_equal(c.downs, 0);
}

struct seen_warn {
	plat_mutex lock;     /* guards found */
	bool found;
};

static void observe(void *arg, uint32_t cls, const char *line)
{
	struct seen_warn *w = arg;
	if (cls == TRACE_WARN && strstr(line, "slave \"dyn\"") && strstr(line, "loopback")) {
		plat_mutex_lock(&w->lock);
		w->found = true;
		plat_mutex_unlock(&w->lock);
	}
}

/* A slave the master knows only as http://127.0.0.1/... (registered over
 * loopback): tried, then a WARN explains the limitation; its users' lines
 * exist, out of service, and the other slaves are not disturbed. */
static void test_loopback_slave(void **state)
{
	struct fx *f = *state;
	struct seen_warn w = { .found = false };
	assert_int_equal(plat_mutex_init(&w.lock), 0);
	if (!f->tr) {
		struct trace_config tc = { .name = "tree", .level = TRACE_LEVEL_DEFAULT };
		assert_int_equal(trace_create(&f->tr, &tc), 0);
	}
	trace_set_observer(f->tr, observe, &w);
	struct opts o = { 0 };
	start_tree(f, &o);
	struct rec_line finn = line_named(f, "Finn Fuchs (dyn)");
	assert_false(finn.in_service);
	call_reaches(f, "branch1", "31", line_named(f, "Carol Clausen (branch1)").id, 0);
	uint64_t until = plat_now_ms() + WAIT_MS;
	bool found = false;
	while (!found && plat_now_ms() < until) {
		plat_mutex_lock(&w.lock);
		found = w.found;
		plat_mutex_unlock(&w.lock);
		if (!found)
			plat_sleep_ms(20);
	}
	stop_tree(f);
	trace_set_observer(f->tr, NULL, NULL);
	plat_mutex_destroy(&w.lock);
	assert_true(found);
}

static void test_no_slaves(void **state)
{
	struct fx *f = *state;
	struct opts o = { .no_slaves = true };
	start_tree(f, &o);
	struct rec_line carol = line_named(f, "Carol Clausen (branch1)");
	struct rec_line alice = line_named(f, "Alice Meier (master)");
	/* every line lives on the master's session */
	assert_int_equal(carol.pbx_id, alice.pbx_id);
	struct pbxtree_stats st;
	pbxtree_get_stats(f->t, &st);
	assert_int_equal(st.slaves, 0);
	assert_int_equal(st.sessions, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_multisite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slave_flaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standby, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unrelated_masters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_later_and_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusing_slave_isolated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_slave_isolated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loopback_slave, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_slaves, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
