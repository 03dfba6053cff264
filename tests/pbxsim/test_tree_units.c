/* pbxsim tree units, in process: tree file roles and their errors, the
 * directory index, registration/standby state, LocationUrl, the takeover
 * timer, the generator and the tree control commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app.h"
#include "base/error.h"
#include "calls.h"
#include "control.h"
#include "dir.h"
#include "gen_tree.h"
#include "session.h"
#include "tree.h"
#include "tree_load.h"

static const char tree[] =
	"{\"standby_takeover_ms\": 50, \"pbxs\": ["
	"{\"name\":\"m\",\"objects\":["
	" {\"cn\":\"T\",\"h323\":\"t\",\"password\":\"x\",\"groups\":[{\"group\":\"g\",\"active\":true}]},"
	" {\"cn\":\"s1\",\"h323\":\"S1\",\"object\":\"pbx\",\"groups\":[{\"group\":\"g\"}]},"
	" {\"cn\":\"A\",\"h323\":\"a\",\"e164\":\"21\",\"groups\":[{\"group\":\"g\"}],"
	"  \"devices\":[{\"hw\":\"A1\"}],\"registered\":[\"A1\"]},"
	" {\"cn\":\"B\",\"h323\":\"b\",\"e164\":\"31\",\"pbx\":\"s1\",\"groups\":[{\"group\":\"g\"}],"
	"  \"devices\":[{\"hw\":\"B1\"}],\"registered\":[\"B1\"]},"
	" {\"cn\":\"Trunk\",\"e164\":\"0\",\"type\":\"gw\"},"
	" {\"cn\":\"Trunk S1\",\"e164\":\"9\",\"type\":\"gw\",\"pbx\":\"s1\"}]},"
	"{\"name\":\"s1-sb\",\"standby_for\":\"s1\"},"
	"{\"name\":\"s1\",\"master\":\"m\",\"path_id\":\"7\"},"
	"{\"name\":\"d\",\"master\":\"m\",\"location\":\"dynamic\",\"loopback_registration\":true},"
	"{\"name\":\"m-sb\",\"standby_for\":\"m\"},"
	"{\"name\":\"o\",\"objects\":[{\"cn\":\"A\",\"e164\":\"21\"}]}]}";

struct fx {
	struct sim *sim;
	struct sim_pbx *m, *s1, *s1sb, *d, *msb, *o;
};

static int setup(void **state)
{
	struct sim_options opt = { 1000, 10000, false };
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];

	assert_non_null(f);
	assert_int_equal(sim_create(&f->sim, &opt), TSP8_OK);
	assert_int_equal(tree_load_text(f->sim, "t", tree, NULL, err, sizeof(err)), TSP8_OK);
	f->m = sim_find_pbx(f->sim, "m");
	f->s1 = sim_find_pbx(f->sim, "s1");
	f->s1sb = sim_find_pbx(f->sim, "s1-sb");
	f->d = sim_find_pbx(f->sim, "d");
	f->msb = sim_find_pbx(f->sim, "m-sb");
	f->o = sim_find_pbx(f->sim, "o");
	assert_true(f->m && f->s1 && f->s1sb && f->d && f->msb && f->o);
	/* Known URLs instead of listeners. */
	for (size_t i = 0; i < f->sim->npbx; i++)
		snprintf(f->sim->pbxs[i]->url, sizeof(f->sim->pbxs[i]->url), "http://u/%s",
			 f->sim->pbxs[i]->name);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	sim_destroy(f->sim);
	free(f);
	return 0;
}

static void expect_error(const char *text, const char *path, const char *what)
{
	struct sim_options o = { 1000, 1000, false };
	struct sim *sim;
	char err[300];

	assert_int_equal(sim_create(&sim, &o), TSP8_OK);
	assert_int_equal(tree_load_text(sim, "bad.json", text, NULL, err, sizeof(err)), TSP8_ESYNTAX);
	if (!strstr(err, path) || !strstr(err, what))
		fail_msg("unexpected message: %s", err);
	assert_int_equal(sim->npbx, 0);
	assert_int_equal(sim->ntrees, 0);
	sim_destroy(sim);
}

