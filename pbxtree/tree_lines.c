/* PBX tree: lines — names and addresses, which session serves them, their
 * service state, creation and removal (which lines an object has:
 * tree_sync.c; monitoring: tree_monitor.c).  All on the pbx_io thread, which is the only writer;
 * the lock is taken for every change so other threads can read, and
 * released before the handler is called. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/address.h"
#include "pbxtree/pattern.h"
#include "pbxtree/strutil.h"
#include "pbxtree/tree_internal.h"
#include "soap/pbx_session.h"

#define ADDRESS_MAX 256
/* %t / %T of presence lines */
#define PRESENCE_NAME "Presence"
#define PRESENCE_HW   "presence"

void tree_line_free(struct tree_line *l)
{
	if (!l)
		return;
	free(l->guid);
	free(l->name);
	free(l->address);
	free(l->dev_hw);
	free(l->dev_name);
	free(l);
}

static size_t bucket_of(uint32_t id)
{
	return (id * 2654435761u >> 8) & (TREE_LINE_BUCKETS - 1);
}

struct tree_line *tree_find_line(struct pbxtree *t, uint32_t id)
{
	for (struct tree_line *l = t->buckets[bucket_of(id)]; l; l = l->hnext)
		if (l->id == id)
			return l;
	return NULL;
}

static struct tree_root *root_of(struct pbxtree *t, const struct dir_object *o)
{
	return (o->owner >= 1 && o->owner <= t->nroots) ? &t->roots[o->owner - 1] : NULL;
}

/* %x: the PBX the user belongs to (its loc, else its master). */
static const char *home_name(struct pbxtree *t, const struct dir_object *o)
{
	if (o->loc && o->loc[0])
		return o->loc;
	struct tree_root *r = root_of(t, o);
	return r ? tree_root_name(r) : "";
}

/* %X: the PBX serving the line now (its name once that session was up). */
static const char *serving_name(struct pbxtree *t, const struct tree_line *l)
{
	if (l->ts && l->ts->ever_up && l->ts->pbx_name && l->ts->pbx_name[0])
		return l->ts->pbx_name;
	return home_name(t, l->obj);
}

void tree_line_info(struct pbxtree *t, const struct tree_line *l, struct pbxtree_line_info *li)
{
	const struct dir_object *o = l->obj;
	memset(li, 0, sizeof(*li));
	li->id = l->id;
	li->kind = l->kind;
	li->guid = l->guid;
	li->name = l->name;
	li->address = l->address;
	li->cn = o ? o->cn : "";
	li->dn = o ? o->dn : "";
	li->h323 = o ? o->h323 : "";
	li->e164 = o ? o->e164 : "";
	li->device_hw = l->dev_hw ? l->dev_hw : "";
	li->device_name = l->dev_name ? l->dev_name : "";
	li->pbx_name = o ? serving_name(t, l) : "";
	li->pbx_firmware = l->ts ? l->ts->firmware : "";
	li->pbx_id = l->ts ? l->ts->pbx_id : 0;
	li->in_service = l->in_service;
}

/* New name and address of l.  Caller frees both. */
static int compute_names(struct pbxtree *t, const struct tree_line *l, char **name, char **address)
{
	char addr[ADDRESS_MAX];
	char buf[PATTERN_MAX_OUT];
	const struct dir_object *o = l->obj;
	const struct tree_root *r = root_of(t, o);
	if (line_address(o->nodenum, o->e164, t->pure_node, addr, sizeof(addr)) != TSP8_OK) {
		TRACE(t->tr, TRACE_WARN, "line %s: address too long, left empty", o->cn);
		addr[0] = '\0';
	}
	struct pattern_vars v = {
		.cn = o->cn, .dn = o->dn, .h323 = o->h323, .e164 = o->e164, .nodenum = o->nodenum,
		.device_name = l->kind == PBXTREE_LINE_PRESENCE ? PRESENCE_NAME : l->dev_name,
		.device_hw = l->kind == PBXTREE_LINE_PRESENCE ? PRESENCE_HW : l->dev_hw,
		.address = addr,
		.host = r ? r->primary.addr.host : "",
		.port = r ? r->primary.addr.port : 80,
		.pbx_reported = home_name(t, o),
		.pbx_registered = serving_name(t, l),
	};
	if (pattern_expand(t->pattern, &v, buf, sizeof(buf)) == TSP8_ELIMIT)
		TRACE(t->tr, TRACE_WARN, "line %s: name cut to %lu bytes", o->cn, (unsigned long)strlen(buf));
	*name = str_dup(buf);
	*address = str_dup(addr);
	if (!*name || !*address) {
		free(*name);
		free(*address);
		*name = *address = NULL;
		return TSP8_ENOMEM;
	}
	return TSP8_OK;
}

void tree_line_report_changed(struct pbxtree *t, struct tree_line *l)
{
	if (!l->announced || !t->h->line_changed)
		return;
	struct pbxtree_line_info li;
	tree_line_info(t, l, &li);
	t->h->line_changed(t->arg, &li);
}

