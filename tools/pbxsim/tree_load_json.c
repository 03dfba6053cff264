/* pbxsim tree file loader: typed JSON getters with precise error messages. */
#include "tree_load_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"

int tl_bad(struct tl_ctx *cx, const char *path, const char *fmt, ...)
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
void tl_pathf(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, len, fmt, ap);
	va_end(ap);
}

void tl_subpath(char *out, size_t len, const char *path, const char *key)
{
	tl_pathf(out, len, "%s.%s", path, key);
}

int tl_only_keys(struct tl_ctx *cx, const cJSON *obj, const char *path,
		 const char *const *allowed)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, obj) {
		bool ok = false;

		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, it->string) == 0;
		if (!ok)
			return tl_bad(cx, path, "unknown key \"%s\"", it->string);
	}
	return TSP8_OK;
}

int tl_get_str(struct tl_ctx *cx, const cJSON *obj, const char *path, const char *key,
	       char *out, size_t size, const char *def, bool required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[512];

	tl_subpath(p, sizeof(p), path, key);
	if (!v) {
		if (required)
			return tl_bad(cx, p, "missing (a string is required)");
		snprintf(out, size, "%s", def);
		return TSP8_OK;
	}
	if (!cJSON_IsString(v))
		return tl_bad(cx, p, "expected a string");
	if (strlen(v->valuestring) >= size)
		return tl_bad(cx, p, "too long (at most %zu bytes)", size - 1);
	if (required && !v->valuestring[0])
		return tl_bad(cx, p, "must not be empty");
	snprintf(out, size, "%s", v->valuestring);
	return TSP8_OK;
}

int tl_get_uint(struct tl_ctx *cx, const cJSON *obj, const char *path, const char *key,
		unsigned max, unsigned *out, bool *present)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[512];

	if (present)
		*present = v != NULL;
	if (!v)
		return TSP8_OK;
	tl_subpath(p, sizeof(p), path, key);
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > max ||
	    v->valuedouble != (double)(unsigned)v->valuedouble)
		return tl_bad(cx, p, "expected a whole number from 0 to %u", max);
	*out = (unsigned)v->valuedouble;
	return TSP8_OK;
}

int tl_get_bool(struct tl_ctx *cx, const cJSON *obj, const char *path, const char *key,
		bool *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[512];

	if (!v)
		return TSP8_OK;
	tl_subpath(p, sizeof(p), path, key);
	if (!cJSON_IsBool(v))
		return tl_bad(cx, p, "expected true or false");
	*out = cJSON_IsTrue(v);
	return TSP8_OK;
}

const cJSON *tl_get_array(struct tl_ctx *cx, const cJSON *obj, const char *path,
			  const char *key, int *rc)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	char p[512];

	*rc = TSP8_OK;
	if (!v)
		return NULL;
	if (!cJSON_IsArray(v)) {
		tl_subpath(p, sizeof(p), path, key);
		*rc = tl_bad(cx, p, "expected an array");
		return NULL;
	}
	return v;
}

bool tl_one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}
