/* Exported TSPI entry points: line devices. */
#include <string.h>

#include "pbxtree/strutil.h"
#include "tsp8/call.h"
#include "tsp8/caps.h"
#include "tsp8/line.h"
#include "tsp8/status.h"
#include "tsp8/tspi.h"
#include "tsp8/utf16.h"
#include "tsp8/varstruct.h"

static bool version_ok(DWORD v)
{
	return v >= TSP8_TSPI_VERSION_MIN && v <= TSP8_TSPI_VERSION_MAX;
}

LONG TSPIAPI TSPI_lineOpen(DWORD dwDeviceID, HTAPILINE htLine, LPHDRVLINE lphdLine, DWORD dwTSPIVersion,
			   LINEEVENT lpfnEventProc)
{
	TSPI_ENTER("dev=%u, htLine=%p, ver=%#x", (unsigned)dwDeviceID, (const void *)htLine,
		   (unsigned)dwTSPIVersion);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_NODEVICE, "no provider");
	if (!lphdLine || !lpfnEventProc)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL handle pointer or event proc");
	if (!version_ok(dwTSPIVersion))
		TSPI_RETURN((LONG)LINEERR_INCOMPATIBLEAPIVERSION, "version not negotiated by us");
	TSPI_RETURN(line_open(p, dwDeviceID, htLine, lphdLine, dwTSPIVersion, lpfnEventProc),
		    "device unknown or already open");
}

LONG TSPIAPI TSPI_lineClose(HDRVLINE hdLine)
{
	TSPI_ENTER("hdLine=%p", (const void *)hdLine);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALLINEHANDLE, "no provider");
	TSPI_RETURN(line_close(p, hdLine), "not an open line");
}

/* Copies the data the caps are built from (model lock held). */
static void caps_data(const struct line *l, struct caps_line *cl)
{
	cl->device_id = l->device_id;
	cl->perm_id = l->perm_id;
	cl->guid = l->guid;
	cl->name = l->name;
	cl->address = l->address;
	cl->pbx_name = l->pbx_name;
	cl->firmware = l->firmware;
}

LONG TSPIAPI TSPI_lineGetDevCaps(DWORD dwDeviceID, DWORD dwTSPIVersion, DWORD dwExtVersion,
				 LPLINEDEVCAPS lpLineDevCaps)
{
	TSPI_ENTER("dev=%u, ver=%#x, ext=%#x", (unsigned)dwDeviceID, (unsigned)dwTSPIVersion,
		   (unsigned)dwExtVersion);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_NODEVICE, "no provider");
	if (!lpLineDevCaps)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL LINEDEVCAPS");
	if (!version_ok(dwTSPIVersion))
		TSPI_RETURN((LONG)LINEERR_INCOMPATIBLEAPIVERSION, "version not negotiated by us");
	if (dwExtVersion != 0)
		TSPI_RETURN((LONG)LINEERR_INCOMPATIBLEEXTVERSION, "no extensions");
	LONG rc;
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_device(p, dwDeviceID);
	if (!l) {
		rc = (LONG)LINEERR_BADDEVICEID;
	} else {
		struct caps_line cl;
		caps_data(l, &cl);
		rc = caps_fill_dev(&cl, dwTSPIVersion, lpLineDevCaps);
	}
	plat_mutex_unlock(&p->lock);
	TSPI_RETURN(rc, rc == (LONG)LINEERR_BADDEVICEID ? "unknown device" : "dwTotalSize below the fixed size");
}

LONG TSPIAPI TSPI_lineGetAddressCaps(DWORD dwDeviceID, DWORD dwAddressID, DWORD dwTSPIVersion,
				     DWORD dwExtVersion, LPLINEADDRESSCAPS lpAddressCaps)
{
	TSPI_ENTER("dev=%u, addr=%u, ver=%#x, ext=%#x", (unsigned)dwDeviceID, (unsigned)dwAddressID,
		   (unsigned)dwTSPIVersion, (unsigned)dwExtVersion);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_NODEVICE, "no provider");
	if (!lpAddressCaps)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL LINEADDRESSCAPS");
	if (!version_ok(dwTSPIVersion))
		TSPI_RETURN((LONG)LINEERR_INCOMPATIBLEAPIVERSION, "version not negotiated by us");
	if (dwExtVersion != 0)
		TSPI_RETURN((LONG)LINEERR_INCOMPATIBLEEXTVERSION, "no extensions");
	if (dwAddressID != 0)
		TSPI_RETURN((LONG)LINEERR_INVALADDRESSID, "lines have one address (0)");
	LONG rc;
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_device(p, dwDeviceID);
	if (!l) {
		rc = (LONG)LINEERR_BADDEVICEID;
	} else {
		struct caps_line cl;
		caps_data(l, &cl);
		rc = caps_fill_address(&cl, dwTSPIVersion, lpAddressCaps);
	}
	plat_mutex_unlock(&p->lock);
	TSPI_RETURN(rc, rc == (LONG)LINEERR_BADDEVICEID ? "unknown device" : "dwTotalSize below the fixed size");
}

LONG TSPIAPI TSPI_lineGetLineDevStatus(HDRVLINE hdLine, LPLINEDEVSTATUS lpLineDevStatus)
{
	TSPI_ENTER("hdLine=%p", (const void *)hdLine);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALLINEHANDLE, "no provider");
	if (!lpLineDevStatus)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL LINEDEVSTATUS");
	TSPI_RETURN(status_line_dev(p, hdLine, lpLineDevStatus), "bad line handle or structure too small");
}

