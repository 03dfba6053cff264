/* UTF-16LE <-> UTF-8 for the strings inside TAPI structures.
 *
 * TAPI strings are WCHAR (UTF-16, little endian on every Windows target).
 * They are read byte-wise because offsets chosen by the provider need not be
 * 2-byte aligned.
 */
#ifndef TAPIHOST_UTF16_H
#define TAPIHOST_UTF16_H

#include <stddef.h>
#include <stdint.h>

/* Converts at most `bytes` bytes of UTF-16LE at src (stops at a NUL code
 * unit) into NUL-terminated UTF-8 in dst (cap bytes, cap >= 1).  Unpaired
 * surrogates become U+FFFD; an odd trailing byte is ignored.  Output that does
 * not fit is cut at a character boundary.  Returns the bytes written. */
size_t utf16le_to_utf8(const uint8_t *src, size_t bytes, char *dst, size_t cap);

/* Converts NUL-terminated UTF-8 into NUL-terminated UTF-16 (host order, as
 * WCHAR) in dst (cap code units, cap >= 1).  Invalid bytes become U+FFFD.
 * Returns the number of code units written excluding the NUL, or (size_t)-1
 * when the result did not fit. */
size_t utf8_to_utf16(const char *src, uint16_t *dst, size_t cap);

#endif
