/* Session test support: an I/O object, a session against a pbxsim PBX, and
 * a recorder that logs every handler callback so tests can wait for and
 * inspect them. */
#ifndef TSP8_TEST_SESSION_UTIL_H
#define TSP8_TEST_SESSION_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/platform.h"
#include "soap/pbx_io.h"
#include "soap/pbx_session.h"

enum ev_kind { EV_STATE, EV_RESET, EV_USER, EV_DUMP_END, EV_CALL, EV_MONITOR };

struct ev {
	enum ev_kind kind;
	uint64_t at_ms;
	int st, err;              /* EV_STATE: state, err; EV_MONITOR: err */
	char why[160];
	void *cookie;             /* EV_CALL, EV_MONITOR */
	char cn[64];              /* EV_USER */
	bool active;              /* EV_USER, EV_CALL */
	int ustate;               /* EV_USER: registration state */
	int call, user, cstate;   /* EV_CALL */
	char msg[32];             /* EV_CALL */
	char peer[32];            /* EV_CALL: e164 of the "peer" No */
};

#define REC_MAX 4096

struct rec {
	plat_mutex lock;          /* guards n, ev */
	plat_cond cond;
	unsigned n;
	struct ev ev[REC_MAX];
	bool after_stop;          /* set by the test: any callback now is a bug */
	unsigned late;            /* callbacks seen while after_stop */
};

void rec_init(struct rec *r);
void rec_fini(struct rec *r);
extern const struct pbx_session_handler rec_handler;

/* Index of the first event at or after from that matches; -1 if none
 * arrives within ms. */
typedef bool (ev_match_fn)(const struct ev *e, const void *arg);
int  rec_wait(struct rec *r, unsigned from, ev_match_fn *match, const void *arg, uint32_t ms);
unsigned rec_count(struct rec *r);
/* Copy of event i. */
struct ev rec_get(struct rec *r, unsigned i);

/* Ready-made matchers. */
bool ev_is_state(const struct ev *e, const void *st);       /* arg: enum state * */
bool ev_is_kind(const struct ev *e, const void *kind);      /* arg: enum ev_kind * */
bool ev_is_user(const struct ev *e, const void *cn);        /* arg: const char * */
bool ev_is_call_msg(const struct ev *e, const void *msg);   /* arg: const char * */

int  rec_wait_state(struct rec *r, unsigned from, enum pbx_session_state st, uint32_t ms);
int  rec_wait_kind(struct rec *r, unsigned from, enum ev_kind k, uint32_t ms);

/* A command completion waiter. */
struct cmd_wait {
	plat_mutex lock;          /* guards done, err, ret, str, n */
	plat_cond cond;
	bool done;
	int err, ret;
	char str[256];
	unsigned n;               /* users / devices */
	char first_cn[64], last_cn[64];
	unsigned calls;           /* completions seen (must end at 1) */
};
void cw_init(struct cmd_wait *w);
void cw_fini(struct cmd_wait *w);
void cw_int(void *arg, int err, int ret);
void cw_str(void *arg, int err, const char *s);
void cw_users(void *arg, int err, const struct pbx_user *u, size_t n);
void cw_devices(void *arg, int err, const struct pbx_device *d, size_t n);
bool cw_wait(struct cmd_wait *w, uint32_t ms);

/* The fixture of the session tests: pbxsim with test_session_tree.json, an
 * I/O object, a recorder and (once made) one session. */
struct fx {
	struct pbxsim_proc *sim;
	struct pbx_io *io;
	struct pbx_session *s;
	struct rec rec;
};
/* cmocka setup/teardown of a struct fx in *state. */
int  fx_setup(void **state);
int  fx_teardown(void **state);
/* f->s: a session (not started) to pbx as _TAPI_ with the given password. */
void fx_make_session(struct fx *f, const char *pbx, const char *password);

#endif
