/* pbxsim black-box tests: HTTP auth and paths, sessions, scope, dump,
 * deltas, idle Poll, expiry, lookups - over real HTTP. */
#include <pthread.h>
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

#define INIT_FMT                                                                      \
	"<inno:Initialize><user>%s</user><appl>t</appl><v>true</v><v501>true</v501>"   \
	"<v700>true</v700><v800>true</v800><vx1000>true</vx1000></inno:Initialize>"

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int start_demo(void **state)
{
	struct pbxsim_proc *p;

	assert_int_equal(pbxsim_start(&p, PBXSIM_DEMO_TREE, "--poll-idle 1 --session-expiry 1"),
			 TSP8_OK);
	*state = p;
	return 0;
}

static int stop_sim(void **state)
{
	pbxsim_stop(*state);
	return 0;
}

static void test_auth_and_paths(void **state)
{
	struct pbxsim_proc *p = *state;
	const char *url = pbxsim_url(p, "master");
	char other[256];
	struct sh_resp r;

	assert_non_null(url);
	assert_int_equal(sh_post(url, NULL, "<inno:Version/>", 0, &r), 0);
	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.www_auth, "Basic realm=\"PBX\""));
	sh_free(&r);
	assert_int_equal(sh_post(url, "_TAPI_:wrong", "<inno:Version/>", 0, &r), 0);
	assert_int_equal(r.status, 401);
	sh_free(&r);
	assert_int_equal(sh_post(url, "admin:nope", "<inno:Version/>", 0, &r), 0);
	assert_int_equal(r.status, 401);
	sh_free(&r);
	/* alice has no password: no login with her alias */
	assert_int_equal(sh_post(url, "alice:", "<inno:Version/>", 0, &r), 0);
	assert_int_equal(r.status, 401);
	sh_free(&r);
	assert_int_equal(sh_post(url, SH_ADMIN, "<inno:Version/>", 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "13r3 sr7 [139022]"));
	assert_non_null(strstr(r.body, "00-90-33-00-00-01"));
	sh_free(&r);
	snprintf(other, sizeof(other), "http://127.0.0.1:%u/PBX1/user.soap", pbxsim_port(p, "master"));
	assert_int_equal(sh_post(other, SH_TAPI, "<inno:Version/>", 0, &r), 0);
	assert_int_equal(r.status, 404);
	sh_free(&r);
	snprintf(other, sizeof(other), "http://127.0.0.1:%u/", pbxsim_port(p, "master"));
	assert_int_equal(sh_post(other, SH_TAPI, "<inno:Version/>", 0, &r), 0);
	assert_int_equal(r.status, 404);
	sh_free(&r);
	/* Unknown operation: SOAP Fault, HTTP 500 */
	assert_int_equal(sh_post(url, SH_TAPI, "<inno:NoSuchOp/>", 0, &r), 0);
	assert_int_equal(r.status, 500);
	assert_non_null(strstr(r.body, "Fault"));
	sh_free(&r);
}

