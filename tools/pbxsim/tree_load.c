/* pbxsim tree file loader: JSON -> PBXs and objects, with a precise message
 * (file, JSON path, problem) for everything it does not accept. */
#include "tree_load.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

struct ctx {
	const char *source;
	char *err;
	size_t errlen;
	unsigned dump_chunk;   /* tree default for PBXs */
};

static int bad(struct ctx *cx, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct ctx *cx, const char *path, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(cx->err, cx->errlen, "%s: %s: %s", cx->source, path, what);
	return TSP8_ESYNTAX;
}

/* JSON paths are cut rather than overflowing (vsnprintf, so the compiler
 * does not warn about the cut). */
static void pathf(char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void pathf(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, len, fmt, ap);
	va_end(ap);
}

static void subpath(char *out, size_t len, const char *path, const char *key)
{
	pathf(out, len, "%s.%s", path, key);
}

/* Rejects keys outside `allowed` (NULL-terminated): typos must not pass. */
static int only_keys(struct ctx *cx, const cJSON *obj, const char *path,
		     const char *const *allowed)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, obj) {
		bool ok = false;

		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, it->string) == 0;
		if (!ok)
			return bad(cx, path, "unknown key \"%s\"", it->string);
	}
	return TSP8_OK;
}

static int get_str(struct ctx *cx, const cJSON *obj, const char *path, const char *key,
		   char *out, size_t size, const char *def, bool required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[512];

	subpath(p, sizeof(p), path, key);
	if (!v) {
		if (required)
			return bad(cx, p, "missing (a string is required)");
		snprintf(out, size, "%s", def);
		return TSP8_OK;
	}
	if (!cJSON_IsString(v))
		return bad(cx, p, "expected a string");
	if (strlen(v->valuestring) >= size)
		return bad(cx, p, "too long (at most %zu bytes)", size - 1);
	if (required && !v->valuestring[0])
		return bad(cx, p, "must not be empty");
	snprintf(out, size, "%s", v->valuestring);
	return TSP8_OK;
}

static int get_uint(struct ctx *cx, const cJSON *obj, const char *path, const char *key,
		    unsigned max, unsigned *out, bool *present)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[512];

	if (present)
		*present = v != NULL;
	if (!v)
		return TSP8_OK;
	subpath(p, sizeof(p), path, key);
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > max ||
	    v->valuedouble != (double)(unsigned)v->valuedouble)
		return bad(cx, p, "expected a whole number from 0 to %u", max);
	*out = (unsigned)v->valuedouble;
	return TSP8_OK;
}

static int get_bool(struct ctx *cx, const cJSON *obj, const char *path, const char *key,
		    bool *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[512];

	if (!v)
		return TSP8_OK;
	subpath(p, sizeof(p), path, key);
	if (!cJSON_IsBool(v))
		return bad(cx, p, "expected true or false");
	*out = cJSON_IsTrue(v);
	return TSP8_OK;
}

static const cJSON *get_array(struct ctx *cx, const cJSON *obj, const char *path,
			      const char *key, int *rc)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[512];

	*rc = TSP8_OK;
	if (!v)
		return NULL;
	if (!cJSON_IsArray(v)) {
		subpath(p, sizeof(p), path, key);
		*rc = bad(cx, p, "expected an array");
		return NULL;
	}
	return v;
}

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static bool is_hex32(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]))
			return false;
	return n == 32;
}

static int load_groups(struct ctx *cx, const cJSON *jo, const char *path,
		       struct sim_object *o)
{
	static const char *const keys[] = { "group", "active", NULL };
	int rc;
	const cJSON *arr = get_array(cx, jo, path, "groups", &rc), *g;

	if (!arr)
		return rc;
	cJSON_ArrayForEach(g, arr) {
		char p[512];
		struct sim_group *sg;

		pathf(p, sizeof(p), "%s.groups[%zu]", path, o->ngroups);
		if (o->ngroups == SIM_MAX_GROUPS)
			return bad(cx, p, "more than %d groups", SIM_MAX_GROUPS);
		if (!cJSON_IsObject(g))
			return bad(cx, p, "expected an object {\"group\": ..., \"active\": ...}");
		sg = &o->groups[o->ngroups];
		if ((rc = only_keys(cx, g, p, keys)) ||
		    (rc = get_str(cx, g, p, "group", sg->name, sizeof(sg->name), "", true)) ||
		    (rc = get_bool(cx, g, p, "active", &sg->active)))
			return rc;
		o->ngroups++;
	}
	return TSP8_OK;
}

