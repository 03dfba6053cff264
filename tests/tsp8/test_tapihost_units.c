/* Unit tests of tapihost's pure parts: JSON escaping and records, UTF-16
 * conversion, name decoding, command and option parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cmd.h"
#include "names.h"
#include "opts.h"
#include "rec.h"
#include "sbuf.h"
#include "utf16.h"

static void test_json_escape(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(json_escape(out, sizeof out, "plain"), 5);
	assert_string_equal(out, "plain");
	json_escape(out, sizeof out, "a\"b\\c\nd\te\x01");
	assert_string_equal(out, "a\\\"b\\\\c\\nd\\te\\u0001");
	/* Valid UTF-8 passes, invalid bytes become U+FFFD escapes. */
	json_escape(out, sizeof out, "M\xc3\xbcller");
	assert_string_equal(out, "M\xc3\xbcller");
	json_escape(out, sizeof out, "x\xff" "y\xc3");
	assert_string_equal(out, "x\\ufffdy\\ufffd");
	json_escape(out, sizeof out, "\xed\xa0\x80");   /* encoded surrogate */
	assert_string_equal(out, "\\ufffd\\ufffd\\ufffd");
	/* Truncation: reports the needed size, stays NUL-terminated. */
	char small[4];
	assert_int_equal(json_escape(small, sizeof small, "abcdef"), 6);
	assert_string_equal(small, "abc");
}

static void test_sbuf_bounds(void **state)
{
	(void)state;
	char mem[8];
	struct sbuf b;
	sb_init(&b, mem, sizeof mem);
	sb_puts(&b, "12345");
	sb_printf(&b, "%d", 678);
	assert_true(b.truncated);
	assert_int_equal(b.len, 7);
	assert_string_equal(mem, "1234567");
	sb_init(&b, mem, sizeof mem);
	sb_json_str(&b, "q\"");
	assert_string_equal(mem, "\"q\\\"\"");
	assert_false(b.truncated);
}

static void test_rec_forms(void **state)
{
	(void)state;
	char mem[512];
	struct sbuf b;
	struct rec r;
	rec_init(&r, "LINE_CALLSTATE", "LINE_CALLSTATE");
	rec_int(&r, "device", "line", 3);
	rec_str(&r, "call", "call", "0x5a1");
	rec_str(&r, "state", NULL, "OFFERING");
	rec_str(&r, "caller", "caller", "0301234567");
	rec_qstr(&r, "caller_name", "caller_name", "Alice \"Al\" Meier");
	rec_json_bool(&r, "open", true);
	sb_init(&b, mem, sizeof mem);
	rec_render(&r, false, &b);
	assert_string_equal(mem, "LINE_CALLSTATE line=3 call=0x5a1 OFFERING caller=0301234567 "
				 "caller_name=\"Alice \\\"Al\\\" Meier\"");
	sb_init(&b, mem, sizeof mem);
	rec_render(&r, true, &b);
	assert_string_equal(mem, "{\"event\":\"LINE_CALLSTATE\",\"device\":3,\"call\":\"0x5a1\","
				 "\"state\":\"OFFERING\",\"caller\":\"0301234567\","
				 "\"caller_name\":\"Alice \\\"Al\\\" Meier\",\"open\":true}");

	/* Unquoted human values stay one token; empty bare values vanish. */
	rec_init(&r, "error", "reply");
	rec_json_str(&r, "command", "drop");
	rec_json_bool(&r, "ok", false);
	rec_str(&r, "error", NULL, "LINEERR_INVALCALLHANDLE");
	rec_human_str(&r, "command", "drop");
	rec_str(&r, "x", NULL, "");
	rec_str(&r, "y", "y", "a b");
	sb_init(&b, mem, sizeof mem);
	rec_render(&r, false, &b);
	assert_string_equal(mem, "error LINEERR_INVALCALLHANDLE command=drop y=a_b");
	sb_init(&b, mem, sizeof mem);
	rec_render(&r, true, &b);
	assert_string_equal(mem, "{\"event\":\"reply\",\"command\":\"drop\",\"ok\":false,"
				 "\"error\":\"LINEERR_INVALCALLHANDLE\",\"x\":\"\",\"y\":\"a b\"}");

	/* Too many fields are dropped, not written out of bounds. */
	rec_init(&r, "X", "x");
	for (int i = 0; i < REC_MAX_FIELDS + 3; i++)
		rec_int(&r, "n", "n", i);
	assert_true(r.overflow);
	assert_int_equal(r.n, REC_MAX_FIELDS);
}

