/* Loads the provider library and resolves its TSPI_* exports by name, the
 * way tapisrv does with GetProcAddress.  Required exports (tspi.md §2) must
 * exist; optional ones are NULL when absent and tapihost then treats the
 * operation as unavailable. */
#ifndef TAPIHOST_LOADER_H
#define TAPIHOST_LOADER_H

#include <stddef.h>

#include "base/platform.h"
#include "tsp8/tapi_abi.h"

struct tspi {
	plat_dl *dl;
	/* required */
	LONG (TSPIAPI *lineNegotiateTSPIVersion)(DWORD, DWORD, DWORD, LPDWORD);
	LONG (TSPIAPI *providerEnumDevices)(DWORD, LPDWORD, LPDWORD, HPROVIDER, LINEEVENT, PHONEEVENT);
	LONG (TSPIAPI *providerInit)(DWORD, DWORD, DWORD, DWORD, DWORD_PTR, DWORD_PTR,
				     ASYNC_COMPLETION, LPDWORD);
	LONG (TSPIAPI *providerShutdown)(DWORD, DWORD);
	LONG (TSPIAPI *lineGetDevCaps)(DWORD, DWORD, DWORD, LPLINEDEVCAPS);
	LONG (TSPIAPI *lineOpen)(DWORD, HTAPILINE, LPHDRVLINE, DWORD, LINEEVENT);
	LONG (TSPIAPI *lineClose)(HDRVLINE);
	/* optional */
	LONG (TSPIAPI *lineGetAddressCaps)(DWORD, DWORD, DWORD, DWORD, LPLINEADDRESSCAPS);
	LONG (TSPIAPI *lineSetDefaultMediaDetection)(HDRVLINE, DWORD);
	LONG (TSPIAPI *providerCreateLineDevice)(DWORD_PTR, DWORD);
	LONG (TSPIAPI *lineCloseCall)(HDRVCALL);
	LONG (TSPIAPI *lineGetCallInfo)(HDRVCALL, LPLINECALLINFO);
	LONG (TSPIAPI *lineGetCallStatus)(HDRVCALL, LPLINECALLSTATUS);
	LONG (TSPIAPI *lineMakeCall)(DRV_REQUESTID, HDRVLINE, HTAPICALL, LPHDRVCALL, LPCWSTR, DWORD,
				     LPLINECALLPARAMS const);
	LONG (TSPIAPI *lineAnswer)(DRV_REQUESTID, HDRVCALL, LPCSTR, DWORD);
	LONG (TSPIAPI *lineDrop)(DRV_REQUESTID, HDRVCALL, LPCSTR, DWORD);
	LONG (TSPIAPI *lineHold)(DRV_REQUESTID, HDRVCALL);
	LONG (TSPIAPI *lineUnhold)(DRV_REQUESTID, HDRVCALL);
	LONG (TSPIAPI *lineDial)(DRV_REQUESTID, HDRVCALL, LPCWSTR, DWORD);
};

/* Loads path.  On failure returns a TSP8_E* code and a one-line reason in
 * err (the loader's message, or the list of missing required exports). */
int loader_open(struct tspi **out, const char *path, char *err, size_t cap);
/* Unloads the library and frees t. */
void loader_close(struct tspi *t);

#endif
