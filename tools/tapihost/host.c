/* tapihost start-up and shutdown: the sequence tapisrv runs (tspi.md §8),
 * and the line table. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "names.h"

/* The fake handles tapihost hands to the provider.  Pointer sized with the
 * high half set on 64-bit targets, so truncation to 32 bits is noticed. */
#if UINTPTR_MAX > 0xFFFFFFFFu
#define FAKE_HIGH ((uintptr_t)0xBEEF000000000000u)
#define FAKE_PROVIDER ((uintptr_t)0xC0DE000000000000u)
#else
#define FAKE_HIGH ((uintptr_t)0)
#define FAKE_PROVIDER ((uintptr_t)0)
#endif
#define FAKE_PHONE_BASE 3u
#define DYNAMIC_GAP 1000u  /* first LINE_CREATE ID = base + lines + gap */

int host_create(struct host **out, const struct opts *opts, struct out *o)
{
	if (!out || !opts || !o)
		return TSP8_EINVAL;
	struct host *h = calloc(1, sizeof *h);
	if (!h)
		return TSP8_ENOMEM;
	h->opts = opts;
	h->out = o;
	h->next_request = HOST_FIRST_REQUEST;
	int rc = evq_create(&h->q);
	if (rc != TSP8_OK) {
		free(h);
		return rc;
	}
	rc = plat_mutex_init(&h->quit_lock);
	if (rc != TSP8_OK) {
		evq_destroy(h->q);
		free(h);
		return rc;
	}
	rc = plat_cond_init(&h->quit_cond);
	if (rc != TSP8_OK) {
		plat_mutex_destroy(&h->quit_lock);
		evq_destroy(h->q);
		free(h);
		return rc;
	}
	*out = h;
	return TSP8_OK;
}

void host_destroy(struct host *h)
{
	if (!h)
		return;
	calls_free_all(h);
	requests_finish(h);
	loader_close(h->tspi);
	evq_destroy(h->q);
	plat_cond_destroy(&h->quit_cond);
	plat_mutex_destroy(&h->quit_lock);
	for (size_t i = 0; i < h->nlines; i++) {
		free(h->lines[i].addr);
		free(h->lines[i].name);
	}
	free(h->lines);
	free(h);
}

void host_request_quit(struct host *h)
{
	plat_mutex_lock(&h->quit_lock);
	h->quit = true;
	plat_cond_broadcast(&h->quit_cond);
	plat_mutex_unlock(&h->quit_lock);
}

bool host_wait_quit(struct host *h, uint32_t ms)
{
	plat_mutex_lock(&h->quit_lock);
	if (!h->quit && ms > 0)
		plat_cond_timedwait(&h->quit_cond, &h->quit_lock, ms);
	bool q = h->quit;
	plat_mutex_unlock(&h->quit_lock);
	return q;
}

static void fatal(struct host *h, const char *what)
{
	struct rec r;
	rec_init(&r, "FATAL", "fatal");
	rec_text(&r, "what", what);
	out_rec(h->out, &r);
}

static const char *err_name(LONG rc)
{
	const char *n = names_lineerr_of(rc);
	return n ? n : "an unknown code";
}

/* Lookups are O(1) in the usual case: with 10,000 lines, scanning the
 * table for every event and every new line made tapihost itself the slow
 * part of a big start. */
struct line *host_line_by_device(struct host *h, DWORD device)
{
	/* device IDs are normally handed out in order, one slot each */
	if (h->nlines > 0 && device >= h->lines[0].device) {
		size_t i = device - h->lines[0].device;
		if (i < h->nlines && h->lines[i].device == device)
			return &h->lines[i];
	}
	/* above every known ID: a new device (the usual LINE_CREATE case) */
	if (h->nlines == 0 || device > h->max_device)
		return NULL;
	for (size_t i = 0; i < h->nlines; i++)
		if (h->lines[i].device == device)
			return &h->lines[i];
	return NULL;
}

struct line *host_line_by_ht(struct host *h, HTAPILINE ht)
{
	/* our htLine encodes the slot (new_line_slot); anything else is not ours */
	uintptr_t v = (uintptr_t)ht & ~FAKE_HIGH;
	if (((uintptr_t)ht & FAKE_HIGH) != FAKE_HIGH || v < 0x00010100u || (v - 0x00010000u) % 0x100u)
		return NULL;
	size_t i = (v - 0x00010000u) / 0x100u - 1;
	if (i < h->nlines && h->lines[i].ht == ht)
		return &h->lines[i];
	return NULL;
}

