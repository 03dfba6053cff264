/* Small portable string helpers (strict C11 has no strdup/strcasecmp, and
 * the POSIX ones are not used outside base/). */
#ifndef TSP8_PBXTREE_STRUTIL_H
#define TSP8_PBXTREE_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* malloc'd copy of s (NULL counts as ""); NULL only when out of memory. */
char *str_dup(const char *s);
/* ASCII case-insensitive comparison (NULL counts as ""). */
int  str_casecmp(const char *a, const char *b);
/* Equality with NULL counting as "". */
bool str_eq(const char *a, const char *b);
/* Replaces *dst with a copy of src when they differ.  Returns TSP8_OK
 * (setting *changed when it did) or TSP8_ENOMEM (then *dst is unchanged). */
int  str_assign(char **dst, const char *src, bool *changed);

/* FNV-1a hash of s with ASCII letters folded to lower case (GUIDs and
 * value names compare case-insensitively). */
uint32_t str_casehash(const char *s);

#endif
