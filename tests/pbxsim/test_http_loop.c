/* pbxsim's HTTP event loop (tools/pbxsim/httpd.c): requests on many
 * connections served by one thread, pipelined and split requests, a client
 * that stops in the middle of a request, and a waiting Poll handed to a
 * thread of its own so that it blocks nobody.  Raw sockets, so the tests
 * control exactly how the bytes arrive. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/error.h"
#include "pbxsim_proc.h"
#include "soap_http.h"

/* Basic credentials of the TAPI user, "_TAPI_:tapi". */
#define AUTH_TAPI "X1RBUElfOnRhcGk="
#define VERSION_BODY                                                                      \
	"<?xml version=\"1.0\"?><SOAP-ENV:Envelope "                                      \
	"xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" "                   \
	"xmlns:inno=\"http://innovaphone.com/pbx\"><SOAP-ENV:Body><inno:Version/>"     \
	"</SOAP-ENV:Body></SOAP-ENV:Envelope>"

static int start_demo(void **state)
{
	struct pbxsim_proc *p;

	assert_int_equal(pbxsim_start(&p, PBXSIM_DEMO_TREE, "--poll-idle 30"), TSP8_OK);
	*state = p;
	return 0;
}

static int stop_sim(void **state)
{
	pbxsim_stop(*state);
	return 0;
}

/* Connects to the port of url ("http://127.0.0.1:<port>/..."); -1 on error.
 * Reads time out after 10 s, so a missing answer fails instead of hanging. */
static int connect_url(const char *url)
{
	unsigned port = 0;
	struct sockaddr_in a;
	struct timeval tmo = { 10, 0 };
	int fd;

	if (sscanf(url, "http://127.0.0.1:%u/", &port) != 1)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
	return fd;
}

/* One POST of VERSION_BODY to the path of url, as text. */
static void version_request(const char *url, char *out, size_t len)
{
	const char *path = strchr(url + strlen("http://"), '/');

	snprintf(out, len,
		 "POST %s HTTP/1.1\r\nHost: pbx\r\nAuthorization: Basic " AUTH_TAPI "\r\n"
		 "Content-Type: text/xml\r\nContent-Length: %zu\r\n\r\n%s",
		 path, strlen(VERSION_BODY), VERSION_BODY);
}

static bool send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

/* Reads until `answers` complete Version answers (each ends with its
 * envelope) arrived or the peer closed; returns how many arrived, -1 when
 * one of them is not a 200.  No cmocka asserts: runs on client threads. */
static int read_answers(int fd, int answers)
{
	char buf[16 * 1024];
	size_t len = 0;

	buf[0] = '\0';
	while (sh_count(buf, "</SOAP-ENV:Envelope>") < answers && len + 1 < sizeof(buf)) {
		ssize_t k = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);

		if (k <= 0)
			break;
		len += (size_t)k;
		buf[len] = '\0';
	}
	buf[len] = '\0';
	int n = sh_count(buf, "</SOAP-ENV:Envelope>");
	return sh_count(buf, "HTTP/1.1 200") == n ? n : -1;
}

static void test_pipelined_and_split(void **state)
{
	const char *url = pbxsim_url(*state, "master");
	char one[1024], two[2048];
	int fd = connect_url(url);

	assert_true(fd >= 0);
	version_request(url, one, sizeof(one));
	/* two requests in one segment: both answered, in order */
	snprintf(two, sizeof(two), "%s%s", one, one);
	assert_true(send_all(fd, two, strlen(two)));
	assert_int_equal(read_answers(fd, 2), 2);
	/* one request in three pieces, with pauses between them */
	size_t n = strlen(one), cut1 = n / 3, cut2 = 2 * n / 3;
	assert_true(send_all(fd, one, cut1));
	usleep(100 * 1000);
	assert_true(send_all(fd, one + cut1, cut2 - cut1));
	usleep(100 * 1000);
	assert_true(send_all(fd, one + cut2, n - cut2));
	assert_int_equal(read_answers(fd, 1), 1);
	close(fd);
}

struct client {
	const char *url;
	int answered;
};

static void *client_main(void *arg)
{
	struct client *c = arg;
	char req[1024];
	int fd = connect_url(c->url);

	if (fd < 0)
		return NULL;
	version_request(c->url, req, sizeof(req));
	for (int i = 0; i < 20; i++) {
		if (!send_all(fd, req, strlen(req)) || read_answers(fd, 1) != 1)
			break;
		c->answered++;
	}
	close(fd);
	return NULL;
}

/* 40 connections at once, 20 requests each, all on the one loop thread. */
static void test_many_connections(void **state)
{
	enum { N = 40 };
	struct client c[N];
	pthread_t t[N];

	for (int i = 0; i < N; i++) {
		c[i] = (struct client){ .url = pbxsim_url(*state, "master") };
		assert_int_equal(pthread_create(&t[i], NULL, client_main, &c[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(c[i].answered, 20);
	}
}

/* A client that sends half a request and stops holds nobody else up for
 * long, and its connection is closed. */
static void test_stalled_client(void **state)
{
	const char *url = pbxsim_url(*state, "master");
	char req[1024], rest;
	int stuck = connect_url(url);
	struct sh_resp r;

	assert_true(stuck >= 0);
	version_request(url, req, sizeof(req));
	assert_true(send_all(stuck, req, strlen(req) / 2));
	usleep(50 * 1000);
	assert_int_equal(sh_post(url, SH_TAPI, "<inno:Version/>", 10000, &r), 0);
	assert_int_equal(r.status, 200);
	sh_free(&r);
	/* closed by pbxsim: end of stream (or reset), not an answer */
	assert_true(recv(stuck, &rest, 1, 0) <= 0);
	close(stuck);
}

struct poller {
	const char *url;
	int session;
	atomic_bool done;
	int users;
};

static void *poll_main(void *arg)
{
	struct poller *pl = arg;
	struct sh_resp r;
	struct sh_user u[4];

	if (sh_poll(pl->url, pl->session, 20000, &r) == 0)
		pl->users = (int)sh_users(r.body, u, 4);
	sh_free(&r);
	atomic_store(&pl->done, true);
	return NULL;
}

/* An idle Poll waits on a thread of its own: requests on other connections
 * are answered meanwhile, and the Poll still answers when an event comes. */
static void test_waiting_poll_blocks_nobody(void **state)
{
	struct pbxsim_proc *p = *state;
	struct poller pl = { .url = pbxsim_url(p, "master") };
	pthread_t t;
	struct client c = { .url = pl.url };

	pl.session = sh_initialize(pl.url, "_TAPI_", NULL);
	assert_true(pl.session > 0);
	assert_int_equal(sh_drain_dump(pl.url, pl.session), 12);
	atomic_init(&pl.done, false);
	assert_int_equal(pthread_create(&t, NULL, poll_main, &pl), 0);
	usleep(200 * 1000);   /* the Poll is waiting now (idle time 30 s) */
	client_main(&c);
	assert_int_equal(c.answered, 20);
	assert_false(atomic_load(&pl.done));
	assert_int_equal(pbxsim_cmd(p, NULL, 0, "presence master alice open lunch"), TSP8_OK);
	pthread_join(t, NULL);
	assert_int_equal(pl.users, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pipelined_and_split, start_demo, stop_sim),
		cmocka_unit_test_setup_teardown(test_many_connections, start_demo, stop_sim),
		cmocka_unit_test_setup_teardown(test_stalled_client, start_demo, stop_sim),
		cmocka_unit_test_setup_teardown(test_waiting_poll_blocks_nobody, start_demo,
						stop_sim),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
