/* Directory of PBX objects keyed by GUID (see directory.h). */
#include "pbxtree/directory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "pbxtree/strutil.h"

struct directory {
	struct dir_object **buckets;
	size_t nbuckets;           /* power of two */
	size_t count;
};

int dir_create(struct directory **out)
{
	if (!out)
		return TSP8_EINVAL;
	struct directory *d = calloc(1, sizeof(*d));
	if (!d)
		return TSP8_ENOMEM;
	d->nbuckets = 64;
	d->buckets = calloc(d->nbuckets, sizeof(*d->buckets));
	if (!d->buckets) {
		free(d);
		return TSP8_ENOMEM;
	}
	*out = d;
	return TSP8_OK;
}

/* Empty fields of an object all point here instead of owning a 1-byte
 * allocation each (most objects have several empty fields; with 10,000
 * objects that adds up).  Read-only: the fields are never written through. */
static const char empty_field[1] = "";

static char *empty(void)
{
	return (char *)empty_field;
}

static void field_free(char *p)
{
	if (p != empty_field)
		free(p);
}

/* Like str_assign, but an empty value takes no allocation. */
static int field_set(char **dst, const char *src, bool *changed)
{
	if (!src || !src[0]) {
		if (*dst && (*dst)[0]) {
			field_free(*dst);
			*dst = empty();
			*changed = true;
		} else if (!*dst) {
			*dst = empty();
			*changed = true;
		}
		return TSP8_OK;
	}
	if (*dst && strcmp(*dst, src) == 0)
		return TSP8_OK;
	char *n = str_dup(src);
	if (!n)
		return TSP8_ENOMEM;
	field_free(*dst);
	*dst = n;
	*changed = true;
	return TSP8_OK;
}

static void free_devs(struct dir_device *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].hw);
		free(d[i].text);
	}
	free(d);
}

bool dir_is_pbx(const struct dir_object *o)
{
	return o && (str_casecmp(o->object, "pbx") == 0 || str_casecmp(o->object, "node") == 0);
}

int dir_set_devices(struct dir_object *o, const struct pbx_device *d, size_t n)
{
	if (!o || (n && !d))
		return TSP8_EINVAL;
	struct dir_device *nd = n ? calloc(n, sizeof(*nd)) : NULL;
	if (n && !nd)
		return TSP8_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		nd[i].hw = str_dup(d[i].hw);
		nd[i].text = str_dup(d[i].text);
		if (!nd[i].hw || !nd[i].text) {
			free_devs(nd, i + 1);
			return TSP8_ENOMEM;
		}
	}
	free_devs(o->devs, o->ndevs);
	o->devs = nd;
	o->ndevs = n;
	o->devs_known = true;
	return TSP8_OK;
}

static void obj_free(struct dir_object *o)
{
	free_devs(o->devs, o->ndevs);
	field_free(o->pres_status);
	field_free(o->pres_activity);
	free(o->guid);
	field_free(o->cn);
	field_free(o->dn);
	field_free(o->h323);
	field_free(o->e164);
	field_free(o->node);
	field_free(o->nodenum);
	field_free(o->loc);
	field_free(o->object);
	field_free(o->type);
	free(o);
}

void dir_destroy(struct directory *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nbuckets; i++) {
		struct dir_object *o = d->buckets[i];
		while (o) {
			struct dir_object *n = o->hnext;
			obj_free(o);
			o = n;
		}
	}
	free(d->buckets);
	free(d);
}

struct dir_object *dir_find(struct directory *d, const char *guid)
{
	if (!d || !guid)
		return NULL;
	struct dir_object *o = d->buckets[str_casehash(guid) & (d->nbuckets - 1)];
	for (; o; o = o->hnext)
		if (str_casecmp(o->guid, guid) == 0)
			return o;
	return NULL;
}

/* Doubles the bucket array when the load exceeds 1; failure is harmless
 * (chains just get longer). */
static void grow(struct directory *d)
{
	if (d->count < d->nbuckets)
		return;
	size_t nb = d->nbuckets * 2;
	struct dir_object **b = calloc(nb, sizeof(*b));
	if (!b)
		return;
	for (size_t i = 0; i < d->nbuckets; i++) {
		struct dir_object *o = d->buckets[i];
		while (o) {
			struct dir_object *n = o->hnext;
			size_t k = str_casehash(o->guid) & (nb - 1);
			o->hnext = b[k];
			b[k] = o;
			o = n;
		}
	}
	free(d->buckets);
	d->buckets = b;
	d->nbuckets = nb;
}

