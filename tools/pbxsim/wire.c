/* pbxsim wire variance: response rewriting on a parsed tree.  Elements are
 * recognised by what gSOAP writes for them: xsi:type="inno:UserInfo" /
 * "inno:CallInfo" on structs, SOAP-ENC:arrayType="inno:No[2]" on arrays. */
#include "wire.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "xml_mini.h"

/* Member element names seen on real wires (pbx-soap-api.md §1): InfoArray
 * and RegInfoArray keep "item". */
static const struct { const char *type, *member; } container_names[] = {
	{ "UserInfo", "user" }, { "CallInfo", "call" }, { "No", "No" },
	{ "Group", "groups" }, { "Device", "device" },
};

/* pbx10_00 "early" UserInfo order (WSDL10-early, §4.1). */
static const char *const early_order[] = {
	"guid", "active", "state", "channel", "alert", "cn", "dn", "type", "e164", "h323",
	"presence", "loc", "node", "nodenum", "object", "cfg", "groups", "info",
};

/* Unknown elements a newer firmware might add; clients must skip them. */
static const char extra_simple[] = "<xSimExtra xsi:type=\"xsd:string\">unknown</xSimExtra>";
static const char extra_nested[] =
	"<xSimNested><a xsi:type=\"xsd:int\">1</a><b><c/></b></xSimNested>";

bool wire_active(const struct sim_wire *w)
{
	return w->members != SIM_MEMBERS_ITEM || w->order != SIM_ORDER_CURRENT ||
	       w->extra_elements;
}

/* Local type name of a "prefix:Name" or "prefix:Name[3]" attribute value. */
static void type_local(const char *v, char *out, size_t len)
{
	const char *c = v ? strchr(v, ':') : NULL;
	size_t n = 0;

	v = c ? c + 1 : (v ? v : "");
	while (v[n] && v[n] != '[' && n + 1 < len) {
		out[n] = v[n];
		n++;
	}
	out[n] = '\0';
}

static int insert_raw(struct xml_node *parent, size_t pos, const char *raw)
{
	struct xml_node *t = xml_new_text(raw);
	int rc;

	if (!t)
		return TSP8_ENOMEM;
	rc = xml_insert(parent, pos, t);
	if (rc != TSP8_OK)
		xml_free(t);
	return rc;
}

static int rename_members(struct xml_node *arr, const char *itemtype)
{
	for (size_t i = 0; i < sizeof(container_names) / sizeof(container_names[0]); i++) {
		if (strcmp(container_names[i].type, itemtype) != 0)
			continue;
		for (size_t k = 0; k < arr->nkids; k++) {
			struct xml_node *m = arr->kids[k];

			if (m->kind == XML_ELEM && strcmp(m->name, "item") == 0 &&
			    xml_rename(m, container_names[i].member) != TSP8_OK)
				return TSP8_ENOMEM;
		}
	}
	return TSP8_OK;
}

static long early_rank(const struct xml_node *n)
{
	const char *name = xml_local(n->name);

	for (size_t i = 0; i < sizeof(early_order) / sizeof(early_order[0]); i++)
		if (strcmp(early_order[i], name) == 0)
			return (long)i;
	return (long)(sizeof(early_order) / sizeof(early_order[0]));
}

/* Stable insertion sort of the children by their rank in early_order. */
static void reorder_early(struct xml_node *ui)
{
	for (size_t i = 1; i < ui->nkids; i++) {
		struct xml_node *k = ui->kids[i];
		long r = k->kind == XML_ELEM ? early_rank(k) : 1000;
		size_t j = i;

		while (j > 0) {
			struct xml_node *p = ui->kids[j - 1];
			long pr = p->kind == XML_ELEM ? early_rank(p) : 1000;

			if (pr <= r)
				break;
			ui->kids[j] = p;
			j--;
		}
		ui->kids[j] = k;
	}
}

static int walk(const struct sim_wire *w, struct xml_node *n, int depth)
{
	char type[64];
	int rc;

	if (n->kind != XML_ELEM)
		return TSP8_OK;
	for (size_t i = 0; i < n->nkids; i++)
		if ((rc = walk(w, n->kids[i], depth + 1)) != TSP8_OK)
			return rc;
	if (w->members == SIM_MEMBERS_CONTAINER && xml_attr(n, "arrayType")) {
		type_local(xml_attr(n, "arrayType"), type, sizeof(type));
		if ((rc = rename_members(n, type)) != TSP8_OK)
			return rc;
	}
	type_local(xml_attr(n, "type"), type, sizeof(type));
	if (strcmp(type, "UserInfo") == 0) {
		if (w->order == SIM_ORDER_EARLY)
			reorder_early(n);
		if (w->extra_elements &&
		    ((rc = insert_raw(n, 0, extra_simple)) != TSP8_OK ||
		     (rc = insert_raw(n, n->nkids, extra_nested)) != TSP8_OK))
			return rc;
	} else if (w->extra_elements && strcmp(type, "CallInfo") == 0) {
		if ((rc = insert_raw(n, n->nkids / 2, extra_simple)) != TSP8_OK ||
		    (rc = insert_raw(n, n->nkids, extra_nested)) != TSP8_OK)
			return rc;
	} else if (w->extra_elements && depth == 2) {
		/* Envelope > Body > XxxResponse: one unknown part at the end. */
		size_t l = strlen(xml_local(n->name));

		if (l > 8 && strcmp(xml_local(n->name) + l - 8, "Response") == 0 &&
		    (rc = insert_raw(n, n->nkids, extra_simple)) != TSP8_OK)
			return rc;
	}
	return TSP8_OK;
}

int wire_rewrite(const struct sim_wire *w, const char *in, size_t len, struct strbuf *out)
{
	struct xml_node *root = NULL;
	char *prolog = NULL;
	int rc = xml_parse(in, len, &root, &prolog, NULL, 0);

	if (rc != TSP8_OK)
		return rc;
	rc = walk(w, root, 0);
	if (rc == TSP8_OK) {
		if (prolog) {
			sb_puts(out, prolog);
			sb_puts(out, "\n");
		}
		xml_write(root, out);
		if (sb_failed(out))
			rc = TSP8_ENOMEM;
	}
	free(prolog);
	xml_free(root);
	return rc;
}

void wire_strip_positions(struct strbuf *sb)
{
	static const char attr[] = " SOAP-ENC:position=\"";
	char *r, *w;

	if (!sb->buf || sb->failed)
		return;
	r = w = sb->buf;
	while (*r) {
		if (*r == ' ' && strncmp(r, attr, sizeof(attr) - 1) == 0) {
			char *q = strchr(r + sizeof(attr) - 1, '"');

			if (q) {
				r = q + 1;
				continue;
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
	sb->len = (size_t)(w - sb->buf);
}
