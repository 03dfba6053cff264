/* pbxsim directory: the objects of one PBX tree in definition order, with
 * hash indexes on cn, h323, e164 and guid so lookups stay O(1) on trees
 * with thousands of objects.  h323 and guid compare case-insensitively.
 * Caller holds sim->lock. */
#ifndef PBXSIM_DIR_H
#define PBXSIM_DIR_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

struct sim_dir {
	struct sim_object **objs;   /* owned; definition order */
	size_t nobjs, capobjs;
	struct sim_object **buckets[DIR_NKEYS]; /* chain heads, nbuckets each */
	size_t nbuckets;
	size_t next_slot;           /* slot of the next object added */
	struct sim_object **gws;    /* objects of type "gw", definition order */
	size_t ngws;
};

/* Object with that key, NULL when absent or key empty.  With duplicates
 * (Admin may create them) the one indexed first wins. */
struct sim_object *dir_find(const struct sim_dir *d, int key, const char *value);

/* Appends o (takes ownership on TSP8_OK), gives it a slot and indexes it.
 * TSP8_OK / TSP8_ENOMEM. */
int dir_add(struct sim_dir *d, struct sim_object *o);
/* Takes o out of list and indexes; the caller frees it afterwards. */
void dir_remove(struct sim_dir *d, struct sim_object *o);

/* Around a change of o's cn/h323/e164/guid: out of the indexes, back in. */
void dir_unindex(struct sim_dir *d, struct sim_object *o);
void dir_reindex(struct sim_dir *d, struct sim_object *o);

/* Frees every object and the indexes. */
void dir_free(struct sim_dir *d);

#endif
