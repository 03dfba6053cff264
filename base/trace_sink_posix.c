/* POSIX trace outputs: stderr for every line, syslog for INFO and WARN. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "base/error.h"
#include "base/trace.h"
#include "base/trace_sink.h"

struct trace_console {
	bool to_stderr;
	bool to_syslog;
	char *ident;    /* openlog() keeps this pointer: it lives as long as we do */
};

int trace_console_create(struct trace_console **out, const struct trace_config *cfg)
{
	struct trace_console *c;
	const char *name;

	if (!out || !cfg)
		return TSP8_EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return TSP8_ENOMEM;
	c->to_stderr = cfg->to_stderr;
	c->to_syslog = cfg->to_syslog;
	if (c->to_syslog) {
		name = cfg->name && *cfg->name ? cfg->name : "tsp8";
		c->ident = malloc(strlen(name) + 1);
		if (!c->ident) {
			free(c);
			return TSP8_ENOMEM;
		}
		strcpy(c->ident, name);
		/* syslog's identity is per process: the last trace object that
		 * asks for syslog names the messages. */
		openlog(c->ident, LOG_PID, LOG_DAEMON);
	}
	*out = c;
	return TSP8_OK;
}

void trace_console_destroy(struct trace_console *c)
{
	if (!c)
		return;
	if (c->to_syslog)
		closelog();
	free(c->ident);
	free(c);
}

void trace_console_write(struct trace_console *c, uint32_t cls, const char *line)
{
	if (!c)
		return;
	if (c->to_stderr)
		fprintf(stderr, "%s\n", line);  /* one call: lines never interleave */
	if (c->to_syslog && (cls & TRACE_ALWAYS))
		syslog((cls & TRACE_WARN) ? LOG_WARNING : LOG_INFO, "%s", line);
}
