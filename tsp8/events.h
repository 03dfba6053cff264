/* Queuing TAPI events for the dispatcher and resolving them at delivery
 * (the dispatcher's callbacks).  The ev_* posting functions are called with
 * the model lock held; they never block. */
#ifndef TSP8_TSP8_EVENTS_H
#define TSP8_TSP8_EVENTS_H

#include "tsp8/dispatch.h"
#include "tsp8/model.h"

/* A LINEEVENT for an open line (dropped when the line is not open). */
void ev_line(struct provider *p, struct line *l, DWORD msg, DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3);
/* A LINEEVENT for a call TAPI knows (or is being told about). */
void ev_call(struct provider *p, struct call *c, DWORD msg, DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3);
/* LINE_NEWCALL for c (c->hd must be set); c becomes visible when TAPI
 * accepts it. */
void ev_newcall(struct provider *p, struct call *c);
/* LINE_CREATE / LINE_REMOVE through lineCreateProc. */
void ev_create_proc(struct provider *p, DWORD msg, DWORD_PTR p1, DWORD_PTR p2);

/* dispatch_ops */
bool ev_resolve(void *arg, const struct disp_item *it, struct disp_target *t);
void ev_after_newcall(void *arg, const struct disp_item *it);

#endif
