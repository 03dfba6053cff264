/* pbxtree event recorder for tests (see tree_rec.h). */
#include "tree_rec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec_line *rec_by_id(struct rec *r, uint32_t id)
{
	for (size_t i = 0; i < r->nlines; i++)
		if (r->lines[i].id == id)
			return &r->lines[i];
	return NULL;
}

struct rec_line *rec_by_name(struct rec *r, const char *name)
{
	for (size_t i = 0; i < r->nlines; i++)
		if (!r->lines[i].removed && strcmp(r->lines[i].name, name) == 0)
			return &r->lines[i];
	return NULL;
}

struct rec_line *rec_by_cn(struct rec *r, const char *cn, enum pbxtree_line_kind kind)
{
	for (size_t i = 0; i < r->nlines; i++)
		if (!r->lines[i].removed && r->lines[i].kind == kind && strcmp(r->lines[i].cn, cn) == 0)
			return &r->lines[i];
	return NULL;
}

size_t rec_live(struct rec *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nlines; i++)
		n += !r->lines[i].removed;
	return n;
}

static struct rec_line *put(struct rec *r, const struct pbxtree_line_info *li)
{
	struct rec_line *l = rec_by_id(r, li->id);
	if (!l && r->nlines < REC_MAXL)
		l = &r->lines[r->nlines++];
	if (!l)
		return NULL;
	l->id = li->id;
	l->kind = li->kind;
	snprintf(l->name, sizeof(l->name), "%s", li->name);
	snprintf(l->address, sizeof(l->address), "%s", li->address);
	snprintf(l->guid, sizeof(l->guid), "%s", li->guid);
	snprintf(l->pbx, sizeof(l->pbx), "%s", li->pbx_name);
	snprintf(l->cn, sizeof(l->cn), "%s", li->cn);
	snprintf(l->hw, sizeof(l->hw), "%s", li->device_hw);
	snprintf(l->dev, sizeof(l->dev), "%s", li->device_name);
	l->pbx_id = li->pbx_id;
	l->in_service = li->in_service;
	return l;
}

