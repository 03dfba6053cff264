/* pbx_io against the in-test HTTP server: request shape (POST, basic auth,
 * SOAPAction, Content-Type), keep-alive, status and failure mapping,
 * timeout, refused connection, cancel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"
#include "soap/pbx_io.h"
#include "test_io_server.h"
#include "test_io_wait.h"

struct fx {
	struct tsrv *srv;
	struct pbx_io *io;
	struct twait w;
};

static int setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	assert_int_equal(tsrv_start(&f->srv), TSP8_OK);
	struct pbx_io_config cfg = { .tr = NULL, .max_host_connections = 0 };
	assert_int_equal(pbx_io_create(&f->io, &cfg), TSP8_OK);
	twait_init(&f->w, f->io);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	pbx_io_destroy(f->io);
	tsrv_stop(f->srv);
	twait_fini(&f->w);
	test_free(f);
	return 0;
}

/* Sends one request to path and waits for its completion. */
static void roundtrip(struct fx *f, const char *path, uint32_t timeout_ms,
		      struct twait_slot *slot)
{
	char url[128];
	tsrv_url(f->srv, path, url, sizeof(url));
	struct pbx_http_req req = {
		.url = url, .user = "alice", .password = "secret",
		.soap_action = "http://innovaphone.com/pbx#Poll",
		.body = "<x>hello</x>", .body_len = 12, .timeout_ms = timeout_ms,
	};
	memset(slot, 0, sizeof(*slot));
	slot->w = &f->w;
	unsigned before = twait_count(&f->w);
	assert_int_equal(pbx_io_request(f->io, &req, twait_done, slot, NULL), TSP8_OK);
	assert_true(twait_for(&f->w, before + 1, 10000));
	assert_int_equal(slot->calls, 1);
}

static void test_basic_post(void **state)
{
	struct fx *f = *state;
	struct twait_slot slot;
	roundtrip(f, "/ok", 5000, &slot);
	assert_int_equal(slot.rec.err, TSP8_OK);
	assert_int_equal(slot.rec.status, 200);
	assert_string_equal(slot.rec.body, "<ok/>");
	assert_true(slot.rec.on_io_thread);

	struct tsrv_seen seen;
	tsrv_last(f->srv, &seen);
	assert_string_equal(seen.method, "POST");
	assert_string_equal(seen.path, "/ok");
	/* base64("alice:secret") */
	assert_string_equal(seen.auth, "Basic YWxpY2U6c2VjcmV0");
	assert_string_equal(seen.action, "\"http://innovaphone.com/pbx#Poll\"");
	assert_string_equal(seen.ctype, "text/xml; charset=utf-8");
	assert_int_equal(seen.body_len, 12);
	assert_string_equal(seen.body, "<x>hello</x>");

	struct pbx_io_stats st;
	pbx_io_get_stats(f->io, &st);
	assert_int_equal(st.requests, 1);
	assert_int_equal(st.failures, 0);
	assert_int_equal(st.active, 0);
}

static void test_keepalive_reuse(void **state)
{
	struct fx *f = *state;
	for (int i = 0; i < 5; i++) {
		struct twait_slot slot;
		roundtrip(f, "/ok", 5000, &slot);
		assert_int_equal(slot.rec.err, TSP8_OK);
	}
	assert_int_equal(tsrv_requests(f->srv), 5);
	assert_int_equal(tsrv_connections(f->srv), 1);
}

static void test_status_mapping(void **state)
{
	struct fx *f = *state;
	struct twait_slot slot;
	roundtrip(f, "/status/401", 5000, &slot);
	assert_int_equal(slot.rec.err, TSP8_EAUTH);
	assert_int_equal(slot.rec.status, 401);
	roundtrip(f, "/status/403", 5000, &slot);
	assert_int_equal(slot.rec.err, TSP8_EAUTH);
	roundtrip(f, "/status/404", 5000, &slot);
	assert_int_equal(slot.rec.err, TSP8_EHTTP);
	assert_int_equal(slot.rec.status, 404);
	/* 500 without a SOAP Fault body is an HTTP error... */
	roundtrip(f, "/status/500", 5000, &slot);
	assert_int_equal(slot.rec.err, TSP8_EHTTP);
	/* ...with one it is handed to the codec. */
	roundtrip(f, "/fault", 5000, &slot);
	assert_int_equal(slot.rec.err, TSP8_OK);
	assert_int_equal(slot.rec.status, 500);
	assert_non_null(strstr(slot.rec.body, "<?xml"));

	struct pbx_io_stats st;
	pbx_io_get_stats(f->io, &st);
	assert_int_equal(st.requests, 5);
	assert_int_equal(st.failures, 4);
}

