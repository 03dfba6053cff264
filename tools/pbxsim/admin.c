/* pbxsim Admin(xml) commands. */
#include "admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "session.h"
#include "simlog.h"
#include "strbuf.h"
#include "tree.h"
#include "xml_mini.h"

static char *answer_error(const char *reason)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_puts(&sb, "<error reason=\"");
	sb_xml(&sb, reason);
	sb_puts(&sb, "\"/>");
	return sb_detach(&sb);
}

static char *answer_ok(void)
{
	return strdup("<ok/>");
}

/* Decoded attribute value; false when absent or too long for size. */
static bool attr(const struct xml_node *n, const char *name, char *out, size_t size)
{
	const char *raw = xml_attr(n, name);

	if (!raw)
		return false;
	xml_unescape(raw, out, size);
	return true;
}

static void attr_out(struct strbuf *sb, const char *name, const char *value)
{
	sb_printf(sb, " %s=\"", name);
	sb_xml(sb, value);
	sb_puts(sb, "\"");
}

static char *show(const struct sim_object *o)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_puts(&sb, "<show><user");
	attr_out(&sb, "cn", o->cn);
	attr_out(&sb, "dn", o->dn);
	attr_out(&sb, "h323", o->h323);
	attr_out(&sb, "e164", o->e164);
	attr_out(&sb, "guid", o->guid);
	attr_out(&sb, "type", o->type);
	attr_out(&sb, "node", o->node);
	if (o->hide)
		attr_out(&sb, "hide", "true");
	if (o->password[0])
		attr_out(&sb, "pwd", "********");
	sb_puts(&sb, ">");
	for (size_t i = 0; i < o->ngroups; i++) {
		sb_puts(&sb, "<grp");
		attr_out(&sb, "name", o->groups[i].name);
		if (o->groups[i].active)
			attr_out(&sb, "mode", "active");
		sb_puts(&sb, "/>");
	}
	for (size_t i = 0; i < o->ndevices; i++) {
		sb_puts(&sb, "<device");
		attr_out(&sb, "hw", o->devices[i].hw);
		attr_out(&sb, "text", o->devices[i].text);
		sb_puts(&sb, "/>");
	}
	for (size_t i = 0; i < o->ncds; i++)
		sb_puts(&sb, o->cds[i]);
	sb_puts(&sb, "</user></show>");
	return sb_detach(&sb);
}

/* Canonical text of a child element (blank text stripped). */
static char *canonical(struct xml_node *n)
{
	struct strbuf sb;

	sb_init(&sb);
	xml_strip_blank(n);
	xml_write(n, &sb);
	return sb_detach(&sb);
}

static int add_cd(struct sim_object *o, struct xml_node *cd)
{
	char *text = canonical(cd);
	char **n;

	if (!text)
		return TSP8_ENOMEM;
	n = realloc(o->cds, (o->ncds + 1) * sizeof(*n));
	if (!n) {
		free(text);
		return TSP8_ENOMEM;
	}
	o->cds = n;
	o->cds[o->ncds++] = text;
	return TSP8_OK;
}

static void del_cd(struct sim_object *o, struct xml_node *cd)
{
	char *text = canonical(cd);
	size_t w = 0;

	if (!text)
		return;
	for (size_t i = 0; i < o->ncds; i++) {
		if (strcmp(o->cds[i], text) == 0) {
			free(o->cds[i]);
			continue;
		}
		o->cds[w++] = o->cds[i];
	}
	o->ncds = w;
	free(text);
}

static void clear_cds(struct sim_object *o)
{
	for (size_t i = 0; i < o->ncds; i++)
		free(o->cds[i]);
	o->ncds = 0;
}

static const char *add_group(struct sim_object *o, struct xml_node *g, bool *changed)
{
	char name[SIM_STR], mode[SIM_TAG] = "";
	struct sim_group *sg;

	if (!attr(g, "name", name, sizeof(name)) || !name[0])
		return "grp needs a name";
	attr(g, "mode", mode, sizeof(mode));
	sg = (struct sim_group *)model_group_of(o, name);
	if (!sg) {
		if (o->ngroups == SIM_MAX_GROUPS)
			return "too many groups";
		sg = &o->groups[o->ngroups++];
		sim_strlcpy(sg->name, name, sizeof(sg->name));
	}
	sg->active = strcmp(mode, "active") == 0;
	*changed = true;
	return NULL;
}

