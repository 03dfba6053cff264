/* pbxsim tree file loader: JSON -> PBXs, their roles in PBX trees and the
 * trees' objects, with a precise message (file, JSON path, problem) for
 * everything it does not accept. */
#include "tree_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "tree_load_int.h"

/* What load_pbx leaves for the passes that need every PBX of the file. */
struct pending {
	struct sim_pbx *pbx;
	char master[SIM_STR];       /* "master": this is a slave of that PBX */
	char standby_for[SIM_STR];  /* "standby_for": standby of that PBX */
	bool has_location;
	const cJSON *objects;
	char path[64];
};

static int load_wire(struct tl_ctx *cx, const cJSON *jp, const char *path, struct sim_wire *w)
{
	static const char *const keys[] = { "array_members", "order", "extra_elements", NULL };
	const cJSON *jw = cJSON_GetObjectItemCaseSensitive(jp, "wire");
	char p[512], members[SIM_TAG], order[SIM_TAG];
	int rc;

	if (!jw)
		return TSP8_OK;
	tl_subpath(p, sizeof(p), path, "wire");
	if (!cJSON_IsObject(jw))
		return tl_bad(cx, p, "expected an object");
	if ((rc = tl_only_keys(cx, jw, p, keys)) ||
	    (rc = tl_get_str(cx, jw, p, "array_members", members, sizeof(members), "item",
			  false)) ||
	    (rc = tl_get_str(cx, jw, p, "order", order, sizeof(order), "current", false)) ||
	    (rc = tl_get_bool(cx, jw, p, "extra_elements", &w->extra_elements)))
		return rc;
	if (strcmp(members, "item") == 0)
		w->members = SIM_MEMBERS_ITEM;
	else if (strcmp(members, "container") == 0)
		w->members = SIM_MEMBERS_CONTAINER;
	else
		return tl_bad(cx, p, "array_members must be \"item\" or \"container\"");
	if (strcmp(order, "current") == 0)
		w->order = SIM_ORDER_CURRENT;
	else if (strcmp(order, "early") == 0)
		w->order = SIM_ORDER_EARLY;
	else
		return tl_bad(cx, p, "order must be \"current\" or \"early\"");
	return TSP8_OK;
}

static int load_pbx(struct tl_ctx *cx, const cJSON *jp, struct pending *pd)
{
	static const char *const keys[] = {
		"name", "port", "path_id", "admin_password", "firmware", "serial", "wire",
		"objects", "dump_chunk", "master", "standby_for", "location",
		"loopback_registration", NULL
	};
	const char *path = pd->path;
	struct sim_pbx *pbx;
	unsigned port = 0;
	int rc;

	if (!cJSON_IsObject(jp))
		return tl_bad(cx, path, "expected an object");
	pbx = sim_pbx_new();
	if (!pbx)
		return TSP8_ENOMEM;
	pbx->dump_chunk = cx->dump_chunk;
	pd->has_location = cJSON_GetObjectItemCaseSensitive(jp, "location") != NULL;
	if ((rc = tl_only_keys(cx, jp, path, keys)) ||
	    (rc = tl_get_str(cx, jp, path, "name", pbx->name, sizeof(pbx->name), "", true)) ||
	    (rc = tl_get_uint(cx, jp, path, "port", 65535, &port, NULL)) ||
	    (rc = tl_get_str(cx, jp, path, "path_id", pbx->path_id, sizeof(pbx->path_id), "",
			     false)) ||
	    (rc = tl_get_str(cx, jp, path, "admin_password", pbx->admin_password,
			     sizeof(pbx->admin_password), "pwd", false)) ||
	    (rc = tl_get_str(cx, jp, path, "firmware", pbx->firmware, sizeof(pbx->firmware),
			     "13r3 sr7 [139022]", false)) ||
	    (rc = tl_get_str(cx, jp, path, "serial", pbx->serial, sizeof(pbx->serial),
			     "00-90-33-00-00-01", false)) ||
	    (rc = tl_get_uint(cx, jp, path, "dump_chunk", 100000, &pbx->dump_chunk, NULL)) ||
	    (rc = load_wire(cx, jp, path, &pbx->wire)) ||
	    (rc = tl_get_str(cx, jp, path, "master", pd->master, sizeof(pd->master), "",
			     false)) ||
	    (rc = tl_get_str(cx, jp, path, "standby_for", pd->standby_for,
			     sizeof(pd->standby_for), "", false)) ||
	    (rc = tl_get_str(cx, jp, path, "location", pbx->location, sizeof(pbx->location),
			     pbx->name, false)) ||
	    (rc = tl_get_bool(cx, jp, path, "loopback_registration",
			      &pbx->loopback_registration)))
		goto fail;
	pbx->port = port;
	if (strchr(pbx->name, ' ') || strchr(pbx->path_id, '/') || strchr(pbx->path_id, ' ')) {
		rc = tl_bad(cx, path, "name and path_id must not contain spaces or '/'");
		goto fail;
	}
	if (!pbx->location[0]) {
		rc = tl_bad(cx, path, "location must not be empty");
		goto fail;
	}
	if (pbx->dump_chunk == 0) {
		rc = tl_bad(cx, path, "dump_chunk must be at least 1");
		goto fail;
	}
	pd->objects = tl_get_array(cx, jp, path, "objects", &rc);
	if (rc)
		goto fail;
	pd->pbx = pbx;
	return TSP8_OK;
fail:
	sim_pbx_free(pbx);
	return rc;
}

