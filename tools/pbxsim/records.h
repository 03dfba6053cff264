/* pbxsim records: snapshots of UserInfo and CallInfo as they go into a
 * session's event queue and out through Poll, Calls, FindUser. */
#ifndef PBXSIM_RECORDS_H
#define PBXSIM_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

#define SIM_MAX_NO 6

/* One No record {type, cn, dn, e164, h323} (pbx-soap-api.md §5.3). */
struct sim_no {
	char type[SIM_TAG];
	char cn[SIM_STR];
	char dn[SIM_STR];
	char e164[SIM_NUM];
	char h323[SIM_STR];
};

struct sim_callinfo {
	int user;            /* user handle of the receiving session, 0 in Calls */
	int call;            /* leg handle */
	int reg;
	bool active;
	unsigned state;      /* §5.1 bits */
	struct sim_no no[SIM_MAX_NO];
	size_t nno;
	char msg[SIM_TAG];
	char conf[SIM_GUID]; /* Info conf (vals) */
	bool has_cause;      /* Info cause (vali) */
	int cause;
	bool has_uui;        /* Info uui (vals) */
	char uui[SIM_STR];
};

struct sim_userinfo {
	bool active;
	char cn[SIM_STR];
	char dn[SIM_STR];
	char type[SIM_TAG];
	char e164[SIM_NUM];
	char h323[SIM_STR];
	int state;
	int channel;
	int alert;
	char guid[SIM_GUID];
	struct sim_group groups[SIM_MAX_GROUPS];
	size_t ngroups;
	char loc[SIM_STR];   /* home location when not the answering PBX */
	char node[SIM_STR];
	char object[SIM_TAG];
	char nodenum[SIM_NUM];
	bool cfg;
	bool has_presence;
	struct sim_presence presence;
};

enum sim_event_kind { SIM_EV_USER, SIM_EV_CALL };

struct sim_event {
	enum sim_event_kind kind;
	union {
		struct sim_userinfo user;
		struct sim_callinfo call;
	} u;
	struct sim_event *next;
};

/* Allocates a zeroed event, NULL when out of memory. */
struct sim_event *event_new(enum sim_event_kind kind);
/* Frees a whole list. */
void event_list_free(struct sim_event *list);

/* Fills a UserInfo snapshot of o as PBX pbx reports it (channel/alert
 * as last counted from the calls; loc = o's home location unless pbx
 * answers for that home).  active=false records keep only the identity. */
void record_userinfo(const struct sim_pbx *pbx, const struct sim_object *o,
		     bool active, struct sim_userinfo *out);
/* The end-of-dump marker: an active UserInfo with empty cn. */
void record_dump_end(struct sim_userinfo *out);
/* Fills a No record from an object. */
void record_no_object(struct sim_no *no, const char *type, const struct sim_object *o);
/* Fills a No record with a plain number. */
void record_no_number(struct sim_no *no, const char *type, const char *e164);

#endif
