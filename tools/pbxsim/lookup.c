/* pbxsim directory lookups. */
#include "lookup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calls.h"

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

size_t lookup_find_users(const struct sim_pbx *pbx, const char *cn, const char *h323,
			 const char *e164, int count, bool next, bool nohide,
			 struct sim_object **out, size_t max)
{
	enum sort_field f = BY_CN;
	const char *start = cn ? cn : "";
	size_t n = 0;
	struct sim_object **sorted;
	size_t ns = 0;

	if (count <= 0 || !max)
		return 0;
	if (cn && *cn && e164 && *e164) {
		const struct sim_object *home = model_find_cn(pbx, cn);

		for (size_t i = 0; home && i < pbx->nobjs; i++) {
			struct sim_object *o = pbx->objs[i];

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
	sorted = malloc((pbx->nobjs ? pbx->nobjs : 1) * sizeof(*sorted));
	if (!sorted)
		return 0;
	/* Insertion sort: trees are small and this keeps the order stable. */
	for (size_t i = 0; i < pbx->nobjs; i++) {
		struct sim_object *o = pbx->objs[i];
		size_t j = ns;

		if (!nohide && o->hide)
			continue;
		if (f != BY_CN && !field(o, f)[0])
			continue;
		while (j > 0 && cmp_str(field(sorted[j - 1], f), field(o, f)) > 0) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = o;
		ns++;
	}
	for (size_t i = 0; i < ns && n < (size_t)count && n < max; i++) {
		int c = cmp_str(field(sorted[i], f), start);

		if (c < 0 || (next && c == 0))
			continue;
		out[n++] = sorted[i];
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
	for (size_t i = 0; i < pbx->nobjs; i++) {
		const char *n = pbx->objs[i]->e164;

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

	for (struct sim_call *c = pbx->calls; c; c = c->next)
		for (int i = 0; i < 2; i++) {
			struct sim_event *ev;

			if (!c->leg[i].used || c->leg[i].obj != o)
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
