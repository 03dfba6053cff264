/* pbxsim directory: object list plus chained hash indexes. */
#include "dir.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"

/* Keys that compare case-insensitively (as model.c always did). */
static bool key_nocase(int key)
{
	return key == DIR_KEY_H323 || key == DIR_KEY_GUID;
}

static const char *key_of(const struct sim_object *o, int key)
{
	switch (key) {
	case DIR_KEY_CN: return o->cn;
	case DIR_KEY_H323: return o->h323;
	case DIR_KEY_E164: return o->e164;
	default: return o->guid;
	}
}

static size_t hash(const char *s, bool nocase)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		h ^= nocase ? (unsigned char)tolower(c) : c;
		h *= 0x100000001b3ULL;
	}
	return (size_t)h;
}

static bool key_equal(const char *a, const char *b, bool nocase)
{
	return nocase ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* Appends o at the tail of its chain, so the first indexed stays first. */
static void link_key(struct sim_dir *d, struct sim_object *o, int key)
{
	const char *v = key_of(o, key);
	struct sim_object **pp;

	o->hnext[key] = NULL;
	if (!v[0])
		return;
	pp = &d->buckets[key][hash(v, key_nocase(key)) % d->nbuckets];
	while (*pp)
		pp = &(*pp)->hnext[key];
	*pp = o;
}

static void unlink_key(struct sim_dir *d, struct sim_object *o, int key)
{
	const char *v = key_of(o, key);

	if (!v[0] || !d->nbuckets)
		return;
	for (struct sim_object **pp = &d->buckets[key][hash(v, key_nocase(key)) % d->nbuckets];
	     *pp; pp = &(*pp)->hnext[key])
		if (*pp == o) {
			*pp = o->hnext[key];
			o->hnext[key] = NULL;
			return;
		}
}

/* Grows the bucket arrays (load factor <= 1) and relinks every object in
 * definition order. */
static int grow(struct sim_dir *d, size_t need)
{
	size_t n = d->nbuckets ? d->nbuckets : 64;
	struct sim_object **nb[DIR_NKEYS];

	while (n < need)
		n *= 2;
	for (int k = 0; k < DIR_NKEYS; k++) {
		nb[k] = calloc(n, sizeof(*nb[k]));
		if (!nb[k]) {
			while (k-- > 0)
				free(nb[k]);
			return TSP8_ENOMEM;
		}
	}
	for (int k = 0; k < DIR_NKEYS; k++) {
		free(d->buckets[k]);
		d->buckets[k] = nb[k];
	}
	d->nbuckets = n;
	for (size_t i = 0; i < d->nobjs; i++)
		for (int k = 0; k < DIR_NKEYS; k++)
			link_key(d, d->objs[i], k);
	return TSP8_OK;
}

struct sim_object *dir_find(const struct sim_dir *d, int key, const char *value)
{
	bool nocase = key_nocase(key);

	if (!value || !*value || !d->nbuckets)
		return NULL;
	for (struct sim_object *o = d->buckets[key][hash(value, nocase) % d->nbuckets]; o;
	     o = o->hnext[key])
		if (key_equal(key_of(o, key), value, nocase))
			return o;
	return NULL;
}

int dir_add(struct sim_dir *d, struct sim_object *o)
{
	if (d->nobjs == d->capobjs) {
		size_t cap = d->capobjs ? d->capobjs * 2 : 16;
		struct sim_object **n = realloc(d->objs, cap * sizeof(*n));

		if (!n)
			return TSP8_ENOMEM;
		d->objs = n;
		d->capobjs = cap;
	}
	if (strcmp(o->type, "gw") == 0) {
		struct sim_object **g = realloc(d->gws, (d->ngws + 1) * sizeof(*g));

		if (!g)
			return TSP8_ENOMEM;
		d->gws = g;
		d->gws[d->ngws++] = o;
	}
	if (d->nobjs + 1 > d->nbuckets && grow(d, d->nobjs + 1) != TSP8_OK) {
		if (strcmp(o->type, "gw") == 0)
			d->ngws--;
		return TSP8_ENOMEM;
	}
	o->slot = d->next_slot++;
	d->objs[d->nobjs++] = o;
	for (int k = 0; k < DIR_NKEYS; k++)
		link_key(d, o, k);
	return TSP8_OK;
}

void dir_remove(struct sim_dir *d, struct sim_object *o)
{
	size_t w = 0;

	dir_unindex(d, o);
	for (size_t i = 0; i < d->nobjs; i++)
		if (d->objs[i] != o)
			d->objs[w++] = d->objs[i];
	d->nobjs = w;
	w = 0;
	for (size_t i = 0; i < d->ngws; i++)
		if (d->gws[i] != o)
			d->gws[w++] = d->gws[i];
	d->ngws = w;
}

void dir_unindex(struct sim_dir *d, struct sim_object *o)
{
	for (int k = 0; k < DIR_NKEYS; k++)
		unlink_key(d, o, k);
}

void dir_reindex(struct sim_dir *d, struct sim_object *o)
{
	for (int k = 0; k < DIR_NKEYS; k++)
		if (d->nbuckets)
			link_key(d, o, k);
}

void dir_free(struct sim_dir *d)
{
	for (size_t i = 0; i < d->nobjs; i++)
		model_object_free(d->objs[i]);
	free(d->objs);
	free(d->gws);
	for (int k = 0; k < DIR_NKEYS; k++)
		free(d->buckets[k]);
	memset(d, 0, sizeof(*d));
}
