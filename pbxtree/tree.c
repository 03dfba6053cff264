/* PBX tree: lifecycle, timers, the enumeration check and line copies (see
 * pbxtree.h). */
#include "pbxtree/pbxtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/sched.h"
#include "base/trace.h"
#include "pbxtree/strutil.h"
#include "pbxtree/tree_internal.h"
#include "soap/pbx_io.h"
#include "soap/pbx_session.h"

/* Longest wait for our own callbacks at stop. */
#define TREE_STOP_WAIT_MS 5000

/* ---- callbacks coming back into the tree --------------------------------- */

bool tree_hold(struct pbxtree *t)
{
	plat_mutex_lock(&t->lock);
	bool ok = !t->stopping;
	if (ok)
		t->io_pending++;
	plat_mutex_unlock(&t->lock);
	return ok;
}

void tree_release(struct pbxtree *t)
{
	plat_mutex_lock(&t->lock);
	t->io_pending--;
	plat_cond_broadcast(&t->cond);
	plat_mutex_unlock(&t->lock);
}

void tree_tmr_init(struct tree_tmr *tm, struct pbxtree *t, void (*fn)(void *arg), void *arg)
{
	memset(tm, 0, sizeof(*tm));
	tm->t = t;
	tm->fn = fn;
	tm->arg = arg;
}

static void tmr_fire(void *arg)
{
	struct tree_tmr *tm = arg;
	struct pbxtree *t = tm->t;
	plat_mutex_lock(&t->lock);
	tm->armed = false;
	bool run = !t->stopping;
	plat_mutex_unlock(&t->lock);
	if (run)
		tm->fn(tm->arg);
	tree_release(t);
}

int tree_tmr_arm(struct tree_tmr *tm, uint32_t ms)
{
	struct pbxtree *t = tm->t;
	plat_mutex_lock(&t->lock);
	if (tm->armed || t->stopping) {
		plat_mutex_unlock(&t->lock);
		return TSP8_OK;
	}
	tm->armed = true;
	t->io_pending++;
	plat_mutex_unlock(&t->lock);
	uint64_t id = 0;
	int err = pbx_io_timer(t->io, ms, tmr_fire, tm, &id);
	plat_mutex_lock(&t->lock);
	if (err) {
		tm->armed = false;
		t->io_pending--;
		plat_cond_broadcast(&t->cond);
	} else {
		tm->id = id;
	}
	plat_mutex_unlock(&t->lock);
	if (err)
		TRACE(t->tr, TRACE_WARN, "PBX tree: timer not armed: %s", tsp8_strerror(err));
	return err;
}

void tree_tmr_disarm(struct tree_tmr *tm)
{
	struct pbxtree *t = tm->t;
	if (!t)
		return;
	plat_mutex_lock(&t->lock);
	bool armed = tm->armed;
	uint64_t id = tm->id;
	plat_mutex_unlock(&t->lock);
	if (!armed || pbx_io_timer_cancel(t->io, id) != TSP8_OK)
		return;   /* not armed, or firing right now: tmr_fire releases */
	plat_mutex_lock(&t->lock);
	tm->armed = false;
	t->io_pending--;
	plat_cond_broadcast(&t->cond);
	plat_mutex_unlock(&t->lock);
}

/* ---- the first enumeration ------------------------------------------------ */

void tree_check_enum(struct pbxtree *t)
{
	plat_mutex_lock(&t->lock);
	bool fire = !t->enum_reported && !t->stopping && t->n_unannounced == 0 &&
		    t->n_dev_pending == 0;
	for (size_t i = 0; fire && i < t->nroots; i++)
		fire = tree_root_settled(&t->roots[i]);
	for (struct tree_slave *s = t->slaves; fire && s; s = s->next)
		fire = !s->wanted || s->settled;
	for (struct tree_session *ts = t->sessions; fire && ts; ts = ts->next_all)
		fire = !ts->up || (ts->mon_wait == 0 && ts->mq_len == 0);
	if (fire)
		t->enum_reported = true;
	size_t n = t->nlines;
	plat_mutex_unlock(&t->lock);
	if (fire) {
		TRACE(t->tr, TRACE_INFO, "line enumeration complete: %lu lines", (unsigned long)n);
		if (t->h->enum_complete)
			t->h->enum_complete(t->arg);
	}
}

