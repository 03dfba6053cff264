/* Event queue and TSPI callbacks (see evq.h). */
#include "evq.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/platform.h"

struct evq {
	plat_mutex lock;       /* guards head, tail */
	plat_cond nonempty;    /* signalled when an event is added */
	struct ev *head, *tail;
	atomic_int active;     /* callbacks currently running (must stay <= 1) */
	atomic_uintptr_t opening;   /* htLine inside TSPI_lineOpen, 0 if none */
	atomic_bool dead;      /* providerShutdown has returned */
	atomic_uint lost;      /* events dropped for lack of memory */
	atomic_uint refuse;    /* LINE_NEWCALLs still to be refused */
	atomic_uint_fast64_t htcall_seq;
};

/* The one piece of process-wide mutable state in tapihost: TSPI callbacks
 * have no context argument, so they reach the active queue through this
 * pointer.  Set by evq_install before the provider is called, cleared by
 * evq_uninstall after it has been unloaded. */
static _Atomic(struct evq *) g_queue;

int evq_create(struct evq **out)
{
	if (!out)
		return TSP8_EINVAL;
	struct evq *q = calloc(1, sizeof *q);
	if (!q)
		return TSP8_ENOMEM;
	int rc = plat_mutex_init(&q->lock);
	if (rc != TSP8_OK) {
		free(q);
		return rc;
	}
	rc = plat_cond_init(&q->nonempty);
	if (rc != TSP8_OK) {
		plat_mutex_destroy(&q->lock);
		free(q);
		return rc;
	}
	atomic_init(&q->active, 0);
	atomic_init(&q->opening, 0);
	atomic_init(&q->dead, false);
	atomic_init(&q->lost, 0);
	atomic_init(&q->refuse, 0);
	atomic_init(&q->htcall_seq, 0);
	*out = q;
	return TSP8_OK;
}

void evq_destroy(struct evq *q)
{
	if (!q)
		return;
	struct ev *e = q->head;
	while (e) {
		struct ev *next = e->next;
		free(e);
		e = next;
	}
	plat_cond_destroy(&q->nonempty);
	plat_mutex_destroy(&q->lock);
	free(q);
}

void evq_push(struct evq *q, struct ev *e)
{
	e->next = NULL;
	plat_mutex_lock(&q->lock);
	if (q->tail)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
	plat_cond_signal(&q->nonempty);
	plat_mutex_unlock(&q->lock);
}

static struct ev *ev_new(enum ev_kind kind)
{
	struct ev *e = calloc(1, sizeof *e);
	if (e)
		e->kind = kind;
	return e;
}

int evq_push_command(struct evq *q, const struct cmd *c)
{
	struct ev *e = ev_new(EV_COMMAND);
	if (!e)
		return TSP8_ENOMEM;
	e->cmd = *c;
	evq_push(q, e);
	return TSP8_OK;
}

int evq_push_stop(struct evq *q)
{
	struct ev *e = ev_new(EV_STOP);
	if (!e)
		return TSP8_ENOMEM;
	evq_push(q, e);
	return TSP8_OK;
}

int evq_push_check(struct evq *q, HTAPICALL htCall, HTAPILINE htLine)
{
	struct ev *e = ev_new(EV_CHECK);
	if (!e)
		return TSP8_ENOMEM;
	e->htCall = htCall;
	e->htLine = htLine;
	evq_push(q, e);
	return TSP8_OK;
}

struct ev *evq_pop(struct evq *q, uint32_t wait_ms)
{
	plat_mutex_lock(&q->lock);
	if (!q->head && wait_ms > 0)
		plat_cond_timedwait(&q->nonempty, &q->lock, wait_ms);
	struct ev *e = q->head;
	if (e) {
		q->head = e->next;
		if (!q->head)
			q->tail = NULL;
		e->next = NULL;
	}
	plat_mutex_unlock(&q->lock);
	return e;
}

HTAPICALL evq_new_htcall(struct evq *q)
{
	uint64_t n = atomic_fetch_add(&q->htcall_seq, 1) + 1;
	uintptr_t v = (uintptr_t)(0x00010300u + (n & 0xFFFFFu) * 4u);
#if UINTPTR_MAX > 0xFFFFFFFFu
	/* Like tapisrv's handle values but with the high half in use, so a
	 * provider that keeps htCall in a DWORD is caught. */
	v |= (uintptr_t)0xDEAD000000000000u;
#endif
	return (HTAPICALL)v;
}

void evq_install(struct evq *q)
{
	atomic_store(&g_queue, q);
}

void evq_uninstall(void)
{
	atomic_store(&g_queue, NULL);
}

