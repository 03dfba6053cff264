/* The array-attribute neutralizer and the Poll UserInfo cut
 * (soap/codec_xml.c) and the UTF-8 clean-up (soap/codec_utf8.c): internal
 * helpers of the decoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "soap/soap_internal.h"
#include "test_codec_util.h"

/* Runs the neutralizer on a copy of in; checks the count and the result. */
static void check(const char *in, size_t want_count, const char *want)
{
	size_t len = strlen(in);
	char *buf = malloc(len + 1);

	assert_non_null(buf);
	memcpy(buf, in, len + 1);
	assert_int_equal(codec_xml_neutralize_arrays(buf, len), want_count);
	assert_string_equal(buf, want);
	free(buf);
}

static void test_renames_array_attributes(void **state)
{
	(void)state;
	check("<a SOAP-ENC:arrayType=\"inno:UserInfo[2]\"><item/></a>", 1,
	      "<a SOAP-ENC:arrayTypX=\"inno:UserInfo[2]\"><item/></a>");
	/* Any prefix, no prefix, whitespace around '=', single quotes. */
	check("<a enc:arrayType = 'x[]' b=\"1\"/><b arrayType=\"y[1]\">t</b>", 2,
	      "<a enc:arrayTypX = 'x[]' b=\"1\"/><b arrayTypX=\"y[1]\">t</b>");
	/* SOAP 1.2 encoding attributes. */
	check("<a e:itemType=\"x\" e:arraySize=\"3\"/>", 2, "<a e:itemTypX=\"x\" e:arraySizX=\"3\"/>");
	/* Tabs and newlines between attributes. */
	check("<a\n\tid=\"1\"\r\n\tenc:arrayType=\"x[1]\"\n>", 1, "<a\n\tid=\"1\"\r\n\tenc:arrayTypX=\"x[1]\"\n>");
}

static void test_leaves_other_text_alone(void **state)
{
	const char *untouched[] = {
		"<a>arrayType=\"x\"</a>",                              /* text */
		"<a b='arrayType=\"x\"' c=\"arrayType='y'\"/>",        /* inside values */
		"<!-- <a arrayType=\"x\"> --><b/>",                    /* comment */
		"<a><![CDATA[<b arrayType=\"x\">]]></a>",              /* CDATA */
		"<?pi arrayType=\"x\"?><a/>",                          /* processing instruction */
		"<a myarrayType=\"x\" arrayTypes=\"y\" arrayType:x=\"z\"/>", /* other names */
		"</a arrayType=\"x\">",                                /* end tag */
		"<a b=\"x>y\" c=\"1\">arrayType=</a>",                 /* '>' inside a value */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(untouched) / sizeof(untouched[0]); i++)
		check(untouched[i], 0, untouched[i]);
}

/* Malformed markup ends the scan without touching memory beyond len. */
static void test_malformed_and_truncated(void **state)
{
	const char *doc = "<?xml version=\"1.0\"?><E:Envelope xmlns:E=\"u\"><E:Body><r a:arrayType=\"x[2]\" "
			  "b='q'><!-- c --><![CDATA[d]]><i/><i/></r></E:Body></E:Envelope>";
	size_t len = strlen(doc);

	(void)state;
	check("<a b=\"unterminated arrayType=\"x\"", 0, "<a b=\"unterminated arrayType=\"x\"");
	check("<a b c arrayType=\"x\">", 0, "<a b c arrayType=\"x\">");
	check("<a arrayType>", 1, "<a arrayTypX>");   /* renamed, then the '=' is missing: stop */
	check("<!-- never closed arrayType=\"x\"", 0, "<!-- never closed arrayType=\"x\"");
	check("<", 0, "<");
	check("", 0, "");
	/* Every prefix of a document, in an exactly-sized heap buffer (so a
	 * sanitizer sees any overrun). */
	for (size_t n = 0; n <= len; n++) {
		char *buf = malloc(n ? n : 1);

		assert_non_null(buf);
		memcpy(buf, doc, n);
		assert_true(codec_xml_neutralize_arrays(buf, n) <= 1);
		free(buf);
	}
}

