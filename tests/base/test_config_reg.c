/* The REGEDIT4 parser and writer (base/config_reg.h): value types, escapes,
 * case rules, both encodings of the (R) sign, verbatim preservation, and a
 * table of malformed inputs. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/config_reg.h"
#include "base/error.h"

#define KEY "HKEY_LOCAL_MACHINE\\" CFG_PROVIDER_KEY
#define KEY_LATIN1 "HKEY_LOCAL_MACHINE\\SOFTWARE\\innovaphone\\innovaphone\xae PBX V8 TAPI Service Provider"

static const char sample[] =
	"REGEDIT4\n"
	"\n"
	"; provider settings\n"
	"[" KEY "]\n"
	"\"TapiUser\"=\"_TAPI_\"                 ; REG_SZ, the PBX object\n"
	"\"Path\"=\"C:\\\\tsp\\\\\\\"quoted\\\"\"\n"
	"\"TraceLevel\"=dword:04000400\n"
	"\"admin1\"=hex:01,02,03,fe,\\\n"
	"  ff,00\n"
	"@=\"default value\"\n"
	"\"Empty\"=\"\"\n"
	"\"NoBytes\"=hex:\n"
	"\n"
	"[" KEY "\\FQDN]\n"
	"\"0\"=\"https://master.example.com\"\n";

static struct reg_doc *parse_ok(const char *text)
{
	struct reg_doc *d = NULL;
	char err[256];
	int rc = reg_doc_parse(&d, text, strlen(text), err, sizeof(err));

	if (rc != TSP8_OK)
		fail_msg("parse failed: %s (%s)", tsp8_strerror(rc), err);
	return d;
}

static void expect_sz(struct reg_doc *d, const char *key, const char *name, const char *want)
{
	const void *data;
	size_t len;
	int type;

	assert_int_equal(reg_doc_get(d, key, name, &type, &data, &len), TSP8_OK);
	assert_int_equal(type, CFG_SZ);
	assert_int_equal(len, strlen(want));
	assert_string_equal((const char *)data, want);
}

static void expect_dword(struct reg_doc *d, const char *key, const char *name, uint32_t want)
{
	const void *data;
	size_t len;
	uint32_t v;
	int type;

	assert_int_equal(reg_doc_get(d, key, name, &type, &data, &len), TSP8_OK);
	assert_int_equal(type, CFG_DWORD);
	assert_int_equal(len, 4);
	memcpy(&v, data, 4);
	assert_int_equal(v, want);
}

static void test_parse_all_types(void **state)
{
	struct reg_doc *d = parse_ok(sample);
	static const unsigned char bytes[] = { 1, 2, 3, 0xfe, 0xff, 0 };
	const void *data;
	size_t len;
	int type;

	(void)state;
	expect_sz(d, KEY, "TapiUser", "_TAPI_");
	expect_sz(d, KEY, "Path", "C:\\tsp\\\"quoted\"");
	expect_dword(d, KEY, "TraceLevel", 0x04000400);
	assert_int_equal(reg_doc_get(d, KEY, "admin1", &type, &data, &len), TSP8_OK);
	assert_int_equal(type, CFG_BINARY);
	assert_int_equal(len, sizeof(bytes));
	assert_memory_equal(data, bytes, sizeof(bytes));
	expect_sz(d, KEY, "", "default value");
	expect_sz(d, KEY, "Empty", "");
	assert_int_equal(reg_doc_get(d, KEY, "NoBytes", &type, &data, &len), TSP8_OK);
	assert_int_equal(type, CFG_BINARY);
	assert_int_equal(len, 0);
	expect_sz(d, KEY "\\FQDN", "0", "https://master.example.com");
	assert_int_equal(reg_doc_get(d, KEY, "missing", NULL, NULL, NULL), TSP8_ENOTFOUND);
	assert_int_equal(reg_doc_get(d, KEY "\\Other", "0", NULL, NULL, NULL), TSP8_ENOTFOUND);
	reg_doc_destroy(d);
}

static void test_unchanged_round_trip_is_verbatim(void **state)
{
	struct reg_doc *d = parse_ok(sample);
	char *out;
	size_t len;

	(void)state;
	assert_int_equal(reg_doc_write(d, &out, &len), TSP8_OK);
	assert_int_equal(len, strlen(sample));
	assert_string_equal(out, sample);
	free(out);
	reg_doc_destroy(d);
}

static void test_written_values_read_back(void **state)
{
	struct reg_doc *d, *d2;
	unsigned char blob[300];
	const void *data;
	size_t len, i;
	uint32_t v = 0xdeadbeef;
	char *out;
	int type;

	(void)state;
	for (i = 0; i < sizeof(blob); i++)
		blob[i] = (unsigned char)(i * 7);
	assert_int_equal(reg_doc_create(&d), TSP8_OK);
	assert_int_equal(reg_doc_set(d, KEY, "s", CFG_SZ, "a\\b\"c;d \xc3\xa4",
				     strlen("a\\b\"c;d \xc3\xa4")), TSP8_OK);
	assert_int_equal(reg_doc_set(d, KEY, "dw", CFG_DWORD, &v, 4), TSP8_OK);
	assert_int_equal(reg_doc_set(d, KEY, "bin", CFG_BINARY, blob, sizeof(blob)), TSP8_OK);
	assert_int_equal(reg_doc_set(d, KEY, "", CFG_SZ, "dflt", 4), TSP8_OK);
	assert_int_equal(reg_doc_set(d, KEY, "na\"me\\", CFG_SZ, "", 0), TSP8_OK);
	assert_int_equal(reg_doc_set(d, KEY, "nob", CFG_BINARY, NULL, 0), TSP8_OK);
	assert_int_equal(reg_doc_set(d, KEY "\\lineGUIDs", "{abc}", CFG_DWORD, &v, 4), TSP8_OK);
	assert_int_equal(reg_doc_write(d, &out, &len), TSP8_OK);
	/* regedit's layout: header, blank line, section */
	assert_memory_equal(out, "REGEDIT4\n\n[" KEY "]\n", strlen("REGEDIT4\n\n[" KEY "]\n"));
	assert_non_null(strstr(out, "\"dw\"=dword:deadbeef\n"));
	assert_non_null(strstr(out, "@=\"dflt\"\n"));
	assert_non_null(strstr(out, "\"na\\\"me\\\\\"=\"\"\n"));
	assert_non_null(strstr(out, "\"s\"=\"a\\\\b\\\"c;d \xc3\xa4\"\n"));
	/* long binary values continue on further lines */
	assert_non_null(strstr(out, ",\\\n  "));
	d2 = parse_ok(out);
	expect_sz(d2, KEY, "s", "a\\b\"c;d \xc3\xa4");
	expect_dword(d2, KEY, "dw", 0xdeadbeef);
	expect_sz(d2, KEY, "", "dflt");
	expect_sz(d2, KEY, "na\"me\\", "");
	expect_dword(d2, KEY "\\lineGUIDs", "{abc}", 0xdeadbeef);
	assert_int_equal(reg_doc_get(d2, KEY, "bin", &type, &data, &len), TSP8_OK);
	assert_int_equal(type, CFG_BINARY);
	assert_int_equal(len, sizeof(blob));
	assert_memory_equal(data, blob, sizeof(blob));
	assert_int_equal(reg_doc_get(d2, KEY, "nob", &type, &data, &len), TSP8_OK);
	assert_int_equal(len, 0);
	free(out);
	reg_doc_destroy(d2);
	reg_doc_destroy(d);
}

