/* PBX tree: slaves.  A registered PBX object (object "pbx", or a V7-style
 * "node") in a root's scope names a slave by its h323 (the location):
 * LocationUrl(loc) on the root gives the slave's URL, and a session there
 * monitors the users whose loc is that slave.  A slave that unregisters or
 * leaves the scope is dropped (its lines go out of service and come back
 * when it registers again); one that cannot be reached or refuses us is
 * retried by its session with backoff while the others carry on.  All on
 * the pbx_io thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/strutil.h"
#include "pbxtree/tree_internal.h"
#include "soap/pbx_session.h"

#define SLAVE_URL_RETRY_MIN_MS 1000u
#define SLAVE_URL_RETRY_MAX_MS 30000u
#define SLAVE_BACKOFF_MAX_MS   30000u

struct tree_slave *tree_slave_find(struct pbxtree *t, const struct tree_root *r, const char *loc)
{
	for (struct tree_slave *s = t->slaves; s; s = s->next)
		if (s->root == r && str_casecmp(s->loc, loc) == 0)
			return s;
	return NULL;
}

static void url_retry(void *arg);

/* Lines of some session wait for their first UserInitialize (t->lock). */
static bool monitors_busy(const struct pbxtree *t)
{
	for (const struct tree_session *ts = t->sessions; ts; ts = ts->next_all)
		if (ts->s && (ts->mq_len > 0 || ts->mon_wait > 0))
			return true;
	return false;
}

void tree_slaves_poll_gate(struct pbxtree *t)
{
	plat_mutex_lock(&t->lock);
	bool any = false;
	if (t->n_poll_paused > 0 && !t->stopping && !monitors_busy(t)) {
		for (struct tree_slave *s = t->slaves; s; s = s->next) {
			struct tree_session *ts = &s->ts;
			if (ts->poll_paused && s->root->dump_done) {
				ts->poll_paused = false;
				ts->poll_resume = true;
				t->n_poll_paused--;
				any = true;
			}
		}
	}
	plat_mutex_unlock(&t->lock);
	/* the slave list and ts.s only change on this thread */
	for (struct tree_slave *s = any ? t->slaves : NULL; s; s = s->next) {
		if (!s->ts.poll_resume)
			continue;
		s->ts.poll_resume = false;
		if (s->ts.s)
			pbx_session_poll_pause(s->ts.s, false);
	}
}

static struct tree_slave *slave_new(struct tree_root *r, const char *loc)
{
	struct pbxtree *t = r->t;
	struct tree_slave *s = calloc(1, sizeof(*s));
	if (!s || !(s->loc = str_dup(loc))) {
		free(s);
		TRACE(t->tr, TRACE_WARN, "slave \"%s\": out of memory", loc);
		return NULL;
	}
	char label[96];
	snprintf(label, sizeof(label), "slave %.80s", loc);
	if (tree_session_init(t, &s->ts, r, s, label) != TSP8_OK) {
		free(s->loc);
		free(s);
		TRACE(t->tr, TRACE_WARN, "slave \"%s\": out of memory", loc);
		return NULL;
	}
	s->root = r;
	s->url_backoff_ms = SLAVE_URL_RETRY_MIN_MS;
	tree_tmr_init(&s->url_tmr, t, url_retry, s);
	plat_mutex_lock(&t->lock);
	s->next = t->slaves;
	t->slaves = s;
	plat_mutex_unlock(&t->lock);
	return s;
}

/* Host of a URL on this machine: the PBX told us where the slave is seen
 * from the master, which is not where we can reach it. */
static bool is_loopback(const char *host)
{
	return strncmp(host, "127.", 4) == 0 || str_casecmp(host, "localhost") == 0 ||
	       strcmp(host, "[::1]") == 0;
}

/* The slave answered or failed: lines that waited for it are reported. */
static void settle(struct tree_slave *s)
{
	struct pbxtree *t = s->root->t;
	plat_mutex_lock(&t->lock);
	bool was = s->settled;
	s->settled = true;
	plat_mutex_unlock(&t->lock);
	if (!was)
		tree_announce_retry_all(t);
}

