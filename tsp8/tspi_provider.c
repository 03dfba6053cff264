/* Exported TSPI entry points: provider life cycle and version negotiation. */
#include <string.h>

#include "tsp8/line.h"
#include "tsp8/provider.h"
#include "tsp8/tspi.h"

LONG TSPIAPI TSPI_providerEnumDevices(DWORD dwPermanentProviderID, LPDWORD lpdwNumLines,
				      LPDWORD lpdwNumPhones, HPROVIDER hProvider,
				      LINEEVENT lpfnLineCreateProc, PHONEEVENT lpfnPhoneCreateProc)
{
	(void)lpfnPhoneCreateProc;
	TSPI_ENTER("perm=%u, hProvider=%p", (unsigned)dwPermanentProviderID, (const void *)hProvider);
	if (!lpdwNumLines || !lpdwNumPhones)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL count pointer");
	*lpdwNumPhones = 0;
	*lpdwNumLines = 0;
	DWORD n = 0;
	LONG rc = provider_enum_devices(dwPermanentProviderID, hProvider, lpfnLineCreateProc, &n);
	if (rc == 0)
		*lpdwNumLines = n;
	TSPI_RETURN(rc, "provider not created");
}

LONG TSPIAPI TSPI_providerInit(DWORD dwTSPIVersion, DWORD dwPermanentProviderID,
			       DWORD dwLineDeviceIDBase, DWORD dwPhoneDeviceIDBase, DWORD_PTR dwNumLines,
			       DWORD_PTR dwNumPhones, ASYNC_COMPLETION lpfnCompletionProc,
			       LPDWORD lpdwTSPIOptions)
{
	(void)dwPhoneDeviceIDBase;
	(void)dwNumPhones;
	TSPI_ENTER("ver=%#x, perm=%u, lineBase=%u, lines=%lu", (unsigned)dwTSPIVersion,
		   (unsigned)dwPermanentProviderID, (unsigned)dwLineDeviceIDBase, (unsigned long)dwNumLines);
	if (!lpfnCompletionProc)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "no completion proc");
	/* Stay re-entrant (tspi.md §4.2): *lpdwTSPIOptions is left as TAPI
	 * preset it (0). */
	(void)lpdwTSPIOptions;
	TSPI_RETURN(provider_init(dwPermanentProviderID, dwLineDeviceIDBase, dwNumLines, lpfnCompletionProc),
		    "provider not created");
}

LONG TSPIAPI TSPI_providerShutdown(DWORD dwTSPIVersion, DWORD dwPermanentProviderID)
{
	TSPI_ENTER("ver=%#x, perm=%u", (unsigned)dwTSPIVersion, (unsigned)dwPermanentProviderID);
	LONG rc = provider_shutdown();
	/* the trace is gone now: no exit trace */
	return rc;
}

LONG TSPIAPI TSPI_providerCreateLineDevice(DWORD_PTR dwTempID, DWORD dwDeviceID)
{
	TSPI_ENTER("temp=%#lx, dev=%u", (unsigned long)dwTempID, (unsigned)dwDeviceID);
	struct provider *p = provider_get();
	if (!p)
		TSPI_RETURN((LONG)LINEERR_NODEVICE, "no provider");
	TSPI_RETURN(line_create_device(p, dwTempID, dwDeviceID), "unknown temporary ID");
}

/* True when dev is one of our line devices now. */
static bool device_valid(DWORD dev)
{
	struct provider *p = provider_get();
	if (!p)
		return false;
	plat_mutex_lock(&p->lock);
	bool ok = line_by_device(p, dev) != NULL;
	plat_mutex_unlock(&p->lock);
	return ok;
}

LONG TSPIAPI TSPI_lineNegotiateTSPIVersion(DWORD dwDeviceID, DWORD dwLowVersion, DWORD dwHighVersion,
					   LPDWORD lpdwTSPIVersion)
{
	TSPI_ENTER("dev=%#x, low=%#x, high=%#x", (unsigned)dwDeviceID, (unsigned)dwLowVersion,
		   (unsigned)dwHighVersion);
	if (!lpdwTSPIVersion)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL version pointer");
	if (dwDeviceID != INITIALIZE_NEGOTIATION && !device_valid(dwDeviceID))
		TSPI_RETURN((LONG)LINEERR_BADDEVICEID, "unknown device");
	DWORD v = dwHighVersion < TSP8_TSPI_VERSION_MAX ? dwHighVersion : TSP8_TSPI_VERSION_MAX;
	DWORD floor = dwLowVersion > TSP8_TSPI_VERSION_MIN ? dwLowVersion : TSP8_TSPI_VERSION_MIN;
	if (v < floor)
		TSPI_RETURN((LONG)LINEERR_INCOMPATIBLEAPIVERSION, "we support 0x00020000..0x00030000");
	*lpdwTSPIVersion = v;
	TSPI_RETURN(0, NULL);
}

LONG TSPIAPI TSPI_lineGetExtensionID(DWORD dwDeviceID, DWORD dwTSPIVersion, LPLINEEXTENSIONID lpExtensionID)
{
	TSPI_ENTER("dev=%u, ver=%#x", (unsigned)dwDeviceID, (unsigned)dwTSPIVersion);
	if (!lpExtensionID)
		TSPI_RETURN((LONG)LINEERR_INVALPOINTER, "NULL extension ID");
	if (!device_valid(dwDeviceID))
		TSPI_RETURN((LONG)LINEERR_BADDEVICEID, "unknown device");
	/* no device-specific extensions */
	memset(lpExtensionID, 0, sizeof(*lpExtensionID));
	TSPI_RETURN(0, NULL);
}