static struct pending *find_pending(struct pending *pd, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(pd[i].pbx->name, name) == 0)
			return &pd[i];
	return NULL;
}

/* "master" / "standby_for" -> roles and links (names within this file). */
static int link_roles(struct tl_ctx *cx, struct pending *pd, size_t n)
{
	char p[600];

	for (size_t i = 0; i < n; i++) {
		struct sim_pbx *x = pd[i].pbx;
		struct pending *t;

		if (pd[i].master[0] && pd[i].standby_for[0])
			return tl_bad(cx, pd[i].path, "a PBX is either a slave (\"master\") or a "
				      "standby (\"standby_for\"), not both");
		if (pd[i].master[0]) {
			tl_subpath(p, sizeof(p), pd[i].path, "master");
			t = find_pending(pd, n, pd[i].master);
			if (!t || t->pbx == x)
				return tl_bad(cx, p, "\"%s\" is no other PBX of this file", pd[i].master);
			x->role = SIM_ROLE_SLAVE;
			x->master = t->pbx;
		} else if (pd[i].standby_for[0]) {
			tl_subpath(p, sizeof(p), pd[i].path, "standby_for");
			t = find_pending(pd, n, pd[i].standby_for);
			if (!t || t->pbx == x)
				return tl_bad(cx, p, "\"%s\" is no other PBX of this file",
					      pd[i].standby_for);
			if (t->pbx->standby)
				return tl_bad(cx, p, "\"%s\" already has the standby \"%s\"",
					      t->pbx->name, t->pbx->standby->name);
			x->role = SIM_ROLE_STANDBY;
			x->primary = t->pbx;
			t->pbx->standby = x;
		}
		if (x->loopback_registration && x->role != SIM_ROLE_SLAVE)
			return tl_bad(cx, pd[i].path, "loopback_registration needs \"master\" (a "
				      "dynamic slave registers to its master)");
	}
	for (size_t i = 0; i < n; i++) {
		struct sim_pbx *x = pd[i].pbx;

		if (x->role == SIM_ROLE_SLAVE && x->master->role != SIM_ROLE_MASTER) {
			tl_subpath(p, sizeof(p), pd[i].path, "master");
			return tl_bad(cx, p, "\"%s\" is not a master (it has \"master\" or "
				      "\"standby_for\" itself)", x->master->name);
		}
		if (x->role == SIM_ROLE_STANDBY && x->primary->role == SIM_ROLE_STANDBY) {
			tl_subpath(p, sizeof(p), pd[i].path, "standby_for");
			return tl_bad(cx, p, "\"%s\" is a standby itself", x->primary->name);
		}
		/* A standby takes over its primary's identity. */
		if (x->role == SIM_ROLE_STANDBY && !pd[i].has_location)
			sim_strlcpy(x->location, x->primary->location, sizeof(x->location));
	}
	return TSP8_OK;
}

