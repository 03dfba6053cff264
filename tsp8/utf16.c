/* UTF-8 <-> UTF-16LE conversion (see utf16.h). */
#include "tsp8/utf16.h"

#include <stdint.h>
#include <string.h>

/* Decodes one UTF-8 character at *p; advances *p.  Invalid sequences
 * (overlong, surrogates, > U+10FFFF, truncated) yield U+FFFD and consume one
 * byte. */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	unsigned char c = s[0];
	uint32_t cp;
	int n;
	if (c < 0x80) {
		*p = s + 1;
		return c;
	} else if ((c & 0xe0) == 0xc0) {
		cp = c & 0x1f;
		n = 1;
	} else if ((c & 0xf0) == 0xe0) {
		cp = c & 0x0f;
		n = 2;
	} else if ((c & 0xf8) == 0xf0) {
		cp = c & 0x07;
		n = 3;
	} else {
		*p = s + 1;
		return 0xfffd;
	}
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + 1;
			return 0xfffd;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	static const uint32_t min[4] = { 0, 0x80, 0x800, 0x10000 };
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		*p = s + 1;
		return 0xfffd;
	}
	*p = s + n + 1;
	return cp;
}

static void put_unit(void *out, size_t i, size_t outlen, uint16_t u)
{
	if (i < outlen) {
		unsigned char b[2] = { (unsigned char)(u & 0xff), (unsigned char)(u >> 8) };
		memcpy((unsigned char *)out + 2 * i, b, 2);
	}
}

size_t utf8_to_utf16le(const char *s, void *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = 0;
	if (!out)
		outlen = 0;
	while (*p) {
		uint32_t cp = next_cp(&p);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			put_unit(out, n++, outlen, (uint16_t)(0xd800 | (cp >> 10)));
			put_unit(out, n++, outlen, (uint16_t)(0xdc00 | (cp & 0x3ff)));
		} else {
			put_unit(out, n++, outlen, (uint16_t)cp);
		}
	}
	return n;
}

static uint16_t get_unit(LPCWSTR w, size_t i)
{
	/* TAPI's pointer may be unaligned in principle: read bytewise */
	unsigned char b[2];
	memcpy(b, (const unsigned char *)w + 2 * i, 2);
	return (uint16_t)(b[0] | (b[1] << 8));
}

static int put_utf8(char *out, size_t outlen, size_t *pos, uint32_t cp)
{
	unsigned char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (*pos + n + 1 > outlen)
		return -1;
	memcpy(out + *pos, b, n);
	*pos += n;
	out[*pos] = '\0';
	return 0;
}

int utf16_to_utf8(LPCWSTR w, size_t max_units, char *out, size_t outlen)
{
	if (!out || outlen == 0)
		return -1;
	out[0] = '\0';
	if (!w)
		return 0;
	size_t pos = 0;
	for (size_t i = 0; i < max_units; i++) {
		uint32_t u = get_unit(w, i);
		if (u == 0)
			return 0;
		uint32_t cp = u;
		if (u >= 0xd800 && u <= 0xdbff && i + 1 < max_units) {
			uint32_t lo = get_unit(w, i + 1);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			} else {
				cp = 0xfffd;
			}
		} else if (u >= 0xd800 && u <= 0xdfff) {
			cp = 0xfffd;
		}
		if (put_utf8(out, outlen, &pos, cp) != 0) {
			out[0] = '\0';
			return -1;
		}
	}
	out[0] = '\0';
	return -1;
}