void host_line_set_text(char **dst, const char *src)
{
	if (*dst && strcmp(*dst, src) == 0)
		return;
	size_t n = strlen(src) + 1;
	char *c = malloc(n);
	if (!c)
		return;   /* out of memory: the old text stays */
	memcpy(c, src, n);
	free(*dst);
	*dst = c;
}

void host_print_line(struct host *h, const struct line *l, const char *hname)
{
	struct rec r;
	rec_init(&r, hname, "line");
	rec_int(&r, "device", NULL, l->device);
	rec_int(&r, "perm", "perm", l->perm);
	rec_str(&r, "address", "addr", l->addr ? l->addr : "");
	rec_qstr(&r, "name", "name", l->name ? l->name : "");
	out_rec(h->out, &r);
}

static struct line *new_line_slot(struct host *h, DWORD device)
{
	if (h->nlines == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 16;
		struct line *n = realloc(h->lines, cap * sizeof *n);
		if (!n)
			return NULL;
		h->lines = n;
		h->cap = cap;
	}
	struct line *l = &h->lines[h->nlines++];
	memset(l, 0, sizeof *l);
	l->device = device;
	if (h->nlines == 1 || device > h->max_device)
		h->max_device = device;
	/* one sequence number per slot: host_line_by_ht relies on it */
	h->htline_seq = h->nlines;
	l->ht = (HTAPILINE)(FAKE_HIGH | (uintptr_t)(0x00010000u + h->htline_seq * 0x100u));
	return l;
}

int host_line_add(struct host *h, DWORD device)
{
	if (host_line_by_device(h, device)) {
		out_violation(h->out, "device ID %lu used twice", (unsigned long)device);
		return TSP8_EEXIST;
	}
	struct line *l = new_line_slot(h, device);
	if (!l) {
		out_violation(h->out, "tapihost: out of memory for line %lu", (unsigned long)device);
		return TSP8_ENOMEM;
	}
	struct tspi *t = h->tspi;
	LONG rc = t->lineNegotiateTSPIVersion(device, TSP8_TSPI_VERSION_MIN, TSP8_TSPI_VERSION_MAX,
					      &l->version);
	if (rc != 0) {
		out_violation(h->out, "TSPI_lineNegotiateTSPIVersion(%lu) failed with %s",
			      (unsigned long)device, err_name(rc));
		l->gone = true;
		return TSP8_EREFUSED;
	}
	if (l->version < TSP8_TSPI_VERSION_MIN || l->version > TSP8_TSPI_VERSION_MAX)
		out_violation(h->out, "TSPI_lineNegotiateTSPIVersion(%lu) chose 0x%08lx outside the range",
			      (unsigned long)device, (unsigned long)l->version);
	rc = linecaps_read(h, l);
	if (rc != 0) {
		out_violation(h->out, "TSPI_lineGetDevCaps(%lu) failed with %s", (unsigned long)device,
			      err_name(rc));
		l->gone = true;
		return TSP8_EREFUSED;
	}
	host_print_line(h, l, "LINE");

	HDRVLINE hd = NULL;
	evq_set_opening(h->q, l->ht);
	rc = t->lineOpen(device, l->ht, &hd, l->version, evq_line_event);
	evq_set_opening(h->q, NULL);
	if (rc != 0) {
		out_violation(h->out, "TSPI_lineOpen(%lu) failed with %s", (unsigned long)device,
			      err_name(rc));
		return TSP8_EREFUSED;
	}
	if (!hd)
		out_violation(h->out, "TSPI_lineOpen(%lu) wrote a NULL hdLine", (unsigned long)device);
	l->hd = hd;
	l->open = true;
	if (t->lineSetDefaultMediaDetection) {
		rc = t->lineSetDefaultMediaDetection(hd, LINEMEDIAMODE_INTERACTIVEVOICE);
		if (rc != 0)
			out_violation(h->out, "TSPI_lineSetDefaultMediaDetection(%lu) failed with %s",
				      (unsigned long)device, err_name(rc));
	}
	return TSP8_OK;
}

void host_line_close(struct host *h, struct line *l)
{
	if (!l->open)
		return;
	/* tapisrv deallocates the calls before closing the line. */
	calls_close_device(h, l->device);
	LONG rc = h->tspi->lineClose(l->hd);
	if (rc != 0)
		out_violation(h->out, "TSPI_lineClose(%lu) failed with %s", (unsigned long)l->device,
			      err_name(rc));
	l->open = false;
	l->closing = true;
	if (evq_push_check(h->q, NULL, l->ht) != TSP8_OK)
		out_violation(h->out, "tapihost: out of memory for a line check");
}

