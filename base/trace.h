/* Tracing with the reference TSP's TraceLevel classes.
 *
 * A struct trace is an object owned by its program (the provider object,
 * pbxsim, a test); there is no global trace state.  Every layer receives a
 * struct trace * and may pass NULL (then nothing is written).
 *
 * Sinks: OutputDebugString on Windows (DebugView), stderr on POSIX
 * (optionally syslog), and rotating log files when TRACE_FILE is set in the
 * level and the file sink is enabled (DoTraceFile).  INFO and WARN classes
 * are always on, as in the reference (build 8095 and later).
 */
#ifndef TSP8_BASE_TRACE_H
#define TSP8_BASE_TRACE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

enum trace_class {
	TRACE_MIN      = 0x00000001, /* minimum tracing */
	TRACE_API      = 0x00000002, /* TAPI api traces (TSPI entry/exit) */
	TRACE_OBJ      = 0x00000020, /* telephony object creation/destruction */
	TRACE_THREAD   = 0x00000040, /* thread creation/destruction */
	TRACE_REQ      = 0x00000080, /* request creation/destruction */
	TRACE_CALL     = 0x00000100, /* call related messages */
	TRACE_CALLID   = 0x00000200, /* call id map */
	TRACE_WARN     = 0x00000400, /* warnings/errors (always on) */
	TRACE_WORKER   = 0x00000800, /* worker thread execution */
	TRACE_LOCK     = 0x00001000, /* full lock/unlock notifications */
	TRACE_CRITSEC  = 0x00002000, /* critical section create/destroy */
	TRACE_AGENT    = 0x00004000, /* agent proxy support */
	TRACE_CTOR     = 0x00008000, /* constructor/destructor debug */
	TRACE_DEVEL    = 0x00010000, /* development debugs */
	TRACE_VERBOSE  = 0x00100000, /* verbose debugging */
	TRACE_SOAP     = 0x00200000, /* SOAP trace */
	TRACE_SOAPDUMP = 0x00400000, /* SOAP message dumps */
	TRACE_ATL      = 0x01000000, /* (reference: ATL debug; unused) */
	TRACE_LINE     = 0x02000000, /* line related messages */
	TRACE_INFO     = 0x04000000, /* informational messages (always on) */
	TRACE_DUMPCALL = 0x10000000, /* dump call infos */
	TRACE_DUMPPBX  = 0x20000000, /* dump PBX infos */
	TRACE_FILE     = 0x80000000u /* not a class: write to log files */
};

#define TRACE_LEVEL_DEFAULT 0x04000400u  /* retail default of the reference */
#define TRACE_ALWAYS (TRACE_INFO | TRACE_WARN)

struct trace;

struct trace_config {
	const char *name;        /* program/provider name used as prefix */
	uint32_t level;          /* TraceLevel bitmask */
	bool to_stderr;          /* POSIX: write to stderr */
	bool to_syslog;          /* POSIX: write INFO/WARN to syslog */
	bool to_debugger;        /* Windows: OutputDebugString */
	bool file_enabled;       /* DoTraceFile: file sink allowed */
	const char *log_dir;     /* directory for log files (NULL: none) */
	unsigned num_log_files;  /* NumLogFiles (default 24) */
	unsigned keep_log_files; /* KeepLogFiles: 0 remove, 1 keep last n, 2 keep all */
};

int  trace_create(struct trace **out, const struct trace_config *cfg);
/* Closes files; applies KeepLogFiles. NULL is allowed. */
void trace_destroy(struct trace *tr);
void trace_set_level(struct trace *tr, uint32_t level);
uint32_t trace_get_level(const struct trace *tr);
/* True when a message of class cls would be written. */
bool trace_enabled(const struct trace *tr, uint32_t cls);
void trace_write(struct trace *tr, uint32_t cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void trace_vwrite(struct trace *tr, uint32_t cls, const char *fmt, va_list ap);
/* Short name of a class bit ("WARN", "SOAP", ...). */
const char *trace_class_name(uint32_t cls);

/* Test hook: every formatted line is also passed to fn (may be NULL). */
void trace_set_observer(struct trace *tr,
			void (*fn)(void *arg, uint32_t cls, const char *line),
			void *arg);

#define TRACE(tr, cls, ...) \
	do { if (trace_enabled((tr), (cls))) trace_write((tr), (cls), __VA_ARGS__); } while (0)

#endif
