/* Calls: PBX call legs as TAPI calls, and the call-control requests.
 *
 * A leg of a line's object becomes a TAPI call on that line: the first
 * CallInfo of an unknown (session, call handle) creates the call (LINE_NEWCALL
 * then LINE_CALLSTATE when the line is open); later CallInfos give
 * LINE_CALLINFO (changed fields) and LINE_CALLSTATE (changed state or mode);
 * a leg that ends makes the call IDLE.  Calls made with lineMakeCall are
 * bound to their leg by the handle UserCall returns; legs that arrive before
 * that answer on a line with a pending lineMakeCall are buffered until then.
 *
 * lineDrop: UserClear with cause 16 (normal clearing); for an OFFERING call
 * cause 21 (call rejected), i.e. dropping an offered call rejects it.
 */
#ifndef TSP8_TSP8_CALL_H
#define TSP8_TSP8_CALL_H

#include "pbxtree/pbxtree.h"
#include "tsp8/model.h"

#define CALL_CAUSE_NORMAL 16
#define CALL_CAUSE_REJECT 21

/* pbxtree handler parts (pbx_io thread): the event is copied and handled
 * on the line's queue; a reset marks the epoch ended at once and ends its
 * calls on the PBX link's queue. */
void call_on_event(struct provider *p, const struct pbxtree_call_event *ev);
void call_on_reset(struct provider *p, unsigned pbx_id, unsigned session_id);

/* Model lock held. */
/* lineOpen: announces the calls that exist already. */
void call_report_existing(struct provider *p, struct line *l);
/* lineClose: TAPI forgets the calls of l (their requests fail, their
 * handles go).  They are kept until call_after_detach, which the caller
 * runs after dispatch_sync; it frees those that are over. */
void call_detach_line(struct provider *p, struct line *l);
void call_after_detach(struct provider *p, struct line *l);
/* The line left the scope: its calls end (IDLE). */
void call_line_gone(struct provider *p, struct line *l);
/* The line is served by PBX link pbx_id now: calls of other links end
 * (virtual calls stay). */
void call_end_not_on(struct provider *p, struct line *l, unsigned pbx_id);
/* The call of hdCall (NULL for garbage/stale handles). */
struct call *call_by_handle(struct provider *p, HDRVCALL hd);

/* TSPI requests (take the model lock themselves). dest is UTF-8 already
 * cleaned (dialstr.h). */
LONG call_make(struct provider *p, DRV_REQUESTID req, HDRVLINE hd_line, HTAPICALL ht,
	       LPHDRVCALL lphd, const char *dest);
LONG call_drop(struct provider *p, DRV_REQUESTID req, HDRVCALL hd);
LONG call_answer(struct provider *p, DRV_REQUESTID req, HDRVCALL hd);
/* lineCloseCall: never fails. */
void call_close(struct provider *p, HDRVCALL hd);

void call_free(struct call *c);

/* Stable 32-bit call ID from the conference GUID (FNV-1a); never 0. */
DWORD call_id_from_conf(const char *conf);

#endif
