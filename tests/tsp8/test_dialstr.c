/* lineMakeCall destination validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "tsp8/dialstr.h"

static void ok(const char *in, const char *want)
{
	char out[DIALSTR_MAX];
	LONG rc = dialstr_clean(in, out, sizeof(out));
	if (rc != 0)
		fail_msg("\"%s\" rejected with %#x", in ? in : "(null)", (unsigned)rc);
	assert_string_equal(out, want);
}

static void bad(const char *in, DWORD want)
{
	char out[DIALSTR_MAX];
	LONG rc = dialstr_clean(in, out, sizeof(out));
	if (rc != (LONG)want)
		fail_msg("\"%s\": got %#x want %#x (out \"%s\")", in ? in : "(null)", (unsigned)rc, (unsigned)want, out);
}

static void test_numbers(void **state)
{
	(void)state;
	ok("22", "22");
	ok("T22", "22");
	ok("P0301234567", "0301234567");
	ok("t 030 1234", "0301234");
	ok("(030) 123-45 67", "0301234567");
	ok("0,0301234567", "00301234567");        /* pause removed */
	ok("+49 30 1234567", "+49301234567");
	ok("*21#", "*21#");
	ok("  22  ", "22");
	ok("22|4711^Someone", "22");              /* subaddress and name dropped */
	ok("22\r\n23", "22");                     /* only the first address */
	ok("T+4930", "+4930");
	ok("1A2B", "1A2B");                       /* DTMF letters */
}

static void test_names(void **state)
{
	(void)state;
	ok("bernd", "bernd");
	ok("Bernd Kr\xc3\xbcger", "Bernd Kr\xc3\xbcger");
	ok("alice@example.com", "alice@example.com"); /* a SIP URI, not a quiet-answer '@' */
	ok("Peter", "Peter");                     /* no T/P stripping in names */
	ok("bad", "bad");                         /* DTMF letters without digits */
}

static void test_modifiers(void **state)
{
	(void)state;
	bad("0W22", LINEERR_DIALDIALTONE);
	bad("0w22", LINEERR_DIALDIALTONE);
	bad("22@", LINEERR_DIALQUIET);
	bad("22$", LINEERR_DIALBILLING);
	bad("22?", LINEERR_DIALPROMPT);
	bad("!22", LINEERR_INVALADDRESS);
	bad("22;", LINEERR_OPERATIONUNAVAIL);     /* partial dial: later issue */
	bad("2;2", LINEERR_INVALADDRESS);
	bad("2+2", LINEERR_INVALADDRESS);
}

static void test_empty(void **state)
{
	(void)state;
	bad(NULL, LINEERR_OPERATIONUNAVAIL);
	bad("", LINEERR_OPERATIONUNAVAIL);
	bad("   ", LINEERR_INVALADDRESS);
	bad("|4711", LINEERR_INVALADDRESS);
	bad("^name", LINEERR_INVALADDRESS);
	bad("T", LINEERR_INVALADDRESS);           /* only a tone switch */
	bad("T P -()", LINEERR_INVALADDRESS);
}

static void test_limits(void **state)
{
	(void)state;
	char longnum[DIALSTR_MAX + 10];
	memset(longnum, '1', sizeof(longnum) - 1);
	longnum[sizeof(longnum) - 1] = '\0';
	bad(longnum, LINEERR_INVALADDRESS);
	char out[4];
	assert_int_equal(dialstr_clean("12345", out, sizeof(out)), (LONG)LINEERR_INVALADDRESS);
	assert_int_equal(dialstr_clean("123", NULL, 4), (LONG)LINEERR_INVALPOINTER);
	assert_int_equal(dialstr_clean("123", out, sizeof(out)), 0);
	assert_string_equal(out, "123");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
