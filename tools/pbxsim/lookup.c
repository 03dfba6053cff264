/* pbxsim directory lookups. */
#include "lookup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calls.h"
#include "tree.h"

enum sort_field { BY_CN, BY_H323, BY_E164 };

static const char *field(const struct sim_object *o, enum sort_field f)
{
	return f == BY_H323 ? o->h323 : f == BY_E164 ? o->e164 : o->cn;
}

/* Alphabetical, case-insensitive, ties broken by the exact bytes. */
static int cmp_str(const char *a, const char *b)
{
	int c = strcasecmp(a, b);

	return c ? c : strcmp(a, b);
}

struct sort_entry {
	const char *key;
	size_t order;               /* directory position: stable ties */
	struct sim_object *o;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct sort_entry *x = a, *y = b;
	int c = cmp_str(x->key, y->key);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

size_t lookup_find_users(const struct sim_pbx *pbx, const char *cn, const char *h323,
			 const char *e164, int count, bool next, bool nohide,
			 struct sim_object **out, size_t max)
{
	const struct sim_dir *d = &pbx->tree->dir;
	enum sort_field f = BY_CN;
	const char *start = cn ? cn : "";
	size_t n = 0;
	struct sort_entry *sorted;
	size_t ns = 0;

	if (count <= 0 || !max)
		return 0;
	if (cn && *cn && e164 && *e164) {
		const struct sim_object *home = model_find_cn(pbx, cn);

		for (size_t i = 0; home && i < d->nobjs; i++) {
			struct sim_object *o = d->objs[i];

			if (strcmp(o->e164, e164) == 0 && strcmp(o->node, home->node) == 0 &&
			    (nohide || !o->hide)) {
				out[0] = o;
				return 1;
			}
		}
		return 0;
	}
	if ((!cn || !*cn) && h323 && *h323) {
		f = BY_H323;
		start = h323;
	} else if ((!cn || !*cn) && e164 && *e164) {
		f = BY_E164;
		start = e164;
	}
	sorted = malloc((d->nobjs ? d->nobjs : 1) * sizeof(*sorted));
	if (!sorted)
		return 0;
	for (size_t i = 0; i < d->nobjs; i++) {
		struct sim_object *o = d->objs[i];

		if (!nohide && o->hide)
			continue;
		if (f != BY_CN && !field(o, f)[0])
			continue;
		sorted[ns].key = field(o, f);
		sorted[ns].order = i;
		sorted[ns].o = o;
		ns++;
	}
	/* O(n log n): trees may hold thousands of objects and clients page
	 * through them 50 at a time. */
	qsort(sorted, ns, sizeof(*sorted), cmp_entry);
	for (size_t i = 0; i < ns && n < (size_t)count && n < max; i++) {
		int c = cmp_str(sorted[i].key, start);

		if (c < 0 || (next && c == 0))
			continue;
		out[n++] = sorted[i].o;
	}
	free(sorted);
	return n;
}

bool lookup_find_destination(const struct sim_pbx *pbx, const char *e164, const char *h323,
			     struct sim_object **found)
{
	*found = NULL;
	if (h323 && *h323) {
		*found = model_find_h323(pbx, h323);
		return false;
	}
	if (!e164 || !*e164)
		return true;
	*found = model_find_e164(pbx, e164);
	if (*found)
		return false;
	for (size_t i = 0; i < pbx->tree->dir.nobjs; i++) {
		const char *n = pbx->tree->dir.objs[i]->e164;

		if (strlen(n) > strlen(e164) && strncmp(n, e164, strlen(e164)) == 0)
			return true;
	}
	/* External: the trunk whose prefix it starts with takes it. */
	{
		struct sim_object *t = model_trunk(pbx);

		if (t && t->e164[0] && strncmp(e164, t->e164, strlen(t->e164)) == 0)
			*found = t;
	}
	return false;
}

void lookup_local_num(const struct sim_pbx *pbx, const char *num, char *out, size_t len)
{
	const struct sim_object *t = model_trunk(pbx);
	const char *prefix = t ? t->e164 : "";

	if (!num)
		num = "";
	if (model_find_number(pbx, num) || !*num || !prefix[0]) {
		sim_strlcpy(out, num, len);
		return;
	}
	if (num[0] == '+')
		snprintf(out, len, "%s00%s", prefix, num + 1);
	else
		snprintf(out, len, "%s%s", prefix, num);
}

struct sim_event *lookup_calls_of(struct sim_pbx *pbx, const struct sim_object *o)
{
	struct sim_event *head = NULL, **tail = &head;
	const struct sim_pbx *here = tree_identity(pbx);

	for (struct sim_call *c = pbx->tree->calls; c; c = c->next)
		for (int i = 0; i < 2; i++) {
			struct sim_event *ev;

			/* Only legs at this registration PBX. */
			if (!c->leg[i].used || c->leg[i].obj != o || c->leg[i].pbx != here)
				continue;
			ev = event_new(SIM_EV_CALL);
			if (!ev)
				return head;
			calls_record(c, i, 0, &ev->u.call);
			*tail = ev;
			tail = &ev->next;
		}
	return head;
}

struct sim_object *lookup_presence_target(const struct sim_pbx *pbx, const char *guid,
					  const char *h323)
{
	if (guid && *guid && strcmp(guid, "*") != 0)
		return model_find_guid(pbx, guid);
	return model_find_h323(pbx, h323);
}
