/* UTF-8 clean-up of decoded strings.
 *
 * gSOAP (SOAP_C_UTFSTRING) does not guarantee valid UTF-8: it passes UTF-16
 * surrogates (raw or as &#xD800;) and code points above U+10FFFF through,
 * and accepts overlong forms.  Records promise UTF-8 to the layers above
 * (which convert to UTF-16 for TAPI), so every decoded string is copied with
 * each invalid sequence replaced by U+FFFD. */
#include <string.h>

#include "soap/soap_internal.h"

static const char replacement[] = "\xef\xbf\xbd";   /* U+FFFD */
#define REPLACEMENT_LEN 3

/* Length (1..4) of the valid UTF-8 sequence at s, or 0 when it is invalid
 * (bad lead or continuation byte, overlong, surrogate, > U+10FFFF). */
static size_t seq_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		/* E0: no overlongs (A0..BF); ED: no surrogates (80..9F). */
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;

		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		/* F0: no overlongs (90..BF); F4: at most U+10FFFF (80..8F). */
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;

		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 && (s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

/* The NUL terminator fails every continuation test above, so a sequence
 * cut short by the end of the string is invalid and nothing is read past
 * the terminator. */

size_t codec_utf8_clean_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = 0;

	while (*s) {
		size_t k = seq_len(s);

		if (k) {
			n += k;
			s += k;
		} else {
			n += REPLACEMENT_LEN;
			s++;
		}
	}
	return n;
}

void codec_utf8_clean(char *dst, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		size_t k = seq_len(s);

		if (k) {
			memcpy(dst, s, k);
			dst += k;
			s += k;
		} else {
			memcpy(dst, replacement, REPLACEMENT_LEN);
			dst += REPLACEMENT_LEN;
			s++;
		}
	}
	*dst = '\0';
}
