/* tapihost's output channel: one line per record on stdout, flushed at once
 * and never interleaved.  It also keeps the recent lines so that the `wait`
 * command can block until a line containing some text has been printed, and
 * counts TSPI violations (they decide the exit status). */
#ifndef TAPIHOST_OUT_H
#define TAPIHOST_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rec.h"

struct out;

/* fp is borrowed (normally stdout). */
int out_create(struct out **out, FILE *fp, bool json);
void out_destroy(struct out *o);

bool out_is_json(const struct out *o);
/* Renders and prints r (in the configured form). */
void out_rec(struct out *o, const struct rec *r);
/* hold: the calling thread's lines are written but not flushed, because
 * more follow at once (a burst of events; one write instead of one per
 * line); !hold flushes.  Only the event thread holds, and releases as soon
 * as its queue is empty, so no line waits longer than the burst it belongs
 * to; other threads' lines are flushed at once, as before. */
void out_hold(struct out *o, bool hold);
/* Prints "VIOLATION <what>" / {"event":"violation","what":...} and counts it. */
void out_violation(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
unsigned out_violations(struct out *o);
/* Waits up to ms for a line containing text printed after the line matched
 * by the previous successful wait.  TSP8_OK or TSP8_ETIMEOUT. */
int out_wait(struct out *o, const char *text, uint32_t ms);

#endif
