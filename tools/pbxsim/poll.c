/* pbxsim Poll: initial UserInfo dump in chunks, then queued deltas; an idle
 * Poll is held up to the configured idle time (pbx-soap-api.md §3). */
#include <stdlib.h>

#include "base/error.h"
#include "session.h"
#include "simlog.h"

#define POLL_MAX_EVENTS 500 /* records per answer once the dump is done */

/* Next chunk of the dump: up to dump_chunk records, the last record of
 * the whole dump being the empty-cn marker. */
static struct sim_event *dump_chunk(struct sim_pbx *pbx, struct sim_session *s)
{
	struct sim_event *head = NULL, **tail = &head;
	unsigned limit = pbx->dump_chunk ? pbx->dump_chunk : 1;

	for (unsigned n = 0; n < limit && !s->dump_done; n++) {
		struct sim_event *ev = event_new(SIM_EV_USER);

		if (!ev)
			break;
		if (s->dump_pos < s->nscope) {
			record_userinfo(pbx, s->scope[s->dump_pos], true, &ev->u.user);
			s->dump_pos++;
		} else {
			record_dump_end(&ev->u.user);
			s->dump_done = true;
		}
		*tail = ev;
		tail = &ev->next;
	}
	return head;
}

static struct sim_event *take_events(struct sim_session *s)
{
	struct sim_event *head = s->head, *last = NULL, *ev = s->head;
	size_t n = 0;

	while (ev && n < POLL_MAX_EVENTS) {
		last = ev;
		ev = ev->next;
		n++;
	}
	if (!last)
		return NULL;
	last->next = NULL;
	s->head = ev;
	if (!ev)
		s->tail = NULL;
	s->nevents -= n;
	return head;
}

/* Waits (lock held) until s gets events or dies, conn is dropped, or ms
 * passed.  The first connection polling s waits on its own cv, so queueing
 * an event wakes exactly that thread; s may be freed meanwhile (whoever
 * frees it wakes us first), so it is looked up again by handle. */
static void wait_for_events(struct sim_pbx *pbx, struct sim_session *s, struct sim_conn *conn,
			    unsigned ms)
{
	struct sim *sim = pbx->sim;
	int handle = s->handle;
	bool own = conn && !s->poller;

	if (own)
		s->poller = conn;
	else
		s->extra_pollers++;
	sim_wait_on(sim, own ? &conn->cv : &sim->changed, ms);
	/* Still there?  (Handles are never reused within a PBX.) */
	for (s = pbx->sessions; s; s = s->next) {
		if (s->handle != handle)
			continue;
		if (own && s->poller == conn)
			s->poller = NULL;
		else if (!own && s->extra_pollers > 0)
			s->extra_pollers--;
		break;
	}
}

int session_poll(struct sim_pbx *pbx, struct sim_conn *conn, int handle,
		 struct sim_event **out)
{
	struct sim *sim = pbx->sim;
	uint64_t deadline = sim_now_ms() + sim->opt.poll_idle_ms;
	int rc = TSP8_OK;

	*out = NULL;
	sim_lock(sim);
	for (;;) {
		struct sim_session *s = session_get(pbx, handle);
		uint64_t now;

		if (!s) {
			rc = TSP8_ESESSION;
			break;
		}
		if (conn)
			sim_conn_touch(conn, s);
		if (sim->shutting_down || (conn && atomic_load(&conn->dropped))) {
			rc = TSP8_ECLOSED;
			break;
		}
		if (!s->dump_done) {
			*out = dump_chunk(pbx, s);
			break;
		}
		if (s->head) {
			*out = take_events(s);
			break;
		}
		now = sim_now_ms();
		if (now >= deadline)
			break;
		if (conn && conn->no_wait) {
			conn->would_block = true;
			break;
		}
		wait_for_events(pbx, s, conn, (unsigned)(deadline - now));
	}
	sim_unlock(sim);
	return rc;
}
