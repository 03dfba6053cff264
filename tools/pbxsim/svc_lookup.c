/* pbxsim SOAP operations: lookups, presence and Admin (pbx-soap-api.md
 * §4.3, §6.3 - §6.5). */
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "base/error.h"
#include "lookup.h"
#include "session.h"
#include "simlog.h"
#include "soap_glue.h"
#include "svc_convert.h"
#include "tree.h"

#define CTX(soap) ((struct svc_ctx *)(soap)->user)
#define FINDUSER_MAX 1000 /* larger count values are cut, as paging is expected */

static const char *s0(const char *s)
{
	return s ? s : "";
}

int inno__UserLocalNum(struct soap *soap, int user, char *num,
		       struct inno__UserLocalNumResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	char out[SIM_NUM * 2];
	struct sim_user_handle *u;

	sim_lock(ctx->sim);
	u = session_find_user(ctx->pbx, user, NULL);
	/* Numbers are local to the user's registration PBX (its trunk). */
	if (u)
		lookup_local_num(u->obj->home ? u->obj->home : ctx->pbx, s0(num), out, sizeof(out));
	else
		sim_strlcpy(out, "", sizeof(out));
	sim_unlock(ctx->sim);
	r->return_ = conv_str(soap, out);
	return SOAP_OK;
}

int inno__UserFindDestination(struct soap *soap, int user, char *e164, char *h323,
			      struct inno__UserFindDestinationResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	struct sim_object *o = NULL;
	struct sim_userinfo rec;
	bool incomplete;

	(void)user;
	sim_lock(ctx->sim);
	incomplete = !tree_passive(ctx->pbx) &&
		     lookup_find_destination(ctx->pbx, s0(e164), s0(h323), &o);
	if (o)
		record_userinfo(ctx->pbx, o, true, &rec);
	sim_unlock(ctx->sim);
	r->return_ = conv_bool(incomplete);
	r->user = o ? conv_userinfo(soap, &rec) : NULL;
	return SOAP_OK;
}

int inno__FindUser(struct soap *soap, char *v501, char *v700, char *v800, char *vx1000,
		   char *cn, char *h323, char *e164, int count, int next, enum xsd__boolean nohide,
		   struct inno__FindUserResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	struct sim_object **found;
	struct sim_event *list = NULL, **tail = &list;
	size_t n = 0;

	r->return_ = conv_empty_users(soap);
	/* The four version strings must be present and non-empty (§6.4). */
	if (!*s0(v501) || !*s0(v700) || !*s0(v800) || !*s0(vx1000))
		return SOAP_OK;
	if (count > FINDUSER_MAX)
		count = FINDUSER_MAX;
	found = calloc(FINDUSER_MAX, sizeof(*found));
	if (!found)
		return SOAP_EOM;
	sim_lock(ctx->sim);
	if (!tree_passive(ctx->pbx))
		n = lookup_find_users(ctx->pbx, s0(cn), s0(h323), s0(e164), count, next != 0,
				      nohide, found, FINDUSER_MAX);
	for (size_t i = 0; i < n; i++) {
		struct sim_event *ev = event_new(SIM_EV_USER);

		if (!ev)
			break;
		record_userinfo(ctx->pbx, found[i], true, &ev->u.user);
		*tail = ev;
		tail = &ev->next;
	}
	sim_unlock(ctx->sim);
	free(found);
	if (list)
		r->return_ = conv_user_array(soap, list);
	event_list_free(list);
	sim_log(ctx->sim, "%s: FindUser(cn='%s', h323='%s', e164='%s', count=%d, next=%d) -> %zu",
		ctx->pbx->name, s0(cn), s0(h323), s0(e164), count, next, n);
	return SOAP_OK;
}

int inno__LocationUrl(struct soap *soap, enum xsd__boolean v501, enum xsd__boolean v700,
		      enum xsd__boolean v800, enum xsd__boolean vx1000, char *loc,
		      enum xsd__boolean tls, struct inno__LocationUrlResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	char url[SIM_STR + 96];

	(void)v501;
	(void)v700;
	(void)v800;
	(void)vx1000;
	(void)tls;
	sim_lock(ctx->sim);
	tree_location_url(ctx->pbx, loc, url, sizeof(url));
	sim_unlock(ctx->sim);
	/* pbxsim serves plain HTTP only, so tls does not change the scheme. */
	r->return_ = conv_str(soap, url);
	sim_log(ctx->sim, "%s: LocationUrl('%s') -> '%s'", ctx->pbx->name, s0(loc), url);
	return SOAP_OK;
}

