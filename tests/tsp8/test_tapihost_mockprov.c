/* A tiny scripted TSP used to test tapihost itself (not the real provider).
 *
 * Everything happens synchronously inside the TSPI calls.  The destination
 * of lineMakeCall selects the behaviour:
 *   "sync"   fail synchronously (LINEERR_INVALADDRESS)
 *   "fail"   fail asynchronously (completion with LINEERR_OPERATIONFAILED)
 *   "dup"    complete twice (a violation tapihost must report)
 *   "ring"   succeed, then offer a new inbound call (LINE_NEWCALL)
 *   "create" succeed, then announce a new line (LINE_CREATE)
 *   "state"  succeed, then LINE_LINEDEVSTATE(CONNECTED|INSERVICE) and
 *            LINE_ADDRESSSTATE(0, FORWARD) on the line
 *   "remove" succeed, then remove line 2 of the initial range (LINE_REMOVE)
 *   other    succeed: PROCEEDING, CONNECTED
 * A TSP keeps its state in statics because TSPI has no context argument;
 * this fixture does the same (one provider instance per process).
 */
#include <stdint.h>
#include <string.h>

#include "tsp8/tapi_abi.h"

#define MAX_LINES 8
#define MAX_CALLS 16

struct mline {
	DWORD device;
	HTAPILINE ht;
	LINEEVENT ev;
	int open;
};

struct mcall {
	int used;
	int line;
	HTAPICALL ht;
	DWORD state;
};

static struct {
	HPROVIDER hprov;
	LINEEVENT create_proc;
	ASYNC_COMPLETION done;
	DWORD base;
	int nlines;
	struct mline lines[MAX_LINES];
	struct mcall calls[MAX_CALLS];
} M;

static int line_of_device(DWORD device)
{
	for (int i = 0; i < M.nlines; i++)
		if (M.lines[i].device == device)
			return i;
	return -1;
}

static int line_of_hd(HDRVLINE hd)
{
	uintptr_t v = (uintptr_t)hd;
	return (v >= 1 && v <= (uintptr_t)M.nlines) ? (int)v - 1 : -1;
}

static int call_of_hd(HDRVCALL hd)
{
	uintptr_t v = (uintptr_t)hd;
	if (v < 0x100 || v >= 0x100 + MAX_CALLS || !M.calls[v - 0x100].used)
		return -1;
	return (int)(v - 0x100);
}

static HDRVCALL hd_of_call(int i)
{
	return (HDRVCALL)(uintptr_t)(0x100 + i);
}

static int new_call(int line)
{
	for (int i = 0; i < MAX_CALLS; i++) {
		if (!M.calls[i].used) {
			memset(&M.calls[i], 0, sizeof M.calls[i]);
			M.calls[i].used = 1;
			M.calls[i].line = line;
			return i;
		}
	}
	return -1;
}

static void set_state(int c, DWORD state, DWORD mode)
{
	struct mcall *call = &M.calls[c];
	struct mline *l = &M.lines[call->line];
	call->state = state;
	l->ev(l->ht, call->ht, LINE_CALLSTATE, state, mode, LINEMEDIAMODE_INTERACTIVEVOICE);
}

/* Appends an ASCII string as UTF-16 after *used if it fits. */
static void put_string(uint8_t *base, DWORD total, DWORD *needed, DWORD *used, DWORD *size_field,
		       const char *s)
{
	DWORD bytes = (DWORD)(strlen(s) + 1) * 2;
	DWORD off = *needed;
	*needed += bytes;
	if (*needed > total)
		return;
	size_t len = strlen(s);
	for (size_t i = 0; i <= len; i++) {
		base[off + 2 * i] = (uint8_t)s[i];   /* s[len] is the NUL */
		base[off + 2 * i + 1] = 0;
	}
	size_field[0] = bytes;
	size_field[1] = off;
	*used = *needed;
}

