/* PBX tree: directory updates -> lines (all on the pbx_io thread, which is
 * the only writer; the lock is taken for every change so other threads can
 * read, and released before the handler is called). */
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

void tree_line_free(struct tree_line *l)
{
	if (!l)
		return;
	free(l->guid);
	free(l->name);
	free(l->address);
	free(l);
}

struct tree_line *tree_find_line(struct pbxtree *t, uint32_t id)
{
	for (struct tree_line *l = t->lines; l; l = l->next)
		if (l->id == id)
			return l;
	return NULL;
}

/* Fills the owner's view of l (pointers into l; pbx_io thread only). */
static void line_info(const struct tree_line *l, struct pbxtree_line_info *li)
{
	li->id = l->id;
	li->guid = l->guid;
	li->name = l->name;
	li->address = l->address;
	li->cn = l->obj ? l->obj->cn : "";
	li->dn = l->obj ? l->obj->dn : "";
	li->h323 = l->obj ? l->obj->h323 : "";
	li->e164 = l->obj ? l->obj->e164 : "";
	li->pbx_name = l->ts->pbx_name;
	li->pbx_firmware = l->ts->firmware;
	li->session_id = l->ts->id;
	li->in_service = l->in_service;
}

/* New name and address of l from its object, its PBX and the pattern.
 * Caller frees both.  Reads obj/ts fields: pbx_io thread only. */
