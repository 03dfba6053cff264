/* Permanent line IDs (see lineids.h). */
#include "pbxtree/lineids.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/error.h"
#include "base/platform.h"
#include "base/trace.h"
#include "pbxtree/strutil.h"

struct lineid_entry {
	char *guid;
	uint32_t id;
};

struct lineids {
	struct cfg *store;          /* NULL: memory only */
	struct trace *tr;
	/* Guards entries, n, cap, max_id and the store. */
	plat_mutex lock;
	struct lineid_entry *entries;
	size_t n, cap;
	uint32_t max_id;            /* highest ID seen (0: none) */
};

static int add_entry(struct lineids *ids, const char *guid, uint32_t id)
{
	if (ids->n == ids->cap) {
		size_t ncap = ids->cap ? ids->cap * 2 : 64;
		struct lineid_entry *e = realloc(ids->entries, ncap * sizeof(*e));
		if (!e)
			return TSP8_ENOMEM;
		ids->entries = e;
		ids->cap = ncap;
	}
	char *g = str_dup(guid);
	if (!g)
		return TSP8_ENOMEM;
	ids->entries[ids->n].guid = g;
	ids->entries[ids->n].id = id;
	ids->n++;
	if (id > ids->max_id)
		ids->max_id = id;
	return TSP8_OK;
}

static struct lineid_entry *find(struct lineids *ids, const char *guid)
{
	for (size_t i = 0; i < ids->n; i++)
		if (str_casecmp(ids->entries[i].guid, guid) == 0)
			return &ids->entries[i];
	return NULL;
}

static int load_value(void *arg, const char *name, enum cfg_type type, const void *data, size_t len)
{
	struct lineids *ids = arg;
	uint32_t v;
	if (type != CFG_DWORD || len != sizeof(v) || !name[0]) {
		TRACE(ids->tr, TRACE_WARN, "lineGUIDs: ignoring value \"%s\" (not a DWORD)", name);
		return 0;
	}
	memcpy(&v, data, sizeof(v));
	if (v == 0) {
		TRACE(ids->tr, TRACE_WARN, "lineGUIDs: ignoring \"%s\" with ID 0", name);
		return 0;
	}
	if (find(ids, name)) {
		TRACE(ids->tr, TRACE_WARN, "lineGUIDs: duplicate entry \"%s\" ignored", name);
		return 0;
	}
	for (size_t i = 0; i < ids->n; i++)
		if (ids->entries[i].id == v)
			TRACE(ids->tr, TRACE_WARN, "lineGUIDs: \"%s\" and \"%s\" share ID 0x%08x",
			      name, ids->entries[i].guid, v);
	return add_entry(ids, name, v) == TSP8_OK ? 0 : TSP8_ENOMEM;
}

int lineids_create(struct lineids **out, struct cfg *store, struct trace *tr)
{
	if (!out)
		return TSP8_EINVAL;
	struct lineids *ids = calloc(1, sizeof(*ids));
	if (!ids)
		return TSP8_ENOMEM;
	ids->store = store;
	ids->tr = tr;
	int err = plat_mutex_init(&ids->lock);
	if (err) {
		free(ids);
		return err;
	}
	if (store) {
		err = cfg_enum(store, LINEIDS_SUBKEY, load_value, ids);
		if (err == TSP8_ENOTFOUND)
			err = TSP8_OK;  /* no subkey yet */
		if (err) {
			lineids_destroy(ids);
			return err;
		}
	}
	TRACE(tr, TRACE_LINE, "lineGUIDs: %lu permanent line IDs loaded, highest 0x%08x",
	      (unsigned long)ids->n, ids->max_id);
	*out = ids;
	return TSP8_OK;
}

void lineids_destroy(struct lineids *ids)
{
	if (!ids)
		return;
	for (size_t i = 0; i < ids->n; i++)
		free(ids->entries[i].guid);
	free(ids->entries);
	plat_mutex_destroy(&ids->lock);
	free(ids);
}

int lineids_find(struct lineids *ids, const char *guid, uint32_t *id)
{
	if (!ids || !guid || !id)
		return TSP8_EINVAL;
	plat_mutex_lock(&ids->lock);
	struct lineid_entry *e = find(ids, guid);
	if (e)
		*id = e->id;
	plat_mutex_unlock(&ids->lock);
	return e ? TSP8_OK : TSP8_ENOTFOUND;
}

int lineids_get(struct lineids *ids, const char *guid, uint32_t *id)
{
	if (!ids || !guid || !guid[0] || !id)
		return TSP8_EINVAL;
	int err = TSP8_OK;
	plat_mutex_lock(&ids->lock);
	struct lineid_entry *e = find(ids, guid);
	if (e) {
		*id = e->id;
		goto out;
	}
	uint32_t nid = ids->max_id < LINEIDS_FIRST ? LINEIDS_FIRST : ids->max_id + 1;
	if (ids->max_id == UINT32_MAX) {
		err = TSP8_ELIMIT;
		TRACE(ids->tr, TRACE_WARN, "lineGUIDs: no permanent line ID left for %s", guid);
		goto out;
	}
	err = add_entry(ids, guid, nid);
	if (err)
		goto out;
	if (ids->store) {
		int werr = cfg_set_dword(ids->store, LINEIDS_SUBKEY, guid, nid);
		if (!werr)
			werr = cfg_commit(ids->store);
		if (werr)
			TRACE(ids->tr, TRACE_WARN,
			      "lineGUIDs: could not store ID 0x%08x for %s in %s: %s (kept in memory only)",
			      nid, guid, cfg_path(ids->store), tsp8_strerror(werr));
	}
	TRACE(ids->tr, TRACE_LINE, "lineGUIDs: new permanent line ID 0x%08x for %s", nid, guid);
	*id = nid;
out:
	plat_mutex_unlock(&ids->lock);
	return err;
}

size_t lineids_count(struct lineids *ids)
{
	if (!ids)
		return 0;
	plat_mutex_lock(&ids->lock);
	size_t n = ids->n;
	plat_mutex_unlock(&ids->lock);
	return n;
}
