/* UTF-8 <-> UTF-16 conversions for the Windows files of base/ (internal).
 *
 * The public API of base/ speaks UTF-8; Windows' wide ("W") functions and
 * the registry speak UTF-16.  Every converted string is malloc'd and owned
 * by the caller.
 */
#ifndef TSP8_BASE_UTF16_WIN32_H
#define TSP8_BASE_UTF16_WIN32_H

#include <stddef.h>
#include <wchar.h>

/* s (NUL-terminated UTF-8) as a NUL-terminated UTF-16 string.
 * TSP8_EINVAL for NULL or invalid UTF-8, TSP8_ENOMEM. */
int w32_to_wide(const char *s, wchar_t **out);

/* wlen UTF-16 units (need not be NUL-terminated; embedded NULs are kept)
 * as NUL-terminated UTF-8; *outlen (if given) excludes the NUL.  Unpaired
 * surrogates become U+FFFD rather than failing: text read from the system
 * is shown as well as possible. */
int w32_to_utf8(const wchar_t *w, size_t wlen, char **out, size_t *outlen);

/* Message text of a Win32 error code (FormatMessage, trailing line break
 * removed) into buf; never fails, falls back to "error N". */
void w32_error_text(unsigned long code, char *buf, size_t len);

#endif