static int load_devices(struct ctx *cx, const cJSON *jo, const char *path,
			struct sim_object *o)
{
	static const char *const keys[] = { "hw", "text", NULL };
	int rc;
	const cJSON *arr = get_array(cx, jo, path, "devices", &rc), *d;

	if (!arr && rc)
		return rc;
	cJSON_ArrayForEach(d, arr) {
		char p[512];
		struct sim_device *sd;

		pathf(p, sizeof(p), "%s.devices[%zu]", path, o->ndevices);
		if (o->ndevices == SIM_MAX_DEVICES)
			return bad(cx, p, "more than %d devices", SIM_MAX_DEVICES);
		if (!cJSON_IsObject(d))
			return bad(cx, p, "expected an object {\"hw\": ..., \"text\": ...}");
		sd = &o->devices[o->ndevices];
		if ((rc = only_keys(cx, d, p, keys)) ||
		    (rc = get_str(cx, d, p, "hw", sd->hw, sizeof(sd->hw), "", true)) ||
		    (rc = get_str(cx, d, p, "text", sd->text, sizeof(sd->text), "", false)))
			return rc;
		if (model_device(o, sd->hw))
			return bad(cx, p, "duplicate hw \"%s\"", sd->hw);
		o->ndevices++;
	}
	arr = get_array(cx, jo, path, "registered", &rc);
	if (!arr)
		return rc;
	for (int i = 0; i < cJSON_GetArraySize(arr); i++) {
		const cJSON *r = cJSON_GetArrayItem(arr, i);
		struct sim_device *sd;
		char p[512];

		pathf(p, sizeof(p), "%s.registered[%d]", path, i);
		if (!cJSON_IsString(r) || !r->valuestring[0])
			return bad(cx, p, "expected a non-empty hw id string");
		sd = model_device(o, r->valuestring);
		if (!sd)
			return bad(cx, p, "hw \"%s\" is not in this object's devices",
				   r->valuestring);
		sd->registered = true;
	}
	return TSP8_OK;
}

static int load_presence(struct ctx *cx, const cJSON *jo, const char *path,
			 struct sim_object *o)
{
	static const char *const keys[] = { "status", "activity", "note", NULL };
	static const char *const status[] = { "", "open", "closed", NULL };
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(jo, "presence");
	char pp[512];
	int rc;

	if (!p)
		return TSP8_OK;
	subpath(pp, sizeof(pp), path, "presence");
	if (!cJSON_IsObject(p))
		return bad(cx, pp, "expected an object");
	if ((rc = only_keys(cx, p, pp, keys)) ||
	    (rc = get_str(cx, p, pp, "status", o->presence.status, sizeof(o->presence.status),
			  "", false)) ||
	    (rc = get_str(cx, p, pp, "activity", o->presence.activity,
			  sizeof(o->presence.activity), "", false)) ||
	    (rc = get_str(cx, p, pp, "note", o->presence.note, sizeof(o->presence.note), "",
			  false)))
		return rc;
	if (!one_of(o->presence.status, status))
		return bad(cx, pp, "status must be \"open\", \"closed\" or \"\"");
	return TSP8_OK;
}

