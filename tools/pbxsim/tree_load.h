/* pbxsim tree file: JSON description of the PBXs one process hosts. */
#ifndef PBXSIM_TREE_LOAD_H
#define PBXSIM_TREE_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "sim.h"

/* Top-level settings of a tree file (command-line options win). */
struct tree_settings {
	bool has_poll_idle;
	unsigned poll_idle_s;
	bool has_session_expiry;
	unsigned session_expiry_s;
};

/* Parses JSON text and adds its PBXs, their trees and objects to sim.
 * "master"/"standby_for" may only name PBXs of the same text.  On failure
 * nothing is added and err holds "<source>: <json path>: <what is wrong>".
 * TSP8_OK, TSP8_ESYNTAX, TSP8_ENOMEM. */
int tree_load_text(struct sim *sim, const char *source, const char *text,
		   struct tree_settings *settings, char *err, size_t errlen);
/* Same for a file (TSP8_EIO when it cannot be read). */
int tree_load_file(struct sim *sim, const char *path, struct tree_settings *settings,
		   char *err, size_t errlen);

/* Parses one object in tree-file form (with "pbx" for its home) for the
 * tree of pbx, checking it against that tree's directory, without adding
 * it (sim->lock held).  TSP8_OK with *out, TSP8_ESYNTAX (err: "object: $.
 * <key>: <what>"), TSP8_ENOMEM, TSP8_EINVAL. */
int tree_parse_object(struct sim_pbx *pbx, const char *json, struct sim_object **out,
		      char *err, size_t errlen);

#endif
