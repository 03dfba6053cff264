/* pbxsim black-box tests: PBX trees (trees/multisite.json) over real HTTP -
 * replication with loc, PBX objects, LocationUrl, standby takeover, run-time
 * objects/devices/groups, calls across PBXs, unrelated trees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/error.h"
#include "pbxsim_proc.h"
#include "soap_http.h"
#include "tree_soap.h"

#define WAIT_MS 3000 /* generous: takeover is 500 ms, Polls idle 0.3 s */

static int start_multisite(void **state)
{
	struct pbxsim_proc *p;

	assert_int_equal(pbxsim_start(&p, PBXSIM_MULTISITE_TREE,
				      "--poll-idle 0.3 --session-expiry 2"), TSP8_OK);
	*state = p;
	return 0;
}

static int stop_sim(void **state)
{
	pbxsim_stop(*state);
	return 0;
}

static const char *url(void **state, const char *pbx)
{
	const char *u = pbxsim_url(*state, pbx);

	assert_non_null(u);
	return u;
}

static void cmd_ok(void **state, char *reply, size_t len, const char *line)
{
	assert_int_equal(pbxsim_cmd(*state, reply, len, "%s", line), TSP8_OK);
}

static void test_replication_and_loc(void **state)
{
	struct sh_user u[TS_MAX_USERS];
	const struct sh_user *x;
	struct sh_resp r;
	size_t n;
	int s;

	/* The master: slave-homed users carry their home's location. */
	s = ts_init(url(state, "master"), NULL);
	assert_true(s > 0);
	n = ts_dump(url(state, "master"), s, u, TS_MAX_USERS);
	assert_int_equal(n, 11);
	assert_non_null(x = ts_find(u, n, "Alice Meier"));
	assert_string_equal(x->loc, "");
	assert_non_null(x = ts_find(u, n, "Carol Clausen"));
	assert_string_equal(x->loc, "branch1");
	assert_non_null(x = ts_find(u, n, "Erin Engel"));
	assert_string_equal(x->loc, "branch2");
	assert_non_null(x = ts_find(u, n, "Finn Fuchs"));
	assert_string_equal(x->loc, "dyn");
	assert_non_null(x = ts_find(u, n, "branch1"));
	assert_string_equal(x->object, "pbx");
	assert_int_equal(x->state, 1);

	/* A slave serves the same directory to the same TAPI user; its own
	 * users have no loc, the master's carry "master". */
	s = ts_init(url(state, "branch1"), NULL);
	assert_true(s > 0);
	n = ts_dump(url(state, "branch1"), s, u, TS_MAX_USERS);
	assert_int_equal(n, 11);
	assert_string_equal(ts_find(u, n, "Carol Clausen")->loc, "");
	assert_string_equal(ts_find(u, n, "Alice Meier")->loc, "master");
	assert_string_equal(ts_find(u, n, "Erin Engel")->loc, "branch2");

	/* Version names the PBX's own location. */
	assert_int_equal(sh_post(url(state, "branch1"), SH_TAPI, "<inno:Version/>", 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, ">branch1<"));
	sh_free(&r);
}

static void test_pbx_object_state(void **state)
{
	const char *m = url(state, "master"), *b2 = url(state, "branch2");
	struct sh_user u[TS_MAX_USERS], x;
	char reply[256];
	int s = ts_init(m, NULL), s2 = ts_init(b2, NULL);

	assert_true(s > 0 && s2 > 0);
	ts_dump(m, s, u, TS_MAX_USERS);
	ts_dump(b2, s2, u, TS_MAX_USERS);

	cmd_ok(state, reply, sizeof(reply), "slave unregister branch1");
	assert_string_equal(reply, "ok branch1 state=0");
	assert_true(ts_wait_user(m, s, "branch1", true, 0, WAIT_MS, &x));
	assert_string_equal(x.object, "pbx");
	/* replicated: the other slave sees the same change */
	assert_true(ts_wait_user(b2, s2, "branch1", true, 0, WAIT_MS, NULL));
	cmd_ok(state, reply, sizeof(reply), "slave register branch1");
	assert_string_equal(reply, "ok branch1 state=1");
	assert_true(ts_wait_user(m, s, "branch1", true, 1, WAIT_MS, NULL));

	/* A slave that stops is no longer registered (branch2 has no standby). */
	cmd_ok(state, reply, sizeof(reply), "stop branch2");
	assert_true(ts_wait_user(m, s, "branch2", true, 0, WAIT_MS, NULL));
	cmd_ok(state, reply, sizeof(reply), "start branch2");
	assert_true(ts_wait_user(m, s, "branch2", true, 1, WAIT_MS, NULL));

	/* branch1 stops: unregistered until its standby took over. */
	cmd_ok(state, reply, sizeof(reply), "stop branch1");
	assert_true(ts_wait_user(m, s, "branch1", true, 0, WAIT_MS, NULL));
	assert_true(ts_wait_user(m, s, "branch1", true, 1, WAIT_MS, NULL));
	cmd_ok(state, reply, sizeof(reply), "start branch1");

	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply), "slave unregister master"),
			 TSP8_EREFUSED);
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply), "slave unregister nosuch"),
			 TSP8_EREFUSED);
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply), "slave detach branch1"),
			 TSP8_EREFUSED);
}

