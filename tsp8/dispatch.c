/* Event dispatcher thread (see dispatch.h). */
#include "tsp8/dispatch.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/sched.h"
#include "base/trace.h"

/* Longest wait of dispatch_sync for a running callout. */
#define DISPATCH_SYNC_MAX_MS 5000u

struct dispatch {
	struct dispatch_ops ops;
	void *arg;
	struct trace *tr;
	uint64_t pin_mask;
	plat_thread *thread;
	_Atomic unsigned long thread_id;  /* plat_thread_id() of the dispatcher */
	/* Guards the queue, running, and the current-delivery fields. */
	plat_mutex lock;
	/* Signalled when items are queued or running drops (wakes the thread)
	 * and when a delivery ends (wakes dispatch_sync/flush). */
	plat_cond cond;
	struct disp_item *head, *tail;
	bool running;
	bool delivering;
	uintptr_t cur_line, cur_call;     /* keys of the running delivery */
	bool cur_completion;              /* the running delivery is a completion */
};

static void free_list(struct disp_item *it)
{
	while (it) {
		struct disp_item *n = it->next;
		free(it);
		it = n;
	}
}

static void deliver(struct dispatch *d, struct disp_item *it)
{
	struct disp_target t = { 0 };
	t.p1 = it->p1;
	t.p2 = it->p2;
	t.p3 = it->p3;
	if (!d->ops.resolve(d->arg, it, &t)) {
		TRACE(d->tr, TRACE_VERBOSE, "dispatch: dropped msg %u line %#lx call %#lx",
		      (unsigned)it->msg, (unsigned long)it->line_hd, (unsigned long)it->call_hd);
		return;
	}
	if (it->kind == DISP_COMPLETION) {
		if (!t.completion)
			return;
		TRACE(d->tr, TRACE_REQ, "ASYNC_COMPLETION request %u result %#x", (unsigned)it->req,
		      (unsigned)it->result);
		t.completion(it->req, it->result);
		return;
	}
	if (!t.proc)
		return;
	TRACE(d->tr, TRACE_VERBOSE, "LINEEVENT htLine %p htCall %p msg %u p1 %#lx p2 %#lx p3 %#lx",
	      (const void *)t.ht_line, (const void *)t.ht_call, (unsigned)it->msg,
	      (unsigned long)t.p1, (unsigned long)t.p2, (unsigned long)t.p3);
	t.proc(t.ht_line, t.ht_call, it->msg, t.p1, t.p2, t.p3);
	if (it->msg == (DWORD)LINE_NEWCALL && d->ops.after_newcall)
		d->ops.after_newcall(d->arg, it);
}

static void thread_main(void *arg)
{
	struct dispatch *d = arg;
	atomic_store(&d->thread_id, plat_thread_id());
	TRACE(d->tr, TRACE_THREAD, "dispatcher thread started");
	sched_pin_thread(d->pin_mask, d->tr, "dispatcher");
	plat_mutex_lock(&d->lock);
	while (d->running) {
		struct disp_item *it = d->head;
		if (!it) {
			plat_cond_wait(&d->cond, &d->lock);
			continue;
		}
		uint64_t now = plat_now_ms();
		if (it->due_ms > now) {
			uint64_t wait = it->due_ms - now;
			plat_cond_timedwait(&d->cond, &d->lock, wait > 1000 ? 1000u : (uint32_t)wait);
			continue;
		}
		d->head = it->next;
		if (!d->head)
			d->tail = NULL;
		it->next = NULL;
		/* The keys are set before resolve: a close that marks its line
		 * after this point either makes resolve drop the item or finds
		 * this delivery running and waits for it. */
		d->delivering = true;
		d->cur_line = it->line_hd;
		d->cur_call = it->call_hd;
		d->cur_completion = it->kind == DISP_COMPLETION;
		plat_mutex_unlock(&d->lock);

		deliver(d, it);
		free(it);

		plat_mutex_lock(&d->lock);
		d->delivering = false;
		d->cur_line = d->cur_call = 0;
		d->cur_completion = false;
		plat_cond_broadcast(&d->cond);
	}
	plat_mutex_unlock(&d->lock);
	TRACE(d->tr, TRACE_THREAD, "dispatcher thread ends");
}

