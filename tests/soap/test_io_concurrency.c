/* pbx_io concurrency on its single I/O thread: many delayed requests in
 * parallel, a long Poll (own_connection) that never holds up commands even
 * under a per-host connection limit. */
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

#define NPAR 50

struct fx {
	struct tsrv *srv;
	struct pbx_io *io;
	struct twait w;
	struct twait_slot slots[NPAR];
};

static int make(void **state, unsigned max_host)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	assert_int_equal(tsrv_start(&f->srv), TSP8_OK);
	struct pbx_io_config cfg = { .tr = NULL, .max_host_connections = max_host };
	assert_int_equal(pbx_io_create(&f->io, &cfg), TSP8_OK);
	twait_init(&f->w, f->io);
	for (int i = 0; i < NPAR; i++)
		f->slots[i].w = &f->w;
	*state = f;
	return 0;
}

static int setup_unlimited(void **state) { return make(state, 0); }
static int setup_one_per_host(void **state) { return make(state, 1); }

static int teardown(void **state)
{
	struct fx *f = *state;
	pbx_io_destroy(f->io);
	tsrv_stop(f->srv);
	twait_fini(&f->w);
	test_free(f);
	return 0;
}

static void submit(struct fx *f, const char *path, uint32_t timeout_ms, bool own,
		   struct twait_slot *slot, uint64_t *id)
{
	char url[128];
	tsrv_url(f->srv, path, url, sizeof(url));
	struct pbx_http_req req = {
		.url = url, .soap_action = "http://innovaphone.com/pbx#Test",
		.body = "<b/>", .body_len = 4, .timeout_ms = timeout_ms, .own_connection = own,
	};
	assert_int_equal(pbx_io_request(f->io, &req, twait_done, slot, id), TSP8_OK);
}

static void test_fifty_parallel(void **state)
{
	struct fx *f = *state;
	uint64_t t0 = plat_now_ms();
	for (int i = 0; i < NPAR; i++)
		submit(f, "/delay/2000", 20000, false, &f->slots[i], NULL);
	/* Functional bound, not a benchmark: serial would take 100 s. */
	assert_true(twait_for(&f->w, NPAR, 15000));
	uint64_t took = plat_now_ms() - t0;
	print_message("50 x 2-s requests took %llu ms, %u in parallel at most\n",
		      (unsigned long long)took, tsrv_max_parallel(f->srv));
	assert_true(took < 15000);
	for (int i = 0; i < NPAR; i++) {
		assert_int_equal(f->slots[i].calls, 1);
		assert_int_equal(f->slots[i].rec.err, TSP8_OK);
		assert_int_equal(f->slots[i].rec.status, 200);
		assert_true(f->slots[i].rec.on_io_thread);
	}
	assert_true(tsrv_max_parallel(f->srv) > 1);
}

/* A Poll-like request holding its connection for a long time while a
 * command goes to the same host: the command must complete at once.  With
 * max_host_connections = 1 this only works because the long request uses
 * its own connection cache (own_connection). */
static void test_long_poll_does_not_block_command(void **state)
{
	struct fx *f = *state;
	uint64_t poll_id = 0;
	submit(f, "/delay/60000", 70000, true, &f->slots[0], &poll_id);
	plat_sleep_ms(300);   /* the "Poll" is now held by the server */
	for (int i = 1; i <= 5; i++) {
		uint64_t t0 = plat_now_ms();
		submit(f, "/ok", 10000, false, &f->slots[i], NULL);
		assert_true(twait_for(&f->w, (unsigned)i, 5000));
		uint64_t took = plat_now_ms() - t0;
		assert_int_equal(f->slots[i].rec.err, TSP8_OK);
		assert_true(took < 2000);
	}
	/* Commands reused one keep-alive connection; the Poll has its own. */
	assert_int_equal(tsrv_connections(f->srv), 2);
	assert_int_equal(f->slots[0].calls, 0);
	assert_int_equal(pbx_io_cancel(f->io, poll_id), TSP8_OK);
	assert_true(twait_for(&f->w, 6, 3000));
	assert_int_equal(f->slots[0].rec.err, TSP8_ECANCELED);
}

/* Two long Polls (two sessions to one PBX) and commands in between. */
static void test_two_polls_and_commands(void **state)
{
	struct fx *f = *state;
	uint64_t p1 = 0, p2 = 0;
	submit(f, "/delay/60000", 70000, true, &f->slots[0], &p1);
	submit(f, "/delay/60000", 70000, true, &f->slots[1], &p2);
	plat_sleep_ms(300);
	uint64_t t0 = plat_now_ms();
	for (int i = 2; i < 12; i++)
		submit(f, "/delay/100", 10000, false, &f->slots[i], NULL);
	assert_true(twait_for(&f->w, 10, 8000));
	assert_true(plat_now_ms() - t0 < 5000);
	for (int i = 2; i < 12; i++)
		assert_int_equal(f->slots[i].rec.err, TSP8_OK);
	assert_int_equal(pbx_io_cancel(f->io, p1), TSP8_OK);
	assert_int_equal(pbx_io_cancel(f->io, p2), TSP8_OK);
	assert_true(twait_for(&f->w, 12, 3000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fifty_parallel, setup_unlimited, teardown),
		cmocka_unit_test_setup_teardown(test_long_poll_does_not_block_command,
						setup_one_per_host, teardown),
		cmocka_unit_test_setup_teardown(test_long_poll_does_not_block_command,
						setup_unlimited, teardown),
		cmocka_unit_test_setup_teardown(test_two_polls_and_commands, setup_one_per_host,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