static void test_role_errors(void **state)
{
	(void)state;
	expect_error("{\"pbxs\":[{\"name\":\"s\",\"master\":\"x\"}]}", "$.pbxs[0].master",
		     "no other PBX");
	expect_error("{\"pbxs\":[{\"name\":\"s\",\"master\":\"s\"}]}", "$.pbxs[0].master",
		     "no other PBX");
	expect_error("{\"pbxs\":[{\"name\":\"m\"},{\"name\":\"s\",\"master\":\"m\",\"standby_for\":\"m\"}]}",
		     "$.pbxs[1]", "not both");
	expect_error("{\"pbxs\":[{\"name\":\"m\"},{\"name\":\"s\",\"master\":\"m\"},"
		     "{\"name\":\"t\",\"master\":\"s\"}]}", "$.pbxs[2].master", "not a master");
	expect_error("{\"pbxs\":[{\"name\":\"m\"},{\"name\":\"a\",\"standby_for\":\"m\"},"
		     "{\"name\":\"b\",\"standby_for\":\"a\"}]}", "$.pbxs[2].standby_for",
		     "standby itself");
	expect_error("{\"pbxs\":[{\"name\":\"m\"},{\"name\":\"a\",\"standby_for\":\"m\"},"
		     "{\"name\":\"b\",\"standby_for\":\"m\"}]}", "$.pbxs[2].standby_for",
		     "already has the standby");
	expect_error("{\"pbxs\":[{\"name\":\"m\",\"loopback_registration\":true}]}", "$.pbxs[0]",
		     "loopback_registration needs");
	expect_error("{\"pbxs\":[{\"name\":\"m\"},{\"name\":\"s\",\"master\":\"m\","
		     "\"objects\":[{\"cn\":\"a\"}]}]}", "$.pbxs[1].objects", "defined on the tree's master");
	expect_error("{\"pbxs\":[{\"name\":\"m\",\"objects\":[{\"cn\":\"a\",\"pbx\":\"x\"}]}]}",
		     "$.pbxs[0].objects[0].pbx", "no PBX \"x\"");
	expect_error("{\"pbxs\":[{\"name\":\"m\",\"objects\":[{\"cn\":\"a\",\"pbx\":\"b\"}]},"
		     "{\"name\":\"b\",\"standby_for\":\"m\"}]}", "$.pbxs[0].objects[0].pbx",
		     "is a standby");
	expect_error("{\"pbxs\":[{\"name\":\"m\",\"objects\":[{\"cn\":\"a\",\"pbx\":\"o\"}]},"
		     "{\"name\":\"o\"}]}", "$.pbxs[0].objects[0].pbx", "in the tree of \"m\"");
	expect_error("{\"pbxs\":[{\"name\":\"m\"},{\"name\":\"s\",\"master\":\"m\",\"location\":\"M\"}]}",
		     "$.pbxs[1]", "location \"M\" is used");
	expect_error("{\"standby_takeover_ms\":-1,\"pbxs\":[{\"name\":\"m\"}]}",
		     "$.standby_takeover_ms", "whole number");
	expect_error("{\"pbxs\":[{\"name\":\"m\",\"location\":\"\"}]}", "$.pbxs[0]",
		     "location must not be empty");
}

static void test_failed_load_keeps_earlier_trees(void **state)
{
	struct sim_options o = { 1000, 1000, false };
	struct sim *sim;
	char err[300];

	(void)state;
	assert_int_equal(sim_create(&sim, &o), TSP8_OK);
	assert_int_equal(tree_load_text(sim, "a", "{\"pbxs\":[{\"name\":\"a\",\"objects\":[{\"cn\":\"x\"}]}]}",
				       NULL, err, sizeof(err)), TSP8_OK);
	assert_int_equal(tree_load_text(sim, "b", "{\"pbxs\":[{\"name\":\"b\",\"objects\":[{\"cn\":\"y\"}]},"
				       "{\"name\":\"c\",\"master\":\"a\"}]}", NULL, err, sizeof(err)),
			 TSP8_ESYNTAX);
	assert_int_equal(sim->npbx, 1);
	assert_int_equal(sim->ntrees, 1);
	assert_non_null(model_find_cn(sim->pbxs[0], "x"));
	sim_destroy(sim);
}

