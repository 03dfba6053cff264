/* Call table and asynchronous request bookkeeping (see host.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "host.h"
#include "names.h"

struct call *calls_find(struct host *h, HTAPICALL ht)
{
	for (struct call *c = h->calls; c; c = c->next)
		if (c->ht == ht)
			return c;
	return NULL;
}

struct call *calls_add(struct host *h, HTAPICALL ht, HDRVCALL hd, DWORD device)
{
	struct call *c = calloc(1, sizeof *c);
	if (!c) {
		out_violation(h->out, "tapihost: out of memory for a call");
		return NULL;
	}
	c->ht = ht;
	c->hd = hd;
	c->device = device;
	c->next = h->calls;
	h->calls = c;
	return c;
}

static void unlink_call(struct host *h, struct call *c)
{
	for (struct call **pp = &h->calls; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			return;
		}
	}
}

void calls_close(struct host *h, struct call *c)
{
	HTAPICALL ht = c->ht;
	/* After providerShutdown (or unload) only the bookkeeping remains. */
	if (h->tspi && h->initialized && h->tspi->lineCloseCall) {
		LONG rc = h->tspi->lineCloseCall(c->hd);
		if (rc != 0) {
			const char *n = names_lineerr_of(rc);
			out_violation(h->out, "TSPI_lineCloseCall(call 0x%" PRIxPTR ") returned %s",
				      (uintptr_t)ht, n ? n : "an unknown code");
		}
	}
	c->closed = true;
	/* Events and completions the provider sent before lineCloseCall
	 * returned are queued ahead of this marker. */
	if (evq_push_check(h->q, ht, NULL) != TSP8_OK)
		out_violation(h->out, "tapihost: out of memory for a request check");
}

void calls_forget(struct host *h, HTAPICALL ht)
{
	struct call *c = calls_find(h, ht);
	if (c && c->closed) {
		unlink_call(h, c);
		free(c);
	}
}

void calls_free_all(struct host *h)
{
	while (h->calls) {
		struct call *c = h->calls;
		h->calls = c->next;
		free(c);
	}
}

void calls_close_device(struct host *h, DWORD device)
{
	for (struct call *c = h->calls; c; c = c->next)
		if (c->device == device && !c->closed)
			calls_close(h, c);
}

struct request *requests_begin(struct host *h, enum cmd_kind cmd, HTAPICALL call, DWORD device)
{
	struct request *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->id = h->next_request++;
	r->cmd = cmd;
	r->call = call;
	r->device = device;
	r->state = REQ_CALLING;
	r->next = h->reqs;
	h->reqs = r;
	return r;
}

static struct request *find_request(struct host *h, DRV_REQUESTID id)
{
	for (struct request *r = h->reqs; r; r = r->next)
		if (r->id == id)
			return r;
	return NULL;
}

void requests_returned(struct host *h, struct request *r, LONG ret)
{
	if (ret < 0) {
		r->state = REQ_SYNC_FAILED;
		return;
	}
	r->state = REQ_ACCEPTED;
	if ((DWORD)ret != r->id)
		out_violation(h->out, "TSPI %s returned %ld instead of its request ID %lu",
			      cmd_name(r->cmd), (long)ret, (unsigned long)r->id);
}

static void print_completion(struct host *h, const struct request *r, DRV_REQUESTID id,
			     LONG result)
{
	char hex[16];
	const char *name = names_lineerr_of(result);
	struct rec rec;
	rec_init(&rec, "COMPLETION", "completion");
	rec_int(&rec, "request", "request", id);
	snprintf(hex, sizeof hex, "0x%08lx", (unsigned long)(DWORD)result);
	rec_json_int(&rec, "result", result);
	rec_human_str(&rec, "result", result == 0 ? "0" : hex);
	rec_str(&rec, result == 0 ? NULL : "error", NULL, name ? name : "UNKNOWN");
	if (r)
		rec_str(&rec, "command", "command", cmd_name(r->cmd));
	out_rec(h->out, &rec);
}

void requests_completed(struct host *h, DRV_REQUESTID id, LONG result)
{
	struct request *r = find_request(h, id);
	print_completion(h, r, id, result);
	if (!r) {
		out_violation(h->out, "completion for unknown request %lu", (unsigned long)id);
		return;
	}
	r->completions++;
	if (r->completions > 1) {
		out_violation(h->out, "request %lu completed %u times", (unsigned long)id,
			      r->completions);
		return;
	}
	if (r->state == REQ_SYNC_FAILED)
		out_violation(h->out, "request %lu completed although %s failed synchronously",
			      (unsigned long)id, cmd_name(r->cmd));
	if (result > 0)
		out_violation(h->out, "request %lu completed with positive result %ld",
			      (unsigned long)id, (long)result);
	r->result = result;
	if (r->cmd != CMD_MAKECALL || r->state == REQ_SYNC_FAILED)
		return;
	struct call *c = calls_find(h, r->call);
	if (!c || c->closed)
		return;
	if (result == 0) {
		c->pending_make = false;
	} else {
		/* TAPI deallocates a call whose creating request failed
		 * asynchronously, which ends in TSPI_lineCloseCall. */
		calls_close(h, c);
	}
}

void requests_check_closed(struct host *h, HTAPICALL ht)
{
	for (struct request *r = h->reqs; r; r = r->next) {
		if (r->call == ht && r->state == REQ_ACCEPTED && r->completions == 0 &&
		    !r->overdue) {
			out_violation(h->out,
				      "request %lu (%s) still pending after TSPI_lineCloseCall returned",
				      (unsigned long)r->id, cmd_name(r->cmd));
			r->overdue = true;
		}
	}
}

void requests_finish(struct host *h)
{
	struct request *r = h->reqs;
	while (r) {
		struct request *next = r->next;
		if (r->state == REQ_ACCEPTED && r->completions == 0 && !r->overdue)
			out_violation(h->out, "request %lu (%s) never completed", (unsigned long)r->id,
				      cmd_name(r->cmd));
		free(r);
		r = next;
	}
	h->reqs = NULL;
}
