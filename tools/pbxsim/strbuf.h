/* pbxsim growable string buffer.  An allocation failure is sticky: the
 * buffer stops growing and sb_failed() tells the owner at the end. */
#ifndef PBXSIM_STRBUF_H
#define PBXSIM_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;   /* NUL-terminated when len > 0 or after sb_cstr() */
	size_t len;
	size_t cap;
	bool failed;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_append(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s escaped for XML text and attribute values. */
void sb_xml(struct strbuf *sb, const char *s);
/* Appends s as a JSON string literal (with quotes). */
void sb_json(struct strbuf *sb, const char *s);
/* Contents as a C string ("" when empty); never NULL. */
const char *sb_cstr(struct strbuf *sb);
bool sb_failed(const struct strbuf *sb);
/* Hands the buffer to the caller (NULL after a failure); sb is reset. */
char *sb_detach(struct strbuf *sb);

#endif
