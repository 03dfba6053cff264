/* Per-negotiated-version fixed sizes of the TAPI variable structures, TSPI
 * version numbers and the TAPIPROTOCOL GUIDs.  Valid on every platform;
 * included at the end of tsp8/tapi_abi.h (do not include it directly).
 *
 * Why: mingw's tapi.h (and our non-Windows copy) always compiles the 3.1
 * layout, so sizeof() is the 3.1 size.  tapisrv only guarantees dwTotalSize >=
 * the fixed size of the version the application negotiated; a provider must
 * write only the fields that exist in that version and put the variable parts
 * after that version's fixed size (tspi.md §7).
 *
 * Derivation: each "version N fixed size" is the offset of the first field
 * that version N+1 added, measured with i686-w64-mingw32-gcc and
 * x86_64-w64-mingw32-gcc against mingw-w64 10 tapi.h (identical on both,
 * pack(1)).  The _Static_asserts below re-check every derivation against our
 * own layout on each build.
 *
 *   LINEDEVCAPS      1.4: 240 = offsetof(dwSettableDevStatus)     (2.0 adds it,
 *                                dwDeviceClassesSize/Offset)
 *                    2.0/2.1: 252 = offsetof(PermanentLineGuid)   (2.2 adds it)
 *                    2.2: 268 = offsetof(dwAddressTypes)          (3.0 adds it,
 *                                ProtocolGuid, dwAvailableTracking)
 *                    3.0/3.1: 292 = sizeof
 *   LINEADDRESSCAPS  1.4: 180 = offsetof(dwPredictiveAutoTransferStates)
 *                    2.0+: 228 = sizeof (12 DWORDs more)
 *   LINECALLINFO     1.4: 296 = offsetof(dwCallTreatment)
 *                    2.0-2.2: 324 = offsetof(dwCallerIDAddressType)
 *                    3.0+: 344 = sizeof (5 address types more)
 *   LINECALLSTATUS   1.4: 36 = offsetof(dwCallFeatures2)
 *                    2.0+: 56 = sizeof (dwCallFeatures2 + SYSTEMTIME)
 *   LINEDEVSTATUS    1.4: 76 = offsetof(dwAvailableMediaModes)
 *                    2.0+: 88 = sizeof (+ dwAppInfoSize/Offset)
 *   LINECALLPARAMS   1.4: 112 = offsetof(dwPredictiveAutoTransferStates)
 *                    2.x: 176 = offsetof(dwAddressType) (2.x-era headers end
 *                         with dwCallingPartyIDSize/Offset)
 *                    3.0+: 180 = sizeof
 *   LINEFORWARD      below 3.1: 24 = offsetof(dwCallerAddressType)
 *                    3.1: 32 = sizeof
 *   Unversioned: LINEADDRESSSTATUS 64, VARSTRING 24, LINEEXTENSIONID 16,
 *   LINECALLHUBTRACKINGINFO 20 (3.0 only), LINEFORWARDLIST 8 + entries.
 */
#ifndef TSP8_TAPI_SIZES_H
#define TSP8_TAPI_SIZES_H

#include <stddef.h>

/* ---- Version numbers -------------------------------------------------- */
#define TSP8_TAPI_VERSION_1_3 0x00010003u
#define TSP8_TAPI_VERSION_1_4 0x00010004u
#define TSP8_TAPI_VERSION_2_0 0x00020000u
#define TSP8_TAPI_VERSION_2_1 0x00020001u
#define TSP8_TAPI_VERSION_2_2 0x00020002u
#define TSP8_TAPI_VERSION_3_0 0x00030000u
#define TSP8_TAPI_VERSION_3_1 0x00030001u

/* The range TSP8 negotiates (tspi.md §14: 3.1 is avoided because of the
 * LINEFORWARD layout change). */
#define TSP8_TSPI_VERSION_MIN TSP8_TAPI_VERSION_2_0
#define TSP8_TSPI_VERSION_MAX TSP8_TAPI_VERSION_3_0