static void schedule_url_retry(struct tree_slave *s)
{
	uint32_t d = s->url_backoff_ms;
	s->url_backoff_ms = d * 2 > SLAVE_URL_RETRY_MAX_MS ? SLAVE_URL_RETRY_MAX_MS : d * 2;
	tree_tmr_arm(&s->url_tmr, d);
}

/* Stops the slave's session after its lines went elsewhere. */
static void stop_session(struct tree_slave *s)
{
	struct pbxtree *t = s->root->t;
	plat_mutex_lock(&t->lock);
	s->st = SLAVE_IDLE;
	plat_mutex_unlock(&t->lock);
	tree_lines_rehome_all(t);
	tree_session_close(&s->ts);
}

static void connect_url(struct tree_slave *s, const char *url)
{
	struct pbxtree *t = s->root->t;
	char why[128] = "";
	struct fqdn f;
	if (fqdn_normalize(url, &f, why, sizeof(why)) != TSP8_OK) {
		TRACE(t->tr, TRACE_WARN, "slave \"%s\": LocationUrl gave \"%s\", which is not usable (%s)",
		      s->loc, url, why);
		settle(s);
		schedule_url_retry(s);
		return;
	}
	if (s->st == SLAVE_RUNNING && s->ts.s && strcmp(s->ts.addr.url, f.url) == 0)
		return;   /* known already */
	if (s->ts.s)
		stop_session(s);
	s->ts.addr = f;
	s->loopback = is_loopback(f.host);
	s->loopback_warned = false;
	s->url_backoff_ms = SLAVE_URL_RETRY_MIN_MS;
	if (s->loopback)
		TRACE(t->tr, TRACE_INFO, "slave \"%s\": the master knows it as %s (loopback); trying it",
		      s->loc, f.url);
	if (tree_session_open(&s->ts, 0, SLAVE_BACKOFF_MAX_MS) != TSP8_OK) {
		settle(s);
		schedule_url_retry(s);
		return;
	}
	plat_mutex_lock(&t->lock);
	s->st = SLAVE_RUNNING;
	plat_mutex_unlock(&t->lock);
	/* its users come over from "nowhere" */
	tree_lines_rehome_all(t);
}

static void url_done(void *arg, int err, const char *url)
{
	struct tree_slave *s = arg;
	struct pbxtree *t = s->root->t;
	plat_mutex_lock(&t->lock);
	bool quiet = t->stopping;
	s->url_pending = false;
	s->url_asked = NULL;
	plat_mutex_unlock(&t->lock);
	if (!quiet && s->wanted) {
		if (err) {
			TRACE(t->tr, TRACE_WARN, "slave \"%s\": LocationUrl failed: %s; retrying", s->loc,
			      tsp8_strerror(err));
			settle(s);
			schedule_url_retry(s);
		} else if (!url || !url[0]) {
			TRACE(t->tr, TRACE_WARN, "slave \"%s\": the master knows no URL for it (LocationUrl "
			      "empty); its users stay out of service", s->loc);
			settle(s);
			schedule_url_retry(s);
		} else {
			TRACE(t->tr, TRACE_LINE, "slave \"%s\": LocationUrl -> %s", s->loc, url);
			connect_url(s, url);
		}
		tree_check_enum(t);
	}
	tree_release(t);
}

/* Asks the root's serving session where the slave is. */
static void ask_url(struct tree_slave *s)
{
	struct tree_root *r = s->root;
	struct pbxtree *t = r->t;
	if (!s->wanted || s->url_pending)
		return;
	struct tree_session *as = r->active;
	if (!as || !as->s || !as->up)
		return;   /* asked again when the root is up (tree_slaves_root_changed) */
	if (!tree_hold(t))
		return;
	plat_mutex_lock(&t->lock);
	s->url_pending = true;
	s->url_asked = as;
	if (s->st == SLAVE_IDLE)
		s->st = SLAVE_URL_WAIT;
	plat_mutex_unlock(&t->lock);
	int err = pbx_session_location_url(as->s, s->loc, r->primary.addr.tls, url_done, s);
	if (err) {
		plat_mutex_lock(&t->lock);
		s->url_pending = false;
		s->url_asked = NULL;
		plat_mutex_unlock(&t->lock);
		tree_release(t);
		TRACE(t->tr, TRACE_WARN, "slave \"%s\": LocationUrl not sent: %s", s->loc, tsp8_strerror(err));
		settle(s);
		schedule_url_retry(s);
	}
}