/* Polls LocationUrl(loc) at at until it answers want. */
static bool wait_location(const char *at, const char *loc, const char *want)
{
	char got[256];

	for (int i = 0; i < WAIT_MS / 50; i++) {
		ts_location_url(at, loc, got, sizeof(got));
		if (strcmp(got, want) == 0)
			return true;
		usleep(50 * 1000);
	}
	return false;
}

static void test_location_url(void **state)
{
	const char *m = url(state, "master");
	char got[256], reply[256];

	ts_location_url(m, "branch1", got, sizeof(got));
	assert_string_equal(got, url(state, "branch1"));
	ts_location_url(m, "master", got, sizeof(got));
	assert_string_equal(got, m);
	ts_location_url(m, "nosuch", got, sizeof(got));
	assert_string_equal(got, "");
	ts_location_url(m, "", got, sizeof(got));
	assert_string_equal(got, "");
	/* The dynamic slave registered over 127.0.0.1: the master only knows
	 * that address (reference, Known Problems); the slave knows itself. */
	ts_location_url(m, "dyn", got, sizeof(got));
	assert_string_equal(got, "http://127.0.0.1/PBX-dyn/user.soap");
	ts_location_url(url(state, "branch2"), "dyn", got, sizeof(got));
	assert_string_equal(got, "http://127.0.0.1/PBX-dyn/user.soap");
	ts_location_url(url(state, "dyn"), "dyn", got, sizeof(got));
	assert_string_equal(got, url(state, "dyn"));
	/* any PBX of the tree answers */
	ts_location_url(url(state, "branch2"), "branch1", got, sizeof(got));
	assert_string_equal(got, url(state, "branch1"));
	/* a passive standby answers nothing */
	ts_location_url(url(state, "master-standby"), "branch1", got, sizeof(got));
	assert_string_equal(got, "");

	cmd_ok(state, reply, sizeof(reply), "slave unregister branch1");
	ts_location_url(m, "branch1", got, sizeof(got));
	assert_string_equal(got, "");
	cmd_ok(state, reply, sizeof(reply), "slave register branch1");
	ts_location_url(m, "branch1", got, sizeof(got));
	assert_string_equal(got, url(state, "branch1"));

	/* branch1 down: nothing, then its standby's URL, then branch1 again */
	cmd_ok(state, reply, sizeof(reply), "stop branch1");
	ts_location_url(m, "branch1", got, sizeof(got));
	assert_string_equal(got, "");
	assert_true(wait_location(m, "branch1", url(state, "branch1-standby")));
	cmd_ok(state, reply, sizeof(reply), "start branch1");
	ts_location_url(m, "branch1", got, sizeof(got));
	assert_string_equal(got, url(state, "branch1"));
}

