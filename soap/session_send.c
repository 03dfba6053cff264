/* Sending one SOAP request of a session through pbx_io and routing the
 * answer back to its handler on the I/O thread, with the slow-call
 * warning and round-trip statistics.
 */
#include "session_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/error.h"
#include "base/trace.h"

static void req_unlink(struct pbx_session *s, struct sreq *q)
{
	if (q->prev)
		q->prev->next = q->next;
	else
		s->reqs = q->next;
	if (q->next)
		q->next->prev = q->prev;
	q->prev = q->next = NULL;
}

static void note_timing(struct pbx_session *s, const struct sreq *q,
			const struct pbx_http_resp *resp)
{
	if (resp->err == TSP8_ECANCELED || q->op == PBX_OP_POLL)
		return;
	bool slow = resp->elapsed_ms > s->slow_call_ms;
	plat_mutex_lock(&s->lock);
	s->stats.last_rtt_ms = resp->elapsed_ms;
	if (slow)
		s->stats.slow_calls++;
	plat_mutex_unlock(&s->lock);
	if (slow)
		TRACE(s->tr, TRACE_WARN, "slow SOAP call performance: %s took %u ms (PBX %s)",
		      pbx_op_name(q->op), resp->elapsed_ms, s->name);
}

static void on_http_done(void *arg, const struct pbx_http_resp *resp)
{
	struct sreq *q = arg;
	struct pbx_session *s = q->s;
	req_unlink(s, q);
	if (s->poll == q)
		s->poll = NULL;
	if (q->cmd && q->cmd->inflight == q)
		q->cmd->inflight = NULL;
	note_timing(s, q, resp);
	if (!q->dead && q->gen == s->gen && q->fn) {
		q->fn(s, q, resp);
	} else if (q->cmd && !q->cmd->finished) {
		/* Cannot happen: every path that kills a request carrying a
		 * command completes the command first.  Keep the promise of
		 * exactly one completion anyway. */
		cmd_finish(q->cmd, TSP8_ESESSION, 0);
		cmd_free(q->cmd);
	}
	if (q->mon)
		mon_unref(q->mon);
	free(q);
	if (s->stopping && !s->reqs)
		sess_timer_cancel(s, &s->guard_timer);
	sess_release(s);
}

int sess_send(struct pbx_session *s, struct pbx_msg *msg, sreq_fn *fn,
	      struct pbx_cmd *cmd, struct pbx_monitor *mon)
{
	struct sreq *q = calloc(1, sizeof(*q));
	if (!q) {
		pbx_msg_free(msg);
		return TSP8_ENOMEM;
	}
	q->s = s;
	q->op = msg->op;
	q->gen = s->gen;
	q->fn = fn;
	q->cmd = cmd;
	q->mon = mon;
	bool poll = msg->op == PBX_OP_POLL;
	struct pbx_http_req req = {
		.url = s->url,
		.user = s->http_user,
		.password = s->http_password,
		.soap_action = pbx_op_action(msg->op),
		.body = msg->body,
		.body_len = msg->len,
		.timeout_ms = poll ? s->poll_timeout_ms : s->cmd_timeout_ms,
		.ca_file = s->ca_file,
		.insecure = s->insecure,
		.own_connection = poll,
	};
	sess_hold(s);
	/* Sent from the I/O thread only, so the answer cannot arrive before
	 * q is linked below. */
	int rc = pbx_io_request(s->io, &req, on_http_done, q, &q->io_id);
	pbx_msg_free(msg);
	if (rc != TSP8_OK) {
		free(q);
		sess_release(s);
		return rc;
	}
	if (mon)
		mon_ref(mon);
	q->next = s->reqs;
	if (s->reqs)
		s->reqs->prev = q;
	s->reqs = q;
	if (cmd)
		cmd->inflight = q;
	if (poll)
		s->poll = q;
	return TSP8_OK;
}

void sess_req_kill(struct pbx_session *s, struct sreq *q)
{
	if (q->dead)
		return;
	q->dead = true;
	pbx_io_cancel(s->io, q->io_id);
}

bool sess_err_fatal(int err)
{
	switch (err) {
	case TSP8_ECONNECT:
	case TSP8_ECLOSED:
	case TSP8_EHTTP:
	case TSP8_EAUTH:
	case TSP8_ETLS:
	case TSP8_ESESSION:
		return true;
	default:
		return false;
	}
}

void sess_why(char *buf, size_t len, enum pbx_op op, int err, const char *detail)
{
	snprintf(buf, len, "%s failed: %s%s%s%s", pbx_op_name(op), tsp8_strerror(err),
		 detail && *detail ? " (" : "", detail ? detail : "",
		 detail && *detail ? ")" : "");
}
