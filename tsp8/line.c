/* Lines as TAPI line devices (see line.h). */
#include "tsp8/line.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"
#include "pbxtree/strutil.h"
#include "tsp8/call.h"
#include "tsp8/dispatch.h"
#include "tsp8/events.h"
#include "tsp8/handles.h"
#include "tsp8/linequeue.h"
#include "tsp8/request.h"

static size_t bucket(uint32_t key)
{
	return (key * 2654435761u >> 8) & (LINE_BUCKETS - 1);
}

void line_free(struct line *l)
{
	if (!l)
		return;
	while (l->calls) {
		struct call *c = l->calls;
		l->calls = c->next;
		call_free(c);
	}
	free(l->guid);
	free(l->name);
	free(l->address);
	free(l->pbx_name);
	free(l->firmware);
	free(l);
}

int line_index_init(struct provider *p)
{
	p->perm_buckets = calloc(LINE_BUCKETS, sizeof(*p->perm_buckets));
	p->dev_buckets = calloc(LINE_BUCKETS, sizeof(*p->dev_buckets));
	return p->perm_buckets && p->dev_buckets ? TSP8_OK : TSP8_ENOMEM;
}

void line_index_free(struct provider *p)
{
	free(p->perm_buckets);
	free(p->dev_buckets);
	p->perm_buckets = p->dev_buckets = NULL;
}

/* Binds l to device_id (index included). */
static void bind_device(struct provider *p, struct line *l, DWORD device_id)
{
	l->bound = true;
	l->device_id = device_id;
	size_t b = bucket((uint32_t)device_id);
	l->hnext_dev = p->dev_buckets[b];
	p->dev_buckets[b] = l;
}

struct line *line_by_device(struct provider *p, DWORD device_id)
{
	if (!p->dev_buckets)
		return NULL;
	for (struct line *l = p->dev_buckets[bucket((uint32_t)device_id)]; l; l = l->hnext_dev)
		if (l->bound && !l->removed && l->device_id == device_id)
			return l;
	return NULL;
}

struct line *line_by_perm(struct provider *p, uint32_t perm_id)
{
	if (!p->perm_buckets)
		return NULL;
	for (struct line *l = p->perm_buckets[bucket(perm_id)]; l; l = l->hnext_perm)
		if (!l->removed && l->perm_id == perm_id)
			return l;
	return NULL;
}

struct line *line_by_perm_any(struct provider *p, uint32_t perm_id)
{
	if (!p->perm_buckets)
		return NULL;
	/* newest first: a line that came back is found before its old self */
	for (struct line *l = p->perm_buckets[bucket(perm_id)]; l; l = l->hnext_perm)
		if (l->perm_id == perm_id)
			return l;
	return NULL;
}

struct line *line_by_handle(struct provider *p, HDRVLINE hd)
{
	uintptr_t hv = (uintptr_t)hd;
	struct line *l = handles_get(p->handles, hv, HANDLE_LINE);
	return (l && l->hd == hv) ? l : NULL;
}

/* Copies the strings of li into l; false when out of memory. */
static bool set_info(struct line *l, const struct pbxtree_line_info *li, bool *changed)
{
	int err = str_assign(&l->guid, li->guid, NULL);
	if (!err) err = str_assign(&l->name, li->name, changed);
	if (!err) err = str_assign(&l->address, li->address, changed);
	if (!err) err = str_assign(&l->pbx_name, li->pbx_name, changed);
	if (!err) err = str_assign(&l->firmware, li->pbx_firmware, changed);
	return err == TSP8_OK;
}

static void post_create(struct provider *p, struct line *l)
{
	l->create_sent = true;
	TRACE(p->tr, TRACE_LINE, "LINE_CREATE for line 0x%08x \"%s\"", l->perm_id, l->name);
	ev_create_proc(p, LINE_CREATE, (DWORD_PTR)p->hprovider, (DWORD_PTR)l->perm_id);
}

void line_on_added(struct provider *p, const struct pbxtree_line_info *li)
{
	struct line *l = calloc(1, sizeof(*l));
	if (!l || !set_info(l, li, NULL)) {
		line_free(l);
		TRACE(p->tr, TRACE_WARN, "out of memory: line 0x%08x not offered to TAPI", li->id);
		return;
	}
	l->perm_id = li->id;
	l->pbx_id = li->pbx_id;
	l->in_service = li->in_service;
	l->enum_index = -1;
	plat_mutex_lock(&p->lock);
	if (p->lines_tail)
		p->lines_tail->next = l;
	else
		p->lines = l;
	p->lines_tail = l;
	size_t b = bucket(l->perm_id);
	l->hnext_perm = p->perm_buckets[b];
	p->perm_buckets[b] = l;
	/* Lines found after EnumDevices are announced once providerInit has
	 * given us the create proc's partner (device ID base). */
	if (p->initialized && !p->stopping)
		post_create(p, l);
	plat_mutex_unlock(&p->lock);
	TRACE(p->tr, TRACE_LINE, "line 0x%08x \"%s\" address \"%s\" known", li->id, li->name, li->address);
}

