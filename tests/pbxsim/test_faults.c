/* pbxsim black-box tests: injected faults, stop/start on the same port and
 * wire-variance switches. */
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

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int start_demo(void **state)
{
	struct pbxsim_proc *p;

	assert_int_equal(pbxsim_start(&p, PBXSIM_DEMO_TREE, "--poll-idle 5"), TSP8_OK);
	*state = p;
	return 0;
}

static int stop_sim(void **state)
{
	pbxsim_stop(*state);
	return 0;
}

static long version_status(const char *url, char **body)
{
	struct sh_resp r;
	long st;

	if (sh_post(url, SH_TAPI, "<inno:Version/>", 0, &r) != 0) {
		sh_free(&r);
		return -1;
	}
	st = r.status;
	if (body)
		*body = r.body;
	else
		sh_free(&r);
	return st;
}

static void test_http500_garbage_stall(void **state)
{
	struct pbxsim_proc *p = *state;
	const char *url = pbxsim_url(p, "master");
	char *body = NULL;
	long long t0;

	assert_int_equal(pbxsim_cmd(p, NULL, 0, "fault master http500 2"), TSP8_OK);
	assert_int_equal(version_status(url, &body), 500);
	assert_non_null(strstr(body, "<faultstring>"));
	free(body);
	assert_int_equal(version_status(url, NULL), 500);
	assert_int_equal(version_status(url, NULL), 200);

	assert_int_equal(pbxsim_cmd(p, NULL, 0, "fault master garbage 1"), TSP8_OK);
	assert_int_equal(version_status(url, &body), 200);
	assert_null(strstr(body, "</SOAP-ENV:Envelope>"));
	assert_non_null(strstr(body, "<SOAP-ENV:Envelope"));
	free(body);
	assert_int_equal(version_status(url, &body), 200);
	assert_non_null(strstr(body, "</SOAP-ENV:Envelope>"));
	free(body);

	assert_int_equal(pbxsim_cmd(p, NULL, 0, "fault master stall 400"), TSP8_OK);
	t0 = ms_now();
	assert_int_equal(version_status(url, NULL), 200);
	assert_true(ms_now() - t0 >= 380);
	assert_int_equal(pbxsim_cmd(p, NULL, 0, "fault master http500 5"), TSP8_OK);
	assert_int_equal(pbxsim_cmd(p, NULL, 0, "fault master clear"), TSP8_OK);
	t0 = ms_now();
	assert_int_equal(version_status(url, NULL), 200);
	assert_true(ms_now() - t0 < 380);
}

struct poller {
	const char *url;
	int session;
	int rc;
	long status;
	long long elapsed;
};

static void *poll_thread(void *arg)
{
	struct poller *pl = arg;
	struct sh_resp r;
	long long t0 = ms_now();

	pl->rc = sh_poll(pl->url, pl->session, 20000, &r);
	pl->status = r.status;
	pl->elapsed = ms_now() - t0;
	sh_free(&r);
	return NULL;
}

static void test_drop_connections(void **state)
{
	struct pbxsim_proc *p = *state;
	struct poller pl = { .url = pbxsim_url(p, "master") };
	pthread_t t;
	int key;

	pl.session = sh_initialize(pl.url, "_TAPI_", &key);
	assert_int_equal(sh_drain_dump(pl.url, pl.session), 12);
	assert_int_equal(pthread_create(&t, NULL, poll_thread, &pl), 0);
	usleep(300 * 1000);
	assert_int_equal(pbxsim_cmd(p, NULL, 0, "fault master drop-connections"), TSP8_OK);
	pthread_join(t, NULL);
	assert_int_equal(pl.rc, -1); /* connection closed without an answer */
	assert_true(pl.elapsed < 3000);
	/* The session itself survives (expiry 10 s). */
	{
		struct sh_resp r;
		char inner[128];
		int v = 0;

		snprintf(inner, sizeof(inner), "<innob:Echo><session>%d</session><key>%d</key></innob:Echo>",
			 pl.session, key);
		assert_int_equal(sh_post(pl.url, SH_TAPI, inner, 0, &r), 0);
		sh_int(r.body, "return", &v);
		assert_true(v != 0);
		sh_free(&r);
	}
}

static void test_invalidate_sessions(void **state)
{
	struct pbxsim_proc *p = *state;
	const char *url = pbxsim_url(p, "master");
	struct sh_resp r;
	char inner[128], reply[256];
	int key, s = sh_initialize(url, "_TAPI_", &key), v = -1;

	assert_true(s > 0);
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "sessions master"), TSP8_OK);
	assert_non_null(strstr(reply, "\"user\":\"_TAPI_\""));
	assert_int_equal(pbxsim_cmd(p, NULL, 0, "fault master invalidate-sessions"), TSP8_OK);
	snprintf(inner, sizeof(inner), "<innob:Echo><session>%d</session><key>%d</key></innob:Echo>", s,
		 key);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	sh_int(r.body, "return", &v);
	assert_int_equal(v, 0);
	sh_free(&r);
	assert_int_equal(sh_poll(url, s, 0, &r), 0);
	assert_int_equal(r.status, 500);
	assert_non_null(strstr(r.body, "Fault"));
	sh_free(&r);
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "sessions master"), TSP8_OK);
	assert_string_equal(reply, "ok []");
}

