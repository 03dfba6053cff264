/* UTF-8 <-> UTF-16LE for the TAPI boundary (TAPI strings are WCHAR; ours
 * are UTF-8).  WCHAR is 16 bits on every platform (tapi_abi.h). */
#ifndef TSP8_TSP8_UTF16_H
#define TSP8_TSP8_UTF16_H

#include <stddef.h>

#include "tsp8/tapi_abi.h"

/* Converts s (NUL-terminated UTF-8; NULL counts as "") into out as
 * little-endian UTF-16 code units.  Writes at most outlen units (no NUL is
 * added: callers reserve room for it).  Returns the number of units the
 * whole string needs (without NUL).  Invalid UTF-8 bytes become U+FFFD. */
size_t utf8_to_utf16le(const char *s, void *out, size_t outlen);

/* Converts a NUL-terminated UTF-16 string from TAPI into UTF-8.  Reads at
 * most max_units units (a string without a NUL within them is rejected).
 * Unpaired surrogates become U+FFFD.  Returns 0, or -1 when the string is
 * unterminated within max_units or does not fit into out (out then "").
 * w == NULL gives "". */
int utf16_to_utf8(LPCWSTR w, size_t max_units, char *out, size_t outlen);

#endif