static void print_provider(struct host *h, DWORD options)
{
	char ver[16], opt[16];
	snprintf(ver, sizeof ver, "0x%08lx", (unsigned long)h->version);
	snprintf(opt, sizeof opt, "0x%lx", (unsigned long)options);
	struct rec r;
	rec_init(&r, "PROVIDER", "provider");
	rec_qstr(&r, "path", "path", h->provider_path);
	rec_str(&r, "version", "version", ver);
	rec_int(&r, "lines", "lines", h->num_lines);
	rec_int(&r, "phones", "phones", h->num_phones);
	rec_int(&r, "line_base", "line_base", h->opts->line_base);
	rec_str(&r, "options", "options", opt);
	out_rec(h->out, &r);
}

int host_start(struct host *h, const char *provider_path)
{
	char err[512];
	snprintf(h->provider_path, sizeof h->provider_path, "%s", provider_path);
	int rc = loader_open(&h->tspi, provider_path, err, sizeof err);
	if (rc != TSP8_OK) {
		fatal(h, err);
		return rc;
	}
	evq_install(h->q);
	evq_set_refuse_newcalls(h->q, h->opts->refuse_newcalls);
	struct tspi *t = h->tspi;
	DWORD perm = h->opts->provider_id;

	LONG lr = t->lineNegotiateTSPIVersion(INITIALIZE_NEGOTIATION, TSP8_TSPI_VERSION_MIN,
					      TSP8_TSPI_VERSION_MAX, &h->version);
	if (lr != 0) {
		snprintf(err, sizeof err, "TSPI_lineNegotiateTSPIVersion(INITIALIZE_NEGOTIATION) failed with %s",
			 err_name(lr));
		fatal(h, err);
		return TSP8_EREFUSED;
	}
	if (h->version < TSP8_TSPI_VERSION_MIN || h->version > TSP8_TSPI_VERSION_MAX)
		out_violation(h->out, "initial negotiation chose 0x%08lx outside the offered range",
			      (unsigned long)h->version);

	h->hprov = (HPROVIDER)(FAKE_PROVIDER | (uintptr_t)(0x5000u + perm));
	lr = t->providerEnumDevices(perm, &h->num_lines, &h->num_phones, h->hprov,
				    evq_line_create, evq_phone_create);
	if (lr != 0) {
		snprintf(err, sizeof err, "TSPI_providerEnumDevices failed with %s", err_name(lr));
		fatal(h, err);
		return TSP8_EREFUSED;
	}
	DWORD options = 0;
	lr = t->providerInit(h->version, perm, h->opts->line_base, FAKE_PHONE_BASE, h->num_lines,
			     h->num_phones, evq_completion, &options);
	if (lr != 0) {
		snprintf(err, sizeof err, "TSPI_providerInit failed with %s", err_name(lr));
		fatal(h, err);
		return TSP8_EREFUSED;
	}
	h->initialized = true;
	h->next_dynamic_device = h->opts->line_base + h->num_lines + DYNAMIC_GAP;
	print_provider(h, options);
	dispatch_drain(h);
	for (DWORD i = 0; i < h->num_lines; i++) {
		host_line_add(h, h->opts->line_base + i);
		dispatch_drain(h);
	}
	return TSP8_OK;
}

void host_stop(struct host *h)
{
	h->stopping = true;
	if (!h->tspi)
		return;
	dispatch_drain(h);
	for (size_t i = 0; i < h->nlines; i++) {
		host_line_close(h, &h->lines[i]);
		dispatch_drain(h);
	}
	if (h->initialized) {
		LONG rc = h->tspi->providerShutdown(h->version, h->opts->provider_id);
		if (rc != 0)
			out_violation(h->out, "TSPI_providerShutdown failed with %s", err_name(rc));
		h->initialized = false;
	}
	evq_set_dead(h->q, true);
	dispatch_drain(h);
	requests_finish(h);
	loader_close(h->tspi);
	h->tspi = NULL;
	evq_uninstall();
	/* Whatever the provider queued up to its unload. */
	dispatch_drain(h);
	unsigned lost = evq_lost(h->q);
	if (lost)
		out_violation(h->out, "tapihost: %u events lost (out of memory)", lost);
}
