/* PBX session object: creation, start/stop/destroy, state and statistics,
 * and the bookkeeping that lets public functions run on any thread.
 *
 * Thread-safety model (see session_internal.h): public functions marshal
 * their work onto the pbx_io thread with pbx_io_run (they never lock the
 * session's I/O state); state, firmware and statistics are read from
 * copies guarded by s->lock.
 */
#include "session_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"

const char *pbx_session_state_name(enum pbx_session_state st)
{
	switch (st) {
	case PBX_SESSION_IDLE: return "IDLE";
	case PBX_SESSION_CONNECTING: return "CONNECTING";
	case PBX_SESSION_UP: return "UP";
	case PBX_SESSION_DOWN: return "DOWN";
	case PBX_SESSION_STOPPED: return "STOPPED";
	}
	return "?";
}

static int dup_opt(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return TSP8_OK;
	*dst = strdup(src);
	return *dst ? TSP8_OK : TSP8_ENOMEM;
}

static void free_config(struct pbx_session *s)
{
	free(s->url);
	free(s->http_user);
	if (s->http_password) {
		memset(s->http_password, 0, strlen(s->http_password));
		free(s->http_password);
	}
	free(s->session_user);
	free(s->appl);
	free(s->ca_file);
	free(s->name);
}

static void sess_free(struct pbx_session *s)
{
	mon_free_all(s);
	plat_cond_destroy(&s->idle);
	plat_mutex_destroy(&s->lock);
	free_config(s);
	free(s);
}

static int copy_config(struct pbx_session *s, const struct pbx_session_config *cfg)
{
	int rc = dup_opt(&s->url, cfg->url);
	if (rc == TSP8_OK)
		rc = dup_opt(&s->http_user, cfg->http_user);
	if (rc == TSP8_OK)
		rc = dup_opt(&s->http_password, cfg->http_password);
	if (rc == TSP8_OK)
		rc = dup_opt(&s->session_user, cfg->session_user);
	if (rc == TSP8_OK)
		rc = dup_opt(&s->appl, cfg->appl ? cfg->appl : "tsp8");
	if (rc == TSP8_OK)
		rc = dup_opt(&s->ca_file, cfg->ca_file);
	if (rc == TSP8_OK)
		rc = dup_opt(&s->name, cfg->name ? cfg->name : cfg->url);
	if (rc != TSP8_OK)
		return rc;
	s->insecure = cfg->insecure;
	s->poll_timeout_ms = cfg->poll_timeout_ms ? cfg->poll_timeout_ms : 70000;
	/* The PBX answers an idle Poll after about 60 s: never time out first. */
	if (s->poll_timeout_ms < 65000)
		s->poll_timeout_ms = 65000;
	s->cmd_timeout_ms = cfg->cmd_timeout_ms ? cfg->cmd_timeout_ms : 15000;
	s->backoff_min_ms = cfg->backoff_min_ms ? cfg->backoff_min_ms : 500;
	s->backoff_max_ms = cfg->backoff_max_ms ? cfg->backoff_max_ms : 30000;
	if (s->backoff_max_ms < s->backoff_min_ms)
		s->backoff_max_ms = s->backoff_min_ms;
	s->slow_call_ms = cfg->slow_call_ms ? cfg->slow_call_ms : 2000;
	return TSP8_OK;
}

