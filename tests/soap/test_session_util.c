/* Session test support: see test_session_util.h. */
#include "test_session_util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"

#include "soap/pbx_records.h"
#include "tests/common/pbxsim_proc.h"

void rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	plat_mutex_init(&r->lock);
	plat_cond_init(&r->cond);
}

void rec_fini(struct rec *r)
{
	plat_cond_destroy(&r->cond);
	plat_mutex_destroy(&r->lock);
}

static void push(struct rec *r, const struct ev *e)
{
	plat_mutex_lock(&r->lock);
	if (r->after_stop)
		r->late++;
	if (r->n < REC_MAX) {
		r->ev[r->n] = *e;
		r->ev[r->n].at_ms = plat_now_ms();
		r->n++;
	}
	plat_cond_broadcast(&r->cond);
	plat_mutex_unlock(&r->lock);
}

static void on_state(void *arg, enum pbx_session_state st, int err, const char *why)
{
	struct ev e = { .kind = EV_STATE, .st = (int)st, .err = err };
	snprintf(e.why, sizeof(e.why), "%s", why ? why : "(null)");
	push(arg, &e);
}

static void on_reset(void *arg)
{
	struct ev e = { .kind = EV_RESET };
	push(arg, &e);
}

static void on_user(void *arg, const struct pbx_user *u)
{
	struct ev e = { .kind = EV_USER, .active = u->active, .ustate = u->state };
	snprintf(e.cn, sizeof(e.cn), "%s", u->cn);
	push(arg, &e);
}

static void on_dump_end(void *arg)
{
	struct ev e = { .kind = EV_DUMP_END };
	push(arg, &e);
}

static void on_call(void *arg, void *cookie, const struct pbx_call *c)
{
	struct ev e = { .kind = EV_CALL, .cookie = cookie, .active = c->active, .call = c->call,
			.user = c->user, .cstate = c->state };
	snprintf(e.msg, sizeof(e.msg), "%s", c->msg);
	const struct pbx_no *peer = pbx_call_no(c, "peer");
	snprintf(e.peer, sizeof(e.peer), "%s", peer ? peer->e164 : "");
	push(arg, &e);
}

static void on_monitor(void *arg, void *cookie, int err)
{
	struct ev e = { .kind = EV_MONITOR, .cookie = cookie, .err = err };
	push(arg, &e);
}

const struct pbx_session_handler rec_handler = {
	.state = on_state,
	.reset = on_reset,
	.user = on_user,
	.dump_end = on_dump_end,
	.call = on_call,
	.monitor = on_monitor,
};

int rec_wait(struct rec *r, unsigned from, ev_match_fn *match, const void *arg, uint32_t ms)
{
	uint64_t end = plat_now_ms() + ms;
	int found = -1;
	plat_mutex_lock(&r->lock);
	for (unsigned i = from;;) {
		for (; i < r->n; i++) {
			if (match(&r->ev[i], arg)) {
				found = (int)i;
				break;
			}
		}
		uint64_t now = plat_now_ms();
		if (found >= 0 || now >= end)
			break;
		plat_cond_timedwait(&r->cond, &r->lock, (uint32_t)(end - now));
	}
	plat_mutex_unlock(&r->lock);
	return found;
}

unsigned rec_count(struct rec *r)
{
	plat_mutex_lock(&r->lock);
	unsigned n = r->n;
	plat_mutex_unlock(&r->lock);
	return n;
}

struct ev rec_get(struct rec *r, unsigned i)
{
	struct ev e;
	memset(&e, 0, sizeof(e));
	plat_mutex_lock(&r->lock);
	if (i < r->n)
		e = r->ev[i];
	plat_mutex_unlock(&r->lock);
	return e;
}

bool ev_is_state(const struct ev *e, const void *st)
{
	return e->kind == EV_STATE && e->st == (int)*(const enum pbx_session_state *)st;
}

bool ev_is_kind(const struct ev *e, const void *kind)
{
	return e->kind == *(const enum ev_kind *)kind;
}