static void test_standby_takeover(void **state)
{
	const char *m = url(state, "master"), *sb = url(state, "master-standby");
	struct sh_user u[TS_MAX_USERS];
	struct sh_call c[32];
	struct sh_resp r;
	char reply[256], got[256];
	size_t n;
	int key, s = 0, ua;

	/* passive: Version yes, sessions no */
	assert_int_equal(sh_post(sb, SH_TAPI, "<inno:Version/>", 0, &r), 0);
	assert_int_equal(r.status, 200);
	sh_free(&r);
	assert_int_equal(ts_init(sb, &key), 0);
	assert_int_equal(ts_echo(sb, 1, key), 0);

	cmd_ok(state, reply, sizeof(reply), "stop master");
	assert_int_equal(ts_init(sb, NULL), 0); /* not yet: takeover takes 500 ms */
	for (int i = 0; i < WAIT_MS / 50 && !s; i++) {
		usleep(50 * 1000);
		s = ts_init(sb, &key);
	}
	assert_true(s > 0);
	assert_int_equal(ts_echo(sb, s, key), s);
	/* It answers as the master: master users without loc. */
	n = ts_dump(sb, s, u, TS_MAX_USERS);
	assert_int_equal(n, 11);
	assert_string_equal(ts_find(u, n, "Alice Meier")->loc, "");
	assert_string_equal(ts_find(u, n, "Carol Clausen")->loc, "branch1");
	assert_int_equal(ts_find(u, n, "branch1")->state, 1); /* slaves registered to it */
	ts_location_url(sb, "master", got, sizeof(got));
	assert_string_equal(got, sb);
	ts_location_url(sb, "branch1", got, sizeof(got));
	assert_string_equal(got, url(state, "branch1"));
	/* calls of master users are monitored at the standby now */
	ua = sh_user_init(sb, s, "Alice Meier", NULL);
	assert_true(ua > 0);
	cmd_ok(state, reply, sizeof(reply), "dial master alice 22");
	n = ts_wait_calls(sb, s, ua, 2, c, 32);
	assert_true(n >= 2);
	assert_int_equal(c[0].user, ua);
	assert_string_equal(c[0].msg, "r-setup");

	/* The master is back: the standby goes passive, its sessions die. */
	cmd_ok(state, reply, sizeof(reply), "start master");
	assert_int_equal(ts_echo(sb, s, key), 0);
	assert_int_equal(ts_init(sb, NULL), 0);
	assert_true(ts_init(m, NULL) > 0);
	ts_location_url(m, "master", got, sizeof(got));
	assert_string_equal(got, m);
}

static void test_object_add_remove_group(void **state)
{
	const char *m = url(state, "master"), *b2 = url(state, "branch2");
	struct sh_user u[TS_MAX_USERS], x;
	char reply[512];
	int s = ts_init(m, NULL), s2 = ts_init(b2, NULL);

	assert_true(s > 0 && s2 > 0);
	ts_dump(m, s, u, TS_MAX_USERS);
	ts_dump(b2, s2, u, TS_MAX_USERS);

	cmd_ok(state, reply, sizeof(reply),
	       "object add master {\"cn\": \"Gina Gast\", \"h323\": \"gina\", \"e164\": \"42\", "
	       "\"pbx\": \"branch2\", \"groups\": [{\"group\": \"tapi\", \"active\": false}], "
	       "\"devices\": [{\"hw\": \"G1\"}], \"registered\": [\"G1\"]}");
	assert_string_equal(reply, "ok Gina Gast");
	assert_true(ts_wait_user(m, s, "Gina Gast", true, 1, WAIT_MS, &x));
	assert_string_equal(x.loc, "branch2");
	assert_true(ts_wait_user(b2, s2, "Gina Gast", true, 1, WAIT_MS, &x));
	assert_string_equal(x.loc, "");
	/* the directory checks apply */
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply),
				    "object add branch1 {\"cn\": \"Gina 2\", \"e164\": \"42\"}"),
			 TSP8_EREFUSED);
	assert_non_null(strstr(reply, "duplicate e164"));
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply), "object add master {\"cn\":"),
			 TSP8_EREFUSED);
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply),
				    "object add master {\"cn\": \"X\", \"pbx\": \"other\"}"),
			 TSP8_EREFUSED);

	/* removal: active=false once, on every PBX */
	cmd_ok(state, reply, sizeof(reply), "object remove master gina");
	assert_string_equal(reply, "ok Gina Gast");
	assert_true(ts_wait_user(m, s, "Gina Gast", false, -1, WAIT_MS, NULL));
	assert_true(ts_wait_user(b2, s2, "Gina Gast", false, -1, WAIT_MS, NULL));
	assert_int_equal(ts_count_user(m, s, "Gina Gast", 400), 0);
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply), "object remove master gina"),
			 TSP8_EREFUSED);

	/* group membership: leaving the scope, then entering it again */
	cmd_ok(state, reply, sizeof(reply), "group set master bob tapi none");
	assert_true(ts_wait_user(m, s, "Bob Braun", false, -1, WAIT_MS, NULL));
	assert_int_equal(ts_count_user(m, s, "Bob Braun", 400), 0);
	cmd_ok(state, reply, sizeof(reply), "group set master bob tapi inactive");
	assert_true(ts_wait_user(m, s, "Bob Braun", true, 1, WAIT_MS, NULL));
	/* a member that stays gets one delta with its new groups */
	cmd_ok(state, reply, sizeof(reply), "group set master bob sales active");
	assert_int_equal(ts_count_user(m, s, "Bob Braun", 400), 1);
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply), "group set master bob tapi on"),
			 TSP8_EREFUSED);
}

