/* pbxsim records: building UserInfo / No snapshots and event lists. */
#include "records.h"

#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "tree.h"

struct sim_event *event_new(enum sim_event_kind kind)
{
	struct sim_event *ev = calloc(1, sizeof(*ev));

	if (ev)
		ev->kind = kind;
	return ev;
}

void event_list_free(struct sim_event *list)
{
	while (list) {
		struct sim_event *next = list->next;

		free(list);
		list = next;
	}
}

void record_userinfo(const struct sim_pbx *pbx, const struct sim_object *o,
		     bool active, struct sim_userinfo *out)
{
	memset(out, 0, sizeof(*out));
	out->active = active;
	sim_strlcpy(out->cn, o->cn, sizeof(out->cn));
	sim_strlcpy(out->dn, o->dn, sizeof(out->dn));
	sim_strlcpy(out->type, o->type, sizeof(out->type));
	sim_strlcpy(out->e164, o->e164, sizeof(out->e164));
	sim_strlcpy(out->h323, o->h323, sizeof(out->h323));
	sim_strlcpy(out->guid, o->guid, sizeof(out->guid));
	if (!active)
		return;
	out->state = tree_object_state(o);
	/* Kept equal to the call table by calls_refresh_counts() after every
	 * leg change; counting here would cost O(calls) per record. */
	out->channel = o->rep_channel;
	out->alert = o->rep_alert;
	memcpy(out->groups, o->groups, o->ngroups * sizeof(o->groups[0]));
	out->ngroups = o->ngroups;
	if (o->home && o->home != tree_identity(pbx))
		sim_strlcpy(out->loc, o->home->location, sizeof(out->loc));
	sim_strlcpy(out->node, o->node, sizeof(out->node));
	sim_strlcpy(out->object, o->object, sizeof(out->object));
	sim_strlcpy(out->nodenum, o->nodenum, sizeof(out->nodenum));
	out->cfg = o->cfg_pending;
	out->has_presence = true;
	out->presence = o->presence;
}

void record_dump_end(struct sim_userinfo *out)
{
	memset(out, 0, sizeof(*out));
	out->active = true;
}

void record_no_object(struct sim_no *no, const char *type, const struct sim_object *o)
{
	memset(no, 0, sizeof(*no));
	sim_strlcpy(no->type, type, sizeof(no->type));
	if (!o)
		return;
	sim_strlcpy(no->cn, o->cn, sizeof(no->cn));
	sim_strlcpy(no->dn, o->dn, sizeof(no->dn));
	sim_strlcpy(no->e164, o->e164, sizeof(no->e164));
	sim_strlcpy(no->h323, o->h323, sizeof(no->h323));
}

void record_no_number(struct sim_no *no, const char *type, const char *e164)
{
	memset(no, 0, sizeof(*no));
	sim_strlcpy(no->type, type, sizeof(no->type));
	sim_strlcpy(no->e164, e164, sizeof(no->e164));
}