static void test_utf16_to_utf8(void **state)
{
	(void)state;
	char out[32];
	/* "Aü€😀" + NUL + "ignored" in UTF-16LE. */
	const uint8_t s[] = { 'A', 0, 0xFC, 0, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE, 0, 0, 'x', 0 };
	assert_int_equal(utf16le_to_utf8(s, sizeof s, out, sizeof out), 10);
	assert_string_equal(out, "A\xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80");
	/* Unpaired surrogates, odd byte count. */
	const uint8_t bad[] = { 0x00, 0xD8, 'B', 0, 0x00, 0xDC, 'C' };
	utf16le_to_utf8(bad, sizeof bad, out, sizeof out);
	assert_string_equal(out, "\xef\xbf\xbd" "B\xef\xbf\xbd");
	/* No terminator within the size, and cutting at a character boundary. */
	const uint8_t euro[] = { 0xAC, 0x20, 0xAC, 0x20 };
	char tiny[5];
	utf16le_to_utf8(euro, sizeof euro, tiny, sizeof tiny);
	assert_string_equal(tiny, "\xe2\x82\xac");
}

static void test_utf8_to_utf16(void **state)
{
	(void)state;
	uint16_t w[8];
	assert_int_equal(utf8_to_utf16("0301\xc3\xbc", w, 8), 5);
	assert_int_equal(w[0], '0');
	assert_int_equal(w[4], 0xFC);
	assert_int_equal(w[5], 0);
	assert_int_equal(utf8_to_utf16("\xf0\x9f\x98\x80", w, 8), 2);
	assert_int_equal(w[0], 0xD83D);
	assert_int_equal(w[1], 0xDE00);
	assert_int_equal(utf8_to_utf16("a\xff", w, 8), 2);
	assert_int_equal(w[1], 0xFFFD);
	assert_int_equal(utf8_to_utf16("abcdefgh", w, 8), (size_t)-1);
	assert_int_equal(w[7], 0);
}

static void test_names(void **state)
{
	(void)state;
	char buf[128];
	assert_string_equal(names_msg(LINE_CALLSTATE), "LINE_CALLSTATE");
	assert_string_equal(names_msg((DWORD)LINE_NEWCALL), "LINE_NEWCALL");
	assert_string_equal(names_msg(LINE_REMOVE), "LINE_REMOVE");
	assert_null(names_msg(9999));
	assert_string_equal(names_lineerr_of(0), "OK");
	assert_string_equal(names_lineerr_of((LONG)LINEERR_INVALCALLHANDLE), "LINEERR_INVALCALLHANDLE");
	assert_string_equal(names_lineerr_of((LONG)LINEERR_DISCONNECTED), "LINEERR_DISCONNECTED");
	assert_null(names_lineerr_of((LONG)0x80000004));
	assert_string_equal(names_lookup(names_callstate, LINECALLSTATE_OFFERING), "OFFERING");
	assert_string_equal(names_lookup(names_callstate, LINECALLSTATE_UNKNOWN), "UNKNOWN");
	assert_null(names_lookup(names_callstate, 0x3));
	assert_string_equal(names_flags(buf, sizeof buf, LINEDEVSTATE_CONNECTED | LINEDEVSTATE_INSERVICE,
					names_devstate),
			    "CONNECTED|INSERVICE");
	assert_string_equal(names_flags(buf, sizeof buf, 0, names_devstate), "0");
	assert_string_equal(names_flags(buf, sizeof buf, LINECALLINFOSTATE_CALLERID | 0x80000000u,
					names_callinfostate),
			    "CALLERID|0x80000000");
	assert_ptr_equal(names_callstate_modes(LINECALLSTATE_DISCONNECTED), names_disconnectmode);
	assert_null(names_callstate_modes(LINECALLSTATE_CONFERENCED));
	assert_string_equal(names_lookup(names_disconnectmode, LINEDISCONNECTMODE_BUSY), "BUSY");
	char small[6];
	names_flags(small, sizeof small, LINEDEVSTATE_CONNECTED, names_devstate);
	assert_string_equal(small, "CONNE");
}

