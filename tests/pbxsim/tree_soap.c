/* pbxsim tree tests: SOAP helpers (see tree_soap.h). */
#include "tree_soap.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

size_t ts_dump(const char *url, int s, struct sh_user *out, size_t max)
{
	size_t n = 0;

	for (int round = 0; round < 2000; round++) {
		struct sh_resp r;
		struct sh_user u[TS_MAX_USERS * 2];
		size_t k;

		assert_int_equal(sh_poll(url, s, 0, &r), 0);
		assert_int_equal(r.status, 200);
		k = sh_users(r.body, u, TS_MAX_USERS * 2);
		sh_free(&r);
		for (size_t i = 0; i < k; i++) {
			if (!u[i].cn[0])
				return n;
			if (n < max)
				out[n] = u[i];
			n++;
		}
	}
	fail_msg("no end of dump");
	return n;
}

const struct sh_user *ts_find(const struct sh_user *u, size_t n, const char *cn)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(u[i].cn, cn) == 0)
			return &u[i];
	return NULL;
}

/* One Poll of session s; its UserInfo records into u (TS_MAX_USERS). */
static size_t poll_users(const char *url, int s, struct sh_user *u)
{
	struct sh_resp r;

	assert_int_equal(sh_poll(url, s, 0, &r), 0);
	assert_int_equal(r.status, 200);
	size_t k = sh_users(r.body, u, TS_MAX_USERS);
	sh_free(&r);
	return k;
}

bool ts_wait_user(const char *url, int s, const char *cn, bool active, int state,
		  long timeout_ms, struct sh_user *out)
{
	long long end = ms_now() + timeout_ms;

	while (ms_now() < end) {
		struct sh_user u[TS_MAX_USERS];
		size_t k = poll_users(url, s, u);

		for (size_t i = 0; i < k; i++)
			if (strcmp(u[i].cn, cn) == 0 && u[i].active == active &&
			    (state < 0 || u[i].state == state)) {
				if (out)
					*out = u[i];
				return true;
			}
	}
	return false;
}

int ts_count_user(const char *url, int s, const char *cn, long ms)
{
	long long end = ms_now() + ms;
	int n = 0;

	while (ms_now() < end) {
		struct sh_user u[TS_MAX_USERS];
		size_t k = poll_users(url, s, u);

		for (size_t i = 0; i < k; i++)
			n += strcmp(u[i].cn, cn) == 0;
	}
	return n;
}

size_t ts_wait_calls(const char *url, int s, int user, size_t want, struct sh_call *out,
		     size_t max)
{
	size_t n = 0, mine = 0;

	for (int i = 0; i < 8 && mine < want; i++) {
		struct sh_resp r;
		size_t k;

		assert_int_equal(sh_poll(url, s, 0, &r), 0);
		assert_int_equal(r.status, 200);
		k = sh_calls(r.body, out + n, max - n);
		sh_free(&r);
		for (size_t j = n; j < n + k; j++)
			mine += out[j].user == user;
		n += k;
	}
	return n;
}

void ts_location_url(const char *url, const char *loc, char *out, size_t len)
{
	char inner[512];
	struct sh_resp r;

	snprintf(inner, sizeof(inner),
		 "<inno:LocationUrl><v501>true</v501><v700>true</v700><v800>true</v800>"
		 "<vx1000>true</vx1000><loc>%s</loc><tls>false</tls></inno:LocationUrl>", loc);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	assert_int_equal(r.status, 200);
	out[0] = '\0';
	assert_true(sh_str(r.body, "return", out, len));
	sh_free(&r);
}

int ts_init(const char *url, int *key)
{
	return sh_initialize(url, "_TAPI_", key);
}

int ts_echo(const char *url, int s, int key)
{
	char inner[256];
	struct sh_resp r;
	int v = -1;

	snprintf(inner, sizeof(inner),
		 "<innob:Echo><session>%d</session><key>%d</key></innob:Echo>", s, key);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(sh_int(r.body, "return", &v));
	sh_free(&r);
	return v;
}

char *ts_devices(const char *url, int s, const char *cn)
{
	char inner[512];
	struct sh_resp r;

	snprintf(inner, sizeof(inner), "<inno:Devices><session>%d</session><user>%s</user>"
		 "</inno:Devices>", s, cn);
	if (sh_post(url, SH_TAPI, inner, 0, &r) != 0 || r.status != 200) {
		sh_free(&r);
		return NULL;
	}
	return r.body;
}

int ts_calls_count(const char *url, int s, const char *cn)
{
	char inner[512];
	struct sh_resp r;
	struct sh_call c[8];
	int n;

	snprintf(inner, sizeof(inner), "<inno:Calls><session>%d</session><user>%s</user>"
		 "</inno:Calls>", s, cn);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	assert_int_equal(r.status, 200);
	n = (int)sh_calls(r.body, c, 8);
	sh_free(&r);
	return n;
}

int ts_user_call(const char *url, int user, const char *e164)
{
	char inner[512];
	struct sh_resp r;
	int h = -1;

	snprintf(inner, sizeof(inner), "<inno:UserCall><user>%d</user><cn></cn><e164>%s</e164>"
		 "<h323></h323><reg>0</reg><rc>0</rc><srce164></srce164></inno:UserCall>", user,
		 e164);
	assert_int_equal(sh_post(url, SH_TAPI, inner, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(sh_int(r.body, "return", &h));
	sh_free(&r);
	return h;
}
