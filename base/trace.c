/* Trace objects: class filtering, line formatting, and fan-out to the
 * platform outputs (trace_sink_*.c), the log files (trace_file.c) and the
 * test observer. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/trace.h"
#include "base/trace_file.h"
#include "base/trace_sink.h"

/* Lines up to this size are formatted on the stack; longer ones (SOAP
 * dumps) get a heap buffer. */
#define LINE_STACK 1024

typedef void (trace_observer_fn)(void *arg, uint32_t cls, const char *line);

struct trace {
	_Atomic uint32_t level;         /* read without the lock on every TRACE() */
	char *name;                     /* NULL when no name was configured */
	struct trace_console *console;
	bool file_enabled;              /* DoTraceFile */

	plat_mutex lock;                /* guards file, file_failed, observer, observer_arg */
	struct trace_file *file;        /* NULL without log_dir/file_enabled */
	bool file_failed;               /* last file write failed (reported once) */
	trace_observer_fn *observer;
	void *observer_arg;
};

static const struct {
	uint32_t bit;
	const char *name;
} class_names[] = {
	{ TRACE_MIN, "MIN" },         { TRACE_API, "API" },
	{ TRACE_OBJ, "OBJ" },         { TRACE_THREAD, "THREAD" },
	{ TRACE_REQ, "REQ" },         { TRACE_CALL, "CALL" },
	{ TRACE_CALLID, "CALLID" },   { TRACE_WARN, "WARN" },
	{ TRACE_WORKER, "WORKER" },   { TRACE_LOCK, "LOCK" },
	{ TRACE_CRITSEC, "CRITSEC" }, { TRACE_AGENT, "AGENT" },
	{ TRACE_CTOR, "CTOR" },       { TRACE_DEVEL, "DEVEL" },
	{ TRACE_VERBOSE, "VERBOSE" }, { TRACE_SOAP, "SOAP" },
	{ TRACE_SOAPDUMP, "SOAPDUMP" }, { TRACE_ATL, "ATL" },
	{ TRACE_LINE, "LINE" },       { TRACE_INFO, "INFO" },
	{ TRACE_DUMPCALL, "DUMPCALL" }, { TRACE_DUMPPBX, "DUMPPBX" },
	{ TRACE_FILE, "FILE" },
};