LONG TSPIAPI TSPI_lineNegotiateTSPIVersion(DWORD dwDeviceID, DWORD dwLowVersion,
					   DWORD dwHighVersion, LPDWORD lpdwTSPIVersion)
{
	if (dwDeviceID != INITIALIZE_NEGOTIATION && line_of_device(dwDeviceID) < 0)
		return (LONG)LINEERR_BADDEVICEID;
	DWORD v = dwHighVersion < TSP8_TSPI_VERSION_MAX ? dwHighVersion : TSP8_TSPI_VERSION_MAX;
	if (v < dwLowVersion || v < TSP8_TSPI_VERSION_MIN)
		return (LONG)LINEERR_INCOMPATIBLEAPIVERSION;
	*lpdwTSPIVersion = v;
	return 0;
}

LONG TSPIAPI TSPI_providerEnumDevices(DWORD dwPermanentProviderID, LPDWORD lpdwNumLines,
				      LPDWORD lpdwNumPhones, HPROVIDER hProvider,
				      LINEEVENT lpfnLineCreateProc, PHONEEVENT lpfnPhoneCreateProc)
{
	(void)dwPermanentProviderID;
	(void)lpfnPhoneCreateProc;
	M.hprov = hProvider;
	M.create_proc = lpfnLineCreateProc;
	*lpdwNumLines = 2;
	*lpdwNumPhones = 0;
	return 0;
}

LONG TSPIAPI TSPI_providerInit(DWORD dwTSPIVersion, DWORD dwPermanentProviderID,
			       DWORD dwLineDeviceIDBase, DWORD dwPhoneDeviceIDBase,
			       DWORD_PTR dwNumLines, DWORD_PTR dwNumPhones,
			       ASYNC_COMPLETION lpfnCompletionProc, LPDWORD lpdwTSPIOptions)
{
	(void)dwTSPIVersion;
	(void)dwPermanentProviderID;
	(void)dwPhoneDeviceIDBase;
	(void)dwNumPhones;
	memset(M.lines, 0, sizeof M.lines);
	memset(M.calls, 0, sizeof M.calls);
	M.done = lpfnCompletionProc;
	M.base = dwLineDeviceIDBase;
	M.nlines = (int)dwNumLines;
	for (int i = 0; i < M.nlines; i++)
		M.lines[i].device = dwLineDeviceIDBase + (DWORD)i;
	*lpdwTSPIOptions = 0;
	return 0;
}

LONG TSPIAPI TSPI_providerShutdown(DWORD dwTSPIVersion, DWORD dwPermanentProviderID)
{
	(void)dwTSPIVersion;
	(void)dwPermanentProviderID;
	return 0;
}

LONG TSPIAPI TSPI_providerCreateLineDevice(DWORD_PTR dwTempID, DWORD dwDeviceID)
{
	if (dwTempID != 42 || M.nlines >= MAX_LINES)
		return (LONG)LINEERR_BADDEVICEID;
	memset(&M.lines[M.nlines], 0, sizeof M.lines[0]);
	M.lines[M.nlines++].device = dwDeviceID;
	return 0;
}

LONG TSPIAPI TSPI_lineGetDevCaps(DWORD dwDeviceID, DWORD dwTSPIVersion, DWORD dwExtVersion,
				 LPLINEDEVCAPS lpLineDevCaps)
{
	(void)dwExtVersion;
	int i = line_of_device(dwDeviceID);
	if (i < 0)
		return (LONG)LINEERR_BADDEVICEID;
	uint8_t *b = (uint8_t *)lpLineDevCaps;
	DWORD total = lpLineDevCaps->dwTotalSize;
	DWORD fixed = tsp8_linedevcaps_size(dwTSPIVersion);
	DWORD needed = fixed, used = fixed;
	char name[32] = "Mock Line 0";
	name[10] = (char)('0' + i);
	put_string(b, total, &needed, &used, &lpLineDevCaps->dwProviderInfoSize, "Mock TSP");
	put_string(b, total, &needed, &used, &lpLineDevCaps->dwLineNameSize, name);
	lpLineDevCaps->dwNeededSize = needed;
	lpLineDevCaps->dwUsedSize = used;
	lpLineDevCaps->dwPermanentLineID = 0x10000u + (DWORD)i;
	lpLineDevCaps->dwStringFormat = STRINGFORMAT_UNICODE;
	lpLineDevCaps->dwNumAddresses = 1;
	lpLineDevCaps->dwMediaModes = LINEMEDIAMODE_INTERACTIVEVOICE;
	return 0;
}

