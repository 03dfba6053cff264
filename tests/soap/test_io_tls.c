/* pbx_io over HTTPS: certificate verification is on by default, a CA file
 * makes a self-signed PBX certificate acceptable, and only the explicit
 * insecure switch skips verification.  The server is a small OpenSSL HTTPS
 * responder in this test with a key and certificate made at run time. */
#define _GNU_SOURCE /* strcasestr */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"
#include "soap/pbx_io.h"
#include "test_io_wait.h"

#define BODY "<ok/>"

struct tls_server {
	int lfd;
	unsigned port;
	SSL_CTX *ctx;
	pthread_t thread;
	int stop_pipe[2];
	char ca_path[64];         /* PEM of the server certificate */
	char other_ca_path[64];   /* PEM of an unrelated certificate */
};

/* Self-signed certificate for CN=<cn> with subjectAltName IP:127.0.0.1. */
static X509 *make_cert(EVP_PKEY *key, const char *cn)
{
	X509 *x = X509_new();
	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	X509_NAME *name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509V3_CTX v3;
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "IP:127.0.0.1");
	assert_non_null(ext);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	return x;
}

static void write_pem(const char *tmpl, char *path, size_t len, X509 *x)
{
	snprintf(path, len, "%s", tmpl);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	assert_non_null(f);
	assert_true(PEM_write_X509(f, x) == 1);
	fclose(f);
}

/* Reads one HTTP request (headers + Content-Length body). */
static bool read_request(SSL *ssl)
{
	char buf[8192];
	size_t got = 0;
	for (;;) {
		int n = SSL_read(ssl, buf + got, (int)(sizeof(buf) - 1 - got));
		if (n <= 0)
			return false;
		got += (size_t)n;
		buf[got] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		if (end) {
			const char *cl = strcasestr(buf, "Content-Length:");
			size_t want = cl ? strtoul(cl + 15, NULL, 10) : 0;
			if (got >= (size_t)(end + 4 - buf) + want)
				return true;
		}
		if (got >= sizeof(buf) - 1)
			return false;
	}
}

static void *server_main(void *arg)
{
	struct tls_server *s = arg;
	for (;;) {
		struct pollfd p[2] = { { s->lfd, POLLIN, 0 }, { s->stop_pipe[0], POLLIN, 0 } };
		if (poll(p, 2, -1) < 0 || p[1].revents)
			break;
		int fd = accept(s->lfd, NULL, NULL);
		if (fd < 0)
			continue;
		SSL *ssl = SSL_new(s->ctx);
		SSL_set_fd(ssl, fd);
		if (SSL_accept(ssl) == 1) {
			while (read_request(ssl)) {
				char resp[256];
				int n = snprintf(resp, sizeof(resp),
						 "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
						 "Content-Length: %zu\r\n\r\n%s", strlen(BODY), BODY);
				if (SSL_write(ssl, resp, n) != n)
					break;
			}
		}
		SSL_free(ssl);
		close(fd);
	}
	return NULL;
}

static int setup(void **state)
{
	struct tls_server *s = calloc(1, sizeof(*s));
	EVP_PKEY *key = EVP_RSA_gen(2048);
	EVP_PKEY *other_key = EVP_RSA_gen(2048);
	assert_non_null(key);
	assert_non_null(other_key);
	X509 *cert = make_cert(key, "pbx.test");
	X509 *other = make_cert(other_key, "other.test");
	write_pem("/tmp/tsp8-tls-ca-XXXXXX", s->ca_path, sizeof(s->ca_path), cert);
	write_pem("/tmp/tsp8-tls-other-XXXXXX", s->other_ca_path, sizeof(s->other_ca_path), other);

	s->ctx = SSL_CTX_new(TLS_server_method());
	assert_non_null(s->ctx);
	assert_int_equal(SSL_CTX_use_certificate(s->ctx, cert), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(s->ctx, key), 1);
	X509_free(cert);
	X509_free(other);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other_key);

	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->lfd >= 0);
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->lfd, 8), 0);
	assert_int_equal(getsockname(s->lfd, (struct sockaddr *)&a, &alen), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pipe(s->stop_pipe), 0);
	assert_int_equal(pthread_create(&s->thread, NULL, server_main, s), 0);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct tls_server *s = *state;
	assert_int_equal(write(s->stop_pipe[1], "x", 1), 1);
	pthread_join(s->thread, NULL);
	close(s->stop_pipe[0]);
	close(s->stop_pipe[1]);
	close(s->lfd);
	SSL_CTX_free(s->ctx);
	unlink(s->ca_path);
	unlink(s->other_ca_path);
	free(s);
	return 0;
}

/* One POST over HTTPS; returns the completion record. */
static struct twait_rec post(struct tls_server *s, const char *ca_file, bool insecure)
{
	struct pbx_io *io;
	struct pbx_io_config cfg = { 0 };
	struct twait w;
	struct twait_slot slot = { 0 };
	char url[128];

	snprintf(url, sizeof(url), "https://127.0.0.1:%u/PBX0/user.soap", s->port);
	assert_int_equal(pbx_io_create(&io, &cfg), TSP8_OK);
	twait_init(&w, io);
	slot.w = &w;
	struct pbx_http_req req = {
		.url = url, .user = "_TAPI_", .password = "tapi",
		.soap_action = "http://innovaphone.com/pbx#Echo",
		.body = "<x/>", .body_len = 4, .timeout_ms = 10000,
		.ca_file = ca_file, .insecure = insecure,
	};
	assert_int_equal(pbx_io_request(io, &req, twait_done, &slot, NULL), TSP8_OK);
	assert_true(twait_for(&w, 1, 15000));
	pbx_io_destroy(io);
	twait_fini(&w);
	assert_int_equal(slot.calls, 1);
	return slot.rec;
}

static void test_verified_with_ca_file(void **state)
{
	struct tls_server *s = *state;
	struct twait_rec r = post(s, s->ca_path, false);
	assert_int_equal(r.err, TSP8_OK);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, BODY);
}

static void test_self_signed_refused_by_default(void **state)
{
	struct tls_server *s = *state;
	struct twait_rec r = post(s, NULL, false);
	assert_int_equal(r.err, TSP8_ETLS);
	assert_true(r.errmsg[0] != '\0');
}

static void test_wrong_ca_refused(void **state)
{
	struct tls_server *s = *state;
	struct twait_rec r = post(s, s->other_ca_path, false);
	assert_int_equal(r.err, TSP8_ETLS);
}

static void test_insecure_switch(void **state)
{
	struct tls_server *s = *state;
	struct twait_rec r = post(s, NULL, true);
	assert_int_equal(r.err, TSP8_OK);
	assert_int_equal(r.status, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verified_with_ca_file),
		cmocka_unit_test(test_self_signed_refused_by_default),
		cmocka_unit_test(test_wrong_ca_refused),
		cmocka_unit_test(test_insecure_switch),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