static void url_retry(void *arg)
{
	struct tree_slave *s = arg;
	if (s->wanted && !(s->st == SLAVE_RUNNING && s->ts.s))
		ask_url(s);
}

static void drop(struct tree_slave *s, const char *why)
{
	struct pbxtree *t = s->root->t;
	TRACE(t->tr, TRACE_INFO, "slave \"%s\" %s: its lines go out of service", s->loc, why);
	plat_mutex_lock(&t->lock);
	s->wanted = false;
	plat_mutex_unlock(&t->lock);
	settle(s);
	tree_tmr_disarm(&s->url_tmr);
	if (s->ts.s)
		stop_session(s);
	else
		tree_lines_rehome_all(t);
	plat_mutex_lock(&t->lock);
	s->st = SLAVE_IDLE;
	plat_mutex_unlock(&t->lock);
}

void tree_slave_object(struct tree_root *r, struct dir_object *obj, bool gone)
{
	struct pbxtree *t = r->t;
	if (t->no_slaves)
		return;
	const char *loc = obj->h323;
	if (!loc || !loc[0]) {
		TRACE(t->tr, TRACE_LINE, "PBX object %s has no name (h323): ignored", obj->cn);
		return;
	}
	if (tree_root_is_self(r, loc))
		return;   /* the master's own PBX object */
	struct tree_slave *s = tree_slave_find(t, r, loc);
	bool registered = !gone && obj->state == 1;
	if (!s && !registered)
		return;
	if (!s && !(s = slave_new(r, loc)))
		return;
	if (registered && !s->wanted) {
		TRACE(t->tr, TRACE_INFO, "slave \"%s\" (PBX object %s) is registered", s->loc, obj->cn);
		plat_mutex_lock(&t->lock);
		s->wanted = true;
		s->settled = false;
		plat_mutex_unlock(&t->lock);
		s->url_backoff_ms = SLAVE_URL_RETRY_MIN_MS;
		ask_url(s);
	} else if (!registered && s->wanted) {
		drop(s, gone ? "left the scope" : "is no longer registered");
	}
}

void tree_slave_on_state(struct tree_session *ts, bool up, bool first_failure, int err)
{
	struct tree_slave *s = ts->slave;
	struct pbxtree *t = ts->t;
	plat_mutex_lock(&t->lock);
	if (up || first_failure)
		s->settled = true;
	plat_mutex_unlock(&t->lock);
	if (up) {
		if (s->loopback_warned)
			TRACE(t->tr, TRACE_INFO, "slave \"%s\" reachable at %s after all", s->loc,
			      ts->addr.url);
		return;
	}
	if (s->loopback && !s->loopback_warned) {
		s->loopback_warned = true;
		TRACE(t->tr, TRACE_WARN,
		      "slave \"%s\": cannot connect to %s (%s). The master only knows this slave under a "
		      "loopback address: it is registered over 127.0.0.1, as a dynamic PBX on the master's "
		      "own device is. A TAPI server elsewhere cannot reach it that way; register the slave "
		      "with an address that is reachable from here. Its lines stay out of service.",
		      s->loc, ts->addr.url, tsp8_strerror(err));
	} else if (first_failure) {
		TRACE(t->tr, TRACE_WARN, "slave \"%s\" at %s failed: %s; its lines stay out of service, "
		      "retrying with backoff", s->loc, ts->addr.url, tsp8_strerror(err));
	}
}

void tree_slaves_root_changed(struct tree_root *r)
{
	struct pbxtree *t = r->t;
	for (struct tree_slave *s = t->slaves; s; s = s->next) {
		if (s->root != r || !s->wanted)
			continue;
		if (s->url_pending && s->url_asked == r->active)
			continue;
		if (s->st == SLAVE_RUNNING && s->ts.s)
			continue;
		ask_url(s);
	}
}
