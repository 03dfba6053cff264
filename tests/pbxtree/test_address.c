/* Line address rules: node number + extension, PureNodeExtensions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/error.h"
#include "pbxtree/address.h"

static void expect(const char *nodenum, const char *e164, bool pure, const char *want)
{
	char buf[64];
	assert_int_equal(line_address(nodenum, e164, pure, buf, sizeof(buf)), TSP8_OK);
	assert_string_equal(buf, want);
}

static void test_rules(void **state)
{
	(void)state;
	expect("801", "42", false, "80142");   /* the reference's example */
	expect("801", "42", true, "42");       /* PureNodeExtensions */
	expect("", "42", false, "42");         /* no node number */
	expect(NULL, "42", false, "42");
	expect("801", "", false, "");          /* no extension: no address */
	expect("801", NULL, false, "");
	expect("", "", true, "");
	expect("", "0", false, "0");           /* trunk line */
}

static void test_limits(void **state)
{
	(void)state;
	char small[5];
	assert_int_equal(line_address("801", "42", false, small, sizeof(small)), TSP8_ELIMIT);
	assert_string_equal(small, "");
	char fit[6];
	assert_int_equal(line_address("801", "42", false, fit, sizeof(fit)), TSP8_OK);
	assert_string_equal(fit, "80142");
	assert_int_equal(line_address("1", "2", false, NULL, 4), TSP8_EINVAL);
	assert_int_equal(line_address("1", "2", false, fit, 0), TSP8_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