static void test_roles_and_replication(void **state)
{
	struct fx *f = *state;
	struct sim_object *a = model_find_cn(f->m, "A"), *b = model_find_cn(f->s1, "B");
	struct sim_userinfo ui;

	assert_int_equal(f->sim->ntrees, 2);
	assert_ptr_equal(f->s1->tree, f->m->tree);
	assert_ptr_equal(f->s1sb->tree, f->m->tree);
	assert_ptr_equal(f->m->tree->master, f->m);
	assert_int_equal(f->m->tree->npbx, 5);
	assert_int_equal(f->m->tree->takeover_ms, 50);
	assert_int_equal(f->s1->role, SIM_ROLE_SLAVE);
	assert_int_equal(f->s1sb->role, SIM_ROLE_STANDBY);
	assert_ptr_equal(f->s1->standby, f->s1sb);
	assert_string_equal(f->s1sb->location, "s1");     /* inherited */
	assert_string_equal(f->d->location, "dynamic");
	/* one directory per tree, served by every member */
	assert_non_null(a);
	assert_ptr_equal(model_find_cn(f->s1sb, "A"), a);
	assert_ptr_equal(model_find_h323(f->d, "B"), b);   /* h323 ignores case */
	assert_ptr_equal(b->home, f->s1);
	assert_ptr_not_equal(model_find_cn(f->o, "A"), a);
	assert_null(model_find_cn(f->o, "B"));
	/* guids derive from the master: same everywhere in the tree */
	assert_ptr_equal(model_find_guid(f->s1, a->guid), a);
	/* trunks: the one homed on the asking PBX first */
	assert_string_equal(model_trunk(f->s1)->cn, "Trunk S1");
	assert_string_equal(model_trunk(f->s1sb)->cn, "Trunk S1");
	assert_string_equal(model_trunk(f->m)->cn, "Trunk");
	assert_string_equal(model_trunk(f->d)->cn, "Trunk");
	/* loc: the home's location unless asked at the home (or its standby) */
	record_userinfo(f->m, b, true, &ui);
	assert_string_equal(ui.loc, "s1");
	record_userinfo(f->s1sb, b, true, &ui);
	assert_string_equal(ui.loc, "");
	record_userinfo(f->s1, a, true, &ui);
	assert_string_equal(ui.loc, "m");
	record_userinfo(f->m, a, true, &ui);
	assert_string_equal(ui.loc, "");
	record_userinfo(f->m, b, false, &ui);
	assert_string_equal(ui.loc, "");
	/* the PBX object follows the slave */
	assert_ptr_equal(model_find_cn(f->m, "s1")->slave, f->s1);
	assert_int_equal(tree_object_state(model_find_cn(f->m, "s1")), 1);
	assert_int_equal(tree_set_slave_registered(f->s1, false), TSP8_OK);
	assert_int_equal(tree_object_state(model_find_cn(f->m, "s1")), 0);
	assert_int_equal(tree_set_slave_registered(f->m, false), TSP8_EINVAL);
	assert_int_equal(tree_set_slave_registered(f->s1sb, false), TSP8_EINVAL);
}