int pbx_session_create(struct pbx_session **out, struct pbx_io *io,
		       const struct pbx_session_config *cfg)
{
	if (!out || !io || !cfg || !cfg->url || !*cfg->url || !cfg->session_user ||
	    !*cfg->session_user)
		return TSP8_EINVAL;
	struct pbx_session *s = calloc(1, sizeof(*s));
	if (!s)
		return TSP8_ENOMEM;
	s->io = io;
	s->tr = cfg->tr;
	s->h = cfg->h;
	s->harg = cfg->arg;
	s->st = s->pub_state = PBX_SESSION_IDLE;
	s->rng = (plat_now_ms() << 16) ^ (uint64_t)(uintptr_t)s;
	if (!s->rng)
		s->rng = 0x9e3779b97f4a7c15ull;
	int rc = copy_config(s, cfg);
	s->cx = pbx_io_codec(io);
	s->ignore_users = cfg->ignore_users;
	if (rc == TSP8_OK) {
		rc = plat_mutex_init(&s->lock);
		if (rc == TSP8_OK) {
			rc = plat_cond_init(&s->idle);
			if (rc != TSP8_OK)
				plat_mutex_destroy(&s->lock);
		}
	}
	if (rc != TSP8_OK) {
		free_config(s);
		free(s);
		return rc;
	}
	s->backoff_next_ms = s->backoff_min_ms;
	TRACE(s->tr, TRACE_OBJ, "PBX %s: session created for %s", s->name, s->url);
	*out = s;
	return TSP8_OK;
}

int sess_hold(struct pbx_session *s)
{
	plat_mutex_lock(&s->lock);
	s->outstanding++;
	plat_mutex_unlock(&s->lock);
	return TSP8_OK;
}

void sess_release(struct pbx_session *s)
{
	plat_mutex_lock(&s->lock);
	unsigned left = --s->outstanding;
	bool free_now = left == 0 && s->free_when_idle;
	if (left == 0)
		plat_cond_broadcast(&s->idle);
	plat_mutex_unlock(&s->lock);
	if (free_now)
		sess_free(s);
}

int sess_post(struct pbx_session *s, pbx_io_fn *fn, void *arg)
{
	plat_mutex_lock(&s->lock);
	if (s->stop_requested) {
		plat_mutex_unlock(&s->lock);
		return TSP8_ESHUTDOWN;
	}
	s->outstanding++;
	plat_mutex_unlock(&s->lock);
	int rc = pbx_io_run(s->io, fn, arg);
	if (rc != TSP8_OK)
		sess_release(s);
	return rc;
}

int sess_timer(struct pbx_session *s, uint32_t ms, pbx_io_fn *fn, uint64_t *id)
{
	sess_hold(s);
	int rc = pbx_io_timer(s->io, ms, fn, s, id);
	if (rc != TSP8_OK) {
		*id = 0;
		sess_release(s);
	}
	return rc;
}

void sess_timer_cancel(struct pbx_session *s, uint64_t *id)
{
	uint64_t t = *id;
	*id = 0;
	/* Only a timer that will no longer fire gives back its hold. */
	if (t && pbx_io_timer_cancel(s->io, t) == TSP8_OK)
		sess_release(s);
}

void sess_set_state(struct pbx_session *s, enum pbx_session_state st, int err,
		    const char *why)
{
	s->st = st;
	plat_mutex_lock(&s->lock);
	s->pub_state = st;
	plat_mutex_unlock(&s->lock);
	uint32_t cls = st == PBX_SESSION_DOWN ? TRACE_WARN : TRACE_INFO;
	TRACE(s->tr, cls, "PBX %s: session %s%s%s", s->name, pbx_session_state_name(st),
	      why && *why ? ": " : "", why ? why : "");
	if (!s->quiet && s->h && s->h->state)
		s->h->state(s->harg, st, err, why ? why : "");
}

static void start_on_io(void *arg)
{
	struct pbx_session *s = arg;
	if (!s->stopping)
		conn_start(s);
	sess_release(s);
}

int pbx_session_start(struct pbx_session *s)
{
	if (!s)
		return TSP8_EINVAL;
	plat_mutex_lock(&s->lock);
	bool ok = !s->started && !s->stop_requested;
	s->started = true;
	plat_mutex_unlock(&s->lock);
	if (!ok)
		return TSP8_ESTATE;
	return sess_post(s, start_on_io, s);
}

static void pause_on_io(void *arg)
{
	struct pbx_session *s = arg;
	conn_poll_pause(s, true);
	sess_release(s);
}

static void resume_on_io(void *arg)
{
	struct pbx_session *s = arg;
	conn_poll_pause(s, false);
	sess_release(s);
}

