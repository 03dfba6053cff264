/* Variably sized structures: exact fixed sizes of 2.0/2.2/3.0, a few bytes
 * more, huge; guard bytes after dwTotalSize untouched; Needed >= Used; parts
 * never truncated; strings NUL-terminated UTF-16. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tsp8/caps.h"
#include "tsp8/handles.h"
#include "tsp8/model.h"
#include "tsp8/status.h"
#include "tsp8/utf16.h"
#include "tsp8/varstruct.h"

#define GUARD 64
#define GUARD_BYTE 0xab
#define HUGE_SIZE 8192

static const DWORD versions[] = { TSP8_TAPI_VERSION_2_0, TSP8_TAPI_VERSION_2_2, TSP8_TAPI_VERSION_3_0 };

static DWORD rd(const unsigned char *b, size_t off)
{
	DWORD v;
	memcpy(&v, b + off, 4);
	return v;
}

/* Buffer of total bytes + guard, TAPI-style: zeroed, dwTotalSize set,
 * Needed/Used preset to garbage that must be overwritten. */
static unsigned char *buffer(DWORD total)
{
	unsigned char *b = malloc(total + GUARD);
	assert_non_null(b);
	memset(b, 0, total);
	memset(b + total, GUARD_BYTE, GUARD);
	memcpy(b, &total, 4);
	return b;
}

static void check_guard(const unsigned char *b, DWORD total)
{
	for (size_t i = 0; i < GUARD; i++)
		if (b[total + i] != GUARD_BYTE)
			fail_msg("byte %zu after dwTotalSize %u was written", i, (unsigned)total);
}

/* One variable part: its Size and Offset field positions, and whether it is
 * a UTF-16 string (then expect is its UTF-8 text, or NULL for "any"). */
struct part { size_t size_at, off_at; bool wstr; const char *expect; };

/* Checks the common rules; returns how many parts are present. */
static size_t check(const unsigned char *b, DWORD total, DWORD fixed, const struct part *parts, size_t n)
{
	check_guard(b, total);
	assert_int_equal(rd(b, 0), total);
	DWORD needed = rd(b, 4), used = rd(b, 8);
	assert_true(used >= fixed);
	assert_true(used <= total);
	assert_true(needed >= used);
	size_t present = 0;
	for (size_t i = 0; i < n; i++) {
		if (parts[i].size_at + 8 > fixed)
			continue;   /* field not in this version */
		DWORD sz = rd(b, parts[i].size_at), off = rd(b, parts[i].off_at);
		if (sz == 0) {
			assert_int_equal(off, 0);
			continue;
		}
		present++;
		assert_true(off >= fixed);
		assert_true((uint64_t)off + sz <= used);
		if (parts[i].wstr) {
			assert_true(sz % 2 == 0);
			assert_int_equal(b[off + sz - 2], 0);
			assert_int_equal(b[off + sz - 1], 0);
			if (parts[i].expect) {
				char text[1024];
				assert_int_equal(utf16_to_utf8((LPCWSTR)(b + off), sz / 2, text, sizeof(text)), 0);
				assert_string_equal(text, parts[i].expect);
			}
		}
	}
	if (total >= needed)
		assert_int_equal(needed, used);   /* everything fitted */
	return present;
}

static const struct caps_line alice = {
	.device_id = 17, .perm_id = 0x00010003, .guid = "00112233445566778899aabbccddeeff",
	.name = "Alice Meier (master)", .address = "21", .pbx_name = "master", .firmware = "13r3 sr1",
};

#define P(type, f) offsetof(type, f##Size), offsetof(type, f##Offset)

static const struct part devcaps_parts[] = {
	{ P(LINEDEVCAPS, dwProviderInfo), true, "TSP8 " TSP8_VERSION_STRING },
	{ P(LINEDEVCAPS, dwSwitchInfo), true, "master 13r3 sr1" },
	{ P(LINEDEVCAPS, dwLineName), true, "Alice Meier (master)" },
	{ P(LINEDEVCAPS, dwTerminalCaps), false, NULL },
	{ P(LINEDEVCAPS, dwTerminalText), false, NULL },
	{ P(LINEDEVCAPS, dwDevSpecific), false, NULL },
	{ P(LINEDEVCAPS, dwDeviceClasses), false, NULL },
};

