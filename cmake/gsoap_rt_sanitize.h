/* Force-included into gSOAP's stdsoap2.c in the sanitizer and fuzzing
 * builds only (cmake/GsoapRuntime.cmake).
 *
 * On the error paths of soap_id_enter (an id defined twice, or with two
 * types; also through soap_id_nullify) gSOAP copies soap->id onto itself.
 * The copy changes nothing, but strncpy with overlapping arguments is
 * undefined and ASan's strncpy interceptor aborts the test that feeds
 * mutated PBX answers (tests/soap/test_codec_robust.c).  This strncpy is
 * defined for any overlap; it is used by stdsoap2.c only, never by our
 * code, whose strncpy calls stay checked. */
#ifndef TSP8_GSOAP_RT_SANITIZE_H
#define TSP8_GSOAP_RT_SANITIZE_H

#include <string.h>

static inline char *gsoap_rt_strncpy(char *dst, const char *src, size_t n)
{
	size_t len = strnlen(src, n);

	memmove(dst, src, len);
	memset(dst + len, 0, n - len);
	return dst;
}
#define strncpy gsoap_rt_strncpy

#endif