void pbx_session_poll_pause(struct pbx_session *s, bool on)
{
	if (!s)
		return;
	if (pbx_io_on_thread(s->io)) {
		conn_poll_pause(s, on);
		return;
	}
	if (sess_post(s, on ? pause_on_io : resume_on_io, s) != TSP8_OK)
		TRACE(s->tr, TRACE_SOAP, "PBX %s: Poll %s not posted (stopping)", s->name,
		      on ? "pause" : "resume");
}

static void stop_on_io(void *arg)
{
	struct pbx_session *s = arg;
	conn_stop(s);
	sess_release(s);
}

void pbx_session_stop(struct pbx_session *s)
{
	if (!s)
		return;
	bool on_io = pbx_io_on_thread(s->io);
	plat_mutex_lock(&s->lock);
	bool first = !s->stop_requested;
	s->stop_requested = true;
	s->outstanding++;
	plat_mutex_unlock(&s->lock);
	if (!first) {
		sess_release(s);
	} else if (on_io) {
		stop_on_io(s);
	} else if (pbx_io_run(s->io, stop_on_io, s) != TSP8_OK) {
		/* The I/O thread is gone (pbx_io destroyed first): whatever was
		 * pending has been or will be canceled by pbx_io_destroy. */
		TRACE(s->tr, TRACE_WARN, "PBX %s: stop: I/O thread not available", s->name);
		sess_release(s);
	}
	if (on_io)
		return;
	/* Bounded by the UserEnd/End grace timer (SESS_STOP_WAIT_MS), after
	 * which every request is canceled and answers within one I/O loop. */
	plat_mutex_lock(&s->lock);
	while (s->outstanding > 0)
		plat_cond_wait(&s->idle, &s->lock);
	plat_mutex_unlock(&s->lock);
}

void pbx_session_destroy(struct pbx_session *s)
{
	if (!s)
		return;
	pbx_session_stop(s);
	plat_mutex_lock(&s->lock);
	bool later = s->outstanding > 0;   /* only when called on the I/O thread */
	s->free_when_idle = later;
	plat_mutex_unlock(&s->lock);
	TRACE(s->tr, TRACE_OBJ, "PBX %s: session destroyed%s", s->name,
	      later ? " (freed after pending I/O)" : "");
	if (!later)
		sess_free(s);
}

enum pbx_session_state pbx_session_get_state(struct pbx_session *s)
{
	if (!s)
		return PBX_SESSION_STOPPED;
	plat_mutex_lock(&s->lock);
	enum pbx_session_state st = s->pub_state;
	plat_mutex_unlock(&s->lock);
	return st;
}

const char *pbx_session_url(const struct pbx_session *s)
{
	return s ? s->url : "";
}

/* The buffer lives as long as the session; it is rewritten (under the
 * lock) only when a reconnect reports a different firmware. */
const char *pbx_session_firmware(struct pbx_session *s)
{
	return s ? s->firmware : "";
}

void pbx_session_get_version(struct pbx_session *s, char *gk, size_t gklen, char *loc, size_t loclen,
			     char *fw, size_t fwlen)
{
	if (gk && gklen)
		gk[0] = '\0';
	if (loc && loclen)
		loc[0] = '\0';
	if (fw && fwlen)
		fw[0] = '\0';
	if (!s)
		return;
	plat_mutex_lock(&s->lock);
	if (gk && gklen)
		snprintf(gk, gklen, "%s", s->gatekeeper_id);
	if (loc && loclen)
		snprintf(loc, loclen, "%s", s->location);
	if (fw && fwlen)
		snprintf(fw, fwlen, "%s", s->firmware);
	plat_mutex_unlock(&s->lock);
}

void pbx_session_get_stats(struct pbx_session *s, struct pbx_session_stats *out)
{
	if (!s || !out)
		return;
	plat_mutex_lock(&s->lock);
	*out = s->stats;
	plat_mutex_unlock(&s->lock);
}
