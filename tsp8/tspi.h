/* Helpers of the exported TSPI entry points (tspi_*.c): TRACE_API entry and
 * exit traces, and a clear WARN trace for every error returned to TAPI. */
#ifndef TSP8_TSP8_TSPI_H
#define TSP8_TSP8_TSPI_H

#include "base/trace.h"
#include "tsp8/provider.h"
#include "tsp8/tapi_abi.h"

/* Name of a LINEERR code ("LINEERR_INVALLINEHANDLE"), or "0"/"request". */
const char *tspi_err_name(LONG rc);

/* Entry trace: "TSPI_lineOpen(dev=3, ...)". */
#define TSPI_ENTER(fmt, ...) \
	TRACE(provider_trace(), TRACE_API, "-> %s(" fmt ")", __func__, __VA_ARGS__)

/* Exit trace; an error also gets a WARN trace with why (may be NULL). */
LONG tspi_leave(const char *fn, LONG rc, const char *why);
#define TSPI_RETURN(rc, why) return tspi_leave(__func__, (rc), (why))

#endif
