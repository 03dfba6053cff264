/* Filling TAPI's variably sized structures (tspi.md §7).
 *
 * The fixed part is built in a local copy and copied out for the negotiated
 * version's fixed size only; variable parts are appended after that size in
 * the caller's buffer, each one only if it fits entirely (never truncated),
 * otherwise its Size/Offset stay 0.  dwNeededSize counts everything,
 * dwUsedSize what was written.  Nothing is ever written at or beyond
 * dwTotalSize.  Parts start on 4-byte boundaries (the padding is counted).
 */
#ifndef TSP8_TSP8_VARSTRUCT_H
#define TSP8_TSP8_VARSTRUCT_H

#include <stdbool.h>
#include <stddef.h>

#include "tsp8/tapi_abi.h"

struct varbuf {
	unsigned char *base;   /* start of the caller's structure */
	DWORD total;           /* its dwTotalSize */
	DWORD used;            /* bytes written so far (fixed part included) */
	DWORD needed;          /* bytes needed for everything so far */
};

/* fixed: the version's fixed size (caller checked total >= fixed). */
void vb_init(struct varbuf *vb, void *base, DWORD total, DWORD fixed);
/* Appends len bytes of data.  Returns true and sets the size and offset when the
 * part fits, false (both 0) when it does not. len 0 adds nothing. */
bool vb_add(struct varbuf *vb, const void *data, DWORD len, DWORD *size, DWORD *offset);
/* Appends a UTF-8 string as NUL-terminated UTF-16LE (size includes the
 * NUL).  An empty or NULL string adds nothing (size/offset 0) when
 * skip_empty is set, else a lone NUL. */
bool vb_add_wstr(struct varbuf *vb, const char *utf8, bool skip_empty, DWORD *size, DWORD *offset);
/* Appends a UTF-16 multi-string from a list of UTF-8 strings: each one
 * NUL-terminated, one more NUL at the end ("tapi/line\0\0"). */
bool vb_add_wmulti(struct varbuf *vb, const char *const *strs, size_t n, DWORD *size, DWORD *offset);

#endif
