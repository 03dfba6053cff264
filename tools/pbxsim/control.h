/* pbxsim control channel: one command line in, one answer line out
 * ("ok ..." / "error <reason>").  Grammar in tools/pbxsim/README.md. */
#ifndef PBXSIM_CONTROL_H
#define PBXSIM_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

#include "app.h"
#include "strbuf.h"

#define CONTROL_MAX_ARGS 32

/* Splits a line into words; "double quoted" words may contain spaces
 * (\" and \\ escapes).  Returns the count, or -1 for a bad line (unclosed
 * quote, too many words).  Words point into buf (modified). */
int control_split(char *buf, char **argv, int max);

/* Executes one command; the answer (no newline) goes to reply. */
void control_exec(struct pbxsim_app *app, const char *line, struct strbuf *reply);

/* JSON arrays for "calls", "sessions" and "pbxs" (sim->lock held). */
void control_json_calls(struct sim *sim, struct strbuf *out);
void control_json_sessions(struct sim_pbx *pbx, struct strbuf *out);
void control_json_pbxs(struct sim *sim, struct strbuf *out);

/* Object by cn, else h323, else e164 (sim->lock held). */
struct sim_object *control_find_obj(struct sim_pbx *pbx, const char *s);

/* Tree commands (control_tree.c): slave, object remove, device, group.
 * False when argv[0] is none of them. */
bool control_tree_exec(struct pbxsim_app *app, int argc, char **argv, struct strbuf *r);
/* "object add <pbx> <json-object>": rest = the line after "object add". */
void control_object_add(struct pbxsim_app *app, const char *rest, struct strbuf *r);

#endif
