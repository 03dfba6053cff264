/* The provider object's life cycle (TSPI_providerEnumDevices .. Shutdown).
 *
 * The object is created in TSPI_providerEnumDevices (which tapisrv calls
 * before providerInit) from the configuration: trace, pbx_io, dispatcher,
 * PBX tree; EnumDevices then waits until the tree has enumerated the lines
 * of the TAPI user's scope, or LineTimeOut expired, and reports how many it
 * knows.  providerShutdown destroys everything with bounded waits and resets
 * the single pointer, so a new EnumDevices/Init cycle starts from scratch.
 */
#ifndef TSP8_TSP8_PROVIDER_H
#define TSP8_TSP8_PROVIDER_H

#include "tsp8/model.h"

/* EnumDevices: creates the provider unless it exists, waits for the lines,
 * fixes the enumerated set.  *nlines gets their number. */
LONG provider_enum_devices(DWORD perm_provider_id, HPROVIDER hprovider, LINEEVENT create_proc,
			   DWORD *nlines);
/* providerInit: binds device IDs, stores the completion proc. */
LONG provider_init(DWORD perm_provider_id, DWORD line_base, DWORD_PTR nlines,
		   ASYNC_COMPLETION completion);
/* providerShutdown. */
LONG provider_shutdown(void);

/* The trace of the current provider (NULL when none). */
struct trace *provider_trace(void);

#endif
