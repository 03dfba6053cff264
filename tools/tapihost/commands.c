/* Execution of stdin commands on the processing thread (see cmd.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "names.h"
#include "utf16.h"

void host_reply_error(struct host *h, const char *command, const char *reason)
{
	struct rec r;
	rec_init(&r, "error", "reply");
	rec_json_str(&r, "command", command);
	rec_json_bool(&r, "ok", false);
	/* Human: "error <reason> command=<name>"; the reason is free text. */
	rec_text(&r, "error", reason);
	if (command[0])
		rec_human_str(&r, "command", command);
	out_rec(h->out, &r);
}

static void reply_lineerr(struct host *h, const char *command, LONG rc)
{
	char buf[32];
	const char *n = names_lineerr_of(rc);
	if (!n) {
		snprintf(buf, sizeof buf, "0x%08lx", (unsigned long)(DWORD)rc);
		n = buf;
	}
	host_reply_error(h, command, n);
}

/* "ok <command> request=N [call=0x..] [count=N]". */
static void reply_ok(struct host *h, const char *command, const struct request *rq,
		     HTAPICALL call, long count)
{
	char hex[24];
	struct rec r;
	rec_init(&r, "ok", "reply");
	rec_str(&r, "command", NULL, command);
	rec_json_bool(&r, "ok", true);
	if (rq)
		rec_int(&r, "request", "request", rq->id);
	if (call) {
		snprintf(hex, sizeof hex, "0x%" PRIxPTR, (uintptr_t)call);
		rec_str(&r, "call", "call", hex);
	}
	if (count >= 0)
		rec_int(&r, "count", "count", count);
	out_rec(h->out, &r);
}

/* Validates the target line of a command; replies on error. */
static struct line *command_line(struct host *h, const char *name, DWORD device)
{
	struct line *l = host_line_by_device(h, device);
	if (!l || l->gone) {
		host_reply_error(h, name, "LINEERR_BADDEVICEID");
		return NULL;
	}
	if (!l->open) {
		host_reply_error(h, name, "LINEERR_INVALLINEHANDLE");
		return NULL;
	}
	return l;
}

static void do_makecall(struct host *h, const struct cmd *c)
{
	const char *name = "makecall";
	WCHAR number[CMD_TEXT_MAX];
	struct line *l = command_line(h, name, c->device);
	if (!l)
		return;
	if (!h->tspi->lineMakeCall) {
		host_reply_error(h, name, "LINEERR_OPERATIONUNAVAIL");
		return;
	}
	if (utf8_to_utf16(c->text, number, CMD_TEXT_MAX) == (size_t)-1) {
		host_reply_error(h, name, "syntax: number too long");
		return;
	}
	HTAPICALL ht = evq_new_htcall(h->q);
	struct call *call = calls_add(h, ht, NULL, l->device);
	struct request *rq = call ? requests_begin(h, CMD_MAKECALL, ht, l->device) : NULL;
	if (!rq) {
		if (call) {
			call->closed = true;
			calls_forget(h, ht);
		}
		host_reply_error(h, name, "LINEERR_NOMEM");
		return;
	}
	call->pending_make = true;
	call->make_request = rq->id;
	HDRVCALL hd = NULL;
	LONG rc = h->tspi->lineMakeCall(rq->id, l->hd, ht, &hd, number, 0, NULL);
	requests_returned(h, rq, rc);
	if (rc < 0) {
		/* Synchronous failure: the call never existed, no lineCloseCall. */
		call->closed = true;
		calls_forget(h, ht);
		reply_lineerr(h, name, rc);
		return;
	}
	if (!hd)
		out_violation(h->out, "TSPI_lineMakeCall did not write *lphdCall before returning");
	call->hd = hd;
	reply_ok(h, name, rq, ht, -1);
}

static void do_call_request(struct host *h, const struct cmd *c)
{
	const char *name = cmd_name(c->kind);
	struct call *call = calls_find(h, (HTAPICALL)(uintptr_t)c->call);
	if (!call || call->closed) {
		host_reply_error(h, name, "LINEERR_INVALCALLHANDLE");
		return;
	}
	struct tspi *t = h->tspi;
	bool have = (c->kind == CMD_ANSWER && t->lineAnswer) || (c->kind == CMD_DROP && t->lineDrop) ||
		    (c->kind == CMD_HOLD && t->lineHold) || (c->kind == CMD_UNHOLD && t->lineUnhold) ||
		    (c->kind == CMD_DIAL && t->lineDial);
	if (!have) {
		host_reply_error(h, name, "LINEERR_OPERATIONUNAVAIL");
		return;
	}
	WCHAR digits[CMD_TEXT_MAX];
	if (c->kind == CMD_DIAL && utf8_to_utf16(c->text, digits, CMD_TEXT_MAX) == (size_t)-1) {
		host_reply_error(h, name, "syntax: digits too long");
		return;
	}
	struct request *rq = requests_begin(h, c->kind, call->ht, call->device);
	if (!rq) {
		host_reply_error(h, name, "LINEERR_NOMEM");
		return;
	}
	LONG rc;
	switch (c->kind) {
	case CMD_ANSWER:
		rc = t->lineAnswer(rq->id, call->hd, NULL, 0);
		break;
	case CMD_DROP:
		rc = t->lineDrop(rq->id, call->hd, NULL, 0);
		break;
	case CMD_HOLD:
		rc = t->lineHold(rq->id, call->hd);
		break;
	case CMD_UNHOLD:
		rc = t->lineUnhold(rq->id, call->hd);
		break;
	default:
		rc = t->lineDial(rq->id, call->hd, digits, 0);
		break;
	}
	requests_returned(h, rq, rc);
	if (rc < 0)
		reply_lineerr(h, name, rc);
	else
		reply_ok(h, name, rq, call->ht, -1);
}

static void do_lines(struct host *h)
{
	long n = 0;
	for (size_t i = 0; i < h->nlines; i++) {
		if (h->lines[i].gone)
			continue;
		host_print_line(h, &h->lines[i], "LINE");
		n++;
	}
	reply_ok(h, "lines", NULL, NULL, n);
}

static void do_calls(struct host *h)
{
	long n = 0;
	char hex[24];
	for (struct call *c = h->calls; c; c = c->next) {
		if (c->closed)
			continue;
		const char *st = c->state ? names_lookup(names_callstate, c->state) : "NONE";
		struct rec r;
		rec_init(&r, "CALL", "call");
		snprintf(hex, sizeof hex, "0x%" PRIxPTR, (uintptr_t)c->ht);
		rec_str(&r, "call", "call", hex);
		rec_int(&r, "device", "line", c->device);
		rec_str(&r, "state", "state", st ? st : "INVALID");
		rec_json_bool(&r, "pending", c->pending_make);
		out_rec(h->out, &r);
		n++;
	}
	reply_ok(h, "calls", NULL, NULL, n);
}

void commands_run(struct host *h, const struct cmd *c)
{
	const char *name = cmd_name(c->kind);
	if (c->kind == CMD_QUIT) {
		reply_ok(h, name, NULL, NULL, -1);
		host_request_quit(h);
		return;
	}
	if (c->kind == CMD_LINES) {
		do_lines(h);
		return;
	}
	if (c->kind == CMD_CALLS) {
		do_calls(h);
		return;
	}
	if (!h->tspi || !h->initialized || h->stopping) {
		host_reply_error(h, name, "shutting down");
		return;
	}
	if (c->kind == CMD_MAKECALL)
		do_makecall(h, c);
	else
		do_call_request(h, c);
}