static void run_devcaps(DWORD ver, DWORD total, size_t *present)
{
	unsigned char *b = buffer(total);
	DWORD fixed = tsp8_linedevcaps_size(ver);
	assert_int_equal(caps_fill_dev(&alice, ver, (LPLINEDEVCAPS)b), 0);
	*present = check(b, total, fixed, devcaps_parts, sizeof(devcaps_parts) / sizeof(devcaps_parts[0]));
	assert_int_equal(rd(b, offsetof(LINEDEVCAPS, dwPermanentLineID)), 0x00010003);
	assert_int_equal(rd(b, offsetof(LINEDEVCAPS, dwStringFormat)), STRINGFORMAT_UNICODE);
	assert_int_equal(rd(b, offsetof(LINEDEVCAPS, dwMediaModes)), LINEMEDIAMODE_INTERACTIVEVOICE);
	assert_int_equal(rd(b, offsetof(LINEDEVCAPS, dwNumAddresses)), 1);
	if (ver >= TSP8_TAPI_VERSION_2_2) {
		GUID g;
		memcpy(&g, b + offsetof(LINEDEVCAPS, PermanentLineGuid), sizeof(g));
		assert_int_equal(g.Data1, 0x00112233);
		assert_int_equal(g.Data2, 0x4455);
	}
	if (ver >= TSP8_TAPI_VERSION_3_0)
		assert_int_equal(rd(b, offsetof(LINEDEVCAPS, dwAddressTypes)), LINEADDRESSTYPE_PHONENUMBER);
	/* the device classes multi-string ends with two NULs */
	DWORD dsz = rd(b, offsetof(LINEDEVCAPS, dwDeviceClassesSize));
	if (dsz) {
		DWORD doff = rd(b, offsetof(LINEDEVCAPS, dwDeviceClassesOffset));
		assert_int_equal(dsz, (strlen("tapi/line") + 2) * 2);
		assert_int_equal(b[doff + dsz - 1] | b[doff + dsz - 2] | b[doff + dsz - 3] | b[doff + dsz - 4], 0);
	}
	free(b);
}

static void test_devcaps_sizes(void **state)
{
	(void)state;
	for (size_t v = 0; v < 3; v++) {
		DWORD fixed = tsp8_linedevcaps_size(versions[v]);
		size_t present;
		run_devcaps(versions[v], fixed, &present);
		assert_int_equal(present, 0);                 /* nothing fits */
		for (DWORD extra = 1; extra < 8; extra++) {
			run_devcaps(versions[v], fixed + extra, &present);
			assert_true(present <= 1);
		}
		run_devcaps(versions[v], HUGE_SIZE, &present);
		assert_int_equal(present, 4);                 /* 3 strings + classes */
		/* every size in between: never a truncated part */
		for (DWORD t = fixed; t < fixed + 200; t++)
			run_devcaps(versions[v], t, &present);
	}
	/* below the fixed size */
	unsigned char *b = buffer(TSP8_LINEDEVCAPS_SIZE_30 - 1);
	assert_int_equal(caps_fill_dev(&alice, TSP8_TAPI_VERSION_3_0, (LPLINEDEVCAPS)b),
			 (LONG)LINEERR_STRUCTURETOOSMALL);
	check_guard(b, TSP8_LINEDEVCAPS_SIZE_30 - 1);
	free(b);
	/* but a 2.0 size is fine for 2.0 */
	b = buffer(TSP8_LINEDEVCAPS_SIZE_20);
	assert_int_equal(caps_fill_dev(&alice, TSP8_TAPI_VERSION_2_0, (LPLINEDEVCAPS)b), 0);
	check_guard(b, TSP8_LINEDEVCAPS_SIZE_20);
	free(b);
}

