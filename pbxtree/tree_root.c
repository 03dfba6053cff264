/* PBX tree: roots — a configured master with its standby.  The active
 * endpoint's UserInfo feeds the directory; the standby is opened as soon as
 * the master's session is lost (and while it cannot be reached at start),
 * and the master, which keeps retrying on its own, takes over again once it
 * is back.  All on the pbx_io thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/strutil.h"
#include "pbxtree/tree_internal.h"
#include "soap/pbx_session.h"

/* The master is probed this often at most while the standby serves. */
#define ROOT_PRIMARY_BACKOFF_MAX_MS 8000u
/* The standby is tried at once after a loss, then every 250..500 ms: it
 * may need a moment to notice that its master is gone, and the switch must
 * be done within 2 s.  A passive or absent standby answers such a try at
 * once, so this costs next to nothing while both are down. */
#define ROOT_STANDBY_BACKOFF_MIN_MS 250u
#define ROOT_STANDBY_BACKOFF_MAX_MS 500u

int tree_roots_create(struct pbxtree *t, const struct pbxtree_root_cfg *rc, size_t n)
{
	t->roots = calloc(n, sizeof(*t->roots));
	if (!t->roots)
		return TSP8_ENOMEM;
	t->nroots = n;
	for (size_t i = 0; i < n; i++) {
		struct tree_root *r = &t->roots[i];
		r->t = t;
		r->index = (unsigned)i;
		char label[32];
		if (i == 0)
			snprintf(label, sizeof(label), "master");
		else
			snprintf(label, sizeof(label), "master %lu", (unsigned long)i);
		int err = tree_session_init(t, &r->primary, r, NULL, label);
		if (err)
			return err;
		/* checked by pbxtree_create */
		fqdn_normalize(rc[i].master, &r->primary.addr, NULL, 0);
		if (i == 0)
			snprintf(label, sizeof(label), "standby");
		else
			snprintf(label, sizeof(label), "standby %lu", (unsigned long)i);
		err = tree_session_init(t, &r->standby, r, NULL, label);
		if (err)
			return err;
		if (rc[i].standby && rc[i].standby[0]) {
			r->has_standby = true;
			fqdn_normalize(rc[i].standby, &r->standby.addr, NULL, 0);
			TRACE(t->tr, TRACE_INFO, "%s %s has standby %s", r->primary.label, r->primary.addr.url,
			      r->standby.addr.url);
		}
	}
	return TSP8_OK;
}

void tree_roots_start(struct pbxtree *t)
{
	for (size_t i = 0; i < t->nroots; i++) {
		struct tree_root *r = &t->roots[i];
		if (tree_session_open(&r->primary, 0, ROOT_PRIMARY_BACKOFF_MAX_MS) != TSP8_OK &&
		    r->has_standby)
			tree_session_open(&r->standby, ROOT_STANDBY_BACKOFF_MIN_MS, ROOT_STANDBY_BACKOFF_MAX_MS);
	}
}

static unsigned owner_of(const struct tree_root *r)
{
	return r->index + 1;
}

static void mark_unseen(void *arg, struct dir_object *o)
{
	const struct tree_root *r = arg;
	if (o->owner == owner_of(r))
		o->seen = false;
}

/* Makes ts the source of the root's directory; its dump follows. */
static void switch_active(struct tree_root *r, struct tree_session *ts)
{
	struct pbxtree *t = r->t;
	plat_mutex_lock(&t->lock);
	struct tree_session *old = r->active;
	r->active = ts;
	if (old) {
		/* what the new source does not report again is gone */
		dir_foreach(t->dir, mark_unseen, r);
		r->resync = true;
	}
	plat_mutex_unlock(&t->lock);
	if (old)
		TRACE(t->tr, TRACE_INFO, "%s: %s %s takes over from %s %s", r->primary.label, ts->label,
		      ts->addr.url, old->label, old->addr.url);
	else
		TRACE(t->tr, TRACE_INFO, "%s: %s %s serves the directory", r->primary.label, ts->label,
		      ts->addr.url);
	tree_lines_rehome_all(t);
	tree_slaves_root_changed(r);
}

void tree_root_on_state(struct tree_session *ts, bool up, bool first_failure)
{
	struct tree_root *r = ts->root;
	struct pbxtree *t = r->t;
	if (up) {
		if (ts == &r->primary) {
			if (r->active != ts)
				switch_active(r, ts);
			else
				tree_slaves_root_changed(r);
			if (r->standby.s) {
				/* the master is back: the standby is not needed */
				tree_session_close(&r->standby);
			}
		} else if (r->primary.up) {
			tree_session_close(&r->standby);
		} else if (r->active != ts) {
			switch_active(r, ts);
		} else {
			tree_slaves_root_changed(r);
		}
		return;
	}
	if (ts == &r->primary) {
		if (first_failure || r->active == ts)
			TRACE(t->tr, TRACE_WARN, "%s %s unreachable%s", ts->label, ts->addr.url,
			      r->has_standby ? (r->standby.s ? "" : ": trying the standby") : "");
		if (r->has_standby && !r->standby.s)
			tree_session_open(&r->standby, ROOT_STANDBY_BACKOFF_MIN_MS, ROOT_STANDBY_BACKOFF_MAX_MS);
	} else if (first_failure) {
		TRACE(t->tr, TRACE_WARN, "%s %s unreachable too", ts->label, ts->addr.url);
	}
}

