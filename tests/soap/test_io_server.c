/* Tiny HTTP/1.1 test server: see test_io_server.h.  Linux test code only
 * (POSIX sockets); threads come from base/platform.h. */
#define _GNU_SOURCE
#include "test_io_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "base/platform.h"

#define MAX_CONNS 256

struct conn {
	struct tsrv *srv;
	int fd;
	unsigned no;
	plat_thread *thread;
};

struct tsrv {
	int lfd;
	int port;
	plat_thread *acceptor;
	atomic_bool stop;
	/* Guards conns, nconns, seen, counters. */
	plat_mutex lock;
	struct conn *conns[MAX_CONNS];
	unsigned nconns;
	unsigned requests, active, max_active;
	struct tsrv_seen seen;
};

static bool send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static bool respond(int fd, int status, const char *reason, const char *body)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "HTTP/1.1 %d %s\r\nContent-Type: text/xml; charset=utf-8\r\n"
			 "Content-Length: %zu\r\n\r\n", status, reason, strlen(body));
	return send_all(fd, head, (size_t)n) && send_all(fd, body, strlen(body));
}

static void header_value(const char *head, const char *name, char *out, size_t len)
{
	size_t nl = strlen(name);
	out[0] = '\0';
	for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
		const char *line = p + 2;
		if (strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
			const char *v = line + nl + 1;
			while (*v == ' ')
				v++;
			const char *end = strstr(v, "\r\n");
			size_t vl = end ? (size_t)(end - v) : strlen(v);
			if (vl >= len)
				vl = len - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return;
		}
	}
}

/* Waits ms in small steps so that stop is not held up. */
static void nap(struct tsrv *s, unsigned ms)
{
	while (ms && !atomic_load(&s->stop)) {
		unsigned step = ms < 20 ? ms : 20;
		plat_sleep_ms(step);
		ms -= step;
	}
}

static const char FAULT[] =
	"<?xml version=\"1.0\"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="
	"\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body><SOAP-ENV:Fault>"
	"<faultcode>SOAP-ENV:Server</faultcode><faultstring>bad handle</faultstring>"
	"</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>";

/* Serves one request; false ends the connection. */
static bool serve(struct conn *c, const char *head, const char *body, size_t blen)
{
	struct tsrv *s = c->srv;
	struct tsrv_seen seen;
	memset(&seen, 0, sizeof(seen));
	seen.conn = c->no;
	sscanf(head, "%15s %127s", seen.method, seen.path);
	header_value(head, "Authorization", seen.auth, sizeof(seen.auth));
	header_value(head, "SOAPAction", seen.action, sizeof(seen.action));
	header_value(head, "Content-Type", seen.ctype, sizeof(seen.ctype));
	seen.body_len = blen;
	memcpy(seen.body, body, blen < sizeof(seen.body) - 1 ? blen : sizeof(seen.body) - 1);
	plat_mutex_lock(&s->lock);
	s->seen = seen;
	s->requests++;
	if (++s->active > s->max_active)
		s->max_active = s->active;
	plat_mutex_unlock(&s->lock);

	bool keep = true;
	unsigned v;
	if (strcmp(seen.path, "/ok") == 0) {
		keep = respond(c->fd, 200, "OK", "<ok/>");
	} else if (sscanf(seen.path, "/delay/%u", &v) == 1) {
		nap(s, v);
		keep = respond(c->fd, 200, "OK", "<late/>");
	} else if (sscanf(seen.path, "/status/%u", &v) == 1) {
		keep = respond(c->fd, (int)v, "Status", "<html>no</html>");
	} else if (strcmp(seen.path, "/fault") == 0) {
		keep = respond(c->fd, 500, "Internal Server Error", FAULT);
	} else if (strcmp(seen.path, "/garbage") == 0) {
		send_all(c->fd, "\x01\x02 this is not HTTP\r\n\r\n", 24);
		keep = false;
	} else {   /* /close and anything unknown */
		keep = false;
	}
	plat_mutex_lock(&s->lock);
	s->active--;
	plat_mutex_unlock(&s->lock);
	return keep;
}

