/* Min-heap of one-shot timers for the PBX I/O thread (private to pbx_io).
 *
 * Ordered by due time, then by submission order, so timers due at the same
 * millisecond fire in the order they were armed.  Not thread-safe: pbx_io
 * guards the heap with its lock.
 */
#ifndef TSP8_SOAP_IO_TIMERS_H
#define TSP8_SOAP_IO_TIMERS_H

#include <stddef.h>
#include <stdint.h>
#include "pbx_io.h"

struct io_timer {
	uint64_t id;
	uint64_t due;          /* plat_now_ms() deadline */
	uint64_t seq;          /* tie-breaker: submission order */
	size_t idx;            /* position in the heap array */
	pbx_io_fn *fn;
	void *arg;
};

struct io_timer_heap {
	struct io_timer **v;
	size_t n, cap;
	uint64_t seq;          /* next submission number */
};

/* Inserts t (owned by the heap afterwards).  TSP8_ENOMEM on failure (t is
 * then still the caller's). */
int io_heap_push(struct io_timer_heap *h, struct io_timer *t);
/* Earliest timer or NULL. */
struct io_timer *io_heap_top(const struct io_timer_heap *h);
/* Removes and returns the earliest timer if it is due at now, else NULL. */
struct io_timer *io_heap_pop_due(struct io_timer_heap *h, uint64_t now);
/* Removes the timer with this id and returns it (NULL if absent). */
struct io_timer *io_heap_remove_id(struct io_timer_heap *h, uint64_t id);
/* Frees every timer still in the heap (their callbacks never run) and the
 * array. */
void io_heap_clear(struct io_timer_heap *h);

#endif
