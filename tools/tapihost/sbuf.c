/* Bounded string builder and JSON escaper (see sbuf.h). */
#include "sbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void sb_init(struct sbuf *b, char *mem, size_t cap)
{
	b->buf = mem;
	b->cap = cap;
	b->len = 0;
	b->truncated = false;
	if (cap > 0)
		mem[0] = '\0';
}

void sb_putc(struct sbuf *b, char c)
{
	if (b->len + 1 >= b->cap) {
		b->truncated = true;
		return;
	}
	b->buf[b->len++] = c;
	b->buf[b->len] = '\0';
}

void sb_puts(struct sbuf *b, const char *s)
{
	while (*s)
		sb_putc(b, *s++);
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	if (b->cap == 0) {
		b->truncated = true;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	size_t room = b->cap - b->len;
	int n = vsnprintf(b->buf + b->len, room, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->buf[b->len] = '\0';
		b->truncated = true;
		return;
	}
	if ((size_t)n >= room) {
		b->len = b->cap - 1;
		b->truncated = true;
	} else {
		b->len += (size_t)n;
	}
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is invalid.
 * Overlong forms, surrogates and values above U+10FFFF are invalid. */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	uint32_t cp;
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
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* Writes one escaped unit into dst when it fits; always counts it. */
static void emit(char *dst, size_t cap, size_t *pos, const char *piece, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (*pos + 1 < cap)
			dst[*pos] = piece[i];
		(*pos)++;
	}
}

size_t json_escape(char *dst, size_t cap, const char *src)
{
	size_t pos = 0;
	const unsigned char *s = (const unsigned char *)src;
	char tmp[8];
	while (*s) {
		unsigned char c = *s;
		const char *esc = NULL;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		default: break;
		}
		if (esc) {
			emit(dst, cap, &pos, esc, strlen(esc));
			s++;
		} else if (c < 0x20 || c == 0x7F) {
			snprintf(tmp, sizeof tmp, "\\u%04x", c);
			emit(dst, cap, &pos, tmp, 6);
			s++;
		} else {
			size_t n = utf8_seq_len(s);
			if (n == 0) {
				emit(dst, cap, &pos, "\\ufffd", 6);
				s++;
			} else {
				emit(dst, cap, &pos, (const char *)s, n);
				s += n;
			}
		}
	}
	if (cap > 0)
		dst[pos < cap ? pos : cap - 1] = '\0';
	return pos;
}

void sb_json_str(struct sbuf *b, const char *s)
{
	sb_putc(b, '"');
	if (b->cap > b->len + 1) {
		size_t room = b->cap - b->len;
		size_t need = json_escape(b->buf + b->len, room, s);
		if (need >= room) {
			b->truncated = true;
			b->len = b->cap - 1;
		} else {
			b->len += need;
		}
		b->buf[b->len] = '\0';
	} else if (*s) {
		b->truncated = true;
	}
	sb_putc(b, '"');
}
