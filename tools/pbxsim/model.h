/* pbxsim data model: the PBXs of one simulator process and their objects.
 *
 * PBXs form trees (tree.h): a master, its slaves and the standbys of both.
 * The objects of a tree live once, in the tree's directory (dir.h), and
 * every PBX of the tree serves that directory (replication); each object
 * has a home PBX where its devices register and its calls happen.
 *
 * Plain data with fixed-size strings: the tree loader checks every length,
 * so copying a record never needs an allocation.  Everything reachable from
 * struct sim (sim.h) is guarded by sim->lock.
 */
#ifndef PBXSIM_MODEL_H
#define PBXSIM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_STR 128   /* names, display names, notes (incl. NUL) */
#define SIM_NUM 64    /* numbers, hardware ids (incl. NUL) */
#define SIM_TAG 32    /* short enumerations: type, object, msg (incl. NUL) */
#define SIM_GUID 33   /* 32 hex digits + NUL */
#define SIM_MAX_GROUPS 16
#define SIM_MAX_DEVICES 16

struct sim_session;
struct sim_call;
struct sim;
struct sim_tree;
struct sim_pbx;

/* Directory indexes (dir.c): one hash chain per key. */
enum { DIR_KEY_CN, DIR_KEY_H323, DIR_KEY_E164, DIR_KEY_GUID, DIR_NKEYS };

struct sim_group {
	char name[SIM_STR];
	bool active;
};

struct sim_device {
	char hw[SIM_NUM];
	char text[SIM_STR];
	bool registered;
};

struct sim_presence {
	char status[SIM_TAG];   /* "open", "closed" or "" */
	char activity[SIM_TAG];
	char note[SIM_STR];
};

struct sim_object {
	char cn[SIM_STR];
	char dn[SIM_STR];
	char h323[SIM_STR];
	char e164[SIM_NUM];
	char guid[SIM_GUID];
	char type[SIM_TAG];     /* ep, gw, waiting, broadcast */
	char node[SIM_STR];
	char nodenum[SIM_NUM];
	char object[SIM_TAG];   /* user, pbx, trunk, ... */
	char password[SIM_STR]; /* "" = no HTTP login with this object */
	bool hide;              /* "Hide from LDAP": FindUser only with nohide */
	struct sim_group groups[SIM_MAX_GROUPS];
	size_t ngroups;
	struct sim_device devices[SIM_MAX_DEVICES];
	size_t ndevices;
	struct sim_presence presence;
	char **cds;             /* <cd> children (canonical XML), owned */
	size_t ncds;
	bool cfg_pending;       /* next UserInfo carries cfg=true */
	int rep_channel;        /* channel/alert last reported in a UserInfo */
	int rep_alert;
	struct sim_pbx *home;   /* master or slave it is registered at (never a
	                         * standby); UserInfo from other PBXs carry its
	                         * location as loc */
	struct sim_pbx *slave;  /* object "pbx": the slave whose location is
	                         * this h323 (state follows its registration) */
	size_t slot;            /* directory slot, unique in the tree, never reused */
	struct sim_object *hnext[DIR_NKEYS]; /* directory hash chains */
};

enum sim_members { SIM_MEMBERS_ITEM, SIM_MEMBERS_CONTAINER };
enum sim_order { SIM_ORDER_CURRENT, SIM_ORDER_EARLY };

/* How responses of one PBX look on the wire (pbx-soap-api.md §1, §4.1). */
struct sim_wire {
	enum sim_members members;
	enum sim_order order;
	bool extra_elements;
};

enum sim_role {
	SIM_ROLE_MASTER,   /* no "master"/"standby_for": the root of a tree */
	SIM_ROLE_SLAVE,    /* registers to its master */
	SIM_ROLE_STANDBY   /* stands in for a master or slave that is down */
};

struct sim_pbx {
	struct sim *sim;            /* owner */
	struct sim_tree *tree;      /* the tree it belongs to (owned by sim) */
	enum sim_role role;
	struct sim_pbx *master;     /* slaves: their master */
	struct sim_pbx *primary;    /* standbys: the PBX they stand in for */
	struct sim_pbx *standby;    /* masters/slaves: their standby or NULL */
	char location[SIM_STR];     /* h323 of its PBX object (default: name) */
	bool loopback_registration; /* dynamic slave registered over 127.0.0.1 */
	char url[SIM_STR + 96];     /* own endpoint, "" until the listener is up */
	bool running;               /* listener up (control stop/start) */
	bool unregistered;          /* slaves: "slave unregister" */
	bool active;                /* standbys: took over from the primary */
	uint64_t changed_ms;        /* when `running` last changed */
	char name[SIM_STR];
	unsigned port;              /* configured (0 = ephemeral), then bound */
	char path_id[SIM_STR];      /* "" = /PBX0/, else /PBX-<id>/ */
	char admin_password[SIM_STR];
	char firmware[SIM_STR];
	char serial[SIM_NUM];
	struct sim_wire wire;
	unsigned dump_chunk;
	struct sim_session *sessions; /* owned list */
	int next_session;           /* handle counters, per PBX */
	int next_user;
	int next_call;
};

/* Lookup helpers over the directory of pbx's tree (caller holds
 * sim->lock).  NULL when absent. */
struct sim_object *model_find_cn(const struct sim_pbx *pbx, const char *cn);
struct sim_object *model_find_h323(const struct sim_pbx *pbx, const char *h323);
struct sim_object *model_find_e164(const struct sim_pbx *pbx, const char *e164);
struct sim_object *model_find_guid(const struct sim_pbx *pbx, const char *guid);
/* Internal destination for a dialled string: e164, then h323, then cn. */
struct sim_object *model_find_number(const struct sim_pbx *pbx, const char *num);
/* The trunk for external numbers of calls at pbx: the first object of
 * type "gw" homed on pbx (its primary for a standby), else the first of
 * the tree. */
struct sim_object *model_trunk(const struct sim_pbx *pbx);

/* Group membership: returns the group entry or NULL. */
const struct sim_group *model_group_of(const struct sim_object *o, const char *group);
/* True when a device of o is registered (UserInfo state 1). */
bool model_registered(const struct sim_object *o);
/* Device by hw id, NULL when absent. */
struct sim_device *model_device(struct sim_object *o, const char *hw);
/* hw of the first registered device, "" when none. */
const char *model_first_registered_hw(const struct sim_object *o);

/* Appends an object to the directory of pbx's tree (takes ownership; an
 * object without home gets the tree's master).  TSP8_OK / TSP8_ENOMEM. */
int model_add_object(struct sim_pbx *pbx, struct sim_object *o);
void model_object_free(struct sim_object *o);

/* Deterministic 32-hex GUID from the PBX name and the cn. */
void model_derive_guid(char out[SIM_GUID], const char *pbx_name, const char *cn);
/* Deterministic 32-hex conference id from a PBX name and a counter. */
void model_derive_conf(char out[SIM_GUID], const char *pbx_name, unsigned long n);

/* Bounded copy that always terminates dst. */
void sim_strlcpy(char *dst, const char *src, size_t size);

#endif