/* ---- lifecycle ------------------------------------------------------------- */

static void free_config(struct pbxtree *t)
{
	free(t->http_user);
	free(t->http_password);
	free(t->tapi_user);
	free(t->ca_file);
	free(t->pattern);
	free(t->appl);
}

/* Checks every master and standby address before anything is allocated. */
static int check_roots(const struct pbxtree_root_cfg *rc, size_t n, struct trace *tr)
{
	if (n == 0) {
		TRACE(tr, TRACE_WARN, "no PBX master configured");
		return TSP8_EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		char why[128] = "";
		struct fqdn f;
		if (fqdn_normalize(rc[i].master, &f, why, sizeof(why)) != TSP8_OK) {
			TRACE(tr, TRACE_WARN, "PBX master address %lu \"%s\" is invalid: %s", (unsigned long)i,
			      rc[i].master ? rc[i].master : "", why);
			return TSP8_EINVAL;
		}
		if (rc[i].standby && rc[i].standby[0] &&
		    fqdn_normalize(rc[i].standby, &f, why, sizeof(why)) != TSP8_OK) {
			TRACE(tr, TRACE_WARN, "PBX standby address %lu \"%s\" is invalid: %s", (unsigned long)i,
			      rc[i].standby, why);
			return TSP8_EINVAL;
		}
	}
	return TSP8_OK;
}

int pbxtree_create(struct pbxtree **out, const struct pbxtree_config *cfg)
{
	if (!out || !cfg || !cfg->io || !cfg->h)
		return TSP8_EINVAL;
	struct pbxtree_root_cfg single = { cfg->master, cfg->standby };
	const struct pbxtree_root_cfg *rc = cfg->nroots ? cfg->roots : &single;
	size_t nroots = cfg->nroots ? cfg->nroots : 1;
	if (!rc || check_roots(rc, nroots, cfg->tr) != TSP8_OK)
		return TSP8_EINVAL;
	if (!cfg->tapi_user || !cfg->tapi_user[0]) {
		TRACE(cfg->tr, TRACE_WARN, "no TAPI user (TapiUser) configured");
		return TSP8_EINVAL;
	}
	struct pbxtree *t = calloc(1, sizeof(*t));
	if (!t)
		return TSP8_ENOMEM;
	t->io = cfg->io;
	t->tr = cfg->tr;
	t->h = cfg->h;
	t->arg = cfg->arg;
	t->sched = cfg->sched;
	t->insecure = cfg->insecure;
	t->pure_node = cfg->pure_node_extensions;
	t->no_special_disconnect = cfg->no_special_disconnect;
	t->no_slaves = cfg->no_slaves;
	t->slow_call_ms = cfg->slow_call_ms;
	t->map_devices = cfg->map_devices;
	t->map_presence = cfg->map_presence;
	t->name_for_device_guid = cfg->use_name_for_device_guid;
	t->next_pbx_id = 1;
	t->next_epoch = 1;
	t->http_user = str_dup(cfg->http_user);
	t->http_password = str_dup(cfg->http_password);
	t->tapi_user = str_dup(cfg->tapi_user);
	t->ca_file = (cfg->ca_file && cfg->ca_file[0]) ? str_dup(cfg->ca_file) : NULL;
	t->pattern = str_dup(cfg->line_name_pattern && cfg->line_name_pattern[0] ?
			     cfg->line_name_pattern : "%C (%x)");
	t->appl = str_dup(cfg->appl ? cfg->appl : "TSP8");
	if (!t->http_user || !t->http_password || !t->tapi_user || !t->pattern || !t->appl ||
	    ((cfg->ca_file && cfg->ca_file[0]) && !t->ca_file)) {
		free_config(t);
		free(t);
		return TSP8_ENOMEM;
	}
	int err = plat_mutex_init(&t->lock);
	if (err) {
		free_config(t);
		free(t);
		return err;
	}
	err = plat_cond_init(&t->cond);
	if (err) {
		plat_mutex_destroy(&t->lock);
		free_config(t);
		free(t);
		return err;
	}
	tree_tmr_init(&t->commit_tmr, t, tree_commit_tick, t);
	t->buckets = calloc(TREE_LINE_BUCKETS, sizeof(*t->buckets));
	err = t->buckets ? dir_create(&t->dir) : TSP8_ENOMEM;
	if (!err)
		err = lineids_create(&t->ids, cfg->ids_store, t->tr);
	if (!err && t->sched)
		err = sched_queue_create(t->sched, &t->commit_q, "lineGUIDs");
	if (!err)
		err = tree_roots_create(t, rc, nroots);
	if (err) {
		pbxtree_destroy(t);
		return err;
	}
	TRACE(t->tr, TRACE_INFO, "PBX tree: %lu master(s), first %s, TAPI user \"%s\", line names \"%s\"%s%s%s%s",
	      (unsigned long)nroots, t->roots[0].primary.addr.url, t->tapi_user, t->pattern,
	      t->no_slaves ? ", no slaves" : "", t->map_devices ? ", device lines" : "",
	      t->map_presence ? ", presence lines" : "",
	      t->name_for_device_guid ? ", device GUIDs by name" : "");
	*out = t;
	return TSP8_OK;
}