/* ---- Fixed sizes per version ------------------------------------------- */
#define TSP8_LINEDEVCAPS_SIZE_14       240u
#define TSP8_LINEDEVCAPS_SIZE_20       252u
#define TSP8_LINEDEVCAPS_SIZE_22       268u
#define TSP8_LINEDEVCAPS_SIZE_30       292u
#define TSP8_LINEADDRESSCAPS_SIZE_14   180u
#define TSP8_LINEADDRESSCAPS_SIZE_20   228u
#define TSP8_LINECALLINFO_SIZE_14      296u
#define TSP8_LINECALLINFO_SIZE_20      324u
#define TSP8_LINECALLINFO_SIZE_22      324u
#define TSP8_LINECALLINFO_SIZE_30      344u
#define TSP8_LINECALLSTATUS_SIZE_14    36u
#define TSP8_LINECALLSTATUS_SIZE_20    56u
#define TSP8_LINEDEVSTATUS_SIZE_14     76u
#define TSP8_LINEDEVSTATUS_SIZE_20     88u
#define TSP8_LINECALLPARAMS_SIZE_14    112u
#define TSP8_LINECALLPARAMS_SIZE_20    176u
#define TSP8_LINECALLPARAMS_SIZE_30    180u
#define TSP8_LINEFORWARD_SIZE_30       24u   /* entry stride below 3.1 */
#define TSP8_LINEFORWARD_SIZE_31       32u
#define TSP8_LINEADDRESSSTATUS_SIZE    64u
#define TSP8_VARSTRING_SIZE            24u
#define TSP8_LINEEXTENSIONID_SIZE      16u
#define TSP8_LINECALLHUBTRACKINGINFO_SIZE 20u
#define TSP8_LINEFORWARDLIST_HEADER_SIZE  8u  /* dwTotalSize + dwNumEntries */

/* Fixed size for a negotiated version (any version >= 1.4 is accepted; the
 * caller has already rejected versions outside its negotiated range). */
static inline DWORD tsp8_linedevcaps_size(DWORD ver)
{
	if (ver >= TSP8_TAPI_VERSION_3_0)
		return TSP8_LINEDEVCAPS_SIZE_30;
	if (ver >= TSP8_TAPI_VERSION_2_2)
		return TSP8_LINEDEVCAPS_SIZE_22;
	if (ver >= TSP8_TAPI_VERSION_2_0)
		return TSP8_LINEDEVCAPS_SIZE_20;
	return TSP8_LINEDEVCAPS_SIZE_14;
}

static inline DWORD tsp8_lineaddresscaps_size(DWORD ver)
{
	return ver >= TSP8_TAPI_VERSION_2_0 ? TSP8_LINEADDRESSCAPS_SIZE_20
					    : TSP8_LINEADDRESSCAPS_SIZE_14;
}

static inline DWORD tsp8_linecallinfo_size(DWORD ver)
{
	if (ver >= TSP8_TAPI_VERSION_3_0)
		return TSP8_LINECALLINFO_SIZE_30;
	if (ver >= TSP8_TAPI_VERSION_2_0)
		return TSP8_LINECALLINFO_SIZE_20;
	return TSP8_LINECALLINFO_SIZE_14;
}

static inline DWORD tsp8_linecallstatus_size(DWORD ver)
{
	return ver >= TSP8_TAPI_VERSION_2_0 ? TSP8_LINECALLSTATUS_SIZE_20
					    : TSP8_LINECALLSTATUS_SIZE_14;
}

static inline DWORD tsp8_linedevstatus_size(DWORD ver)
{
	return ver >= TSP8_TAPI_VERSION_2_0 ? TSP8_LINEDEVSTATUS_SIZE_20
					    : TSP8_LINEDEVSTATUS_SIZE_14;
}

