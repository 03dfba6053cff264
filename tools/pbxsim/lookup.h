/* pbxsim directory lookups: FindUser paging, UserFindDestination,
 * UserLocalNum, Calls snapshots, presence.  sim->lock held. */
#ifndef PBXSIM_LOOKUP_H
#define PBXSIM_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "records.h"
#include "sim.h"

/* FindUser: objects sorted by the field that was given (cn, h323 or e164;
 * cn when none), starting at the first entry >= the given string (> with
 * next), at most count.  cn+e164: the object with that e164 in cn's node.
 * Writes up to max objects to out; returns how many. */
size_t lookup_find_users(const struct sim_pbx *pbx, const char *cn, const char *h323,
			 const char *e164, int count, bool next, bool nohide,
			 struct sim_object **out, size_t max);

/* UserFindDestination: true when the number is still incomplete (a proper
 * prefix of an internal number); *found = destination object or NULL. */
bool lookup_find_destination(const struct sim_pbx *pbx, const char *e164, const char *h323,
			     struct sim_object **found);

/* UserLocalNum: num as dialled from `from`'s location.  Internal numbers
 * stay; "+<cc...>" becomes <trunk prefix>00<cc...>; other external
 * numbers get the trunk prefix (the trunk object's e164). */
void lookup_local_num(const struct sim_pbx *pbx, const char *num, char *out, size_t len);

/* Calls(): one record per current leg of o at pbx (user handle 0).
 * Returns an event list (caller frees). */
struct sim_event *lookup_calls_of(struct sim_pbx *pbx, const struct sim_object *o);

/* SetPresence target: by guid (unless "" or "*"), else by h323. */
struct sim_object *lookup_presence_target(const struct sim_pbx *pbx, const char *guid,
					  const char *h323);

#endif
