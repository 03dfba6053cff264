/* Parser of REGEDIT4 text into a struct reg_doc (syntax: config_reg.h).
 * Every malformed input ends in TSP8_ESYNTAX with "line N: what". */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config_reg_impl.h"
#include "base/error.h"

static const char *const headers[] = {
	"REGEDIT4",
	"Windows Registry Editor Version 5.00",
};

static const char *const roots[] = {
	"HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER", "HKEY_CLASSES_ROOT",
	"HKEY_USERS", "HKEY_CURRENT_CONFIG", "HKEY_PERFORMANCE_DATA",
	"HKEY_DYN_DATA",
};

struct parser {
	const char *text;
	size_t len, pos;        /* pos: start of the next physical line */
	unsigned line;          /* number of the line last read */
	char *errbuf;
	size_t errlen;
	struct reg_doc *d;
	struct reg_section *cur;
};

static int fail(struct parser *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->errbuf && p->errlen) {
		n = snprintf(p->errbuf, p->errlen, "line %u: ", line);
		if (n >= 0 && (size_t)n < p->errlen) {
			va_start(ap, fmt);
			vsnprintf(p->errbuf + n, p->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return TSP8_ESYNTAX;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* True when [s, end) starts with pre, ignoring ASCII case. */
static bool prefix_ci(const char *s, const char *end, const char *pre)
{
	for (; *pre; s++, pre++) {
		char c, d;

		if (s == end)
			return false;
		c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
		d = *pre >= 'A' && *pre <= 'Z' ? (char)(*pre - 'A' + 'a') : *pre;
		if (c != d)
			return false;
	}
	return true;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t need, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if (need > n)
		return 0;
	for (i = 1; i < need; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return need;
}

char *reg_to_utf8(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out = malloc(2 * n + 1), *o = out;
	size_t i = 0, k;

	if (!out)
		return NULL;
	while (i < n) {
		k = utf8_seq(u + i, n - i);
		if (k) {
			memcpy(o, u + i, k);
			o += k;
			i += k;
		} else {        /* a Latin-1 byte, e.g. 0xAE for (R) */
			*o++ = (char)(0xc0 | (u[i] >> 6));
			*o++ = (char)(0x80 | (u[i] & 0x3f));
			i++;
		}
	}
	*o = '\0';
	return out;
}

/* Reads the next physical line (without its line end).  *eof at the end. */
static int next_line(struct parser *p, const char **s, size_t *n, bool *eof)
{
	const char *start, *nl;
	size_t len;

	*eof = p->pos >= p->len;
	if (*eof)
		return TSP8_OK;
	start = p->text + p->pos;
	nl = memchr(start, '\n', p->len - p->pos);
	len = nl ? (size_t)(nl - start) : p->len - p->pos;
	p->pos += len + (nl ? 1 : 0);
	p->line++;
	if (len > 0 && start[len - 1] == '\r')
		len--;
	if (len > REG_LINE_MAX)
		return fail(p, p->line, "line longer than %u bytes", REG_LINE_MAX);
	if (memchr(start, '\0', len))
		return fail(p, p->line, "NUL byte in the text (binary or UTF-16 file?)");
	*s = start;
	*n = len;
	return TSP8_OK;
}

static int parse_header(struct parser *p)
{
	const char *s;
	size_t n, i;
	bool eof;
	int rc;

	if (p->len >= 3 && memcmp(p->text, "\xef\xbb\xbf", 3) == 0) {
		p->d->bom = true;
		p->pos = 3;
	} else if (p->len >= 2 && ((unsigned char)p->text[0] == 0xff ||
				   (unsigned char)p->text[0] == 0xfe) &&
		   ((unsigned char)p->text[1] == 0xfe ||
		    (unsigned char)p->text[1] == 0xff)) {
		return fail(p, 1, "UTF-16 text; save the file as UTF-8");
	}
	rc = next_line(p, &s, &n, &eof);
	if (rc != TSP8_OK || eof)
		return rc;
	while (n > 0 && is_ws(s[n - 1]))
		n--;
	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (n == strlen(headers[i]) && memcmp(s, headers[i], n) == 0)
			break;
	if (i == sizeof(headers) / sizeof(headers[0]))
		return fail(p, 1, "expected \"REGEDIT4\" as the first line");
	p->d->header = dup_n(s, n);
	return p->d->header ? TSP8_OK : TSP8_ENOMEM;
}

static int add_line_item(struct parser *p, const char *s, size_t n)
{
	struct reg_item *it = calloc(1, sizeof(*it));

	if (!it || !(it->raw = dup_n(s, n))) {
		free(it);
		return TSP8_ENOMEM;
	}
	it->kind = REG_ITEM_LINE;
	if (reg_section_append(p->cur, it) != TSP8_OK) {
		reg_item_free(it);
		return TSP8_ENOMEM;
	}
	return TSP8_OK;
}

/* True when a[0..na) equals the NUL-terminated b, ignoring ASCII case. */
static bool eq_ci(const char *a, size_t na, const char *b)
{
	return strlen(b) == na && prefix_ci(a, a + na, b);
}

/* [ROOT\key] or [-ROOT\key]; line/n is the whole physical line. */
static int parse_section(struct parser *p, const char *line, size_t n)
{
	const char *s = line, *end = line + n, *k, *slash;
	bool deletion = false;
	struct reg_section *sec;
	char *key, *raw;
	size_t i, rootlen;

	while (end > s && is_ws(end[-1]))
		end--;
	while (is_ws(*s))
		s++;
	if (end - s < 2 || end[-1] != ']')
		return fail(p, p->line, "missing ']' at the end of the key line");
	k = s + 1;
	end--;
	if (k < end && *k == '-') {
		deletion = true;
		k++;
	}
	while (end > k && end[-1] == '\\')
		end--;
	if (k == end)
		return fail(p, p->line, "empty key name");
	if (memchr(k, '[', (size_t)(end - k)) || memchr(k, ']', (size_t)(end - k)))
		return fail(p, p->line, "'[' or ']' inside a key name");
	slash = memchr(k, '\\', (size_t)(end - k));
	rootlen = slash ? (size_t)(slash - k) : (size_t)(end - k);
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (eq_ci(k, rootlen, roots[i]))
			break;
	if (i == sizeof(roots) / sizeof(roots[0]))
		return fail(p, p->line, "unknown root key '%.*s'",
			    (int)(rootlen > 40 ? 40 : rootlen), k);
	key = reg_to_utf8(k, (size_t)(end - k));
	raw = dup_n(line, n);
	if (!key || !raw || reg_section_add(p->d, &sec, raw, key, deletion) != TSP8_OK) {
		free(key);
		free(raw);
		return TSP8_ENOMEM;
	}
	p->cur = sec;
	return TSP8_OK;
}

/* "..." at *q (which points at the opening quote): resolves \\ and \" into
 * a malloc'd UTF-8 string. */
static int parse_quoted(struct parser *p, unsigned line, const char **q,
			const char *end, char **out, size_t *outlen)
{
	const char *s = *q + 1;
	char *tmp = malloc((size_t)(end - s) + 1), *o = tmp;

	if (!tmp)
		return TSP8_ENOMEM;
	for (;;) {
		if (s == end) {
			free(tmp);
			return fail(p, line, "unterminated string (missing '\"')");
		}
		if (*s == '"')
			break;
		if (*s == '\\') {
			if (s + 1 == end) {
				free(tmp);
				return fail(p, line, "unterminated string (ends with '\\')");
			}
			if (s[1] != '\\' && s[1] != '"') {
				char c = s[1];

				free(tmp);
				return fail(p, line, "invalid escape '\\%c' in a string "
					    "(write \\\\ for a backslash)",
					    (unsigned char)c >= 0x20 ? c : '?');
			}
			s++;
		}
		*o++ = *s++;
	}
	*q = s + 1;
	*out = reg_to_utf8(tmp, (size_t)(o - tmp));
	free(tmp);
	if (!*out)
		return TSP8_ENOMEM;
	if (outlen)
		*outlen = strlen(*out);
	return TSP8_OK;
}

/* After a value: blanks, then the end of the line or a ';' comment
 * (kept with the blanks before it). */
static int parse_trailer(struct parser *p, unsigned line, const char *q,
			 const char *end, char **comment)
{
	const char *c = q;

	*comment = NULL;
	while (c < end && is_ws(*c))
		c++;
	if (c == end)
		return TSP8_OK;
	if (*c != ';')
		return fail(p, line, "unexpected text after the value");
	*comment = dup_n(q, (size_t)(end - q));
	return *comment ? TSP8_OK : TSP8_ENOMEM;
}

static int parse_dword(struct parser *p, unsigned line, const char *q,
		       const char *end, struct reg_item *it)
{
	uint32_t v = 0;
	int digits = 0, h;

	while (q < end && (h = hexval(*q)) >= 0) {
		if (++digits > 8)
			return fail(p, line, "dword value longer than 8 hex digits");
		v = v << 4 | (uint32_t)h;
		q++;
	}
	if (digits == 0)
		return fail(p, line, "dword value needs 1 to 8 hex digits");
	if (!(it->data = malloc(sizeof(v) + 1)))
		return TSP8_ENOMEM;
	memcpy(it->data, &v, sizeof(v));
	it->len = sizeof(v);
	it->type = CFG_DWORD;
	return parse_trailer(p, line, q, end, &it->comment);
}

/* Joins the byte list of a hex value over its continuation lines into b;
 * the raw text of all lines goes to raw, a final comment to *comment. */
static int join_hex(struct parser *p, unsigned line, const char *q, const char *end,
		    struct reg_buf *b, struct reg_buf *raw, char **comment)
{
	for (;;) {
		const char *semi = memchr(q, ';', (size_t)(end - q));
		const char *code_end = semi ? semi : end;
		const char *s, *lend;
		size_t n;
		bool eof;
		int rc;

		while (code_end > q && is_ws(code_end[-1]))
			code_end--;
		if (code_end == q || code_end[-1] != '\\') {
			if (semi && !(*comment = dup_n(code_end, (size_t)(end - code_end))))
				return TSP8_ENOMEM;
			return reg_buf_add(b, q, (size_t)(code_end - q));
		}
		if (semi)
			return fail(p, p->line, "comment after a continuation '\\'");
		rc = reg_buf_add(b, q, (size_t)(code_end - 1 - q));
		if (rc != TSP8_OK)
			return rc;
		if (b->n > REG_VALUE_MAX)
			return fail(p, line, "value longer than %u bytes", REG_VALUE_MAX);
		rc = next_line(p, &s, &n, &eof);
		if (rc != TSP8_OK)
			return rc;
		if (eof)
			return fail(p, p->line, "'\\' continues past the end of the file");
		if ((rc = reg_buf_add(raw, "\n", 1)) != TSP8_OK ||
		    (rc = reg_buf_add(raw, s, n)) != TSP8_OK)
			return rc;
		lend = s + n;
		while (s < lend && is_ws(*s))
			s++;
		q = s;
		end = lend;
	}
}

static int parse_bytes(struct parser *p, unsigned line, const struct reg_buf *b,
		       struct reg_item *it)
{
	const char *q = b->p ? b->p : "", *end = q + b->n;
	unsigned char *out = malloc(b->n / 2 + 1);
	size_t n = 0;

	if (!out)
		return TSP8_ENOMEM;
	while (q < end && is_ws(*q))
		q++;
	while (q < end) {
		const char *start = q;

		while (q < end && hexval(*q) >= 0)
			q++;
		if (q - start != 2) {
			free(out);
			if (q == start)
				return fail(p, line, "hex byte expected at '%.8s'", start);
			return fail(p, line, "hex byte '%.*s' is not two hex digits",
				    (int)(q - start > 8 ? 8 : q - start), start);
		}
		out[n++] = (unsigned char)(hexval(start[0]) << 4 | hexval(start[1]));
		while (q < end && is_ws(*q))
			q++;
		if (q == end)
			break;
		if (*q != ',') {
			free(out);
			return fail(p, line, "',' expected between hex bytes");
		}
		q++;
		while (q < end && is_ws(*q))
			q++;
		if (q == end) {
			free(out);
			return fail(p, line, "hex list ends with ','");
		}
	}
	out[n] = '\0';
	it->data = out;
	it->len = n;
	return TSP8_OK;
}

/* hex:... or hex(N):...; q points at "hex". */
static int parse_hex(struct parser *p, unsigned line, const char *q, const char *end,
		     struct reg_item *it, struct reg_buf *raw)
{
	uint32_t kind = 3;      /* plain hex: is REG_BINARY */
	struct reg_buf b = { 0 };
	int digits = 0, h, rc;

	q += 3;
	if (q < end && *q == '(') {
		kind = 0;
		for (q++; q < end && (h = hexval(*q)) >= 0 && digits < 8; q++, digits++)
			kind = kind << 4 | (uint32_t)h;
		if (digits == 0 || q == end || *q != ')')
			return fail(p, line, "bad hex(type) prefix");
		q++;
	}
	if (q == end || *q != ':')
		return fail(p, line, "':' expected after hex");
	rc = join_hex(p, line, q + 1, end, &b, raw, &it->comment);
	if (rc == TSP8_OK)
		rc = parse_bytes(p, line, &b, it);
	free(b.p);
	if (rc != TSP8_OK)
		return rc;
	if (kind == CFG_BINARY) {
		it->type = CFG_BINARY;
	} else if (kind == CFG_DWORD && it->len == 4) {
		/* hex(4) is a little-endian dword */
		const unsigned char *d = it->data;
		uint32_t v = (uint32_t)d[0] | (uint32_t)d[1] << 8 |
			     (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;

		memcpy(it->data, &v, 4);
		it->type = CFG_DWORD;
	} else {
		it->type = REG_TYPE_OTHER;
	}
	return TSP8_OK;
}

/* "name"=data or @=data; line/n is the first physical line. */
static int parse_value(struct parser *p, const char *line, size_t n)
{
	const char *q = line, *end = line + n;
	unsigned first = p->line;
	struct reg_buf raw = { 0 };
	struct reg_item *it;
	int rc;

	if (!p->cur->key)
		return fail(p, first, "value outside a [key] section");
	it = calloc(1, sizeof(*it));
	if (!it)
		return TSP8_ENOMEM;
	it->kind = REG_ITEM_VALUE;
	while (is_ws(*q))
		q++;
	rc = reg_buf_add(&raw, line, n);
	if (rc == TSP8_OK && *q == '@') {
		q++;
		rc = (it->name = dup_n("", 0)) ? TSP8_OK : TSP8_ENOMEM;
	} else if (rc == TSP8_OK) {
		rc = parse_quoted(p, first, &q, end, &it->name, NULL);
	}
	while (rc == TSP8_OK && q < end && is_ws(*q))
		q++;
	if (rc == TSP8_OK && (q == end || *q != '='))
		rc = fail(p, first, "'=' expected after the value name");
	if (rc == TSP8_OK) {
		for (q++; q < end && is_ws(*q); q++)
			;
		if (q < end && *q == '"') {
			char *str;

			rc = parse_quoted(p, first, &q, end, &str, &it->len);
			if (rc == TSP8_OK) {
				it->data = (unsigned char *)str;
				it->type = CFG_SZ;
				rc = parse_trailer(p, first, q, end, &it->comment);
			}
		} else if (prefix_ci(q, end, "dword:")) {
			rc = parse_dword(p, first, q + 6, end, it);
		} else if (prefix_ci(q, end, "hex")) {
			rc = parse_hex(p, first, q, end, it, &raw);
		} else if (q < end && *q == '-') {
			it->type = REG_TYPE_OTHER;      /* deletion of the value */
			rc = parse_trailer(p, first, q + 1, end, &it->comment);
		} else {
			rc = fail(p, first, "unknown value type (expected \"text\", "
				  "dword:, hex: or -)");
		}
	}
	if (rc == TSP8_OK) {    /* buf_add always left a string in raw */
		it->raw = raw.p;
		raw.p = NULL;
	}
	if (rc == TSP8_OK && (rc = reg_section_append(p->cur, it)) == TSP8_OK)
		return reg_index_value(p->d, it);
	free(raw.p);
	reg_item_free(it);
	return rc;
}

int reg_doc_parse(struct reg_doc **out, const char *text, size_t len,
		  char *errbuf, size_t errlen)
{
	struct parser p = { .text = text, .len = len, .errbuf = errbuf,
			    .errlen = errlen };
	const char *s, *t;
	size_t n;
	bool eof = false;
	int rc;

	if (!out || (!text && len > 0))
		return TSP8_EINVAL;
	if (errbuf && errlen)
		errbuf[0] = '\0';
	rc = reg_doc_create(&p.d);
	if (rc != TSP8_OK)
		return rc;
	p.cur = &p.d->pre;
	rc = len ? parse_header(&p) : TSP8_OK;
	while (rc == TSP8_OK) {
		rc = next_line(&p, &s, &n, &eof);
		if (rc != TSP8_OK || eof)
			break;
		for (t = s; t < s + n && is_ws(*t); t++)
			;
		if (t == s + n || *t == ';')
			rc = add_line_item(&p, s, n);
		else if (*t == '[')
			rc = parse_section(&p, s, n);
		else if (*t == '"' || *t == '@')
			rc = parse_value(&p, s, n);
		else
			rc = fail(&p, p.line, "unexpected text (expected [key], "
				  "\"name\"=value or a ; comment)");
	}
	if (rc != TSP8_OK) {
		if (rc == TSP8_ENOMEM && errbuf && errlen)
			snprintf(errbuf, errlen, "line %u: out of memory", p.line);
		reg_doc_destroy(p.d);
		return rc;
	}
	*out = p.d;
	return TSP8_OK;
}
