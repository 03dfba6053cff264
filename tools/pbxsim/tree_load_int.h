/* pbxsim tree file loader internals shared by tree_load.c (file, PBXs,
 * roles) and tree_load_obj.c (objects): the error context and typed JSON
 * getters that reject wrong types with "<source>: <json path>: <what>". */
#ifndef PBXSIM_TREE_LOAD_INT_H
#define PBXSIM_TREE_LOAD_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "tree.h"

struct tl_ctx {
	const char *source;
	char *err;
	size_t errlen;
	unsigned dump_chunk;   /* tree default for PBXs */
};

/* Writes the error message; returns TSP8_ESYNTAX. */
int tl_bad(struct tl_ctx *cx, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Formats a JSON path, cut rather than overflowing. */
void tl_pathf(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tl_subpath(char *out, size_t len, const char *path, const char *key);

/* Rejects keys outside `allowed` (NULL-terminated): typos must not pass. */
int tl_only_keys(struct tl_ctx *cx, const cJSON *obj, const char *path,
		 const char *const *allowed);
/* Optional/required string that must fit size bytes (with NUL). */
int tl_get_str(struct tl_ctx *cx, const cJSON *obj, const char *path, const char *key,
	       char *out, size_t size, const char *def, bool required);
int tl_get_uint(struct tl_ctx *cx, const cJSON *obj, const char *path, const char *key,
		unsigned max, unsigned *out, bool *present);
int tl_get_bool(struct tl_ctx *cx, const cJSON *obj, const char *path, const char *key,
		bool *out);
/* The array at key, NULL when absent (*rc = TSP8_OK) or not an array
 * (*rc = TSP8_ESYNTAX). */
const cJSON *tl_get_array(struct tl_ctx *cx, const cJSON *obj, const char *path,
			  const char *key, int *rc);
bool tl_one_of(const char *s, const char *const *set);

/* Parses and checks one object of tree (home from "pbx", default the
 * master; no duplicate cn/e164/h323/guid in the tree) without adding it. */
int tl_parse_object(struct tl_ctx *cx, struct sim_tree *tree, const cJSON *jo,
		    const char *path, struct sim_object **out);

#endif
