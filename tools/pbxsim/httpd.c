/* pbxsim HTTP server: listener, event loop, connection list, stop/start,
 * faults. */
#include "httpd_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "base/error.h"
#include "simlog.h"

/* How long the event loop waits for the rest of a request that has begun. */
#define HTTPD_READ_TIMEOUT_S 2

static int listen_fixed(unsigned port, unsigned *bound)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	/* stop/start must get the same port back while old connections
	 * linger in TIME_WAIT. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
		close(fd);
		return -1;
	}
	*bound = ntohs(a.sin_port);
	return fd;
}

/* Listens on port; for port 0 on a free port that is then bound by number:
 * only a socket bound to an explicit port keeps it through the shutdown
 * that stops the PBX (Linux releases ephemeral binds on shutdown), so
 * stop/start cannot lose the port to another process meanwhile. */
static int listen_on(unsigned port, unsigned *bound)
{
	for (int attempt = 0; port == 0 && attempt < 20; attempt++) {
		unsigned probe;
		int fd = listen_fixed(0, &probe);

		if (fd < 0)
			return -1;
		close(fd);
		fd = listen_fixed(probe, bound);
		if (fd >= 0)
			return fd;
	}
	return listen_fixed(port, bound);
}

void httpd_reap(struct httpd *h, bool all)
{
	struct http_conn *done = NULL;

	pthread_mutex_lock(&h->lock);
	for (struct http_conn **pp = &h->conns; *pp;) {
		struct http_conn *c = *pp;

		if (all || c->finished) {
			*pp = c->next;
			c->next = done;
			done = c;
			h->nconns--;
		} else {
			pp = &c->next;
		}
	}
	pthread_mutex_unlock(&h->lock);
	while (done) {
		struct http_conn *c = done;

		done = c->next;
		if (c->threaded)
			pthread_join(c->thread, NULL);
		close(c->fd);
		httpd_conn_free(c);
	}
}

/* Re-arms c in the loop's epoll set (one event per arming). */
static bool arm(struct httpd *h, struct http_conn *c, int op)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT, .data.ptr = c };

	return epoll_ctl(h->epfd, op, c->fd, &ev) == 0;
}

/* A request on c would block the loop: c gets a thread of its own, which
 * reads without a timeout (a Poll connection idles between Polls). */
static void hand_off(struct httpd *h, struct http_conn *c)
{
	struct timeval none = { 0, 0 };

	epoll_ctl(h->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &none, sizeof(none));
	c->sc->no_wait = false;
	pthread_mutex_lock(&h->lock);
	c->threaded = sim_thread_create(&c->thread, httpd_conn_main, c) == TSP8_OK;
	pthread_mutex_unlock(&h->lock);
	if (!c->threaded)
		httpd_conn_finish(c);
}

/* The event loop: serves every connection that has not been handed off. */
static void *loop_main(void *arg)
{
	struct httpd *h = arg;
	struct epoll_event evs[64];

	for (;;) {
		int n = epoll_wait(h->epfd, evs, 64, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		pthread_mutex_lock(&h->lock);
		bool stop = h->loop_stop;
		pthread_mutex_unlock(&h->lock);
		if (stop)
			break;
		for (int i = 0; i < n; i++) {
			struct http_conn *c = evs[i].data.ptr;

			if (!c)
				continue;   /* wake_fd, only for stopping */
			switch (httpd_conn_serve_ready(c)) {
			case HTTPD_SERVED_KEEP:
				if (arm(h, c, EPOLL_CTL_MOD))
					break;
				epoll_ctl(h->epfd, EPOLL_CTL_DEL, c->fd, NULL);
				httpd_conn_finish(c);
				break;
			case HTTPD_SERVED_HANDOFF:
				hand_off(h, c);
				break;
			case HTTPD_SERVED_CLOSE:
				/* out of the set before the reaper may free it */
				epoll_ctl(h->epfd, EPOLL_CTL_DEL, c->fd, NULL);
				httpd_conn_finish(c);
				break;
			}
		}
	}
	return NULL;
}

static void *accept_main(void *arg)
{
	struct httpd *h = arg;
	int lfd;

	pthread_mutex_lock(&h->lock);
	lfd = h->listen_fd;
	pthread_mutex_unlock(&h->lock);
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		struct http_conn *c;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break; /* listener shut down */
		}
		/* Answers go out in several writes (header, body): without
		 * TCP_NODELAY, Nagle + delayed ACK add ~40 ms per keep-alive
		 * request, which a real PBX does not. */
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		/* The loop only reads what has begun to arrive; a client that
		 * stops in the middle of a request must not hold it for long. */
		struct timeval tmo = { HTTPD_READ_TIMEOUT_S, 0 };
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
		httpd_reap(h, false);
		c = calloc(1, sizeof(*c));
		if (!c || sim_conn_create(&c->sc, h->pbx) != TSP8_OK) {
			free(c);
			close(fd);
			continue;
		}
		c->h = h;
		c->fd = fd;
		if (!httpd_conn_init(c)) {
			httpd_conn_free(c);
			close(fd);
			continue;
		}
		pthread_mutex_lock(&h->lock);
		if (!h->running || !arm(h, c, EPOLL_CTL_ADD)) {
			pthread_mutex_unlock(&h->lock);
			httpd_conn_free(c);
			close(fd);
			continue;
		}
		c->next = h->conns;
		h->conns = c;
		h->nconns++;
		pthread_mutex_unlock(&h->lock);
	}
	return NULL;
}