static void test_set_rejects_bad_values(void **state)
{
	struct reg_doc *d;
	uint32_t v = 1;

	(void)state;
	assert_int_equal(reg_doc_create(&d), TSP8_OK);
	assert_int_equal(reg_doc_set(d, KEY, "x", CFG_SZ, "a\nb", 3), TSP8_EINVAL);
	assert_int_equal(reg_doc_set(d, KEY, "x", CFG_SZ, "a\0b", 3), TSP8_EINVAL);
	assert_int_equal(reg_doc_set(d, KEY, "x\n", CFG_DWORD, &v, 4), TSP8_EINVAL);
	assert_int_equal(reg_doc_set(d, KEY, "x", CFG_DWORD, &v, 2), TSP8_EINVAL);
	assert_int_equal(reg_doc_set(d, "", "x", CFG_DWORD, &v, 4), TSP8_EINVAL);
	assert_int_equal(reg_doc_set(d, KEY, "x", (enum cfg_type)7, &v, 4), TSP8_EINVAL);
	assert_int_equal(reg_doc_get(d, KEY, "x", NULL, NULL, NULL), TSP8_ENOTFOUND);
	reg_doc_destroy(d);
}

/* Whatever set accepts must parse again: long values stay within the
 * parser's line limits, too long ones are refused up front. */
