/* FQDN normalisation: table of good and bad inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "pbxtree/fqdn.h"

struct good { const char *in, *url, *host; unsigned port; int tls; };

static const struct good goods[] = {
	{ "pbx", "http://pbx/PBX0/user.soap", "pbx", 80, 0 },
	{ "pbx.example.com", "http://pbx.example.com/PBX0/user.soap", "pbx.example.com", 80, 0 },
	{ "  pbx.example.com\t", "http://pbx.example.com/PBX0/user.soap", "pbx.example.com", 80, 0 },
	{ "192.168.0.1", "http://192.168.0.1/PBX0/user.soap", "192.168.0.1", 80, 0 },
	{ "127.0.0.1:8080", "http://127.0.0.1:8080/PBX0/user.soap", "127.0.0.1", 8080, 0 },
	{ "pbx:80", "http://pbx/PBX0/user.soap", "pbx", 80, 0 },
	{ "http://pbx", "http://pbx/PBX0/user.soap", "pbx", 80, 0 },
	{ "HTTP://pbx/", "http://pbx/PBX0/user.soap", "pbx", 80, 0 },
	{ "https://pbx", "https://pbx/PBX0/user.soap", "pbx", 443, 1 },
	{ "https://pbx:443", "https://pbx/PBX0/user.soap", "pbx", 443, 1 },
	{ "https://pbx:8443/PBX0", "https://pbx:8443/PBX0/user.soap", "pbx", 8443, 1 },
	{ "http://pbx/PBX0/", "http://pbx/PBX0/user.soap", "pbx", 80, 0 },
	{ "http://pbx/PBX0/user.soap", "http://pbx/PBX0/user.soap", "pbx", 80, 0 },
	{ "http://pbx:81/PBX-dyn1", "http://pbx:81/PBX-dyn1/user.soap", "pbx", 81, 0 },
	{ "https://pbx/PBX0-mydynpbxid/user.soap", "https://pbx/PBX0-mydynpbxid/user.soap", "pbx", 443, 1 },
	{ "http://[::1]:8080", "http://[::1]:8080/PBX0/user.soap", "[::1]", 8080, 0 },
	{ "[fe80::1]", "http://[fe80::1]/PBX0/user.soap", "[fe80::1]", 80, 0 },
	{ "https://master.example.com", "https://master.example.com/PBX0/user.soap", "master.example.com", 443, 1 },
	{ "http://pbx:443", "http://pbx:443/PBX0/user.soap", "pbx", 443, 0 },
};

static const char *const bads[] = {
	"", "   ", "ftp://pbx", "pbx:0", "pbx:65536", "pbx:99999x", "pbx:", "http://",
	"http://:80", "user@pbx", "http://user:pw@pbx", "pbx/other", "http://pbx/PBX1",
	"http://pbx/PBX-", "http://pbx/PBX0/x.soap", "http://pbx?x=1", "pbx#frag",
	"pb x", "pbx..example", ".pbx", "pbx.", "[::1", "[zz::1]", "[::1]x", "http://pbx/PBX-a/b/c",
	"http://pbx/PBX-a b", "p\xc3\xbc" "x", "pbx:-1", "http://pbx//PBX0", "\\\\pbx",
};

static void test_good_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		struct fqdn f;
		char why[64] = "";
		int err = fqdn_normalize(goods[i].in, &f, why, sizeof(why));
		if (err != TSP8_OK)
			fail_msg("\"%s\" rejected: %s", goods[i].in, why);
		assert_string_equal(f.url, goods[i].url);
		assert_string_equal(f.host, goods[i].host);
		assert_int_equal(f.port, goods[i].port);
		assert_int_equal(f.tls, goods[i].tls);
	}
}

static void test_bad_inputs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct fqdn f;
		char why[64] = "";
		int err = fqdn_normalize(bads[i], &f, why, sizeof(why));
		if (err != TSP8_EINVAL)
			fail_msg("\"%s\" accepted as %s", bads[i], f.url);
		assert_true(why[0] != '\0');
	}
	struct fqdn f;
	assert_int_equal(fqdn_normalize(NULL, &f, NULL, 0), TSP8_EINVAL);
	assert_int_equal(fqdn_normalize("pbx", NULL, NULL, 0), TSP8_EINVAL);
}

static void test_long_host(void **state)
{
	(void)state;
	char in[FQDN_HOST_MAX + 16];
	memset(in, 'a', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	struct fqdn f;
	assert_int_equal(fqdn_normalize(in, &f, NULL, 0), TSP8_EINVAL);
	in[FQDN_HOST_MAX - 1] = '\0';
	assert_int_equal(fqdn_normalize(in, &f, NULL, 0), TSP8_OK);
	assert_int_equal(strlen(f.host), FQDN_HOST_MAX - 1);
}

static void test_idempotent(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
		struct fqdn a, b;
		assert_int_equal(fqdn_normalize(goods[i].in, &a, NULL, 0), TSP8_OK);
		assert_int_equal(fqdn_normalize(a.url, &b, NULL, 0), TSP8_OK);
		assert_string_equal(a.url, b.url);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_inputs),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_long_host),
		cmocka_unit_test(test_idempotent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
