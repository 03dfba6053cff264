/* Rotating log files of the trace (internal to base/).
 *
 * Files are named <prefix>-YYYYMMDD-HHMMSS-<pid>-<seq>.log in one
 * directory.  A new file starts with every new local hour and whenever the
 * current one would exceed max_bytes.  Only files created by this object are
 * ever removed: at most num_files of them are kept while running, and on
 * destroy keep decides (KeepLogFiles): 0 removes them all, 1 keeps the last
 * num_files, 2 keeps every file (and also turns off removal while running).
 * Not thread-safe: the trace object serialises calls.
 */
#ifndef TSP8_BASE_TRACE_FILE_H
#define TSP8_BASE_TRACE_FILE_H

#include <stddef.h>
#include <stdint.h>

#define TRACE_FILE_NUM_DEFAULT 24u
#define TRACE_FILE_MAX_BYTES_DEFAULT (16u * 1024u * 1024u)

enum trace_file_keep {
	TRACE_FILE_KEEP_NONE = 0,
	TRACE_FILE_KEEP_LAST = 1,
	TRACE_FILE_KEEP_ALL = 2
};

struct trace_file_config {
	const char *dir;        /* existing directory (required) */
	const char *prefix;     /* file name prefix; NULL: "tsp8" */
	unsigned num_files;     /* 0: TRACE_FILE_NUM_DEFAULT */
	unsigned keep;          /* enum trace_file_keep; larger values act as 2 */
	uint64_t max_bytes;     /* 0: TRACE_FILE_MAX_BYTES_DEFAULT */
};

struct trace_file;

int  trace_file_create(struct trace_file **out, const struct trace_file_config *cfg);
/* Closes the current file and applies the keep policy. NULL is allowed. */
void trace_file_destroy(struct trace_file *f);
/* Appends line (len bytes, no newline) plus a newline, stamped at wall_ms
 * (decides the hour of rotation).  TSP8_EIO when the file cannot be opened
 * or written; after a failed open no new attempt is made within the same
 * hour, so a full disk costs one failed open per hour, not one per line. */
int  trace_file_write(struct trace_file *f, uint64_t wall_ms, const char *line, size_t len);
/* Closes the current file; the next write starts a new one. */
void trace_file_close_current(struct trace_file *f);
/* Number of files this object created that still exist (as far as it knows). */
size_t trace_file_count(const struct trace_file *f);
/* Full path of the file being written, or NULL. */
const char *trace_file_current(const struct trace_file *f);

#endif
