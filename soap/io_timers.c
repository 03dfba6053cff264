/* Timer min-heap of the PBX I/O thread: see io_timers.h. */
#include "io_timers.h"

#include <stdlib.h>
#include "base/error.h"

static int earlier(const struct io_timer *a, const struct io_timer *b)
{
	if (a->due != b->due)
		return a->due < b->due;
	return a->seq < b->seq;
}

static void place(struct io_timer_heap *h, size_t i, struct io_timer *t)
{
	h->v[i] = t;
	t->idx = i;
}

static void sift_up(struct io_timer_heap *h, size_t i)
{
	struct io_timer *t = h->v[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!earlier(t, h->v[parent]))
			break;
		place(h, i, h->v[parent]);
		i = parent;
	}
	place(h, i, t);
}

static void sift_down(struct io_timer_heap *h, size_t i)
{
	struct io_timer *t = h->v[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && earlier(h->v[c + 1], h->v[c]))
			c++;
		if (!earlier(h->v[c], t))
			break;
		place(h, i, h->v[c]);
		i = c;
	}
	place(h, i, t);
}

int io_heap_push(struct io_timer_heap *h, struct io_timer *t)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct io_timer **v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return TSP8_ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	t->seq = h->seq++;
	h->v[h->n] = t;
	t->idx = h->n;
	h->n++;
	sift_up(h, t->idx);
	return TSP8_OK;
}

struct io_timer *io_heap_top(const struct io_timer_heap *h)
{
	return h->n ? h->v[0] : NULL;
}

/* Removes the element at index i and restores the heap order. */
static struct io_timer *remove_at(struct io_timer_heap *h, size_t i)
{
	struct io_timer *t = h->v[i];
	h->n--;
	if (i != h->n) {
		struct io_timer *moved = h->v[h->n];
		place(h, i, moved);
		/* The moved element may belong above or below its new slot. */
		sift_up(h, i);
		sift_down(h, moved->idx);
	}
	return t;
}

struct io_timer *io_heap_pop_due(struct io_timer_heap *h, uint64_t now)
{
	if (!h->n || h->v[0]->due > now)
		return NULL;
	return remove_at(h, 0);
}

struct io_timer *io_heap_remove_id(struct io_timer_heap *h, uint64_t id)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i]->id == id)
			return remove_at(h, i);
	return NULL;
}

void io_heap_clear(struct io_timer_heap *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->v[i]);
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