const char *trace_class_name(uint32_t cls)
{
	size_t i;

	/* A message of several classes is named by its most important one. */
	if (cls & TRACE_WARN)
		return "WARN";
	if (cls & TRACE_INFO)
		return "INFO";
	for (i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
		if (cls & class_names[i].bit)
			return class_names[i].name;
	return "?";
}

int trace_create(struct trace **out, const struct trace_config *cfg)
{
	struct trace *tr;
	int rc;

	if (!out || !cfg)
		return TSP8_EINVAL;
	tr = calloc(1, sizeof(*tr));
	if (!tr)
		return TSP8_ENOMEM;
	atomic_init(&tr->level, cfg->level);
	tr->file_enabled = cfg->file_enabled;
	rc = plat_mutex_init(&tr->lock);
	if (rc != TSP8_OK) {
		free(tr);
		return rc;
	}
	if (cfg->name && *cfg->name) {
		tr->name = malloc(strlen(cfg->name) + 1);
		if (!tr->name) {
			rc = TSP8_ENOMEM;
			goto fail;
		}
		strcpy(tr->name, cfg->name);
	}
	rc = trace_console_create(&tr->console, cfg);
	if (rc != TSP8_OK)
		goto fail;
	if (cfg->file_enabled && cfg->log_dir && *cfg->log_dir) {
		struct trace_file_config fc = {
			.dir = cfg->log_dir,
			.prefix = "tsp8",
			.num_files = cfg->num_log_files,
			.keep = cfg->keep_log_files,
		};

		rc = trace_file_create(&tr->file, &fc);
		if (rc != TSP8_OK)
			goto fail;
	}
	*out = tr;
	return TSP8_OK;

fail:
	trace_console_destroy(tr->console);
	free(tr->name);
	plat_mutex_destroy(&tr->lock);
	free(tr);
	return rc;
}

void trace_destroy(struct trace *tr)
{
	if (!tr)
		return;
	trace_file_destroy(tr->file);
	trace_console_destroy(tr->console);
	plat_mutex_destroy(&tr->lock);
	free(tr->name);
	free(tr);
}

void trace_set_level(struct trace *tr, uint32_t level)
{
	if (!tr)
		return;
	atomic_store(&tr->level, level);
	if (!(level & TRACE_FILE)) {
		/* Log files off: do not keep one open (admins may move it). */
		plat_mutex_lock(&tr->lock);
		trace_file_close_current(tr->file);
		plat_mutex_unlock(&tr->lock);
	}
}

uint32_t trace_get_level(const struct trace *tr)
{
	return tr ? atomic_load(&tr->level) : 0;
}

bool trace_enabled(const struct trace *tr, uint32_t cls)
{
	uint32_t on;

	if (!tr)
		return false;
	cls &= ~(uint32_t)TRACE_FILE;
	on = atomic_load(&tr->level) | TRACE_ALWAYS;
	return (cls & on) != 0;
}

void trace_set_observer(struct trace *tr,
			void (*fn)(void *arg, uint32_t cls, const char *line),
			void *arg)
{
	if (!tr)
		return;
	plat_mutex_lock(&tr->lock);
	tr->observer = fn;
	tr->observer_arg = arg;
	plat_mutex_unlock(&tr->lock);
}

/* Formats "<local time> <thread id> <CLASS> <name>: <message>" into stack
 * (size LINE_STACK) or, if longer, into a malloc'd buffer stored in *heap.
 * Returns the line and its length in *len. */
static char *format_line(const struct trace *tr, uint32_t cls, const char *fmt,
			 va_list ap, char *stack, char **heap, size_t *len)
{
	struct plat_tm tm;
	char prefix[128];
	int plen, mlen;
	va_list ap2;
	char *buf = stack;
	size_t cap = LINE_STACK;

	*heap = NULL;
	plat_localtime(plat_wallclock_ms(), &tm);
	plen = snprintf(prefix, sizeof(prefix),
			"%04d-%02d-%02d %02d:%02d:%02d.%03d %lu %s %s%s",
			tm.year, tm.mon, tm.day, tm.hour, tm.min, tm.sec, tm.msec,
			plat_thread_id(), trace_class_name(cls),
			tr->name ? tr->name : "", tr->name ? ": " : "");
	if (plen < 0)
		plen = 0;
	if ((size_t)plen >= sizeof(prefix))
		plen = sizeof(prefix) - 1;
	memcpy(buf, prefix, (size_t)plen);
	va_copy(ap2, ap);
	mlen = vsnprintf(buf + plen, cap - (size_t)plen, fmt, ap2);
	va_end(ap2);
	if (mlen < 0) {
		mlen = 0;
		buf[plen] = '\0';
	} else if ((size_t)plen + (size_t)mlen >= cap) {
		char *big = malloc((size_t)plen + (size_t)mlen + 1);

		if (big) {
			memcpy(big, prefix, (size_t)plen);
			vsnprintf(big + plen, (size_t)mlen + 1, fmt, ap);
			buf = big;
			*heap = big;
		} else {
			mlen = (int)(cap - 1 - (size_t)plen);   /* keep the truncated text */
		}
	}
	*len = (size_t)plen + (size_t)mlen;
	/* Messages end lines themselves; sinks add their own line ends. */
	while (*len > (size_t)plen && (buf[*len - 1] == '\n' || buf[*len - 1] == '\r'))
		buf[--*len] = '\0';
	return buf;
}

void trace_vwrite(struct trace *tr, uint32_t cls, const char *fmt, va_list ap)
{
	char stack[LINE_STACK], *heap, *line;
	trace_observer_fn *obs;
	void *obs_arg;
	bool report_failure = false;
	size_t len;
	uint32_t level;

	if (!fmt || !trace_enabled(tr, cls))
		return;
	level = atomic_load(&tr->level);
	line = format_line(tr, cls, fmt, ap, stack, &heap, &len);
	trace_console_write(tr->console, cls, line);

	plat_mutex_lock(&tr->lock);
	if (tr->file && tr->file_enabled && (level & TRACE_FILE)) {
		int rc = trace_file_write(tr->file, plat_wallclock_ms(), line, len);

		report_failure = rc != TSP8_OK && !tr->file_failed;
		tr->file_failed = rc != TSP8_OK;
	}
	obs = tr->observer;
	obs_arg = tr->observer_arg;
	plat_mutex_unlock(&tr->lock);

	if (report_failure)
		trace_console_write(tr->console, TRACE_WARN,
				    "trace: log file could not be written; "
				    "file logging pauses until the next hour");
	if (obs)
		obs(obs_arg, cls, line);
	free(heap);
}

void trace_write(struct trace *tr, uint32_t cls, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	trace_vwrite(tr, cls, fmt, ap);
	va_end(ap);
}