static inline DWORD tsp8_linecallparams_size(DWORD ver)
{
	if (ver >= TSP8_TAPI_VERSION_3_0)
		return TSP8_LINECALLPARAMS_SIZE_30;
	if (ver >= TSP8_TAPI_VERSION_2_0)
		return TSP8_LINECALLPARAMS_SIZE_20;
	return TSP8_LINECALLPARAMS_SIZE_14;
}

static inline DWORD tsp8_lineforward_size(DWORD ver)
{
	return ver >= TSP8_TAPI_VERSION_3_1 ? TSP8_LINEFORWARD_SIZE_31
					    : TSP8_LINEFORWARD_SIZE_30;
}

/* ---- TAPIPROTOCOL GUIDs ------------------------------------------------
 * tspi.h declares TAPIPROTOCOL_PSTN/_H323/_Multicast extern, but no mingw
 * import library defines them (tspi.md §1).  Use these initialisers:
 *   static const GUID pstn = TSP8_TAPIPROTOCOL_PSTN_INIT;                 */
#define TSP8_TAPIPROTOCOL_PSTN_INIT \
	{ 0x831CE2D6, 0x83B5, 0x11D1, { 0xBB, 0x5C, 0x00, 0xC0, 0x4F, 0xB6, 0x80, 0x9F } }
#define TSP8_TAPIPROTOCOL_H323_INIT \
	{ 0x831CE2D7, 0x83B5, 0x11D1, { 0xBB, 0x5C, 0x00, 0xC0, 0x4F, 0xB6, 0x80, 0x9F } }
#define TSP8_TAPIPROTOCOL_MULTICAST_INIT \
	{ 0x831CE2D8, 0x83B5, 0x11D1, { 0xBB, 0x5C, 0x00, 0xC0, 0x4F, 0xB6, 0x80, 0x9F } }

/* ---- Layout checks (compile time, both platforms) ---------------------- */
_Static_assert(sizeof(DWORD) == 4, "DWORD must be 32 bits");
_Static_assert(sizeof(LONG) == 4, "LONG must be 32 bits");
_Static_assert(sizeof(WCHAR) == 2, "WCHAR must be UTF-16");
_Static_assert(sizeof(DWORD_PTR) == sizeof(void *), "DWORD_PTR is pointer sized");
_Static_assert(sizeof(ULONG_PTR) == sizeof(void *), "ULONG_PTR is pointer sized");
_Static_assert(sizeof(HDRVCALL) == sizeof(void *), "HDRVCALL is pointer sized");
_Static_assert(sizeof(HTAPICALL) == sizeof(void *), "HTAPICALL is pointer sized");
_Static_assert(sizeof(HTAPILINE) == sizeof(void *), "HTAPILINE is pointer sized");
_Static_assert(sizeof(HPROVIDER) == sizeof(void *), "HPROVIDER is pointer sized");
_Static_assert(sizeof(HTAPIDIALOGINSTANCE) == 4, "HTAPIDIALOGINSTANCE is a DWORD");
_Static_assert(sizeof(DRV_REQUESTID) == 4, "DRV_REQUESTID is a DWORD");
_Static_assert(sizeof(GUID) == 16, "GUID");
_Static_assert((LONG)LINEERR_OPERATIONFAILED < 0, "LINEERR_* are negative as LONG");
_Static_assert((LONG)LINEERR_ALLOCATED < 0, "LINEERR_* are negative as LONG");