static void del_group(struct sim_object *o, struct xml_node *g, bool *changed)
{
	char name[SIM_STR];
	size_t w = 0;

	if (!attr(g, "name", name, sizeof(name)))
		return;
	for (size_t i = 0; i < o->ngroups; i++) {
		if (strcmp(o->groups[i].name, name) == 0) {
			*changed = true;
			continue;
		}
		o->groups[w++] = o->groups[i];
	}
	o->ngroups = w;
}

static const char *add_device(struct sim_object *o, struct xml_node *d)
{
	char hw[SIM_NUM], text[SIM_STR] = "";
	struct sim_device *sd;

	if (!attr(d, "hw", hw, sizeof(hw)) || !hw[0])
		return "device needs hw";
	attr(d, "text", text, sizeof(text));
	sd = model_device(o, hw);
	if (!sd) {
		if (o->ndevices == SIM_MAX_DEVICES)
			return "too many devices";
		sd = &o->devices[o->ndevices++];
		memset(sd, 0, sizeof(*sd));
		sim_strlcpy(sd->hw, hw, sizeof(sd->hw));
	}
	sim_strlcpy(sd->text, text, sizeof(sd->text));
	return NULL;
}

static void del_device(struct sim_object *o, struct xml_node *d)
{
	char hw[SIM_NUM];
	size_t w = 0;

	if (!attr(d, "hw", hw, sizeof(hw)))
		return;
	for (size_t i = 0; i < o->ndevices; i++)
		if (strcmp(o->devices[i].hw, hw) != 0)
			o->devices[w++] = o->devices[i];
	o->ndevices = w;
}

/* Applies the children of <user> (add: append/update, del: remove). */
static const char *apply_children(struct sim_object *o, struct xml_node *user, bool del,
				  bool *groups_changed)
{
	for (size_t i = 0; i < user->nkids; i++) {
		struct xml_node *k = user->kids[i];
		const char *name, *err = NULL;

		if (k->kind != XML_ELEM)
			continue;
		name = xml_local(k->name);
		if (strcmp(name, "cd") == 0) {
			if (del)
				del_cd(o, k);
			else if (add_cd(o, k) != TSP8_OK)
				err = "out of memory";
		} else if (strcmp(name, "grp") == 0) {
			if (del)
				del_group(o, k, groups_changed);
			else
				err = add_group(o, k, groups_changed);
		} else if (strcmp(name, "device") == 0) {
			if (del)
				del_device(o, k);
			else
				err = add_device(o, k);
		}
		if (err)
			return err;
	}
	return NULL;
}

/* modify: given attributes replace the old ones; the child lists that the
 * command carries replace the object's lists (the object is replaced). */
static const char *modify(struct sim_object *o, struct xml_node *user, bool *groups_changed)
{
	struct sim_object tmp = *o;
	bool any_grp = false, any_dev = false;

	attr(user, "dn", tmp.dn, sizeof(tmp.dn));
	attr(user, "h323", tmp.h323, sizeof(tmp.h323));
	attr(user, "e164", tmp.e164, sizeof(tmp.e164));
	/* The names are directory keys: out of the indexes while they change
	 * (admin_exec puts the object back). */
	dir_unindex(&o->home->tree->dir, o);
	for (size_t i = 0; i < user->nkids; i++) {
		const char *name = user->kids[i]->kind == XML_ELEM ? xml_local(user->kids[i]->name) : "";

		any_grp |= strcmp(name, "grp") == 0;
		any_dev |= strcmp(name, "device") == 0;
	}
	sim_strlcpy(o->dn, tmp.dn, sizeof(o->dn));
	sim_strlcpy(o->h323, tmp.h323, sizeof(o->h323));
	sim_strlcpy(o->e164, tmp.e164, sizeof(o->e164));
	clear_cds(o);
	if (any_grp || o->ngroups) {
		o->ngroups = 0;
		*groups_changed = true;
	}
	if (any_dev) {
		/* Keep the registration of devices that stay. */
		struct sim_device old[SIM_MAX_DEVICES];
		size_t nold = o->ndevices;
		const char *err;

		memcpy(old, o->devices, sizeof(old));
		o->ndevices = 0;
		err = apply_children(o, user, false, groups_changed);
		for (size_t i = 0; i < o->ndevices; i++)
			for (size_t j = 0; j < nold; j++)
				if (strcmp(o->devices[i].hw, old[j].hw) == 0)
					o->devices[i].registered = old[j].registered;
		return err;
	}
	return apply_children(o, user, false, groups_changed);
}

