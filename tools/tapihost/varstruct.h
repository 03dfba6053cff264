/* Reading TAPI variably sized structures the way tapisrv does.
 *
 * The buffer starts at the fixed size of the negotiated version, TAPI's
 * pre-filled fields are set, and it grows to dwNeededSize until everything
 * fits.  Every answer is checked (tspi.md §7, §16.3): nothing written past
 * dwTotalSize (guard bytes), dwTotalSize untouched, fixed size <= Used <=
 * Total, Needed >= Used, each part inside [fixed size, Used), strings
 * NUL-terminated UTF-16.  Problems are printed as violations.
 */
#ifndef TAPIHOST_VARSTRUCT_H
#define TAPIHOST_VARSTRUCT_H

#include <stddef.h>
#include <stdint.h>

#include "out.h"
#include "tsp8/tapi_abi.h"

struct vs_part {
	const char *name;     /* for messages, e.g. "LineName" */
	size_t size_field;    /* offsetof the dwXxxSize field; Offset follows it */
	int is_string;        /* UTF-16 string: even size, ends with NUL */
	DWORD min_version;    /* part exists from this version on */
};

/* Calls the provider for buf (which has dwTotalSize set). */
typedef LONG (*vs_fill_fn)(void *ctx, void *buf);

struct vs_request {
	const char *what;            /* "TSPI_lineGetDevCaps(7)" for messages */
	DWORD fixed;                 /* fixed size for the negotiated version */
	DWORD version;
	int prefill_needed_used;     /* TAPI presets Needed/Used to the fixed size */
	const struct vs_part *parts;
	size_t nparts;
	vs_fill_fn fill;
	void *ctx;
};

/* Returns the provider's result.  On 0, *out is a malloc'd buffer holding
 * the complete structure (free it); otherwise *out is NULL.  Out of memory
 * gives LINEERR_NOMEM with a message. */
LONG vs_get(struct out *o, const struct vs_request *rq, uint8_t **out);

/* Reads DWORD at byte offset off of a structure buffer. */
DWORD vs_dword(const uint8_t *buf, size_t off);
/* Copies the UTF-16 part described by its Size field at size_field as
 * UTF-8 into dst ("" if absent or outside the buffer; buffers from vs_get
 * always hold dwTotalSize bytes). */
void vs_string(const uint8_t *buf, size_t size_field, char *dst, size_t cap);

#endif