static void test_long_values(void **state)
{
	size_t n = 30000;
	char *s = malloc(2 * n + 1), *out;
	unsigned char *bin = calloc(1, 200000);
	struct reg_doc *d, *d2;
	const void *data;
	size_t len;
	int type;

	(void)state;
	memset(s, '\\', 2 * n);
	s[2 * n] = '\0';
	assert_int_equal(reg_doc_create(&d), TSP8_OK);
	assert_int_equal(reg_doc_set(d, KEY, "s", CFG_SZ, s, 2 * n), TSP8_EINVAL);
	assert_int_equal(reg_doc_set(d, KEY, "s", CFG_SZ, s, n), TSP8_OK);
	assert_int_equal(reg_doc_set(d, KEY, "b", CFG_BINARY, bin, 400000), TSP8_EINVAL);
	assert_int_equal(reg_doc_set(d, KEY, "b", CFG_BINARY, bin, 200000), TSP8_OK);
	assert_int_equal(reg_doc_write(d, &out, NULL), TSP8_OK);
	d2 = parse_ok(out);
	assert_int_equal(reg_doc_get(d2, KEY, "s", &type, &data, &len), TSP8_OK);
	assert_int_equal(len, n);
	assert_int_equal(reg_doc_get(d2, KEY, "b", &type, &data, &len), TSP8_OK);
	assert_int_equal(len, 200000);
	free(out);
	reg_doc_destroy(d2);
	reg_doc_destroy(d);
	free(bin);
	free(s);
}

static void test_case_insensitive(void **state)
{
	struct reg_doc *d = parse_ok("REGEDIT4\n\n[hkey_local_machine\\software\\INNOVAPHONE\\"
				     "Innovaphone\xc2\xae pbx v8 tapi service provider]\n"
				     "\"TRACELEVEL\"=DWORD:0000001A\n");
	uint32_t v = 7;
	char *out;

	(void)state;
	expect_dword(d, KEY, "TraceLevel", 0x1a);
	expect_dword(d, KEY "\\", "tracelevel", 0x1a);
	/* setting under another spelling changes the same value */
	assert_int_equal(reg_doc_set(d, KEY, "tracelevel", CFG_DWORD, &v, 4), TSP8_OK);
	assert_int_equal(reg_doc_write(d, &out, NULL), TSP8_OK);
	assert_non_null(strstr(out, "\"TRACELEVEL\"=dword:00000007\n"));
	assert_null(strstr(out, "tracelevel"));
	assert_null(strstr(out, "[" KEY "]"));  /* the existing section is reused */
	free(out);
	reg_doc_destroy(d);
}

static void test_registered_sign_encodings(void **state)
{
	struct reg_doc *d = parse_ok("REGEDIT4\n\n[" KEY_LATIN1 "]\n\"a\"=dword:00000001\n"
				     "\"s\"=\"Gr\xfc\xdf\x65\"\n");
	uint32_t v = 2;
	char *out;

	(void)state;
	expect_dword(d, KEY, "a", 1);
	expect_sz(d, KEY, "s", "Gr\xc3\xbc\xc3\x9f" "e");     /* Latin-1 read as such */
	assert_int_equal(reg_doc_set(d, KEY, "b", CFG_DWORD, &v, 4), TSP8_OK);
	assert_int_equal(reg_doc_write(d, &out, NULL), TSP8_OK);
	/* the header line stays as the file had it; no second section */
	assert_non_null(strstr(out, "[" KEY_LATIN1 "]\n\"a\"=dword:00000001\n"));
	assert_null(strstr(out, "[" KEY "]"));
	assert_non_null(strstr(out, "\"b\"=dword:00000002\n"));
	free(out);
	reg_doc_destroy(d);

	d = parse_ok("REGEDIT4\n\n[" KEY "]\n\"a\"=dword:00000003\n");
	expect_dword(d, KEY, "a", 3);
	reg_doc_destroy(d);
	/* Version 5 header and CRLF line ends are accepted too */
	d = parse_ok("\xef\xbb\xbfWindows Registry Editor Version 5.00\r\n\r\n[" KEY "]\r\n"
		     "\"a\"=dword:00000004\r\n");
	expect_dword(d, KEY, "a", 4);
	reg_doc_destroy(d);
}

