/* tsp8_strerror: a distinct, non-empty text for every code; a fixed text
 * for anything else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"

static void test_every_code_has_text(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < TSP8_ERR_COUNT; i++) {
		const char *s = tsp8_strerror(i);

		assert_non_null(s);
		assert_true(strlen(s) > 0);
		assert_string_not_equal(s, "unknown error");
		for (j = 0; j < i; j++)
			assert_string_not_equal(s, tsp8_strerror(j));
	}
}

static void test_specific_texts(void **state)
{
	(void)state;
	assert_string_equal(tsp8_strerror(TSP8_OK), "success");
	assert_string_equal(tsp8_strerror(TSP8_ESYNTAX), "syntax error");
	assert_string_equal(tsp8_strerror(TSP8_ENOMEM), "out of memory");
}

static void test_unknown_codes(void **state)
{
	(void)state;
	assert_string_equal(tsp8_strerror(-1), "unknown error");
	assert_string_equal(tsp8_strerror(TSP8_ERR_COUNT), "unknown error");
	assert_string_equal(tsp8_strerror(100000), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code_has_text),
		cmocka_unit_test(test_specific_texts),
		cmocka_unit_test(test_unknown_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