int inno__Devices(struct soap *soap, int session, char *user, struct inno__DevicesResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	struct sim_device devs[SIM_MAX_DEVICES];
	size_t n = 0;
	struct sim_session *s;
	struct sim_object *o;

	sim_lock(ctx->sim);
	s = session_get(ctx->pbx, session);
	if (s)
		sim_conn_touch(ctx->conn, s);
	o = s ? model_find_cn(ctx->pbx, s0(user)) : NULL;
	if (o) {
		n = o->ndevices;
		memcpy(devs, o->devices, n * sizeof(devs[0]));
	}
	sim_unlock(ctx->sim);
	if (!s)
		return soap_sender_fault(soap, "invalid session", NULL);
	r->return_ = soap_malloc(soap, sizeof(*r->return_));
	if (!r->return_)
		return SOAP_EOM;
	r->return_->__size = 0;
	r->return_->__ptritem = n ? soap_malloc(soap, n * sizeof(void *)) : NULL;
	for (size_t i = 0; r->return_->__ptritem && i < n; i++) {
		struct inno__Device *d = soap_malloc(soap, sizeof(*d));

		if (!d)
			break;
		d->hw = conv_str(soap, devs[i].hw);
		d->text = conv_str(soap, devs[i].text);
		r->return_->__ptritem[r->return_->__size++] = d;
	}
	return SOAP_OK;
}

int inno__Calls(struct soap *soap, int session, char *user, struct inno__CallsResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	struct sim_event *list = NULL;
	struct sim_session *s;
	struct sim_object *o;

	sim_lock(ctx->sim);
	s = session_get(ctx->pbx, session);
	if (s)
		sim_conn_touch(ctx->conn, s);
	o = s ? model_find_cn(ctx->pbx, s0(user)) : NULL;
	if (o)
		list = lookup_calls_of(ctx->pbx, o);
	sim_unlock(ctx->sim);
	if (!s)
		return soap_sender_fault(soap, "invalid session", NULL);
	r->return_ = list ? conv_call_array(soap, list) : conv_empty_calls(soap);
	event_list_free(list);
	return SOAP_OK;
}

int inno__SetPresence(struct soap *soap, struct inno__Presence *presence, enum xsd__boolean im,
		      char *contact, char *guid, char *h323, struct inno__SetPresenceResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	struct sim_object *o;

	(void)im;
	sim_lock(ctx->sim);
	o = tree_passive(ctx->pbx) ? NULL : lookup_presence_target(ctx->pbx, s0(guid), s0(h323));
	r->return_ = 0;
	if (o && presence) {
		sim_strlcpy(o->presence.status, s0(presence->status), sizeof(o->presence.status));
		sim_strlcpy(o->presence.activity, s0(presence->activity),
			    sizeof(o->presence.activity));
		sim_strlcpy(o->presence.note, s0(presence->note), sizeof(o->presence.note));
		session_emit_userinfo(ctx->pbx, o, true);
		r->return_ = 1;
	}
	sim_unlock(ctx->sim);
	sim_log(ctx->sim, "%s: SetPresence(guid='%s', h323='%s', contact='%s') -> %d",
		ctx->pbx->name, s0(guid), s0(h323), s0(contact), r->return_);
	return SOAP_OK;
}

int inno__Admin(struct soap *soap, char *xml, struct inno__AdminResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	char *ans;

	if (!ctx->admin)
		return soap_sender_fault(soap, "Admin needs an administrator login", NULL);
	sim_lock(ctx->sim);
	ans = admin_exec(ctx->pbx, s0(xml));
	sim_unlock(ctx->sim);
	if (!ans)
		return SOAP_EOM;
	r->return_ = conv_str(soap, ans);
	sim_log(ctx->sim, "%s: Admin(%s) -> %s", ctx->pbx->name, s0(xml), ans);
	free(ans);
	return SOAP_OK;
}
