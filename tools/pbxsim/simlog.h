/* pbxsim verbose log: readable lines on stderr when --verbose is given. */
#ifndef PBXSIM_SIMLOG_H
#define PBXSIM_SIMLOG_H

#include <stdbool.h>

struct sim;

/* Prints "[pbxsim hh:mm:ss.mmm] <text>" to stderr when sim->opt.verbose.
 * Safe with or without sim->lock held (one fprintf per line). */
void sim_log(const struct sim *sim, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Same, for callers that only know whether verbose is on. */
void sim_logv(bool verbose, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