static char *add_object(struct sim_pbx *pbx, struct xml_node *user)
{
	struct sim_object *o = calloc(1, sizeof(*o));
	bool groups_changed = false;
	const char *err;

	if (!o)
		return NULL;
	if (!attr(user, "cn", o->cn, sizeof(o->cn)) || !o->cn[0]) {
		free(o);
		return answer_error("user needs a cn");
	}
	if (model_find_cn(pbx, o->cn)) {
		free(o);
		return answer_error("cn exists");
	}
	if (!attr(user, "dn", o->dn, sizeof(o->dn)))
		sim_strlcpy(o->dn, o->cn, sizeof(o->dn));
	attr(user, "h323", o->h323, sizeof(o->h323));
	attr(user, "e164", o->e164, sizeof(o->e164));
	sim_strlcpy(o->type, "ep", sizeof(o->type));
	sim_strlcpy(o->node, "root", sizeof(o->node));
	sim_strlcpy(o->object, "user", sizeof(o->object));
	/* Objects are defined on the master and replicated to the tree. */
	o->home = pbx->tree->master;
	model_derive_guid(o->guid, pbx->tree->master->name, o->cn);
	err = apply_children(o, user, false, &groups_changed);
	if (err || model_add_object(pbx, o) != TSP8_OK) {
		model_object_free(o);
		return err ? answer_error(err) : NULL;
	}
	sim_log(pbx->sim, "%s: Admin added '%s'", pbx->name, o->cn);
	session_refresh_scopes(pbx);
	return answer_ok();
}

char *admin_exec(struct sim_pbx *pbx, const char *xml)
{
	struct xml_node *root = NULL, *user;
	char cn[SIM_STR], perr[160], cmd[SIM_TAG];
	const char *err = NULL;
	struct sim_object *o;
	bool groups_changed = false;
	char *ans;

	if (tree_passive(pbx))
		return answer_error("standby PBX is passive");
	if (!xml || xml_parse(xml, strlen(xml), &root, NULL, perr, sizeof(perr)) != TSP8_OK)
		return answer_error(xml ? perr : "no command");
	xml_strip_blank(root);
	sim_strlcpy(cmd, xml_local(root->name), sizeof(cmd));
	user = xml_child(root, "user");
	if (!user) {
		xml_free(root);
		return answer_error("command needs a <user> element");
	}
	if (strcmp(cmd, "add") == 0) {
		ans = add_object(pbx, user);
		xml_free(root);
		return ans;
	}
	if (!attr(user, "cn", cn, sizeof(cn)) || !(o = model_find_cn(pbx, cn))) {
		xml_free(root);
		return answer_error("no such user");
	}
	if (strcmp(cmd, "show") == 0) {
		ans = show(o);
		xml_free(root);
		return ans;
	}
	if (strcmp(cmd, "modify") == 0) {
		err = modify(o, user, &groups_changed);
		dir_reindex(&pbx->tree->dir, o);
		tree_resolve_slave(pbx->tree, o);
	}
	else if (strcmp(cmd, "add-attrib") == 0)
		err = apply_children(o, user, false, &groups_changed);
	else if (strcmp(cmd, "del-attrib") == 0)
		err = apply_children(o, user, true, &groups_changed);
	else
		err = "unknown command";
	xml_free(root);
	if (err)
		return answer_error(err);
	sim_log(pbx->sim, "%s: Admin %s '%s' (%zu cd)", pbx->name, cmd, o->cn, o->ncds);
	o->cfg_pending = true;
	if (groups_changed)
		session_refresh_scopes(pbx);
	session_emit_userinfo(pbx, o, true);
	return answer_ok();
}