static void clean_check(const char *in, const char *want)
{
	char *out = malloc(codec_utf8_clean_len(in) + 1);

	assert_non_null(out);
	assert_int_equal(codec_utf8_clean_len(in), strlen(want));
	codec_utf8_clean(out, in);
	assert_string_equal(out, want);
	assert_true(utf8_valid(out));
	free(out);
}

/* Runs the UserInfo cut on a copy of in; checks the result. */
static void check_cut(const char *in, const char *want)
{
	size_t len = strlen(in);
	char *buf = malloc(len + 1);

	assert_non_null(buf);
	memcpy(buf, in, len + 1);
	size_t n = codec_xml_cut_poll_users(buf, len);
	assert_int_equal(n, strlen(want));
	buf[n] = '\0';
	assert_string_equal(buf, want);
	free(buf);
}

#define ENV_OPEN "<E:Envelope xmlns:E=\"e\"><E:Body><p:PollResponse xmlns:p=\"p\">"
#define ENV_CLOSE "</p:PollResponse></E:Body></E:Envelope>"

static void test_cut_poll_users(void **state)
{
	(void)state;
	/* the user array goes, the calls stay, whatever prefix either has */
	check_cut(ENV_OPEN "<return><user a=\"1\"><item><cn>A</cn><guid>x</guid></item>"
		  "<item><cn>B</cn></item></user><call><item><user>7</user></item></call></return>"
		  ENV_CLOSE,
		  ENV_OPEN "<return><call><item><user>7</user></item></call></return>" ENV_CLOSE);
	check_cut(ENV_OPEN "<ns:return><ns:user><ns:user><cn>nested same name</cn></ns:user>"
		  "</ns:user></ns:return>" ENV_CLOSE,
		  ENV_OPEN "<ns:return></ns:return>" ENV_CLOSE);
	/* self-closing, and comments or CDATA holding markup are skipped */
	check_cut(ENV_OPEN "<return><user/><call/></return>" ENV_CLOSE,
		  ENV_OPEN "<return><call/></return>" ENV_CLOSE);
	check_cut(ENV_OPEN "<return><user><!-- </user> --><item><cn><![CDATA[</user>]]></cn>"
		  "</item></user><call/></return>" ENV_CLOSE,
		  ENV_OPEN "<return><call/></return>" ENV_CLOSE);
	/* <user> elsewhere (a CallInfo's user handle, a deeper level) stays */
	const char *keep = ENV_OPEN "<return><call><item><user>3</user></item></call></return>"
			   ENV_CLOSE;
	check_cut(keep, keep);
	const char *no_return = ENV_OPEN "<user><cn>A</cn></user>" ENV_CLOSE;
	check_cut(no_return, no_return);
	/* a Fault, malformed or truncated input: left as it is */
	const char *fault = "<E:Envelope><E:Body><E:Fault><faultstring>x</faultstring></E:Fault>"
			    "</E:Body></E:Envelope>";
	check_cut(fault, fault);
	check_cut(ENV_OPEN "<return><user><item", ENV_OPEN "<return><user><item");
	check_cut(ENV_OPEN "<return><user a=\"unterminated></return>",
		  ENV_OPEN "<return><user a=\"unterminated></return>");
	check_cut("", "");
}

static void test_utf8_clean(void **state)
{
	(void)state;
	clean_check("", "");
	clean_check("plain ASCII", "plain ASCII");
	clean_check("J\xc3\xbcrgen \xe2\x82\xac \xf0\x9f\x98\x80", "J\xc3\xbcrgen \xe2\x82\xac \xf0\x9f\x98\x80");
	clean_check("a\xff" "b", "a\xef\xbf\xbd" "b");                 /* stray byte */
	clean_check("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");           /* overlong '/' */
	clean_check("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
	clean_check("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* > U+10FFFF */
	clean_check("x\xe2\x82", "x\xef\xbf\xbd\xef\xbf\xbd");         /* cut short at the end */
	clean_check("\xe0\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* overlong 3-byte */
	clean_check("\xef\xbf\xbf", "\xef\xbf\xbf");                   /* U+FFFF is valid */
	clean_check("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");           /* U+10FFFF is valid */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renames_array_attributes),
		cmocka_unit_test(test_leaves_other_text_alone),
		cmocka_unit_test(test_malformed_and_truncated),
		cmocka_unit_test(test_utf8_clean),
		cmocka_unit_test(test_cut_poll_users),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
