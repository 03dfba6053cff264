/* stdin command thread (see stdin_reader.h). */
#include "stdin_reader.h"

#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 1024

struct stdin_reader {
	struct host *h;
	FILE *in;
	bool quit_at_eof;
	plat_thread *thread;
	plat_mutex lock;   /* guards closed, finished */
	bool closed;       /* main thread stopped accepting commands */
	bool finished;     /* the thread function has returned */
};

/* Queues ev-bound work unless the main thread has closed the reader. */
static bool still_open(struct stdin_reader *r)
{
	plat_mutex_lock(&r->lock);
	bool open = !r->closed;
	plat_mutex_unlock(&r->lock);
	return open;
}

static void reply_direct(struct host *h, const char *command, bool ok, const char *reason)
{
	if (!ok) {
		host_reply_error(h, command, reason);
		return;
	}
	struct rec rec;
	rec_init(&rec, "ok", "reply");
	rec_str(&rec, "command", NULL, command);
	rec_json_bool(&rec, "ok", true);
	out_rec(h->out, &rec);
}

/* Queues a syntax error so that it is printed in order with the replies. */
static void queue_error(struct stdin_reader *r, const char *why)
{
	struct ev *e = calloc(1, sizeof *e);
	if (!e) {
		host_reply_error(r->h, "", why);
		return;
	}
	e->kind = EV_COMMAND;
	e->cmd.kind = CMD_NONE;
	snprintf(e->what, sizeof e->what, "%s", why);
	evq_push(r->h->q, e);
}

/* Handles one line; returns false when reading should end (quit). */
static bool handle_line(struct stdin_reader *r, const char *line)
{
	struct cmd c;
	char err[160];
	if (cmd_parse(line, &c, err, sizeof err) != 0) {
		queue_error(r, err);
		return true;
	}
	switch (c.kind) {
	case CMD_NONE:
		return true;
	case CMD_SLEEP:
		plat_sleep_ms(c.ms);
		if (still_open(r))
			reply_direct(r->h, "sleep", true, NULL);
		return true;
	case CMD_WAIT: {
		int rc = out_wait(r->h->out, c.text, c.ms);
		if (still_open(r))
			reply_direct(r->h, "wait", rc == TSP8_OK, "timeout");
		return true;
	}
	default:
		if (evq_push_command(r->h->q, &c) != TSP8_OK)
			host_reply_error(r->h, cmd_name(c.kind), "out of memory");
		return c.kind != CMD_QUIT;
	}
}

static void reader_main(void *arg)
{
	struct stdin_reader *r = arg;
	char line[LINE_MAX_BYTES];
	bool eof = true;
	while (fgets(line, sizeof line, r->in)) {
		if (!still_open(r)) {
			eof = false;
			break;
		}
		size_t n = strlen(line);
		if (n == sizeof line - 1 && line[n - 1] != '\n') {
			/* Skip the rest of an over-long line. */
			int ch;
			while ((ch = fgetc(r->in)) != EOF && ch != '\n')
				;
			queue_error(r, "syntax: line too long");
			continue;
		}
		if (!handle_line(r, line)) {
			eof = false;
			break;
		}
	}
	if (eof && r->quit_at_eof && still_open(r))
		host_request_quit(r->h);
	plat_mutex_lock(&r->lock);
	r->finished = true;
	plat_mutex_unlock(&r->lock);
}

int stdin_reader_start(struct stdin_reader **out, struct host *h, FILE *in, bool quit_at_eof)
{
	if (!out || !h || !in)
		return TSP8_EINVAL;
	struct stdin_reader *r = calloc(1, sizeof *r);
	if (!r)
		return TSP8_ENOMEM;
	r->h = h;
	r->in = in;
	r->quit_at_eof = quit_at_eof;
	int rc = plat_mutex_init(&r->lock);
	if (rc != TSP8_OK) {
		free(r);
		return rc;
	}
	rc = plat_thread_start(&r->thread, reader_main, r, "tapihost-stdin");
	if (rc != TSP8_OK) {
		plat_mutex_destroy(&r->lock);
		free(r);
		return rc;
	}
	*out = r;
	return TSP8_OK;
}

bool stdin_reader_stop(struct stdin_reader *r)
{
	plat_mutex_lock(&r->lock);
	r->closed = true;
	bool finished = r->finished;
	plat_mutex_unlock(&r->lock);
	if (!finished)
		return false;
	plat_thread_join(r->thread);
	plat_mutex_destroy(&r->lock);
	free(r);
	return true;
}