int pbxtree_start(struct pbxtree *t)
{
	if (!t)
		return TSP8_EINVAL;
	plat_mutex_lock(&t->lock);
	bool busy = t->started || t->stopping;
	t->started = true;
	plat_mutex_unlock(&t->lock);
	if (busy)
		return TSP8_ESTATE;
	tree_roots_start(t);
	/* A root without any running session (both failed to start) counts as
	 * unreachable; the others report themselves. */
	for (size_t i = 0; i < t->nroots; i++)
		if (t->roots[i].primary.s)
			return TSP8_OK;
	TRACE(t->tr, TRACE_WARN, "PBX tree: no master session could be started");
	return TSP8_EIO;
}

/* Every endpoint with a session, collected under the lock. */
static size_t running_sessions(struct pbxtree *t, struct tree_session ***out)
{
	plat_mutex_lock(&t->lock);
	size_t n = 0;
	for (struct tree_session *ts = t->sessions; ts; ts = ts->next_all)
		if (ts->s)
			n++;
	struct tree_session **v = n ? calloc(n, sizeof(*v)) : NULL;
	size_t k = 0;
	for (struct tree_session *ts = t->sessions; v && ts; ts = ts->next_all)
		if (ts->s)
			v[k++] = ts;
	plat_mutex_unlock(&t->lock);
	*out = v;
	return v ? k : 0;
}

void pbxtree_stop(struct pbxtree *t)
{
	if (!t)
		return;
	plat_mutex_lock(&t->lock);
	if (t->stopped || t->stopping) {
		plat_mutex_unlock(&t->lock);
		return;
	}
	t->stopping = true;
	plat_mutex_unlock(&t->lock);

	tree_tmr_disarm(&t->commit_tmr);
	for (struct tree_slave *s = t->slaves; s; s = s->next)
		tree_tmr_disarm(&s->url_tmr);
	struct tree_session **v = NULL;
	size_t n = running_sessions(t, &v);
	for (size_t i = 0; i < n; i++)
		pbx_session_stop(v[i]->s);
	free(v);

	/* Wait for our own callbacks still queued (timers, commits, call
	 * operations not yet handed to a session). */
	uint64_t until = plat_now_ms() + TREE_STOP_WAIT_MS;
	plat_mutex_lock(&t->lock);
	while (t->io_pending > 0) {
		uint64_t now = plat_now_ms();
		if (now >= until)
			break;
		plat_cond_timedwait(&t->cond, &t->lock, (uint32_t)(until - now));
	}
	unsigned left = t->io_pending;
	plat_mutex_unlock(&t->lock);
	if (left)
		TRACE(t->tr, TRACE_WARN, "PBX tree stop: %u callbacks did not finish in time", left);

	/* IDs handed out but not yet written (a line was on its way). */
	tree_announce_flush(t);
	tree_ops_cancel_all(t);
	plat_mutex_lock(&t->lock);
	t->stopped = true;
	plat_mutex_unlock(&t->lock);
}

