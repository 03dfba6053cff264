/* pbxsim control port and the line loop shared with stdin. */
#include "control_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "control.h"
#include "simlog.h"

struct ctl_client {
	struct control_server *cs;
	int fd;                 /* closed by the reaper after join */
	pthread_t thread;
	bool finished;          /* guarded by cs->lock */
	struct ctl_client *next;
};

struct control_server {
	struct pbxsim_app *app;
	int lfd;
	unsigned port;
	pthread_t accept_thread;
	/* Guards clients and every client's `finished`. */
	pthread_mutex_t lock;
	struct ctl_client *clients;
};

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static bool answer(struct pbxsim_app *app, const char *line, int out_fd)
{
	struct strbuf r;
	bool ok;

	sb_init(&r);
	control_exec(app, line, &r);
	if (sb_failed(&r))
		sb_puts(&r, "error out of memory");
	sb_puts(&r, "\n");
	sim_log(app->sim, "control: %s -> %.*s", line, (int)(r.len ? r.len - 1 : 0), sb_cstr(&r));
	ok = write_all(out_fd, sb_cstr(&r), r.len);
	sb_free(&r);
	return ok;
}

bool control_feed(struct pbxsim_app *app, struct control_lines *cl, const char *data,
		  size_t n, int out_fd)
{
	for (size_t i = 0; i < n; i++) {
		char ch = data[i];

		if (ch != '\n') {
			if (cl->len < CONTROL_LINE_MAX)
				cl->buf[cl->len++] = ch;
			else
				cl->overlong = true;
			continue;
		}
		if (cl->len && cl->buf[cl->len - 1] == '\r')
			cl->len--;
		cl->buf[cl->len] = '\0';
		if (cl->overlong) {
			if (!write_all(out_fd, "error line too long\n", 20))
				return false;
		} else if (cl->len && !answer(app, cl->buf, out_fd)) {
			return false;
		}
		cl->len = 0;
		cl->overlong = false;
		if (atomic_load(&app->quit))
			return false;
	}
	return true;
}

void control_serve_fd(struct pbxsim_app *app, int fd, int out_fd)
{
	struct control_lines cl = { .len = 0 };
	char buf[512];

	while (!atomic_load(&app->quit)) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || !control_feed(app, &cl, buf, (size_t)n, out_fd))
			return;
	}
}

static void *client_main(void *arg)
{
	struct ctl_client *c = arg;

	control_serve_fd(c->cs->app, c->fd, c->fd);
	shutdown(c->fd, SHUT_RDWR);
	pthread_mutex_lock(&c->cs->lock);
	c->finished = true;
	pthread_mutex_unlock(&c->cs->lock);
	return NULL;
}

static void reap(struct control_server *cs, bool all)
{
	struct ctl_client *done = NULL;

	pthread_mutex_lock(&cs->lock);
	for (struct ctl_client **pp = &cs->clients; *pp;) {
		struct ctl_client *c = *pp;

		if (all || c->finished) {
			if (all)
				shutdown(c->fd, SHUT_RDWR);
			*pp = c->next;
			c->next = done;
			done = c;
		} else {
			pp = &c->next;
		}
	}
	pthread_mutex_unlock(&cs->lock);
	while (done) {
		struct ctl_client *c = done;

		done = c->next;
		pthread_join(c->thread, NULL);
		close(c->fd);
		free(c);
	}
}

static void *accept_main(void *arg)
{
	struct control_server *cs = arg;

	for (;;) {
		int fd = accept4(cs->lfd, NULL, NULL, SOCK_CLOEXEC);
		struct ctl_client *c;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL;
		}
		reap(cs, false);
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->cs = cs;
		c->fd = fd;
		pthread_mutex_lock(&cs->lock);
		if (sim_thread_create(&c->thread, client_main, c) != TSP8_OK) {
			pthread_mutex_unlock(&cs->lock);
			close(fd);
			free(c);
			continue;
		}
		c->next = cs->clients;
		cs->clients = c;
		pthread_mutex_unlock(&cs->lock);
	}
}

int control_server_create(struct control_server **out, struct pbxsim_app *app, unsigned port)
{
	struct control_server *cs;
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int one = 1;

	if (!out || !app || port > 65535)
		return TSP8_EINVAL;
	cs = calloc(1, sizeof(*cs));
	if (!cs)
		return TSP8_ENOMEM;
	cs->app = app;
	cs->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cs->lfd < 0) {
		free(cs);
		return TSP8_EIO;
	}
	setsockopt(cs->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	if (bind(cs->lfd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(cs->lfd, 16) != 0 ||
	    getsockname(cs->lfd, (struct sockaddr *)&a, &alen) != 0) {
		close(cs->lfd);
		free(cs);
		return TSP8_EIO;
	}
	cs->port = ntohs(a.sin_port);
	pthread_mutex_init(&cs->lock, NULL);
	if (sim_thread_create(&cs->accept_thread, accept_main, cs) != TSP8_OK) {
		pthread_mutex_destroy(&cs->lock);
		close(cs->lfd);
		free(cs);
		return TSP8_ENOMEM;
	}
	*out = cs;
	return TSP8_OK;
}

unsigned control_server_port(const struct control_server *cs)
{
	return cs->port;
}

void control_server_destroy(struct control_server *cs)
{
	if (!cs)
		return;
	shutdown(cs->lfd, SHUT_RDWR);
	pthread_join(cs->accept_thread, NULL);
	close(cs->lfd);
	reap(cs, true);
	pthread_mutex_destroy(&cs->lock);
	free(cs);
}
