/* PBX tree: a line is reported only once its permanent ID is in the store
 * and its first UserInitialize answered.
 *
 * New IDs are collected for a few milliseconds (a Poll answer brings up to
 * a hundred objects at once) and written with one commit, on the worker
 * pool when the tree has one, so the pbx_io thread never waits for the
 * disk.  Monitoring does not wait for the commit (it overlaps the write);
 * reporting does: after the commit the waiting lines are reported in ID
 * order, each once its first UserInitialize answered. */
#include <stdlib.h>

#include "base/error.h"
#include "base/sched.h"
#include "base/trace.h"
#include "pbxtree/tree_internal.h"
#include "soap/pbx_io.h"

/* How long new IDs are collected before they are written. */
#define COMMIT_DELAY_MS 5u

static void schedule_commit(struct pbxtree *t)
{
	tree_tmr_arm(&t->commit_tmr, COMMIT_DELAY_MS);
}

static void pending_add(struct pbxtree *t, struct tree_line *l)
{
	plat_mutex_lock(&t->lock);
	l->pending = true;
	l->pprev = NULL;
	l->pnext = t->unannounced;
	if (t->unannounced)
		t->unannounced->pprev = l;
	t->unannounced = l;
	t->n_unannounced++;
	plat_mutex_unlock(&t->lock);
}

void tree_announce_forget(struct pbxtree *t, struct tree_line *l)
{
	plat_mutex_lock(&t->lock);
	if (l->pending) {
		if (l->pprev)
			l->pprev->pnext = l->pnext;
		else
			t->unannounced = l->pnext;
		if (l->pnext)
			l->pnext->pprev = l->pprev;
		l->pnext = l->pprev = NULL;
		l->pending = false;
		t->n_unannounced--;
	}
	plat_mutex_unlock(&t->lock);
}

/* True when a line of the same object with a lower ID still waits: the
 * lines of one object are reported in ID order (a presence line, which
 * needs no UserInitialize, does not overtake its user's line). */
static bool earlier_sibling_waits(const struct tree_line *l)
{
	for (const struct tree_line *s = l->obj ? l->obj->lines : NULL; s; s = s->onext)
		if (s != l && s->pending && s->id < l->id)
			return true;
	return false;
}

/* l's ID is durable: monitor it; report it once that settled. */
static void try_line(struct pbxtree *t, struct tree_line *l)
{
	if (!l->pending || !l->id_ok)
		return;
	tree_line_monitor(t, l);
	if (!tree_line_settled(t, l) || earlier_sibling_waits(l))
		return;   /* tree_announce_retry comes with the answer / the sibling */
	tree_announce_forget(t, l);
	tree_line_announce(t, l);
	/* later siblings may have been waiting for this one */
	for (struct tree_line *s = l->obj ? l->obj->lines : NULL; s; s = s->onext)
		if (s->pending && s->id_ok && s->id > l->id)
			try_line(t, s);
}

void tree_announce_line(struct pbxtree *t, struct tree_line *l)
{
	bool ok = l->id_seq == 0 || l->id_seq <= lineids_committed(t->ids);
	plat_mutex_lock(&t->lock);
	l->id_ok = ok;
	plat_mutex_unlock(&t->lock);
	pending_add(t, l);
	if (ok) {
		try_line(t, l);
	} else {
		tree_line_monitor(t, l);   /* meanwhile: the line is usable sooner */
		schedule_commit(t);
	}
}

void tree_announce_retry(struct pbxtree *t, struct tree_line *l)
{
	try_line(t, l);
}

void tree_announce_retry_all(struct pbxtree *t)
{
	/* snapshot: reporting a line unlinks it from the list */
	plat_mutex_lock(&t->lock);
	size_t n = t->n_unannounced, k = 0;
	struct tree_line **v = n ? malloc(n * sizeof(*v)) : NULL;
	for (struct tree_line *l = t->unannounced; v && l && k < n; l = l->pnext)
		if (l->id_ok)
			v[k++] = l;
	plat_mutex_unlock(&t->lock);
	for (size_t i = 0; i < k; i++)
		try_line(t, v[i]);   /* a line reported meanwhile is skipped (!pending) */
	free(v);
}