static void test_stop_start_same_port(void **state)
{
	struct pbxsim_proc *p = *state;
	const char *url = pbxsim_url(p, "master");
	char reply[128], expect[64];
	struct sh_resp r;
	char inner[128];
	int key, s = sh_initialize(url, "_TAPI_", &key), v = 0;

	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "stop master"), TSP8_OK);
	snprintf(expect, sizeof(expect), "ok stopped %u", pbxsim_port(p, "master"));
	assert_string_equal(reply, expect);
	assert_int_equal(version_status(url, NULL), -1);
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "stop master"), TSP8_EREFUSED);
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "start master"), TSP8_OK);
	snprintf(expect, sizeof(expect), "ok listening %u", pbxsim_port(p, "master"));
	assert_string_equal(reply, expect);
	assert_int_equal(version_status(url, NULL), 200);
	/* back before expiry: the session is still there */
	snprintf(inner, sizeof(inner), "<innob:Echo><session>%d</session><key>%d</key></innob:Echo>", s,
		 key);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	sh_int(r.body, "return", &v);
	assert_true(v != 0);
	sh_free(&r);
}

static void test_wire_variance(void **state)
{
	static const char tree[] =
		"{\"pbxs\":[{\"name\":\"w\",\"wire\":{\"array_members\":\"container\",\"order\":\"early\","
		"\"extra_elements\":true},\"objects\":["
		"{\"cn\":\"T\",\"h323\":\"_TAPI_\",\"password\":\"tapi\",\"groups\":[{\"group\":\"g\",\"active\":true}]},"
		"{\"cn\":\"A\",\"h323\":\"a\",\"e164\":\"1\",\"groups\":[{\"group\":\"g\"}],"
		" \"devices\":[{\"hw\":\"H\"}],\"registered\":[\"H\"]},"
		"{\"cn\":\"B\",\"h323\":\"b\",\"e164\":\"2\",\"groups\":[{\"group\":\"g\"}],"
		" \"devices\":[{\"hw\":\"K\"}],\"registered\":[\"K\"]}]}]}";
	struct pbxsim_proc *p;
	char path[256];
	const char *url, *guid, *active;
	struct sh_resp r;
	struct sh_call c[8];
	int s;

	(void)state;
	assert_int_equal(pbxsim_write_temp(path, sizeof(path), tree), TSP8_OK);
	assert_int_equal(pbxsim_start(&p, path, "--poll-idle 1"), TSP8_OK);
	url = pbxsim_url(p, "w");
	s = sh_initialize(url, "T", NULL);
	assert_true(s > 0);
	assert_int_equal(sh_poll(url, s, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<user xsi:type=\"inno:UserInfo\">"));
	assert_non_null(strstr(r.body, "<groups xsi:type=\"inno:Group\">"));
	assert_null(strstr(r.body, "<item xsi:type=\"inno:UserInfo\""));
	assert_null(strstr(r.body, "SOAP-ENC:position"));
	assert_non_null(strstr(r.body, "<xSimExtra"));
	guid = strstr(r.body, "<guid");
	active = strstr(r.body, "<active");
	assert_true(guid && active && guid < active);
	sh_free(&r);
	sh_user_init(url, s, "A", NULL);
	assert_int_equal(pbxsim_cmd(p, NULL, 0, "dial w a 2"), TSP8_OK);
	assert_int_equal(sh_poll(url, s, 0, &r), 0);
	assert_non_null(strstr(r.body, "<call xsi:type=\"inno:CallInfo\">"));
	assert_non_null(strstr(r.body, "<No xsi:type=\"inno:No\">"));
	assert_non_null(strstr(r.body, "<item xsi:type=\"inno:Info\">"));
	assert_int_equal(sh_calls(r.body, c, 8), 2);
	assert_string_equal(c[1].msg, "x-alert");
	assert_string_equal(c[1].peer_cn, "B");
	sh_free(&r);
	/* Devices answers use "device" members */
	{
		char inner[128];

		snprintf(inner, sizeof(inner), "<inno:Devices><session>%d</session><user>A</user></inno:Devices>",
			 s);
		assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
		assert_non_null(strstr(r.body, "<device xsi:type=\"inno:Device\">"));
		sh_free(&r);
	}
	pbxsim_stop(p);
	pbxsim_remove_temp(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http500_garbage_stall),
		cmocka_unit_test(test_drop_connections),
		cmocka_unit_test(test_invalidate_sessions),
		cmocka_unit_test(test_stop_start_same_port),
		cmocka_unit_test(test_wire_variance),
	};

	return cmocka_run_group_tests(tests, start_demo, stop_sim);
}