static void test_cmd_parse(void **state)
{
	(void)state;
	struct cmd c;
	char err[128];
	assert_int_equal(cmd_parse("makecall 7 +49 30 1234\r\n", &c, err, sizeof err), 0);
	assert_int_equal(c.kind, CMD_MAKECALL);
	assert_int_equal(c.device, 7);
	assert_string_equal(c.text, "+49 30 1234");
	assert_int_equal(cmd_parse("  answer 0xDEAD000000010304", &c, err, sizeof err), 0);
	assert_int_equal(c.kind, CMD_ANSWER);
	assert_true(c.call == 0xDEAD000000010304ull);
	assert_int_equal(cmd_parse("drop 5a1", &c, err, sizeof err), 0);
	assert_true(c.call == 0x5a1);
	assert_int_equal(cmd_parse("dial 0x10 12#", &c, err, sizeof err), 0);
	assert_string_equal(c.text, "12#");
	assert_int_equal(cmd_parse("lines", &c, err, sizeof err), 0);
	assert_int_equal(c.kind, CMD_LINES);
	assert_int_equal(cmd_parse("wait LINE_CALLSTATE line=7 2500", &c, err, sizeof err), 0);
	assert_int_equal(c.kind, CMD_WAIT);
	assert_string_equal(c.text, "LINE_CALLSTATE line=7");
	assert_int_equal(c.ms, 2500);
	assert_int_equal(cmd_parse("sleep 10", &c, err, sizeof err), 0);
	assert_int_equal(c.ms, 10);
	assert_int_equal(cmd_parse("# comment", &c, err, sizeof err), 0);
	assert_int_equal(c.kind, CMD_NONE);
	assert_int_equal(cmd_parse("\n", &c, err, sizeof err), 0);
	assert_int_equal(c.kind, CMD_NONE);

	assert_int_equal(cmd_parse("makecall x 123", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "makecall <device> <number>"));
	assert_int_equal(cmd_parse("makecall 7", &c, err, sizeof err), -1);
	assert_int_equal(cmd_parse("makecall 99999999999 1", &c, err, sizeof err), -1);
	assert_int_equal(cmd_parse("answer", &c, err, sizeof err), -1);
	assert_int_equal(cmd_parse("answer 0xg1", &c, err, sizeof err), -1);
	assert_int_equal(cmd_parse("answer 1 2", &c, err, sizeof err), -1);
	assert_int_equal(cmd_parse("answer 0x11112222333344445", &c, err, sizeof err), -1);
	assert_int_equal(cmd_parse("lines now", &c, err, sizeof err), -1);
	assert_int_equal(cmd_parse("wait 100", &c, err, sizeof err), -1);
	assert_int_equal(cmd_parse("sleep 9999999999", &c, err, sizeof err), -1);
	assert_int_equal(cmd_parse("frobnicate", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown command 'frobnicate'"));
	assert_string_equal(cmd_name(CMD_UNHOLD), "unhold");
}

static void test_opts_parse(void **state)
{
	(void)state;
	struct opts o;
	char err[128];
	char *a1[] = { "tapihost", "--provider", "/x/libtsp8.so", "--config=/etc/t.reg", "--seconds",
		       "5", "--json", "--line-base", "100", "--provider-id=9", NULL };
	assert_int_equal(opts_parse(10, a1, &o, err, sizeof err), 0);
	assert_string_equal(o.provider, "/x/libtsp8.so");
	assert_string_equal(o.config, "/etc/t.reg");
	assert_true(o.has_seconds);
	assert_int_equal(o.seconds, 5);
	assert_true(o.json);
	assert_int_equal(o.line_base, 100);
	assert_int_equal(o.provider_id, 9);
	char *a2[] = { "tapihost", NULL };
	assert_int_equal(opts_parse(1, a2, &o, err, sizeof err), 0);
	assert_null(o.provider);
	assert_false(o.has_seconds);
	assert_false(o.json);
	assert_int_equal(o.provider_id, 4);
	assert_int_equal(o.line_base, 7);
	char *a3[] = { "tapihost", "--seconds", NULL };
	assert_int_equal(opts_parse(2, a3, &o, err, sizeof err), -1);
	char *a4[] = { "tapihost", "--seconds", "x", NULL };
	assert_int_equal(opts_parse(3, a4, &o, err, sizeof err), -1);
	char *a5[] = { "tapihost", "--bogus", NULL };
	assert_int_equal(opts_parse(2, a5, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "--bogus"));
	char *a6[] = { "tapihost", "--provider=", NULL };
	assert_int_equal(opts_parse(2, a6, &o, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_sbuf_bounds),
		cmocka_unit_test(test_rec_forms),
		cmocka_unit_test(test_utf16_to_utf8),
		cmocka_unit_test(test_utf8_to_utf16),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_cmd_parse),
		cmocka_unit_test(test_opts_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