static const char foreign[] =
	"[HKEY_CURRENT_USER\\Software\\Other]\n"
	"; someone else's settings\n"
	"\"List\"=hex(7):41,00,00,00,\\\n"
	"    42,00,00,00\n"
	"\"Gone\"=-\n"
	"@=dword:00000001\n"
	"\n"
	"[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Obsolete]\n"
	"\n";

static void test_other_sections_kept_verbatim(void **state)
{
	char *text, *out;
	struct reg_doc *d;
	uint32_t v = 0x92200580;
	const void *data;
	int type;

	(void)state;
	assert_true(asprintf(&text, "REGEDIT4\n\n%s[" KEY "]\n"
			     "\"TraceLevel\"=dword:04000400 ; retail default\n"
			     "\"Old\"=\"x\"\n\n%s", foreign, foreign) > 0);
	d = parse_ok(text);
	/* values of unsupported types are invisible, not errors */
	assert_int_equal(reg_doc_get(d, "HKEY_CURRENT_USER\\Software\\Other", "List",
				     &type, &data, NULL), TSP8_ENOTFOUND);
	expect_dword(d, "HKEY_CURRENT_USER\\Software\\Other", "", 1);
	assert_int_equal(reg_doc_set(d, KEY, "TraceLevel", CFG_DWORD, &v, 4), TSP8_OK);
	assert_int_equal(reg_doc_delete(d, KEY, "Old"), TSP8_OK);
	assert_int_equal(reg_doc_delete(d, KEY, "Old"), TSP8_ENOTFOUND);
	assert_int_equal(reg_doc_set(d, KEY "\\FQDN", "0", CFG_SZ, "pbx", 3), TSP8_OK);
	assert_int_equal(reg_doc_write(d, &out, NULL), TSP8_OK);
	/* both copies of the foreign sections, byte for byte */
	assert_non_null(strstr(out, foreign));
	assert_non_null(strstr(strstr(out, foreign) + 1, foreign));
	/* the changed value keeps its comment; the deleted one is gone */
	assert_non_null(strstr(out, "\"TraceLevel\"=dword:92200580 ; retail default\n"));
	assert_null(strstr(out, "\"Old\""));
	assert_non_null(strstr(out, "\n\n[" KEY "\\FQDN]\n\"0\"=\"pbx\"\n"));
	free(out);
	free(text);
	reg_doc_destroy(d);
}

static int collect(void *arg, const char *name, int type, const void *data, size_t len)
{
	char *acc = arg;

	(void)data;
	(void)len;
	(void)type;
	strcat(acc, name);
	strcat(acc, ",");
	return strcmp(name, "stop") == 0 ? 42 : 0;
}

static void test_duplicates_and_enum(void **state)
{
	struct reg_doc *d = parse_ok("REGEDIT4\n\n[" KEY "]\n\"a\"=dword:00000001\n"
				     "\"b\"=dword:00000002\n\"x\"=hex(2):41,00\n"
				     "[" KEY "\\sub]\n\"z\"=\"\"\n"
				     "[" KEY "]\n\"A\"=dword:00000003\n\"c\"=\"\"\n\"stop\"=\"\"\n"
				     "\"d\"=\"\"\n");
	char acc[128] = "";
	char *out;

	(void)state;
	expect_dword(d, KEY, "a", 3);          /* the later line wins */
	assert_int_equal(reg_doc_enum(d, KEY, collect, acc), 42);
	assert_string_equal(acc, "b,A,c,stop,");
	assert_int_equal(reg_doc_delete(d, KEY, "a"), TSP8_OK);
	assert_int_equal(reg_doc_get(d, KEY, "a", NULL, NULL, NULL), TSP8_ENOTFOUND);
	assert_int_equal(reg_doc_write(d, &out, NULL), TSP8_OK);
	assert_null(strstr(out, "\"a\"="));
	assert_null(strstr(out, "\"A\"="));
	free(out);
	reg_doc_destroy(d);
}

