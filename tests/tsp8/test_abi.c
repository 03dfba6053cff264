/* Layout test of tsp8/tapi_abi.h.
 *
 * The expected offsets below were measured with i686-w64-mingw32-gcc and
 * x86_64-w64-mingw32-gcc against mingw-w64 10 <tapi.h> (both give the same
 * numbers: pack(1)).  On Linux this checks our own declarations; built with
 * mingw it checks that the SDK headers still agree with what we recorded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tsp8/tapi_abi.h"

struct field_off {
	const char *name;
	size_t got;
	size_t want;
};

#define OFF(type, field, want) { #type "." #field, offsetof(type, field), want }

static const struct field_off offsets[] = {
	OFF(LINEDEVCAPS, dwProviderInfoSize, 12),
	OFF(LINEDEVCAPS, dwPermanentLineID, 28),
	OFF(LINEDEVCAPS, dwLineNameOffset, 36),
	OFF(LINEDEVCAPS, dwStringFormat, 40),
	OFF(LINEDEVCAPS, dwNumAddresses, 48),
	OFF(LINEDEVCAPS, dwMediaModes, 60),
	OFF(LINEDEVCAPS, dwDevCapFlags, 112),
	OFF(LINEDEVCAPS, dwLineStates, 128),
	OFF(LINEDEVCAPS, MinDialParams, 156),
	OFF(LINEDEVCAPS, DefaultDialParams, 188),
	OFF(LINEDEVCAPS, dwDevSpecificOffset, 232),
	OFF(LINEDEVCAPS, dwLineFeatures, 236),
	OFF(LINEDEVCAPS, dwDeviceClassesOffset, 248),
	OFF(LINEDEVCAPS, PermanentLineGuid, 252),
	OFF(LINEDEVCAPS, ProtocolGuid, 272),
	OFF(LINEDEVCAPS, dwAvailableTracking, 288),
	OFF(LINEADDRESSCAPS, dwAddressSize, 16),
	OFF(LINEADDRESSCAPS, dwAddressOffset, 20),
	OFF(LINEADDRESSCAPS, dwCallStates, 64),
	OFF(LINEADDRESSCAPS, dwAddrCapFlags, 104),
	OFF(LINEADDRESSCAPS, dwCallFeatures, 108),
	OFF(LINEADDRESSCAPS, dwTransferModes, 120),
	OFF(LINEADDRESSCAPS, dwForwardModes, 128),
	OFF(LINEADDRESSCAPS, dwAddressFeatures, 176),
	OFF(LINEADDRESSCAPS, dwCallFeatures2, 208),
	OFF(LINEADDRESSCAPS, dwAvailableMediaModes, 224),
	OFF(LINECALLINFO, hLine, 12),
	OFF(LINECALLINFO, dwLineDeviceID, 16),
	OFF(LINECALLINFO, dwMediaMode, 32),
	OFF(LINECALLINFO, dwCallID, 40),
	OFF(LINECALLINFO, dwRelatedCallID, 44),
	OFF(LINECALLINFO, DialParams, 64),
	OFF(LINECALLINFO, dwOrigin, 80),
	OFF(LINECALLINFO, dwReason, 84),
	OFF(LINECALLINFO, dwCallerIDFlags, 108),
	OFF(LINECALLINFO, dwCallerIDSize, 112),
	OFF(LINECALLINFO, dwCallerIDOffset, 116),
	OFF(LINECALLINFO, dwCalledIDSize, 132),
	OFF(LINECALLINFO, dwConnectedIDFlags, 148),
	OFF(LINECALLINFO, dwRedirectingIDNameOffset, 204),
	OFF(LINECALLINFO, dwAppNameSize, 208),
	OFF(LINECALLINFO, dwDevSpecificOffset, 292),
	OFF(LINECALLINFO, dwCallDataOffset, 304),
	OFF(LINECALLINFO, dwRedirectingIDAddressType, 340),
	OFF(LINECALLSTATUS, dwCallState, 12),
	OFF(LINECALLSTATUS, dwCallStateMode, 16),
	OFF(LINECALLSTATUS, dwCallPrivilege, 20),
	OFF(LINECALLSTATUS, dwCallFeatures, 24),
	OFF(LINECALLSTATUS, dwCallFeatures2, 36),
	OFF(LINECALLSTATUS, tStateEntryTime, 40),
	OFF(LINEDEVSTATUS, dwNumOpens, 12),
	OFF(LINEDEVSTATUS, dwDevStatusFlags, 56),
	OFF(LINEDEVSTATUS, dwAppInfoOffset, 84),
	OFF(LINEADDRESSSTATUS, dwForwardNumEntries, 36),
	OFF(LINEADDRESSSTATUS, dwForwardOffset, 44),
	OFF(LINEADDRESSSTATUS, dwDevSpecificOffset, 60),
	OFF(VARSTRING, dwStringFormat, 12),
	OFF(VARSTRING, dwStringSize, 16),
	OFF(VARSTRING, dwStringOffset, 20),
	OFF(LINECALLPARAMS, dwAddressMode, 24),
	OFF(LINECALLPARAMS, dwAddressID, 28),
	OFF(LINECALLPARAMS, DialParams, 32),
	OFF(LINECALLPARAMS, dwOrigAddressSize, 48),
	OFF(LINECALLPARAMS, dwDevSpecificOffset, 108),
	OFF(LINECALLPARAMS, dwNoAnswerTimeout, 164),
	OFF(LINECALLPARAMS, dwCallingPartyIDSize, 168),
	OFF(LINEFORWARD, dwCallerAddressOffset, 8),
	OFF(LINEFORWARD, dwDestCountryCode, 12),
	OFF(LINEFORWARD, dwDestAddressOffset, 20),
	OFF(LINEFORWARD, dwCallerAddressType, 24),
	OFF(LINEFORWARD, dwDestAddressType, 28),
	OFF(LINEFORWARDLIST, ForwardList, 8),
	OFF(LINECALLHUBTRACKINGINFO, dwCurrentTracking, 16),
	OFF(GUID, Data4, 8),
};

static void test_field_offsets(void **state)
{
	(void)state;
	size_t bad = 0;
	for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		if (offsets[i].got != offsets[i].want) {
			print_error("%s at %zu, mingw has %zu\n", offsets[i].name,
				    offsets[i].got, offsets[i].want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_struct_sizes(void **state)
{
	(void)state;
	assert_int_equal(sizeof(LINEDEVCAPS), 292);
	assert_int_equal(sizeof(LINEADDRESSCAPS), 228);
	assert_int_equal(sizeof(LINECALLINFO), 344);
	assert_int_equal(sizeof(LINECALLSTATUS), 56);
	assert_int_equal(sizeof(LINEDEVSTATUS), 88);
	assert_int_equal(sizeof(LINEADDRESSSTATUS), 64);
	assert_int_equal(sizeof(LINEFORWARD), 32);
	assert_int_equal(sizeof(LINEFORWARDLIST), 40);
	assert_int_equal(sizeof(VARSTRING), 24);
	assert_int_equal(sizeof(LINECALLPARAMS), 180);
	assert_int_equal(sizeof(LINEEXTENSIONID), 16);
	assert_int_equal(sizeof(LINECALLHUBTRACKINGINFO), 20);
	assert_int_equal(sizeof(LINEDIALPARAMS), 16);
	assert_int_equal(sizeof(SYSTEMTIME), 16);
	assert_int_equal(sizeof(DWORD), 4);
	assert_int_equal(sizeof(LONG), 4);
	assert_int_equal(sizeof(WCHAR), 2);
	assert_int_equal(sizeof(DWORD_PTR), sizeof(void *));
	assert_int_equal(sizeof(HTAPICALL), sizeof(void *));
	assert_int_equal(sizeof(HDRVLINE), sizeof(void *));
	assert_int_equal(sizeof(HTAPIDIALOGINSTANCE), 4);
}

static void test_version_sizes(void **state)
{
	(void)state;
	assert_int_equal(tsp8_linedevcaps_size(TSP8_TAPI_VERSION_1_4), 240);
	assert_int_equal(tsp8_linedevcaps_size(TSP8_TAPI_VERSION_2_0), 252);
	assert_int_equal(tsp8_linedevcaps_size(TSP8_TAPI_VERSION_2_1), 252);
	assert_int_equal(tsp8_linedevcaps_size(TSP8_TAPI_VERSION_2_2), 268);
	assert_int_equal(tsp8_linedevcaps_size(TSP8_TAPI_VERSION_3_0), 292);
	assert_int_equal(tsp8_lineaddresscaps_size(TSP8_TAPI_VERSION_1_4), 180);
	assert_int_equal(tsp8_lineaddresscaps_size(TSP8_TAPI_VERSION_2_0), 228);
	assert_int_equal(tsp8_linecallinfo_size(TSP8_TAPI_VERSION_1_4), 296);
	assert_int_equal(tsp8_linecallinfo_size(TSP8_TAPI_VERSION_2_0), 324);
	assert_int_equal(tsp8_linecallinfo_size(TSP8_TAPI_VERSION_2_2), 324);
	assert_int_equal(tsp8_linecallinfo_size(TSP8_TAPI_VERSION_3_0), 344);
	assert_int_equal(tsp8_linecallstatus_size(TSP8_TAPI_VERSION_1_4), 36);
	assert_int_equal(tsp8_linecallstatus_size(TSP8_TAPI_VERSION_3_0), 56);
	assert_int_equal(tsp8_linedevstatus_size(TSP8_TAPI_VERSION_1_4), 76);
	assert_int_equal(tsp8_linedevstatus_size(TSP8_TAPI_VERSION_2_0), 88);
	assert_int_equal(tsp8_lineforward_size(TSP8_TAPI_VERSION_3_0), 24);
	assert_int_equal(tsp8_lineforward_size(TSP8_TAPI_VERSION_3_1), 32);
	assert_int_equal(TSP8_TSPI_VERSION_MIN, 0x00020000);
	assert_int_equal(TSP8_TSPI_VERSION_MAX, 0x00030000);
}

static void test_lineerr_negative(void **state)
{
	(void)state;
	const LONG errs[] = {
		(LONG)LINEERR_ALLOCATED, (LONG)LINEERR_BADDEVICEID,
		(LONG)LINEERR_CALLUNAVAIL, (LONG)LINEERR_INCOMPATIBLEAPIVERSION,
		(LONG)LINEERR_INVALCALLHANDLE, (LONG)LINEERR_INVALLINEHANDLE,
		(LONG)LINEERR_INVALPARAM, (LONG)LINEERR_NOMEM,
		(LONG)LINEERR_OPERATIONFAILED, (LONG)LINEERR_OPERATIONUNAVAIL,
		(LONG)LINEERR_STRUCTURETOOSMALL, (LONG)LINEERR_DISCONNECTED,
		(LONG)LINEERR_SERVICE_NOT_RUNNING,
	};
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		assert_true(errs[i] < 0);
	assert_int_equal((uint32_t)LINEERR_OPERATIONFAILED, 0x80000048u);
	assert_int_equal((uint32_t)LINEERR_STRUCTURETOOSMALL, 0x8000004Du);
	assert_int_equal((uint32_t)LINEERR_DISCONNECTED, 0x80000060u);
	/* A LONG result survives a round trip through a 64-bit integer. */
	int64_t wide = (LONG)LINEERR_INVALCALLSTATE;
	assert_true(wide < 0);
}

