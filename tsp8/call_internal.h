/* Shared between call.c (PBX legs) and call_ops.c (TSPI requests); model
 * lock held for all of them. */
#ifndef TSP8_TSP8_CALL_INTERNAL_H
#define TSP8_TSP8_CALL_INTERNAL_H

#include "tsp8/model.h"

/* New call linked into l (fields zero but for reason/origin). */
struct call *call_new(struct line *l);
/* Frees c if nothing refers to it any more; true when it did. */
bool call_reap(struct provider *p, struct call *c);
/* One CallInfo for the line (as from pbxtree). */
void call_handle_leg(struct provider *p, uint32_t line_id, unsigned pbx_id, unsigned session_id,
		     const struct pbx_call *leg);
/* Ends c (IDLE) because its leg is gone without a final CallInfo. */
void call_end(struct provider *p, struct call *c);
void call_apply(struct provider *p, struct call *c, const struct pbx_call *leg, bool quiet);
void legbuf_free(struct legbuf *b);

#endif