static void test_empty_text(void **state)
{
	struct reg_doc *d = NULL;
	char *out;
	uint32_t v = 1;

	(void)state;
	assert_int_equal(reg_doc_parse(&d, "", 0, NULL, 0), TSP8_OK);
	assert_int_equal(reg_doc_write(d, &out, NULL), TSP8_OK);
	assert_string_equal(out, "REGEDIT4\n");
	free(out);
	assert_int_equal(reg_doc_set(d, KEY, "v", CFG_DWORD, &v, 4), TSP8_OK);
	assert_int_equal(reg_doc_write(d, &out, NULL), TSP8_OK);
	assert_string_equal(out, "REGEDIT4\n\n[" KEY "]\n\"v\"=dword:00000001\n");
	free(out);
	reg_doc_destroy(d);
	assert_true(reg_key_equal("HKEY_A\\b\\", "hkey_a\\B"));
	assert_false(reg_key_equal("HKEY_A\\b", "HKEY_A\\bc"));
}

struct bad_case {
	const char *what;
	const char *text;
	size_t len;             /* 0: strlen(text) */
	unsigned line;
};

#define SEC "REGEDIT4\n[HKEY_LOCAL_MACHINE\\A]\n"

static const struct bad_case bad_cases[] = {
	{ "wrong header", "REGEDIT5\n", 0, 1 },
	{ "no header", "[HKEY_LOCAL_MACHINE\\A]\n", 0, 1 },
	{ "unterminated quote", SEC "\"x\"=\"abc\n", 0, 3 },
	{ "unterminated name", SEC "\"x=dword:1\n", 0, 3 },
	{ "string ends in backslash", SEC "\"x\"=\"abc\\\n", 0, 3 },
	{ "bad escape", SEC "\"x\"=\"a\\tb\"\n", 0, 3 },
	{ "dword too long", SEC "\"x\"=dword:123456789\n", 0, 3 },
	{ "dword not hex", SEC "\"x\"=dword:zz\n", 0, 3 },
	{ "dword empty", SEC "\"x\"=dword:\n", 0, 3 },
	{ "odd hex digit", SEC "\"x\"=hex:0,12\n", 0, 3 },
	{ "hex three digits", SEC "\"x\"=hex:123\n", 0, 3 },
	{ "hex not hex", SEC "\"x\"=hex:zz\n", 0, 3 },
	{ "hex missing comma", SEC "\"x\"=hex:01 02\n", 0, 3 },
	{ "hex trailing comma", SEC "\"x\"=hex:01,\n", 0, 3 },
	{ "hex bad type", SEC "\"x\"=hex(zz):01\n", 0, 3 },
	{ "hex no colon", SEC "\"x\"=hex 01\n", 0, 3 },
	{ "continuation at end", SEC "\"x\"=hex:01,\\", 0, 3 },
	{ "comment after continuation", SEC "\"x\"=hex:01,\\ ; c\n02\n", 0, 3 },
	{ "bad byte on continuation line", SEC "\"x\"=hex:01,\\\n  0g\n", 0, 3 },
	{ "missing ]", "REGEDIT4\n[HKEY_LOCAL_MACHINE\\A\n", 0, 2 },
	{ "text after ]", "REGEDIT4\n[HKEY_LOCAL_MACHINE\\A] x\n", 0, 2 },
	{ "empty key", "REGEDIT4\n[]\n", 0, 2 },
	{ "unknown root", "REGEDIT4\n[HKEY_NOWHERE\\A]\n", 0, 2 },
	{ "bracket in key", "REGEDIT4\n[HKEY_LOCAL_MACHINE\\[A]\n", 0, 2 },
	{ "value outside a section", "REGEDIT4\n\"x\"=dword:1\n", 0, 2 },
	{ "missing =", SEC "\"x\" dword:1\n", 0, 3 },
	{ "missing value", SEC "\"x\"=\n", 0, 3 },
	{ "unknown type", SEC "\"x\"=qword:1\n", 0, 3 },
	{ "text after value", SEC "\"x\"=dword:1 junk\n", 0, 3 },
	{ "text after string", SEC "\"x\"=\"a\"b\n", 0, 3 },
	{ "garbage line", SEC "hello\n", 0, 3 },
	{ "embedded NUL", SEC "\"x\"=\"a\0b\"\n", sizeof(SEC "\"x\"=\"a\0b\"\n") - 1, 3 },
	{ "UTF-16 file", "\xff\xfeR\0E\0", 6, 1 },
	{ "error on a later line", SEC "\"a\"=dword:1\n\n; c\n\"b\"=dword:x\n", 0, 6 },
};

