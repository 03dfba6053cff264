/* UTF-16LE <-> UTF-8 conversion (see utf16.h). */
#include "utf16.h"

#include <string.h>

#define REPLACEMENT 0xFFFDu

/* Appends the UTF-8 form of cp if it fits completely. */
static int put_utf8(char *dst, size_t cap, size_t *pos, uint32_t cp)
{
	char tmp[4];
	size_t n;
	if (cp < 0x80) {
		tmp[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		tmp[0] = (char)(0xC0 | (cp >> 6));
		tmp[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		tmp[0] = (char)(0xE0 | (cp >> 12));
		tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		tmp[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		tmp[0] = (char)(0xF0 | (cp >> 18));
		tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		tmp[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	if (*pos + n + 1 > cap)
		return -1;
	memcpy(dst + *pos, tmp, n);
	*pos += n;
	return 0;
}

size_t utf16le_to_utf8(const uint8_t *src, size_t bytes, char *dst, size_t cap)
{
	size_t pos = 0;
	size_t units = bytes / 2;
	if (cap == 0)
		return 0;
	for (size_t i = 0; i < units; i++) {
		uint32_t u = (uint32_t)src[2 * i] | ((uint32_t)src[2 * i + 1] << 8);
		if (u == 0)
			break;
		uint32_t cp = u;
		if (u >= 0xD800 && u <= 0xDBFF) {
			uint32_t lo = 0;
			if (i + 1 < units)
				lo = (uint32_t)src[2 * i + 2] | ((uint32_t)src[2 * i + 3] << 8);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i++;
			} else {
				cp = REPLACEMENT;
			}
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			cp = REPLACEMENT;
		}
		if (put_utf8(dst, cap, &pos, cp) != 0)
			break;
	}
	dst[pos] = '\0';
	return pos;
}

/* Decodes one UTF-8 character at s; sets *len to the bytes consumed. */
static uint32_t get_utf8(const unsigned char *s, size_t *len)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp;
	*len = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return REPLACEMENT;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return REPLACEMENT;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return REPLACEMENT;
	*len = n;
	return cp;
}

size_t utf8_to_utf16(const char *src, uint16_t *dst, size_t cap)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t pos = 0;
	if (cap == 0)
		return (size_t)-1;
	while (*s) {
		size_t len;
		uint32_t cp = get_utf8(s, &len);
		s += len;
		size_t need = cp >= 0x10000 ? 2 : 1;
		if (pos + need + 1 > cap) {
			dst[pos] = 0;
			return (size_t)-1;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			dst[pos++] = (uint16_t)(0xD800 + (cp >> 10));
			dst[pos++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
		} else {
			dst[pos++] = (uint16_t)cp;
		}
	}
	dst[pos] = 0;
	return pos;
}
