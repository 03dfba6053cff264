/* Test helper: runs tapihost (with the provider) as a child process in
 * --json mode, feeds it stdin commands and collects its output lines, so the
 * end-to-end tests can wait for events.  Linux only (tests run pbxsim and
 * tapihost natively; the Windows test bed has its own script). */
#ifndef TSP8_TESTS_HOST_PROC_H
#define TSP8_TESTS_HOST_PROC_H

#include <stdbool.h>
#include <stddef.h>

struct host_proc;

/* Starts tapihost --json --config <config_path> [extra args]. */
int  host_start(struct host_proc **out, const char *config_path, const char *extra_args);
/* Sends one stdin command line (a newline is appended). */
int  host_send(struct host_proc *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Waits until an output line that appeared after position *pos contains
 * every one of the NULL-terminated needles; returns a malloc'd copy of the
 * line (NULL on timeout) and advances *pos past it. */
char *host_wait(struct host_proc *h, size_t *pos, unsigned timeout_ms, ...);
/* Process id of tapihost. */
long host_pid(const struct host_proc *h);
/* Number of output lines so far and line i (valid until host_stop). */
size_t host_lines(struct host_proc *h);
const char *host_line(struct host_proc *h, size_t i);
/* Counts lines (from 0) containing needle. */
size_t host_count(struct host_proc *h, const char *needle);
/* Sends "quit", waits (bounded), returns the exit status (-1 if killed). */
int  host_stop(struct host_proc *h);
/* SIGKILL: no orderly shutdown (crash tests); frees h. */
void host_kill(struct host_proc *h);
/* SIGKILL, then waits until every line the host wrote is collected; h
 * stays readable (host_line, host_count) until host_stop (which then only
 * frees it). */
void host_kill_keep(struct host_proc *h);
/* Prints everything the host wrote (for failure diagnostics). */
void host_dump(struct host_proc *h);

/* Integer member name of a JSON output line, or -1. */
long host_json_int(const char *line, const char *name);
/* String member name of a JSON output line copied into buf ("" if absent). */
const char *host_json_str(const char *line, const char *name, char *buf, size_t len);

/* Writes a REGEDIT4 provider configuration pointing at master_url into a
 * temp file; returns its malloc'd path. extra: more value lines or NULL. */
char *host_write_config(const char *master_url, const char *tapi_user,
			const char *account, const char *password, const char *extra);

/* Writes text (a whole REGEDIT4 file) into a temp file; malloc'd path. */
char *host_write_config_text(const char *text);

#endif