int dispatch_create(struct dispatch **out, const struct dispatch_ops *ops, void *arg,
		    struct trace *tr, uint64_t pin_mask)
{
	if (!out || !ops || !ops->resolve)
		return TSP8_EINVAL;
	struct dispatch *d = calloc(1, sizeof(*d));
	if (!d)
		return TSP8_ENOMEM;
	d->ops = *ops;
	d->arg = arg;
	d->tr = tr;
	d->pin_mask = pin_mask;
	d->running = true;
	atomic_init(&d->thread_id, (unsigned long)-1);
	int err = plat_mutex_init(&d->lock);
	if (err) {
		free(d);
		return err;
	}
	err = plat_cond_init(&d->cond);
	if (!err)
		err = plat_thread_start(&d->thread, thread_main, d, "tsp8-dispatch");
	if (err) {
		plat_cond_destroy(&d->cond);
		plat_mutex_destroy(&d->lock);
		free(d);
		return err;
	}
	*out = d;
	return TSP8_OK;
}

void dispatch_destroy(struct dispatch *d)
{
	if (!d)
		return;
	plat_mutex_lock(&d->lock);
	d->running = false;
	plat_cond_broadcast(&d->cond);
	plat_mutex_unlock(&d->lock);
	plat_thread_join(d->thread);
	free_list(d->head);
	plat_cond_destroy(&d->cond);
	plat_mutex_destroy(&d->lock);
	free(d);
}

struct disp_item *dispatch_item_new(void)
{
	return calloc(1, sizeof(struct disp_item));
}

void dispatch_post(struct dispatch *d, struct disp_item *it)
{
	if (!it)
		return;
	if (!d) {
		free(it);
		return;
	}
	it->next = NULL;
	plat_mutex_lock(&d->lock);
	if (!d->running) {
		plat_mutex_unlock(&d->lock);
		free(it);
		return;
	}
	if (d->tail)
		d->tail->next = it;
	else
		d->head = it;
	d->tail = it;
	plat_cond_broadcast(&d->cond);
	plat_mutex_unlock(&d->lock);
}

bool dispatch_on_thread(struct dispatch *d)
{
	return d && atomic_load(&d->thread_id) == plat_thread_id();
}

void dispatch_sync(struct dispatch *d, uintptr_t line_hd, uintptr_t call_hd)
{
	if (!d || dispatch_on_thread(d))
		return;
	/* Bounded: a TAPI that blocks inside a callback until this very
	 * close returns would otherwise deadlock; we then proceed and say so. */
	uint64_t until = plat_now_ms() + DISPATCH_SYNC_MAX_MS;
	bool timed_out = false;
	plat_mutex_lock(&d->lock);
	while (d->delivering && ((line_hd && d->cur_line == line_hd) || (call_hd && d->cur_call == call_hd))) {
		uint64_t now = plat_now_ms();
		if (now >= until) {
			timed_out = true;
			break;
		}
		plat_cond_timedwait(&d->cond, &d->lock, (uint32_t)(until - now));
	}
	plat_mutex_unlock(&d->lock);
	if (timed_out)
		TRACE(d->tr, TRACE_WARN, "dispatch: a TAPI callback for line %#lx call %#lx did not return "
		      "within %u ms; closing anyway", (unsigned long)line_hd, (unsigned long)call_hd,
		      DISPATCH_SYNC_MAX_MS);
}

bool dispatch_completion_pending(struct dispatch *d)
{
	if (!d)
		return false;
	plat_mutex_lock(&d->lock);
	bool pending = d->delivering && d->cur_completion;
	for (const struct disp_item *it = d->head; it && !pending; it = it->next)
		pending = it->kind == DISP_COMPLETION;
	plat_mutex_unlock(&d->lock);
	return pending;
}

bool dispatch_flush(struct dispatch *d, uint32_t timeout_ms)
{
	if (!d || dispatch_on_thread(d))
		return false;
	uint64_t until = plat_now_ms() + timeout_ms;
	plat_mutex_lock(&d->lock);
	while (d->running && (d->head || d->delivering)) {
		uint64_t now = plat_now_ms();
		if (now >= until)
			break;
		plat_cond_timedwait(&d->cond, &d->lock, (uint32_t)(until - now));
	}
	bool empty = !d->head && !d->delivering;
	plat_mutex_unlock(&d->lock);
	return empty;
}
