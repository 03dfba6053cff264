/* lineMakeCall destination cleaning (see dialstr.h). */
#include "tsp8/dialstr.h"

#include <stdbool.h>
#include <string.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Characters of a dialable number (tspi.md §13) plus the separators we
 * remove. */
static bool dialable(char c)
{
	return is_digit(c) || strchr("ABCDabcd*#+TtPpWw@$?;!, -()", c) != NULL;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

LONG dialstr_clean(const char *in, char *out, size_t outlen)
{
	if (!out || outlen == 0)
		return (LONG)LINEERR_INVALPOINTER;
	out[0] = '\0';
	if (!in || !in[0])
		return (LONG)LINEERR_OPERATIONUNAVAIL;

	/* the address proper ends at a subaddress, a name or a line break */
	size_t n = strcspn(in, "|^\r\n");
	while (n > 0 && blank(in[n - 1]))
		n--;
	while (n > 0 && blank(*in)) {
		in++;
		n--;
	}
	if (n == 0)
		return (LONG)LINEERR_INVALADDRESS;
	if (n >= outlen || n >= DIALSTR_MAX)
		return (LONG)LINEERR_INVALADDRESS;

	/* A number: dialable characters only, and digits or nothing but
	 * tone/pulse switches and separators (which then strip to nothing). */
	bool digits = false, other_letters = false, all_dialable = true;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (is_digit(c))
			digits = true;
		else if (((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) && !strchr("TtPp", c))
			other_letters = true;
		if (!dialable(c))
			all_dialable = false;
	}
	bool number = all_dialable && (digits || !other_letters);
	if (!number) {
		/* a name: no modifiers to interpret */
		memcpy(out, in, n);
		out[n] = '\0';
		return 0;
	}

	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		switch (c) {
		case 'T': case 't': case 'P': case 'p':
		case ' ': case '\t': case '-': case '(': case ')': case ',':
			continue;
		case 'W': case 'w':
			return (LONG)LINEERR_DIALDIALTONE;
		case '@':
			return (LONG)LINEERR_DIALQUIET;
		case '$':
			return (LONG)LINEERR_DIALBILLING;
		case '?':
			return (LONG)LINEERR_DIALPROMPT;
		case '!':
			return (LONG)LINEERR_INVALADDRESS;
		case ';':
			if (i + 1 == n)
				return (LONG)LINEERR_OPERATIONUNAVAIL;
			return (LONG)LINEERR_INVALADDRESS;
		case '+':
			if (o != 0)
				return (LONG)LINEERR_INVALADDRESS;
			break;
		default:
			break;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	if (o == 0 || (o == 1 && out[0] == '+'))
		return (LONG)LINEERR_INVALADDRESS;
	return 0;
}
