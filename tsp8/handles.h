/* Handle table: the hdLine/hdCall values handed to TAPI.
 *
 * A handle is never a pointer: it encodes a slot index, the object type and
 * the slot's generation, so garbage values and stale handles (object gone,
 * slot reused) are rejected instead of dereferenced.  0 is never a handle.
 * Values fit into 32 bits (slot index 16 bits, type 4, generation 12).
 *
 * No lock of its own: the provider's model lock guards it.
 */
#ifndef TSP8_TSP8_HANDLES_H
#define TSP8_TSP8_HANDLES_H

#include <stddef.h>
#include <stdint.h>

enum handle_type { HANDLE_LINE = 1, HANDLE_CALL = 2 };

#define HANDLES_MAX 65535u

struct handles;

int  handles_create(struct handles **out);
void handles_destroy(struct handles *h);
/* New handle for obj; 0 when out of memory or HANDLES_MAX live handles. */
uintptr_t handles_add(struct handles *h, enum handle_type type, void *obj);
/* The object of hv if hv is a live handle of that type, else NULL. */
void *handles_get(const struct handles *h, uintptr_t hv, enum handle_type type);
/* Invalidates hv (no-op for an invalid one). */
void handles_remove(struct handles *h, uintptr_t hv);
size_t handles_count(const struct handles *h);

#endif
