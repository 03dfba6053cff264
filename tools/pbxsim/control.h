/* pbxsim control channel: one command line in, one answer line out
 * ("ok ..." / "error <reason>").  Grammar in tools/pbxsim/README.md. */
#ifndef PBXSIM_CONTROL_H
#define PBXSIM_CONTROL_H

#include <stddef.h>

#include "app.h"
#include "strbuf.h"

#define CONTROL_MAX_ARGS 16

/* Splits a line into words; "double quoted" words may contain spaces
 * (\" and \\ escapes).  Returns the count, or -1 for a bad line (unclosed
 * quote, too many words).  Words point into buf (modified). */
int control_split(char *buf, char **argv, int max);

/* Executes one command; the answer (no newline) goes to reply. */
void control_exec(struct pbxsim_app *app, const char *line, struct strbuf *reply);

/* JSON arrays for "calls" and "sessions" (sim->lock held). */
void control_json_calls(struct sim *sim, struct strbuf *out);
void control_json_sessions(struct sim_pbx *pbx, struct strbuf *out);

#endif
