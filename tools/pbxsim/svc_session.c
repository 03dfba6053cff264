/* pbxsim SOAP operations: Version, Initialize, Echo, End, Poll,
 * UserInitialize, UserEnd (pbx-soap-api.md §2, §3). */
#include <string.h>

#include "base/error.h"
#include "session.h"
#include "simlog.h"
#include "soap_glue.h"
#include "svc_convert.h"
#include "tree.h"

#define CTX(soap) ((struct svc_ctx *)(soap)->user)

int inno__Version(struct soap *soap, struct inno__VersionResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	sim_lock(ctx->sim);
	r->WSDLVersion = 1000;
	r->GatekeeperID = conv_str(soap, ctx->pbx->name);
	r->Location = conv_str(soap, ctx->pbx->location);
	r->FirmwareVersion = conv_str(soap, ctx->pbx->firmware);
	r->SerialNumber = conv_str(soap, ctx->pbx->serial);
	sim_unlock(ctx->sim);
	return SOAP_OK;
}

int inno__Initialize(struct soap *soap, char *user, char *appl, enum xsd__boolean v,
		     enum xsd__boolean v501, enum xsd__boolean v700, enum xsd__boolean v800,
		     enum xsd__boolean vx1000, struct inno__InitializeResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	bool flags = v && v501 && v700 && v800 && vx1000;
	const struct sim_object *login;

	sim_lock(ctx->sim);
	/* A user login is limited to that user (pbx-soap-api.md §1). */
	login = ctx->admin ? NULL : model_find_h323(ctx->pbx, ctx->login);
	if (!ctx->admin && (!login || !user || strcmp(login->cn, user) != 0)) {
		r->return_ = 0;
		r->key = 0;
	} else {
		r->return_ = session_initialize(ctx->pbx, ctx->conn, user ? user : "",
						appl ? appl : "", flags, &r->key);
	}
	sim_unlock(ctx->sim);
	sim_log(ctx->sim, "%s: Initialize(user='%s', appl='%s', flags=%s) -> %d key %d",
		ctx->pbx->name, user ? user : "", appl ? appl : "", flags ? "ok" : "missing",
		r->return_, r->key);
	return SOAP_OK;
}

int innob__Echo(struct soap *soap, int session, int key, struct innob__EchoResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	struct sim_session *s;

	sim_lock(ctx->sim);
	s = session_get(ctx->pbx, session);
	r->return_ = s && s->key == key ? session : 0;
	if (r->return_)
		sim_conn_touch(ctx->conn, s);
	sim_unlock(ctx->sim);
	return SOAP_OK;
}

int inno__End(struct soap *soap, int session, struct inno__EndResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	bool ok;

	(void)r;
	sim_lock(ctx->sim);
	ok = session_end(ctx->pbx, session);
	sim_unlock(ctx->sim);
	sim_log(ctx->sim, "%s: End(%d)%s", ctx->pbx->name, session, ok ? "" : ": no such session");
	return SOAP_OK;
}

int inno__Poll(struct soap *soap, int session, struct inno__PollResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	struct sim_event *list = NULL;
	int rc = session_poll(ctx->pbx, ctx->conn, session, &list);

	if (rc == TSP8_ESESSION)
		return soap_sender_fault(soap, "invalid session", NULL);
	if (rc != TSP8_OK)
		return soap_receiver_fault(soap, "connection closed", NULL);
	if (ctx->conn && ctx->conn->would_block)
		return SOAP_OK;   /* not answered here: httpd serves it again on a thread */
	r->return_ = soap_malloc(soap, sizeof(*r->return_));
	if (!r->return_) {
		event_list_free(list);
		return SOAP_EOM;
	}
	memset(r->return_, 0, sizeof(*r->return_));
	r->return_->user = conv_user_array(soap, list);
	r->return_->call = conv_call_array(soap, list);
	sim_log(ctx->sim, "%s: Poll(%d) -> %d UserInfo, %d CallInfo", ctx->pbx->name, session,
		r->return_->user ? r->return_->user->__size : 0,
		r->return_->call ? r->return_->call->__size : 0);
	event_list_free(list);
	return SOAP_OK;
}

int inno__UserInitialize(struct soap *soap, int session, char *user, enum xsd__boolean xfer,
			 enum xsd__boolean disc, char *hw, struct inno__UserInitializeResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	struct sim_session *s;

	sim_lock(ctx->sim);
	s = session_get(ctx->pbx, session);
	if (s)
		sim_conn_touch(ctx->conn, s);
	r->return_ = session_user_init(ctx->pbx, s, user ? user : "", xfer, disc, hw ? hw : "");
	sim_unlock(ctx->sim);
	sim_log(ctx->sim, "%s: UserInitialize(%d, '%s') -> %d", ctx->pbx->name, session,
		user ? user : "", r->return_);
	return SOAP_OK;
}

int innob__UserEnd(struct soap *soap, int user, struct innob__UserEndResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	bool ok;

	(void)r;
	sim_lock(ctx->sim);
	ok = session_user_end(ctx->pbx, user);
	sim_unlock(ctx->sim);
	sim_log(ctx->sim, "%s: UserEnd(%d)%s", ctx->pbx->name, user, ok ? "" : ": unknown handle");
	return SOAP_OK;
}
