/* pbxsim minimal XML tree: enough for Admin commands and for rewriting the
 * simulator's own SOAP responses.  Names, attribute values and text are
 * kept exactly as written (entities undecoded) so a parse/serialize round
 * trip is lossless; xml_unescape() decodes a value when needed.  No DTDs;
 * comments and processing instructions inside the document are dropped. */
#ifndef PBXSIM_XML_MINI_H
#define PBXSIM_XML_MINI_H

#include <stddef.h>

#include "strbuf.h"

enum xml_kind { XML_ELEM, XML_TEXT };

struct xml_attr {
	char *name;
	char *value; /* raw */
};

struct xml_node {
	enum xml_kind kind;
	char *name;                /* elements: qualified name as written */
	char *text;                /* text nodes: raw text */
	struct xml_attr *attrs;
	size_t nattrs;
	struct xml_node **kids;
	size_t nkids, capkids;
	struct xml_node *parent;
};

/* Parses one document.  *prolog gets the <?xml ...?> declaration (or NULL).
 * TSP8_OK, TSP8_ESYNTAX (err says where/what), TSP8_ENOMEM. */
int xml_parse(const char *text, size_t len, struct xml_node **root, char **prolog,
	      char *err, size_t errlen);
void xml_free(struct xml_node *n);

/* Serializes n (and its subtree) as written. */
void xml_write(const struct xml_node *n, struct strbuf *sb);

/* Local part of a qualified name ("SOAP-ENV:Body" -> "Body"). */
const char *xml_local(const char *qname);
/* Raw attribute value by qualified or local name, NULL when absent. */
const char *xml_attr(const struct xml_node *n, const char *name);
/* First child element with that local name, NULL when absent. */
struct xml_node *xml_child(const struct xml_node *n, const char *local);
/* Decodes the five predefined entities and numeric references. */
void xml_unescape(const char *raw, char *out, size_t outlen);
/* Removes whitespace-only text children, recursively. */
void xml_strip_blank(struct xml_node *n);

/* Tree building (for rewrites): NULL / error code on allocation failure. */
struct xml_node *xml_new_elem(const char *name);
struct xml_node *xml_new_text(const char *raw);
int xml_insert(struct xml_node *parent, size_t pos, struct xml_node *kid);
int xml_rename(struct xml_node *n, const char *name);

#endif
