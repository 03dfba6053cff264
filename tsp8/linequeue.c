/* Line and PBX link queues on the scheduler (see linequeue.h). */
#include "tsp8/linequeue.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/error.h"
#include "base/sched.h"
#include "base/trace.h"
#include "tsp8/line.h"

struct pbxq {
	unsigned pbx_id;
	struct sched_queue *q;
	struct pbxq *next;
};

struct lq_item {
	struct provider *p;
	lq_fn *fn;
	lq_drop_fn *drop;
	void *arg;
};

static void item_run(void *arg)
{
	struct lq_item *it = arg;
	it->fn(it->p, it->arg);
	free(it);
}

static void item_cancel(void *arg)
{
	struct lq_item *it = arg;
	if (it->drop)
		it->drop(it->arg);
	free(it);
}

int lq_line_init(struct provider *p, struct line *l)
{
	if (!p->sched)
		return TSP8_ESTATE;
	char name[32];
	snprintf(name, sizeof(name), "line 0x%08x", l->perm_id);
	return sched_queue_create(p->sched, &l->q, name);
}

/* Posts to q (model lock held). */
static int post(struct provider *p, struct sched_queue *q, lq_fn *fn, lq_drop_fn *drop, void *arg)
{
	struct lq_item *it = q && !p->stopping ? malloc(sizeof(*it)) : NULL;
	int err = !q ? TSP8_ENOTFOUND : p->stopping ? TSP8_ESHUTDOWN : !it ? TSP8_ENOMEM : TSP8_OK;
	if (!err) {
		*it = (struct lq_item){ p, fn, drop, arg };
		err = sched_post(q, item_run, item_cancel, it);
	}
	if (err) {
		free(it);
		if (drop)
			drop(arg);
	}
	return err;
}

/* The queue of l, created on first use: most lines never have a call, and
 * 10,000 idle queues would only cost memory. */
static struct sched_queue *line_queue(struct provider *p, struct line *l)
{
	if (l && !l->q && !p->stopping && lq_line_init(p, l) != TSP8_OK) {
		TRACE(p->tr, TRACE_WARN, "line 0x%08x: no work queue: its events are dropped", l->perm_id);
		l->q = NULL;
	}
	return l ? l->q : NULL;
}

int lq_post_line_locked(struct provider *p, struct line *l, lq_fn *fn, lq_drop_fn *drop, void *arg)
{
	return post(p, line_queue(p, l), fn, drop, arg);
}

int lq_post_line(struct provider *p, uint32_t perm_id, lq_fn *fn, lq_drop_fn *drop, void *arg)
{
	plat_mutex_lock(&p->lock);
	/* removed lines keep their queue: their last items still run */
	struct line *l = line_by_perm_any(p, perm_id);
	int err = post(p, line_queue(p, l), fn, drop, arg);
	plat_mutex_unlock(&p->lock);
	return err;
}

int lq_post_pbx(struct provider *p, unsigned pbx_id, lq_fn *fn, lq_drop_fn *drop, void *arg)
{
	plat_mutex_lock(&p->lock);
	struct pbxq *x = p->pbxqs;
	while (x && x->pbx_id != pbx_id)
		x = x->next;
	if (!x && p->sched && !p->stopping) {
		x = calloc(1, sizeof(*x));
		char name[32];
		snprintf(name, sizeof(name), "pbx %u", pbx_id);
		if (x && sched_queue_create(p->sched, &x->q, name) == TSP8_OK) {
			x->pbx_id = pbx_id;
			x->next = p->pbxqs;
			p->pbxqs = x;
		} else {
			free(x);
			x = NULL;
		}
	}
	int err = post(p, x ? x->q : NULL, fn, drop, arg);
	plat_mutex_unlock(&p->lock);
	return err;
}

void lq_destroy_all(struct provider *p)
{
	/* Collected under the lock, destroyed without it: a running item takes
	 * the model lock and must be able to finish. */
	plat_mutex_lock(&p->lock);
	struct pbxq *xs = p->pbxqs;
	p->pbxqs = NULL;
	size_t n = 0;
	for (struct line *l = p->lines; l; l = l->next)
		n += l->q != NULL;
	struct sched_queue **qs = n ? calloc(n, sizeof(*qs)) : NULL;
	size_t k = 0;
	for (struct line *l = p->lines; l; l = l->next) {
		if (l->q && qs)
			qs[k++] = l->q;
		if (qs)
			l->q = NULL;
	}
	plat_mutex_unlock(&p->lock);
	if (n && !qs)
		TRACE(p->tr, TRACE_WARN, "out of memory at shutdown: line queues left to the scheduler");
	for (size_t i = 0; i < k; i++)
		sched_queue_destroy(qs[i]);
	free(qs);
	while (xs) {
		struct pbxq *x = xs;
		xs = x->next;
		sched_queue_destroy(x->q);
		free(x);
	}
}

void lq_epoch_end(struct provider *p, unsigned epoch)
{
	if (lq_epoch_ended(p, epoch))
		return;
	if (p->ndead == p->capdead) {
		size_t nc = p->capdead ? p->capdead * 2 : 32;
		unsigned *v = realloc(p->dead_epochs, nc * sizeof(*v));
		if (!v) {
			TRACE(p->tr, TRACE_WARN, "out of memory: ended session %u not remembered", epoch);
			return;
		}
		p->dead_epochs = v;
		p->capdead = nc;
	}
	p->dead_epochs[p->ndead++] = epoch;
}

bool lq_epoch_ended(const struct provider *p, unsigned epoch)
{
	/* newest first: stale events are almost always of a recent epoch */
	for (size_t i = p->ndead; i > 0; i--)
		if (p->dead_epochs[i - 1] == epoch)
			return true;
	return false;
}