static void test_devices(void **state)
{
	const char *m = url(state, "master"), *b1 = url(state, "branch1");
	struct sh_user u[TS_MAX_USERS], x;
	char reply[256], *d;
	int s = ts_init(m, NULL), s1 = ts_init(b1, NULL);

	assert_true(s > 0 && s1 > 0);
	ts_dump(m, s, u, TS_MAX_USERS);
	ts_dump(b1, s1, u, TS_MAX_USERS);

	cmd_ok(state, reply, sizeof(reply), "device add master alice 0090330C0001 myPBX Softphone");
	assert_string_equal(reply, "ok Alice Meier devices=2");
	assert_true(ts_wait_user(m, s, "Alice Meier", true, -1, WAIT_MS, &x));
	assert_true(x.cfg);
	assert_non_null(d = ts_devices(m, s, "Alice Meier"));
	assert_non_null(strstr(d, "0090330C0001"));
	assert_non_null(strstr(d, "myPBX Softphone"));
	assert_non_null(strstr(d, "0090330A0021"));
	free(d);
	/* replicated: the slave's Devices() shows it too */
	assert_non_null(d = ts_devices(b1, s1, "Alice Meier"));
	assert_non_null(strstr(d, "0090330C0001"));
	free(d);

	cmd_ok(state, reply, sizeof(reply), "device remove master alice 0090330C0001");
	assert_string_equal(reply, "ok Alice Meier devices=1");
	assert_true(ts_wait_user(m, s, "Alice Meier", true, -1, WAIT_MS, &x));
	assert_true(x.cfg);
	assert_non_null(d = ts_devices(m, s, "Alice Meier"));
	assert_null(strstr(d, "0090330C0001"));
	free(d);
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply),
				    "device remove master alice 0090330C0001"), TSP8_EREFUSED);
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply), "device add master nobody X1"),
			 TSP8_EREFUSED);
}

static const struct sh_call *find_msg(const struct sh_call *c, size_t n, int user,
				      const char *msg)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].user == user && strcmp(c[i].msg, msg) == 0)
			return &c[i];
	return NULL;
}

