/* Portable string helpers (see strutil.h). */
#include "pbxtree/strutil.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"

char *str_dup(const char *s)
{
	if (!s)
		s = "";
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int str_casecmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)(a ? a : "");
	const unsigned char *y = (const unsigned char *)(b ? b : "");
	while (*x && lower(*x) == lower(*y)) {
		x++;
		y++;
	}
	return lower(*x) - lower(*y);
}

bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

int str_assign(char **dst, const char *src, bool *changed)
{
	if (*dst && str_eq(*dst, src))
		return TSP8_OK;
	char *n = str_dup(src);
	if (!n)
		return TSP8_ENOMEM;
	free(*dst);
	*dst = n;
	if (changed)
		*changed = true;
	return TSP8_OK;
}

uint32_t str_casehash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * 16777619u;
	}
	return h;
}
