/* PBX tree: one endpoint session (master, standby or slave) and the session
 * handler that routes its callbacks to the root or slave logic.  All
 * callbacks run on the pbx_io thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/strutil.h"
#include "pbxtree/tree_internal.h"
#include "soap/pbx_session.h"

/* The tree's view once it stops: callbacks still arriving change nothing. */
static bool stopping(struct pbxtree *t)
{
	plat_mutex_lock(&t->lock);
	bool s = t->stopping;
	plat_mutex_unlock(&t->lock);
	return s;
}

/* Takes the PBX name, location and firmware of the connection that just
 * came up.  True when the name changed (line names may follow). */
static bool take_version(struct tree_session *ts)
{
	struct pbxtree *t = ts->t;
	char gk[128], loc[128], fw[128];
	pbx_session_get_version(ts->s, gk, sizeof(gk), loc, sizeof(loc), fw, sizeof(fw));
	char *n = str_dup(gk[0] ? gk : ts->addr.host);
	char *l = str_dup(loc), *f = str_dup(fw);
	bool changed = false;
	plat_mutex_lock(&t->lock);
	if (n && l && f) {
		changed = !str_eq(n, ts->pbx_name) || !str_eq(f, ts->firmware);
		free(ts->pbx_name);
		free(ts->location);
		free(ts->firmware);
		ts->pbx_name = n;
		ts->location = l;
		ts->firmware = f;
		n = l = f = NULL;
	}
	plat_mutex_unlock(&t->lock);
	free(n);
	free(l);
	free(f);
	if (changed)
		TRACE(t->tr, TRACE_INFO, "%s %s: PBX \"%s\" location \"%s\" firmware \"%s\"", ts->label,
		      ts->addr.url, ts->pbx_name, ts->location, ts->firmware);
	return changed;
}

static void on_state(void *arg, enum pbx_session_state st, int err, const char *why)
{
	struct tree_session *ts = arg;
	struct pbxtree *t = ts->t;
	TRACE(t->tr, TRACE_LINE, "%s %s: session %s %s %s", ts->label, ts->addr.url,
	      pbx_session_state_name(st), err ? tsp8_strerror(err) : "", why ? why : "");
	if (stopping(t))
		return;
	if (st == PBX_SESSION_UP) {
		bool renamed = take_version(ts);
		plat_mutex_lock(&t->lock);
		ts->up = true;
		ts->ever_up = true;
		plat_mutex_unlock(&t->lock);
		if (ts->slave)
			tree_slave_on_state(ts, true, false, TSP8_OK);
		else
			tree_root_on_state(ts, true, false);
		tree_lines_service(t, ts);
		if (renamed)
			tree_lines_rename(t, ts);
	} else if (st == PBX_SESSION_DOWN) {
		plat_mutex_lock(&t->lock);
		ts->up = false;
		bool first = !ts->ever_up && !ts->failed_once;
		ts->failed_once = true;
		plat_mutex_unlock(&t->lock);
		/* the standby first: its connection starts before the lines are
		 * walked */
		if (ts->slave)
			tree_slave_on_state(ts, false, first, err);
		else
			tree_root_on_state(ts, false, first);
		tree_lines_service(t, ts);
	}
	tree_check_enum(t);
}

static void on_reset(void *arg)
{
	struct tree_session *ts = arg;
	if (stopping(ts->t))
		return;
	TRACE(ts->t->tr, TRACE_INFO, "%s %s: session re-established, resynchronising", ts->label,
	      ts->addr.url);
	tree_session_new_epoch(ts);
	if (!ts->slave)
		tree_root_on_reset(ts);
}

static void on_user(void *arg, const struct pbx_user *u)
{
	struct tree_session *ts = arg;
	if (!u || stopping(ts->t))
		return;
	/* Slaves report the replicated objects too; the root is the one
	 * source of the directory. */
	if (!ts->slave)
		tree_root_on_user(ts, u);
}

static void on_dump_end(void *arg)
{
	struct tree_session *ts = arg;
	if (!ts->slave && !stopping(ts->t))
		tree_root_on_dump_end(ts);
}

static void on_call(void *arg, void *cookie, const struct pbx_call *c)
{
	struct tree_session *ts = arg;
	struct pbxtree *t = ts->t;
	struct tree_line *l = cookie;
	if (!l || !c || stopping(t))
		return;
	TRACE(t->tr, TRACE_DUMPCALL, "CallInfo line 0x%08x (%s) user %d call %d active %d state 0x%x msg %s",
	      l->id, ts->label, c->user, c->call, c->active, (unsigned)c->state, c->msg);
	if (l->ts != ts || !l->announced)
		return;   /* the line moved on: its old monitor's last words */
	struct pbxtree_call_event ev = { l->id, ts->pbx_id, ts->id, c };
	if (t->h->call)
		t->h->call(t->arg, &ev);
}

static void on_monitor(void *arg, void *cookie, int err)
{
	struct tree_session *ts = arg;
	struct tree_line *l = cookie;
	if (!l || stopping(ts->t))
		return;
	if (err)
		TRACE(ts->t->tr, TRACE_WARN, "UserInitialize of line 0x%08x on %s failed: %s", l->id,
		      ts->label, tsp8_strerror(err));
	else
		TRACE(ts->t->tr, TRACE_LINE, "line 0x%08x monitored on %s", l->id, ts->label);
	tree_line_on_monitor(ts, l, err);
	tree_check_enum(ts->t);
}

static const struct pbx_session_handler session_handler = {
	.state = on_state,
	.reset = on_reset,
	.user = on_user,
	.dump_end = on_dump_end,
	.call = on_call,
	.monitor = on_monitor,
};

