/* Session state machine (I/O thread): Version -> Initialize -> Echo -> UP
 * -> long Poll loop; loss -> DOWN -> capped exponential backoff -> again;
 * stop -> UserEnd/End with a grace period.
 */
#include "session_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"

static void on_version(struct pbx_session *s, struct sreq *q, const struct pbx_http_resp *r);
static void on_initialize(struct pbx_session *s, struct sreq *q, const struct pbx_http_resp *r);
static void on_echo(struct pbx_session *s, struct sreq *q, const struct pbx_http_resp *r);
static void on_poll(struct pbx_session *s, struct sreq *q, const struct pbx_http_resp *r);

/* Encodes (rc from a pbx_enc_*) and sends; any failure loses the session. */
static void send_or_fail(struct pbx_session *s, enum pbx_op op, int rc, struct pbx_msg *m,
			 sreq_fn *fn)
{
	if (rc == TSP8_OK)
		rc = sess_send(s, m, fn, NULL, NULL);
	if (rc != TSP8_OK) {
		char why[160];
		sess_why(why, sizeof(why), op, rc, "cannot send");
		conn_fail(s, rc, why);
	}
}

/* A transport error or an undecodable answer on the connection path. */
static void fail_with(struct pbx_session *s, enum pbx_op op, int err, const char *detail)
{
	char why[400];
	sess_why(why, sizeof(why), op, err, detail);
	conn_fail(s, err, why);
}

void conn_start(struct pbx_session *s)
{
	s->gen++;
	s->session_id = 0;
	s->key = 0;
	sess_set_state(s, PBX_SESSION_CONNECTING, TSP8_OK, "");
	if (s->stopping)
		return;
	struct pbx_msg m = { 0 };
	send_or_fail(s, PBX_OP_VERSION, pbx_enc_version(s->cx, &m), &m, on_version);
}

static void on_version(struct pbx_session *s, struct sreq *q, const struct pbx_http_resp *r)
{
	if (r->err != TSP8_OK) {
		fail_with(s, q->op, r->err, r->errmsg);
		return;
	}
	struct pbx_version_result *v = NULL;
	struct pbx_err e = { { 0 } };
	int rc = pbx_dec_version(s->cx, r->body, r->body_len, &v, &e);
	if (rc != TSP8_OK) {
		fail_with(s, q->op, rc, e.msg);
		return;
	}
	plat_mutex_lock(&s->lock);
	if (strcmp(s->firmware, v->v.firmware) != 0)
		snprintf(s->firmware, sizeof(s->firmware), "%s", v->v.firmware);
	snprintf(s->gatekeeper_id, sizeof(s->gatekeeper_id), "%s", v->v.gatekeeper_id);
	snprintf(s->location, sizeof(s->location), "%s", v->v.location);
	plat_mutex_unlock(&s->lock);
	TRACE(s->tr, TRACE_SOAP, "PBX %s: Version: firmware \"%s\" wsdl %d gk \"%s\"", s->name,
	      v->v.firmware, v->v.wsdl_version, v->v.gatekeeper_id);
	pbx_version_free(v);
	struct pbx_msg m = { 0 };
	send_or_fail(s, PBX_OP_INITIALIZE,
		     pbx_enc_initialize(s->cx, &m, s->session_user, s->appl), &m, on_initialize);
}

static void on_initialize(struct pbx_session *s, struct sreq *q, const struct pbx_http_resp *r)
{
	if (r->err != TSP8_OK) {
		fail_with(s, q->op, r->err, r->errmsg);
		return;
	}
	struct pbx_err e = { { 0 } };
	int session = 0, key = 0;
	int rc = pbx_dec_initialize(s->cx, r->body, r->body_len, &session, &key, &e);
	if (rc != TSP8_OK) {
		fail_with(s, q->op, rc, e.msg);
		return;
	}
	if (session == 0) {
		char why[300];
		snprintf(why, sizeof(why), "Initialize refused by the PBX (return 0) for user \"%s\"",
			 s->session_user);
		conn_fail(s, TSP8_EREFUSED, why);
		return;
	}
	s->session_id = session;
	s->key = key;
	struct pbx_msg m = { 0 };
	send_or_fail(s, PBX_OP_ECHO, pbx_enc_echo(s->cx, &m, session, key), &m, on_echo);
}

