/* The trace's platform outputs (internal to base/): stderr and syslog on
 * POSIX (trace_sink_posix.c), the debugger and event log on Windows.
 * Log files are handled separately by trace_file.c. */
#ifndef TSP8_BASE_TRACE_SINK_H
#define TSP8_BASE_TRACE_SINK_H

#include <stdint.h>

struct trace_config;
struct trace_console;

/* Sets up the outputs cfg asks for; *out may be an object that writes
 * nowhere when none is asked for. */
int  trace_console_create(struct trace_console **out, const struct trace_config *cfg);
void trace_console_destroy(struct trace_console *c);
/* Writes one formatted line (no trailing newline) of class cls.  Safe to
 * call from several threads at once. */
void trace_console_write(struct trace_console *c, uint32_t cls, const char *line);

#endif
