/* The Windows debugger output of the trace (base/trace_sink_win32.c),
 * captured in-process the way DebugView does: the DBWIN_BUFFER shared
 * memory and its two events.  OutputDebugString delivers into them
 * (on Windows and under Wine) whenever a reader has created them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <windows.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/trace.h"
#include "test_util.h"

#define DBWIN_SIZE 4096

/* The shared buffer: sender's process id, then its NUL-terminated text
 * in the ANSI code page. */
struct dbwin_buffer {
	DWORD pid;
	char text[DBWIN_SIZE - sizeof(DWORD)];
};

struct capture {
	HANDLE buffer_ready, data_ready, mapping;
	struct dbwin_buffer *buf;
	plat_thread *thread;
	atomic_int stop;
	/* written by the reader thread only until it is joined */
	char *text;             /* our process's messages, one after another */
	size_t len, cap;
	int messages;
};

static void append(struct capture *c, const char *s)
{
	size_t n = strlen(s);

	if (c->len + n + 1 > c->cap) {
		size_t cap = (c->len + n + 1) * 2;
		char *t = realloc(c->text, cap);

		if (!t)
			return;
		c->text = t;
		c->cap = cap;
	}
	memcpy(c->text + c->len, s, n + 1);
	c->len += n;
	c->messages++;
}

static void reader(void *arg)
{
	struct capture *c = arg;
	DWORD me = GetCurrentProcessId();

	for (;;) {
		SetEvent(c->buffer_ready);
		/* A sender sets data_ready before its OutputDebugString returns,
		 * so everything sent before stop was set is read before we see
		 * the timeout that ends the loop. */
		while (WaitForSingleObject(c->data_ready, 50) == WAIT_TIMEOUT)
			if (atomic_load(&c->stop))
				return;
		if (c->buf->pid == me) {
			c->buf->text[sizeof(c->buf->text) - 1] = '\0';
			append(c, c->buf->text);
		}
	}
}

static void capture_start(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->buffer_ready = CreateEventA(NULL, FALSE, FALSE, "DBWIN_BUFFER_READY");
	c->data_ready = CreateEventA(NULL, FALSE, FALSE, "DBWIN_DATA_READY");
	c->mapping = CreateFileMappingA(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
					DBWIN_SIZE, "DBWIN_BUFFER");
	assert_non_null(c->buffer_ready);
	assert_non_null(c->data_ready);
	assert_non_null(c->mapping);
	c->buf = MapViewOfFile(c->mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, DBWIN_SIZE);
	assert_non_null(c->buf);
	atomic_init(&c->stop, 0);
	assert_int_equal(plat_thread_start(&c->thread, reader, c, "dbwin-reader"), TSP8_OK);
}

static void capture_stop(struct capture *c)
{
	atomic_store(&c->stop, 1);
	plat_thread_join(c->thread);
	UnmapViewOfFile(c->buf);
	CloseHandle(c->mapping);
	CloseHandle(c->data_ready);
	CloseHandle(c->buffer_ready);
	if (!c->text) {
		c->text = calloc(1, 1);
		assert_non_null(c->text);
	}
}

static struct trace *make(bool to_debugger)
{
	struct trace_config cfg = { .name = "dbg", .level = TRACE_LEVEL_DEFAULT | TRACE_SOAP,
				    .to_debugger = to_debugger };
	struct trace *tr = NULL;

	assert_int_equal(trace_create(&tr, &cfg), TSP8_OK);
	return tr;
}

static void test_lines_reach_debugger(void **state)
{
	struct capture c;
	struct trace *tr;
	wchar_t want_w[64];
	char want[64];

	(void)state;
	capture_start(&c);
	tr = make(true);
	trace_write(tr, TRACE_WARN, "first %d", 1);
	trace_write(tr, TRACE_DEVEL, "filtered out");
	trace_write(tr, TRACE_SOAP, "innovaphone\xc2\xae PBX");
	trace_destroy(tr);
	capture_stop(&c);

	assert_int_equal(c.messages, 2);
	assert_non_null(strstr(c.text, " WARN dbg: first 1\n"));
	assert_null(strstr(c.text, "filtered"));
	/* OutputDebugStringW hands DebugView the ANSI code page's bytes:
	 * "®" arrives as whatever this code page makes of U+00AE */
	wcscpy(want_w, L" SOAP dbg: innovaphone\x00ae PBX\n");
	assert_true(WideCharToMultiByte(CP_ACP, 0, want_w, -1, want, sizeof(want), NULL, NULL) > 0);
	assert_non_null(strstr(c.text, want));
	free(c.text);
}

static void test_long_line_in_pieces(void **state)
{
	struct capture c;
	struct trace *tr;
	char *big, *at;
	size_t i, run;

	(void)state;
	big = malloc(5001);
	assert_non_null(big);
	for (i = 0; i < 5000; i++)
		big[i] = (char)('a' + i % 26);
	big[5000] = '\0';
	capture_start(&c);
	tr = make(true);
	trace_write(tr, TRACE_INFO, "%s|end", big);
	trace_destroy(tr);
	capture_stop(&c);

	/* several pieces, each ending in a line break, none cut by the 4 KiB
	 * limit of the shared buffer: without the breaks the text is whole */
	assert_true(c.messages >= 5);
	at = c.text;
	for (i = 0, run = 0; c.text[i]; i++)
		if (c.text[i] != '\n')
			c.text[run++] = c.text[i];
	c.text[run] = '\0';
	assert_non_null(strstr(at, big));
	assert_non_null(strstr(at, "|end"));
	free(c.text);
	free(big);
}

static void test_debugger_off(void **state)
{
	struct capture c;
	struct trace *tr;

	(void)state;
	capture_start(&c);
	tr = make(false);
	trace_write(tr, TRACE_WARN, "not for the debugger");
	trace_destroy(tr);
	/* the control: a direct call in the same window does arrive */
	OutputDebugStringA("control message\n");
	capture_stop(&c);
	assert_int_equal(c.messages, 1);
	assert_string_equal(c.text, "control message\n");
	free(c.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_reach_debugger),
		cmocka_unit_test(test_long_line_in_pieces),
		cmocka_unit_test(test_debugger_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