LONG TSPIAPI TSPI_lineGetAddressStatus(HDRVLINE hdLine, DWORD dwAddressID, LPLINEADDRESSSTATUS lpAddressStatus)
{
	TSPI_ENTER("hdLine=%p, addr=%u", (const void *)hdLine, (unsigned)dwAddressID);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALLINEHANDLE, "no provider");
	if (!lpAddressStatus)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL LINEADDRESSSTATUS");
	TSPI_RETURN(status_address(p, hdLine, dwAddressID, lpAddressStatus),
		    "bad line handle, address ID or structure size");
}

LONG TSPIAPI TSPI_lineGetNumAddressIDs(HDRVLINE hdLine, LPDWORD lpdwNumAddressIDs)
{
	TSPI_ENTER("hdLine=%p", (const void *)hdLine);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALLINEHANDLE, "no provider");
	if (!lpdwNumAddressIDs)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL count pointer");
	plat_mutex_lock(&p->lock);
	bool ok = line_by_handle(p, hdLine) != NULL;
	plat_mutex_unlock(&p->lock);
	if (!ok)
		TSPI_RETURN((LONG)LINEERR_INVALLINEHANDLE, "not an open line");
	*lpdwNumAddressIDs = 1;
	TSPI_RETURN(0, NULL);
}

LONG TSPIAPI TSPI_lineSetDefaultMediaDetection(HDRVLINE hdLine, DWORD dwMediaModes)
{
	TSPI_ENTER("hdLine=%p, modes=%#x", (const void *)hdLine, (unsigned)dwMediaModes);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALLINEHANDLE, "no provider");
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_handle(p, hdLine);
	if (l)
		l->media_modes = dwMediaModes;
	plat_mutex_unlock(&p->lock);
	/* Calls are reported whatever the media modes: a PBX line only has
	 * voice calls, and monitoring applications want them all. */
	TSPI_RETURN(l ? 0 : (LONG)LINEERR_INVALLINEHANDLE, "not an open line");
}

LONG TSPIAPI TSPI_lineSetStatusMessages(HDRVLINE hdLine, DWORD dwLineStates, DWORD dwAddressStates)
{
	TSPI_ENTER("hdLine=%p, line=%#x, addr=%#x", (const void *)hdLine, (unsigned)dwLineStates,
		   (unsigned)dwAddressStates);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALLINEHANDLE, "no provider");
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_handle(p, hdLine);
	if (l) {
		/* a hint only: TAPI filters per application */
		l->line_states = dwLineStates;
		l->addr_states = dwAddressStates;
	}
	plat_mutex_unlock(&p->lock);
	TSPI_RETURN(l ? 0 : (LONG)LINEERR_INVALLINEHANDLE, "not an open line");
}

LONG TSPIAPI TSPI_lineGetID(HDRVLINE hdLine, DWORD dwAddressID, HDRVCALL hdCall, DWORD dwSelect,
			    LPVARSTRING lpDeviceID, LPCWSTR lpszDeviceClass, HANDLE hTargetProcess)
{
	(void)hTargetProcess;
	TSPI_ENTER("hdLine=%p, addr=%u, hdCall=%p, select=%#x", (const void *)hdLine, (unsigned)dwAddressID,
		   (const void *)hdCall, (unsigned)dwSelect);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_INVALLINEHANDLE, "no provider");
	if (!lpDeviceID || !lpszDeviceClass)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL VARSTRING or device class");
	char cls[64];
	if (utf16_to_utf8(lpszDeviceClass, 64, cls, sizeof(cls)) != 0)
		TSPI_RETURN((LONG)LINEERR_INVALDEVICECLASS, "device class unterminated or too long");
	if (str_casecmp(cls, "tapi/line") != 0)
		TSPI_RETURN((LONG)LINEERR_INVALDEVICECLASS, "only tapi/line is supported");
	if (lpDeviceID->dwTotalSize < TSP8_VARSTRING_SIZE)
		TSPI_RETURN((LONG)LINEERR_STRUCTURETOOSMALL, "VARSTRING below 24 bytes");

	LONG rc = 0;
	DWORD dev = 0;
	plat_mutex_lock(&p->lock);
	struct line *l = NULL;
	if (dwSelect == LINECALLSELECT_LINE || dwSelect == LINECALLSELECT_ADDRESS) {
		l = line_by_handle(p, hdLine);
		if (!l)
			rc = (LONG)LINEERR_INVALLINEHANDLE;
		else if (dwSelect == LINECALLSELECT_ADDRESS && dwAddressID != 0)
			rc = (LONG)LINEERR_INVALADDRESSID;
	} else if (dwSelect == LINECALLSELECT_CALL) {
		struct call *c = call_by_handle(p, hdCall);
		if (!c)
			rc = (LONG)LINEERR_INVALCALLHANDLE;
		else
			l = c->line;
	} else {
		rc = (LONG)LINEERR_INVALCALLSELECT;
	}
	if (!rc)
		dev = l->device_id;
	plat_mutex_unlock(&p->lock);
	if (rc)
		TSPI_RETURN(rc, "bad handle, address or select");

	VARSTRING v;
	memset(&v, 0, sizeof(v));
	struct varbuf vb;
	vb_init(&vb, lpDeviceID, lpDeviceID->dwTotalSize, TSP8_VARSTRING_SIZE);
	DWORD sz, off;
	vb_add(&vb, &dev, sizeof(dev), &sz, &off);
	v.dwTotalSize = lpDeviceID->dwTotalSize;
	v.dwNeededSize = vb.needed;
	v.dwUsedSize = vb.used;
	v.dwStringFormat = STRINGFORMAT_BINARY;
	v.dwStringSize = sz;
	v.dwStringOffset = off;
	memcpy(lpDeviceID, &v, TSP8_VARSTRING_SIZE);
	TSPI_RETURN(0, NULL);
}
