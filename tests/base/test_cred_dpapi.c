/* Credential protection with DPAPI (base/cred_dpapi.c): round trips,
 * blobs that must not decrypt (TSP8_EAUTH), argument checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <windows.h>
#include <wincrypt.h>

#include "base/cred.h"
#include "base/error.h"

/* True when needle (n bytes) occurs in hay (len bytes). */
static int contains(const unsigned char *hay, size_t len, const char *needle, size_t n)
{
	size_t i;

	for (i = 0; n > 0 && i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

static void round_trip(const char *text)
{
	unsigned char *blob = NULL;
	size_t len = 0;
	char *plain = NULL;

	/* the key path is not used on Windows: any value works */
	assert_int_equal(cred_encrypt("/nonexistent/tsp8.key", text, &blob, &len), TSP8_OK);
	assert_non_null(blob);
	assert_true(len > strlen(text));
	/* the clear text does not appear in the blob */
	if (strlen(text) >= 4)
		assert_false(contains(blob, len, text, strlen(text)));
	assert_int_equal(cred_decrypt(NULL, blob, len, &plain), TSP8_OK);
	assert_string_equal(plain, text);
	free(plain);
	free(blob);
}

static void test_round_trips(void **state)
{
	(void)state;
	round_trip("secret-password");
	round_trip("_TAPI_");
	round_trip("");
	round_trip("p\xc3\xa4ss\xe2\x82\xac");     /* UTF-8 survives as bytes */
}

static void test_blobs_differ(void **state)
{
	unsigned char *a, *b;
	size_t la, lb;

	(void)state;
	/* DPAPI salts every blob: equal passwords are not recognisable */
	assert_int_equal(cred_encrypt(NULL, "same", &a, &la), TSP8_OK);
	assert_int_equal(cred_encrypt(NULL, "same", &b, &lb), TSP8_OK);
	assert_true(la != lb || memcmp(a, b, la) != 0);
	free(a);
	free(b);
}

static void test_bad_blobs(void **state)
{
	static const unsigned char garbage[] = "T8C1 not a DPAPI blob at all, just text";
	unsigned char *blob, *copy;
	size_t len, i;
	char *plain = NULL;

	(void)state;
	assert_int_equal(cred_decrypt(NULL, garbage, sizeof(garbage), &plain), TSP8_EAUTH);
	assert_int_equal(cred_decrypt(NULL, garbage, 0, &plain), TSP8_EAUTH);
	assert_null(plain);

	assert_int_equal(cred_encrypt(NULL, "tamper-me", &blob, &len), TSP8_OK);
	/* cut short */
	assert_int_equal(cred_decrypt(NULL, blob, len - 1, &plain), TSP8_EAUTH);
	assert_int_equal(cred_decrypt(NULL, blob, len / 2, &plain), TSP8_EAUTH);
	/* one changed byte in the encrypted data or its signature (the
	 * last quarter of the blob) */
	copy = malloc(len);
	assert_non_null(copy);
	for (i = len - len / 4; i < len; i += 7) {
		memcpy(copy, blob, len);
		copy[i] ^= 0x5a;
		assert_int_equal(cred_decrypt(NULL, copy, len, &plain), TSP8_EAUTH);
	}
	assert_null(plain);
	free(copy);
	free(blob);
}

/* A blob written by another program that included the terminating NUL
 * (as some tools do) reads the same. */
static void test_terminated_plain_text(void **state)
{
	DATA_BLOB in = { 7, (BYTE *)"abcdef" }, out = { 0, NULL };
	char *plain = NULL;

	(void)state;
	assert_true(CryptProtectData(&in, NULL, NULL, NULL, NULL,
				     CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN, &out));
	assert_int_equal(cred_decrypt(NULL, out.pbData, out.cbData, &plain), TSP8_OK);
	assert_string_equal(plain, "abcdef");
	free(plain);
	LocalFree(out.pbData);
}

static void test_arguments(void **state)
{
	unsigned char *blob;
	size_t len;
	char *plain;

	(void)state;
	assert_int_equal(cred_encrypt(NULL, NULL, &blob, &len), TSP8_EINVAL);
	assert_int_equal(cred_encrypt(NULL, "x", NULL, &len), TSP8_EINVAL);
	assert_int_equal(cred_encrypt(NULL, "x", &blob, NULL), TSP8_EINVAL);
	assert_int_equal(cred_decrypt(NULL, NULL, 3, &plain), TSP8_EINVAL);
	assert_int_equal(cred_decrypt(NULL, (const unsigned char *)"abc", 3, NULL), TSP8_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_blobs_differ),
		cmocka_unit_test(test_bad_blobs),
		cmocka_unit_test(test_terminated_plain_text),
		cmocka_unit_test(test_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
