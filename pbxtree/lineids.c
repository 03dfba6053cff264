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
	char *guid;                 /* stable allocation: pointers may be kept */
	uint32_t id;
	uint64_t seq;               /* allocation sequence, 0 = loaded */
};

/* A pending entry copied out for the file write. */
struct pending_copy {
	const char *guid;
	uint32_t id;
	size_t index;               /* in entries */
};

struct lineids {
	struct cfg *store;          /* NULL: memory only */
	struct trace *tr;
	/* Held for a whole commit (serialises commits; guards the store). */
	plat_mutex commit_lock;
	/* Guards every field below.  Never held while the file is written. */
	plat_mutex lock;
	struct lineid_entry *entries;
	size_t n, cap;
	size_t *by_guid;            /* open addressing: entry index + 1, 0 = empty */
	size_t *by_id;
	size_t nslots;              /* power of two, > 2 * n */
	uint32_t max_id;            /* highest ID seen (0: none) */
	uint64_t alloc_seq;         /* last sequence number handed out */
	uint64_t committed_seq;     /* everything up to here is written */
	size_t *pending;            /* entry indexes allocated since the last commit */
	size_t npending, cap_pending;
};

static uint32_t id_hash(uint32_t id)
{
	uint32_t h = id * 2654435761u;
	return h ^ (h >> 16);
}

/* Slot of guid in by_guid: its entry, or the empty slot where it belongs. */
static size_t *guid_slot(struct lineids *ids, const char *guid)
{
	size_t mask = ids->nslots - 1;
	for (size_t i = str_casehash(guid) & mask;; i = (i + 1) & mask) {
		size_t *s = &ids->by_guid[i];
		if (*s == 0 || str_casecmp(ids->entries[*s - 1].guid, guid) == 0)
			return s;
	}
}

static size_t *id_slot(struct lineids *ids, uint32_t id)
{
	size_t mask = ids->nslots - 1;
	for (size_t i = id_hash(id) & mask;; i = (i + 1) & mask) {
		size_t *s = &ids->by_id[i];
		if (*s == 0 || ids->entries[*s - 1].id == id)
			return s;
	}
}

/* Makes room for one more entry in the arrays and the hash tables. */
static int reserve(struct lineids *ids)
{
	if (ids->n == ids->cap) {
		size_t ncap = ids->cap ? ids->cap * 2 : 64;
		struct lineid_entry *e = realloc(ids->entries, ncap * sizeof(*e));
		if (!e)
			return TSP8_ENOMEM;
		ids->entries = e;
		ids->cap = ncap;
	}
	if (2 * (ids->n + 1) < ids->nslots)
		return TSP8_OK;
	size_t ns = ids->nslots ? ids->nslots * 2 : 128;
	size_t *bg = calloc(ns, sizeof(*bg)), *bi = calloc(ns, sizeof(*bi));
	if (!bg || !bi) {
		free(bg);
		free(bi);
		return TSP8_ENOMEM;
	}
	free(ids->by_guid);
	free(ids->by_id);
	ids->by_guid = bg;
	ids->by_id = bi;
	ids->nslots = ns;
	for (size_t k = 0; k < ids->n; k++) {
		*guid_slot(ids, ids->entries[k].guid) = k + 1;
		size_t *s = id_slot(ids, ids->entries[k].id);
		if (*s == 0)
			*s = k + 1;   /* a shared ID (damaged table) keeps its first owner */
	}
	return TSP8_OK;
}

/* Adds an entry; lock held (or not yet shared). */
static int add_entry(struct lineids *ids, const char *guid, uint32_t id, uint64_t seq)
{
	int err = reserve(ids);
	if (err)
		return err;
	char *g = str_dup(guid);
	if (!g)
		return TSP8_ENOMEM;
	size_t k = ids->n++;
	ids->entries[k].guid = g;
	ids->entries[k].id = id;
	ids->entries[k].seq = seq;
	*guid_slot(ids, g) = k + 1;
	size_t *s = id_slot(ids, id);
	if (*s == 0)
		*s = k + 1;
	if (id > ids->max_id)
		ids->max_id = id;
	return TSP8_OK;
}

