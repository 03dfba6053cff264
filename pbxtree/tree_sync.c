/* PBX tree: which lines an object has — one OBJECT line, or one DEVICE line
 * per device (MapDevices; a user without devices, or whose device list
 * cannot be read, keeps its OBJECT line), plus a PRESENCE line
 * (MapPresence) — and bringing its lines in line with that.  pbx_io thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/strutil.h"
#include "pbxtree/tree_internal.h"

struct want {
	enum pbxtree_line_kind kind;
	char *guid;
	const char *hw, *name;
};

static bool want_add(struct pbxtree *t, struct want **v, size_t *n, size_t *cap,
		     enum pbxtree_line_kind kind, const char *guid, const char *hw, const char *name)
{
	for (size_t i = 0; i < *n; i++) {
		if (str_casecmp((*v)[i].guid, guid) == 0) {
			TRACE(t->tr, TRACE_WARN, "line GUID %s twice (duplicate device %s?): one line only",
			      guid, t->name_for_device_guid ? "name" : "hardware id");
			return true;
		}
	}
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		struct want *nv = realloc(*v, nc * sizeof(*nv));
		if (!nv)
			return false;
		*v = nv;
		*cap = nc;
	}
	char *g = str_dup(guid);
	if (!g)
		return false;
	(*v)[(*n)++] = (struct want){ kind, g, hw ? hw : "", name ? name : "" };
	return true;
}

/* The lines obj should have now; false when out of memory. */
static bool wanted_lines(struct pbxtree *t, const struct dir_object *obj, struct want **v, size_t *n)
{
	size_t cap = 0;
	bool ok = true;
	*v = NULL;
	*n = 0;
	if (dir_is_pbx(obj))
		return true;
	/* the device list is on its way: nothing yet, so that the device
	 * lines get their IDs before the presence line */
	if (t->map_devices && !obj->devs_known && !obj->devs_failed)
		return true;
	if (t->map_devices && obj->devs_known && obj->ndevs > 0) {
		for (size_t i = 0; ok && i < obj->ndevs; i++) {
			const struct dir_device *d = &obj->devs[i];
			const char *key = t->name_for_device_guid ? d->text : d->hw;
			if (!key || !key[0]) {
				TRACE(t->tr, TRACE_WARN, "device of %s without %s: no line", obj->cn,
				      t->name_for_device_guid ? "name" : "hardware id");
				continue;
			}
			size_t len = strlen(obj->guid) + strlen(key) + 8;
			char *g = malloc(len);
			if (!g)
				return false;
			snprintf(g, len, "%s#%s:%s", obj->guid, t->name_for_device_guid ? "name" : "hw", key);
			ok = want_add(t, v, n, &cap, PBXTREE_LINE_DEVICE, g, d->hw, d->text);
			free(g);
		}
	} else {
		/* no device mapping, a user without devices, or the device list
		 * could not be read: the object itself */
		ok = want_add(t, v, n, &cap, PBXTREE_LINE_OBJECT, obj->guid, NULL, NULL);
	}
	if (ok && t->map_presence) {
		size_t len = strlen(obj->guid) + 16;
		char *g = malloc(len);
		if (!g)
			return false;
		snprintf(g, len, "%s#presence", obj->guid);
		ok = want_add(t, v, n, &cap, PBXTREE_LINE_PRESENCE, g, NULL, NULL);
		free(g);
	}
	return ok;
}

void tree_lines_sync(struct pbxtree *t, struct dir_object *obj, unsigned changes)
{
	struct want *v = NULL;
	size_t n = 0;
	if (!wanted_lines(t, obj, &v, &n)) {
		TRACE(t->tr, TRACE_WARN, "object %s: out of memory, lines not updated", obj->cn);
		for (size_t i = 0; i < n; i++)
			free(v[i].guid);
		free(v);
		return;
	}
	for (struct tree_line *l = obj->lines; l; l = l->onext)
		l->keep = false;
	bool *have = n ? calloc(n, sizeof(*have)) : NULL;
	for (size_t i = 0; i < n && have; i++) {
		for (struct tree_line *l = obj->lines; l; l = l->onext) {
			if (!l->keep && str_casecmp(l->guid, v[i].guid) == 0) {
				l->keep = true;
				have[i] = true;
				break;
			}
		}
	}
	if (n && !have) {
		TRACE(t->tr, TRACE_WARN, "object %s: out of memory, lines not updated", obj->cn);
	} else {
		/* gone first, so a replaced object line goes before its devices come */
		struct tree_line *l = obj->lines;
		while (l) {
			struct tree_line *next = l->onext;
			if (!l->keep)
				tree_line_remove(t, l);
			l = next;
		}
		for (struct tree_line *k = obj->lines; k; k = k->onext) {
			bool new_hw = false;
			if (k->kind == PBXTREE_LINE_DEVICE) {
				/* the device name (%t) or, with GUIDs by name, the
				 * hardware id (a replaced phone) may have changed */
				for (size_t i = 0; i < n; i++) {
					if (str_casecmp(k->guid, v[i].guid) != 0)
						continue;
					bool ch_name = false, ch_hw = false;
					plat_mutex_lock(&t->lock);
					str_assign(&k->dev_name, v[i].name, &ch_name);
					str_assign(&k->dev_hw, v[i].hw, &ch_hw);
					plat_mutex_unlock(&t->lock);
					if (ch_name || ch_hw)
						changes |= DIR_CH_NAME;
					new_hw = ch_hw;
				}
			}
			if (((changes & DIR_CH_CN) || new_hw) && k->mon) {
				tree_line_unmonitor(t, k);
				tree_line_monitor(t, k);
			}
			tree_line_refresh(t, k, (changes & DIR_CH_NAME) != 0);
			if (new_hw)
				tree_line_report_changed(t, k);   /* device_hw is part of the line's data */
		}
		for (size_t i = 0; i < n; i++)
			if (!have[i])
				tree_line_add(t, obj, v[i].kind, v[i].guid, v[i].hw, v[i].name);
	}
	free(have);
	for (size_t i = 0; i < n; i++)
		free(v[i].guid);
	free(v);
}