/* Recomputes name/address; true when one differs (not reported yet). */
static bool rename_line(struct pbxtree *t, struct tree_line *l)
{
	char *name, *address;
	if (compute_names(t, l, &name, &address) != TSP8_OK)
		return false;
	bool changed = !str_eq(name, l->name) || !str_eq(address, l->address);
	if (changed) {
		plat_mutex_lock(&t->lock);
		char *on = l->name, *oa = l->address;
		l->name = name;
		l->address = address;
		plat_mutex_unlock(&t->lock);
		name = on;
		address = oa;
		TRACE(t->tr, TRACE_LINE, "line 0x%08x now \"%s\" address \"%s\"", l->id, l->name, l->address);
	}
	free(name);
	free(address);
	return changed;
}

bool tree_line_settled(struct pbxtree *t, const struct tree_line *l)
{
	if (l->kind == PBXTREE_LINE_PRESENCE)
		return true;
	if (!l->ts) {
		/* homed on a slave whose URL or first connection is still on
		 * its way: wait for it (at most until it failed once) */
		const struct dir_object *o = l->obj;
		struct tree_root *r = o ? root_of(t, o) : NULL;
		if (r && o->loc && o->loc[0] && !t->no_slaves && !tree_root_is_self(r, o->loc)) {
			struct tree_slave *s = tree_slave_find(t, r, o->loc);
			if (!s)
				return r->dump_done;   /* its PBX object may come later in the dump */
			return !(s->wanted && !s->settled);
		}
		return true;
	}
	if (!l->ts->s || (!l->mon && !l->mq_queued))
		return true;
	if (!l->ts->up)   /* a new session on its way: wait for its first outcome */
		return l->ts->ever_up || l->ts->failed_once;
	return !l->mon_waiting && !l->mq_queued;
}

void tree_line_announce(struct pbxtree *t, struct tree_line *l)
{
	plat_mutex_lock(&t->lock);
	l->announced = true;
	plat_mutex_unlock(&t->lock);
	TRACE(t->tr, TRACE_LINE, "line 0x%08x reported: \"%s\"%s", l->id, l->name,
	      l->in_service ? "" : " (out of service)");
	if (t->h->line_added) {
		struct pbxtree_line_info li;
		tree_line_info(t, l, &li);
		t->h->line_added(t->arg, &li);
	}
	if (l->kind == PBXTREE_LINE_PRESENCE)
		tree_presence_update(t, l);
}

/* ---- service and home --------------------------------------------------------- */

/* In service: the serving session is up and, for lines with calls, the
 * user is monitored there (no call can be missed any more). */
static bool service_now(const struct tree_line *l)
{
	if (!l->ts || !l->ts->up)
		return false;
	if (l->kind == PBXTREE_LINE_PRESENCE)
		return str_casecmp(l->obj->pres_status, "open") == 0;
	return l->mon_ready;
}

/* Sets the service state; reports it when it changed. */
void tree_line_update_service(struct pbxtree *t, struct tree_line *l)
{
	if (l->kind == PBXTREE_LINE_PRESENCE) {
		tree_presence_update(t, l);
		return;
	}
	bool up = service_now(l);
	if (up == l->in_service)
		return;
	plat_mutex_lock(&t->lock);
	l->in_service = up;
	plat_mutex_unlock(&t->lock);
	if (!l->announced)
		return;
	TRACE(t->tr, TRACE_LINE, "line 0x%08x %s", l->id, up ? "in service" : "out of service");
	if (t->h->line_service)
		t->h->line_service(t->arg, l->id, up);
}

/* Presence lines follow the root's serving session; the others the
 * session of the PBX the user is homed on. */
static struct tree_session *home_of(struct pbxtree *t, const struct tree_line *l)
{
	const struct dir_object *o = l->obj;
	struct tree_root *r = root_of(t, o);
	if (!r)
		return NULL;
	if (l->kind != PBXTREE_LINE_PRESENCE && o->loc && o->loc[0] && !t->no_slaves &&
	    !tree_root_is_self(r, o->loc)) {
		struct tree_slave *s = tree_slave_find(t, r, o->loc);
		if (s && s->wanted && s->st == SLAVE_RUNNING && s->ts.s)
			return &s->ts;
		return NULL;
	}
	return r->active;
}

/* Moves l to its home session; true when it moved. */
static bool rehome(struct pbxtree *t, struct tree_line *l)
{
	struct tree_session *home = home_of(t, l);
	if (home == l->ts)
		return false;
	tree_line_unmonitor(t, l);
	plat_mutex_lock(&t->lock);
	l->ts = home;
	plat_mutex_unlock(&t->lock);
	TRACE(t->tr, TRACE_LINE, "line 0x%08x served by %s", l->id, home ? home->label : "no PBX");
	tree_line_monitor(t, l);
	if (!l->announced)
		tree_announce_retry(t, l);
	return true;
}

/* Re-homes l and reports what changed. */
void tree_line_refresh(struct pbxtree *t, struct tree_line *l, bool names)
{
	bool moved = rehome(t, l);
	bool renamed = (names || moved) && rename_line(t, l);
	if (moved || renamed)
		tree_line_report_changed(t, l);
	tree_line_update_service(t, l);
}

