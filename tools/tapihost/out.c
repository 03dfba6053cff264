/* Output channel (see out.h). */
#include "out.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/platform.h"

#define OUT_LINE_MAX 4096
#define OUT_HISTORY 512

struct out {
	FILE *fp;
	bool json;
	plat_mutex lock;    /* guards fp writes, history, seq, cursor, violations,
	                     * hold */
	plat_cond printed;  /* signalled after each line (for out_wait) */
	char *history[OUT_HISTORY];  /* ring: line seq is at [seq % OUT_HISTORY] */
	uint64_t seq;       /* number of lines printed so far */
	uint64_t cursor;    /* seq of the line the last wait matched */
	unsigned violations;
	bool hold;          /* more lines of hold_by follow at once (out_hold) */
	unsigned long hold_by;  /* plat_thread_id() of the holding thread */
};

int out_create(struct out **out, FILE *fp, bool json)
{
	if (!out || !fp)
		return TSP8_EINVAL;
	struct out *o = calloc(1, sizeof *o);
	if (!o)
		return TSP8_ENOMEM;
	o->fp = fp;
	o->json = json;
	int rc = plat_mutex_init(&o->lock);
	if (rc != TSP8_OK) {
		free(o);
		return rc;
	}
	rc = plat_cond_init(&o->printed);
	if (rc != TSP8_OK) {
		plat_mutex_destroy(&o->lock);
		free(o);
		return rc;
	}
	*out = o;
	return TSP8_OK;
}

void out_destroy(struct out *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < OUT_HISTORY; i++)
		free(o->history[i]);
	plat_cond_destroy(&o->printed);
	plat_mutex_destroy(&o->lock);
	free(o);
}

bool out_is_json(const struct out *o)
{
	return o->json;
}

/* Prints one finished line; caller holds o->lock. */
static void emit_locked(struct out *o, const char *line)
{
	fputs(line, o->fp);
	fputc('\n', o->fp);
	/* another thread's line (a reply, a violation) goes out at once */
	if (!o->hold || o->hold_by != plat_thread_id())
		fflush(o->fp);
	o->seq++;
	size_t slot = (size_t)(o->seq % OUT_HISTORY);
	free(o->history[slot]);
	/* Without memory the line is still printed, only `wait` cannot see it. */
	size_t n = strlen(line) + 1;
	o->history[slot] = malloc(n);
	if (o->history[slot])
		memcpy(o->history[slot], line, n);
	plat_cond_broadcast(&o->printed);
}

void out_hold(struct out *o, bool hold)
{
	plat_mutex_lock(&o->lock);
	o->hold = hold;
	o->hold_by = plat_thread_id();
	if (!hold)
		fflush(o->fp);
	plat_mutex_unlock(&o->lock);
}

void out_rec(struct out *o, const struct rec *r)
{
	char mem[OUT_LINE_MAX];
	struct sbuf b;
	sb_init(&b, mem, sizeof mem);
	rec_render(r, o->json, &b);
	plat_mutex_lock(&o->lock);
	emit_locked(o, mem);
	plat_mutex_unlock(&o->lock);
}

void out_violation(struct out *o, const char *fmt, ...)
{
	char what[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	struct rec r;
	rec_init(&r, "VIOLATION", "violation");
	rec_text(&r, "what", what);
	char mem[OUT_LINE_MAX];
	struct sbuf b;
	sb_init(&b, mem, sizeof mem);
	rec_render(&r, o->json, &b);
	plat_mutex_lock(&o->lock);
	o->violations++;
	emit_locked(o, mem);
	plat_mutex_unlock(&o->lock);
}

unsigned out_violations(struct out *o)
{
	plat_mutex_lock(&o->lock);
	unsigned n = o->violations;
	plat_mutex_unlock(&o->lock);
	return n;
}

int out_wait(struct out *o, const char *text, uint32_t ms)
{
	uint64_t deadline = plat_now_ms() + ms;
	int rc = TSP8_ETIMEOUT;
	plat_mutex_lock(&o->lock);
	uint64_t scanned = o->cursor;   /* lines up to here did not match */
	for (;;) {
		uint64_t first = scanned + 1;
		if (o->seq >= OUT_HISTORY && first <= o->seq - OUT_HISTORY)
			first = o->seq - OUT_HISTORY + 1;
		for (uint64_t s = first; s <= o->seq; s++) {
			const char *line = o->history[s % OUT_HISTORY];
			if (line && strstr(line, text)) {
				o->cursor = s;
				rc = TSP8_OK;
				break;
			}
		}
		if (rc == TSP8_OK)
			break;
		scanned = o->seq;
		uint64_t now = plat_now_ms();
		if (now >= deadline)
			break;
		plat_cond_timedwait(&o->printed, &o->lock, (uint32_t)(deadline - now));
	}
	plat_mutex_unlock(&o->lock);
	return rc;
}
