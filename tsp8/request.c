/* Asynchronous request bookkeeping (see request.h). */
#include "tsp8/request.h"

#include <stdlib.h>

#include "base/error.h"
#include "base/trace.h"
#include "tsp8/dispatch.h"

struct request {
	DRV_REQUESTID id;
	uintptr_t line_hd, call_hd;
	const char *what;              /* static text for traces */
	struct disp_item *done;        /* preallocated completion */
	struct request *next;
};

struct requests {
	struct dispatch *d;
	struct trace *tr;
	struct request *head;
	size_t n;
};

int requests_create(struct requests **out, struct dispatch *d, struct trace *tr)
{
	if (!out)
		return TSP8_EINVAL;
	struct requests *rq = calloc(1, sizeof(*rq));
	if (!rq)
		return TSP8_ENOMEM;
	rq->d = d;
	rq->tr = tr;
	*out = rq;
	return TSP8_OK;
}

static void free_request(struct request *r)
{
	free(r->done);
	free(r);
}

void requests_destroy(struct requests *rq)
{
	if (!rq)
		return;
	while (rq->head) {
		struct request *r = rq->head;
		rq->head = r->next;
		TRACE(rq->tr, TRACE_REQ, "request %u (%s) dropped at shutdown", (unsigned)r->id, r->what);
		free_request(r);
	}
	free(rq);
}

static struct request **find(struct requests *rq, DRV_REQUESTID id)
{
	struct request **pp = &rq->head;
	while (*pp && (*pp)->id != id)
		pp = &(*pp)->next;
	return pp;
}

int requests_add(struct requests *rq, DRV_REQUESTID id, uintptr_t line_hd, uintptr_t call_hd,
		 const char *what)
{
	if (!rq)
		return TSP8_EINVAL;
	if (*find(rq, id)) {
		TRACE(rq->tr, TRACE_WARN, "request %u (%s) is already outstanding", (unsigned)id, what);
		return TSP8_EEXIST;
	}
	struct request *r = calloc(1, sizeof(*r));
	struct disp_item *it = dispatch_item_new();
	if (!r || !it) {
		free(r);
		free(it);
		return TSP8_ENOMEM;
	}
	it->kind = DISP_COMPLETION;
	it->req = id;
	r->id = id;
	r->line_hd = line_hd;
	r->call_hd = call_hd;
	r->what = what ? what : "?";
	r->done = it;
	r->next = rq->head;
	rq->head = r;
	rq->n++;
	TRACE(rq->tr, TRACE_REQ, "request %u (%s) created", (unsigned)id, r->what);
	return TSP8_OK;
}

/* Unlinks *pp and posts its completion. */
static void complete(struct requests *rq, struct request **pp, LONG result)
{
	struct request *r = *pp;
	*pp = r->next;
	rq->n--;
	TRACE(rq->tr, TRACE_REQ, "request %u (%s) completed with %#x", (unsigned)r->id, r->what,
	      (unsigned)result);
	r->done->result = result;
	dispatch_post(rq->d, r->done);
	r->done = NULL;
	free_request(r);
}

bool requests_complete(struct requests *rq, DRV_REQUESTID id, uintptr_t call_hd, LONG result)
{
	if (!rq)
		return false;
	struct request **pp = find(rq, id);
	if (!*pp || (call_hd && (*pp)->call_hd != call_hd))
		return false;
	complete(rq, pp, result > 0 ? (LONG)LINEERR_OPERATIONFAILED : result);
	return true;
}

bool requests_forget(struct requests *rq, DRV_REQUESTID id)
{
	if (!rq)
		return false;
	struct request **pp = find(rq, id);
	struct request *r = *pp;
	if (!r)
		return false;
	*pp = r->next;
	rq->n--;
	free_request(r);
	return true;
}

static size_t fail_matching(struct requests *rq, uintptr_t line_hd, uintptr_t call_hd)
{
	size_t n = 0;
	struct request **pp = &rq->head;
	while (*pp) {
		struct request *r = *pp;
		if ((line_hd && r->line_hd == line_hd) || (call_hd && r->call_hd == call_hd)) {
			complete(rq, pp, (LONG)LINEERR_OPERATIONFAILED);
			n++;
		} else {
			pp = &r->next;
		}
	}
	return n;
}

size_t requests_fail_line(struct requests *rq, uintptr_t line_hd)
{
	return (rq && line_hd) ? fail_matching(rq, line_hd, 0) : 0;
}

size_t requests_fail_call(struct requests *rq, uintptr_t call_hd)
{
	return (rq && call_hd) ? fail_matching(rq, 0, call_hd) : 0;
}

size_t requests_pending(const struct requests *rq)
{
	return rq ? rq->n : 0;
}