static void poll_send(struct pbx_session *s)
{
	struct pbx_msg m = { 0 };
	send_or_fail(s, PBX_OP_POLL, pbx_enc_poll(s->cx, &m, s->session_id), &m, on_poll);
}

/* Order after a loss: DOWN ... CONNECTING -> reset() -> UP -> Poll and
 * UserInitialize of every monitor (h->monitor each) -> queued commands.
 * reset() comes before anything of the new session reaches the owner, so
 * the owner can forget the old state first; CallInfos are held back while
 * UserInitialize answers are outstanding (see on_poll), so none of a
 * re-initialised monitor is dropped for an unknown handle. */
static void conn_up(struct pbx_session *s)
{
	s->backoff_next_ms = s->backoff_min_ms;
	if (s->ever_up) {
		plat_mutex_lock(&s->lock);
		s->stats.resets++;
		plat_mutex_unlock(&s->lock);
		TRACE(s->tr, TRACE_INFO, "PBX %s: session re-established: reset", s->name);
		if (!s->quiet && s->h && s->h->reset)
			s->h->reset(s->harg);
		if (s->stopping)
			return;
	}
	s->ever_up = true;
	sess_set_state(s, PBX_SESSION_UP, TSP8_OK, "");
	if (s->stopping || s->st != PBX_SESSION_UP)
		return;
	conn_poll_arm(s);
	if (s->st != PBX_SESSION_UP)
		return;
	mon_init_all(s);
	cmd_flush(s);
}

static void on_echo(struct pbx_session *s, struct sreq *q, const struct pbx_http_resp *r)
{
	if (r->err != TSP8_OK) {
		fail_with(s, q->op, r->err, r->errmsg);
		return;
	}
	struct pbx_err e = { { 0 } };
	int ret = 0;
	int rc = pbx_dec_int(s->cx, r->body, r->body_len, PBX_OP_ECHO, &ret, &e);
	if (rc != TSP8_OK) {
		fail_with(s, q->op, rc, e.msg);
		return;
	}
	if (ret == 0) {
		conn_fail(s, TSP8_ESESSION, "Echo returned 0: session not valid");
		return;
	}
	conn_up(s);
}

/* Hands the users of a Poll answer (and the end of the dump) to the
 * handler; they are taken out of p. */
static void deliver_users(struct pbx_session *s, struct pbx_poll *p)
{
	const struct pbx_session_handler *h = s->h;
	plat_mutex_lock(&s->lock);
	s->stats.events += p->nusers;
	plat_mutex_unlock(&s->lock);
	for (size_t i = 0; i < p->nusers && !s->quiet; i++)
		if (h && h->user)
			h->user(s->harg, &p->users[i]);
	if (p->dump_end && !s->quiet && h && h->dump_end)
		h->dump_end(s->harg);
	p->nusers = 0;
	p->dump_end = false;
}

/* Hands one Poll answer to the handler: users (and the end of the dump),
 * then the CallInfos of monitored users. */
static void deliver(struct pbx_session *s, struct pbx_poll *p)
{
	const struct pbx_session_handler *h = s->h;
	deliver_users(s, p);
	plat_mutex_lock(&s->lock);
	s->stats.events += p->ncalls;
	plat_mutex_unlock(&s->lock);
	for (size_t i = 0; i < p->ncalls && !s->quiet; i++) {
		const struct pbx_call *c = &p->calls[i];
		struct pbx_monitor *m = mon_by_handle(s, c->user);
		if (!m) {
			TRACE(s->tr, TRACE_SOAP, "PBX %s: CallInfo of unknown user handle %d "
			      "(call %d, %s) dropped", s->name, c->user, c->call, c->msg);
			continue;
		}
		if (h && h->call)
			h->call(s->harg, m->cookie, c);
	}
}

