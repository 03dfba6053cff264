/* Event dispatcher: the ONLY thread that calls TAPI (LINEEVENT and
 * ASYNC_COMPLETION).
 *
 * Items are queued in order by any thread and delivered one at a time in
 * that order.  Before a callout the dispatcher asks its owner to resolve the
 * item (under the owner's lock): the owner says whether it may still be
 * delivered (the line or call may have been closed meanwhile) and supplies
 * TAPI's handles and the callback.  The callout itself happens with no lock
 * held.  dispatch_sync lets lineClose/lineCloseCall wait until a callout
 * concerning that line/call that is already running has returned, so that
 * nothing for it reaches TAPI after they return.
 */
#ifndef TSP8_TSP8_DISPATCH_H
#define TSP8_TSP8_DISPATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "tsp8/tapi_abi.h"

struct trace;
struct dispatch;

enum disp_kind {
	DISP_EVENT,        /* LINEEVENT through a line's event proc */
	DISP_CREATE_PROC,  /* LINEEVENT through lineCreateProc (LINE_CREATE/REMOVE) */
	DISP_COMPLETION    /* ASYNC_COMPLETION */
};

struct disp_item {
	enum disp_kind kind;
	uintptr_t line_hd;        /* our hdLine the event is for (0: none) */
	uintptr_t call_hd;        /* our hdCall (0: none) */
	DWORD msg;
	DWORD_PTR p1, p2, p3;
	DRV_REQUESTID req;        /* DISP_COMPLETION */
	LONG result;
	uint64_t due_ms;          /* not before this plat_now_ms() (0: now) */
	struct disp_item *next;   /* queue link (dispatcher's) */
};

/* What resolve supplies for the callout. */
struct disp_target {
	LINEEVENT proc;
	HTAPILINE ht_line;
	HTAPICALL ht_call;
	DWORD_PTR p1, p2, p3;     /* preset from the item; resolve may change them */
	ASYNC_COMPLETION completion;
};

struct dispatch_ops {
	/* Called on the dispatcher thread without dispatcher locks; takes the
	 * owner's lock itself.  false: drop the item. */
	bool (*resolve)(void *arg, const struct disp_item *it, struct disp_target *t);
	/* Optional: called after a delivered LINE_NEWCALL (TAPI has written
	 * its htCall, or NULL, through p2). */
	void (*after_newcall)(void *arg, const struct disp_item *it);
};

/* pin_mask != 0: the thread runs only on those processors (ProcessorMask). */
int  dispatch_create(struct dispatch **out, const struct dispatch_ops *ops, void *arg,
		     struct trace *tr, uint64_t pin_mask);
/* Stops the thread (a running callout is waited for), drops what is still
 * queued, frees. */
void dispatch_destroy(struct dispatch *d);
/* Zeroed item for dispatch_post; NULL when out of memory. */
struct disp_item *dispatch_item_new(void);
/* Queues it (ownership passes; after destroy began the item is freed). */
void dispatch_post(struct dispatch *d, struct disp_item *it);
/* Waits while a callout for line_hd or call_hd (0 = any of neither) is
 * running.  No wait when called on the dispatcher thread itself (a callback
 * calling back into the provider). */
void dispatch_sync(struct dispatch *d, uintptr_t line_hd, uintptr_t call_hd);
/* Waits (bounded) until the queue is empty and nothing is being delivered;
 * true if it is. */
bool dispatch_flush(struct dispatch *d, uint32_t timeout_ms);
/* Whether a request completion is queued or being delivered.  lineClose
 * and lineCloseCall flush then: a request the PBX answered just before the
 * close is completed already but not yet delivered, and it must reach TAPI
 * before the close returns. */
bool dispatch_completion_pending(struct dispatch *d);
/* How long lineClose/lineCloseCall wait for the completions they queued. */
#define DISPATCH_CLOSE_FLUSH_MS 5000u
bool dispatch_on_thread(struct dispatch *d);

#endif
