/* pbxsim minimal XML tree parser and writer. */
#include "xml_mini.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

#define XML_MAX_DEPTH 64

struct parser {
	const char *p, *end, *start;
	char *err;
	size_t errlen;
	int rc;
};

static void fail(struct parser *ps, const char *what)
{
	if (ps->rc == TSP8_OK) {
		ps->rc = TSP8_ESYNTAX;
		if (ps->err)
			snprintf(ps->err, ps->errlen, "XML: %s at offset %ld", what,
				 (long)(ps->p - ps->start));
	}
}

static char *dupn(struct parser *ps, const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d) {
		ps->rc = TSP8_ENOMEM;
		return NULL;
	}
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == ':' || c == '-' || c == '.' ||
	       (unsigned char)c >= 0x80;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && isspace((unsigned char)*ps->p))
		ps->p++;
}

static bool starts(struct parser *ps, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(ps->end - ps->p) >= n && memcmp(ps->p, s, n) == 0;
}

/* Skips up to and including `term`; false when it never comes. */
static bool skip_past(struct parser *ps, const char *term)
{
	size_t n = strlen(term);

	while ((size_t)(ps->end - ps->p) >= n) {
		if (memcmp(ps->p, term, n) == 0) {
			ps->p += n;
			return true;
		}
		ps->p++;
	}
	return false;
}

static char *parse_name(struct parser *ps)
{
	const char *s = ps->p;

	while (ps->p < ps->end && is_name_char(*ps->p))
		ps->p++;
	if (ps->p == s) {
		fail(ps, "name expected");
		return NULL;
	}
	return dupn(ps, s, (size_t)(ps->p - s));
}

int xml_insert(struct xml_node *parent, size_t pos, struct xml_node *kid)
{
	if (pos > parent->nkids)
		pos = parent->nkids;
	if (parent->nkids == parent->capkids) {
		size_t cap = parent->capkids ? parent->capkids * 2 : 4;
		struct xml_node **n = realloc(parent->kids, cap * sizeof(*n));

		if (!n)
			return TSP8_ENOMEM;
		parent->kids = n;
		parent->capkids = cap;
	}
	memmove(&parent->kids[pos + 1], &parent->kids[pos],
		(parent->nkids - pos) * sizeof(parent->kids[0]));
	parent->kids[pos] = kid;
	parent->nkids++;
	kid->parent = parent;
	return TSP8_OK;
}

static bool add_kid(struct parser *ps, struct xml_node *parent, struct xml_node *kid)
{
	if (xml_insert(parent, parent->nkids, kid) != TSP8_OK) {
		xml_free(kid);
		ps->rc = TSP8_ENOMEM;
		return false;
	}
	return true;
}

static bool parse_attrs(struct parser *ps, struct xml_node *n)
{
	for (;;) {
		struct xml_attr *na;
		char quote, *name, *value;
		const char *v;

		skip_ws(ps);
		if (ps->p >= ps->end) {
			fail(ps, "unterminated start tag");
			return false;
		}
		if (*ps->p == '>' || *ps->p == '/')
			return true;
		name = parse_name(ps);
		if (!name)
			return false;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '=') {
			free(name);
			fail(ps, "'=' expected after attribute name");
			return false;
		}
		ps->p++;
		skip_ws(ps);
		if (ps->p >= ps->end || (*ps->p != '"' && *ps->p != '\'')) {
			free(name);
			fail(ps, "quoted attribute value expected");
			return false;
		}
		quote = *ps->p++;
		v = ps->p;
		while (ps->p < ps->end && *ps->p != quote && *ps->p != '<')
			ps->p++;
		if (ps->p >= ps->end || *ps->p != quote) {
			free(name);
			fail(ps, "unterminated attribute value");
			return false;
		}
		value = dupn(ps, v, (size_t)(ps->p - v));
		ps->p++;
		na = value ? realloc(n->attrs, (n->nattrs + 1) * sizeof(*na)) : NULL;
		if (!na) {
			free(name);
			free(value);
			ps->rc = TSP8_ENOMEM;
			return false;
		}
		n->attrs = na;
		n->attrs[n->nattrs].name = name;
		n->attrs[n->nattrs].value = value;
		n->nattrs++;
	}
}

/* Parses the content of `parent` up to its end tag. */
static bool parse_content(struct parser *ps, struct xml_node *parent, int depth);

