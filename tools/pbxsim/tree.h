/* pbxsim PBX trees: a master, its slaves, the standbys of both, the one
 * directory they all serve and the calls of their users.
 *
 * Roles (reference "Multi Site Configuration", "Standby Configurations"):
 * a slave registers to its master while it runs and is not "slave
 * unregister"ed; a standby is passive while its primary runs and takes
 * over (answers as the primary) standby_takeover_ms after the primary
 * stopped.  Every function expects sim->lock held unless it says otherwise.
 */
#ifndef PBXSIM_TREE_H
#define PBXSIM_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "dir.h"
#include "sim.h"

#define SIM_TAKEOVER_MS_DEFAULT 500

struct sim_tree {
	struct sim *sim;
	struct sim_pbx *master;
	struct sim_pbx **pbxs;      /* members (not owned), master first */
	size_t npbx;
	struct sim_dir dir;         /* the replicated objects */
	struct sim_call *calls;     /* owned list, creation order */
	unsigned takeover_ms;       /* standby takeover delay */
};

/* Creates the tree of master (sets master->tree) and adds it to sim.
 * TSP8_OK / TSP8_ENOMEM. */
int tree_create(struct sim *sim, struct sim_pbx *master, unsigned takeover_ms,
		struct sim_tree **out);
/* Adds a slave or standby to tree (sets pbx->tree).  TSP8_OK / TSP8_ENOMEM. */
int tree_add_member(struct sim_tree *tree, struct sim_pbx *pbx);
/* Frees the directory and the calls (not the member PBXs). */
void tree_free(struct sim_tree *tree);

/* The PBX pbx answers as: its primary for a standby, else itself. */
struct sim_pbx *tree_identity(const struct sim_pbx *pbx);
/* True for a standby that has not taken over: it refuses sessions. */
bool tree_passive(const struct sim_pbx *pbx);
/* The PBX that serves primary right now (itself while running, else its
 * active standby), NULL when none does. */
struct sim_pbx *tree_serving(const struct sim_pbx *primary);
/* A master is registered while served; a slave additionally while not
 * "slave unregister"ed. */
bool tree_registered(const struct sim_pbx *primary);

/* UserInfo state of o: objects "pbx" of a slave follow its registration,
 * everything else its devices. */
int tree_object_state(const struct sim_object *o);
/* Sets o->slave from o->h323 (objects "pbx" only). */
void tree_resolve_slave(struct sim_tree *tree, struct sim_object *o);

/* LocationUrl(loc) asked at pbx: the URL of the registered PBX with that
 * location, http://127.0.0.1/PBX-<id>/user.soap for a loopback-registered
 * one, "" when unknown or unregistered. */
void tree_location_url(const struct sim_pbx *pbx, const char *loc, char *out, size_t len);

/* The listener of pbx went down/up: records it, lets standbys go passive
 * (their sessions are invalidated), wakes the takeover timer and sends
 * the UserInfo of PBX objects whose state changed. */
void tree_set_running(struct sim_pbx *pbx, bool running);
/* slave register/unregister.  TSP8_OK, TSP8_EINVAL when pbx is no slave. */
int tree_set_slave_registered(struct sim_pbx *pbx, bool registered);

/* Standby takeover timer: a thread that activates standbys whose primary
 * has been down for takeover_ms.  start: TSP8_OK / TSP8_ENOMEM (takes the
 * lock itself; call once, without the lock).  sim_destroy joins it. */
int tree_timer_start(struct sim *sim);

#endif
