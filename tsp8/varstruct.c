/* Variable parts of TAPI structures (see varstruct.h). */
#include "tsp8/varstruct.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tsp8/utf16.h"

void vb_init(struct varbuf *vb, void *base, DWORD total, DWORD fixed)
{
	vb->base = base;
	vb->total = total;
	vb->used = fixed;
	vb->needed = fixed;
}

static DWORD align4(DWORD v)
{
	return (v + 3u) & ~3u;
}

/* Reserves len bytes: returns the offset when they fit, 0 otherwise; always
 * grows needed.  Parts that did not fit do not make later small parts fail
 * (each part is tried on its own), but used only grows with what was
 * written. */
static DWORD reserve(struct varbuf *vb, DWORD len)
{
	DWORD at_needed = align4(vb->needed);
	if (at_needed < vb->needed || at_needed + len < at_needed) {
		vb->needed = UINT32_MAX;
		return 0;
	}
	vb->needed = at_needed + len;
	DWORD at = align4(vb->used);
	if (at < vb->used || at + len < at || at + len > vb->total)
		return 0;
	vb->used = at + len;
	return at;
}

bool vb_add(struct varbuf *vb, const void *data, DWORD len, DWORD *size, DWORD *offset)
{
	*size = 0;
	*offset = 0;
	if (len == 0)
		return true;
	DWORD at = reserve(vb, len);
	if (!at)
		return false;
	memcpy(vb->base + at, data, len);
	*size = len;
	*offset = at;
	return true;
}

bool vb_add_wstr(struct varbuf *vb, const char *utf8, bool skip_empty, DWORD *size, DWORD *offset)
{
	*size = 0;
	*offset = 0;
	if (!utf8)
		utf8 = "";
	if (!utf8[0] && skip_empty)
		return true;
	size_t units = utf8_to_utf16le(utf8, NULL, 0);
	if (units > (UINT32_MAX / 2) - 1)
		return false;
	DWORD len = (DWORD)((units + 1) * 2);
	DWORD at = reserve(vb, len);
	if (!at)
		return false;
	utf8_to_utf16le(utf8, vb->base + at, units);
	memset(vb->base + at + units * 2, 0, 2);
	*size = len;
	*offset = at;
	return true;
}

bool vb_add_wmulti(struct varbuf *vb, const char *const *strs, size_t n, DWORD *size, DWORD *offset)
{
	*size = 0;
	*offset = 0;
	size_t units = 1;  /* final NUL */
	for (size_t i = 0; i < n; i++)
		units += utf8_to_utf16le(strs[i], NULL, 0) + 1;
	if (units > UINT32_MAX / 2)
		return false;
	DWORD len = (DWORD)(units * 2);
	DWORD at = reserve(vb, len);
	if (!at)
		return false;
	unsigned char *p = vb->base + at;
	for (size_t i = 0; i < n; i++) {
		size_t u = utf8_to_utf16le(strs[i], p, (size_t)-1 / 4);
		memset(p + u * 2, 0, 2);
		p += (u + 1) * 2;
	}
	memset(p, 0, 2);
	*size = len;
	*offset = at;
	return true;
}
