/* PBX tree: lifecycle and the session handler (see pbxtree.h). */
#include "pbxtree/pbxtree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/pbxver.h"
#include "pbxtree/strutil.h"
#include "pbxtree/tree_internal.h"
#include "soap/pbx_io.h"
#include "soap/pbx_session.h"

/* Longest wait for our own pbx_io callbacks at stop. */
#define TREE_STOP_WAIT_MS 5000

/* ---- session handler (pbx_io thread) ------------------------------------ */

static void version_done(void *arg, int err, const char *gk, const char *fw);

/* Asks the PBX of ts for its Version() unless a request is outstanding. */
static void start_version_fetch(struct tree_session *ts)
{
	struct pbxtree *t = ts->t;
	plat_mutex_lock(&t->lock);
	if (ts->version_pending || t->stopping) {
		plat_mutex_unlock(&t->lock);
		return;
	}
	ts->version_pending = true;
	t->io_pending++;
	plat_mutex_unlock(&t->lock);

	struct pbxver_req req = {
		.url = ts->addr->url,
		.user = t->http_user,
		.password = t->http_password,
		.ca_file = t->ca_file,
		.insecure = t->insecure,
		.tr = t->tr,
	};
	uint64_t id = 0;
	int err = pbxver_fetch(t->io, &req, version_done, ts, &id);
	plat_mutex_lock(&t->lock);
	if (err) {
		/* done will not be called: undo and count the PBX name as
		 * unknown, so enumeration does not wait for it */
		ts->version_pending = false;
		t->io_pending--;
		t->version_done = true;
		plat_cond_broadcast(&t->cond);
	} else {
		ts->version_req = id;
	}
	plat_mutex_unlock(&t->lock);
	if (err) {
		TRACE(t->tr, TRACE_WARN, "%s: Version() not sent: %s", ts->addr->url, tsp8_strerror(err));
		tree_maybe_enum_complete(t);
	}
}

static void version_done(void *arg, int err, const char *gk, const char *fw)
{
	struct tree_session *ts = arg;
	struct pbxtree *t = ts->t;
	/* The PBX name falls back to the host we connect to. */
	const char *name = (!err && gk && gk[0]) ? gk : ts->addr->host;
	char *n = str_dup(name), *f = str_dup(err ? "" : fw);
	plat_mutex_lock(&t->lock);
	bool stopping = t->stopping;
	if (n && f) {
		free(ts->pbx_name);
		free(ts->firmware);
		ts->pbx_name = n;
		ts->firmware = f;
		n = f = NULL;
	}
	ts->version_pending = false;
	t->version_done = true;
	plat_mutex_unlock(&t->lock);
	free(n);
	free(f);
	if (err && err != TSP8_ECANCELED)
		TRACE(t->tr, TRACE_WARN, "%s: PBX name unknown (%s), using \"%s\"", ts->addr->url,
		      tsp8_strerror(err), name);
	else if (!err)
		TRACE(t->tr, TRACE_INFO, "%s: PBX \"%s\" firmware \"%s\"", ts->addr->url, name, fw ? fw : "");
	if (!stopping) {
		tree_on_version(ts);
		tree_maybe_enum_complete(t);
	}
	/* last: after this the tree may be freed by pbxtree_stop/destroy */
	plat_mutex_lock(&t->lock);
	t->io_pending--;
	plat_cond_broadcast(&t->cond);
	plat_mutex_unlock(&t->lock);
}

static void on_state(void *arg, enum pbx_session_state st, int err, const char *why)
{
	struct tree_session *ts = arg;
	struct pbxtree *t = ts->t;
	/* the session traces its own state changes; this is the tree's view */
	TRACE(t->tr, TRACE_LINE, "%s: session %s %s %s", ts->addr->url, pbx_session_state_name(st),
	      err ? tsp8_strerror(err) : "", why ? why : "");
	if (st == PBX_SESSION_UP) {
		start_version_fetch(ts);
		tree_on_service(ts, true);
	} else if (st == PBX_SESSION_DOWN || st == PBX_SESSION_STOPPED) {
		tree_on_service(ts, false);
	}
}