static struct xml_node *parse_element(struct parser *ps, int depth)
{
	struct xml_node *n;

	if (depth > XML_MAX_DEPTH) {
		fail(ps, "nesting too deep");
		return NULL;
	}
	ps->p++; /* '<' */
	n = calloc(1, sizeof(*n));
	if (!n) {
		ps->rc = TSP8_ENOMEM;
		return NULL;
	}
	n->kind = XML_ELEM;
	n->name = parse_name(ps);
	if (!n->name || !parse_attrs(ps, n)) {
		xml_free(n);
		return NULL;
	}
	if (*ps->p == '/') {
		ps->p++;
		if (ps->p >= ps->end || *ps->p != '>') {
			fail(ps, "'>' expected");
			xml_free(n);
			return NULL;
		}
		ps->p++;
		return n;
	}
	ps->p++; /* '>' */
	if (!parse_content(ps, n, depth)) {
		xml_free(n);
		return NULL;
	}
	return n;
}

static bool parse_content(struct parser *ps, struct xml_node *parent, int depth)
{
	while (ps->p < ps->end) {
		if (*ps->p != '<') {
			const char *s = ps->p;
			struct xml_node *t;

			while (ps->p < ps->end && *ps->p != '<')
				ps->p++;
			t = calloc(1, sizeof(*t));
			if (!t || !(t->text = dupn(ps, s, (size_t)(ps->p - s)))) {
				free(t);
				ps->rc = TSP8_ENOMEM;
				return false;
			}
			t->kind = XML_TEXT;
			if (!add_kid(ps, parent, t))
				return false;
		} else if (starts(ps, "<!--")) {
			if (!skip_past(ps, "-->")) {
				fail(ps, "unterminated comment");
				return false;
			}
		} else if (starts(ps, "<![CDATA[")) {
			const char *s = ps->p;
			struct xml_node *t;

			if (!skip_past(ps, "]]>")) {
				fail(ps, "unterminated CDATA");
				return false;
			}
			t = calloc(1, sizeof(*t));
			if (!t || !(t->text = dupn(ps, s, (size_t)(ps->p - s)))) {
				free(t);
				ps->rc = TSP8_ENOMEM;
				return false;
			}
			t->kind = XML_TEXT;
			if (!add_kid(ps, parent, t))
				return false;
		} else if (starts(ps, "<?")) {
			if (!skip_past(ps, "?>")) {
				fail(ps, "unterminated processing instruction");
				return false;
			}
		} else if (starts(ps, "</")) {
			size_t n = strlen(parent->name);

			ps->p += 2;
			if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, parent->name, n) != 0 ||
			    (ps->p + n < ps->end && is_name_char(ps->p[n]))) {
				fail(ps, "mismatched end tag");
				return false;
			}
			ps->p += n;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != '>') {
				fail(ps, "'>' expected in end tag");
				return false;
			}
			ps->p++;
			return true;
		} else {
			struct xml_node *kid = parse_element(ps, depth + 1);

			if (!kid || !add_kid(ps, parent, kid))
				return false;
		}
	}
	fail(ps, "unexpected end of document");
	return false;
}

int xml_parse(const char *text, size_t len, struct xml_node **root, char **prolog,
	      char *err, size_t errlen)
{
	struct parser ps = { text, text + len, text, err, errlen, TSP8_OK };
	struct xml_node *r = NULL;

	if (!text || !root)
		return TSP8_EINVAL;
	if (prolog)
		*prolog = NULL;
	if (err && errlen)
		err[0] = '\0';
	for (;;) {
		skip_ws(&ps);
		if (starts(&ps, "<?")) {
			const char *s = ps.p;

			if (!skip_past(&ps, "?>")) {
				fail(&ps, "unterminated declaration");
				return ps.rc;
			}
			if (prolog && !*prolog) {
				*prolog = dupn(&ps, s, (size_t)(ps.p - s));
				if (!*prolog)
					return ps.rc;
			}
		} else if (starts(&ps, "<!--")) {
			if (!skip_past(&ps, "-->")) {
				fail(&ps, "unterminated comment");
				goto out;
			}
		} else {
			break;
		}
	}
	if (ps.p >= ps.end || *ps.p != '<') {
		fail(&ps, "root element expected");
		goto out;
	}
	r = parse_element(&ps, 0);
	if (r) {
		skip_ws(&ps);
		if (ps.p != ps.end)
			fail(&ps, "content after the root element");
	}
out:
	if (ps.rc != TSP8_OK) {
		xml_free(r);
		if (prolog) {
			free(*prolog);
			*prolog = NULL;
		}
		return ps.rc;
	}
	*root = r;
	return TSP8_OK;
}