void pbxtree_destroy(struct pbxtree *t)
{
	if (!t)
		return;
	if (t->started)
		pbxtree_stop(t);
	if (t->io_pending) {
		/* a callback may still run later: leaking is safer than freeing */
		TRACE(t->tr, TRACE_WARN, "PBX tree not freed: callbacks outstanding");
		return;
	}
	/* Monitors belong to the sessions, which are stopped: destroying them
	 * frees the monitors. */
	for (struct tree_session *ts = t->sessions; ts; ts = ts->next_all) {
		pbx_session_destroy(ts->s);
		ts->s = NULL;
	}
	if (t->commit_q)
		sched_queue_destroy(t->commit_q);
	while (t->lines) {
		struct tree_line *l = t->lines;
		t->lines = l->next;
		tree_line_free(l);
	}
	free(t->buckets);
	dir_destroy(t->dir);
	lineids_destroy(t->ids);
	while (t->slaves) {
		struct tree_slave *s = t->slaves;
		t->slaves = s->next;
		tree_session_fini(&s->ts);
		free(s->loc);
		free(s);
	}
	for (size_t i = 0; i < t->nroots; i++) {
		tree_session_fini(&t->roots[i].primary);
		tree_session_fini(&t->roots[i].standby);
	}
	free(t->roots);
	plat_cond_destroy(&t->cond);
	plat_mutex_destroy(&t->lock);
	free_config(t);
	free(t);
}

const char *pbxtree_master_url(const struct pbxtree *t)
{
	return (t && t->nroots) ? t->roots[0].primary.addr.url : "";
}

void pbxtree_get_stats(struct pbxtree *t, struct pbxtree_stats *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	if (!t)
		return;
	plat_mutex_lock(&t->lock);
	out->lines = t->nlines;
	out->objects = dir_count(t->dir);
	for (struct tree_session *ts = t->sessions; ts; ts = ts->next_all) {
		out->sessions += ts->s != NULL;
		out->sessions_up += ts->up;
	}
	for (struct tree_slave *s = t->slaves; s; s = s->next)
		out->slaves += s->wanted;
	plat_mutex_unlock(&t->lock);
	out->ids_pending = lineids_pending(t->ids);
}

/* ---- line copies ------------------------------------------------------------ */

/* Appends s to buf at *pos; returns the copy or NULL when out of room. */
static const char *copy_into(char *buf, size_t len, size_t *pos, const char *s)
{
	size_t n = strlen(s ? s : "") + 1;
	if (*pos + n > len)
		return NULL;
	char *d = buf + *pos;
	memcpy(d, s ? s : "", n);
	*pos += n;
	return d;
}

int pbxtree_get_line(struct pbxtree *t, uint32_t line_id, struct pbxtree_line_info *out,
		     char *buf, size_t buflen)
{
	if (!t || !out || !buf)
		return TSP8_EINVAL;
	int err = TSP8_OK;
	size_t pos = 0;
	plat_mutex_lock(&t->lock);
	struct tree_line *l = tree_find_line(t, line_id);
	if (!l || !l->announced || !l->obj) {
		err = TSP8_ENOTFOUND;
	} else {
		struct pbxtree_line_info li;
		tree_line_info(t, l, &li);
		*out = li;
		out->guid = copy_into(buf, buflen, &pos, li.guid);
		out->name = copy_into(buf, buflen, &pos, li.name);
		out->address = copy_into(buf, buflen, &pos, li.address);
		out->cn = copy_into(buf, buflen, &pos, li.cn);
		out->dn = copy_into(buf, buflen, &pos, li.dn);
		out->h323 = copy_into(buf, buflen, &pos, li.h323);
		out->e164 = copy_into(buf, buflen, &pos, li.e164);
		out->device_hw = copy_into(buf, buflen, &pos, li.device_hw);
		out->device_name = copy_into(buf, buflen, &pos, li.device_name);
		out->pbx_name = copy_into(buf, buflen, &pos, li.pbx_name);
		out->pbx_firmware = copy_into(buf, buflen, &pos, li.pbx_firmware);
		if (!out->guid || !out->name || !out->address || !out->cn || !out->dn || !out->h323 ||
		    !out->e164 || !out->device_hw || !out->device_name || !out->pbx_name ||
		    !out->pbx_firmware)
			err = TSP8_ELIMIT;
	}
	plat_mutex_unlock(&t->lock);
	return err;
}