bool ev_is_user(const struct ev *e, const void *cn)
{
	return e->kind == EV_USER && strcmp(e->cn, cn) == 0;
}

bool ev_is_call_msg(const struct ev *e, const void *msg)
{
	return e->kind == EV_CALL && strcmp(e->msg, msg) == 0;
}

int rec_wait_state(struct rec *r, unsigned from, enum pbx_session_state st, uint32_t ms)
{
	return rec_wait(r, from, ev_is_state, &st, ms);
}

int rec_wait_kind(struct rec *r, unsigned from, enum ev_kind k, uint32_t ms)
{
	return rec_wait(r, from, ev_is_kind, &k, ms);
}

void cw_init(struct cmd_wait *w)
{
	memset(w, 0, sizeof(*w));
	plat_mutex_init(&w->lock);
	plat_cond_init(&w->cond);
}

void cw_fini(struct cmd_wait *w)
{
	plat_cond_destroy(&w->cond);
	plat_mutex_destroy(&w->lock);
}

static void cw_mark(struct cmd_wait *w)
{
	w->done = true;
	w->calls++;
	plat_cond_broadcast(&w->cond);
	plat_mutex_unlock(&w->lock);
}

void cw_int(void *arg, int err, int ret)
{
	struct cmd_wait *w = arg;
	plat_mutex_lock(&w->lock);
	w->err = err;
	w->ret = ret;
	cw_mark(w);
}

void cw_str(void *arg, int err, const char *s)
{
	struct cmd_wait *w = arg;
	plat_mutex_lock(&w->lock);
	w->err = err;
	snprintf(w->str, sizeof(w->str), "%s", s ? s : "(null)");
	cw_mark(w);
}

void cw_users(void *arg, int err, const struct pbx_user *u, size_t n)
{
	struct cmd_wait *w = arg;
	plat_mutex_lock(&w->lock);
	w->err = err;
	w->n = (unsigned)n;
	snprintf(w->first_cn, sizeof(w->first_cn), "%s", n ? u[0].cn : "");
	snprintf(w->last_cn, sizeof(w->last_cn), "%s", n ? u[n - 1].cn : "");
	cw_mark(w);
}

void cw_devices(void *arg, int err, const struct pbx_device *d, size_t n)
{
	struct cmd_wait *w = arg;
	plat_mutex_lock(&w->lock);
	w->err = err;
	w->n = (unsigned)n;
	snprintf(w->str, sizeof(w->str), "%s", n ? d[0].hw : "");
	cw_mark(w);
}

bool cw_wait(struct cmd_wait *w, uint32_t ms)
{
	uint64_t end = plat_now_ms() + ms;
	plat_mutex_lock(&w->lock);
	while (!w->done) {
		uint64_t now = plat_now_ms();
		if (now >= end)
			break;
		plat_cond_timedwait(&w->cond, &w->lock, (uint32_t)(end - now));
	}
	bool ok = w->done;
	plat_mutex_unlock(&w->lock);
	return ok;
}

int fx_setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	assert_int_equal(pbxsim_start(&f->sim, TSP8_SESSION_TREE, NULL), 0);
	assert_int_equal(pbx_io_create(&f->io, NULL), TSP8_OK);
	rec_init(&f->rec);
	*state = f;
	return 0;
}

int fx_teardown(void **state)
{
	struct fx *f = *state;
	pbx_session_destroy(f->s);
	pbx_io_destroy(f->io);
	pbxsim_stop(f->sim);
	rec_fini(&f->rec);
	test_free(f);
	return 0;
}

void fx_make_session(struct fx *f, const char *pbx, const char *password)
{
	struct pbx_session_config cfg = {
		.url = pbxsim_url(f->sim, pbx),
		.http_user = "_TAPI_", .http_password = password,
		.session_user = "_TAPI_", .appl = "tsp8-test",
		.backoff_min_ms = 100, .backoff_max_ms = 400,
		.name = pbx, .h = &rec_handler, .arg = &f->rec,
	};
	assert_non_null(cfg.url);
	assert_int_equal(pbx_session_create(&f->s, f->io, &cfg), TSP8_OK);
}
