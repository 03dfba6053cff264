/* TAPI variable structure reading and checking (see varstruct.h). */
#include "varstruct.h"

#include <stdlib.h>
#include <string.h>

#include "utf16.h"

#define VS_GUARD 16           /* guard bytes after dwTotalSize */
#define VS_GUARD_BYTE 0xA5
#define VS_MAX_SIZE (1u << 20) /* larger dwNeededSize is treated as bogus */
#define VS_MAX_ROUNDS 4

DWORD vs_dword(const uint8_t *buf, size_t off)
{
	DWORD v;
	memcpy(&v, buf + off, sizeof v);
	return v;
}

void vs_string(const uint8_t *buf, size_t size_field, char *dst, size_t cap)
{
	DWORD size = vs_dword(buf, size_field);
	DWORD off = vs_dword(buf, size_field + 4);
	if (cap == 0)
		return;
	dst[0] = '\0';
	DWORD total = vs_dword(buf, 0);   /* == the allocated size, see vs_get */
	if (size == 0 || off > total || size > total - off)
		return;
	utf16le_to_utf8(buf + off, size, dst, cap);
}

/* Checks one successful answer; returns the number of problems printed. */
static int check_answer(struct out *o, const struct vs_request *rq, const uint8_t *buf,
			DWORD total)
{
	int bad = 0;
	for (size_t i = 0; i < VS_GUARD; i++) {
		if (buf[total + i] != VS_GUARD_BYTE) {
			out_violation(o, "%s wrote past dwTotalSize %lu", rq->what, (unsigned long)total);
			bad++;
			break;
		}
	}
	DWORD t = vs_dword(buf, 0), need = vs_dword(buf, 4), used = vs_dword(buf, 8);
	if (t != total) {
		out_violation(o, "%s changed dwTotalSize from %lu to %lu", rq->what,
			      (unsigned long)total, (unsigned long)t);
		return bad + 1;
	}
	if (used > total || used < rq->fixed) {
		out_violation(o, "%s dwUsedSize %lu outside [%lu, %lu]", rq->what,
			      (unsigned long)used, (unsigned long)rq->fixed, (unsigned long)total);
		return bad + 1;
	}
	if (need < used) {
		out_violation(o, "%s dwNeededSize %lu < dwUsedSize %lu", rq->what,
			      (unsigned long)need, (unsigned long)used);
		bad++;
	}
	for (size_t i = 0; i < rq->nparts; i++) {
		const struct vs_part *p = &rq->parts[i];
		if (rq->version < p->min_version || p->size_field + 8 > rq->fixed)
			continue;
		DWORD size = vs_dword(buf, p->size_field);
		DWORD off = vs_dword(buf, p->size_field + 4);
		if (size == 0)
			continue;
		if (off < rq->fixed || off > used || size > used - off) {
			out_violation(o, "%s part %s (offset %lu size %lu) outside [%lu, dwUsedSize %lu)",
				      rq->what, p->name, (unsigned long)off, (unsigned long)size,
				      (unsigned long)rq->fixed, (unsigned long)used);
			bad++;
			continue;
		}
		if (p->is_string &&
		    (size % 2 != 0 || buf[off + size - 2] != 0 || buf[off + size - 1] != 0)) {
			out_violation(o, "%s string %s is not a NUL-terminated UTF-16 string", rq->what,
				      p->name);
			bad++;
		}
	}
	return bad;
}

/* A zeroed buffer of total bytes plus guard bytes, with TAPI's presets. */
static uint8_t *make_buffer(const struct vs_request *rq, DWORD total)
{
	uint8_t *buf = calloc(1, (size_t)total + VS_GUARD);
	if (!buf)
		return NULL;
	memset(buf + total, VS_GUARD_BYTE, VS_GUARD);
	memcpy(buf, &total, sizeof total);
	if (rq->prefill_needed_used) {
		memcpy(buf + 4, &rq->fixed, sizeof rq->fixed);
		memcpy(buf + 8, &rq->fixed, sizeof rq->fixed);
	}
	return buf;
}

LONG vs_get(struct out *o, const struct vs_request *rq, uint8_t **out)
{
	*out = NULL;
	DWORD total = rq->fixed;
	for (int round = 0; round < VS_MAX_ROUNDS; round++) {
		uint8_t *buf = make_buffer(rq, total);
		if (!buf) {
			out_violation(o, "tapihost: out of memory for %s", rq->what);
			return (LONG)LINEERR_NOMEM;
		}
		LONG rc = rq->fill(rq->ctx, buf);
		if (rc != 0) {
			if (rc > 0)
				out_violation(o, "%s returned positive %ld", rq->what, (long)rc);
			free(buf);
			return rc;
		}
		if (vs_dword(buf, 0) != total) {
			check_answer(o, rq, buf, total);
			free(buf);
			return (LONG)LINEERR_OPERATIONFAILED;
		}
		if (check_answer(o, rq, buf, total) > 0) {
			/* Reported; use what is there but do not grow on bogus sizes. */
			*out = buf;
			return 0;
		}
		DWORD need = vs_dword(buf, 4);
		if (need <= total) {
			*out = buf;
			return 0;
		}
		free(buf);
		if (need > VS_MAX_SIZE) {
			out_violation(o, "%s dwNeededSize %lu is implausible", rq->what, (unsigned long)need);
			return (LONG)LINEERR_OPERATIONFAILED;
		}
		total = need;
	}
	out_violation(o, "%s dwNeededSize still grows after %d rounds", rq->what, VS_MAX_ROUNDS);
	return (LONG)LINEERR_OPERATIONFAILED;
}