static void h_added(void *arg, const struct pbxtree_line_info *li)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	struct rec_line *l = put(r, li);
	if (l) {
		l->removed = false;
		l->added++;
	}
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void h_changed(void *arg, const struct pbxtree_line_info *li)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	struct rec_line *l = put(r, li);
	if (l)
		l->changed++;
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void h_removed(void *arg, uint32_t id)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	struct rec_line *l = rec_by_id(r, id);
	if (l) {
		l->removed = true;
		l->removals++;
	}
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void h_service(void *arg, uint32_t id, bool up)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	struct rec_line *l = rec_by_id(r, id);
	if (l) {
		l->in_service = up;
		if (up)
			l->ups++;
		else
			l->downs++;
	}
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void h_call(void *arg, const struct pbxtree_call_event *ev)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	if (r->ncalls < REC_MAXC) {
		struct rec_call *c = &r->calls[r->ncalls++];
		c->line_id = ev->line_id;
		c->pbx_id = ev->pbx_id;
		c->session = ev->session_id;
		c->call = ev->call->call;
		c->state = ev->call->state;
		c->active = ev->call->active;
		snprintf(c->msg, sizeof(c->msg), "%s", ev->call->msg);
		const struct pbx_no *peer = pbx_call_no(ev->call, "peer");
		snprintf(c->peer, sizeof(c->peer), "%s", peer ? peer->e164 : "");
	}
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void h_reset(void *arg, unsigned pbx, unsigned session)
{
	struct rec *r = arg;
	(void)pbx;
	(void)session;
	plat_mutex_lock(&r->lock);
	r->resets++;
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void h_enum(void *arg)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	r->enum_count++;
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

const struct pbxtree_handler rec_handler = {
	.line_added = h_added,
	.line_changed = h_changed,
	.line_removed = h_removed,
	.line_service = h_service,
	.call = h_call,
	.session_reset = h_reset,
	.enum_complete = h_enum,
};

struct rec *rec_new(void)
{
	struct rec *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	if (plat_mutex_init(&r->lock) != 0 || plat_cond_init(&r->cond) != 0) {
		free(r);
		return NULL;
	}
	return r;
}

void rec_free(struct rec *r)
{
	if (!r)
		return;
	plat_cond_destroy(&r->cond);
	plat_mutex_destroy(&r->lock);
	free(r);
}

void rec_op_done(void *arg, int err, unsigned session, int call)
{
	struct rec *r = arg;
	plat_mutex_lock(&r->lock);
	r->done_err = err;
	r->done_call = call;
	r->done_session = session;
	r->dones++;
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

bool rec_wait(struct rec *r, unsigned ms, bool (*pred)(struct rec *r, const void *arg), const void *arg)
{
	uint64_t until = plat_now_ms() + ms;
	plat_mutex_lock(&r->lock);
	bool ok;
	while (!(ok = pred(r, arg))) {
		uint64_t now = plat_now_ms();
		if (now >= until)
			break;
		plat_cond_timedwait(&r->cond, &r->lock, (uint32_t)(until - now));
	}
	plat_mutex_unlock(&r->lock);
	return ok;
}

bool rec_p_enum(struct rec *r, const void *arg)
{
	(void)arg;
	return r->enum_count > 0;
}

struct want_line {
	const char *name;
	struct rec_line *out;
};

static bool p_line(struct rec *r, const void *arg)
{
	const struct want_line *w = arg;
	struct rec_line *l = rec_by_name(r, w->name);
	if (l && w->out)
		*w->out = *l;
	return l != NULL;
}

bool rec_wait_line(struct rec *r, unsigned ms, const char *name, struct rec_line *out)
{
	struct want_line w = { name, out };
	return rec_wait(r, ms, p_line, &w);
}

struct want_service {
	uint32_t id;
	bool up;
};

static bool p_service(struct rec *r, const void *arg)
{
	const struct want_service *w = arg;
	struct rec_line *l = rec_by_id(r, w->id);
	return l && l->in_service == w->up;
}

bool rec_wait_service(struct rec *r, unsigned ms, uint32_t id, bool up)
{
	struct want_service w = { id, up };
	return rec_wait(r, ms, p_service, &w);
}

struct want_call {
	size_t from;
	uint32_t line;
	int call, mask, state;
	bool active;
	struct rec_call *out;
};

static bool p_call(struct rec *r, const void *arg)
{
	const struct want_call *w = arg;
	for (size_t i = w->from; i < r->ncalls; i++) {
		const struct rec_call *c = &r->calls[i];
		if (c->line_id == w->line && (!w->call || c->call == w->call) && c->active == w->active &&
		    (c->state & w->mask) == w->state) {
			if (w->out)
				*w->out = *c;
			return true;
		}
	}
	return false;
}

bool rec_wait_call(struct rec *r, unsigned ms, uint32_t line, int call, int mask, int state, bool active,
		   struct rec_call *out)
{
	struct want_call w = { 0, line, call, mask, state, active, out };
	return rec_wait(r, ms, p_call, &w);
}

bool rec_wait_call_from(struct rec *r, unsigned ms, size_t from, uint32_t line, int call, int mask,
			int state, bool active, struct rec_call *out)
{
	struct want_call w = { from, line, call, mask, state, active, out };
	return rec_wait(r, ms, p_call, &w);
}

size_t rec_ncalls(struct rec *r)
{
	plat_mutex_lock(&r->lock);
	size_t n = r->ncalls;
	plat_mutex_unlock(&r->lock);
	return n;
}

bool rec_get(struct rec *r, uint32_t id, struct rec_line *out)
{
	plat_mutex_lock(&r->lock);
	struct rec_line *l = rec_by_id(r, id);
	if (l)
		*out = *l;
	plat_mutex_unlock(&r->lock);
	return l != NULL;
}

bool rec_get_cn(struct rec *r, const char *cn, enum pbxtree_line_kind kind, struct rec_line *out)
{
	plat_mutex_lock(&r->lock);
	struct rec_line *l = rec_by_cn(r, cn, kind);
	if (l)
		*out = *l;
	plat_mutex_unlock(&r->lock);
	return l != NULL;
}

size_t rec_count(struct rec *r)
{
	plat_mutex_lock(&r->lock);
	size_t n = rec_live(r);
	plat_mutex_unlock(&r->lock);
	return n;
}

static bool p_dones(struct rec *r, const void *arg)
{
	return r->dones >= *(const int *)arg;
}

bool rec_wait_dones(struct rec *r, unsigned ms, int n, int *err, unsigned *session, int *call)
{
	bool ok = rec_wait(r, ms, p_dones, &n);
	plat_mutex_lock(&r->lock);
	if (err)
		*err = r->done_err;
	if (session)
		*session = r->done_session;
	if (call)
		*call = r->done_call;
	plat_mutex_unlock(&r->lock);
	return ok;
}