static int init_as(const char *url, const char *auth, const char *cn, int *key)
{
	char inner[512];
	struct sh_resp r;
	int h = -1;

	snprintf(inner, sizeof(inner), INIT_FMT, cn);
	assert_int_equal(sh_post(url, auth, inner, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(sh_int(r.body, "return", &h));
	if (key)
		assert_true(sh_int(r.body, "key", key));
	sh_free(&r);
	return h;
}

static void test_initialize_scope(void **state)
{
	struct pbxsim_proc *p = *state;
	const char *url = pbxsim_url(p, "master");
	struct sh_resp r;
	int key, s;

	/* _TAPI_ is active in "tapi": the whole group (12 objects). */
	s = init_as(url, SH_TAPI, "_TAPI_", &key);
	assert_true(s > 0);
	assert_true(key != 0);
	assert_int_equal(sh_drain_dump(url, s), 12);
	/* Alice is active in "sales" (Alice, Bernd, Claudia). */
	s = init_as(url, SH_ADMIN, "Alice Meier", &key);
	assert_true(s > 0);
	assert_int_equal(sh_drain_dump(url, s), 3);
	/* Bernd is active in no group: himself only. */
	s = init_as(url, SH_ADMIN, "Bernd Müller", &key);
	assert_true(s > 0);
	assert_int_equal(sh_drain_dump(url, s), 1);
	/* A user login may only open its own session. */
	assert_int_equal(init_as(url, SH_TAPI, "Alice Meier", &key), 0);
	assert_int_equal(key, 0);
	/* Unknown cn, missing version flags: 0 and key 0. */
	assert_int_equal(init_as(url, SH_ADMIN, "Nobody", &key), 0);
	assert_int_equal(key, 0);
	assert_int_equal(sh_post(url, SH_TAPI,
				 "<inno:Initialize><user>_TAPI_</user><appl>t</appl></inno:Initialize>",
				 0, &r), 0);
	assert_true(sh_int(r.body, "return", &s));
	assert_int_equal(s, 0);
	assert_true(sh_int(r.body, "key", &key));
	assert_int_equal(key, 0);
	sh_free(&r);
}

static int echo(const char *url, int s, int key, const char *ns)
{
	char inner[256];
	struct sh_resp r;
	int v = -1;

	snprintf(inner, sizeof(inner), "<%s:Echo><session>%d</session><key>%d</key></%s:Echo>", ns, s,
		 key, ns);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(sh_int(r.body, "return", &v));
	sh_free(&r);
	return v;
}

static void test_echo_end_expiry(void **state)
{
	struct pbxsim_proc *p = *state;
	const char *url = pbxsim_url(p, "master");
	struct sh_resp r;
	char inner[128];
	int key, s = sh_initialize(url, "_TAPI_", &key);

	assert_true(s > 0);
	assert_true(echo(url, s, key, "innob") != 0);
	assert_true(echo(url, s, key, "inno") != 0); /* other namespace accepted */
	assert_int_equal(echo(url, s, key + 1, "innob"), 0);
	assert_int_equal(echo(url, s + 1000, key, "innob"), 0);
	/* End: gone at once */
	snprintf(inner, sizeof(inner), "<inno:End><session>%d</session></inno:End>", s);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	assert_int_equal(r.status, 200);
	sh_free(&r);
	assert_int_equal(echo(url, s, key, "innob"), 0);
	/* Expiry: 1 s after the last connection closed (each sh_post closes). */
	s = sh_initialize(url, "_TAPI_", &key);
	usleep(300 * 1000);
	assert_true(echo(url, s, key, "innob") != 0);
	usleep(1500 * 1000);
	assert_int_equal(echo(url, s, key, "innob"), 0);
	assert_int_equal(sh_poll(url, s, 0, &r), 0);
	assert_int_equal(r.status, 500);
	assert_non_null(strstr(r.body, "invalid session"));
	sh_free(&r);
}

static void test_delta_and_idle(void **state)
{
	struct pbxsim_proc *p = *state;
	const char *url = pbxsim_url(p, "master");
	struct sh_resp r;
	struct sh_user u[16];
	char reply[256];
	long long t0;
	int s = sh_initialize(url, "_TAPI_", NULL);

	assert_int_equal(sh_drain_dump(url, s), 12);
	/* idle Poll: empty answer after --poll-idle 1 */
	t0 = ms_now();
	assert_int_equal(sh_poll(url, s, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(sh_users(r.body, u, 16), 0);
	assert_true(ms_now() - t0 >= 800);
	assert_true(ms_now() - t0 < 3000);
	sh_free(&r);
	/* register -> UserInfo delta with state 1 */
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "register master \"Ingrid Lange\""), TSP8_OK);
	assert_string_equal(reply, "ok Ingrid Lange state=1");
	assert_int_equal(sh_poll(url, s, 0, &r), 0);
	assert_int_equal(sh_users(r.body, u, 16), 1);
	assert_string_equal(u[0].cn, "Ingrid Lange");
	assert_int_equal(u[0].state, 1);
	assert_true(u[0].active);
	sh_free(&r);
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "unregister master ingrid"), TSP8_OK);
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "presence master 22 closed away"), TSP8_OK);
	assert_int_equal(sh_poll(url, s, 0, &r), 0);
	assert_int_equal(sh_users(r.body, u, 16), 2);
	assert_int_equal(u[0].state, 0);
	assert_string_equal(u[1].cn, "Bernd Müller");
	assert_string_equal(u[1].presence_status, "closed");
	sh_free(&r);
}

struct poller {
	const char *url;
	int session;
	long long elapsed;
	size_t users;
};

static void *poll_thread(void *arg)
{
	struct poller *pl = arg;
	struct sh_resp r;
	struct sh_user u[4];
	long long t0 = ms_now();

	if (sh_poll(pl->url, pl->session, 0, &r) == 0)
		pl->users = sh_users(r.body, u, 4);
	pl->elapsed = ms_now() - t0;
	sh_free(&r);
	return NULL;
}

static void test_poll_wakes_at_once(void **state)
{
	struct pbxsim_proc *p;
	struct poller pl = { 0 };
	pthread_t t;

	(void)state;
	assert_int_equal(pbxsim_start(&p, PBXSIM_DEMO_TREE, "--poll-idle 5"), TSP8_OK);
	pl.url = pbxsim_url(p, "master");
	pl.session = sh_initialize(pl.url, "_TAPI_", NULL);
	assert_int_equal(sh_drain_dump(pl.url, pl.session), 12);
	assert_int_equal(pthread_create(&t, NULL, poll_thread, &pl), 0);
	usleep(200 * 1000);
	assert_int_equal(pbxsim_cmd(p, NULL, 0, "presence master alice open lunch"), TSP8_OK);
	pthread_join(t, NULL);
	assert_int_equal(pl.users, 1);
	assert_true(pl.elapsed < 2000);
	pbxsim_stop(p);
}