/* Line queue: the line moved to another PBX link; calls of the old one are
 * over (their CallInfos stop).  Runs after the events queued before. */
static void end_foreign_calls(struct provider *p, void *arg)
{
	uint32_t perm = (uint32_t)(uintptr_t)arg;
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_perm(p, perm);
	if (l && !p->stopping)
		call_end_not_on(p, l, l->pbx_id);
	plat_mutex_unlock(&p->lock);
}

void line_on_changed(struct provider *p, const struct pbxtree_line_info *li)
{
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_perm(p, li->id);
	bool changed = false;
	if (l) {
		if (!set_info(l, li, &changed))
			TRACE(p->tr, TRACE_WARN, "out of memory: line 0x%08x not updated", li->id);
		if (changed)
			ev_line(p, l, LINE_LINEDEVSTATE, LINEDEVSTATE_CAPSCHANGE, 0, 0);
		if (l->pbx_id != li->pbx_id) {
			l->pbx_id = li->pbx_id;
			/* only lines with calls need the work item: a burst of
			 * moved lines (standby switch) must not wake a worker each */
			if (l->calls)
				lq_post_line_locked(p, l, end_foreign_calls, NULL, (void *)(uintptr_t)li->id);
		}
	}
	plat_mutex_unlock(&p->lock);
	if (changed)
		TRACE(p->tr, TRACE_LINE, "line 0x%08x now \"%s\" address \"%s\"", li->id, li->name, li->address);
}

void line_on_removed(struct provider *p, uint32_t line_id)
{
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_perm(p, line_id);
	if (l) {
		l->removed = true;
		call_line_gone(p, l);
		/* TAPI closes an open line itself after LINE_REMOVE.  A line
		 * that has no device ID yet gets its LINE_REMOVE when TAPI
		 * binds one (line_create_device). */
		if (l->bound)
			ev_create_proc(p, LINE_REMOVE, (DWORD_PTR)l->device_id, 0);
	}
	plat_mutex_unlock(&p->lock);
	TRACE(p->tr, TRACE_LINE, "line 0x%08x removed", line_id);
}

void line_on_service(struct provider *p, uint32_t line_id, bool in_service)
{
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_perm(p, line_id);
	if (l && l->in_service != in_service) {
		l->in_service = in_service;
		if (!p->cfg.ignore_dev_status) {
			if (in_service) {
				ev_line(p, l, LINE_LINEDEVSTATE, LINEDEVSTATE_CONNECTED, 0, 0);
				ev_line(p, l, LINE_LINEDEVSTATE, LINEDEVSTATE_INSERVICE, 0, 0);
			} else {
				ev_line(p, l, LINE_LINEDEVSTATE, LINEDEVSTATE_OUTOFSERVICE, 0, 0);
				ev_line(p, l, LINE_LINEDEVSTATE, LINEDEVSTATE_DISCONNECTED, 0, 0);
			}
		}
	}
	plat_mutex_unlock(&p->lock);
}

static int by_perm(const void *a, const void *b)
{
	const struct line *x = *(struct line *const *)a, *y = *(struct line *const *)b;
	return x->perm_id < y->perm_id ? -1 : x->perm_id > y->perm_id;
}

size_t line_fix_enumeration(struct provider *p)
{
	if (p->enum_fixed)
		return p->enum_count;
	/* Sort by permanent ID: new PBX objects get higher IDs, so the
	 * order is append-only across restarts (applications that open lines
	 * by index keep theirs). */
	size_t total = 0;
	for (struct line *l = p->lines; l; l = l->next)
		total++;
	struct line **v = total ? malloc(total * sizeof(*v)) : NULL;
	if (v) {
		size_t k = 0;
		for (struct line *l = p->lines; l; l = l->next)
			v[k++] = l;
		qsort(v, total, sizeof(*v), by_perm);
		for (size_t i = 0; i < total; i++)
			v[i]->next = i + 1 < total ? v[i + 1] : NULL;
		p->lines = v[0];
		p->lines_tail = v[total - 1];
		free(v);
	} else if (total) {
		TRACE(p->tr, TRACE_WARN, "out of memory: lines enumerated in arrival order");
	}
	size_t n = 0;
	for (struct line *l = p->lines; l; l = l->next)
		if (!l->removed)
			l->enum_index = (int)n++;
	p->enum_count = n;
	p->enum_fixed = true;
	return n;
}