static void test_calls_across_pbxs(void **state)
{
	const char *m = url(state, "master"), *b1 = url(state, "branch1");
	struct sh_user u[TS_MAX_USERS];
	struct sh_call cm[32], cb[32];
	const struct sh_call *a, *b;
	char reply[256];
	size_t nm, nb;
	int sm = ts_init(m, NULL), sb = ts_init(b1, NULL), ua, uc_m, uc, id;

	assert_true(sm > 0 && sb > 0);
	ts_dump(m, sm, u, TS_MAX_USERS);
	ts_dump(b1, sb, u, TS_MAX_USERS);
	ua = sh_user_init(m, sm, "Alice Meier", NULL);
	uc_m = sh_user_init(m, sm, "Carol Clausen", NULL); /* valid, never gets calls */
	uc = sh_user_init(b1, sb, "Carol Clausen", NULL);
	assert_true(ua > 0 && uc_m > 0 && uc > 0);

	cmd_ok(state, reply, sizeof(reply), "dial master alice 31");
	id = atoi(reply + 3);
	nm = ts_wait_calls(m, sm, ua, 2, cm, 32);
	nb = ts_wait_calls(b1, sb, uc, 2, cb, 32);
	assert_non_null(a = find_msg(cm, nm, ua, "x-alert"));
	assert_int_equal(a->state, 0x04);
	assert_string_equal(a->peer_cn, "Carol Clausen");
	assert_non_null(b = find_msg(cb, nb, uc, "r-alert"));
	assert_int_equal(b->state, 0x84);
	assert_string_equal(b->peer_cn, "Alice Meier");
	/* one call, two legs on two PBXs: the conference id is shared */
	assert_string_equal(a->conf, b->conf);
	for (size_t i = 0; i < nm; i++)
		assert_int_not_equal(cm[i].user, uc_m);
	/* Calls() answers at the registration PBX only */
	assert_int_equal(ts_calls_count(b1, sb, "Carol Clausen"), 1);
	assert_int_equal(ts_calls_count(m, sm, "Carol Clausen"), 0);
	assert_int_equal(ts_calls_count(m, sm, "Alice Meier"), 1);
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply), "answer %d", id), TSP8_OK);
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply), "drop %d", id), TSP8_OK);
	nb = ts_wait_calls(b1, sb, uc, 3, cb, 32);
	assert_non_null(find_msg(cb, nb, uc, "del"));

	/* call control runs at the registration PBX only */
	assert_int_equal(ts_user_call(m, uc_m, "21"), 0);
	assert_true(ts_user_call(b1, uc, "21") > 0);
	nm = ts_wait_calls(m, sm, ua, 1, cm, 32);
	assert_non_null(a = find_msg(cm, nm, ua, "r-alert"));
	assert_string_equal(a->peer_cn, "Carol Clausen");
}

static void test_unrelated_trees(void **state)
{
	const char *o = url(state, "other");
	struct sh_user u[TS_MAX_USERS];
	struct sh_resp r;
	char got[256], reply[1024];
	size_t n;
	int s = ts_init(o, NULL);

	assert_true(s > 0);
	n = ts_dump(o, s, u, TS_MAX_USERS);
	assert_int_equal(n, 4);
	assert_null(ts_find(u, n, "Alice Meier"));
	assert_string_equal(ts_find(u, n, "Otto Ost")->loc, "");
	assert_int_equal(sh_post(o, SH_TAPI,
				 "<inno:FindUser><v501>1</v501><v700>1</v700><v800>1</v800>"
				 "<vx1000>1</vx1000><cn></cn><h323></h323><e164></e164><count>50</count>"
				 "<next>0</next><nohide>false</nohide></inno:FindUser>", 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "Otto Ost"));
	assert_null(strstr(r.body, "Alice"));
	sh_free(&r);
	ts_location_url(o, "branch1", got, sizeof(got));
	assert_string_equal(got, "");
	ts_location_url(o, "master", got, sizeof(got));
	assert_string_equal(got, "");
	ts_location_url(o, "other", got, sizeof(got));
	assert_string_equal(got, o);
	/* the same number is another user in the other tree */
	cmd_ok(state, reply, sizeof(reply), "dial other otto 22");
	cmd_ok(state, reply, sizeof(reply), "calls");
	assert_non_null(strstr(reply, "Paula Pohl"));
	assert_null(strstr(reply, "Bob Braun"));
	assert_int_equal(pbxsim_cmd(*state, reply, sizeof(reply), "dial other alice 22"),
			 TSP8_EREFUSED);
	/* its standby is passive */
	assert_int_equal(ts_init(url(state, "other-standby"), NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replication_and_loc, start_multisite, stop_sim),
		cmocka_unit_test_setup_teardown(test_pbx_object_state, start_multisite, stop_sim),
		cmocka_unit_test_setup_teardown(test_location_url, start_multisite, stop_sim),
		cmocka_unit_test_setup_teardown(test_standby_takeover, start_multisite, stop_sim),
		cmocka_unit_test_setup_teardown(test_object_add_remove_group, start_multisite,
						stop_sim),
		cmocka_unit_test_setup_teardown(test_devices, start_multisite, stop_sim),
		cmocka_unit_test_setup_teardown(test_calls_across_pbxs, start_multisite, stop_sim),
		cmocka_unit_test_setup_teardown(test_unrelated_trees, start_multisite, stop_sim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
