/* Bounded string builder and JSON string escaping for tapihost output.
 *
 * tapihost must cross-build for Windows without cJSON, so it formats JSON
 * itself.  A sbuf writes into caller-owned memory and never overflows: when
 * the memory is full it stops and sets `truncated`.
 */
#ifndef TAPIHOST_SBUF_H
#define TAPIHOST_SBUF_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf {
	char *buf;      /* caller's memory, always NUL-terminated */
	size_t cap;     /* size of buf in bytes (>= 1) */
	size_t len;     /* bytes used, excluding the NUL */
	bool truncated; /* something did not fit */
};

void sb_init(struct sbuf *b, char *mem, size_t cap);
void sb_putc(struct sbuf *b, char c);
void sb_puts(struct sbuf *b, const char *s);
void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal including the quotes.  Invalid UTF-8
 * bytes become \ufffd, control characters as \u00hh (or \n, \t, ...). */
void sb_json_str(struct sbuf *b, const char *s);

/* Escapes src for a JSON string body (no quotes) into dst (cap bytes,
 * NUL-terminated if cap > 0).  Returns the length the full escape needs,
 * excluding the NUL, like snprintf. */
size_t json_escape(char *dst, size_t cap, const char *src);

#endif