static int by_id(const void *a, const void *b)
{
	const struct tree_line *x = *(struct tree_line *const *)a, *y = *(struct tree_line *const *)b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Lines whose ID is committed now go on to their monitor (in ID order). */
static void ids_ready(struct pbxtree *t)
{
	uint64_t done = lineids_committed(t->ids);
	plat_mutex_lock(&t->lock);
	size_t n = 0;
	for (struct tree_line *l = t->unannounced; l; l = l->pnext)
		n += !l->id_ok && l->id_seq <= done;
	struct tree_line **v = n ? malloc(n * sizeof(*v)) : NULL;
	size_t k = 0;
	for (struct tree_line *l = t->unannounced; v && l; l = l->pnext) {
		if (!l->id_ok && l->id_seq <= done) {
			l->id_ok = true;
			v[k++] = l;
		}
	}
	plat_mutex_unlock(&t->lock);
	if (n && !v) {
		TRACE(t->tr, TRACE_WARN, "out of memory: %lu lines wait to be reported", (unsigned long)n);
		schedule_commit(t);
		return;
	}
	if (k > 1)
		qsort(v, k, sizeof(*v), by_id);
	for (size_t i = 0; i < k; i++)
		try_line(t, v[i]);
	free(v);
}

/* pbx_io thread: the commit finished. */
static void commit_done(struct pbxtree *t)
{
	plat_mutex_lock(&t->lock);
	t->commit_busy = false;
	bool again = t->commit_again;
	t->commit_again = false;
	plat_mutex_unlock(&t->lock);
	ids_ready(t);
	/* IDs that came during the write; after a failed write the next new
	 * line tries again (no retry loop against a broken disk) */
	plat_mutex_lock(&t->lock);
	bool failed = t->commit_err != TSP8_OK;
	plat_mutex_unlock(&t->lock);
	again = again || (!failed && lineids_pending(t->ids) > 0);
	if (again)
		schedule_commit(t);
	tree_check_enum(t);
}

static void commit_done_io(void *arg)
{
	struct pbxtree *t = arg;
	plat_mutex_lock(&t->lock);
	bool quiet = t->stopping;
	plat_mutex_unlock(&t->lock);
	if (!quiet)
		commit_done(t);
	tree_release(t);
}

/* Worker: the file write. */
static void commit_job(void *arg)
{
	struct pbxtree *t = arg;
	int err = lineids_commit(t->ids, NULL);
	plat_mutex_lock(&t->lock);
	t->commit_err = err;
	plat_mutex_unlock(&t->lock);
	if (pbx_io_run(t->io, commit_done_io, t) != TSP8_OK) {
		/* pbx_io is going away: nobody to report to */
		plat_mutex_lock(&t->lock);
		t->commit_busy = false;
		plat_mutex_unlock(&t->lock);
		tree_release(t);
	}
}

static void commit_cancel(void *arg)
{
	struct pbxtree *t = arg;
	plat_mutex_lock(&t->lock);
	t->commit_busy = false;
	plat_mutex_unlock(&t->lock);
	tree_release(t);
}

/* Timer (pbx_io thread): start a commit unless one is running. */
void tree_commit_tick(void *arg)
{
	struct pbxtree *t = arg;
	plat_mutex_lock(&t->lock);
	if (t->commit_busy) {
		t->commit_again = true;
		plat_mutex_unlock(&t->lock);
		return;
	}
	t->commit_busy = true;
	plat_mutex_unlock(&t->lock);
	if (t->commit_q && tree_hold(t)) {
		if (sched_post(t->commit_q, commit_job, commit_cancel, t) == TSP8_OK)
			return;
		tree_release(t);
	}
	/* no worker pool (or it refused): write here */
	int err = lineids_commit(t->ids, NULL);
	plat_mutex_lock(&t->lock);
	t->commit_err = err;
	plat_mutex_unlock(&t->lock);
	commit_done(t);
}

void tree_announce_flush(struct pbxtree *t)
{
	if (lineids_pending(t->ids))
		lineids_commit(t->ids, NULL);
}
