/* UTF-8 <-> UTF-16 conversions and Win32 error texts (see utf16_win32.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "base/error.h"
#include "base/utf16_win32.h"

int w32_to_wide(const char *s, wchar_t **out)
{
	size_t len;
	int n;
	wchar_t *w;

	if (!s || !out)
		return TSP8_EINVAL;
	len = strlen(s);
	if (len >= INT_MAX)
		return TSP8_ELIMIT;
	if (len == 0) {
		w = calloc(1, sizeof(*w));
		if (!w)
			return TSP8_ENOMEM;
		*out = w;
		return TSP8_OK;
	}
	/* MB_ERR_INVALID_CHARS: a broken name must fail, not silently become
	 * another name with U+FFFD in it. */
	n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, (int)len, NULL, 0);
	if (n <= 0)
		return TSP8_EINVAL;
	w = malloc(((size_t)n + 1) * sizeof(*w));
	if (!w)
		return TSP8_ENOMEM;
	if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, (int)len, w, n) != n) {
		free(w);
		return TSP8_EINVAL;
	}
	w[n] = L'\0';
	*out = w;
	return TSP8_OK;
}

int w32_to_utf8(const wchar_t *w, size_t wlen, char **out, size_t *outlen)
{
	int n = 0;
	char *s;

	if ((!w && wlen > 0) || !out)
		return TSP8_EINVAL;
	if (wlen >= INT_MAX / 4)
		return TSP8_ELIMIT;
	if (wlen > 0) {
		n = WideCharToMultiByte(CP_UTF8, 0, w, (int)wlen, NULL, 0, NULL, NULL);
		if (n <= 0)
			return TSP8_EINVAL;
	}
	s = malloc((size_t)n + 1);
	if (!s)
		return TSP8_ENOMEM;
	if (n > 0 && WideCharToMultiByte(CP_UTF8, 0, w, (int)wlen, s, n, NULL, NULL) != n) {
		free(s);
		return TSP8_EINVAL;
	}
	s[n] = '\0';
	*out = s;
	if (outlen)
		*outlen = (size_t)n;
	return TSP8_OK;
}

void w32_error_text(unsigned long code, char *buf, size_t len)
{
	wchar_t msg[512];
	char text[1536];
	DWORD n;
	int m = 0;
	size_t cut;

	if (!buf || len == 0)
		return;
	n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
			   FORMAT_MESSAGE_MAX_WIDTH_MASK, NULL, (DWORD)code, 0, msg,
			   sizeof(msg) / sizeof(msg[0]), NULL);
	/* MAX_WIDTH_MASK turns line breaks into spaces: drop trailing ones
	 * and the full stop, so the text can be followed by more. */
	while (n > 0 && (msg[n - 1] == L' ' || msg[n - 1] == L'\r' || msg[n - 1] == L'\n' ||
			 msg[n - 1] == L'.'))
		n--;
	if (n > 0)
		m = WideCharToMultiByte(CP_UTF8, 0, msg, (int)n, text, sizeof(text) - 1,
					NULL, NULL);
	if (m <= 0) {
		snprintf(buf, len, "error %lu", code);
		return;
	}
	text[m] = '\0';
	snprintf(buf, len, "%s (error %lu)", text, code);
	/* snprintf may have cut a multi-byte character in two: drop its
	 * leading bytes so that buf stays valid UTF-8. */
	cut = strlen(buf);
	if (cut + 1 == len) {
		while (cut > 0 && ((unsigned char)buf[cut - 1] & 0xC0) == 0x80)
			cut--;
		if (cut > 0 && ((unsigned char)buf[cut - 1] & 0xC0) == 0xC0)
			cut--;
		buf[cut] = '\0';
	}
}
