/* pbxsim service layer: model records -> gSOAP response structures. */
#include "svc_convert.h"

#include <string.h>

char *conv_str(struct soap *soap, const char *s)
{
	char *d = soap_strdup(soap, s ? s : "");

	return d ? d : (char *)"";
}

enum xsd__boolean conv_bool(bool b)
{
	return b ? xsd__boolean__true_ : xsd__boolean__false_;
}

/* Optional string element: omitted when empty. */
static char *opt_str(struct soap *soap, const char *s)
{
	return s && *s ? conv_str(soap, s) : NULL;
}

static struct GroupArray *conv_groups(struct soap *soap, const struct sim_userinfo *u)
{
	struct GroupArray *a;

	if (!u->ngroups)
		return NULL;
	a = soap_malloc(soap, sizeof(*a));
	if (!a)
		return NULL;
	a->__size = (int)u->ngroups;
	a->__ptritem = soap_malloc(soap, u->ngroups * sizeof(a->__ptritem[0]));
	if (!a->__ptritem)
		return NULL;
	for (size_t i = 0; i < u->ngroups; i++) {
		struct inno__Group *g = soap_malloc(soap, sizeof(*g));

		if (!g)
			return NULL;
		g->group = conv_str(soap, u->groups[i].name);
		g->active = conv_bool(u->groups[i].active);
		a->__ptritem[i] = g;
	}
	return a;
}

struct inno__UserInfo *conv_userinfo(struct soap *soap, const struct sim_userinfo *u)
{
	struct inno__UserInfo *r = soap_malloc(soap, sizeof(*r));

	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->active = conv_bool(u->active);
	r->cn = conv_str(soap, u->cn);
	r->dn = conv_str(soap, u->dn);
	r->type = conv_str(soap, u->type);
	r->e164 = conv_str(soap, u->e164);
	r->h323 = conv_str(soap, u->h323);
	r->state = u->state;
	r->channel = u->channel;
	r->alert = u->alert;
	r->guid = conv_str(soap, u->guid);
	if (!u->active || !u->cn[0])
		return r;
	r->groups = conv_groups(soap, u);
	r->loc = opt_str(soap, u->loc);
	r->node = opt_str(soap, u->node);
	r->object = opt_str(soap, u->object);
	r->nodenum = opt_str(soap, u->nodenum);
	if (u->cfg) {
		r->cfg = soap_malloc(soap, sizeof(*r->cfg));
		if (r->cfg)
			*r->cfg = xsd__boolean__true_;
	}
	if (u->has_presence) {
		r->presence = soap_malloc(soap, sizeof(*r->presence));
		if (r->presence) {
			r->presence->status = opt_str(soap, u->presence.status);
			r->presence->activity = opt_str(soap, u->presence.activity);
			r->presence->note = opt_str(soap, u->presence.note);
		}
	}
	return r;
}

static struct inno__Info *info(struct soap *soap, const char *type, int vali,
			       const char *vals)
{
	struct inno__Info *i = soap_malloc(soap, sizeof(*i));

	if (!i)
		return NULL;
	i->type = conv_str(soap, type);
	i->vali = vali;
	i->vals = conv_str(soap, vals);
	return i;
}

struct inno__CallInfo *conv_callinfo(struct soap *soap, const struct sim_callinfo *c)
{
	struct inno__CallInfo *r = soap_malloc(soap, sizeof(*r));
	struct inno__Info *infos[3];
	int ni = 0;

	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->user = c->user;
	r->call = c->call;
	r->reg = c->reg;
	r->active = conv_bool(c->active);
	r->state = (int)c->state;
	r->msg = conv_str(soap, c->msg);
	r->No = soap_malloc(soap, sizeof(*r->No));
	if (r->No) {
		r->No->__size = (int)c->nno;
		r->No->__ptritem = soap_malloc(soap, (c->nno ? c->nno : 1) * sizeof(void *));
		for (size_t i = 0; r->No->__ptritem && i < c->nno; i++) {
			struct inno__No *n = soap_malloc(soap, sizeof(*n));

			if (!n) {
				r->No->__size = (int)i;
				break;
			}
			n->type = conv_str(soap, c->no[i].type);
			n->cn = conv_str(soap, c->no[i].cn);
			n->dn = conv_str(soap, c->no[i].dn);
			n->e164 = conv_str(soap, c->no[i].e164);
			n->h323 = conv_str(soap, c->no[i].h323);
			r->No->__ptritem[i] = n;
		}
		if (!r->No->__ptritem)
			r->No->__size = 0;
	}
	if (c->conf[0])
		infos[ni++] = info(soap, "conf", 0, c->conf);
	if (c->has_cause)
		infos[ni++] = info(soap, "cause", c->cause, "");
	if (c->has_uui)
		infos[ni++] = info(soap, "uui", 0, c->uui);
	if (ni) {
		r->info = soap_malloc(soap, sizeof(*r->info));
		if (r->info) {
			r->info->__ptritem = soap_malloc(soap, (size_t)ni * sizeof(void *));
			r->info->__size = 0;
			for (int i = 0; r->info->__ptritem && i < ni; i++)
				if (infos[i])
					r->info->__ptritem[r->info->__size++] = infos[i];
		}
	}
	return r;
}

static size_t count_kind(const struct sim_event *list, enum sim_event_kind k)
{
	size_t n = 0;

	for (; list; list = list->next)
		n += list->kind == k;
	return n;
}

struct UserInfoArray *conv_empty_users(struct soap *soap)
{
	struct UserInfoArray *a = soap_malloc(soap, sizeof(*a));

	if (a) {
		a->__size = 0;
		a->__ptritem = NULL;
	}
	return a;
}

struct CallInfoArray *conv_empty_calls(struct soap *soap)
{
	struct CallInfoArray *a = soap_malloc(soap, sizeof(*a));

	if (a) {
		a->__size = 0;
		a->__ptritem = NULL;
	}
	return a;
}

struct UserInfoArray *conv_user_array(struct soap *soap, const struct sim_event *list)
{
	size_t n = count_kind(list, SIM_EV_USER);
	struct UserInfoArray *a;

	if (!n || !(a = conv_empty_users(soap)))
		return NULL;
	a->__ptritem = soap_malloc(soap, n * sizeof(void *));
	if (!a->__ptritem)
		return NULL;
	for (; list; list = list->next) {
		struct inno__UserInfo *u;

		if (list->kind != SIM_EV_USER || !(u = conv_userinfo(soap, &list->u.user)))
			continue;
		a->__ptritem[a->__size++] = u;
	}
	return a;
}

struct CallInfoArray *conv_call_array(struct soap *soap, const struct sim_event *list)
{
	size_t n = count_kind(list, SIM_EV_CALL);
	struct CallInfoArray *a;

	if (!n || !(a = conv_empty_calls(soap)))
		return NULL;
	a->__ptritem = soap_malloc(soap, n * sizeof(void *));
	if (!a->__ptritem)
		return NULL;
	for (; list; list = list->next) {
		struct inno__CallInfo *c;

		if (list->kind != SIM_EV_CALL || !(c = conv_callinfo(soap, &list->u.call)))
			continue;
		a->__ptritem[a->__size++] = c;
	}
	return a;
}