void evq_set_opening(struct evq *q, HTAPILINE ht)
{
	atomic_store(&q->opening, (uintptr_t)ht);
}

void evq_set_refuse_newcalls(struct evq *q, unsigned n)
{
	atomic_store(&q->refuse, n);
}

/* Takes one refusal if any are left. */
static bool take_refusal(struct evq *q)
{
	unsigned n = atomic_load(&q->refuse);
	while (n > 0) {
		if (atomic_compare_exchange_weak(&q->refuse, &n, n - 1))
			return true;
	}
	return false;
}

void evq_set_dead(struct evq *q, bool dead)
{
	atomic_store(&q->dead, dead);
}

unsigned evq_lost(struct evq *q)
{
	return atomic_load(&q->lost);
}

/* Queues a violation noticed inside a callback. */
static void push_violation(struct evq *q, const char *what, DWORD msg)
{
	struct ev *v = ev_new(EV_VIOLATION);
	if (!v) {
		atomic_fetch_add(&q->lost, 1);
		return;
	}
	snprintf(v->what, sizeof v->what, "%s (message %lu)", what, (unsigned long)msg);
	evq_push(q, v);
}

/* Common entry of every callback: finds the queue and checks that callbacks
 * are serialized (tspi.md §4.1 rule 3). */
static struct evq *enter(DWORD msg)
{
	struct evq *q = atomic_load(&g_queue);
	if (!q) {
		fprintf(stderr, "tapihost: provider callback (message %lu) after unload\n",
			(unsigned long)msg);
		return NULL;
	}
	if (atomic_fetch_add(&q->active, 1) != 0)
		push_violation(q, "callback entered while another callback was still running", msg);
	if (atomic_load(&q->dead))
		push_violation(q, "callback after TSPI_providerShutdown returned", msg);
	return q;
}

static void leave(struct evq *q)
{
	atomic_fetch_sub(&q->active, 1);
}

static void line_common(enum ev_kind kind, HTAPILINE htLine, HTAPICALL htCall, DWORD msg,
			DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3)
{
	struct evq *q = enter(msg);
	if (!q)
		return;
	struct ev *e = ev_new(kind);
	if (msg == (DWORD)LINE_NEWCALL) {
		/* TAPI writes its htCall through p2 before returning. */
		if (htLine && (uintptr_t)htLine == atomic_load(&q->opening))
			push_violation(q, "LINE_NEWCALL sent inside TSPI_lineOpen", msg);
		if (p2 == 0) {
			push_violation(q, "LINE_NEWCALL with NULL LPHTAPICALL in dwParam2", msg);
		} else {
			HTAPICALL ht = (e && !take_refusal(q)) ? evq_new_htcall(q) : NULL;
			memcpy((void *)p2, &ht, sizeof ht);
			if (e)
				e->new_htcall = ht;
		}
	}
	if (!e) {
		atomic_fetch_add(&q->lost, 1);
		leave(q);
		return;
	}
	e->htLine = htLine;
	e->htCall = htCall;
	e->msg = msg;
	e->p1 = p1;
	e->p2 = p2;
	e->p3 = p3;
	evq_push(q, e);
	leave(q);
}

void CALLBACK evq_line_event(HTAPILINE htLine, HTAPICALL htCall, DWORD dwMsg,
			     DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3)
{
	line_common(EV_LINE, htLine, htCall, dwMsg, p1, p2, p3);
}

void CALLBACK evq_line_create(HTAPILINE htLine, HTAPICALL htCall, DWORD dwMsg,
			      DWORD_PTR p1, DWORD_PTR p2, DWORD_PTR p3)
{
	line_common(EV_CREATE, htLine, htCall, dwMsg, p1, p2, p3);
}

void CALLBACK evq_phone_create(HTAPIPHONE htPhone, DWORD dwMsg, DWORD_PTR p1, DWORD_PTR p2,
			       DWORD_PTR p3)
{
	(void)htPhone;
	struct evq *q = enter(dwMsg);
	if (!q)
		return;
	struct ev *e = ev_new(EV_PHONE);
	if (e) {
		e->msg = dwMsg;
		e->p1 = p1;
		e->p2 = p2;
		e->p3 = p3;
		evq_push(q, e);
	} else {
		atomic_fetch_add(&q->lost, 1);
	}
	leave(q);
}

void CALLBACK evq_completion(DRV_REQUESTID dwRequestID, LONG lResult)
{
	struct evq *q = enter(LINE_REPLY);
	if (!q)
		return;
	struct ev *e = ev_new(EV_COMPLETION);
	if (e) {
		e->request = dwRequestID;
		e->result = lResult;
		evq_push(q, e);
	} else {
		atomic_fetch_add(&q->lost, 1);
	}
	leave(q);
}