static int load_object(struct ctx *cx, struct sim_pbx *pbx, const cJSON *jo,
		       const char *path)
{
	static const char *const keys[] = {
		"cn", "dn", "h323", "e164", "guid", "type", "node", "nodenum", "object",
		"password", "hide", "groups", "devices", "registered", "presence", NULL
	};
	static const char *const types[] = { "ep", "gw", "waiting", "broadcast", NULL };
	struct sim_object *o;
	int rc;

	if (!cJSON_IsObject(jo))
		return bad(cx, path, "expected an object");
	o = calloc(1, sizeof(*o));
	if (!o)
		return TSP8_ENOMEM;
	if ((rc = only_keys(cx, jo, path, keys)) ||
	    (rc = get_str(cx, jo, path, "cn", o->cn, sizeof(o->cn), "", true)) ||
	    (rc = get_str(cx, jo, path, "dn", o->dn, sizeof(o->dn), o->cn, false)) ||
	    (rc = get_str(cx, jo, path, "h323", o->h323, sizeof(o->h323), "", false)) ||
	    (rc = get_str(cx, jo, path, "e164", o->e164, sizeof(o->e164), "", false)) ||
	    (rc = get_str(cx, jo, path, "guid", o->guid, sizeof(o->guid), "", false)) ||
	    (rc = get_str(cx, jo, path, "type", o->type, sizeof(o->type), "ep", false)) ||
	    (rc = get_str(cx, jo, path, "node", o->node, sizeof(o->node), "root", false)) ||
	    (rc = get_str(cx, jo, path, "nodenum", o->nodenum, sizeof(o->nodenum), "", false)) ||
	    (rc = get_str(cx, jo, path, "object", o->object, sizeof(o->object), "user", false)) ||
	    (rc = get_str(cx, jo, path, "password", o->password, sizeof(o->password), "",
			  false)) ||
	    (rc = get_bool(cx, jo, path, "hide", &o->hide)) ||
	    (rc = load_groups(cx, jo, path, o)) || (rc = load_devices(cx, jo, path, o)) ||
	    (rc = load_presence(cx, jo, path, o)))
		goto fail;
	if (!one_of(o->type, types)) {
		rc = bad(cx, path, "type \"%s\" is not ep, gw, waiting or broadcast", o->type);
		goto fail;
	}
	if (o->guid[0] && !is_hex32(o->guid)) {
		rc = bad(cx, path, "guid must be 32 hex digits");
		goto fail;
	}
	if (!o->guid[0])
		model_derive_guid(o->guid, pbx->name, o->cn);
	if (model_find_cn(pbx, o->cn)) {
		rc = bad(cx, path, "duplicate cn \"%s\"", o->cn);
		goto fail;
	}
	if (model_find_e164(pbx, o->e164)) {
		rc = bad(cx, path, "duplicate e164 \"%s\"", o->e164);
		goto fail;
	}
	if (model_find_h323(pbx, o->h323)) {
		rc = bad(cx, path, "duplicate h323 \"%s\"", o->h323);
		goto fail;
	}
	if (model_find_guid(pbx, o->guid)) {
		rc = bad(cx, path, "duplicate guid \"%s\"", o->guid);
		goto fail;
	}
	rc = model_add_object(pbx, o);
	if (rc == TSP8_OK)
		return TSP8_OK;
fail:
	model_object_free(o);
	return rc;
}

static int load_wire(struct ctx *cx, const cJSON *jp, const char *path, struct sim_wire *w)
{
	static const char *const keys[] = { "array_members", "order", "extra_elements", NULL };
	const cJSON *jw = cJSON_GetObjectItemCaseSensitive(jp, "wire");
	char p[512], members[SIM_TAG], order[SIM_TAG];
	int rc;

	if (!jw)
		return TSP8_OK;
	subpath(p, sizeof(p), path, "wire");
	if (!cJSON_IsObject(jw))
		return bad(cx, p, "expected an object");
	if ((rc = only_keys(cx, jw, p, keys)) ||
	    (rc = get_str(cx, jw, p, "array_members", members, sizeof(members), "item",
			  false)) ||
	    (rc = get_str(cx, jw, p, "order", order, sizeof(order), "current", false)) ||
	    (rc = get_bool(cx, jw, p, "extra_elements", &w->extra_elements)))
		return rc;
	if (strcmp(members, "item") == 0)
		w->members = SIM_MEMBERS_ITEM;
	else if (strcmp(members, "container") == 0)
		w->members = SIM_MEMBERS_CONTAINER;
	else
		return bad(cx, p, "array_members must be \"item\" or \"container\"");
	if (strcmp(order, "current") == 0)
		w->order = SIM_ORDER_CURRENT;
	else if (strcmp(order, "early") == 0)
		w->order = SIM_ORDER_EARLY;
	else
		return bad(cx, p, "order must be \"current\" or \"early\"");
	return TSP8_OK;
}

static int load_pbx(struct ctx *cx, struct sim *sim, const cJSON *jp, const char *path,
		    struct sim_pbx **out)
{
	static const char *const keys[] = {
		"name", "port", "path_id", "admin_password", "firmware", "serial", "wire",
		"objects", "dump_chunk", NULL
	};
	struct sim_pbx *pbx;
	const cJSON *objs, *jo;
	unsigned port = 0;
	size_t i = 0;
	int rc;