/* Copies every field of u into o; *changes gets the DIR_CH_* bits. */
static int assign(struct dir_object *o, const struct pbx_user *u, unsigned *changes)
{
	bool cn = false, name = false, other = false, pres = false;
	int err = field_set(&o->cn, u->cn, &cn);
	if (!err) err = field_set(&o->dn, u->dn, &name);
	if (!err) err = field_set(&o->h323, u->h323, &name);
	if (!err) err = field_set(&o->e164, u->e164, &name);
	if (!err) err = field_set(&o->node, u->node, &name);
	if (!err) err = field_set(&o->nodenum, u->nodenum, &name);
	if (!err) err = field_set(&o->loc, u->loc, &name);
	if (!err) err = field_set(&o->object, u->object, &other);
	if (!err) err = field_set(&o->type, u->type, &other);
	/* A record without a presence element means "no presence known". */
	if (!err) err = field_set(&o->pres_status, u->presence.present ? u->presence.status : "", &pres);
	if (!err) err = field_set(&o->pres_activity, u->presence.present ? u->presence.activity : "",
				   &pres);
	if (err)
		return err;
	unsigned ch = 0;
	if (cn)
		ch |= DIR_CH_CN | DIR_CH_NAME;
	if (name)
		ch |= DIR_CH_NAME;
	if (other)
		ch |= DIR_CH_OTHER;
	if (pres)
		ch |= DIR_CH_PRESENCE;
	if (o->state != u->state)
		ch |= DIR_CH_STATE;
	o->state = u->state;
	*changes = ch;
	return TSP8_OK;
}

int dir_upsert(struct directory *d, const struct pbx_user *u, unsigned owner,
	       struct dir_object **out, bool *created, unsigned *changes)
{
	if (!d || !u || !u->guid || !u->guid[0] || !out || !created || !changes)
		return TSP8_EINVAL;
	unsigned ch = 0;
	struct dir_object *o = dir_find(d, u->guid);
	if (o) {
		int err = assign(o, u, &ch);
		if (err)
			return err;
		o->owner = owner;
		o->seen = true;
		*created = false;
		*changes = ch;
		*out = o;
		return TSP8_OK;
	}
	o = calloc(1, sizeof(*o));
	if (!o)
		return TSP8_ENOMEM;
	o->guid = str_dup(u->guid);
	o->state = -1;  /* so that the first assign counts as a change */
	if (!o->guid || assign(o, u, &ch) != TSP8_OK) {
		obj_free(o);
		return TSP8_ENOMEM;
	}
	o->owner = owner;
	o->seen = true;
	size_t k = str_casehash(o->guid) & (d->nbuckets - 1);
	o->hnext = d->buckets[k];
	d->buckets[k] = o;
	d->count++;
	grow(d);
	*created = true;
	*changes = ch;
	*out = o;
	return TSP8_OK;
}

void dir_remove(struct directory *d, struct dir_object *obj)
{
	if (!d || !obj)
		return;
	struct dir_object **pp = &d->buckets[str_casehash(obj->guid) & (d->nbuckets - 1)];
	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == obj) {
			*pp = obj->hnext;
			d->count--;
			obj_free(obj);
			return;
		}
	}
}

size_t dir_count(const struct directory *d)
{
	return d ? d->count : 0;
}

void dir_foreach(struct directory *d, void (*fn)(void *arg, struct dir_object *o), void *arg)
{
	if (!d || !fn)
		return;
	for (size_t i = 0; i < d->nbuckets; i++)
		for (struct dir_object *o = d->buckets[i]; o; o = o->hnext)
			fn(arg, o);
}

size_t dir_unseen(struct directory *d, unsigned owner, struct dir_object **out, size_t max)
{
	size_t n = 0;
	if (!d)
		return 0;
	for (size_t i = 0; i < d->nbuckets; i++)
		for (struct dir_object *o = d->buckets[i]; o; o = o->hnext)
			if (o->owner == owner && !o->seen) {
				if (n < max && out)
					out[n] = o;
				n++;
			}
	return n;
}
