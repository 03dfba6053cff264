/* tapihost's event queue and the callbacks it hands to the provider.
 *
 * The LINEEVENT, line-create, phone-create and ASYNC_COMPLETION callbacks do
 * nothing but record the event in this queue (plus the two things TAPI must do
 * synchronously: write the htCall of LINE_NEWCALL, and notice callback
 * discipline errors).  One tapihost thread consumes the queue, so everything
 * tapihost does in response happens outside the provider's callback, the
 * way tapisrv hands events to applications.
 */
#ifndef TAPIHOST_EVQ_H
#define TAPIHOST_EVQ_H

#include <stdbool.h>
#include <stdint.h>

#include "cmd.h"
#include "tsp8/tapi_abi.h"

enum ev_kind {
	EV_LINE,        /* through the LINEEVENT given to lineOpen */
	EV_CREATE,      /* through the line-create proc of providerEnumDevices */
	EV_PHONE,       /* through the phone-create proc */
	EV_COMPLETION,  /* ASYNC_COMPLETION */
	EV_VIOLATION,   /* a discipline error noticed inside a callback */
	EV_COMMAND,     /* a parsed stdin command */
	EV_CHECK,       /* marker after lineCloseCall (htCall) or lineClose (htLine) */
	EV_STOP,        /* tells the processing thread to end */
};

#define EV_WHAT_MAX 200

struct ev {
	struct ev *next;
	enum ev_kind kind;
	HTAPILINE htLine;
	HTAPICALL htCall;
	DWORD msg;
	DWORD_PTR p1, p2, p3;
	HTAPICALL new_htcall;   /* LINE_NEWCALL: what we wrote through p2 */
	DRV_REQUESTID request;  /* EV_COMPLETION */
	LONG result;
	struct cmd cmd;         /* EV_COMMAND */
	char what[EV_WHAT_MAX]; /* EV_VIOLATION */
};

struct evq;

int evq_create(struct evq **out);
/* Frees the queue and every event still in it. */
void evq_destroy(struct evq *q);

/* Adds e at the tail (ownership moves to the queue). */
void evq_push(struct evq *q, struct ev *e);
/* Allocates and queues a command / stop / violation event.  TSP8_OK or
 * TSP8_ENOMEM. */
int evq_push_command(struct evq *q, const struct cmd *c);
int evq_push_stop(struct evq *q);
int evq_push_check(struct evq *q, HTAPICALL htCall, HTAPILINE htLine);
/* Removes the head, waiting up to wait_ms for one; NULL if none came. */
struct ev *evq_pop(struct evq *q, uint32_t wait_ms);

/* A fresh fake htCall: pointer sized, high bits set on 64-bit targets. */
HTAPICALL evq_new_htcall(struct evq *q);

/* The callbacks find the queue through one process-wide pointer because
 * TSPI callbacks carry no context argument.  Install before the first TSPI
 * call, uninstall after the provider has been unloaded. */
void evq_install(struct evq *q);
void evq_uninstall(void);

/* While set, LINE_NEWCALL for this htLine is a violation (the TSP must not
 * report calls from inside lineOpen: tapisrv has not registered htLine yet). */
void evq_set_opening(struct evq *q, HTAPILINE ht);
/* The next n LINE_NEWCALLs get NULL written as htCall, as tapisrv does
 * when it cannot accept a call; the TSP must then forget those calls. */
void evq_set_refuse_newcalls(struct evq *q, unsigned n);
/* After providerShutdown returned, every callback is a violation. */
void evq_set_dead(struct evq *q, bool dead);
/* Events lost because no memory was left (reported at the end). */
unsigned evq_lost(struct evq *q);

/* The callbacks to pass to the provider. */
void CALLBACK evq_line_event(HTAPILINE htLine, HTAPICALL htCall, DWORD dwMsg,
			     DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3);
void CALLBACK evq_line_create(HTAPILINE htLine, HTAPICALL htCall, DWORD dwMsg,
			      DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3);
void CALLBACK evq_phone_create(HTAPIPHONE htPhone, DWORD dwMsg, DWORD_PTR p1, DWORD_PTR p2,
			       DWORD_PTR p3);
void CALLBACK evq_completion(DRV_REQUESTID dwRequestID, LONG lResult);

#endif
