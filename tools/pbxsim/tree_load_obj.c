/* pbxsim tree file loader: objects (users, trunks, PBX objects) with their
 * groups, devices, registrations and presence. */
#include "tree_load_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

static bool is_hex32(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]))
			return false;
	return n == 32;
}


static int load_groups(struct tl_ctx *cx, const cJSON *jo, const char *path,
		       struct sim_object *o)
{
	static const char *const keys[] = { "group", "active", NULL };
	int rc;
	const cJSON *arr = tl_get_array(cx, jo, path, "groups", &rc), *g;

	if (!arr)
		return rc;
	cJSON_ArrayForEach(g, arr) {
		char p[512];
		struct sim_group *sg;

		tl_pathf(p, sizeof(p), "%s.groups[%zu]", path, o->ngroups);
		if (o->ngroups == SIM_MAX_GROUPS)
			return tl_bad(cx, p, "more than %d groups", SIM_MAX_GROUPS);
		if (!cJSON_IsObject(g))
			return tl_bad(cx, p, "expected an object {\"group\": ..., \"active\": ...}");
		sg = &o->groups[o->ngroups];
		if ((rc = tl_only_keys(cx, g, p, keys)) ||
		    (rc = tl_get_str(cx, g, p, "group", sg->name, sizeof(sg->name), "", true)) ||
		    (rc = tl_get_bool(cx, g, p, "active", &sg->active)))
			return rc;
		o->ngroups++;
	}
	return TSP8_OK;
}

static int load_devices(struct tl_ctx *cx, const cJSON *jo, const char *path,
			struct sim_object *o)
{
	static const char *const keys[] = { "hw", "text", NULL };
	int rc;
	const cJSON *arr = tl_get_array(cx, jo, path, "devices", &rc), *d;

	if (!arr && rc)
		return rc;
	cJSON_ArrayForEach(d, arr) {
		char p[512];
		struct sim_device *sd;

		tl_pathf(p, sizeof(p), "%s.devices[%zu]", path, o->ndevices);
		if (o->ndevices == SIM_MAX_DEVICES)
			return tl_bad(cx, p, "more than %d devices", SIM_MAX_DEVICES);
		if (!cJSON_IsObject(d))
			return tl_bad(cx, p, "expected an object {\"hw\": ..., \"text\": ...}");
		sd = &o->devices[o->ndevices];
		if ((rc = tl_only_keys(cx, d, p, keys)) ||
		    (rc = tl_get_str(cx, d, p, "hw", sd->hw, sizeof(sd->hw), "", true)) ||
		    (rc = tl_get_str(cx, d, p, "text", sd->text, sizeof(sd->text), "", false)))
			return rc;
		if (model_device(o, sd->hw))
			return tl_bad(cx, p, "duplicate hw \"%s\"", sd->hw);
		o->ndevices++;
	}
	arr = tl_get_array(cx, jo, path, "registered", &rc);
	if (!arr)
		return rc;
	for (int i = 0; i < cJSON_GetArraySize(arr); i++) {
		const cJSON *r = cJSON_GetArrayItem(arr, i);
		struct sim_device *sd;
		char p[512];

		tl_pathf(p, sizeof(p), "%s.registered[%d]", path, i);
		if (!cJSON_IsString(r) || !r->valuestring[0])
			return tl_bad(cx, p, "expected a non-empty hw id string");
		sd = model_device(o, r->valuestring);
		if (!sd)
			return tl_bad(cx, p, "hw \"%s\" is not in this object's devices",
				      r->valuestring);
		sd->registered = true;
	}
	return TSP8_OK;
}

static int load_presence(struct tl_ctx *cx, const cJSON *jo, const char *path,
			 struct sim_object *o)
{
	static const char *const keys[] = { "status", "activity", "note", NULL };
	static const char *const status[] = { "", "open", "closed", NULL };
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(jo, "presence");
	char pp[512];
	int rc;

	if (!p)
		return TSP8_OK;
	tl_subpath(pp, sizeof(pp), path, "presence");
	if (!cJSON_IsObject(p))
		return tl_bad(cx, pp, "expected an object");
	if ((rc = tl_only_keys(cx, p, pp, keys)) ||
	    (rc = tl_get_str(cx, p, pp, "status", o->presence.status, sizeof(o->presence.status),
			     "", false)) ||
	    (rc = tl_get_str(cx, p, pp, "activity", o->presence.activity,
			     sizeof(o->presence.activity), "", false)) ||
	    (rc = tl_get_str(cx, p, pp, "note", o->presence.note, sizeof(o->presence.note), "",
			     false)))
		return rc;
	if (!tl_one_of(o->presence.status, status))
		return tl_bad(cx, pp, "status must be \"open\", \"closed\" or \"\"");
	return TSP8_OK;
}

