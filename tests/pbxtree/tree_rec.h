/* Test helper: a pbxtree handler that records every line and call event,
 * and waits for conditions on what it recorded.  Linux test code. */
#ifndef TSP8_TESTS_PBXTREE_TREE_REC_H
#define TSP8_TESTS_PBXTREE_TREE_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/platform.h"
#include "pbxtree/pbxtree.h"

#define REC_MAXL 256
#define REC_MAXC 1024

struct rec_line {
	uint32_t id;
	enum pbxtree_line_kind kind;
	char name[320], address[48], guid[128], pbx[64], cn[64], hw[64], dev[64];
	unsigned pbx_id;
	bool in_service, removed;
	unsigned added, changed, removals, ups, downs;
};

struct rec_call {
	uint32_t line_id;
	unsigned pbx_id, session;
	int call, state;
	bool active;
	char msg[16], peer[32];
};

struct rec {
	plat_mutex lock;     /* guards everything below */
	plat_cond cond;      /* signalled on every record */
	struct rec_line lines[REC_MAXL];
	size_t nlines;
	struct rec_call calls[REC_MAXC];
	size_t ncalls;
	unsigned enum_count, resets;
	int done_err, done_call, dones;
	unsigned done_session;
};

extern const struct pbxtree_handler rec_handler;

struct rec *rec_new(void);
void rec_free(struct rec *r);
/* pbxtree_done_fn recording into r. */
void rec_op_done(void *arg, int err, unsigned session, int call);

/* Waits up to ms until pred(r, arg) holds (lock taken inside).  The
 * predicate runs with the lock held. */
bool rec_wait(struct rec *r, unsigned ms, bool (*pred)(struct rec *r, const void *arg), const void *arg);

/* Predicates and lookups (lock held). */
bool rec_p_enum(struct rec *r, const void *arg);
struct rec_line *rec_by_name(struct rec *r, const char *name);   /* not removed */
struct rec_line *rec_by_id(struct rec *r, uint32_t id);
struct rec_line *rec_by_cn(struct rec *r, const char *cn, enum pbxtree_line_kind kind);

/* Waits until the line named name exists (not removed); copies it into out. */
bool rec_wait_line(struct rec *r, unsigned ms, const char *name, struct rec_line *out);
/* Waits until line id has in_service == up. */
bool rec_wait_service(struct rec *r, unsigned ms, uint32_t id, bool up);
/* Waits until a call event for line (and call when not 0) with
 * (state & mask) == state and active == active is recorded. */
bool rec_wait_call(struct rec *r, unsigned ms, uint32_t line, int call, int mask, int state, bool active,
		   struct rec_call *out);
/* The same, looking only at call events recorded after the first "from". */
bool rec_wait_call_from(struct rec *r, unsigned ms, size_t from, uint32_t line, int call, int mask,
			int state, bool active, struct rec_call *out);
/* Number of call events recorded so far. */
size_t rec_ncalls(struct rec *r);
/* Number of lines not removed (lock held). */
size_t rec_live(struct rec *r);

/* Locking copies, so that tests never assert with the lock held. */
bool rec_get(struct rec *r, uint32_t id, struct rec_line *out);
bool rec_get_cn(struct rec *r, const char *cn, enum pbxtree_line_kind kind, struct rec_line *out);
size_t rec_count(struct rec *r);
/* Waits until at least n operations completed; copies the last one. */
bool rec_wait_dones(struct rec *r, unsigned ms, int n, int *err, unsigned *session, int *call);

#endif
