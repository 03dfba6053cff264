/* Completion collector for the pbx_io tests: see test_io_wait.h. */
#include "test_io_wait.h"

#include <stdio.h>
#include <string.h>

void twait_init(struct twait *w, struct pbx_io *io)
{
	memset(w, 0, sizeof(*w));
	plat_mutex_init(&w->lock);
	plat_cond_init(&w->cond);
	w->io = io;
}

void twait_fini(struct twait *w)
{
	plat_cond_destroy(&w->cond);
	plat_mutex_destroy(&w->lock);
}

void twait_done(void *arg, const struct pbx_http_resp *resp)
{
	struct twait_slot *slot = arg;
	struct twait *w = slot->w;
	struct twait_rec rec;
	memset(&rec, 0, sizeof(rec));
	rec.err = resp->err;
	rec.status = resp->status;
	snprintf(rec.body, sizeof(rec.body), "%s", resp->body ? resp->body : "(null)");
	snprintf(rec.errmsg, sizeof(rec.errmsg), "%s", resp->errmsg ? resp->errmsg : "(null)");
	rec.elapsed_ms = resp->elapsed_ms;
	rec.at_ms = plat_now_ms();
	rec.on_io_thread = w->io && pbx_io_on_thread(w->io);
	plat_mutex_lock(&w->lock);
	slot->calls++;
	slot->rec = rec;
	if (w->n < TWAIT_MAX)
		w->recs[w->n] = rec;
	w->n++;
	plat_cond_broadcast(&w->cond);
	plat_mutex_unlock(&w->lock);
}

bool twait_for(struct twait *w, unsigned n, uint32_t ms)
{
	uint64_t end = plat_now_ms() + ms;
	plat_mutex_lock(&w->lock);
	while (w->n < n) {
		uint64_t now = plat_now_ms();
		if (now >= end)
			break;
		plat_cond_timedwait(&w->cond, &w->lock, (uint32_t)(end - now));
	}
	bool ok = w->n >= n;
	plat_mutex_unlock(&w->lock);
	return ok;
}

unsigned twait_count(struct twait *w)
{
	plat_mutex_lock(&w->lock);
	unsigned n = w->n;
	plat_mutex_unlock(&w->lock);
	return n;
}
