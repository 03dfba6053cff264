/* Line name pattern engine: every code, %%, unknown codes, long names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/error.h"
#include "pbxtree/pattern.h"

static const struct pattern_vars alice = {
	.cn = "Alice Meier", .dn = "Alice", .h323 = "alice", .e164 = "21", .nodenum = "801",
	.device_name = "", .device_hw = "",
	.address = "80121", .host = "pbx.example.com", .port = 80,
	.pbx_reported = "master", .pbx_registered = "branch1",
};

static void expect(const char *pattern, const struct pattern_vars *v, const char *want)
{
	char buf[PATTERN_MAX_OUT];
	assert_int_equal(pattern_expand(pattern, v, buf, sizeof(buf)), TSP8_OK);
	assert_string_equal(buf, want);
}

static void test_every_code(void **state)
{
	(void)state;
	expect("%c", &alice, "Alice Meier");
	expect("%C", &alice, "Alice Meier");
	expect("%d", &alice, "Alice");
	expect("%D", &alice, "Alice");
	expect("%h", &alice, "alice");
	expect("%H", &alice, "alice");
	expect("%t", &alice, "");
	expect("%T", &alice, "");
	expect("%e", &alice, "21");
	expect("%E", &alice, "80121");
	expect("%N", &alice, "80121");
	expect("%n", &alice, "pbx.example.com");
	expect("%p", &alice, "");
	expect("%P", &alice, "80");
	expect("%u", &alice, "alice@pbx.example.com");
	expect("%U", &alice, "h323:alice@pbx.example.com:80");
	expect("%x", &alice, "master");
	expect("%X", &alice, "branch1");
}

static void test_default_pattern(void **state)
{
	(void)state;
	expect(NULL, &alice, "Alice Meier (master)");
	expect("", &alice, "Alice Meier (master)");
	expect(PATTERN_DEFAULT, &alice, "Alice Meier (master)");
}

static void test_device_codes(void **state)
{
	(void)state;
	struct pattern_vars v = alice;
	v.device_name = "IP232";
	v.device_hw = "0090330E0021";
	expect("%C", &v, "Alice Meier [IP232]");
	expect("%D", &v, "Alice [IP232]");
	expect("%H", &v, "alice [IP232]");
	expect("%t/%T", &v, "IP232/0090330E0021");
	/* a device named like the object adds nothing */
	v.device_name = "Alice Meier";
	expect("%C", &v, "Alice Meier");
	expect("%D", &v, "Alice [Alice Meier]");
}

static void test_port_codes(void **state)
{
	(void)state;
	struct pattern_vars v = alice;
	v.port = 8080;
	expect("%n%p", &v, "pbx.example.com:8080");
	expect("%P", &v, "8080");
	expect("%U", &v, "h323:alice@pbx.example.com:8080");
	v.port = 443;
	expect("%p", &v, ":443");
}

static void test_literals(void **state)
{
	(void)state;
	expect("100%%", &alice, "100%");
	expect("%%c", &alice, "%c");
	expect("a%qb", &alice, "a%qb");       /* unknown code kept */
	expect("%z%c", &alice, "%zAlice Meier");
	expect("end%", &alice, "end%");       /* trailing lone '%' */
	expect("%", &alice, "%");
	expect("%%%", &alice, "%%");
	expect("plain text", &alice, "plain text");
	expect("%\xc3\xbc", &alice, "%\xc3\xbc"); /* '%' before a UTF-8 char */
	expect("[%e] %c <%x>", &alice, "[21] Alice Meier <master>");
}

static void test_null_values(void **state)
{
	(void)state;
	struct pattern_vars v = { 0 };
	expect("%c|%C|%d|%D|%h|%H|%t|%T|%e|%E|%N|%n|%x|%X|%u", &v, "||||||||||||||@");
}

static void test_long_names(void **state)
{
	(void)state;
	char longcn[3000];
	memset(longcn, 'a', sizeof(longcn) - 1);
	longcn[sizeof(longcn) - 1] = '\0';
	struct pattern_vars v = alice;
	v.cn = longcn;
	char buf[PATTERN_MAX_OUT];
	assert_int_equal(pattern_expand("%C (%x)", &v, buf, sizeof(buf)), TSP8_ELIMIT);
	assert_int_equal(strlen(buf), PATTERN_MAX_OUT - 1);

	/* cut never splits a UTF-8 character: 2-byte characters into an odd
	 * number of bytes */
	char umlauts[41];
	for (int i = 0; i < 20; i++)
		memcpy(umlauts + 2 * i, "\xc3\xbc", 2);
	umlauts[40] = '\0';
	v.cn = umlauts;
	char small[8];
	assert_int_equal(pattern_expand("%c", &v, small, sizeof(small)), TSP8_ELIMIT);
	assert_string_equal(small, "\xc3\xbc\xc3\xbc\xc3\xbc");
	/* literal text is cut the same way */
	assert_int_equal(pattern_expand("x\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc", &v, small, sizeof(small)),
			 TSP8_ELIMIT);
	assert_string_equal(small, "x\xc3\xbc\xc3\xbc\xc3\xbc");
	/* exact fit is not a cut */
	char fit[7];
	assert_int_equal(pattern_expand("%e%e%e", &alice, fit, sizeof(fit)), TSP8_OK);
	assert_string_equal(fit, "212121");
}

static void test_bad_args(void **state)
{
	(void)state;
	char buf[4];
	assert_int_equal(pattern_expand("%c", NULL, buf, sizeof(buf)), TSP8_EINVAL);
	assert_int_equal(pattern_expand("%c", &alice, NULL, 4), TSP8_EINVAL);
	assert_int_equal(pattern_expand("%c", &alice, buf, 0), TSP8_EINVAL);
	char one[1];
	assert_int_equal(pattern_expand("%c", &alice, one, 1), TSP8_ELIMIT);
	assert_string_equal(one, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code),
		cmocka_unit_test(test_default_pattern),
		cmocka_unit_test(test_device_codes),
		cmocka_unit_test(test_port_codes),
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_null_values),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_bad_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