static void test_location_and_standby(void **state)
{
	struct fx *f = *state;
	char url[256];

	tree_location_url(f->m, "S1", url, sizeof(url));
	assert_string_equal(url, "http://u/s1");
	tree_location_url(f->m, "dynamic", url, sizeof(url));
	assert_string_equal(url, "http://127.0.0.1/PBX0/user.soap");
	tree_location_url(f->d, "dynamic", url, sizeof(url));
	assert_string_equal(url, "http://u/d");
	tree_location_url(f->o, "s1", url, sizeof(url));
	assert_string_equal(url, "");
	tree_location_url(f->msb, "s1", url, sizeof(url)); /* passive */
	assert_string_equal(url, "");

	assert_true(tree_passive(f->msb));
	assert_int_equal(tree_timer_start(f->sim), TSP8_OK);
	sim_lock(f->sim);
	tree_set_running(f->s1, false);
	tree_location_url(f->m, "s1", url, sizeof(url));
	assert_string_equal(url, "");
	assert_int_equal(tree_object_state(model_find_cn(f->m, "s1")), 0);
	sim_unlock(f->sim);
	for (int i = 0; i < 100; i++) {
		bool active;

		sim_lock(f->sim);
		active = f->s1sb->active;
		sim_unlock(f->sim);
		if (active)
			break;
		usleep(10 * 1000);
	}
	sim_lock(f->sim);
	assert_true(f->s1sb->active);
	assert_ptr_equal(tree_serving(f->s1), f->s1sb);
	tree_location_url(f->m, "s1", url, sizeof(url));
	assert_string_equal(url, "http://u/s1-sb");
	assert_int_equal(tree_object_state(model_find_cn(f->m, "s1")), 1);
	assert_ptr_equal(tree_identity(f->s1sb), f->s1);
	/* the primary returns: passive again */
	tree_set_running(f->s1, true);
	assert_false(f->s1sb->active);
	assert_ptr_equal(tree_serving(f->s1), f->s1);
	/* a standby that is itself down never takes over */
	tree_set_running(f->msb, false);
	tree_set_running(f->m, false);
	sim_unlock(f->sim);
	usleep(150 * 1000);
	sim_lock(f->sim);
	assert_false(f->msb->active);
	assert_null(tree_serving(f->m));
	/* ...until it runs again and waited the takeover time */
	tree_set_running(f->msb, true);
	sim_unlock(f->sim);
	usleep(200 * 1000);
	sim_lock(f->sim);
	assert_true(f->msb->active);
	tree_location_url(f->s1, "m", url, sizeof(url));
	assert_string_equal(url, "http://u/m-sb");
	sim_unlock(f->sim);
}

static void test_directory(void **state)
{
	struct sim_dir d = { 0 };

	(void)state;
	for (int i = 0; i < 3000; i++) {
		struct sim_object *o = calloc(1, sizeof(*o));

		assert_non_null(o);
		snprintf(o->cn, sizeof(o->cn), "User %d", i);
		snprintf(o->h323, sizeof(o->h323), "User%d", i);
		snprintf(o->e164, sizeof(o->e164), "%d", 1000 + i);
		snprintf(o->guid, sizeof(o->guid), "%032X", i);
		snprintf(o->type, sizeof(o->type), "%s", i % 1000 == 5 ? "gw" : "ep");
		assert_int_equal(dir_add(&d, o), TSP8_OK);
	}
	assert_int_equal(d.nobjs, 3000);
	assert_int_equal(d.ngws, 3);
	assert_string_equal(dir_find(&d, DIR_KEY_H323, "user2999")->cn, "User 2999");
	assert_string_equal(dir_find(&d, DIR_KEY_GUID, "00000000000000000000000000000abc")->cn,
			    "User 2748");
	assert_null(dir_find(&d, DIR_KEY_CN, "user 1"));  /* cn is case-sensitive */
	assert_null(dir_find(&d, DIR_KEY_E164, ""));
	{
		struct sim_object *o = dir_find(&d, DIR_KEY_E164, "2005");

		assert_non_null(o);
		assert_int_equal(o->slot, 1005);
		dir_remove(&d, o);
		assert_null(dir_find(&d, DIR_KEY_E164, "2005"));
		assert_int_equal(d.ngws, 2);
		model_object_free(o);
		o = dir_find(&d, DIR_KEY_CN, "User 7");
		dir_unindex(&d, o);
		snprintf(o->e164, sizeof(o->e164), "77");
		dir_reindex(&d, o);
		assert_ptr_equal(dir_find(&d, DIR_KEY_E164, "77"), o);
		assert_null(dir_find(&d, DIR_KEY_E164, "1007"));
	}
	assert_int_equal(d.next_slot, 3000);
	dir_free(&d);
}