void tree_lines_rehome_all(struct pbxtree *t)
{
	for (struct tree_line *l = t->lines; l; l = l->next)
		if (l->obj)
			tree_line_refresh(t, l, false);
}

void tree_lines_service(struct pbxtree *t, struct tree_session *ts)
{
	for (struct tree_line *l = t->lines; l; l = l->next) {
		if (l->ts != ts || !l->obj)
			continue;
		if (!ts->up && l->mon_ready) {
			/* monitors are initialised again on the next connection */
			plat_mutex_lock(&t->lock);
			l->mon_ready = false;
			plat_mutex_unlock(&t->lock);
		}
		tree_line_update_service(t, l);
		if (!ts->up && !l->announced)
			tree_announce_retry(t, l);   /* nothing to wait for now */
	}
}

void tree_lines_rename(struct pbxtree *t, struct tree_session *ts)
{
	/* A root's name appears in every line of that root (%x); a slave's in
	 * the lines it serves (%X). */
	unsigned owner = ts->slave ? 0 : ts->root->index + 1;
	for (struct tree_line *l = t->lines; l; l = l->next) {
		if (!l->obj || !(l->ts == ts || l->obj->owner == owner))
			continue;
		if (rename_line(t, l))
			tree_line_report_changed(t, l);
	}
}

/* ---- creation and removal ------------------------------------------------------ */

void tree_line_add(struct pbxtree *t, struct dir_object *obj, enum pbxtree_line_kind kind,
		   const char *guid, const char *hw, const char *dev_name)
{
	uint32_t id;
	uint64_t seq = 0;
	int err = lineids_get(t->ids, guid, &id, &seq);
	if (err) {
		TRACE(t->tr, TRACE_WARN, "line %s (%s): no permanent line ID: %s", obj->cn, guid,
		      tsp8_strerror(err));
		return;
	}
	/* object and presence lines have no device: no strings for it */
	struct tree_line *l = calloc(1, sizeof(*l));
	if (!l || !(l->guid = str_dup(guid)) || (hw && hw[0] && !(l->dev_hw = str_dup(hw))) ||
	    (dev_name && dev_name[0] && !(l->dev_name = str_dup(dev_name)))) {
		tree_line_free(l);
		TRACE(t->tr, TRACE_WARN, "line %s: out of memory", guid);
		return;
	}
	l->id = id;
	l->kind = kind;
	l->obj = obj;
	l->id_seq = seq;
	l->ts = home_of(t, l);
	if (compute_names(t, l, &l->name, &l->address) != TSP8_OK) {
		tree_line_free(l);
		TRACE(t->tr, TRACE_WARN, "line %s: out of memory", guid);
		return;
	}
	l->in_service = kind != PBXTREE_LINE_PRESENCE && service_now(l);
	plat_mutex_lock(&t->lock);
	struct tree_line *dup = tree_find_line(t, id);
	size_t b = bucket_of(id);
	l->hnext = t->buckets[b];
	t->buckets[b] = l;
	l->next = t->lines;
	if (t->lines)
		t->lines->prev = l;
	t->lines = l;
	t->nlines++;
	l->onext = obj->lines;
	obj->lines = l;
	plat_mutex_unlock(&t->lock);
	if (dup)
		TRACE(t->tr, TRACE_WARN, "permanent line ID 0x%08x used twice (%s and %s): lineGUIDs damaged?",
		      id, dup->guid, guid);
	TRACE(t->tr, TRACE_LINE, "line 0x%08x: \"%s\" address \"%s\" guid %s on %s", l->id, l->name,
	      l->address, l->guid, l->ts ? l->ts->label : "no PBX yet");
	tree_announce_line(t, l);
}

static void unlink_line(struct pbxtree *t, struct tree_line *l)
{
	plat_mutex_lock(&t->lock);
	if (l->prev)
		l->prev->next = l->next;
	else
		t->lines = l->next;
	if (l->next)
		l->next->prev = l->prev;
	for (struct tree_line **pp = &t->buckets[bucket_of(l->id)]; *pp; pp = &(*pp)->hnext) {
		if (*pp == l) {
			*pp = l->hnext;
			break;
		}
	}
	if (l->obj) {
		for (struct tree_line **pp = &l->obj->lines; *pp; pp = &(*pp)->onext) {
			if (*pp == l) {
				*pp = l->onext;
				break;
			}
		}
	}
	l->obj = NULL;
	t->nlines--;
	plat_mutex_unlock(&t->lock);
}

void tree_line_remove(struct pbxtree *t, struct tree_line *l)
{
	bool announced = l->announced;
	tree_line_unmonitor(t, l);
	if (announced && l->kind == PBXTREE_LINE_PRESENCE)
		tree_presence_end(t, l);
	if (!announced)
		tree_announce_forget(t, l);
	unlink_line(t, l);
	TRACE(t->tr, TRACE_LINE, "line 0x%08x removed", l->id);
	if (announced && t->h->line_removed)
		t->h->line_removed(t->arg, l->id);
	tree_line_free(l);
}

void tree_lines_drop(struct pbxtree *t, struct dir_object *obj)
{
	while (obj->lines)
		tree_line_remove(t, obj->lines);
}
