/* PBX tree: monitoring lines (UserInitialize) on their session, at most
 * MON_WINDOW first UserInitialize requests in flight per session.  Lines
 * wait in the session's FIFO and go out as answers come, so that a PBX with
 * thousands of users is not flooded and the HTTP layer never juggles
 * thousands of queued requests.  soap/ has a window of its own
 * (SESS_INIT_WINDOW, for the re-initialisation after a reconnect); handing
 * it all 10,000 monitors of a start at once instead of this FIFO doubled the
 * time to ready (bench/tree_scale, measured).  The window is four times the
 * provider's connections per PBX, so that a request is ready for every
 * connection that an answer frees.  pbx_io thread. */
#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/tree_internal.h"
#include "soap/pbx_io.h"
#include "soap/pbx_session.h"

#define MON_WINDOW 32u

static void mq_unlink(struct tree_session *ts, struct tree_line *l)
{
	if (l->mq_prev)
		l->mq_prev->mq_next = l->mq_next;
	else
		ts->mq_head = l->mq_next;
	if (l->mq_next)
		l->mq_next->mq_prev = l->mq_prev;
	else
		ts->mq_tail = l->mq_prev;
	l->mq_next = l->mq_prev = NULL;
	l->mq_queued = false;
	ts->mq_len--;
}

static void mq_push(struct tree_session *ts, struct tree_line *l)
{
	l->mq_next = NULL;
	l->mq_prev = ts->mq_tail;
	if (ts->mq_tail)
		ts->mq_tail->mq_next = l;
	else
		ts->mq_head = l;
	ts->mq_tail = l;
	l->mq_queued = true;
	ts->mq_len++;
}

static void stop_waiting(struct pbxtree *t, struct tree_line *l)
{
	plat_mutex_lock(&t->lock);
	if (l->mon_waiting && l->ts && l->ts->mon_wait)
		l->ts->mon_wait--;
	l->mon_waiting = false;
	plat_mutex_unlock(&t->lock);
}

/* Adds the monitor now (the window has room). */
static void add(struct pbxtree *t, struct tree_line *l)
{
	struct pbx_monitor *m = NULL;
	const char *hw = l->kind == PBXTREE_LINE_DEVICE ? l->dev_hw : NULL;
	int err = pbx_session_monitor_add(l->ts->s, l->obj->cn, hw, !t->no_special_disconnect, l, &m);
	if (err) {
		TRACE(t->tr, TRACE_WARN, "line 0x%08x (%s): monitor not added on %s: %s", l->id, l->obj->cn,
		      l->ts->label, tsp8_strerror(err));
		return;
	}
	plat_mutex_lock(&t->lock);
	l->mon = m;
	l->mon_waiting = true;
	l->ts->mon_wait++;
	plat_mutex_unlock(&t->lock);
}

/* Lets waiting lines of ts go while the window has room. */
static void pump(struct pbxtree *t, struct tree_session *ts)
{
	for (;;) {
		plat_mutex_lock(&t->lock);
		struct tree_line *l = ts->mon_wait < MON_WINDOW ? ts->mq_head : NULL;
		if (l)
			mq_unlink(ts, l);
		plat_mutex_unlock(&t->lock);
		if (!l)
			return;
		if (l->ts == ts && ts->s && !l->mon)
			add(t, l);
	}
}

static void pump_later(void *arg)
{
	struct tree_session *ts = arg;
	struct pbxtree *t = ts->t;
	plat_mutex_lock(&t->lock);
	ts->mq_pump = false;
	bool quiet = t->stopping;
	plat_mutex_unlock(&t->lock);
	if (!quiet)
		pump(t, ts);
	tree_release(t);
}

void tree_line_monitor(struct pbxtree *t, struct tree_line *l)
{
	if (l->kind == PBXTREE_LINE_PRESENCE || !l->ts || !l->ts->s || l->mon || l->mq_queued)
		return;
	struct tree_session *ts = l->ts;
	plat_mutex_lock(&t->lock);
	mq_push(ts, l);
	/* the lines that come in this same callback (a Poll answer brings
	 * many) are queued first; the pump runs after it */
	bool schedule = !ts->mq_pump && ts->mon_wait < MON_WINDOW;
	if (schedule)
		ts->mq_pump = true;
	plat_mutex_unlock(&t->lock);
	if (!schedule)
		return;
	bool held = tree_hold(t);
	if (held && pbx_io_run(t->io, pump_later, ts) == TSP8_OK)
		return;
	if (held)
		tree_release(t);
	plat_mutex_lock(&t->lock);
	ts->mq_pump = false;
	plat_mutex_unlock(&t->lock);
	pump(t, ts);   /* no deferral possible: start now */
}

void tree_line_unmonitor(struct pbxtree *t, struct tree_line *l)
{
	struct tree_session *ts = l->ts;
	bool was_waiting = l->mon_waiting;
	stop_waiting(t, l);
	plat_mutex_lock(&t->lock);
	if (l->mq_queued && ts)
		mq_unlink(ts, l);
	struct pbx_monitor *m = l->mon;
	struct pbx_session *s = ts ? ts->s : NULL;
	l->mon = NULL;
	l->mon_ready = false;
	plat_mutex_unlock(&t->lock);
	if (m && s)
		pbx_session_monitor_remove(s, m);
	if (was_waiting && ts)
		pump(t, ts);
	tree_slaves_poll_gate(t);
}

void tree_line_on_monitor(struct tree_session *ts, struct tree_line *l, int err)
{
	struct pbxtree *t = ts->t;
	if (l->ts != ts)
		return;
	bool first = l->mon_waiting;
	stop_waiting(t, l);
	plat_mutex_lock(&t->lock);
	l->mon_ready = err == TSP8_OK && l->mon != NULL;
	plat_mutex_unlock(&t->lock);
	tree_line_update_service(t, l);
	if (!l->announced)
		tree_announce_retry(t, l);
	if (first)
		pump(t, ts);
	tree_slaves_poll_gate(t);
}

void tree_monitor_flush(struct pbxtree *t, struct tree_session *ts)
{
	plat_mutex_lock(&t->lock);
	while (ts->mq_head)
		mq_unlink(ts, ts->mq_head);
	plat_mutex_unlock(&t->lock);
}