/* Trees: one per master; slaves, then standbys join their tree. */
static int build_trees(struct tl_ctx *cx, struct sim *sim, struct pending *pd, size_t n,
		       unsigned takeover_ms)
{
	for (int role = SIM_ROLE_MASTER; role <= SIM_ROLE_STANDBY; role++)
		for (size_t i = 0; i < n; i++) {
			struct sim_pbx *x = pd[i].pbx;
			struct sim_tree *t;
			int rc;

			if ((int)x->role != role)
				continue;
			if (role == SIM_ROLE_MASTER)
				rc = tree_create(sim, x, takeover_ms, &t);
			else
				rc = tree_add_member(role == SIM_ROLE_SLAVE ? x->master->tree
									   : x->primary->tree, x);
			if (rc)
				return rc;
		}
	/* LocationUrl must be unambiguous within a tree. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++) {
			const struct sim_pbx *a = pd[i].pbx, *b = pd[j].pbx;

			if (a->tree == b->tree && a->role != SIM_ROLE_STANDBY &&
			    b->role != SIM_ROLE_STANDBY && strcasecmp(a->location, b->location) == 0)
				return tl_bad(cx, pd[i].path, "location \"%s\" is used by \"%s\" too",
					      a->location, b->name);
		}
	return TSP8_OK;
}

static int load_objects(struct tl_ctx *cx, struct pending *pd, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct sim_pbx *x = pd[i].pbx;
		const cJSON *jo;
		size_t k = 0;

		if (!pd[i].objects)
			continue;
		if (x->role != SIM_ROLE_MASTER && cJSON_GetArraySize(pd[i].objects) > 0) {
			char p[600];

			tl_subpath(p, sizeof(p), pd[i].path, "objects");
			return tl_bad(cx, p, "objects are defined on the tree's master \"%s\" (their "
				      "\"pbx\" names the PBX they are registered at)",
				      x->tree->master->name);
		}
		cJSON_ArrayForEach(jo, pd[i].objects) {
			char p[600];
			struct sim_object *o;
			int rc;

			tl_pathf(p, sizeof(p), "%s.objects[%zu]", pd[i].path, k++);
			if ((rc = tl_parse_object(cx, x->tree, jo, p, &o)))
				return rc;
			if ((rc = model_add_object(x, o))) {
				model_object_free(o);
				return rc;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct sim_tree *t = pd[i].pbx->tree;

		if (pd[i].pbx->role != SIM_ROLE_MASTER)
			continue;
		for (size_t k = 0; k < t->dir.nobjs; k++)
			tree_resolve_slave(t, t->dir.objs[k]);
	}
	return TSP8_OK;
}

int tree_load_text(struct sim *sim, const char *source, const char *text,
		   struct tree_settings *settings, char *err, size_t errlen)
{
	static const char *const keys[] = {
		"poll_idle_seconds", "session_expiry_seconds", "dump_chunk", "standby_takeover_ms",
		"pbxs", NULL
	};
	struct tl_ctx cx = { source ? source : "tree", err, errlen, 100 };
	struct tree_settings ts = { 0 };
	size_t first = sim->npbx, first_tree = sim->ntrees, i = 0, n = 0;
	unsigned takeover_ms = SIM_TAKEOVER_MS_DEFAULT;
	struct pending *pd = NULL;
	cJSON *root;
	const cJSON *pbxs, *jp;
	int rc;

	if (!text || !err || !errlen)
		return TSP8_EINVAL;
	err[0] = '\0';
	root = cJSON_Parse(text);
	if (!root) {
		const char *at = cJSON_GetErrorPtr();
		long off = at && at >= text ? (long)(at - text) : 0;

		return tl_bad(&cx, "$", "not valid JSON (near byte %ld)", off);
	}
	if (!cJSON_IsObject(root)) {
		rc = tl_bad(&cx, "$", "expected an object at the top");
		goto out;
	}
	if ((rc = tl_only_keys(&cx, root, "$", keys)) ||
	    (rc = tl_get_uint(&cx, root, "$", "poll_idle_seconds", 3600, &ts.poll_idle_s,
			      &ts.has_poll_idle)) ||
	    (rc = tl_get_uint(&cx, root, "$", "session_expiry_seconds", 3600,
			      &ts.session_expiry_s, &ts.has_session_expiry)) ||
	    (rc = tl_get_uint(&cx, root, "$", "dump_chunk", 100000, &cx.dump_chunk, NULL)) ||
	    (rc = tl_get_uint(&cx, root, "$", "standby_takeover_ms", 600000, &takeover_ms, NULL)))
		goto out;
	pbxs = tl_get_array(&cx, root, "$", "pbxs", &rc);
	if (rc)
		goto out;
	if (!pbxs || cJSON_GetArraySize(pbxs) == 0) {
		rc = tl_bad(&cx, "$.pbxs", "at least one PBX is required");
		goto out;
	}
	pd = calloc((size_t)cJSON_GetArraySize(pbxs), sizeof(*pd));
	if (!pd) {
		rc = TSP8_ENOMEM;
		goto out;
	}
	cJSON_ArrayForEach(jp, pbxs) {
		tl_pathf(pd[n].path, sizeof(pd[n].path), "$.pbxs[%zu]", i++);
		if ((rc = load_pbx(&cx, jp, &pd[n])))
			goto out;
		if (sim_find_pbx(sim, pd[n].pbx->name)) {
			rc = tl_bad(&cx, pd[n].path, "duplicate PBX name \"%s\"", pd[n].pbx->name);
			sim_pbx_free(pd[n].pbx);
			goto out;
		}
		if ((rc = sim_add_pbx(sim, pd[n].pbx))) {
			sim_pbx_free(pd[n].pbx);
			goto out;
		}
		n++;
	}
	if ((rc = link_roles(&cx, pd, n)) || (rc = build_trees(&cx, sim, pd, n, takeover_ms)) ||
	    (rc = load_objects(&cx, pd, n)))
		goto out;
	if (settings)
		*settings = ts;
out:
	if (rc != TSP8_OK) {
		/* Leave sim as it was. */
		while (sim->ntrees > first_tree)
			tree_free(sim->trees[--sim->ntrees]);
		while (sim->npbx > first)
			sim_pbx_free(sim->pbxs[--sim->npbx]);
	}
	free(pd);
	cJSON_Delete(root);
	return rc;
}