/* ---- endpoints ---------------------------------------------------------- */

int tree_session_init(struct pbxtree *t, struct tree_session *ts, struct tree_root *root,
		      struct tree_slave *slave, const char *label)
{
	memset(ts, 0, sizeof(*ts));
	ts->t = t;
	ts->root = root;
	ts->slave = slave;
	snprintf(ts->label, sizeof(ts->label), "%s", label);
	ts->pbx_name = str_dup("");
	ts->firmware = str_dup("");
	ts->location = str_dup("");
	if (!ts->pbx_name || !ts->firmware || !ts->location) {
		tree_session_fini(ts);
		return TSP8_ENOMEM;
	}
	plat_mutex_lock(&t->lock);
	ts->pbx_id = t->next_pbx_id++;
	ts->id = t->next_epoch++;
	ts->next_all = t->sessions;
	t->sessions = ts;
	plat_mutex_unlock(&t->lock);
	return TSP8_OK;
}

void tree_session_fini(struct tree_session *ts)
{
	free(ts->pbx_name);
	free(ts->firmware);
	free(ts->location);
	ts->pbx_name = ts->firmware = ts->location = NULL;
}

int tree_session_open(struct tree_session *ts, uint32_t backoff_min_ms, uint32_t backoff_max_ms)
{
	struct pbxtree *t = ts->t;
	/* Until the PBX says its name, the host stands for it. */
	if (!ts->pbx_name[0]) {
		char *n = str_dup(ts->addr.host);
		if (n) {
			plat_mutex_lock(&t->lock);
			free(ts->pbx_name);
			ts->pbx_name = n;
			plat_mutex_unlock(&t->lock);
		}
	}
	struct pbx_session_config sc = {
		.url = ts->addr.url,
		.http_user = t->http_user,
		.http_password = t->http_password,
		.session_user = t->tapi_user,
		.appl = t->appl,
		.ca_file = t->ca_file,
		.insecure = t->insecure,
		.backoff_min_ms = backoff_min_ms,
		.backoff_max_ms = backoff_max_ms,
		.slow_call_ms = t->slow_call_ms,
		.name = ts->label,
		/* a slave reports the replicated directory again: the root's
		 * dump is the one used */
		.ignore_users = ts->slave != NULL,
		.tr = t->tr,
		.h = &session_handler,
		.arg = ts,
	};
	struct pbx_session *s = NULL;
	int err = pbx_session_create(&s, t->io, &sc);
	if (err) {
		TRACE(t->tr, TRACE_WARN, "%s %s: session not created: %s", ts->label, ts->addr.url,
		      tsp8_strerror(err));
		return err;
	}
	/* Published and started under the lock: pbxtree_stop either sees it
	 * (and stops it) or has flagged stopping before (then it never runs). */
	plat_mutex_lock(&t->lock);
	/* see tree_slaves_poll_gate: a slave starts paused until its root's
	 * dump named every line */
	bool pause = ts->slave && !ts->slave->root->dump_done;
	if (t->stopping) {
		err = TSP8_ESHUTDOWN;
	} else {
		if (pause) {
			pbx_session_poll_pause(s, true);
			ts->poll_paused = true;
			t->n_poll_paused++;
		}
		ts->s = s;
		ts->up = false;
		ts->ever_up = false;
		ts->failed_once = false;
		err = pbx_session_start(s);
		if (err)
			ts->s = NULL;
	}
	plat_mutex_unlock(&t->lock);
	if (err) {
		pbx_session_destroy(s);
		if (err != TSP8_ESHUTDOWN)
			TRACE(t->tr, TRACE_WARN, "%s %s: session not started: %s", ts->label, ts->addr.url,
			      tsp8_strerror(err));
		return err;
	}
	TRACE(t->tr, TRACE_INFO, "%s: connecting to %s", ts->label, ts->addr.url);
	return TSP8_OK;
}

void tree_session_close(struct tree_session *ts)
{
	struct pbxtree *t = ts->t;
	plat_mutex_lock(&t->lock);
	struct pbx_session *s = ts->s;
	ts->s = NULL;
	ts->up = false;
	ts->mon_wait = 0;
	if (ts->poll_paused) {
		ts->poll_paused = false;
		t->n_poll_paused--;
	}
	plat_mutex_unlock(&t->lock);
	tree_monitor_flush(t, ts);
	tree_slaves_poll_gate(t);   /* its waiting lines may have held the others */
	if (!s)
		return;
	TRACE(t->tr, TRACE_INFO, "%s %s: session closed", ts->label, ts->addr.url);
	/* On the pbx_io thread stop does not wait and destroy frees later. */
	pbx_session_stop(s);
	pbx_session_destroy(s);
	tree_session_new_epoch(ts);
}

struct tree_session *tree_session_by_epoch(struct pbxtree *t, unsigned id)
{
	for (struct tree_session *ts = t->sessions; ts; ts = ts->next_all)
		if (ts->id == id && ts->s)
			return ts;
	return NULL;
}

void tree_session_new_epoch(struct tree_session *ts)
{
	struct pbxtree *t = ts->t;
	plat_mutex_lock(&t->lock);
	unsigned old = ts->id;
	ts->id = t->next_epoch++;
	if (t->next_epoch == PBXTREE_SESSION_VIRTUAL)
		t->next_epoch = 1;
	bool quiet = t->stopping;
	plat_mutex_unlock(&t->lock);
	TRACE(t->tr, TRACE_LINE, "%s: epoch %u ended, now %u", ts->label, old, ts->id);
	if (!quiet && t->h->session_reset)
		t->h->session_reset(t->arg, ts->pbx_id, old);
}