void line_bind_initial(struct provider *p)
{
	for (struct line *l = p->lines; l; l = l->next) {
		if (l->bound || l->create_sent)
			continue;
		if (l->enum_index >= 0) {
			bind_device(p, l, p->line_base + (DWORD)l->enum_index);
			TRACE(p->tr, TRACE_LINE, "device %u = line 0x%08x \"%s\"", (unsigned)l->device_id,
			      l->perm_id, l->name);
			/* gone between EnumDevices and Init: TAPI counts the
			 * device, so it is bound and removed again */
			if (l->removed)
				ev_create_proc(p, LINE_REMOVE, (DWORD_PTR)l->device_id, 0);
		} else if (!l->removed) {
			post_create(p, l);
		}
	}
}

LONG line_create_device(struct provider *p, DWORD_PTR temp_id, DWORD device_id)
{
	LONG rc = (LONG)LINEERR_NODEVICE;
	plat_mutex_lock(&p->lock);
	for (struct line *l = p->lines; l; l = l->next) {
		if (l->create_sent && !l->bound && (DWORD_PTR)l->perm_id == temp_id) {
			bind_device(p, l, device_id);
			TRACE(p->tr, TRACE_LINE, "device %u = line 0x%08x \"%s\" (created)", (unsigned)device_id,
			      l->perm_id, l->name);
			if (l->removed)
				ev_create_proc(p, LINE_REMOVE, (DWORD_PTR)device_id, 0);
			rc = 0;
			break;
		}
	}
	plat_mutex_unlock(&p->lock);
	return rc;
}

LONG line_open(struct provider *p, DWORD device_id, HTAPILINE ht, LPHDRVLINE lphd, DWORD version,
	       LINEEVENT proc)
{
	LONG rc = 0;
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_device(p, device_id);
	if (!l) {
		rc = (LONG)LINEERR_BADDEVICEID;
	} else if (l->hd) {
		rc = (LONG)LINEERR_ALLOCATED;
	} else {
		uintptr_t hv = handles_add(p->handles, HANDLE_LINE, l);
		if (!hv) {
			rc = (LONG)LINEERR_NOMEM;
		} else {
			l->hd = hv;
			l->ht = ht;
			l->proc = proc;
			l->version = version;
			l->media_modes = 0;
			l->line_states = 0;
			l->addr_states = 0;
			l->ready_ms = plat_now_ms() + LINE_OPEN_SETTLE_MS;
			*lphd = (HDRVLINE)hv;
			/* calls that exist already are announced after the
			 * settle delay, never inside lineOpen */
			call_report_existing(p, l);
		}
	}
	plat_mutex_unlock(&p->lock);
	return rc;
}

LONG line_close(struct provider *p, HDRVLINE hd)
{
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_handle(p, hd);
	if (!l) {
		plat_mutex_unlock(&p->lock);
		return (LONG)LINEERR_INVALLINEHANDLE;
	}
	uintptr_t hv = l->hd;
	size_t n = requests_fail_line(p->reqs, hv);
	if (n)
		TRACE(p->tr, TRACE_REQ, "lineClose: %lu requests failed", (unsigned long)n);
	call_detach_line(p, l);
	handles_remove(p->handles, hv);
	l->hd = 0;
	l->ht = NULL;
	l->proc = NULL;
	plat_mutex_unlock(&p->lock);
	/* nothing for this line reaches TAPI after we return, and its
	 * requests are completed before lineClose returns: those failed above
	 * and those answered just before, posted but not yet delivered
	 * (bounded) */
	dispatch_sync(p->disp, hv, 0);
	if ((n || dispatch_completion_pending(p->disp)) &&
	    !dispatch_flush(p->disp, DISPATCH_CLOSE_FLUSH_MS))
		TRACE(p->tr, TRACE_WARN, "lineClose: completions not delivered within %u ms",
		      DISPATCH_CLOSE_FLUSH_MS);
	plat_mutex_lock(&p->lock);
	call_after_detach(p, l);
	plat_mutex_unlock(&p->lock);
	return 0;
}