LONG TSPIAPI TSPI_lineGetAddressCaps(DWORD dwDeviceID, DWORD dwAddressID, DWORD dwTSPIVersion,
				     DWORD dwExtVersion, LPLINEADDRESSCAPS lpAddressCaps)
{
	(void)dwExtVersion;
	int i = line_of_device(dwDeviceID);
	if (i < 0)
		return (LONG)LINEERR_BADDEVICEID;
	if (dwAddressID != 0)
		return (LONG)LINEERR_INVALADDRESSID;
	uint8_t *b = (uint8_t *)lpAddressCaps;
	DWORD fixed = tsp8_lineaddresscaps_size(dwTSPIVersion);
	DWORD needed = fixed, used = fixed;
	char addr[4] = "20";
	addr[1] = (char)('0' + i);
	put_string(b, lpAddressCaps->dwTotalSize, &needed, &used, &lpAddressCaps->dwAddressSize, addr);
	lpAddressCaps->dwNeededSize = needed;
	lpAddressCaps->dwUsedSize = used;
	lpAddressCaps->dwLineDeviceID = dwDeviceID;
	return 0;
}

LONG TSPIAPI TSPI_lineOpen(DWORD dwDeviceID, HTAPILINE htLine, LPHDRVLINE lphdLine,
			   DWORD dwTSPIVersion, LINEEVENT lpfnEventProc)
{
	(void)dwTSPIVersion;
	int i = line_of_device(dwDeviceID);
	if (i < 0)
		return (LONG)LINEERR_BADDEVICEID;
	M.lines[i].ht = htLine;
	M.lines[i].ev = lpfnEventProc;
	M.lines[i].open = 1;
	*lphdLine = (HDRVLINE)(uintptr_t)(i + 1);
	return 0;
}

LONG TSPIAPI TSPI_lineClose(HDRVLINE hdLine)
{
	int i = line_of_hd(hdLine);
	if (i < 0)
		return (LONG)LINEERR_INVALLINEHANDLE;
	M.lines[i].open = 0;
	return 0;
}

LONG TSPIAPI TSPI_lineCloseCall(HDRVCALL hdCall)
{
	int c = call_of_hd(hdCall);
	if (c < 0)
		return (LONG)LINEERR_INVALCALLHANDLE;
	M.calls[c].used = 0;
	return 0;
}

LONG TSPIAPI TSPI_lineMakeCall(DRV_REQUESTID dwRequestID, HDRVLINE hdLine, HTAPICALL htCall,
			       LPHDRVCALL lphdCall, LPCWSTR lpszDestAddress, DWORD dwCountryCode,
			       LPLINECALLPARAMS const lpCallParams)
{
	(void)dwCountryCode;
	(void)lpCallParams;
	int l = line_of_hd(hdLine);
	if (l < 0)
		return (LONG)LINEERR_INVALLINEHANDLE;
	char dest[32] = "";
	for (int i = 0; i < 31 && lpszDestAddress && lpszDestAddress[i]; i++)
		dest[i] = (char)lpszDestAddress[i];
	if (strcmp(dest, "sync") == 0)
		return (LONG)LINEERR_INVALADDRESS;
	int c = new_call(l);
	if (c < 0)
		return (LONG)LINEERR_RESOURCEUNAVAIL;
	M.calls[c].ht = htCall;
	*lphdCall = hd_of_call(c);
	if (strcmp(dest, "fail") == 0) {
		M.done(dwRequestID, (LONG)LINEERR_OPERATIONFAILED);
		return (LONG)dwRequestID;
	}
	M.done(dwRequestID, 0);
	if (strcmp(dest, "dup") == 0)
		M.done(dwRequestID, 0);
	set_state(c, LINECALLSTATE_PROCEEDING, 0);
	set_state(c, LINECALLSTATE_CONNECTED, LINECONNECTEDMODE_ACTIVE);
	if (strcmp(dest, "ring") == 0) {
		int in = new_call(l);
		if (in >= 0) {
			HTAPICALL ht = NULL;
			M.lines[l].ev(M.lines[l].ht, NULL, (DWORD)LINE_NEWCALL,
				      (DWORD_PTR)hd_of_call(in), (DWORD_PTR)&ht, 0);
			M.calls[in].ht = ht;
			set_state(in, LINECALLSTATE_OFFERING, LINEOFFERINGMODE_ACTIVE);
		}
	}
	if (strcmp(dest, "create") == 0)
		M.create_proc(NULL, NULL, LINE_CREATE, (DWORD_PTR)M.hprov, 42, 0);
	if (strcmp(dest, "state") == 0) {
		M.lines[l].ev(M.lines[l].ht, NULL, LINE_LINEDEVSTATE,
			      LINEDEVSTATE_CONNECTED | LINEDEVSTATE_INSERVICE, 0, 0);
		M.lines[l].ev(M.lines[l].ht, NULL, LINE_ADDRESSSTATE, 0, LINEADDRESSSTATE_FORWARD, 0);
	}
	if (strcmp(dest, "remove") == 0)
		M.lines[l].ev(NULL, NULL, LINE_REMOVE, M.lines[1].device, 0, 0);
	return (LONG)dwRequestID;
}

