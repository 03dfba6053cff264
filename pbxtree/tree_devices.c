/* PBX tree: device lists for MapDevices.  Devices(cn) is asked on the
 * root's serving session when a user appears, when its configuration
 * changed (UserInfo cfg=true) and after a failed attempt; the answer
 * reshapes the user's lines (tree_lines_sync).  pbx_io thread. */
#include <stdlib.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/strutil.h"
#include "pbxtree/tree_internal.h"
#include "soap/pbx_session.h"

struct dev_ctx {
	struct tree_root *r;
	char *guid;               /* the object may be gone when the answer comes */
};

static void dev_done(void *arg, int err, const struct pbx_device *d, size_t n)
{
	struct dev_ctx *x = arg;
	struct pbxtree *t = x->r->t;
	plat_mutex_lock(&t->lock);
	bool quiet = t->stopping;
	t->n_dev_pending--;
	struct dir_object *obj = dir_find(t->dir, x->guid);
	if (obj)
		obj->devs_pending = false;
	plat_mutex_unlock(&t->lock);
	if (!quiet && obj) {
		if (err) {
			TRACE(t->tr, TRACE_WARN, "Devices(%s) failed: %s%s", obj->cn, tsp8_strerror(err),
			      obj->devs_known ? "; keeping the known devices" : "; one line for the user");
			obj->devs_failed = true;
		} else {
			plat_mutex_lock(&t->lock);
			int e = dir_set_devices(obj, d, n);
			plat_mutex_unlock(&t->lock);
			obj->devs_failed = e != TSP8_OK;
			TRACE(t->tr, TRACE_LINE, "Devices(%s): %lu devices", obj->cn, (unsigned long)n);
		}
		if (obj->devs_again) {
			obj->devs_again = false;
			tree_devices_fetch(x->r, obj);
		}
		tree_lines_sync(t, obj, DIR_CH_NAME);
	}
	if (!quiet)
		tree_check_enum(t);
	free(x->guid);
	free(x);
	tree_release(t);
}

void tree_devices_fetch(struct tree_root *r, struct dir_object *obj)
{
	struct pbxtree *t = r->t;
	if (obj->devs_pending) {
		obj->devs_again = true;
		return;
	}
	struct tree_session *as = r->active;
	struct dev_ctx *x = calloc(1, sizeof(*x));
	if (!x || !(x->guid = str_dup(obj->guid)) || !as || !as->s || !tree_hold(t)) {
		if (x)
			free(x->guid);
		free(x);
		obj->devs_failed = true;
		return;
	}
	x->r = r;
	plat_mutex_lock(&t->lock);
	obj->devs_pending = true;
	t->n_dev_pending++;
	plat_mutex_unlock(&t->lock);
	int err = pbx_session_devices(as->s, obj->cn, dev_done, x);
	if (err) {
		plat_mutex_lock(&t->lock);
		obj->devs_pending = false;
		t->n_dev_pending--;
		plat_mutex_unlock(&t->lock);
		obj->devs_failed = true;
		TRACE(t->tr, TRACE_WARN, "Devices(%s) not sent: %s", obj->cn, tsp8_strerror(err));
		free(x->guid);
		free(x);
		tree_release(t);
	}
}