static void conn_thread(void *arg)
{
	struct conn *c = arg;
	char buf[65536];
	size_t have = 0;
	for (;;) {
		char *end = NULL;
		while (!(end = memmem(buf, have, "\r\n\r\n", 4))) {
			if (have == sizeof(buf) - 1)
				goto out;
			ssize_t r = recv(c->fd, buf + have, sizeof(buf) - 1 - have, 0);
			if (r <= 0)
				goto out;
			have += (size_t)r;
		}
		size_t hlen = (size_t)(end - buf) + 4;
		char head[8192];
		size_t cl = hlen < sizeof(head) ? hlen : sizeof(head) - 1;
		memcpy(head, buf, cl);
		head[cl] = '\0';
		char lenv[32];
		header_value(head, "Content-Length", lenv, sizeof(lenv));
		size_t blen = (size_t)strtoul(lenv, NULL, 10);
		if (hlen + blen >= sizeof(buf))
			goto out;
		while (have < hlen + blen) {
			ssize_t r = recv(c->fd, buf + have, sizeof(buf) - 1 - have, 0);
			if (r <= 0)
				goto out;
			have += (size_t)r;
		}
		bool keep = serve(c, head, buf + hlen, blen);
		memmove(buf, buf + hlen + blen, have - hlen - blen);
		have -= hlen + blen;
		if (!keep)
			break;
	}
out:
	shutdown(c->fd, SHUT_RDWR);
}

static void accept_thread(void *arg)
{
	struct tsrv *s = arg;
	while (!atomic_load(&s->stop)) {
		int fd = accept(s->lfd, NULL, NULL);
		if (fd < 0)
			break;
		struct conn *c = calloc(1, sizeof(*c));
		plat_mutex_lock(&s->lock);
		bool room = c && s->nconns < MAX_CONNS && !atomic_load(&s->stop);
		if (room) {
			c->srv = s;
			c->fd = fd;
			c->no = s->nconns + 1;
			s->conns[s->nconns++] = c;
		}
		plat_mutex_unlock(&s->lock);
		if (!room) {
			free(c);
			close(fd);
			continue;
		}
		if (plat_thread_start(&c->thread, conn_thread, c, "tsrv-conn") != TSP8_OK) {
			/* The slot stays (no thread, no fd) and is freed by tsrv_stop. */
			c->thread = NULL;
			close(fd);
			c->fd = -1;
		}
	}
}

int tsrv_closed_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof(a);
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &al) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

int tsrv_start(struct tsrv **out)
{
	struct tsrv *s = calloc(1, sizeof(*s));
	if (!s)
		return TSP8_ENOMEM;
	plat_mutex_init(&s->lock);
	atomic_init(&s->stop, false);
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof(a);
	if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(s->lfd, 128) != 0 || getsockname(s->lfd, (struct sockaddr *)&a, &al) != 0 ||
	    plat_thread_start(&s->acceptor, accept_thread, s, "tsrv-accept") != TSP8_OK) {
		if (s->lfd >= 0)
			close(s->lfd);
		plat_mutex_destroy(&s->lock);
		free(s);
		return TSP8_EIO;
	}
	s->port = ntohs(a.sin_port);
	*out = s;
	return TSP8_OK;
}

void tsrv_stop(struct tsrv *s)
{
	if (!s)
		return;
	atomic_store(&s->stop, true);
	shutdown(s->lfd, SHUT_RDWR);
	plat_thread_join(s->acceptor);
	close(s->lfd);
	plat_mutex_lock(&s->lock);
	for (unsigned i = 0; i < s->nconns; i++)
		if (s->conns[i]->fd >= 0)
			shutdown(s->conns[i]->fd, SHUT_RDWR);
	plat_mutex_unlock(&s->lock);
	/* The acceptor is gone: conns no longer changes. */
	for (unsigned i = 0; i < s->nconns; i++) {
		struct conn *c = s->conns[i];
		if (c->thread)
			plat_thread_join(c->thread);
		if (c->fd >= 0)
			close(c->fd);
		free(c);
	}
	plat_mutex_destroy(&s->lock);
	free(s);
}

void tsrv_url(struct tsrv *s, const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "http://127.0.0.1:%d%s", s->port, path);
}

unsigned tsrv_connections(struct tsrv *s)
{
	plat_mutex_lock(&s->lock);
	unsigned n = s->nconns;
	plat_mutex_unlock(&s->lock);
	return n;
}

unsigned tsrv_requests(struct tsrv *s)
{
	plat_mutex_lock(&s->lock);
	unsigned n = s->requests;
	plat_mutex_unlock(&s->lock);
	return n;
}

unsigned tsrv_max_parallel(struct tsrv *s)
{
	plat_mutex_lock(&s->lock);
	unsigned n = s->max_active;
	plat_mutex_unlock(&s->lock);
	return n;
}

void tsrv_last(struct tsrv *s, struct tsrv_seen *out)
{
	plat_mutex_lock(&s->lock);
	*out = s->seen;
	plat_mutex_unlock(&s->lock);
}
