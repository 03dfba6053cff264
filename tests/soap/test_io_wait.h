/* Collects pbx_io completions for the tests and lets the test thread wait
 * for them with a deadline. */
#ifndef TSP8_TEST_IO_WAIT_H
#define TSP8_TEST_IO_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/platform.h"
#include "soap/pbx_io.h"

#define TWAIT_MAX 128

struct twait_rec {
	int err;
	long status;
	char body[64];
	char errmsg[128];
	uint32_t elapsed_ms;
	uint64_t at_ms;            /* plat_now_ms() when it completed */
	bool on_io_thread;
};

struct twait {
	plat_mutex lock;           /* guards n, recs, count */
	plat_cond cond;
	struct pbx_io *io;         /* for the on-thread check (may be NULL) */
	unsigned n;
	struct twait_rec recs[TWAIT_MAX];
};

/* One slot per request so each test can tell its requests apart. */
struct twait_slot {
	struct twait *w;
	unsigned calls;            /* how many times its callback ran */
	struct twait_rec rec;
};

void twait_init(struct twait *w, struct pbx_io *io);
void twait_fini(struct twait *w);
/* pbx_http_done_fn: arg is a struct twait_slot *. */
void twait_done(void *arg, const struct pbx_http_resp *resp);
/* Waits until at least n completions were recorded or ms passed. */
bool twait_for(struct twait *w, unsigned n, uint32_t ms);
unsigned twait_count(struct twait *w);

#endif