static void on_reset(void *arg)
{
	struct tree_session *ts = arg;
	struct pbxtree *t = ts->t;
	TRACE(t->tr, TRACE_INFO, "%s: session re-established, resynchronising", ts->addr->url);
	tree_on_reset(ts);
	if (t->h->session_reset)
		t->h->session_reset(t->arg, ts->id);
}

static void on_user(void *arg, const struct pbx_user *u)
{
	tree_on_user(arg, u);
}

static void on_dump_end(void *arg)
{
	tree_on_dump_end(arg);
}

static void on_call(void *arg, void *cookie, const struct pbx_call *c)
{
	struct tree_session *ts = arg;
	struct pbxtree *t = ts->t;
	struct tree_line *l = cookie;
	if (!l || !c)
		return;
	TRACE(t->tr, TRACE_DUMPCALL, "CallInfo line 0x%08x user %d call %d active %d state 0x%x msg %s",
	      l->id, c->user, c->call, c->active, (unsigned)c->state, c->msg);
	struct pbxtree_call_event ev = { l->id, ts->id, c };
	if (t->h->call)
		t->h->call(t->arg, &ev);
}

static void on_monitor(void *arg, void *cookie, int err)
{
	struct tree_session *ts = arg;
	struct tree_line *l = cookie;
	if (!l)
		return;
	if (err)
		TRACE(ts->t->tr, TRACE_WARN, "UserInitialize of line 0x%08x failed: %s", l->id,
		      tsp8_strerror(err));
	else
		TRACE(ts->t->tr, TRACE_LINE, "line 0x%08x monitored", l->id);
	tree_on_monitor(ts, l, err);
}

static const struct pbx_session_handler session_handler = {
	.state = on_state,
	.reset = on_reset,
	.user = on_user,
	.dump_end = on_dump_end,
	.call = on_call,
	.monitor = on_monitor,
};

/* ---- lifecycle ----------------------------------------------------------- */

static void free_config(struct pbxtree *t)
{
	free(t->standby);
	free(t->http_user);
	free(t->http_password);
	free(t->tapi_user);
	free(t->ca_file);
	free(t->pattern);
	free(t->appl);
}