/* Ends the event loop (h->lock not held); its connections stay open. */
static void stop_loop(struct httpd *h)
{
	uint64_t one = 1, drain;

	pthread_mutex_lock(&h->lock);
	h->loop_stop = true;
	pthread_mutex_unlock(&h->lock);
	if (write(h->wake_fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		sim_log(h->sim, "%s: cannot wake the HTTP event loop", h->pbx->name);
	pthread_join(h->loop_thread, NULL);
	if (read(h->wake_fd, &drain, sizeof(drain)) < 0)
		drain = 0;   /* nothing to drain */
}

/* After stop_loop: the connections it served are finished here. */
static void finish_loop_conns(struct httpd *h)
{
	for (;;) {
		struct http_conn *c;

		pthread_mutex_lock(&h->lock);
		for (c = h->conns; c && (c->finished || c->threaded); c = c->next)
			;
		pthread_mutex_unlock(&h->lock);
		if (!c)
			return;
		epoll_ctl(h->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		httpd_conn_finish(c);
	}
}

int httpd_start(struct httpd *h)
{
	unsigned bound;
	int fd;

	pthread_mutex_lock(&h->lock);
	if (h->running) {
		pthread_mutex_unlock(&h->lock);
		return TSP8_ESTATE;
	}
	/* A stopped PBX keeps its bound socket: listening again reopens it. */
	fd = h->parked_fd;
	h->parked_fd = -1;
	if (fd >= 0 && listen(fd, 64) == 0) {
		bound = h->port;
	} else {
		if (fd >= 0)
			close(fd);
		fd = listen_on(h->port, &bound);
	}
	if (fd < 0) {
		pthread_mutex_unlock(&h->lock);
		return TSP8_EIO;
	}
	h->listen_fd = fd;
	h->port = bound;
	/* Set once, before any thread can read it; a restart binds the same
	 * port, so the URL never changes afterwards. */
	if (!h->url[0])
		snprintf(h->url, sizeof(h->url), "http://127.0.0.1:%u%s", h->port, h->path);
	h->running = true;
	h->loop_stop = false;
	if (sim_thread_create(&h->loop_thread, loop_main, h) != TSP8_OK) {
		close(fd);
		h->listen_fd = -1;
		h->running = false;
		pthread_mutex_unlock(&h->lock);
		return TSP8_ENOMEM;
	}
	if (sim_thread_create(&h->accept_thread, accept_main, h) != TSP8_OK) {
		close(fd);
		h->listen_fd = -1;
		h->running = false;
		pthread_mutex_unlock(&h->lock);
		stop_loop(h);
		return TSP8_ENOMEM;
	}
	pthread_mutex_unlock(&h->lock);
	sim_log(h->sim, "%s: listening on %s", h->pbx->name, h->url);
	return TSP8_OK;
}

void httpd_drop_connections(struct httpd *h)
{
	pthread_mutex_lock(&h->lock);
	for (struct http_conn *c = h->conns; c; c = c->next) {
		shutdown(c->fd, SHUT_RDWR);
		sim_conn_drop(c->sc);
	}
	pthread_mutex_unlock(&h->lock);
}

int httpd_stop(struct httpd *h)
{
	int fd;

	pthread_mutex_lock(&h->lock);
	if (!h->running) {
		pthread_mutex_unlock(&h->lock);
		return TSP8_ESTATE;
	}
	h->running = false;
	fd = h->listen_fd;
	h->listen_fd = -1;
	/* Wakes accept(); the fd stays open until the thread is joined. */
	shutdown(fd, SHUT_RDWR);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->accept_thread, NULL);
	stop_loop(h);
	/* Not closed: the shut-down socket refuses connections but keeps the
	 * port for "start". */
	pthread_mutex_lock(&h->lock);
	h->parked_fd = fd;
	pthread_mutex_unlock(&h->lock);
	httpd_drop_connections(h);
	finish_loop_conns(h);
	httpd_reap(h, true);
	sim_log(h->sim, "%s: stopped", h->pbx->name);
	return TSP8_OK;
}

bool httpd_running(struct httpd *h)
{
	bool r;

	pthread_mutex_lock(&h->lock);
	r = h->running;
	pthread_mutex_unlock(&h->lock);
	return r;
}

unsigned httpd_connections(struct httpd *h)
{
	unsigned n = 0;

	pthread_mutex_lock(&h->lock);
	for (struct http_conn *c = h->conns; c; c = c->next)
		n += !c->finished;
	pthread_mutex_unlock(&h->lock);
	return n;
}

void httpd_fault(struct httpd *h, enum httpd_fault f, unsigned arg)
{
	pthread_mutex_lock(&h->lock);
	switch (f) {
	case HTTPD_FAULT_STALL: h->stall_ms = arg; break;
	case HTTPD_FAULT_HTTP500: h->http500_left = arg; break;
	case HTTPD_FAULT_GARBAGE: h->garbage_left = arg; break;
	case HTTPD_FAULT_CLEAR:
		h->stall_ms = h->http500_left = h->garbage_left = 0;
		break;
	}
	pthread_mutex_unlock(&h->lock);
}

const char *httpd_url(const struct httpd *h)
{
	return h->url;
}

unsigned httpd_port(const struct httpd *h)
{
	return h->port;
}

static void close_fds(struct httpd *h)
{
	if (h->epfd >= 0)
		close(h->epfd);
	if (h->wake_fd >= 0)
		close(h->wake_fd);
}

int httpd_create(struct httpd **out, struct sim *sim, struct sim_pbx *pbx)
{
	struct httpd *h;
	int rc;

	if (!out || !sim || !pbx)
		return TSP8_EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return TSP8_ENOMEM;
	h->sim = sim;
	h->pbx = pbx;
	h->listen_fd = -1;
	h->parked_fd = -1;
	h->port = pbx->port;
	h->epfd = epoll_create1(EPOLL_CLOEXEC);
	h->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct epoll_event wev = { .events = EPOLLIN, .data.ptr = NULL };
	if (h->epfd < 0 || h->wake_fd < 0 ||
	    epoll_ctl(h->epfd, EPOLL_CTL_ADD, h->wake_fd, &wev) != 0) {
		close_fds(h);
		free(h);
		return TSP8_EIO;
	}
	if (pbx->path_id[0])
		snprintf(h->path, sizeof(h->path), "/PBX-%s/user.soap", pbx->path_id);
	else
		snprintf(h->path, sizeof(h->path), "/PBX0/user.soap");
	pthread_mutex_init(&h->lock, NULL);
	rc = httpd_start(h);
	if (rc != TSP8_OK) {
		pthread_mutex_destroy(&h->lock);
		close_fds(h);
		free(h);
		return rc;
	}
	pbx->port = h->port;
	/* Other PBXs of the tree hand this URL out (LocationUrl). */
	sim_lock(sim);
	sim_strlcpy(pbx->url, h->url, sizeof(pbx->url));
	sim_unlock(sim);
	*out = h;
	return TSP8_OK;
}

void httpd_destroy(struct httpd *h)
{
	if (!h)
		return;
	httpd_stop(h);
	httpd_reap(h, true);
	if (h->parked_fd >= 0)
		close(h->parked_fd);
	close_fds(h);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
