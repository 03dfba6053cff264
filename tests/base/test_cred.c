/* Credential protection (base/cred.h, OpenSSL): round trips, tampering,
 * foreign keys, key file creation. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/cred.h"
#include "base/error.h"
#include "test_util.h"

struct fixture {
	char *dir;
	char *key;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = tu_mkdtemp();
	f->key = tu_path(f->dir, "tsp8.key");
	*state = f;
	return f->dir ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tu_rmtree(f->dir);
	free(f->dir);
	free(f->key);
	free(f);
	return 0;
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	unsigned char *blob, *blob2;
	size_t len, len2, klen;
	char *plain, *key;

	assert_int_equal(cred_encrypt(f->key, "s3cr3t \xc3\xa4", &blob, &len), TSP8_OK);
	/* the key file appeared: 32 bytes, owner only */
	assert_int_equal(tu_file_mode(f->key), 0600);
	key = tu_read_file(f->key, &klen);
	assert_int_equal(klen, 32);
	free(key);
	assert_int_equal(len, 4 + 12 + 16 + strlen("s3cr3t \xc3\xa4"));
	assert_memory_equal(blob, "T8C1", 4);
	assert_int_equal(cred_decrypt(f->key, blob, len, &plain), TSP8_OK);
	assert_string_equal(plain, "s3cr3t \xc3\xa4");
	free(plain);

	/* a fresh IV each time */
	assert_int_equal(cred_encrypt(f->key, "s3cr3t \xc3\xa4", &blob2, &len2), TSP8_OK);
	assert_int_equal(len, len2);
	assert_memory_not_equal(blob, blob2, len);
	free(blob2);
	free(blob);

	/* empty secrets work too */
	assert_int_equal(cred_encrypt(f->key, "", &blob, &len), TSP8_OK);
	assert_int_equal(cred_decrypt(f->key, blob, len, &plain), TSP8_OK);
	assert_string_equal(plain, "");
	free(plain);
	free(blob);
}

static void test_tampered_blob(void **state)
{
	struct fixture *f = *state;
	unsigned char *blob;
	size_t len, i;
	char *plain = NULL;

	assert_int_equal(cred_encrypt(f->key, "password", &blob, &len), TSP8_OK);
	for (i = 0; i < len; i++) {
		blob[i] ^= 0x01;
		assert_int_equal(cred_decrypt(f->key, blob, len, &plain), TSP8_EAUTH);
		assert_null(plain);
		blob[i] ^= 0x01;
	}
	for (i = 0; i < len; i++)
		assert_int_equal(cred_decrypt(f->key, blob, i, &plain), TSP8_EAUTH);
	assert_int_equal(cred_decrypt(f->key, blob, len, &plain), TSP8_OK);
	free(plain);
	free(blob);
}

static void test_wrong_key_file(void **state)
{
	struct fixture *f = *state;
	char *other = tu_path(f->dir, "other.key"), *missing = tu_path(f->dir, "missing.key");
	unsigned char *blob, *b2;
	size_t len, l2;
	char *plain = NULL;

	assert_int_equal(cred_encrypt(f->key, "password", &blob, &len), TSP8_OK);
	assert_int_equal(cred_encrypt(other, "x", &b2, &l2), TSP8_OK);  /* makes other.key */
	free(b2);
	assert_int_equal(cred_decrypt(other, blob, len, &plain), TSP8_EAUTH);
	assert_null(plain);
	/* no key at all: cannot be ours; and decrypting creates no key */
	assert_int_equal(cred_decrypt(missing, blob, len, &plain), TSP8_EAUTH);
	assert_int_equal(tu_file_mode(missing), -1);
	/* a damaged key file is an I/O problem, not a wrong password */
	assert_int_equal(tu_write_file(other, "short", 5), 0);
	assert_int_equal(cred_decrypt(other, blob, len, &plain), TSP8_EIO);
	assert_int_equal(cred_encrypt(other, "x", &b2, &l2), TSP8_EIO);
	free(blob);
	free(other);
	free(missing);
}

static void test_default_key_beside_config(void **state)
{
	struct fixture *f = *state;
	char *cfg = tu_path(f->dir, "tsp8.reg");
	unsigned char *blob;
	size_t len;
	char *plain;

	setenv("TSP8_CONFIG", cfg, 1);
	assert_int_equal(cred_encrypt(NULL, "pw", &blob, &len), TSP8_OK);
	assert_int_equal(tu_file_mode(f->key), 0600);
	assert_int_equal(cred_decrypt(f->key, blob, len, &plain), TSP8_OK);
	assert_string_equal(plain, "pw");
	unsetenv("TSP8_CONFIG");
	free(plain);
	free(blob);
	free(cfg);
}

static void test_bad_arguments(void **state)
{
	struct fixture *f = *state;
	unsigned char *blob;
	size_t len;
	char *plain;

	assert_int_equal(cred_encrypt(f->key, NULL, &blob, &len), TSP8_EINVAL);
	assert_int_equal(cred_encrypt(f->key, "x", NULL, &len), TSP8_EINVAL);
	assert_int_equal(cred_decrypt(f->key, NULL, 10, &plain), TSP8_EINVAL);
	assert_int_equal(cred_decrypt(f->key, (const unsigned char *)"T8C1", 4, NULL), TSP8_EINVAL);
	/* a key file in a directory that does not exist */
	assert_int_not_equal(cred_encrypt("/nonexistent/dir/tsp8.key", "x", &blob, &len), TSP8_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_blob, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_key_beside_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
