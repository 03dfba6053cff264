/* Monitored users of a session: UserInitialize when the session is UP (and
 * again after every reconnect), UserEnd on removal and stop, and the map
 * from PBX user handles to the owner's cookies.
 *
 * A monitor is reference counted (atomically, because pbx_session_monitor_*
 * may run on any thread): one reference for the session's list, one per
 * request in flight that concerns it.
 */
#include "session_internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"

void mon_ref(struct pbx_monitor *m)
{
	atomic_fetch_add(&m->refs, 1);
}

void mon_unref(struct pbx_monitor *m)
{
	if (atomic_fetch_sub(&m->refs, 1) != 1)
		return;
	free(m->cn);
	free(m->hw);
	free(m);
}

static void link_mon(struct pbx_session *s, struct pbx_monitor *m)
{
	m->prev = NULL;
	m->next = s->monitors;
	if (s->monitors)
		s->monitors->prev = m;
	s->monitors = m;
	m->linked = true;
}

static void unlink_mon(struct pbx_session *s, struct pbx_monitor *m)
{
	if (m->prev)
		m->prev->next = m->next;
	else
		s->monitors = m->next;
	if (m->next)
		m->next->prev = m->prev;
	m->prev = m->next = NULL;
	m->linked = false;
}

/* Sends UserEnd for the monitor's handle (fire and forget). */
static void send_user_end(struct pbx_session *s, struct pbx_monitor *m)
{
	int handle = atomic_exchange(&m->handle, 0);
	if (!handle)
		return;
	struct pbx_msg msg = { 0 };
	int rc = pbx_enc_user_end(s->cx, &msg, handle);
	if (rc == TSP8_OK)
		rc = sess_send(s, &msg, NULL, NULL, m);
	if (rc != TSP8_OK)
		TRACE(s->tr, TRACE_WARN, "PBX %s: cannot send UserEnd for %s: %s", s->name, m->cn,
		      tsp8_strerror(rc));
}

static void initq_pump(struct pbx_session *s);

static void on_user_init(struct pbx_session *s, struct sreq *q, const struct pbx_http_resp *r)
{
	struct pbx_monitor *m = q->mon;
	m->init_pending = false;
	s->inits_pending--;
	int err = r->err, ret = 0;
	struct pbx_err e = { { 0 } };
	if (err == TSP8_OK)
		err = pbx_dec_int(s->cx, r->body, r->body_len, PBX_OP_USER_INITIALIZE, &ret, &e);
	if (err == TSP8_OK && ret == 0)
		err = TSP8_EREFUSED;
	if (err == TSP8_OK)
		atomic_store(&m->handle, ret);
	if (err != TSP8_OK)
		TRACE(s->tr, TRACE_WARN, "PBX %s: UserInitialize %s failed: %s%s%s", s->name, m->cn,
		      tsp8_strerror(err), e.msg[0] ? ": " : "", e.msg);
	else
		TRACE(s->tr, TRACE_SOAP, "PBX %s: UserInitialize %s -> handle %d", s->name, m->cn,
		      ret);
	if (atomic_load(&m->removed) || !m->linked) {
		/* Removed while the UserInitialize was on its way. */
		send_user_end(s, m);
	} else if (!s->quiet && s->h && s->h->monitor) {
		s->h->monitor(s->harg, m->cookie, err);
	}
	if (sess_err_fatal(r->err)) {
		char why[400];
		sess_why(why, sizeof(why), PBX_OP_USER_INITIALIZE, r->err, r->errmsg);
		conn_fail(s, r->err, why);
		return;
	}
	if (s->st != PBX_SESSION_UP)
		return;
	initq_pump(s);
	conn_poll_release_held(s);
	conn_poll_arm(s);
	cmd_flush(s);
}

/* Monitors wait in s->initq while SESS_INIT_WINDOW UserInitialize requests
 * are in flight: after a reconnect every monitor of a 10,000-user PBX is
 * initialised again, and handing them all to the HTTP layer at once made
 * both sides juggle thousands of connections. */
static void initq_push(struct pbx_session *s, struct pbx_monitor *m)
{
	if (m->init_queued)
		return;
	mon_ref(m);
	m->init_queued = true;
	m->init_next = NULL;
	if (s->initq_tail)
		s->initq_tail->init_next = m;
	else
		s->initq = m;
	s->initq_tail = m;
}

static struct pbx_monitor *initq_pop(struct pbx_session *s)
{
	struct pbx_monitor *m = s->initq;
	if (!m)
		return NULL;
	s->initq = m->init_next;
	if (!s->initq)
		s->initq_tail = NULL;
	m->init_next = NULL;
	m->init_queued = false;
	return m;   /* the caller owns the queue's reference */
}

static void initq_clear(struct pbx_session *s)
{
	struct pbx_monitor *m;
	while ((m = initq_pop(s)) != NULL)
		mon_unref(m);
}

static void mon_init_send(struct pbx_session *s, struct pbx_monitor *m);

static void mon_init(struct pbx_session *s, struct pbx_monitor *m)
{
	if (m->init_pending || atomic_load(&m->handle) || atomic_load(&m->removed))
		return;
	if (s->inits_pending >= SESS_INIT_WINDOW) {
		initq_push(s, m);
		return;
	}
	mon_init_send(s, m);
}