static const struct part addrcaps_parts[] = {
	{ P(LINEADDRESSCAPS, dwAddress), true, "21" },
	{ P(LINEADDRESSCAPS, dwDevSpecific), false, NULL },
	{ P(LINEADDRESSCAPS, dwCompletionMsgText), false, NULL },
	{ P(LINEADDRESSCAPS, dwCallTreatmentList), false, NULL },
	{ P(LINEADDRESSCAPS, dwDeviceClasses), false, NULL },
};

static void test_addresscaps_sizes(void **state)
{
	(void)state;
	for (size_t v = 0; v < 3; v++) {
		DWORD fixed = tsp8_lineaddresscaps_size(versions[v]);
		for (DWORD t = fixed; t < fixed + 64; t++) {
			unsigned char *b = buffer(t);
			assert_int_equal(caps_fill_address(&alice, versions[v], (LPLINEADDRESSCAPS)b), 0);
			check(b, t, fixed, addrcaps_parts, 5);
			assert_int_equal(rd(b, offsetof(LINEADDRESSCAPS, dwLineDeviceID)), 17);
			free(b);
		}
		unsigned char *b = buffer(HUGE_SIZE);
		assert_int_equal(caps_fill_address(&alice, versions[v], (LPLINEADDRESSCAPS)b), 0);
		assert_int_equal(check(b, HUGE_SIZE, fixed, addrcaps_parts, 5), 2);
		free(b);
		b = buffer(fixed - 4);
		assert_int_equal(caps_fill_address(&alice, versions[v], (LPLINEADDRESSCAPS)b),
				 (LONG)LINEERR_STRUCTURETOOSMALL);
		check_guard(b, fixed - 4);
		free(b);
	}
}

/* A provider with one open line and one call, enough for status.c. */
struct fake {
	struct provider p;
	struct line l;
	struct call c;
};

static struct fake *fake_new(DWORD ver)
{
	struct fake *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(plat_mutex_init(&f->p.lock), 0);
	assert_int_equal(handles_create(&f->p.handles), 0);
	f->l.version = ver;
	f->l.device_id = 5;
	f->l.in_service = true;
	f->l.hd = handles_add(f->p.handles, HANDLE_LINE, &f->l);
	f->l.calls = &f->c;
	f->p.lines = &f->l;
	f->c.line = &f->l;
	f->c.hd = handles_add(f->p.handles, HANDLE_CALL, &f->c);
	f->c.state = LINECALLSTATE_CONNECTED;
	f->c.mode = LINECONNECTEDMODE_ACTIVE;
	f->c.pbx_call = 9;
	f->c.origin = LINECALLORIGIN_EXTERNAL;
	f->c.reason = LINECALLREASON_DIRECT;
	f->c.call_id = 0x1234;
	f->c.caller.number = strdup("0301234567");
	f->c.caller.name = strdup("");
	f->c.called.number = strdup("21");
	f->c.called.name = strdup("Alice \xc3\x9c\xf0\x9f\x98\x80");   /* Ü and an emoji */
	f->c.connected.number = strdup("0301234567");
	f->c.connected.name = strdup("");
	return f;
}

static void fake_free(struct fake *f)
{
	free(f->c.caller.number);
	free(f->c.caller.name);
	free(f->c.called.number);
	free(f->c.called.name);
	free(f->c.connected.number);
	free(f->c.connected.name);
	handles_destroy(f->p.handles);
	plat_mutex_destroy(&f->p.lock);
	free(f);
}