static void free_held(struct pbx_session *s)
{
	while (s->held) {
		struct held_poll *hp = s->held;
		s->held = hp->next;
		pbx_poll_free(hp->res);
		free(hp);
	}
	s->held_tail = NULL;
}

void conn_poll_release_held(struct pbx_session *s)
{
	unsigned gen = s->gen;
	while (s->held && s->inits_pending == 0 && s->gen == gen && !s->quiet) {
		struct held_poll *hp = s->held;
		s->held = hp->next;
		if (!s->held)
			s->held_tail = NULL;
		deliver(s, &hp->res->p);
		pbx_poll_free(hp->res);
		free(hp);
	}
}

/* Poll is held back while the owner paused it, and -- on a session whose
 * UserInfo records are dropped anyway -- while UserInitialize answers are
 * outstanding: there the next Poll would mostly fetch directory records
 * nobody reads (a slave repeats the whole replicated directory in its dump)
 * and slow down the monitors that make lines usable.  The PBX queues the
 * events meanwhile; none is lost. */
void conn_poll_arm(struct pbx_session *s)
{
	if (s->st != PBX_SESSION_UP || s->stopping || s->poll || s->poll_paused)
		return;
	if (s->ignore_users && s->inits_pending)
		return;
	poll_send(s);
}

static void on_pause_end(void *arg)
{
	struct pbx_session *s = arg;
	s->pause_timer = 0;
	if (s->poll_paused) {
		s->poll_paused = false;
		TRACE(s->tr, TRACE_SOAP, "PBX %s: Poll pause ended after %u ms", s->name,
		      SESS_POLL_PAUSE_MAX_MS);
		conn_poll_arm(s);
	}
	sess_release(s);
}

void conn_poll_pause(struct pbx_session *s, bool on)
{
	if (s->stopping || on == s->poll_paused)
		return;
	s->poll_paused = on;
	if (!on) {
		sess_timer_cancel(s, &s->pause_timer);
		conn_poll_arm(s);
		return;
	}
	/* never an unbounded pause: without the timer there is none */
	if (sess_timer(s, SESS_POLL_PAUSE_MAX_MS, on_pause_end, &s->pause_timer) != TSP8_OK)
		s->poll_paused = false;
}

static void on_poll(struct pbx_session *s, struct sreq *q, const struct pbx_http_resp *r)
{
	if (r->err != TSP8_OK) {
		fail_with(s, q->op, r->err, r->errmsg);
		return;
	}
	/* Re-arm before this answer is even decoded: the PBX prepares the next
	 * one (the next chunk of a dump, events queued meanwhile) while we
	 * decode and deliver this one.  An answer that cannot be decoded loses
	 * the session, and with it the Poll sent here. */
	unsigned gen = s->gen;
	conn_poll_arm(s);
	struct pbx_poll_result *res = NULL;
	struct pbx_err e = { { 0 } };
	/* the codec is shared: this session's choice applies to this answer */
	codec_set_drop_poll_users(s->cx, s->ignore_users);
	int rc = pbx_dec_poll(s->cx, r->body, r->body_len, &res, &e);
	if (rc != TSP8_OK) {
		fail_with(s, q->op, rc, e.msg);
		return;
	}
	plat_mutex_lock(&s->lock);
	s->stats.polls++;
	plat_mutex_unlock(&s->lock);
	if (s->gen != gen || s->quiet) {
		pbx_poll_free(res);
		return;
	}
	/* While a UserInitialize is in flight its handle is unknown, so its
	 * CallInfos would be dropped: keep them (in order) until then.  Users
	 * need no handle and go now: held, a 10,000-user dump arriving while
	 * its users are being monitored piled up in memory. */
	if (s->inits_pending || s->held) {
		deliver_users(s, &res->p);
		if (s->gen != gen || s->quiet || res->p.ncalls == 0) {
			pbx_poll_free(res);
			return;
		}
		struct held_poll *hp = calloc(1, sizeof(*hp));
		if (!hp) {
			pbx_poll_free(res);
			conn_fail(s, TSP8_ENOMEM, "Poll: out of memory");
			return;
		}
		hp->res = res;
		if (s->held_tail)
			s->held_tail->next = hp;
		else
			s->held = hp;
		s->held_tail = hp;
		return;
	}
	deliver(s, &res->p);
	pbx_poll_free(res);
}

