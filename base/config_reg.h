/* REGEDIT4 text files as a document (internal to base/).
 *
 * The document keeps every line of the file: a value that is not changed is
 * written back exactly as it was read, so sections of other keys, comments
 * and blank lines survive a rewrite.  Changed or new values are written in
 * regedit's own layout.
 *
 * Accepted syntax: first line "REGEDIT4" or "Windows Registry Editor
 * Version 5.00" (UTF-8, optional BOM); [ROOT\key] and [-ROOT\key] sections;
 * "name"= or @= with "string" (escapes \\ and \"), dword:1-8 hex digits,
 * hex:bytes, hex(N):bytes, or - (deletion); byte lists may continue on the
 * next line after a trailing backslash; ; comments on their own line or
 * after a value; blank lines; CRLF line ends.  Key paths, value names and
 * strings are UTF-8; bytes that are not valid UTF-8 are read as Latin-1
 * (so "innovaphone\xae" matches "innovaphone\xc2\xae").  Keys and value
 * names compare case-insensitively (ASCII letters).
 */
#ifndef TSP8_BASE_CONFIG_REG_H
#define TSP8_BASE_CONFIG_REG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"

/* Longest physical line and longest logical line (with continuations). */
#define REG_LINE_MAX (64u * 1024u)
#define REG_VALUE_MAX (1024u * 1024u)

/* Type of a value the API cannot express (hex(2):, "x"=-, ...): kept in the
 * file, invisible to lookups. */
#define REG_TYPE_OTHER 0

struct reg_doc;

/* Empty document (writes as "REGEDIT4" and what is set later). */
int  reg_doc_create(struct reg_doc **out);
/* Parses text (len bytes, need not be NUL-terminated).  Zero-length text is
 * an empty document.  TSP8_ESYNTAX with "line N: what" in errbuf. */
int  reg_doc_parse(struct reg_doc **out, const char *text, size_t len,
		   char *errbuf, size_t errlen);
void reg_doc_destroy(struct reg_doc *d);
/* Writes the document as text: *text is malloc'd and NUL-terminated. */
int  reg_doc_write(const struct reg_doc *d, char **text, size_t *len);

/* key: full path with root, e.g. "HKEY_LOCAL_MACHINE\SOFTWARE\x".
 * name: value name, "" for the default value (@).
 * Values of type CFG_SZ are NUL-terminated in data; len excludes the NUL. */
int reg_doc_get(const struct reg_doc *d, const char *key, const char *name,
		int *type, const void **data, size_t *len);
int reg_doc_set(struct reg_doc *d, const char *key, const char *name,
		enum cfg_type type, const void *data, size_t len);
/* TSP8_ENOTFOUND when there is no such value. */
int reg_doc_delete(struct reg_doc *d, const char *key, const char *name);

/* Calls fn for every visible value of key in file order (a value that a
 * later line of the same name overrides is skipped); stops at the first
 * non-zero return and returns it. */
typedef int (reg_value_fn)(void *arg, const char *name, int type,
			   const void *data, size_t len);
int reg_doc_enum(const struct reg_doc *d, const char *key, reg_value_fn *fn, void *arg);

/* Key path comparison used throughout (case-insensitive, ignores trailing
 * backslashes). */
bool reg_key_equal(const char *a, const char *b);

#endif
