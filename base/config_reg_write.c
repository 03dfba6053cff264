/* Writes a struct reg_doc back as REGEDIT4 text: lines that were read are
 * copied as they were; new and changed values use regedit's layout. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config_reg_impl.h"
#include "base/error.h"

/* Column after which a hex list continues on the next line, as regedit. */
#define HEX_WRAP 76

static int add_str(struct reg_buf *b, const char *s)
{
	return reg_buf_add(b, s, strlen(s));
}

/* "text" with \ and " escaped. */
static int add_quoted(struct reg_buf *b, const char *s, size_t n)
{
	size_t i, run = 0;
	int rc = reg_buf_add(b, "\"", 1);

	for (i = 0; rc == TSP8_OK && i < n; i++) {
		if (s[i] != '\\' && s[i] != '"')
			continue;
		rc = reg_buf_add(b, s + run, i - run);
		if (rc == TSP8_OK)
			rc = reg_buf_add(b, "\\", 1);
		run = i;
	}
	if (rc == TSP8_OK)
		rc = reg_buf_add(b, s + run, n - run);
	if (rc == TSP8_OK)
		rc = reg_buf_add(b, "\"", 1);
	return rc;
}

static int add_hex(struct reg_buf *b, size_t line_start, const unsigned char *d, size_t n)
{
	char byte[4];
	size_t i;
	int rc = add_str(b, "hex:");

	for (i = 0; rc == TSP8_OK && i < n; i++) {
		snprintf(byte, sizeof(byte), "%02x", d[i]);
		rc = add_str(b, byte);
		if (rc != TSP8_OK || i + 1 == n)
			break;
		rc = add_str(b, ",");
		if (rc == TSP8_OK && b->n - line_start >= HEX_WRAP) {
			rc = add_str(b, "\\\n  ");
			line_start = b->n - 2;
		}
	}
	return rc;
}

static int add_value(struct reg_buf *b, const struct reg_item *it)
{
	size_t line_start = b->n;
	char dword[16];
	uint32_t v;
	int rc;

	if (it->name[0])
		rc = add_quoted(b, it->name, strlen(it->name));
	else
		rc = add_str(b, "@");
	if (rc == TSP8_OK)
		rc = add_str(b, "=");
	if (rc != TSP8_OK)
		return rc;
	switch (it->type) {
	case CFG_SZ:
		rc = add_quoted(b, (const char *)it->data, it->len);
		break;
	case CFG_DWORD:
		memcpy(&v, it->data, sizeof(v));
		snprintf(dword, sizeof(dword), "dword:%08x", (unsigned)v);
		rc = add_str(b, dword);
		break;
	case CFG_BINARY:
		rc = add_hex(b, line_start, it->data, it->len);
		break;
	default:                /* only values read from the file have other
				   types, and those keep their raw text */
		return TSP8_EINVAL;
	}
	if (rc == TSP8_OK && it->comment)
		rc = add_str(b, it->comment);
	return rc;
}

static int add_section(struct reg_buf *b, const struct reg_section *s)
{
	size_t i;
	int rc = TSP8_OK;

	if (s->header_raw) {
		rc = add_str(b, s->header_raw);
	} else if (s->key) {
		rc = add_str(b, s->deletion ? "[-" : "[");
		if (rc == TSP8_OK)
			rc = add_str(b, s->key);
		if (rc == TSP8_OK)
			rc = add_str(b, "]");
	}
	if (rc == TSP8_OK && s->key)
		rc = add_str(b, "\n");
	for (i = 0; rc == TSP8_OK && i < s->count; i++) {
		const struct reg_item *it = s->items[i];

		rc = it->raw ? add_str(b, it->raw) : add_value(b, it);
		if (rc == TSP8_OK)
			rc = add_str(b, "\n");
	}
	return rc;
}

int reg_doc_write(const struct reg_doc *d, char **text, size_t *len)
{
	struct reg_buf b = { 0 };
	size_t i;
	int rc;

	if (!d || !text)
		return TSP8_EINVAL;
	rc = d->bom ? add_str(&b, "\xef\xbb\xbf") : TSP8_OK;
	if (rc == TSP8_OK)
		rc = add_str(&b, d->header ? d->header : "REGEDIT4");
	if (rc == TSP8_OK)
		rc = add_str(&b, "\n");
	if (rc == TSP8_OK)
		rc = add_section(&b, &d->pre);
	for (i = 0; rc == TSP8_OK && i < d->nsecs; i++)
		rc = add_section(&b, d->secs[i]);
	if (rc != TSP8_OK) {
		free(b.p);
		return rc;
	}
	*text = b.p;
	if (len)
		*len = b.n;
	return TSP8_OK;
}
