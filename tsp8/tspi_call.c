/* Exported TSPI entry points: calls. */
#include <stddef.h>

#include "tsp8/call.h"
#include "tsp8/dialstr.h"
#include "tsp8/status.h"
#include "tsp8/tspi.h"
#include "tsp8/utf16.h"

/* Longest destination read from TAPI, in UTF-16 units. */
#define DEST_MAX_UNITS 512

LONG TSPIAPI TSPI_lineMakeCall(DRV_REQUESTID dwRequestID, HDRVLINE hdLine, HTAPICALL htCall,
			       LPHDRVCALL lphdCall, LPCWSTR lpszDestAddress, DWORD dwCountryCode,
			       LPLINECALLPARAMS const lpCallParams)
{
	(void)dwCountryCode;
	char raw[DEST_MAX_UNITS * 3 + 1];
	int conv = utf16_to_utf8(lpszDestAddress, DEST_MAX_UNITS, raw, sizeof(raw));
	TSPI_ENTER("req=%u, hdLine=%p, htCall=%p, dest=\"%s\"", (unsigned)dwRequestID, (const void *)hdLine,
		   (const void *)htCall, conv == 0 ? raw : "?");
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALLINEHANDLE, "no provider");
	if (!lphdCall)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL lphdCall");
	if (conv != 0)
		TSPI_RETURN((LONG)LINEERR_INVALADDRESS, "destination unterminated or too long");
	char dest[DIALSTR_MAX];
	LONG rc = dialstr_clean(lpszDestAddress ? raw : NULL, dest, sizeof(dest));
	if (rc)
		TSPI_RETURN(rc, "destination not dialable by the PBX");
	if (lpCallParams) {
		/* TAPI checked sizes and offsets; read only what dwTotalSize covers */
		DWORD total = lpCallParams->dwTotalSize;
		if (total >= offsetof(LINECALLPARAMS, dwAddressID) + sizeof(DWORD) &&
		    lpCallParams->dwAddressMode == LINEADDRESSMODE_ADDRESSID && lpCallParams->dwAddressID != 0)
			TSPI_RETURN((LONG)LINEERR_INVALADDRESSID, "lines have one address (0)");
		if (total >= offsetof(LINECALLPARAMS, dwMediaMode) + sizeof(DWORD) &&
		    lpCallParams->dwMediaMode != 0 &&
		    (lpCallParams->dwMediaMode & ~(DWORD)LINEMEDIAMODE_INTERACTIVEVOICE) != 0)
			TSPI_RETURN((LONG)LINEERR_INVALMEDIAMODE, "only interactive voice");
	}
	TSPI_RETURN(call_make(p, dwRequestID, hdLine, htCall, lphdCall, dest),
		    "line not open, PBX link down or out of memory");
}

LONG TSPIAPI TSPI_lineDrop(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, LPCSTR lpsUserUserInfo, DWORD dwSize)
{
	(void)lpsUserUserInfo;
	TSPI_ENTER("req=%u, hdCall=%p, uui=%u bytes", (unsigned)dwRequestID, (const void *)hdCall,
		   (unsigned)dwSize);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALCALLHANDLE, "no provider");
	TSPI_RETURN(call_drop(p, dwRequestID, hdCall), "bad call handle or state");
}

LONG TSPIAPI TSPI_lineAnswer(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, LPCSTR lpsUserUserInfo, DWORD dwSize)
{
	(void)lpsUserUserInfo;
	TSPI_ENTER("req=%u, hdCall=%p, uui=%u bytes", (unsigned)dwRequestID, (const void *)hdCall,
		   (unsigned)dwSize);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALCALLHANDLE, "no provider");
	TSPI_RETURN(call_answer(p, dwRequestID, hdCall), "bad call handle or call not offering");
}

LONG TSPIAPI TSPI_lineCloseCall(HDRVCALL hdCall)
{
	TSPI_ENTER("hdCall=%p", (const void *)hdCall);
	struct provider *p = provider_get();
	if (p)
		call_close(p, hdCall);
	/* never fails (tspi.md §3) */
	TSPI_RETURN(0, NULL);
}

LONG TSPIAPI TSPI_lineGetCallInfo(HDRVCALL hdCall, LPLINECALLINFO lpCallInfo)
{
	TSPI_ENTER("hdCall=%p", (const void *)hdCall);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALCALLHANDLE, "no provider");
	if (!lpCallInfo)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL LINECALLINFO");
	TSPI_RETURN(status_call_info(p, hdCall, lpCallInfo), "bad call handle or structure too small");
}

LONG TSPIAPI TSPI_lineGetCallStatus(HDRVCALL hdCall, LPLINECALLSTATUS lpCallStatus)
{
	TSPI_ENTER("hdCall=%p", (const void *)hdCall);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALCALLHANDLE, "no provider");
	if (!lpCallStatus)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL LINECALLSTATUS");
	TSPI_RETURN(status_call_status(p, hdCall, lpCallStatus), "bad call handle or structure too small");
}

LONG TSPIAPI TSPI_lineGetCallAddressID(HDRVCALL hdCall, LPDWORD lpdwAddressID)
{
	TSPI_ENTER("hdCall=%p", (const void *)hdCall);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALCALLHANDLE, "no provider");
	if (!lpdwAddressID)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL address ID pointer");
	plat_mutex_lock(&p->lock);
	bool ok = call_by_handle(p, hdCall) != NULL;
	plat_mutex_unlock(&p->lock);
	if (!ok)
		TSPI_RETURN((LONG)LINEERR_INVALCALLHANDLE, "unknown call");
	*lpdwAddressID = 0;
	TSPI_RETURN(0, NULL);
}
