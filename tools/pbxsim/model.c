/* pbxsim data model: lookups and small helpers over the PBX objects. */
#include "model.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "dir.h"
#include "tree.h"

void sim_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n;

	if (!size)
		return;
	if (!src)
		src = "";
	n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

struct sim_object *model_find_cn(const struct sim_pbx *pbx, const char *cn)
{
	return dir_find(&pbx->tree->dir, DIR_KEY_CN, cn);
}

/* h323 aliases compare case-insensitively, as SIP/H.323 user names do. */
struct sim_object *model_find_h323(const struct sim_pbx *pbx, const char *h323)
{
	return dir_find(&pbx->tree->dir, DIR_KEY_H323, h323);
}

struct sim_object *model_find_e164(const struct sim_pbx *pbx, const char *e164)
{
	return dir_find(&pbx->tree->dir, DIR_KEY_E164, e164);
}

struct sim_object *model_find_guid(const struct sim_pbx *pbx, const char *guid)
{
	return dir_find(&pbx->tree->dir, DIR_KEY_GUID, guid);
}

struct sim_object *model_find_number(const struct sim_pbx *pbx, const char *num)
{
	struct sim_object *o = model_find_e164(pbx, num);

	if (!o)
		o = model_find_h323(pbx, num);
	if (!o)
		o = model_find_cn(pbx, num);
	return o;
}

struct sim_object *model_trunk(const struct sim_pbx *pbx)
{
	const struct sim_dir *d = &pbx->tree->dir;
	const struct sim_pbx *home = tree_identity(pbx);

	for (size_t i = 0; i < d->ngws; i++)
		if (d->gws[i]->home == home)
			return d->gws[i];
	return d->ngws ? d->gws[0] : NULL;
}

const struct sim_group *model_group_of(const struct sim_object *o, const char *group)
{
	for (size_t i = 0; i < o->ngroups; i++)
		if (strcmp(o->groups[i].name, group) == 0)
			return &o->groups[i];
	return NULL;
}

bool model_registered(const struct sim_object *o)
{
	for (size_t i = 0; i < o->ndevices; i++)
		if (o->devices[i].registered)
			return true;
	return false;
}

struct sim_device *model_device(struct sim_object *o, const char *hw)
{
	for (size_t i = 0; i < o->ndevices; i++)
		if (strcasecmp(o->devices[i].hw, hw) == 0)
			return &o->devices[i];
	return NULL;
}

const char *model_first_registered_hw(const struct sim_object *o)
{
	for (size_t i = 0; i < o->ndevices; i++)
		if (o->devices[i].registered)
			return o->devices[i].hw;
	return "";
}

int model_add_object(struct sim_pbx *pbx, struct sim_object *o)
{
	if (!o->home)
		o->home = pbx->tree->master;
	return dir_add(&pbx->tree->dir, o);
}

void model_object_free(struct sim_object *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->ncds; i++)
		free(o->cds[i]);
	free(o->cds);
	free(o);
}

/* FNV-1a, 64 bit: stable across runs and platforms, good enough to make
 * distinct names give distinct ids. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void hex128(char out[SIM_GUID], uint64_t a, uint64_t b)
{
	snprintf(out, SIM_GUID, "%016llx%016llx", (unsigned long long)a,
		 (unsigned long long)b);
}

void model_derive_guid(char out[SIM_GUID], const char *pbx_name, const char *cn)
{
	uint64_t a = fnv1a(fnv1a(0xcbf29ce484222325ULL, pbx_name), "/");
	uint64_t b = fnv1a(0x84222325cbf29ce4ULL, cn);

	a = fnv1a(a, cn);
	b = fnv1a(fnv1a(b, "@"), pbx_name);
	hex128(out, a, b);
}

void model_derive_conf(char out[SIM_GUID], const char *pbx_name, unsigned long n)
{
	char num[32];

	snprintf(num, sizeof(num), "conf#%lu", n);
	model_derive_guid(out, pbx_name, num);
}
