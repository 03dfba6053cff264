/* pbxsim data model: the PBXs of one simulator process and their objects.
 *
 * Plain data with fixed-size strings: the tree loader checks every length,
 * so copying a record never needs an allocation.  Everything reachable from
 * struct sim (sim.h) is guarded by sim->lock.
 */
#ifndef PBXSIM_MODEL_H
#define PBXSIM_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#define SIM_STR 128   /* names, display names, notes (incl. NUL) */
#define SIM_NUM 64    /* numbers, hardware ids (incl. NUL) */
#define SIM_TAG 32    /* short enumerations: type, object, msg (incl. NUL) */
#define SIM_GUID 33   /* 32 hex digits + NUL */
#define SIM_MAX_GROUPS 16
#define SIM_MAX_DEVICES 16

struct sim_session;
struct sim_call;
struct sim;

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
};

enum sim_members { SIM_MEMBERS_ITEM, SIM_MEMBERS_CONTAINER };
enum sim_order { SIM_ORDER_CURRENT, SIM_ORDER_EARLY };

/* How responses of one PBX look on the wire (pbx-soap-api.md §1, §4.1). */
struct sim_wire {
	enum sim_members members;
	enum sim_order order;
	bool extra_elements;
};

struct sim_pbx {
	struct sim *sim;            /* owner */
	char name[SIM_STR];
	unsigned port;              /* configured (0 = ephemeral), then bound */
	char path_id[SIM_STR];      /* "" = /PBX0/, else /PBX-<id>/ */
	char admin_password[SIM_STR];
	char firmware[SIM_STR];
	char serial[SIM_NUM];
	struct sim_wire wire;
	unsigned dump_chunk;
	struct sim_object **objs;   /* owned; order = tree file order */
	size_t nobjs, capobjs;
	struct sim_session *sessions; /* owned list */
	struct sim_call *calls;       /* owned list */
	int next_session;           /* handle counters, per PBX */
	int next_user;
	int next_call;
};

/* Lookup helpers (caller holds sim->lock).  NULL when absent. */
struct sim_object *model_find_cn(const struct sim_pbx *pbx, const char *cn);
struct sim_object *model_find_h323(const struct sim_pbx *pbx, const char *h323);
struct sim_object *model_find_e164(const struct sim_pbx *pbx, const char *e164);
struct sim_object *model_find_guid(const struct sim_pbx *pbx, const char *guid);
/* Internal destination for a dialled string: e164, then h323, then cn. */
struct sim_object *model_find_number(const struct sim_pbx *pbx, const char *num);
/* First object of type "gw": the trunk for external numbers. */
struct sim_object *model_trunk(const struct sim_pbx *pbx);

/* Group membership: returns the group entry or NULL. */
const struct sim_group *model_group_of(const struct sim_object *o, const char *group);
/* True when a device of o is registered (UserInfo state 1). */
bool model_registered(const struct sim_object *o);
/* Device by hw id, NULL when absent. */
struct sim_device *model_device(struct sim_object *o, const char *hw);
/* hw of the first registered device, "" when none. */
const char *model_first_registered_hw(const struct sim_object *o);

/* Appends an object (takes ownership).  TSP8_OK / TSP8_ENOMEM. */
int model_add_object(struct sim_pbx *pbx, struct sim_object *o);
/* Frees the objects of pbx (not the sessions/calls). */
void model_free_objects(struct sim_pbx *pbx);
void model_object_free(struct sim_object *o);

/* Deterministic 32-hex GUID from the PBX name and the cn. */
void model_derive_guid(char out[SIM_GUID], const char *pbx_name, const char *cn);
/* Deterministic 32-hex conference id from a PBX name and a counter. */
void model_derive_conf(char out[SIM_GUID], const char *pbx_name, unsigned long n);

/* Bounded copy that always terminates dst. */
void sim_strlcpy(char *dst, const char *src, size_t size);

#endif