LONG TSPIAPI TSPI_lineDrop(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, LPCSTR lpsUserUserInfo,
			   DWORD dwSize)
{
	(void)lpsUserUserInfo;
	(void)dwSize;
	int c = call_of_hd(hdCall);
	if (c < 0)
		return (LONG)LINEERR_INVALCALLHANDLE;
	M.done(dwRequestID, 0);
	set_state(c, LINECALLSTATE_DISCONNECTED, LINEDISCONNECTMODE_NORMAL);
	set_state(c, LINECALLSTATE_IDLE, 0);
	return (LONG)dwRequestID;
}

LONG TSPIAPI TSPI_lineAnswer(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, LPCSTR lpsUserUserInfo,
			     DWORD dwSize)
{
	(void)lpsUserUserInfo;
	(void)dwSize;
	int c = call_of_hd(hdCall);
	if (c < 0)
		return (LONG)LINEERR_INVALCALLHANDLE;
	if (M.calls[c].state != LINECALLSTATE_OFFERING)
		return (LONG)LINEERR_INVALCALLSTATE;
	M.done(dwRequestID, 0);
	set_state(c, LINECALLSTATE_CONNECTED, LINECONNECTEDMODE_ACTIVE);
	return (LONG)dwRequestID;
}

LONG TSPIAPI TSPI_lineGetCallInfo(HDRVCALL hdCall, LPLINECALLINFO lpCallInfo)
{
	int c = call_of_hd(hdCall);
	if (c < 0)
		return (LONG)LINEERR_INVALCALLHANDLE;
	uint8_t *b = (uint8_t *)lpCallInfo;
	DWORD fixed = tsp8_linecallinfo_size(TSP8_TSPI_VERSION_MAX);
	DWORD needed = fixed, used = fixed;
	put_string(b, lpCallInfo->dwTotalSize, &needed, &used, &lpCallInfo->dwCallerIDSize,
		   "0301234567");
	put_string(b, lpCallInfo->dwTotalSize, &needed, &used, &lpCallInfo->dwCalledIDSize, "21");
	lpCallInfo->dwNeededSize = needed;
	lpCallInfo->dwUsedSize = used;
	lpCallInfo->dwLineDeviceID = M.lines[M.calls[c].line].device;
	lpCallInfo->dwCallID = 0x500u + (DWORD)c;
	return 0;
}

LONG TSPIAPI TSPI_lineGetCallStatus(HDRVCALL hdCall, LPLINECALLSTATUS lpCallStatus)
{
	int c = call_of_hd(hdCall);
	if (c < 0)
		return (LONG)LINEERR_INVALCALLHANDLE;
	lpCallStatus->dwNeededSize = TSP8_LINECALLSTATUS_SIZE_20;
	lpCallStatus->dwUsedSize = TSP8_LINECALLSTATUS_SIZE_20;
	lpCallStatus->dwCallState = M.calls[c].state;
	lpCallStatus->dwCallFeatures = LINECALLFEATURE_DROP;
	return 0;
}