/* Home PBX from "pbx": a master or slave of this tree. */
static int load_home(struct tl_ctx *cx, struct sim_tree *tree, const cJSON *jo,
		     const char *path, struct sim_object *o)
{
	char name[SIM_STR], p[512];
	int rc = tl_get_str(cx, jo, path, "pbx", name, sizeof(name), "", false);

	if (rc)
		return rc;
	o->home = tree->master;
	if (!name[0])
		return TSP8_OK;
	tl_subpath(p, sizeof(p), path, "pbx");
	for (size_t i = 0; i < tree->npbx; i++) {
		struct sim_pbx *m = tree->pbxs[i];

		if (strcmp(m->name, name) != 0)
			continue;
		if (m->role == SIM_ROLE_STANDBY)
			return tl_bad(cx, p, "\"%s\" is a standby; objects are homed on its primary",
				      name);
		o->home = m;
		return TSP8_OK;
	}
	return tl_bad(cx, p, "no PBX \"%s\" in the tree of \"%s\"", name, tree->master->name);
}

int tl_parse_object(struct tl_ctx *cx, struct sim_tree *tree, const cJSON *jo,
		    const char *path, struct sim_object **out)
{
	static const char *const keys[] = {
		"cn", "dn", "h323", "e164", "guid", "type", "node", "nodenum", "object",
		"password", "hide", "groups", "devices", "registered", "presence", "pbx", NULL
	};
	static const char *const types[] = { "ep", "gw", "waiting", "broadcast", NULL };
	const struct sim_pbx *m = tree->master;
	struct sim_object *o;
	int rc;

	if (!cJSON_IsObject(jo))
		return tl_bad(cx, path, "expected an object");
	o = calloc(1, sizeof(*o));
	if (!o)
		return TSP8_ENOMEM;
	if ((rc = tl_only_keys(cx, jo, path, keys)) ||
	    (rc = tl_get_str(cx, jo, path, "cn", o->cn, sizeof(o->cn), "", true)) ||
	    (rc = tl_get_str(cx, jo, path, "dn", o->dn, sizeof(o->dn), o->cn, false)) ||
	    (rc = tl_get_str(cx, jo, path, "h323", o->h323, sizeof(o->h323), "", false)) ||
	    (rc = tl_get_str(cx, jo, path, "e164", o->e164, sizeof(o->e164), "", false)) ||
	    (rc = tl_get_str(cx, jo, path, "guid", o->guid, sizeof(o->guid), "", false)) ||
	    (rc = tl_get_str(cx, jo, path, "type", o->type, sizeof(o->type), "ep", false)) ||
	    (rc = tl_get_str(cx, jo, path, "node", o->node, sizeof(o->node), "root", false)) ||
	    (rc = tl_get_str(cx, jo, path, "nodenum", o->nodenum, sizeof(o->nodenum), "",
			     false)) ||
	    (rc = tl_get_str(cx, jo, path, "object", o->object, sizeof(o->object), "user",
			     false)) ||
	    (rc = tl_get_str(cx, jo, path, "password", o->password, sizeof(o->password), "",
			     false)) ||
	    (rc = tl_get_bool(cx, jo, path, "hide", &o->hide)) ||
	    (rc = load_groups(cx, jo, path, o)) || (rc = load_devices(cx, jo, path, o)) ||
	    (rc = load_presence(cx, jo, path, o)) || (rc = load_home(cx, tree, jo, path, o)))
		goto fail;
	if (!tl_one_of(o->type, types)) {
		rc = tl_bad(cx, path, "type \"%s\" is not ep, gw, waiting or broadcast", o->type);
		goto fail;
	}
	if (o->guid[0] && !is_hex32(o->guid)) {
		rc = tl_bad(cx, path, "guid must be 32 hex digits");
		goto fail;
	}
	/* Defined on the master: the same guid on every PBX of the tree. */
	if (!o->guid[0])
		model_derive_guid(o->guid, m->name, o->cn);
	if (model_find_cn(m, o->cn)) {
		rc = tl_bad(cx, path, "duplicate cn \"%s\"", o->cn);
		goto fail;
	}
	if (model_find_e164(m, o->e164)) {
		rc = tl_bad(cx, path, "duplicate e164 \"%s\"", o->e164);
		goto fail;
	}
	if (model_find_h323(m, o->h323)) {
		rc = tl_bad(cx, path, "duplicate h323 \"%s\"", o->h323);
		goto fail;
	}
	if (model_find_guid(m, o->guid)) {
		rc = tl_bad(cx, path, "duplicate guid \"%s\"", o->guid);
		goto fail;
	}
	*out = o;
	return TSP8_OK;
fail:
	model_object_free(o);
	return rc;
}
