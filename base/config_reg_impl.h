/* Inside of the REGEDIT4 document, shared by config_reg_doc.c (model and
 * lookups), config_reg_parse.c and config_reg_write.c.  Not for users of
 * config_reg.h. */
#ifndef TSP8_BASE_CONFIG_REG_IMPL_H
#define TSP8_BASE_CONFIG_REG_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/config_reg.h"

enum reg_item_kind {
	REG_ITEM_LINE,          /* blank line or comment: text only */
	REG_ITEM_VALUE          /* "name"=data */
};

struct reg_section;

struct reg_item {
	enum reg_item_kind kind;
	char *raw;              /* text as read (physical lines joined by \n);
				   NULL for new or changed values */
	struct reg_section *sec;

	/* values only */
	char *name;             /* UTF-8; "" for @ */
	int type;               /* enum cfg_type or REG_TYPE_OTHER */
	unsigned char *data;    /* CFG_SZ: NUL-terminated, len without the NUL */
	size_t len;
	char *comment;          /* text from the blanks before ';' on, or NULL */
	bool hidden;            /* a later value of the same name wins */
	char *hkey;             /* folded "key\1name": index key (visible values) */
	struct reg_item *hnext; /* index chain */
};

struct reg_section {
	char *header_raw;       /* header line as read; NULL: written as [key] */
	char *key;              /* normalised path; NULL for the preamble */
	bool deletion;          /* [-key] */
	struct reg_item **items;
	size_t count, cap;
};

struct reg_doc {
	char *header;           /* first line as read; NULL: "REGEDIT4" */
	bool bom;               /* the file began with a UTF-8 byte order mark */
	struct reg_section pre; /* lines between the header and the first [key] */
	struct reg_section **secs;
	size_t nsecs, capsecs;

	/* index of visible values by folded key and name */
	struct reg_item **buckets;
	size_t nbuckets, nindexed;
};

/* A growing NUL-terminated text buffer (config_reg_doc.c). */
struct reg_buf {
	char *p;
	size_t n, cap;
};
int reg_buf_add(struct reg_buf *b, const char *s, size_t n);

/* Model helpers (config_reg_doc.c) used by the parser. */
int  reg_section_add(struct reg_doc *d, struct reg_section **out, char *header_raw,
		     char *key, bool deletion);
int  reg_section_append(struct reg_section *s, struct reg_item *it);
/* Puts a value into the index; an earlier value of the same key and name
 * becomes hidden. */
int  reg_index_value(struct reg_doc *d, struct reg_item *it);
void reg_item_free(struct reg_item *it);

/* Text helpers (config_reg_parse.c). */
/* Copies s[0..n) to a malloc'd NUL-terminated UTF-8 string; bytes that are
 * not valid UTF-8 are taken as Latin-1. */
char *reg_to_utf8(const char *s, size_t n);

#endif
