/* LINEDEVCAPS and LINEADDRESSCAPS (tspi.md §7, §9). */
#ifndef TSP8_TSP8_CAPS_H
#define TSP8_TSP8_CAPS_H

#include "tsp8/model.h"

/* Plain data a line's capabilities are built from (copied under the model
 * lock, filled without it). */
struct caps_line {
	DWORD device_id;
	uint32_t perm_id;
	const char *guid, *name, *address, *pbx_name, *firmware;
};

/* Fill the caller's structure for version (already validated); returns 0 or
 * LINEERR_STRUCTURETOOSMALL when dwTotalSize < the version's fixed size. */
LONG caps_fill_dev(const struct caps_line *cl, DWORD version, LPLINEDEVCAPS caps);
LONG caps_fill_address(const struct caps_line *cl, DWORD version, LPLINEADDRESSCAPS caps);

/* Name-based GUID of a line: a 32-hex-digit line GUID is used as is, any
 * other text is hashed into a GUID with the RFC 4122 variant bits. */
void caps_line_guid(const char *guid_text, GUID *out);

/* "TSP8 <version>" */
const char *caps_provider_info(void);

#endif