/* Lets queued monitors go while the window has room. */
static void initq_pump(struct pbx_session *s)
{
	unsigned gen = s->gen;
	while (s->inits_pending < SESS_INIT_WINDOW && s->gen == gen && s->st == PBX_SESSION_UP &&
	       !s->stopping) {
		struct pbx_monitor *m = initq_pop(s);
		if (!m)
			return;
		if (m->linked)
			mon_init(s, m);
		mon_unref(m);
	}
}

static void mon_init_send(struct pbx_session *s, struct pbx_monitor *m)
{
	struct pbx_msg msg = { 0 };
	int rc = pbx_enc_user_initialize(s->cx, &msg, s->session_id, m->cn, true, m->disc,
					 m->hw);
	if (rc == TSP8_OK)
		rc = sess_send(s, &msg, on_user_init, NULL, m);
	if (rc != TSP8_OK) {
		TRACE(s->tr, TRACE_WARN, "PBX %s: cannot send UserInitialize for %s: %s", s->name,
		      m->cn, tsp8_strerror(rc));
		if (!s->quiet && s->h && s->h->monitor)
			s->h->monitor(s->harg, m->cookie, rc);
		return;
	}
	m->init_pending = true;
	s->inits_pending++;
	plat_mutex_lock(&s->lock);
	if (s->inits_pending > s->stats.inits_peak)
		s->stats.inits_peak = s->inits_pending;
	plat_mutex_unlock(&s->lock);
}

void mon_init_all(struct pbx_session *s)
{
	/* Snapshot the generation: a handler may lose the session meanwhile. */
	unsigned gen = s->gen;
	for (struct pbx_monitor *m = s->monitors; m && s->gen == gen; m = m->next)
		mon_init(s, m);
}

void mon_session_lost(struct pbx_session *s)
{
	initq_clear(s);
	for (struct pbx_monitor *m = s->monitors; m; m = m->next) {
		atomic_store(&m->handle, 0);
		m->init_pending = false;
	}
	s->inits_pending = 0;
}

struct pbx_monitor *mon_by_handle(struct pbx_session *s, int handle)
{
	if (handle == 0)
		return NULL;
	for (struct pbx_monitor *m = s->monitors; m; m = m->next)
		if (atomic_load(&m->handle) == handle && !atomic_load(&m->removed))
			return m;
	return NULL;
}

void mon_free_all(struct pbx_session *s)
{
	initq_clear(s);
	while (s->monitors) {
		struct pbx_monitor *m = s->monitors;
		unlink_mon(s, m);
		mon_unref(m);
	}
}

static void add_on_io(void *arg)
{
	struct pbx_monitor *m = arg;
	struct pbx_session *s = m->s;
	/* Linked even when stopping, so that the session owns its memory until
	 * monitor_remove or destroy. */
	link_mon(s, m);
	if (s->st == PBX_SESSION_UP && !s->stopping)
		mon_init(s, m);
	sess_release(s);
}

int pbx_session_monitor_add(struct pbx_session *s, const char *cn, const char *hw,
			    bool disc, void *cookie, struct pbx_monitor **out)
{
	if (!s || !cn || !*cn || !out)
		return TSP8_EINVAL;
	struct pbx_monitor *m = calloc(1, sizeof(*m));
	if (!m)
		return TSP8_ENOMEM;
	m->s = s;
	m->cn = strdup(cn);
	m->hw = hw ? strdup(hw) : NULL;
	m->disc = disc;
	m->cookie = cookie;
	atomic_init(&m->handle, 0);
	atomic_init(&m->removed, false);
	atomic_init(&m->refs, 1);
	if (!m->cn || (hw && !m->hw)) {
		mon_unref(m);
		return TSP8_ENOMEM;
	}
	int rc = sess_post(s, add_on_io, m);
	if (rc != TSP8_OK) {
		mon_unref(m);
		return rc;
	}
	*out = m;
	return TSP8_OK;
}

static void remove_on_io(void *arg)
{
	struct pbx_monitor *m = arg;
	struct pbx_session *s = m->s;
	if (m->linked) {
		unlink_mon(s, m);
		if (s->st == PBX_SESSION_UP && !s->stopping)
			send_user_end(s, m);
		atomic_store(&m->handle, 0);
		mon_unref(m);
	}
	sess_release(s);
}

void pbx_session_monitor_remove(struct pbx_session *s, struct pbx_monitor *m)
{
	if (!s || !m)
		return;
	/* From now on no CallInfo is delivered with its cookie. */
	atomic_store(&m->removed, true);
	/* After stop the monitor stays in the list; destroy frees it. */
	if (sess_post(s, remove_on_io, m) != TSP8_OK)
		TRACE(s->tr, TRACE_OBJ, "PBX %s: monitor %s removed after stop", s->name, m->cn);
}

bool pbx_session_monitor_ready(struct pbx_session *s, struct pbx_monitor *m)
{
	return s && m && atomic_load(&m->handle) != 0 && !atomic_load(&m->removed);
}
