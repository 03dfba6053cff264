/* Directory of PBX objects, keyed by object GUID (case-insensitive).
 *
 * Plain data structure without its own lock: the tree guards it with its
 * lock (tree_internal.h).  An object's address in memory stays stable while
 * it is in the directory, so lines may point at it.
 */
#ifndef TSP8_PBXTREE_DIRECTORY_H
#define TSP8_PBXTREE_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "soap/pbx_records.h"

struct tree_line;

/* What changed in an update (bits). */
enum {
	DIR_CH_CN    = 0x01,  /* cn: monitors must be re-initialised */
	DIR_CH_NAME  = 0x02,  /* dn, h323, e164, node, nodenum, loc: name/address */
	DIR_CH_STATE = 0x04,  /* registration state */
	DIR_CH_OTHER = 0x08,  /* type, object */
	DIR_CH_PRESENCE = 0x10 /* presence status or activity */
};

/* One device of a user object (Devices()). */
struct dir_device {
	char *hw;                  /* hardware id */
	char *text;                /* its name */
};

/* String fields are never NULL; empty ones share one read-only "" (never
 * write through them). */
struct dir_object {
	char *guid, *cn, *dn, *h323, *e164, *node, *nodenum, *loc, *object, *type;
	char *pres_status;         /* presence "open" / "closed" / "" */
	char *pres_activity;       /* "on-the-phone", ... / "" */
	int state;                 /* 1 registered, 0 not */
	unsigned owner;            /* who reported it (the tree's root index + 1) */
	bool seen;                 /* reported since the last resync began */
	/* Devices, when the owner asked for them (dir_set_devices). */
	struct dir_device *devs;
	size_t ndevs;
	bool devs_known;           /* devs holds a Devices() answer */
	bool devs_pending;         /* a Devices() request is outstanding */
	bool devs_again;           /* the configuration changed meanwhile: ask again */
	bool devs_failed;          /* the last Devices() failed */
	struct tree_line *lines;   /* the lines of this object (owner's list) */
	struct dir_object *hnext;  /* hash chain */
};

/* True for PBX / node objects: slave PBXs, never lines. */
bool dir_is_pbx(const struct dir_object *o);
/* Replaces the device list (copies; an empty list is valid).  TSP8_ENOMEM
 * leaves the old list. */
int  dir_set_devices(struct dir_object *o, const struct pbx_device *d, size_t n);

struct directory;

int  dir_create(struct directory **out);
/* Frees every object (lines are the caller's business). */
void dir_destroy(struct directory *d);
struct dir_object *dir_find(struct directory *d, const char *guid);
/* Inserts or updates the object u->guid.  *created tells which; *changes
 * gets DIR_CH_* bits for an update.  TSP8_EINVAL for an empty guid,
 * TSP8_ENOMEM (the directory is then unchanged for a new object). */
int  dir_upsert(struct directory *d, const struct pbx_user *u, unsigned owner,
		struct dir_object **out, bool *created, unsigned *changes);
/* Unlinks and frees obj. */
void dir_remove(struct directory *d, struct dir_object *obj);
size_t dir_count(const struct directory *d);
/* Calls fn for every object; fn may not add or remove objects. */
void dir_foreach(struct directory *d, void (*fn)(void *arg, struct dir_object *o), void *arg);
/* Collects up to max objects with seen == false of owner into out;
 * returns how many there are in total. */
size_t dir_unseen(struct directory *d, unsigned owner, struct dir_object **out, size_t max);

#endif