static struct lineid_entry *find(struct lineids *ids, const char *guid)
{
	if (!ids->nslots)
		return NULL;
	size_t s = *guid_slot(ids, guid);
	return s ? &ids->entries[s - 1] : NULL;
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
	if (ids->nslots) {
		size_t s = *id_slot(ids, v);
		if (s)
			TRACE(ids->tr, TRACE_WARN, "lineGUIDs: \"%s\" and \"%s\" share ID 0x%08x", name,
			      ids->entries[s - 1].guid, v);
	}
	return add_entry(ids, name, v, 0) == TSP8_OK ? 0 : TSP8_ENOMEM;
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
	err = plat_mutex_init(&ids->commit_lock);
	if (err) {
		plat_mutex_destroy(&ids->lock);
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
	if (ids->npending)
		TRACE(ids->tr, TRACE_WARN, "lineGUIDs: %lu new IDs were never committed",
		      (unsigned long)ids->npending);
	for (size_t i = 0; i < ids->n; i++)
		free(ids->entries[i].guid);
	free(ids->entries);
	free(ids->by_guid);
	free(ids->by_id);
	free(ids->pending);
	plat_mutex_destroy(&ids->commit_lock);
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

int lineids_get(struct lineids *ids, const char *guid, uint32_t *id, uint64_t *seq)
{
	if (!ids || !guid || !guid[0] || !id)
		return TSP8_EINVAL;
	int err = TSP8_OK;
	plat_mutex_lock(&ids->lock);
	struct lineid_entry *e = find(ids, guid);
	if (e) {
		*id = e->id;
		if (seq)
			*seq = e->seq > ids->committed_seq ? e->seq : 0;
		goto out;
	}
	if (ids->max_id == UINT32_MAX) {
		err = TSP8_ELIMIT;
		TRACE(ids->tr, TRACE_WARN, "lineGUIDs: no permanent line ID left for %s", guid);
		goto out;
	}
	if (ids->npending == ids->cap_pending) {
		size_t nc = ids->cap_pending ? ids->cap_pending * 2 : 64;
		size_t *p = realloc(ids->pending, nc * sizeof(*p));
		if (!p) {
			err = TSP8_ENOMEM;
			goto out;
		}
		ids->pending = p;
		ids->cap_pending = nc;
	}
	uint32_t nid = ids->max_id < LINEIDS_FIRST ? LINEIDS_FIRST : ids->max_id + 1;
	/* Without a store there is nothing to wait for. */
	uint64_t s = ids->store ? ids->alloc_seq + 1 : 0;
	err = add_entry(ids, guid, nid, s);
	if (err)
		goto out;
	if (ids->store) {
		ids->alloc_seq = s;
		ids->pending[ids->npending++] = ids->n - 1;
	}
	TRACE(ids->tr, TRACE_LINE, "lineGUIDs: new permanent line ID 0x%08x for %s", nid, guid);
	*id = nid;
	if (seq)
		*seq = s;
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

size_t lineids_pending(struct lineids *ids)
{
	if (!ids)
		return 0;
	plat_mutex_lock(&ids->lock);
	size_t n = ids->npending;
	plat_mutex_unlock(&ids->lock);
	return n;
}

uint64_t lineids_committed(struct lineids *ids)
{
	if (!ids)
		return 0;
	plat_mutex_lock(&ids->lock);
	uint64_t s = ids->committed_seq;
	plat_mutex_unlock(&ids->lock);
	return s;
}

int lineids_commit(struct lineids *ids, size_t *written)
{
	if (written)
		*written = 0;
	if (!ids)
		return TSP8_EINVAL;
	plat_mutex_lock(&ids->commit_lock);
	/* Take the pending list; GUID strings stay where they are (entries
	 * are never freed before destroy), so pointers to them stay valid. */
	plat_mutex_lock(&ids->lock);
	size_t n = ids->npending;
	uint64_t upto = ids->alloc_seq;
	struct pending_copy *pc = n ? malloc(n * sizeof(*pc)) : NULL;
	if (n && !pc) {
		plat_mutex_unlock(&ids->lock);
		plat_mutex_unlock(&ids->commit_lock);
		return TSP8_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		pc[i].guid = ids->entries[ids->pending[i]].guid;
		pc[i].id = ids->entries[ids->pending[i]].id;
		pc[i].index = ids->pending[i];
	}
	ids->npending = 0;
	plat_mutex_unlock(&ids->lock);

	int err = TSP8_OK;
	for (size_t i = 0; i < n && !err; i++)
		err = cfg_set_dword(ids->store, LINEIDS_SUBKEY, pc[i].guid, pc[i].id);
	if (!err && n)
		err = cfg_commit(ids->store);
	if (err)
		TRACE(ids->tr, TRACE_WARN,
		      "lineGUIDs: could not store %lu new IDs in %s: %s (kept in memory, retried with "
		      "the next new line)", (unsigned long)n, cfg_path(ids->store), tsp8_strerror(err));
	else if (n)
		TRACE(ids->tr, TRACE_LINE, "lineGUIDs: %lu new IDs stored", (unsigned long)n);

	plat_mutex_lock(&ids->lock);
	if (upto > ids->committed_seq)
		ids->committed_seq = upto;
	/* A failed write: the entries go back on the list so that the next
	 * commit writes them (setting a value twice is harmless). */
	for (size_t i = 0; err && i < n; i++) {
		if (ids->npending == ids->cap_pending) {
			size_t nc = ids->cap_pending ? ids->cap_pending * 2 : 64;
			size_t *p = realloc(ids->pending, nc * sizeof(*p));
			if (!p)
				break;
			ids->pending = p;
			ids->cap_pending = nc;
		}
		ids->pending[ids->npending++] = pc[i].index;
	}
	plat_mutex_unlock(&ids->lock);
	free(pc);
	plat_mutex_unlock(&ids->commit_lock);
	if (written)
		*written = n;
	return err;
}