	if (!cJSON_IsObject(jp))
		return bad(cx, path, "expected an object");
	pbx = sim_pbx_new();
	if (!pbx)
		return TSP8_ENOMEM;
	pbx->dump_chunk = cx->dump_chunk;
	if ((rc = only_keys(cx, jp, path, keys)) ||
	    (rc = get_str(cx, jp, path, "name", pbx->name, sizeof(pbx->name), "", true)) ||
	    (rc = get_uint(cx, jp, path, "port", 65535, &port, NULL)) ||
	    (rc = get_str(cx, jp, path, "path_id", pbx->path_id, sizeof(pbx->path_id), "",
			  false)) ||
	    (rc = get_str(cx, jp, path, "admin_password", pbx->admin_password,
			  sizeof(pbx->admin_password), "pwd", false)) ||
	    (rc = get_str(cx, jp, path, "firmware", pbx->firmware, sizeof(pbx->firmware),
			  "13r3 sr7 [139022]", false)) ||
	    (rc = get_str(cx, jp, path, "serial", pbx->serial, sizeof(pbx->serial),
			  "00-90-33-00-00-01", false)) ||
	    (rc = get_uint(cx, jp, path, "dump_chunk", 100000, &pbx->dump_chunk, NULL)) ||
	    (rc = load_wire(cx, jp, path, &pbx->wire)))
		goto fail;
	pbx->port = port;
	if (strchr(pbx->name, ' ') || strchr(pbx->path_id, '/') || strchr(pbx->path_id, ' ')) {
		rc = bad(cx, path, "name and path_id must not contain spaces or '/'");
		goto fail;
	}
	if (pbx->dump_chunk == 0) {
		rc = bad(cx, path, "dump_chunk must be at least 1");
		goto fail;
	}
	if (sim_find_pbx(sim, pbx->name)) {
		rc = bad(cx, path, "duplicate PBX name \"%s\"", pbx->name);
		goto fail;
	}
	objs = get_array(cx, jp, path, "objects", &rc);
	if (rc)
		goto fail;
	cJSON_ArrayForEach(jo, objs) {
		char p[512];

		pathf(p, sizeof(p), "%s.objects[%zu]", path, i++);
		if ((rc = load_object(cx, pbx, jo, p)))
			goto fail;
	}
	*out = pbx;
	return TSP8_OK;
fail:
	sim_pbx_free(pbx);
	return rc;
}

int tree_load_text(struct sim *sim, const char *source, const char *text,
		   struct tree_settings *settings, char *err, size_t errlen)
{
	static const char *const keys[] = {
		"poll_idle_seconds", "session_expiry_seconds", "dump_chunk", "pbxs", NULL
	};
	struct ctx cx = { source ? source : "tree", err, errlen, 100 };
	struct tree_settings ts = { 0 };
	size_t first = sim->npbx, i = 0;
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

		return bad(&cx, "$", "not valid JSON (near byte %ld)", off);
	}
	if (!cJSON_IsObject(root)) {
		rc = bad(&cx, "$", "expected an object at the top");
		goto out;
	}
	if ((rc = only_keys(&cx, root, "$", keys)) ||
	    (rc = get_uint(&cx, root, "$", "poll_idle_seconds", 3600, &ts.poll_idle_s,
			   &ts.has_poll_idle)) ||
	    (rc = get_uint(&cx, root, "$", "session_expiry_seconds", 3600,
			   &ts.session_expiry_s, &ts.has_session_expiry)) ||
	    (rc = get_uint(&cx, root, "$", "dump_chunk", 100000, &cx.dump_chunk, NULL)))
		goto out;
	pbxs = get_array(&cx, root, "$", "pbxs", &rc);
	if (rc)
		goto out;
	if (!pbxs || cJSON_GetArraySize(pbxs) == 0) {
		rc = bad(&cx, "$.pbxs", "at least one PBX is required");
		goto out;
	}
	cJSON_ArrayForEach(jp, pbxs) {
		char p[64];
		struct sim_pbx *pbx = NULL;

		pathf(p, sizeof(p), "$.pbxs[%zu]", i++);
		if ((rc = load_pbx(&cx, sim, jp, p, &pbx)))
			goto out;
		if ((rc = sim_add_pbx(sim, pbx))) {
			sim_pbx_free(pbx);
			goto out;
		}
	}
	if (settings)
		*settings = ts;
out:
	if (rc != TSP8_OK) {
		/* Leave sim as it was. */
		while (sim->npbx > first)
			sim_pbx_free(sim->pbxs[--sim->npbx]);
	}
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