static void test_generator(void **state)
{
	struct sim_options opt = { 1000, 1000, false };
	struct strbuf sb;
	struct sim *sim;
	char err[300];

	(void)state;
	sb_init(&sb);
	assert_int_equal(gen_tree("slaves=3,users=4,standby=2,unrelated=1", &sb, err, sizeof(err)),
			 TSP8_OK);
	assert_int_equal(sim_create(&sim, &opt), TSP8_OK);
	assert_int_equal(tree_load_text(sim, "gen", sb_cstr(&sb), NULL, err, sizeof(err)), TSP8_OK);
	assert_int_equal(sim->ntrees, 2);
	assert_int_equal(sim->npbx, 16);
	/* _TAPI_, Trunk, 3 PBX objects, 4 x 4 users */
	assert_int_equal(sim->trees[0]->dir.nobjs, 21);
	assert_ptr_equal(model_find_cn(sim->pbxs[0], "User 3.4")->home,
			 sim_find_pbx(sim, "slave3"));
	assert_string_equal(model_find_cn(sim->pbxs[0], "User 3.4")->e164, "134");
	assert_ptr_equal(model_find_cn(sim->pbxs[0], "slave2")->slave, sim_find_pbx(sim, "slave2"));
	assert_ptr_equal(sim_find_pbx(sim, "t1-slave2-standby")->primary,
			 sim_find_pbx(sim, "t1-slave2"));
	assert_non_null(model_find_cn(sim_find_pbx(sim, "t1-master"), "T1 User 0.1"));
	sim_destroy(sim);
	sb_free(&sb);
	sb_init(&sb);
	assert_int_equal(gen_tree("slaves=1,users", &sb, err, sizeof(err)), TSP8_ESYNTAX);
	assert_int_equal(gen_tree("slaves=-1", &sb, err, sizeof(err)), TSP8_ESYNTAX);
	assert_int_equal(gen_tree("standby=3", &sb, err, sizeof(err)), TSP8_ESYNTAX);
	assert_int_equal(gen_tree("", &sb, err, sizeof(err)), TSP8_OK); /* a lone master */
	sb_free(&sb);
}

static void run(struct pbxsim_app *app, const char *line, char *out, size_t len)
{
	struct strbuf r;

	sb_init(&r);
	control_exec(app, line, &r);
	snprintf(out, len, "%s", sb_cstr(&r));
	sb_free(&r);
}

/* Events queued for s: counts UserInfo records of cn (active as given). */
static int queued(const struct sim_session *s, const char *cn, bool active)
{
	int n = 0;

	for (const struct sim_event *e = s->head; e; e = e->next)
		n += e->kind == SIM_EV_USER && strcmp(e->u.user.cn, cn) == 0 &&
		     e->u.user.active == active;
	return n;
}