static void test_closed_and_garbage(void **state)
{
	struct fx *f = *state;
	struct twait_slot slot;
	roundtrip(f, "/close", 5000, &slot);
	assert_int_equal(slot.rec.err, TSP8_ECLOSED);
	assert_int_equal(slot.rec.status, 0);
	assert_true(strlen(slot.rec.errmsg) > 0);
	roundtrip(f, "/garbage", 5000, &slot);
	assert_int_equal(slot.rec.err, TSP8_EPROTO);
	/* The transport still works afterwards. */
	roundtrip(f, "/ok", 5000, &slot);
	assert_int_equal(slot.rec.err, TSP8_OK);
}

static void test_timeout(void **state)
{
	struct fx *f = *state;
	struct twait_slot slot;
	uint64_t t0 = plat_now_ms();
	roundtrip(f, "/delay/3000", 300, &slot);
	assert_int_equal(slot.rec.err, TSP8_ETIMEOUT);
	assert_true(plat_now_ms() - t0 < 2000);
	assert_true(slot.rec.elapsed_ms >= 250);
}

static void test_connection_refused(void **state)
{
	struct fx *f = *state;
	int port = tsrv_closed_port();
	assert_true(port > 0);
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", port);
	struct pbx_http_req req = { .url = url, .body = "", .timeout_ms = 5000 };
	struct twait_slot slot = { .w = &f->w };
	assert_int_equal(pbx_io_request(f->io, &req, twait_done, &slot, NULL), TSP8_OK);
	assert_true(twait_for(&f->w, 1, 10000));
	assert_int_equal(slot.rec.err, TSP8_ECONNECT);
}

static void test_cancel(void **state)
{
	struct fx *f = *state;
	char url[128];
	tsrv_url(f->srv, "/delay/5000", url, sizeof(url));
	struct pbx_http_req req = { .url = url, .body = "x", .body_len = 1, .timeout_ms = 20000 };
	struct twait_slot slot = { .w = &f->w };
	uint64_t id = 0;
	assert_int_equal(pbx_io_request(f->io, &req, twait_done, &slot, &id), TSP8_OK);
	assert_true(id != 0);
	plat_sleep_ms(200);   /* let it reach the server */
	uint64_t t0 = plat_now_ms();
	assert_int_equal(pbx_io_cancel(f->io, id), TSP8_OK);
	assert_true(twait_for(&f->w, 1, 3000));
	assert_true(plat_now_ms() - t0 < 1000);
	assert_int_equal(slot.rec.err, TSP8_ECANCELED);
	assert_true(slot.rec.on_io_thread);
	/* Gone: a second cancel finds nothing and no second callback comes. */
	assert_int_equal(pbx_io_cancel(f->io, id), TSP8_ENOTFOUND);
	plat_sleep_ms(100);
	assert_int_equal(slot.calls, 1);
	/* Canceling right after submitting (before the I/O thread started
	 * it) also yields exactly one TSP8_ECANCELED. */
	struct twait_slot slot2 = { .w = &f->w };
	assert_int_equal(pbx_io_request(f->io, &req, twait_done, &slot2, &id), TSP8_OK);
	assert_int_equal(pbx_io_cancel(f->io, id), TSP8_OK);
	assert_true(twait_for(&f->w, 2, 3000));
	assert_int_equal(slot2.rec.err, TSP8_ECANCELED);
	assert_int_equal(slot2.calls, 1);
	assert_int_equal(pbx_io_cancel(f->io, 9999999), TSP8_ENOTFOUND);
}

static void test_bad_arguments(void **state)
{
	struct fx *f = *state;
	struct twait_slot slot = { .w = &f->w };
	struct pbx_http_req req = { .url = NULL, .body = "", .timeout_ms = 1000 };
	assert_int_equal(pbx_io_request(f->io, &req, twait_done, &slot, NULL), TSP8_EINVAL);
	req.url = "http://127.0.0.1:1/";
	req.timeout_ms = 0;
	assert_int_equal(pbx_io_request(f->io, &req, twait_done, &slot, NULL), TSP8_EINVAL);
	req.timeout_ms = 1000;
	assert_int_equal(pbx_io_request(f->io, &req, NULL, &slot, NULL), TSP8_EINVAL);
	assert_int_equal(pbx_io_request(NULL, &req, twait_done, &slot, NULL), TSP8_EINVAL);
	assert_int_equal(pbx_io_create(NULL, NULL), TSP8_EINVAL);
	/* A URL libcurl rejects completes with an error, not a crash. */
	req.url = "notascheme://x";
	assert_int_equal(pbx_io_request(f->io, &req, twait_done, &slot, NULL), TSP8_OK);
	assert_true(twait_for(&f->w, 1, 5000));
	assert_int_not_equal(slot.rec.err, TSP8_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_basic_post, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalive_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_mapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closed_and_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_connection_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