static void kill_all(struct pbx_session *s)
{
	for (struct sreq *q = s->reqs; q; q = q->next)
		sess_req_kill(s, q);
	s->poll = NULL;
}

static uint32_t next_backoff(struct pbx_session *s)
{
	uint32_t d = s->backoff_next_ms;
	uint64_t next = (uint64_t)d * 2;
	s->backoff_next_ms = next > s->backoff_max_ms ? s->backoff_max_ms : (uint32_t)next;
	/* +-10 % jitter so that many sessions do not reconnect in lockstep. */
	uint32_t j = d / 10;
	if (j) {
		s->rng ^= s->rng << 13;
		s->rng ^= s->rng >> 7;
		s->rng ^= s->rng << 17;
		d = d - j + (uint32_t)(s->rng % (2u * j + 1u));
	}
	return d;
}

static void on_retry(void *arg)
{
	struct pbx_session *s = arg;
	s->retry_timer = 0;
	if (!s->stopping && s->st == PBX_SESSION_DOWN)
		conn_start(s);
	sess_release(s);
}

void conn_fail(struct pbx_session *s, int err, const char *why)
{
	if (s->stopping || s->st == PBX_SESSION_DOWN || s->st == PBX_SESSION_IDLE ||
	    s->st == PBX_SESSION_STOPPED)
		return;
	s->gen++;
	s->session_id = 0;
	kill_all(s);
	mon_session_lost(s);
	free_held(s);
	sess_set_state(s, PBX_SESSION_DOWN, err, why);
	cmd_fail_all(s, TSP8_ESESSION);
	if (s->stopping)
		return;
	uint32_t delay = next_backoff(s);
	TRACE(s->tr, TRACE_INFO, "PBX %s: reconnecting in %u ms", s->name, delay);
	if (sess_timer(s, delay, on_retry, &s->retry_timer) != TSP8_OK)
		TRACE(s->tr, TRACE_WARN, "PBX %s: cannot arm the reconnect timer", s->name);
}

static void on_guard(void *arg)
{
	struct pbx_session *s = arg;
	s->guard_timer = 0;
	if (s->reqs)
		TRACE(s->tr, TRACE_WARN, "PBX %s: stop: UserEnd/End not answered within %u ms, "
		      "canceled", s->name, SESS_STOP_WAIT_MS);
	kill_all(s);
	sess_release(s);
}

void conn_stop(struct pbx_session *s)
{
	if (s->stopping)
		return;
	s->stopping = true;
	sess_timer_cancel(s, &s->retry_timer);
	sess_timer_cancel(s, &s->pause_timer);
	s->poll_paused = false;
	cmd_fail_all(s, TSP8_ESHUTDOWN);
	kill_all(s);
	free_held(s);
	if (s->st == PBX_SESSION_UP) {
		/* Polite goodbye.  End releases the user handles with the
		 * session: one request, not one UserEnd per monitored user
		 * (10,000 of them on a big PBX). */
		struct pbx_msg m = { 0 };
		int rc = pbx_enc_end(s->cx, &m, s->session_id);
		if (rc == TSP8_OK)
			rc = sess_send(s, &m, NULL, NULL, NULL);
		if (rc != TSP8_OK)
			TRACE(s->tr, TRACE_WARN, "PBX %s: cannot send End: %s", s->name,
			      tsp8_strerror(rc));
	}
	mon_session_lost(s);
	s->gen++;
	if (s->reqs)
		sess_timer(s, SESS_STOP_WAIT_MS, on_guard, &s->guard_timer);
	sess_set_state(s, PBX_SESSION_STOPPED, TSP8_OK, "stopped");
	s->quiet = true;
}