static void test_control_commands(void **state)
{
	struct fx *f = *state;
	struct pbxsim_app app = { .sim = f->sim, .wake_fd = -1 };
	struct sim_session *sm, *ss;
	char out[512];
	int key, ub, ulogin, n;

	atomic_init(&app.quit, false);
	sim_lock(f->sim);
	assert_true(session_initialize(f->m, NULL, "T", "u", true, &key) > 0);
	assert_true(session_initialize(f->s1, NULL, "T", "u", true, &key) > 0);
	assert_int_equal(session_initialize(f->msb, NULL, "T", "u", true, &key), 0); /* passive */
	sm = f->m->sessions;
	ss = f->s1->sessions;
	sm->dump_done = ss->dump_done = true;
	ub = session_user_init(f->s1, ss, "B", false, false, "");
	assert_true(ub > 0);
	sim_unlock(f->sim);

	run(&app, "object add s1 {\"cn\":\"N\",\"e164\":\"33\",\"pbx\":\"s1\","
		  "\"groups\":[{\"group\":\"g\"}],\"password\":\"n\"}", out, sizeof(out));
	assert_string_equal(out, "ok N");
	assert_int_equal(queued(sm, "N", true), 1);
	assert_int_equal(queued(ss, "N", true), 1);
	assert_string_equal(sm->tail->u.user.loc, "s1");
	run(&app, "object add m {\"cn\":\"N\"}", out, sizeof(out));
	assert_non_null(strstr(out, "error object: $: duplicate cn"));
	run(&app, "object add m", out, sizeof(out));
	assert_non_null(strstr(out, "error usage"));
	run(&app, "object add nosuch {\"cn\":\"Q\"}", out, sizeof(out));
	assert_string_equal(out, "error no pbx 'nosuch'");

	/* a session logged in as N dies with N; user handles on B go with B */
	sim_lock(f->sim);
	ulogin = session_initialize(f->s1, NULL, "N", "u", true, &key);
	assert_true(ulogin > 0);
	sim_unlock(f->sim);
	run(&app, "dial s1 B 21", out, sizeof(out));
	assert_string_equal(out, "ok 1");
	run(&app, "object remove m B", out, sizeof(out));
	assert_string_equal(out, "ok B");
	assert_int_equal(queued(sm, "B", false), 1);
	sim_lock(f->sim);
	assert_null(calls_by_id(f->sim, 1));
	assert_null(session_find_user(f->s1, ub, NULL));
	sim_unlock(f->sim);
	run(&app, "object remove m N", out, sizeof(out));
	sim_lock(f->sim);
	assert_null(session_get(f->s1, ulogin));
	sim_unlock(f->sim);

	/* A rang for B's call: count what the group changes add */
	n = queued(sm, "A", true);
	run(&app, "group set m A g none", out, sizeof(out));
	assert_string_equal(out, "ok A");
	assert_int_equal(queued(sm, "A", false), 1);
	run(&app, "group set m A g inactive", out, sizeof(out));
	assert_int_equal(queued(sm, "A", true), n + 1);
	run(&app, "group set m A g sometimes", out, sizeof(out));
	assert_non_null(strstr(out, "error usage"));

	run(&app, "device add m A A2 Soft phone", out, sizeof(out));
	assert_string_equal(out, "ok A devices=2");
	assert_true(sm->tail->u.user.cfg);
	assert_string_equal(model_device(model_find_cn(f->m, "A"), "A2")->text, "Soft phone");
	run(&app, "device remove m A A2", out, sizeof(out));
	assert_string_equal(out, "ok A devices=1");
	run(&app, "device remove m A A2", out, sizeof(out));
	assert_string_equal(out, "error no device 'A2' at 'A'");

	run(&app, "slave unregister s1", out, sizeof(out));
	assert_string_equal(out, "ok s1 state=0");
	assert_int_equal(sm->tail->u.user.state, 0);
	assert_string_equal(sm->tail->u.user.cn, "s1");
	run(&app, "slave register d", out, sizeof(out));
	assert_string_equal(out, "ok d state=1");
	run(&app, "slave register m", out, sizeof(out));
	assert_non_null(strstr(out, "is not a slave"));
	run(&app, "pbxs", out, sizeof(out));
	assert_non_null(strstr(out, "\"name\":\"m\",\"role\":\"master\""));
	run(&app, "help", out, sizeof(out));
	assert_non_null(strstr(out, "slave object device group"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_role_errors),
		cmocka_unit_test(test_failed_load_keeps_earlier_trees),
		cmocka_unit_test_setup_teardown(test_roles_and_replication, setup, teardown),
		cmocka_unit_test_setup_teardown(test_location_and_standby, setup, teardown),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_generator),
		cmocka_unit_test_setup_teardown(test_control_commands, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
