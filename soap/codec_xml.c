/* In-place preparation of a PBX answer before gSOAP parses it.
 *
 * Why: gSOAP reads a SOAP-encoded array in two ways.  With a
 * SOAP-ENC:arrayType="inno:UserInfo[n]" attribute it allocates n slots and
 * reads at most n members; members beyond n are silently skipped,
 * "inno:UserInfo[]" yields an empty array (all members dropped without an
 * error), and an item type it cannot match (unprefixed "UserInfo[2]", an
 * undeclared prefix) fails the whole message.  Without the attribute it reads
 * every member element, whatever its name, until the array's end tag.  The
 * PBX's exact array attributes are not documented (facts sheet §1, §11), so
 * the codec always takes the second path: it renames the attributes that
 * carry array sizes/types (SOAP 1.1 arrayType, SOAP 1.2 arraySize/itemType)
 * by changing their last letter to 'X'.  gSOAP then ignores them like any
 * unknown attribute.  The length of the text does not change.
 *
 * The scan is a small XML tokenizer: it skips text, comments, CDATA,
 * processing instructions, declarations and end tags, and inside start tags
 * walks attribute names and quoted values, so text and attribute values are
 * never touched.  On malformed markup it stops; gSOAP reports the error. */
#include <stdbool.h>
#include <string.h>

#include "soap/soap_internal.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Position just past the first occurrence of pat in [p, end), or NULL. */
static char *skip_past(char *p, char *end, const char *pat)
{
	size_t n = strlen(pat);

	while ((size_t)(end - p) >= n) {
		char *hit = memchr(p, pat[0], (size_t)(end - p) - n + 1);

		if (!hit)
			return NULL;
		if (memcmp(hit, pat, n) == 0)
			return hit + n;
		p = hit + 1;
	}
	return NULL;
}

static int starts_with(const char *p, const char *end, const char *pat)
{
	size_t n = strlen(pat);

	return (size_t)(end - p) >= n && memcmp(p, pat, n) == 0;
}

/* Is the attribute name [name, name_end) one of the array attributes?  Any
 * prefix is accepted: the attribute is matched by its local name. */
static int is_array_attribute(const char *name, const char *name_end)
{
	static const char *const names[] = { "arrayType", "arraySize", "itemType" };
	const char *local = name;
	size_t i, n;

	for (const char *q = name; q < name_end; q++)
		if (*q == ':')
			local = q + 1;
	n = (size_t)(name_end - local);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (n == strlen(names[i]) && memcmp(local, names[i], n) == 0)
			return 1;
	return 0;
}

/* Walks the attributes of a start tag beginning at p (just after the element
 * name).  Returns the position after the tag's '>', or NULL when malformed. */
static char *scan_attributes(char *p, char *end, size_t *renamed)
{
	for (;;) {
		char *name, *name_end, quote, *close;

		while (p < end && is_space(*p))
			p++;
		if (p >= end)
			return NULL;
		if (*p == '>')
			return p + 1;
		if (*p == '/')
			return p + 1 < end && p[1] == '>' ? p + 2 : NULL;
		name = p;
		while (p < end && *p != '=' && *p != '>' && *p != '/' && !is_space(*p))
			p++;
		if (p == name || p >= end)
			return NULL;
		name_end = p;
		if (is_array_attribute(name, name_end)) {
			name_end[-1] = 'X';
			(*renamed)++;
		}
		while (p < end && is_space(*p))
			p++;
		if (p >= end || *p != '=')
			return NULL;
		p++;
		while (p < end && is_space(*p))
			p++;
		if (p >= end || (*p != '"' && *p != '\''))
			return NULL;
		quote = *p++;
		close = memchr(p, quote, (size_t)(end - p));
		if (!close)
			return NULL;
		p = close + 1;
	}
}

size_t codec_xml_neutralize_arrays(char *xml, size_t len)
{
	char *p = xml, *end = xml + len;
	size_t renamed = 0;

	while (p && p < end) {
		char *lt = memchr(p, '<', (size_t)(end - p));

		if (!lt)
			break;
		p = lt + 1;
		if (starts_with(p, end, "!--"))
			p = skip_past(p + 3, end, "-->");
		else if (starts_with(p, end, "![CDATA["))
			p = skip_past(p + 8, end, "]]>");
		else if (starts_with(p, end, "?"))
			p = skip_past(p + 1, end, "?>");
		else if (starts_with(p, end, "!") || starts_with(p, end, "/"))
			p = skip_past(p + 1, end, ">");
		else {
			/* Start tag: element name, then attributes. */
			while (p < end && !is_space(*p) && *p != '>' && *p != '/')
				p++;
			p = scan_attributes(p, end, &renamed);
		}
	}
	return renamed;
}

/* Local name of the element whose name starts at p and ends at end. */
static int local_is(const char *p, const char *end, const char *local)
{
	const char *l = p;

	for (const char *q = p; q < end; q++)
		if (*q == ':')
			l = q + 1;
	return (size_t)(end - l) == strlen(local) && memcmp(l, local, (size_t)(end - l)) == 0;
}

size_t codec_xml_cut_poll_users(char *xml, size_t len)
{
	char *p = xml, *end = xml + len, *user_start = NULL;
	long depth = 0, return_level = -1, user_level = -1;
	size_t dummy = 0;

	while (p && p < end) {
		char *lt = memchr(p, '<', (size_t)(end - p));

		if (!lt)
			break;
		p = lt + 1;
		if (starts_with(p, end, "!--")) {
			p = skip_past(p + 3, end, "-->");
		} else if (starts_with(p, end, "![CDATA[")) {
			p = skip_past(p + 8, end, "]]>");
		} else if (starts_with(p, end, "?") || starts_with(p, end, "!")) {
			p = skip_past(p + 1, end, ">");
		} else if (starts_with(p, end, "/")) {
			p = skip_past(p + 1, end, ">");
			depth--;
			if (user_start && p && depth == user_level) {
				memmove(user_start, p, (size_t)(end - p));
				return len - (size_t)(p - user_start);
			}
			if (return_level >= 0 && depth <= return_level)
				return len;   /* the end of <return>: no user array */
		} else {
			char *name = p;
			while (p < end && !is_space(*p) && *p != '>' && *p != '/')
				p++;
			char *name_end = p;
			p = scan_attributes(p, end, &dummy);
			if (!p)
				return len;   /* malformed: gSOAP will say so */
			bool self_closing = p - 2 >= xml && p[-2] == '/';
			long level = depth;
			if (!self_closing)
				depth++;
			if (return_level < 0 && local_is(name, name_end, "return")) {
				return_level = level;
			} else if (return_level >= 0 && level == return_level + 1 && !user_start &&
				   local_is(name, name_end, "user")) {
				if (self_closing) {
					memmove(lt, p, (size_t)(end - p));
					return len - (size_t)(p - lt);
				}
				user_start = lt;
				user_level = level;
			}
		}
	}
	return len;
}
