/* Work of lines and PBX links on the scheduler (base/sched.h): each line
 * has a queue for its PBX call events and its TSPI request work, each PBX
 * link (pbxtree pbx_id) one for link-wide work (a session epoch that
 * ended), so the work of one target stays in order while different lines
 * run in parallel, and the pbx_io thread only decodes and hands over.
 *
 * Also the set of session epochs that ended: events of such an epoch that
 * were still queued are dropped when they run.
 */
#ifndef TSP8_TSP8_LINEQUEUE_H
#define TSP8_TSP8_LINEQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "tsp8/model.h"

/* Runs with no lock held; takes the model lock itself. */
typedef void (lq_fn)(struct provider *p, void *arg);
/* Frees arg of an item that will not run (queue gone, shutdown). */
typedef void (lq_drop_fn)(void *arg);

/* Creates the queue of l (model lock held); posting creates it on first
 * use. */
int  lq_line_init(struct provider *p, struct line *l);
/* Posts fn(p, arg) to the queue of line perm_id.  On failure (no such
 * line, no queue, shutdown) drop(arg) has been called and an error is
 * returned.  The _locked form is for callers holding the model lock. */
int  lq_post_line(struct provider *p, uint32_t perm_id, lq_fn *fn, lq_drop_fn *drop, void *arg);
int  lq_post_line_locked(struct provider *p, struct line *l, lq_fn *fn, lq_drop_fn *drop, void *arg);
/* Posts to the queue of PBX link pbx_id (created on first use). */
int  lq_post_pbx(struct provider *p, unsigned pbx_id, lq_fn *fn, lq_drop_fn *drop, void *arg);
/* Destroys every queue: items not yet run are dropped, running ones are
 * waited for.  Shutdown, after pbxtree stopped. */
void lq_destroy_all(struct provider *p);

/* Epochs (model lock held). */
void lq_epoch_end(struct provider *p, unsigned epoch);
bool lq_epoch_ended(const struct provider *p, unsigned epoch);

#endif
