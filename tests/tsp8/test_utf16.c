/* UTF-8 <-> UTF-16LE at the TAPI boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "tsp8/utf16.h"

static void roundtrip(const char *s, size_t units)
{
	unsigned char w[256];
	size_t n = utf8_to_utf16le(s, w, 127);
	assert_int_equal(n, units);
	w[2 * n] = w[2 * n + 1] = 0;
	char back[256];
	assert_int_equal(utf16_to_utf8((LPCWSTR)w, 128, back, sizeof(back)), 0);
	assert_string_equal(back, s);
}

static void test_roundtrip(void **state)
{
	(void)state;
	roundtrip("", 0);
	roundtrip("abc", 3);
	roundtrip("Bernd Kr\xc3\xbcger", 12);
	roundtrip("\xe2\x82\xac", 1);               /* euro sign */
	roundtrip("x\xf0\x9f\x98\x80y", 4);         /* surrogate pair */
}

static void test_little_endian(void **state)
{
	(void)state;
	unsigned char w[8];
	assert_int_equal(utf8_to_utf16le("\xc3\xbc" "A", w, 4), 2);
	assert_int_equal(w[0], 0xfc);
	assert_int_equal(w[1], 0x00);
	assert_int_equal(w[2], 'A');
	assert_int_equal(w[3], 0);
	/* counting without a buffer */
	assert_int_equal(utf8_to_utf16le("abc", NULL, 0), 3);
	assert_int_equal(utf8_to_utf16le(NULL, NULL, 0), 0);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	unsigned char w[32];
	/* lone continuation, truncated sequence, overlong, surrogate: U+FFFD */
	size_t n = utf8_to_utf16le("\x80" "a\xc3" "\xc0\xaf" "\xed\xa0\x80", w, 16);
	assert_true(n >= 4);
	assert_int_equal(w[0] | w[1] << 8, 0xfffd);
	assert_int_equal(w[2], 'a');
}

static void test_from_tapi(void **state)
{
	(void)state;
	char out[16];
	/* unterminated within the limit */
	unsigned char w[8] = { 'a', 0, 'b', 0, 'c', 0, 'd', 0 };
	assert_int_equal(utf16_to_utf8((LPCWSTR)w, 4, out, sizeof(out)), -1);
	assert_string_equal(out, "");
	/* does not fit */
	unsigned char w2[10] = { 'a', 0, 'b', 0, 'c', 0, 'd', 0, 0, 0 };
	char small[4];
	assert_int_equal(utf16_to_utf8((LPCWSTR)w2, 5, small, sizeof(small)), -1);
	assert_int_equal(utf16_to_utf8((LPCWSTR)w2, 5, out, sizeof(out)), 0);
	assert_string_equal(out, "abcd");
	/* unpaired surrogates */
	unsigned char w3[6] = { 0x00, 0xd8, 'x', 0, 0, 0 };
	assert_int_equal(utf16_to_utf8((LPCWSTR)w3, 3, out, sizeof(out)), 0);
	assert_string_equal(out, "\xef\xbf\xbdx");
	/* NULL string is empty */
	assert_int_equal(utf16_to_utf8(NULL, 3, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(utf16_to_utf8((LPCWSTR)w2, 5, NULL, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_little_endian),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_from_tapi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