void xml_free(struct xml_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		xml_free(n->kids[i]);
	for (size_t i = 0; i < n->nattrs; i++) {
		free(n->attrs[i].name);
		free(n->attrs[i].value);
	}
	free(n->kids);
	free(n->attrs);
	free(n->name);
	free(n->text);
	free(n);
}

void xml_write(const struct xml_node *n, struct strbuf *sb)
{
	if (n->kind == XML_TEXT) {
		sb_puts(sb, n->text);
		return;
	}
	sb_printf(sb, "<%s", n->name);
	for (size_t i = 0; i < n->nattrs; i++)
		sb_printf(sb, " %s=\"%s\"", n->attrs[i].name, n->attrs[i].value);
	if (!n->nkids) {
		sb_puts(sb, "/>");
		return;
	}
	sb_puts(sb, ">");
	for (size_t i = 0; i < n->nkids; i++)
		xml_write(n->kids[i], sb);
	sb_printf(sb, "</%s>", n->name);
}

const char *xml_local(const char *qname)
{
	const char *c = qname ? strrchr(qname, ':') : NULL;

	return c ? c + 1 : (qname ? qname : "");
}

const char *xml_attr(const struct xml_node *n, const char *name)
{
	for (size_t i = 0; i < n->nattrs; i++)
		if (strcmp(n->attrs[i].name, name) == 0)
			return n->attrs[i].value;
	for (size_t i = 0; i < n->nattrs; i++)
		if (strcmp(xml_local(n->attrs[i].name), name) == 0)
			return n->attrs[i].value;
	return NULL;
}

struct xml_node *xml_child(const struct xml_node *n, const char *local)
{
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i]->kind == XML_ELEM &&
		    strcmp(xml_local(n->kids[i]->name), local) == 0)
			return n->kids[i];
	return NULL;
}

/* Writes the UTF-8 encoding of code point cp; returns bytes written. */
static size_t utf8(unsigned long cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | ((cp >> 18) & 0x07));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

void xml_unescape(const char *raw, char *out, size_t outlen)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	size_t o = 0;

	if (!outlen)
		return;
	while (raw && *raw && o + 5 < outlen) {
		bool done = false;

		if (*raw == '&') {
			for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
				size_t n = strlen(ents[i].ent);

				if (strncmp(raw, ents[i].ent, n) == 0) {
					out[o++] = ents[i].c;
					raw += n;
					done = true;
					break;
				}
			}
			if (!done && raw[1] == '#') {
				char *e;
				unsigned long cp = raw[2] == 'x' ? strtoul(raw + 3, &e, 16)
								 : strtoul(raw + 2, &e, 10);

				if (*e == ';' && cp > 0 && cp < 0x110000) {
					o += utf8(cp, out + o);
					raw = e + 1;
					done = true;
				}
			}
		}
		if (!done)
			out[o++] = *raw++;
	}
	out[o] = '\0';
}

void xml_strip_blank(struct xml_node *n)
{
	size_t w = 0;

	for (size_t i = 0; i < n->nkids; i++) {
		struct xml_node *k = n->kids[i];
		bool blank = k->kind == XML_TEXT;

		for (const char *c = k->text; blank && c && *c; c++)
			if (!isspace((unsigned char)*c))
				blank = false;
		if (blank) {
			xml_free(k);
			continue;
		}
		if (k->kind == XML_ELEM)
			xml_strip_blank(k);
		n->kids[w++] = k;
	}
	n->nkids = w;
}

struct xml_node *xml_new_elem(const char *name)
{
	struct xml_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->kind = XML_ELEM;
	n->name = strdup(name);
	if (!n->name) {
		free(n);
		return NULL;
	}
	return n;
}

struct xml_node *xml_new_text(const char *raw)
{
	struct xml_node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->kind = XML_TEXT;
	n->text = strdup(raw);
	if (!n->text) {
		free(n);
		return NULL;
	}
	return n;
}

int xml_rename(struct xml_node *n, const char *name)
{
	char *d = strdup(name);

	if (!d)
		return TSP8_ENOMEM;
	free(n->name);
	n->name = d;
	return TSP8_OK;
}