static const struct part callinfo_parts[] = {
	{ P(LINECALLINFO, dwCallerID), true, "0301234567" },
	{ P(LINECALLINFO, dwCallerIDName), true, NULL },
	{ P(LINECALLINFO, dwCalledID), true, "21" },
	{ P(LINECALLINFO, dwCalledIDName), true, "Alice \xc3\x9c\xf0\x9f\x98\x80" },
	{ P(LINECALLINFO, dwConnectedID), true, "0301234567" },
	{ P(LINECALLINFO, dwConnectedIDName), true, NULL },
	{ P(LINECALLINFO, dwRedirectionID), true, NULL },
	{ P(LINECALLINFO, dwRedirectingID), true, NULL },
	{ P(LINECALLINFO, dwAppName), true, NULL },
	{ P(LINECALLINFO, dwDisplay), false, NULL },
	{ P(LINECALLINFO, dwUserUserInfo), false, NULL },
	{ P(LINECALLINFO, dwCallData), false, NULL },
};

static void test_callinfo_sizes(void **state)
{
	(void)state;
	for (size_t v = 0; v < 3; v++) {
		struct fake *f = fake_new(versions[v]);
		DWORD fixed = tsp8_linecallinfo_size(versions[v]);
		for (DWORD t = fixed; t < fixed + 120; t++) {
			unsigned char *b = buffer(t);
			assert_int_equal(status_call_info(&f->p, (HDRVCALL)f->c.hd, (LPLINECALLINFO)b), 0);
			check(b, t, fixed, callinfo_parts, sizeof(callinfo_parts) / sizeof(callinfo_parts[0]));
			free(b);
		}
		unsigned char *b = buffer(HUGE_SIZE);
		assert_int_equal(status_call_info(&f->p, (HDRVCALL)f->c.hd, (LPLINECALLINFO)b), 0);
		assert_int_equal(check(b, HUGE_SIZE, fixed, callinfo_parts, 12), 4);
		assert_int_equal(rd(b, offsetof(LINECALLINFO, dwCallerIDFlags)), LINECALLPARTYID_ADDRESS);
		assert_int_equal(rd(b, offsetof(LINECALLINFO, dwCalledIDFlags)),
				 LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME);
		assert_int_equal(rd(b, offsetof(LINECALLINFO, dwCallID)), 0x1234);
		assert_int_equal(rd(b, offsetof(LINECALLINFO, dwOrigin)), LINECALLORIGIN_EXTERNAL);
		assert_int_equal(rd(b, offsetof(LINECALLINFO, dwLineDeviceID)), 5);
		free(b);
		b = buffer(fixed - 1);
		assert_int_equal(status_call_info(&f->p, (HDRVCALL)f->c.hd, (LPLINECALLINFO)b),
				 (LONG)LINEERR_STRUCTURETOOSMALL);
		check_guard(b, fixed - 1);
		free(b);
		fake_free(f);
	}
}

