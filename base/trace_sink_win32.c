/* Windows trace outputs: the debugger (OutputDebugStringW, which DebugView
 * and debuggers show) and, when asked for, stderr.  There is no event log
 * output: without a registered message DLL every entry would read "the
 * description for event ID 0 cannot be found"; INFO/WARN lines reach the
 * debugger and the log files instead (to_syslog is ignored here). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "base/error.h"
#include "base/trace.h"
#include "base/trace_sink.h"
#include "base/utf16_win32.h"

/* OutputDebugString passes at most 4 KiB (minus a process id) to DebugView
 * and truncates the rest: longer lines (SOAP dumps) go out in pieces of
 * this many UTF-16 units.  Pieces of a line stay adjacent only as far as
 * other threads' lines do not come in between: each piece is one call. */
#define DEBUG_PIECE 1000

struct trace_console {
	bool to_debugger;
	bool to_stderr;
};

int trace_console_create(struct trace_console **out, const struct trace_config *cfg)
{
	struct trace_console *c;

	if (!out || !cfg)
		return TSP8_EINVAL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return TSP8_ENOMEM;
	c->to_debugger = cfg->to_debugger;
	c->to_stderr = cfg->to_stderr;
	*out = c;
	return TSP8_OK;
}

void trace_console_destroy(struct trace_console *c)
{
	free(c);
}

/* Sends w (n units, then a line break) to the debugger in pieces that
 * never split a surrogate pair. */
static void debug_out(const wchar_t *w, size_t n)
{
	wchar_t piece[DEBUG_PIECE + 2];
	size_t take;

	do {
		take = n > DEBUG_PIECE ? DEBUG_PIECE : n;
		if (take < n && take > 0 && w[take - 1] >= 0xD800 && w[take - 1] <= 0xDBFF)
			take--;         /* keep the high surrogate with its partner */
		memcpy(piece, w, take * sizeof(*w));
		piece[take] = L'\n';
		piece[take + 1] = L'\0';
		OutputDebugStringW(piece);
		w += take;
		n -= take;
	} while (n > 0);
}

/* A line that is not valid UTF-8 still reaches the debugger, byte by byte
 * as Latin-1 code points, rather than being dropped. */
static void debug_out_bytes(const char *line)
{
	size_t n = strlen(line), i;
	wchar_t *w = malloc((n + 1) * sizeof(*w));

	if (!w) {
		OutputDebugStringA(line);
		return;
	}
	for (i = 0; i < n; i++)
		w[i] = (unsigned char)line[i];
	debug_out(w, n);
	free(w);
}

void trace_console_write(struct trace_console *c, uint32_t cls, const char *line)
{
	wchar_t *w;

	(void)cls;
	if (!c || !line)
		return;
	if (c->to_debugger) {
		if (w32_to_wide(line, &w) == TSP8_OK) {
			debug_out(w, wcslen(w));
			free(w);
		} else {
			debug_out_bytes(line);
		}
	}
	if (c->to_stderr)
		fprintf(stderr, "%s\n", line);  /* one call: lines never interleave */
}