static void test_dump_chunks(void **state)
{
	static const char tree[] =
		"{\"dump_chunk\":3,\"pbxs\":[{\"name\":\"c\",\"objects\":["
		"{\"cn\":\"T\",\"h323\":\"_TAPI_\",\"password\":\"tapi\",\"groups\":[{\"group\":\"g\",\"active\":true}]},"
		"{\"cn\":\"u1\",\"groups\":[{\"group\":\"g\"}]},{\"cn\":\"u2\",\"groups\":[{\"group\":\"g\"}]},"
		"{\"cn\":\"u3\",\"groups\":[{\"group\":\"g\"}]},{\"cn\":\"u4\",\"groups\":[{\"group\":\"g\"}]},"
		"{\"cn\":\"u5\",\"groups\":[{\"group\":\"g\"}]},{\"cn\":\"out\"}]}]}";
	struct pbxsim_proc *p;
	char path[256];
	const char *url;
	int s, sizes[4], total = 0;
	bool end = false;

	(void)state;
	assert_int_equal(pbxsim_write_temp(path, sizeof(path), tree), TSP8_OK);
	assert_int_equal(pbxsim_start(&p, path, "--poll-idle 1"), TSP8_OK);
	url = pbxsim_url(p, "c");
	s = sh_initialize(url, "T", NULL);
	assert_true(s > 0);
	/* 6 objects + the empty-cn marker in chunks of 3: 3, 3, 1 */
	for (int i = 0; i < 3; i++) {
		struct sh_resp r;
		struct sh_user u[8];

		assert_int_equal(sh_poll(url, s, 0, &r), 0);
		sizes[i] = (int)sh_users(r.body, u, 8);
		for (int k = 0; k < sizes[i]; k++) {
			if (!u[k].cn[0])
				end = true;
			else
				assert_string_not_equal(u[k].cn, "out");
		}
		total += sizes[i];
		sh_free(&r);
	}
	assert_int_equal(sizes[0], 3);
	assert_int_equal(sizes[1], 3);
	assert_int_equal(sizes[2], 1);
	assert_int_equal(total, 7);
	assert_true(end);
	pbxsim_stop(p);
	pbxsim_remove_temp(path);
}