static int compute_names(struct pbxtree *t, const struct tree_line *l, char **name, char **address)
{
	char addr[ADDRESS_MAX];
	char buf[PATTERN_MAX_OUT];
	const struct dir_object *o = l->obj;
	if (line_address(o->nodenum, o->e164, t->pure_node, addr, sizeof(addr)) != TSP8_OK) {
		TRACE(t->tr, TRACE_WARN, "line %s: address too long, left empty", o->cn);
		addr[0] = '\0';
	}
	struct pattern_vars v = {
		.cn = o->cn, .dn = o->dn, .h323 = o->h323, .e164 = o->e164, .nodenum = o->nodenum,
		.device_name = "", .device_hw = "",
		.address = addr,
		.host = t->master.host, .port = t->master.port,
		.pbx_reported = l->ts->pbx_name,
		.pbx_registered = (o->loc && o->loc[0]) ? o->loc : l->ts->pbx_name,
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

/* Recomputes name/address; reports line_changed when one differs. */
static void refresh_line(struct pbxtree *t, struct tree_line *l)
{
	char *name, *address;
	if (compute_names(t, l, &name, &address) != TSP8_OK)
		return;
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
	if (changed && t->h->line_changed) {
		struct pbxtree_line_info li;
		line_info(l, &li);
		t->h->line_changed(t->arg, &li);
	}
}

static void monitor(struct pbxtree *t, struct tree_line *l)
{
	struct pbx_monitor *m = NULL;
	int err = pbx_session_monitor_add(l->ts->s, l->obj->cn, NULL, !t->no_special_disconnect, l, &m);
	if (err)
		TRACE(t->tr, TRACE_WARN, "line 0x%08x (%s): monitor not added: %s", l->id, l->obj->cn,
		      tsp8_strerror(err));
	plat_mutex_lock(&t->lock);
	l->mon = err ? NULL : m;
	if (err)
		l->mon_settled = true;   /* no answer will come */
	plat_mutex_unlock(&t->lock);
	if (err)
		tree_maybe_enum_complete(t);
}

void tree_on_monitor(struct tree_session *ts, struct tree_line *l, int err)
{
	struct pbxtree *t = ts->t;
	(void)err;
	plat_mutex_lock(&t->lock);
	bool was = l->mon_settled;
	l->mon_settled = true;
	plat_mutex_unlock(&t->lock);
	if (!was)
		tree_maybe_enum_complete(t);
}

static void unmonitor(struct pbxtree *t, struct tree_line *l)
{
	plat_mutex_lock(&t->lock);
	struct pbx_monitor *m = l->mon;
	l->mon = NULL;
	plat_mutex_unlock(&t->lock);
	if (m)
		pbx_session_monitor_remove(l->ts->s, m);
}

static void add_line(struct tree_session *ts, struct dir_object *obj)
{
	struct pbxtree *t = ts->t;
	uint32_t id;
	int err = lineids_get(t->ids, obj->guid, &id);
	if (err) {
		TRACE(t->tr, TRACE_WARN, "object %s (%s): no permanent line ID: %s", obj->cn, obj->guid,
		      tsp8_strerror(err));
		return;
	}
	struct tree_line *l = calloc(1, sizeof(*l));
	if (!l || !(l->guid = str_dup(obj->guid))) {
		free(l);
		TRACE(t->tr, TRACE_WARN, "object %s: out of memory for its line", obj->cn);
		return;
	}
	l->id = id;
	l->obj = obj;
	l->ts = ts;
	if (compute_names(t, l, &l->name, &l->address) != TSP8_OK) {
		tree_line_free(l);
		TRACE(t->tr, TRACE_WARN, "object %s: out of memory for its line", obj->cn);
		return;
	}
	plat_mutex_lock(&t->lock);
	if (tree_find_line(t, id))
		TRACE(t->tr, TRACE_WARN, "permanent line ID 0x%08x used twice (lineGUIDs damaged?)", id);
	l->in_service = ts->up;
	l->next = t->lines;
	if (t->lines)
		t->lines->prev = l;
	t->lines = l;
	t->nlines++;
	obj->line = l;
	plat_mutex_unlock(&t->lock);
	TRACE(t->tr, TRACE_LINE, "line 0x%08x added: \"%s\" address \"%s\" guid %s", l->id, l->name,
	      l->address, l->guid);
	monitor(t, l);
	if (t->h->line_added) {
		struct pbxtree_line_info li;
		line_info(l, &li);
		t->h->line_added(t->arg, &li);
	}
}

/* Removes obj and its line (reports line_removed). */
static void remove_object(struct tree_session *ts, struct dir_object *obj)
{
	struct pbxtree *t = ts->t;
	struct tree_line *l = obj->line;
	if (l) {
		unmonitor(t, l);
		plat_mutex_lock(&t->lock);
		if (l->prev)
			l->prev->next = l->next;
		else
			t->lines = l->next;
		if (l->next)
			l->next->prev = l->prev;
		t->nlines--;
		l->obj = NULL;
		obj->line = NULL;
		plat_mutex_unlock(&t->lock);
	}
	TRACE(t->tr, TRACE_LINE, "object %s (%s) left the scope", obj->cn, obj->guid);
	plat_mutex_lock(&t->lock);
	dir_remove(t->dir, obj);
	plat_mutex_unlock(&t->lock);
	if (l) {
		TRACE(t->tr, TRACE_LINE, "line 0x%08x removed", l->id);
		if (t->h->line_removed)
			t->h->line_removed(t->arg, l->id);
		tree_line_free(l);
	}
}

void tree_on_user(struct tree_session *ts, const struct pbx_user *u)
{
	struct pbxtree *t = ts->t;
	if (!u)
		return;
	TRACE(t->tr, TRACE_DUMPPBX,
	      "UserInfo cn=\"%s\" guid=%s active=%d state=%d e164=\"%s\" h323=\"%s\" node=\"%s\" "
	      "nodenum=\"%s\" loc=\"%s\" object=\"%s\" type=\"%s\"",
	      u->cn, u->guid, u->active, u->state, u->e164, u->h323, u->node, u->nodenum, u->loc,
	      u->object, u->type);
	if (!u->guid || !u->guid[0]) {
		TRACE(t->tr, TRACE_WARN, "UserInfo of \"%s\" without guid ignored", u->cn ? u->cn : "");
		return;
	}
	if (!u->active) {
		struct dir_object *obj = dir_find(t->dir, u->guid);
		if (obj)
			remove_object(ts, obj);
		return;
	}
	if (!u->cn || !u->cn[0]) {
		TRACE(t->tr, TRACE_WARN, "UserInfo %s without cn ignored", u->guid);
		return;
	}
	struct dir_object *obj = NULL;
	bool created = false;
	unsigned changes = 0;
	plat_mutex_lock(&t->lock);
	int err = dir_upsert(t->dir, u, ts->id, &obj, &created, &changes);
	plat_mutex_unlock(&t->lock);
	if (err) {
		TRACE(t->tr, TRACE_WARN, "UserInfo %s (%s) not stored: %s", u->cn, u->guid, tsp8_strerror(err));
		return;
	}
	if (!obj->line) {
		add_line(ts, obj);
		return;
	}
	if (changes & DIR_CH_CN) {
		unmonitor(t, obj->line);
		monitor(t, obj->line);
	}
	if (changes & DIR_CH_NAME)
		refresh_line(t, obj->line);
}

static void mark_unseen(void *arg, struct dir_object *o)
{
	const struct tree_session *ts = arg;
	if (o->session_id == ts->id)
		o->seen = false;
}

void tree_on_reset(struct tree_session *ts)
{
	struct pbxtree *t = ts->t;
	plat_mutex_lock(&t->lock);
	dir_foreach(t->dir, mark_unseen, ts);
	ts->resync = true;
	plat_mutex_unlock(&t->lock);
}

void tree_on_dump_end(struct tree_session *ts)
{
	struct pbxtree *t = ts->t;
	plat_mutex_lock(&t->lock);
	bool resync = ts->resync;
	ts->resync = false;
	t->dump_done = true;
	size_t n = resync ? dir_unseen(t->dir, ts->id, NULL, 0) : 0;
	plat_mutex_unlock(&t->lock);
	TRACE(t->tr, TRACE_INFO, "%s: object dump complete, %lu lines", ts->addr->url,
	      (unsigned long)t->nlines);
	/* Objects not reported again after a session reset are gone.  The
	 * directory only changes on this thread, so the list stays valid. */
	while (n > 0) {
		struct dir_object *obj = NULL;
		plat_mutex_lock(&t->lock);
		n = dir_unseen(t->dir, ts->id, &obj, 1);
		plat_mutex_unlock(&t->lock);
		if (n == 0 || !obj)
			break;
		remove_object(ts, obj);
	}
	tree_maybe_enum_complete(t);
}

void tree_on_service(struct tree_session *ts, bool up)
{
	struct pbxtree *t = ts->t;
	plat_mutex_lock(&t->lock);
	ts->up = up;
	plat_mutex_unlock(&t->lock);
	/* Lines only change on this thread: walk them without the lock while
	 * calling the handler. */
	for (struct tree_line *l = t->lines; l; l = l->next) {
		if (l->ts != ts || l->in_service == up)
			continue;
		plat_mutex_lock(&t->lock);
		l->in_service = up;
		plat_mutex_unlock(&t->lock);
		TRACE(t->tr, TRACE_LINE, "line 0x%08x %s", l->id, up ? "in service" : "out of service");
		if (t->h->line_service)
			t->h->line_service(t->arg, l->id, up);
	}
}

void tree_on_version(struct tree_session *ts)
{
	struct pbxtree *t = ts->t;
	for (struct tree_line *l = t->lines; l; l = l->next)
		if (l->ts == ts)
			refresh_line(t, l);
}

void tree_maybe_enum_complete(struct pbxtree *t)
{
	plat_mutex_lock(&t->lock);
	/* Complete means: every object of the scope reported, the PBX name
	 * known (line names), and every line monitored, so that calls from
	 * now on are seen. */
	size_t unmonitored = 0;
	for (struct tree_line *l = t->lines; l; l = l->next)
		if (!l->mon_settled)
			unmonitored++;
	bool fire = !t->enum_reported && t->dump_done && t->version_done && !unmonitored && !t->stopping;
	if (fire)
		t->enum_reported = true;
	size_t n = t->nlines;
	plat_mutex_unlock(&t->lock);
	if (fire) {
		TRACE(t->tr, TRACE_INFO, "line enumeration complete: %lu lines", (unsigned long)n);
		if (t->h->enum_complete)
			t->h->enum_complete(t->arg);
	}
}