static void test_bad_inputs(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct reg_doc *d = NULL;
		char err[256], want[32];
		size_t len = c->len ? c->len : strlen(c->text);
		int rc = reg_doc_parse(&d, c->text, len, err, sizeof(err));

		snprintf(want, sizeof(want), "line %u: ", c->line);
		if (rc != TSP8_ESYNTAX || strncmp(err, want, strlen(want)) != 0)
			fail_msg("case '%s': rc %d, message '%s', expected '%s...'",
				 c->what, rc, err, want);
		assert_null(d);
		/* the same without an error buffer */
		assert_int_equal(reg_doc_parse(&d, c->text, len, NULL, 0), TSP8_ESYNTAX);
	}
}

static void test_huge_line(void **state)
{
	size_t n = 70000;
	char *text = malloc(n + 64), err[128];
	struct reg_doc *d = NULL;

	(void)state;
	strcpy(text, SEC "\"x\"=\"");
	memset(text + strlen(text), 'a', n);
	strcpy(text + strlen(SEC "\"x\"=\"") + n, "\"\n");
	assert_int_equal(reg_doc_parse(&d, text, strlen(text), err, sizeof(err)), TSP8_ESYNTAX);
	assert_memory_equal(err, "line 3: ", 8);
	assert_non_null(strstr(err, "longer"));
	free(text);
}

/* Truncations and byte flips of a valid file: never a crash, always either
 * a document or ESYNTAX with a line number. */
static void test_mutations_never_crash(void **state)
{
	size_t n = strlen(sample), i, k;
	char *text = malloc(n + 1), err[256];
	uint32_t seed = 12345;
	struct reg_doc *d;
	int rc;

	(void)state;
	for (i = 0; i <= n; i++) {
		d = NULL;
		rc = reg_doc_parse(&d, sample, i, err, sizeof(err));
		assert_true(rc == TSP8_OK || (rc == TSP8_ESYNTAX && strncmp(err, "line ", 5) == 0));
		reg_doc_destroy(d);
	}
	for (k = 0; k < 3000; k++) {
		memcpy(text, sample, n + 1);
		for (i = 0; i < 3; i++) {
			seed = seed * 1103515245u + 12345u;
			text[(seed >> 8) % n] = (char)(seed >> 20);
		}
		d = NULL;
		rc = reg_doc_parse(&d, text, n, err, sizeof(err));
		assert_true(rc == TSP8_OK || (rc == TSP8_ESYNTAX && strncmp(err, "line ", 5) == 0));
		if (d) {
			char *out;

			assert_int_equal(reg_doc_write(d, &out, NULL), TSP8_OK);
			free(out);
		}
		reg_doc_destroy(d);
	}
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_all_types),
		cmocka_unit_test(test_unchanged_round_trip_is_verbatim),
		cmocka_unit_test(test_written_values_read_back),
		cmocka_unit_test(test_set_rejects_bad_values),
		cmocka_unit_test(test_long_values),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_registered_sign_encodings),
		cmocka_unit_test(test_other_sections_kept_verbatim),
		cmocka_unit_test(test_duplicates_and_enum),
		cmocka_unit_test(test_empty_text),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_mutations_never_crash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