void tree_root_on_reset(struct tree_session *ts)
{
	struct tree_root *r = ts->root;
	struct pbxtree *t = r->t;
	plat_mutex_lock(&t->lock);
	if (r->active == ts) {
		dir_foreach(t->dir, mark_unseen, r);
		r->resync = true;
	}
	plat_mutex_unlock(&t->lock);
}

/* Removes obj with its lines (and its slave, for a PBX object). */
static void remove_object(struct tree_root *r, struct dir_object *obj)
{
	struct pbxtree *t = r->t;
	TRACE(t->tr, TRACE_LINE, "object %s (%s) left the scope", obj->cn, obj->guid);
	if (dir_is_pbx(obj))
		tree_slave_object(r, obj, true);
	tree_lines_drop(t, obj);
	plat_mutex_lock(&t->lock);
	dir_remove(t->dir, obj);
	plat_mutex_unlock(&t->lock);
}

void tree_root_on_user(struct tree_session *ts, const struct pbx_user *u)
{
	struct tree_root *r = ts->root;
	struct pbxtree *t = r->t;
	if (r->active != ts)
		return;   /* a standby that is not serving (cannot happen: it is closed) */
	TRACE(t->tr, TRACE_DUMPPBX,
	      "UserInfo (%s) cn=\"%s\" guid=%s active=%d state=%d e164=\"%s\" h323=\"%s\" node=\"%s\" "
	      "nodenum=\"%s\" loc=\"%s\" object=\"%s\" type=\"%s\" cfg=%d presence=%s/%s",
	      ts->label, u->cn, u->guid, u->active, u->state, u->e164, u->h323, u->node, u->nodenum,
	      u->loc, u->object, u->type, u->cfg, u->presence.status, u->presence.activity);
	if (!u->guid || !u->guid[0]) {
		TRACE(t->tr, TRACE_WARN, "UserInfo of \"%s\" without guid ignored", u->cn ? u->cn : "");
		return;
	}
	struct dir_object *obj = dir_find(t->dir, u->guid);
	if (obj && obj->owner != owner_of(r)) {
		TRACE(t->tr, TRACE_WARN, "object %s (%s) is reported by two unrelated masters; "
		      "the first one keeps it", u->cn, u->guid);
		return;
	}
	if (!u->active) {
		if (obj)
			remove_object(r, obj);
		return;
	}
	if (!u->cn || !u->cn[0]) {
		TRACE(t->tr, TRACE_WARN, "UserInfo %s without cn ignored", u->guid);
		return;
	}
	bool created = false;
	unsigned changes = 0;
	plat_mutex_lock(&t->lock);
	int err = dir_upsert(t->dir, u, owner_of(r), &obj, &created, &changes);
	plat_mutex_unlock(&t->lock);
	if (err) {
		TRACE(t->tr, TRACE_WARN, "UserInfo %s (%s) not stored: %s", u->cn, u->guid, tsp8_strerror(err));
		return;
	}
	if (dir_is_pbx(obj)) {
		tree_slave_object(r, obj, false);
		if (obj->lines)
			tree_lines_drop(t, obj);   /* it was a user before */
		return;
	}
	if (t->map_devices && (created || u->cfg || obj->devs_failed))
		tree_devices_fetch(r, obj);
	if (created)
		changes |= DIR_CH_CN | DIR_CH_NAME | DIR_CH_PRESENCE;
	tree_lines_sync(t, obj, changes);
}

void tree_root_on_dump_end(struct tree_session *ts)
{
	struct tree_root *r = ts->root;
	struct pbxtree *t = r->t;
	if (r->active != ts)
		return;
	plat_mutex_lock(&t->lock);
	bool resync = r->resync;
	r->resync = false;
	r->dump_done = true;
	size_t n = resync ? dir_unseen(t->dir, owner_of(r), NULL, 0) : 0;
	struct dir_object **gone = n ? calloc(n, sizeof(*gone)) : NULL;
	if (gone)
		n = dir_unseen(t->dir, owner_of(r), gone, n);
	else
		n = 0;
	size_t total = dir_count(t->dir);
	plat_mutex_unlock(&t->lock);
	TRACE(t->tr, TRACE_INFO, "%s %s: object dump complete (%lu objects of all masters, %lu gone)",
	      ts->label, ts->addr.url, (unsigned long)total, (unsigned long)n);
	/* Objects not reported again are gone.  The directory only changes on
	 * this thread, so the pointers stay valid while we remove them. */
	for (size_t i = 0; i < n; i++)
		remove_object(r, gone[i]);
	free(gone);
	/* lines of users whose slave the dump did not name wait no more */
	tree_announce_retry_all(t);
	tree_slaves_poll_gate(t);
	tree_check_enum(t);
}

bool tree_root_is_self(const struct tree_root *r, const char *loc)
{
	if (!loc || !loc[0])
		return true;
	const struct tree_session *e[2] = { &r->primary, &r->standby };
	for (int i = 0; i < 2; i++) {
		if (!e[i]->ever_up)
			continue;
		if (str_casecmp(e[i]->pbx_name, loc) == 0 || str_casecmp(e[i]->location, loc) == 0)
			return true;
	}
	return false;
}

const char *tree_root_name(const struct tree_root *r)
{
	if (r->primary.ever_up || !r->active)
		return r->primary.pbx_name;
	return r->active->pbx_name;
}

bool tree_root_settled(const struct tree_root *r)
{
	if (r->dump_done)
		return true;
	return r->primary.failed_once && (!r->has_standby || r->standby.failed_once);
}