static void test_lookups(void **state)
{
	struct pbxsim_proc *p = *state;
	const char *url = pbxsim_url(p, "master");
	struct sh_resp r;
	struct sh_user u[16];
	char inner[512], v[256];
	int s = sh_initialize(url, "_TAPI_", NULL), ua;

	/* FindUser: start position, count, next */
	assert_int_equal(sh_post(url, SH_TAPI,
				 "<inno:FindUser><v501>1</v501><v700>1</v700><v800>1</v800><vx1000>1</vx1000>"
				 "<cn>B</cn><h323/><e164/><count>2</count><next>0</next><nohide>false</nohide>"
				 "</inno:FindUser>", 0, &r), 0);
	assert_int_equal(sh_users(r.body, u, 16), 2);
	assert_string_equal(u[0].cn, "Bernd Müller");
	assert_string_equal(u[1].cn, "Claudia Schäfer");
	sh_free(&r);
	assert_int_equal(sh_post(url, SH_TAPI,
				 "<inno:FindUser><v501>1</v501><v700>1</v700><v800>1</v800><vx1000>1</vx1000>"
				 "<cn/><h323/><e164>29</e164><count>1</count><next>0</next><nohide>false</nohide>"
				 "</inno:FindUser>", 0, &r), 0);
	assert_int_equal(sh_users(r.body, u, 16), 1);
	assert_string_equal(u[0].cn, "Ingrid Lange");
	sh_free(&r);
	/* Devices / Calls / LocationUrl / UserLocalNum / UserFindDestination */
	snprintf(inner, sizeof(inner), "<inno:Devices><session>%d</session><user>Bernd Müller</user>"
		 "</inno:Devices>", s);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	assert_int_equal(sh_count(r.body, "<hw"), 2);
	assert_non_null(strstr(r.body, "myPBX Softphone"));
	sh_free(&r);
	snprintf(inner, sizeof(inner), "<inno:Devices><session>%d</session><user>x</user></inno:Devices>",
		 s + 99);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	assert_int_equal(r.status, 500);
	sh_free(&r);
	assert_int_equal(sh_post(url, SH_TAPI,
				 "<inno:LocationUrl><v501>true</v501><v700>true</v700><v800>true</v800>"
				 "<vx1000>true</vx1000><loc>master</loc><tls>false</tls></inno:LocationUrl>",
				 0, &r), 0);
	assert_true(sh_str(r.body, "return", v, sizeof(v)));
	assert_string_equal(v, url);
	sh_free(&r);
	assert_int_equal(sh_post(url, SH_TAPI,
				 "<inno:LocationUrl><v501>true</v501><v700>true</v700><v800>true</v800>"
				 "<vx1000>true</vx1000><loc>slave9</loc><tls>false</tls></inno:LocationUrl>",
				 0, &r), 0);
	assert_true(sh_str(r.body, "return", v, sizeof(v)));
	assert_string_equal(v, "");
	sh_free(&r);
	ua = sh_user_init(url, s, "Alice Meier", NULL);
	assert_true(ua > 0);
	assert_int_equal(sh_user_init(url, s, "Nobody", NULL), 0);
	snprintf(inner, sizeof(inner), "<inno:UserLocalNum><user>%d</user><num>+4970311234</num>"
		 "</inno:UserLocalNum>", ua);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	assert_true(sh_str(r.body, "return", v, sizeof(v)));
	assert_string_equal(v, "0004970311234");
	sh_free(&r);
	snprintf(inner, sizeof(inner), "<inno:UserFindDestination><user>%d</user><e164>2</e164><h323/>"
		 "</inno:UserFindDestination>", ua);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	assert_true(sh_str(r.body, "return", v, sizeof(v)));
	assert_string_equal(v, "true");
	sh_free(&r);
	/* SetPresence by h323, seen as a UserInfo delta */
	assert_int_equal(sh_drain_dump(url, s), 12);
	assert_int_equal(sh_post(url, SH_TAPI,
				 "<inno:SetPresence><presence><status>closed</status><activity>busy</activity>"
				 "<note>x</note></presence><im>false</im><contact/><guid>*</guid>"
				 "<h323>claudia</h323></inno:SetPresence>", 0, &r), 0);
	assert_true(sh_str(r.body, "return", v, sizeof(v)));
	assert_string_equal(v, "1");
	sh_free(&r);
	assert_int_equal(sh_poll(url, s, 0, &r), 0);
	assert_int_equal(sh_users(r.body, u, 16), 1);
	assert_string_equal(u[0].cn, "Claudia Schäfer");
	assert_string_equal(u[0].presence_status, "closed");
	sh_free(&r);
}

static void test_admin(void **state)
{
	struct pbxsim_proc *p = *state;
	const char *url = pbxsim_url(p, "master");
	struct sh_resp r;
	struct sh_user u[4];
	int s = sh_initialize(url, "_TAPI_", NULL);

	assert_int_equal(sh_drain_dump(url, s), 12);
	/* Admin needs the admin login */
	assert_int_equal(sh_post(url, SH_TAPI, "<inno:Admin><xml>&lt;show&gt;&lt;user cn=\"Eva Köhler\"/&gt;"
				 "&lt;/show&gt;</xml></inno:Admin>", 0, &r), 0);
	assert_int_equal(r.status, 500);
	sh_free(&r);
	assert_int_equal(sh_post(url, SH_ADMIN, "<inno:Admin><xml>&lt;add-attrib&gt;&lt;user cn=\"Eva Köhler\"&gt;"
				 "&lt;cd type=\"cfu\"&gt;&lt;ep e164=\"21\"/&gt;&lt;/cd&gt;&lt;/user&gt;"
				 "&lt;/add-attrib&gt;</xml></inno:Admin>", 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "&lt;ok/&gt;"));
	sh_free(&r);
	assert_int_equal(sh_poll(url, s, 0, &r), 0);
	assert_int_equal(sh_users(r.body, u, 4), 1);
	assert_string_equal(u[0].cn, "Eva Köhler");
	assert_true(u[0].cfg);
	sh_free(&r);
	assert_int_equal(sh_post(url, SH_ADMIN, "<inno:Admin><xml>&lt;show&gt;&lt;user cn=\"Eva Köhler\"/&gt;"
				 "&lt;/show&gt;</xml></inno:Admin>", 0, &r), 0);
	assert_non_null(strstr(r.body, "&lt;cd type="));
	assert_non_null(strstr(r.body, "cfu"));
	assert_non_null(strstr(r.body, "&lt;ep e164="));
	sh_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auth_and_paths),
		cmocka_unit_test(test_initialize_scope),
		cmocka_unit_test(test_echo_end_expiry),
		cmocka_unit_test(test_delta_and_idle),
		cmocka_unit_test(test_poll_wakes_at_once),
		cmocka_unit_test(test_dump_chunks),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_admin),
	};

	return cmocka_run_group_tests(tests, start_demo, stop_sim);
}
