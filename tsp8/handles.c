/* Handle table (see handles.h). */
#include "tsp8/handles.h"

#include <stdbool.h>
#include <stdlib.h>

#include "base/error.h"

#define GEN_BITS 12u
#define GEN_MASK ((1u << GEN_BITS) - 1u)
#define TYPE_SHIFT 16u
#define GEN_SHIFT 20u

struct slot {
	void *obj;          /* NULL: free */
	uint16_t gen;       /* 1..GEN_MASK, bumped when freed */
	uint8_t type;
};

struct handles {
	struct slot *slots;
	size_t n, cap;      /* slots in use (ever), allocated */
	size_t live;
	size_t next_free;   /* search start for a free slot */
};

int handles_create(struct handles **out)
{
	if (!out)
		return TSP8_EINVAL;
	struct handles *h = calloc(1, sizeof(*h));
	if (!h)
		return TSP8_ENOMEM;
	*out = h;
	return TSP8_OK;
}

void handles_destroy(struct handles *h)
{
	if (!h)
		return;
	free(h->slots);
	free(h);
}

static uintptr_t encode(size_t idx, unsigned type, unsigned gen)
{
	return (uintptr_t)((uint32_t)(idx + 1) | ((uint32_t)type << TYPE_SHIFT) |
			   ((uint32_t)gen << GEN_SHIFT));
}

uintptr_t handles_add(struct handles *h, enum handle_type type, void *obj)
{
	if (!h || !obj)
		return 0;
	size_t idx = h->n;
	/* reuse a freed slot (its generation makes old handles stale) */
	for (size_t i = h->next_free; i < h->n; i++) {
		if (!h->slots[i].obj) {
			idx = i;
			break;
		}
	}
	if (idx == h->n) {
		if (h->n >= HANDLES_MAX)
			return 0;
		if (h->n == h->cap) {
			size_t ncap = h->cap ? h->cap * 2 : 64;
			if (ncap > HANDLES_MAX)
				ncap = HANDLES_MAX;
			struct slot *s = realloc(h->slots, ncap * sizeof(*s));
			if (!s)
				return 0;
			h->slots = s;
			h->cap = ncap;
		}
		h->slots[idx].gen = 1;
		h->n++;
	}
	h->slots[idx].obj = obj;
	h->slots[idx].type = (uint8_t)type;
	h->next_free = idx + 1;
	h->live++;
	return encode(idx, (unsigned)type, h->slots[idx].gen);
}

static bool decode(const struct handles *h, uintptr_t hv, enum handle_type type, size_t *idx)
{
	if (!h || hv == 0 || (hv >> 16 >> 16) != 0)
		return false;
	uint32_t v = (uint32_t)hv;
	uint32_t i = v & 0xffffu;
	if (i == 0 || i > h->n)
		return false;
	const struct slot *s = &h->slots[i - 1];
	if (!s->obj || s->type != (uint8_t)type || ((v >> TYPE_SHIFT) & 0xfu) != (uint32_t)type ||
	    (v >> GEN_SHIFT) != s->gen)
		return false;
	*idx = i - 1;
	return true;
}

void *handles_get(const struct handles *h, uintptr_t hv, enum handle_type type)
{
	size_t idx;
	return decode(h, hv, type, &idx) ? h->slots[idx].obj : NULL;
}

void handles_remove(struct handles *h, uintptr_t hv)
{
	size_t idx;
	for (int t = HANDLE_LINE; t <= HANDLE_CALL; t++) {
		if (decode(h, hv, (enum handle_type)t, &idx)) {
			struct slot *s = &h->slots[idx];
			s->obj = NULL;
			s->gen = (uint16_t)((s->gen % GEN_MASK) + 1);
			h->live--;
			if (idx < h->next_free)
				h->next_free = idx;
			return;
		}
	}
}

size_t handles_count(const struct handles *h)
{
	return h ? h->live : 0;
}