int tree_parse_object(struct sim_pbx *pbx, const char *json, struct sim_object **out,
		      char *err, size_t errlen)
{
	struct tl_ctx cx = { "object", err, errlen, 100 };
	cJSON *root;
	int rc;

	if (!pbx || !json || !out || !err || !errlen)
		return TSP8_EINVAL;
	err[0] = '\0';
	root = cJSON_Parse(json);
	if (!root)
		return tl_bad(&cx, "$", "not valid JSON");
	rc = tl_parse_object(&cx, pbx->tree, root, "$", out);
	cJSON_Delete(root);
	return rc;
}

int tree_load_file(struct sim *sim, const char *path, struct tree_settings *settings,
		   char *err, size_t errlen)
{
	FILE *f;
	char *text;
	long n;
	int rc;

	if (!path || !err || !errlen)
		return TSP8_EINVAL;
	f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return TSP8_EIO;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    n > 64L * 1024 * 1024) {
		fclose(f);
		snprintf(err, errlen, "%s: cannot read (not a regular file or too big)", path);
		return TSP8_EIO;
	}
	text = malloc((size_t)n + 1);
	if (!text) {
		fclose(f);
		return TSP8_ENOMEM;
	}
	if (fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		fclose(f);
		snprintf(err, errlen, "%s: read error", path);
		return TSP8_EIO;
	}
	fclose(f);
	text[n] = '\0';
	rc = tree_load_text(sim, path, text, settings, err, errlen);
	free(text);
	return rc;
}