static void test_message_numbers(void **state)
{
	(void)state;
	assert_int_equal(LINE_ADDRESSSTATE, 0);
	assert_int_equal(LINE_CALLINFO, 1);
	assert_int_equal(LINE_CALLSTATE, 2);
	assert_int_equal(LINE_CLOSE, 3);
	assert_int_equal(LINE_DEVSPECIFIC, 4);
	assert_int_equal(LINE_GENERATE, 7);
	assert_int_equal(LINE_LINEDEVSTATE, 8);
	assert_int_equal(LINE_REPLY, 12);
	assert_int_equal(LINE_CREATE, 19);
	assert_int_equal(LINE_REMOVE, 25);
	assert_int_equal(TSPI_MESSAGE_BASE, 500);
	assert_int_equal(LINE_NEWCALL, 500);
	assert_int_equal(LINE_CALLDEVSPECIFIC, 501);
	assert_int_equal(LINE_QOSINFO, 506);
	assert_int_equal((uint32_t)INITIALIZE_NEGOTIATION, 0xFFFFFFFFu);
	assert_int_equal(LINETSPIOPTION_NONREENTRANT, 1);
	assert_int_equal(TUISPIDLL_OBJECT_LINEID, 1);
	assert_int_equal(TUISPIDLL_OBJECT_DIALOGINSTANCE, 4);
	assert_int_equal(LINECALLSTATE_OFFERING, 0x2);
	assert_int_equal(LINECALLSTATE_IDLE, 0x1);
	assert_int_equal(LINECALLSTATE_UNKNOWN, 0x8000);
	assert_int_equal(STRINGFORMAT_UNICODE, 3);
	assert_int_equal(LINEMEDIAMODE_INTERACTIVEVOICE, 4);
}

static void test_protocol_guid(void **state)
{
	(void)state;
	static const GUID pstn = TSP8_TAPIPROTOCOL_PSTN_INIT;
	static const GUID h323 = TSP8_TAPIPROTOCOL_H323_INIT;
	assert_int_equal(pstn.Data1, 0x831CE2D6u);
	assert_int_equal(h323.Data1, 0x831CE2D7u);
	assert_int_equal(pstn.Data4[7], 0x9F);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_offsets),
		cmocka_unit_test(test_struct_sizes),
		cmocka_unit_test(test_version_sizes),
		cmocka_unit_test(test_lineerr_negative),
		cmocka_unit_test(test_message_numbers),
		cmocka_unit_test(test_protocol_guid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