static void test_status_sizes(void **state)
{
	(void)state;
	for (size_t v = 0; v < 3; v++) {
		struct fake *f = fake_new(versions[v]);
		DWORD fixed = tsp8_linecallstatus_size(versions[v]);
		for (DWORD t = fixed; t < fixed + 16; t++) {
			unsigned char *b = buffer(t);
			assert_int_equal(status_call_status(&f->p, (HDRVCALL)f->c.hd, (LPLINECALLSTATUS)b), 0);
			check(b, t, fixed, NULL, 0);
			assert_int_equal(rd(b, offsetof(LINECALLSTATUS, dwCallState)), LINECALLSTATE_CONNECTED);
			assert_int_equal(rd(b, offsetof(LINECALLSTATUS, dwCallFeatures)), LINECALLFEATURE_DROP);
			free(b);
		}
		/* link down: no features */
		f->l.in_service = false;
		unsigned char *b = buffer(fixed);
		assert_int_equal(status_call_status(&f->p, (HDRVCALL)f->c.hd, (LPLINECALLSTATUS)b), 0);
		assert_int_equal(rd(b, offsetof(LINECALLSTATUS, dwCallFeatures)), 0);
		free(b);
		f->l.in_service = true;

		fixed = tsp8_linedevstatus_size(versions[v]);
		for (DWORD t = fixed; t < fixed + 16; t++) {
			b = buffer(t);
			assert_int_equal(status_line_dev(&f->p, (HDRVLINE)f->l.hd, (LPLINEDEVSTATUS)b), 0);
			check(b, t, fixed, NULL, 0);
			assert_int_equal(rd(b, offsetof(LINEDEVSTATUS, dwNumActiveCalls)), 1);
			assert_int_equal(rd(b, offsetof(LINEDEVSTATUS, dwDevStatusFlags)),
					 LINEDEVSTATUSFLAGS_CONNECTED | LINEDEVSTATUSFLAGS_INSERVICE);
			free(b);
		}
		b = buffer(TSP8_LINEADDRESSSTATUS_SIZE);
		assert_int_equal(status_address(&f->p, (HDRVLINE)f->l.hd, 0, (LPLINEADDRESSSTATUS)b), 0);
		check(b, TSP8_LINEADDRESSSTATUS_SIZE, TSP8_LINEADDRESSSTATUS_SIZE, NULL, 0);
		assert_int_equal(status_address(&f->p, (HDRVLINE)f->l.hd, 1, (LPLINEADDRESSSTATUS)b),
				 (LONG)LINEERR_INVALADDRESSID);
		free(b);
		b = buffer(TSP8_LINEADDRESSSTATUS_SIZE - 1);
		assert_int_equal(status_address(&f->p, (HDRVLINE)f->l.hd, 0, (LPLINEADDRESSSTATUS)b),
				 (LONG)LINEERR_STRUCTURETOOSMALL);
		check_guard(b, TSP8_LINEADDRESSSTATUS_SIZE - 1);
		free(b);
		/* garbage handles */
		b = buffer(HUGE_SIZE);
		assert_int_equal(status_call_info(&f->p, (HDRVCALL)(uintptr_t)0xdeadbeef, (LPLINECALLINFO)b),
				 (LONG)LINEERR_INVALCALLHANDLE);
		assert_int_equal(status_call_status(&f->p, (HDRVCALL)f->l.hd, (LPLINECALLSTATUS)b),
				 (LONG)LINEERR_INVALCALLHANDLE);
		assert_int_equal(status_line_dev(&f->p, (HDRVLINE)f->c.hd, (LPLINEDEVSTATUS)b),
				 (LONG)LINEERR_INVALLINEHANDLE);
		free(b);
		fake_free(f);
	}
}

static void test_varbuf_rules(void **state)
{
	(void)state;
	unsigned char b[64 + GUARD];
	memset(b, GUARD_BYTE, sizeof(b));
	struct varbuf vb;
	vb_init(&vb, b, 36, 24);
	DWORD sz, off;
	/* 4-byte aligned parts, a part that does not fit leaves a gap for a
	 * smaller one */
	assert_true(vb_add(&vb, "abc", 3, &sz, &off));
	assert_int_equal(off, 24);
	assert_int_equal(sz, 3);
	assert_false(vb_add(&vb, "0123456789", 10, &sz, &off));
	assert_int_equal(sz, 0);
	assert_int_equal(off, 0);
	assert_true(vb_add(&vb, "wxyz", 4, &sz, &off));
	assert_int_equal(off, 28);
	assert_true(vb.needed > vb.used);
	assert_true(vb.used <= 36);
	for (size_t i = 36; i < sizeof(b); i++)
		assert_int_equal(b[i], GUARD_BYTE);
	/* empty strings: skipped or a lone NUL */
	vb_init(&vb, b, 64, 24);
	assert_true(vb_add_wstr(&vb, "", true, &sz, &off));
	assert_int_equal(sz, 0);
	assert_true(vb_add_wstr(&vb, NULL, false, &sz, &off));
	assert_int_equal(sz, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_devcaps_sizes),
		cmocka_unit_test(test_addresscaps_sizes),
		cmocka_unit_test(test_callinfo_sizes),
		cmocka_unit_test(test_status_sizes),
		cmocka_unit_test(test_varbuf_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