int pbxtree_create(struct pbxtree **out, const struct pbxtree_config *cfg)
{
	if (!out || !cfg || !cfg->io || !cfg->h)
		return TSP8_EINVAL;
	char why[128] = "";
	struct fqdn master;
	if (fqdn_normalize(cfg->master, &master, why, sizeof(why)) != TSP8_OK) {
		TRACE(cfg->tr, TRACE_WARN, "PBX master address \"%s\" is invalid: %s",
		      cfg->master ? cfg->master : "", why);
		return TSP8_EINVAL;
	}
	if (!cfg->tapi_user || !cfg->tapi_user[0]) {
		TRACE(cfg->tr, TRACE_WARN, "no TAPI user (TapiUser) configured");
		return TSP8_EINVAL;
	}
	struct pbxtree *t = calloc(1, sizeof(*t));
	if (!t)
		return TSP8_ENOMEM;
	t->master = master;
	t->io = cfg->io;
	t->tr = cfg->tr;
	t->h = cfg->h;
	t->arg = cfg->arg;
	t->insecure = cfg->insecure;
	t->pure_node = cfg->pure_node_extensions;
	t->no_special_disconnect = cfg->no_special_disconnect;
	t->standby = str_dup(cfg->standby);
	t->http_user = str_dup(cfg->http_user);
	t->http_password = str_dup(cfg->http_password);
	t->tapi_user = str_dup(cfg->tapi_user);
	t->ca_file = (cfg->ca_file && cfg->ca_file[0]) ? str_dup(cfg->ca_file) : NULL;
	t->pattern = str_dup(cfg->line_name_pattern && cfg->line_name_pattern[0] ?
			     cfg->line_name_pattern : "%C (%x)");
	t->appl = str_dup(cfg->appl ? cfg->appl : "TSP8");
	t->ms.t = t;
	t->ms.id = TREE_SESSION_MASTER;
	t->ms.addr = &t->master;
	t->ms.pbx_name = str_dup(master.host);
	t->ms.firmware = str_dup("");
	int err = TSP8_OK;
	if (!t->standby || !t->http_user || !t->http_password || !t->tapi_user || !t->pattern ||
	    !t->appl || !t->ms.pbx_name || !t->ms.firmware || ((cfg->ca_file && cfg->ca_file[0]) && !t->ca_file))
		err = TSP8_ENOMEM;
	if (!err)
		err = plat_mutex_init(&t->lock);
	if (err) {
		free_config(t);
		free(t->ms.pbx_name);
		free(t->ms.firmware);
		free(t);
		return err;
	}
	err = plat_cond_init(&t->cond);
	if (!err)
		err = dir_create(&t->dir);
	if (!err)
		err = lineids_create(&t->ids, cfg->ids_store, t->tr);
	if (err) {
		pbxtree_destroy(t);
		return err;
	}
	if (t->standby[0])
		TRACE(t->tr, TRACE_INFO, "standby PBX \"%s\" noted (not used yet)", t->standby);
	TRACE(t->tr, TRACE_INFO, "PBX master %s, TAPI user \"%s\", line names \"%s\"", master.url,
	      t->tapi_user, t->pattern);
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
	struct pbx_session_config sc = {
		.url = t->master.url,
		.http_user = t->http_user,
		.http_password = t->http_password,
		.session_user = t->tapi_user,
		.appl = t->appl,
		.ca_file = t->ca_file,
		.insecure = t->insecure,
		.name = "master",
		.tr = t->tr,
		.h = &session_handler,
		.arg = &t->ms,
	};
	int err = pbx_session_create(&t->ms.s, t->io, &sc);
	if (!err)
		err = pbx_session_start(t->ms.s);
	if (err) {
		TRACE(t->tr, TRACE_WARN, "%s: session not started: %s", t->master.url, tsp8_strerror(err));
		pbx_session_destroy(t->ms.s);
		t->ms.s = NULL;
	}
	return err;
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
	bool vp = t->ms.version_pending;
	uint64_t vid = t->ms.version_req;
	plat_mutex_unlock(&t->lock);

	if (vp)
		pbx_io_cancel(t->io, vid);
	if (t->ms.s)
		pbx_session_stop(t->ms.s);

	/* Wait for our own callbacks still queued on the pbx_io thread
	 * (Version() answer, call operations not yet handed to the session). */
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
		TRACE(t->tr, TRACE_WARN, "PBX tree stop: %u I/O callbacks did not finish in time", left);

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
		TRACE(t->tr, TRACE_WARN, "PBX tree not freed: I/O callbacks outstanding");
		return;
	}
	/* Monitors belong to the session, which is stopped: destroying it frees
	 * them. */
	pbx_session_destroy(t->ms.s);
	t->ms.s = NULL;
	while (t->lines) {
		struct tree_line *l = t->lines;
		t->lines = l->next;
		tree_line_free(l);
	}
	dir_destroy(t->dir);
	lineids_destroy(t->ids);
	plat_cond_destroy(&t->cond);
	plat_mutex_destroy(&t->lock);
	free(t->ms.pbx_name);
	free(t->ms.firmware);
	free_config(t);
	free(t);
}

const char *pbxtree_master_url(const struct pbxtree *t)
{
	return t ? t->master.url : "";
}

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
	if (!l) {
		err = TSP8_ENOTFOUND;
	} else {
		out->id = l->id;
		out->session_id = l->ts->id;
		out->in_service = l->in_service;
		out->guid = copy_into(buf, buflen, &pos, l->guid);
		out->name = copy_into(buf, buflen, &pos, l->name);
		out->address = copy_into(buf, buflen, &pos, l->address);
		out->cn = copy_into(buf, buflen, &pos, l->obj->cn);
		out->dn = copy_into(buf, buflen, &pos, l->obj->dn);
		out->h323 = copy_into(buf, buflen, &pos, l->obj->h323);
		out->e164 = copy_into(buf, buflen, &pos, l->obj->e164);
		out->pbx_name = copy_into(buf, buflen, &pos, l->ts->pbx_name);
		out->pbx_firmware = copy_into(buf, buflen, &pos, l->ts->firmware);
		if (!out->guid || !out->name || !out->address || !out->cn || !out->dn || !out->h323 ||
		    !out->e164 || !out->pbx_name || !out->pbx_firmware)
			err = TSP8_ELIMIT;
	}
	plat_mutex_unlock(&t->lock);
	return err;
}