_Static_assert(sizeof(LINEDEVCAPS) == TSP8_LINEDEVCAPS_SIZE_30, "LINEDEVCAPS");
_Static_assert(sizeof(LINEADDRESSCAPS) == TSP8_LINEADDRESSCAPS_SIZE_20, "LINEADDRESSCAPS");
_Static_assert(sizeof(LINECALLINFO) == TSP8_LINECALLINFO_SIZE_30, "LINECALLINFO");
_Static_assert(sizeof(LINECALLSTATUS) == TSP8_LINECALLSTATUS_SIZE_20, "LINECALLSTATUS");
_Static_assert(sizeof(LINEDEVSTATUS) == TSP8_LINEDEVSTATUS_SIZE_20, "LINEDEVSTATUS");
_Static_assert(sizeof(LINECALLPARAMS) == TSP8_LINECALLPARAMS_SIZE_30, "LINECALLPARAMS");
_Static_assert(sizeof(LINEFORWARD) == TSP8_LINEFORWARD_SIZE_31, "LINEFORWARD");
_Static_assert(sizeof(LINEFORWARDLIST) == TSP8_LINEFORWARDLIST_HEADER_SIZE + TSP8_LINEFORWARD_SIZE_31,
	       "LINEFORWARDLIST");
_Static_assert(sizeof(LINEADDRESSSTATUS) == TSP8_LINEADDRESSSTATUS_SIZE, "LINEADDRESSSTATUS");
_Static_assert(sizeof(VARSTRING) == TSP8_VARSTRING_SIZE, "VARSTRING");
_Static_assert(sizeof(LINEEXTENSIONID) == TSP8_LINEEXTENSIONID_SIZE, "LINEEXTENSIONID");
_Static_assert(sizeof(LINECALLHUBTRACKINGINFO) == TSP8_LINECALLHUBTRACKINGINFO_SIZE,
	       "LINECALLHUBTRACKINGINFO");
_Static_assert(sizeof(LINEDIALPARAMS) == 16, "LINEDIALPARAMS");
_Static_assert(sizeof(LINEGENERATETONE) == 16, "LINEGENERATETONE");
_Static_assert(sizeof(LINEMONITORTONE) == 20, "LINEMONITORTONE");
_Static_assert(sizeof(LINEAPPINFO) == 40, "LINEAPPINFO");

/* The version boundaries, as derived above. */
_Static_assert(offsetof(LINEDEVCAPS, dwSettableDevStatus) == TSP8_LINEDEVCAPS_SIZE_14, "devcaps 1.4");
_Static_assert(offsetof(LINEDEVCAPS, PermanentLineGuid) == TSP8_LINEDEVCAPS_SIZE_20, "devcaps 2.0");
_Static_assert(offsetof(LINEDEVCAPS, dwAddressTypes) == TSP8_LINEDEVCAPS_SIZE_22, "devcaps 2.2");
_Static_assert(offsetof(LINEADDRESSCAPS, dwPredictiveAutoTransferStates) == TSP8_LINEADDRESSCAPS_SIZE_14,
	       "addresscaps 1.4");
_Static_assert(offsetof(LINECALLINFO, dwCallTreatment) == TSP8_LINECALLINFO_SIZE_14, "callinfo 1.4");
_Static_assert(offsetof(LINECALLINFO, dwCallerIDAddressType) == TSP8_LINECALLINFO_SIZE_20, "callinfo 2.0");
_Static_assert(offsetof(LINECALLSTATUS, dwCallFeatures2) == TSP8_LINECALLSTATUS_SIZE_14, "callstatus 1.4");
_Static_assert(offsetof(LINEDEVSTATUS, dwAvailableMediaModes) == TSP8_LINEDEVSTATUS_SIZE_14, "devstatus 1.4");
_Static_assert(offsetof(LINECALLPARAMS, dwPredictiveAutoTransferStates) == TSP8_LINECALLPARAMS_SIZE_14,
	       "callparams 1.4");
_Static_assert(offsetof(LINECALLPARAMS, dwAddressType) == TSP8_LINECALLPARAMS_SIZE_20, "callparams 2.x");
_Static_assert(offsetof(LINEFORWARD, dwCallerAddressType) == TSP8_LINEFORWARD_SIZE_30, "forward < 3.1");
_Static_assert(offsetof(LINEFORWARDLIST, ForwardList) == TSP8_LINEFORWARDLIST_HEADER_SIZE, "forwardlist");

#endif
