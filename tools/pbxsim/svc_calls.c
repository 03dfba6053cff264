/* pbxsim SOAP operations: call control (pbx-soap-api.md §6.1). */
#include <string.h>

#include "base/error.h"
#include "call_ops.h"
#include "calls.h"
#include "session.h"
#include "simlog.h"
#include "soap_glue.h"
#include "svc_convert.h"
#include "tree.h"

#define CTX(soap) ((struct svc_ctx *)(soap)->user)

static const char *s0(const char *s)
{
	return s ? s : "";
}

/* The object behind a user handle (NULL when unknown/expired). */
static struct sim_user_handle *user_of(struct svc_ctx *ctx, int user)
{
	struct sim_session *s = NULL;
	struct sim_user_handle *u = session_find_user(ctx->pbx, user, &s);

	if (u)
		sim_conn_touch(ctx->conn, s);
	return u;
}

/* Same, for call control: only at the user's registration PBX (or its
 * standby), as call control must run there (pbx-soap-api.md §4.3). */
static struct sim_user_handle *home_user_of(struct svc_ctx *ctx, int user)
{
	struct sim_user_handle *u = user_of(ctx, user);

	if (u && u->obj->home && u->obj->home != tree_identity(ctx->pbx)) {
		sim_log(ctx->sim, "%s: user %d ('%s') is registered at %s, not here", ctx->pbx->name,
			user, u->obj->cn, u->obj->home->name);
		return NULL;
	}
	return u;
}

int inno__UserCall(struct soap *soap, int user, char *cn, char *e164, char *h323, int reg,
		   struct InfoArray *info, int rc, char *srce164, struct inno__UserCallResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	struct sim_user_handle *u;
	int simcall = 0, handle = 0, err = TSP8_ENOTFOUND;
	const char *number = e164 && *e164 ? e164 : s0(h323);

	(void)reg;
	(void)info;
	sim_lock(ctx->sim);
	u = home_user_of(ctx, user);
	if (u)
		err = calls_place(ctx->pbx, u->obj, u->hw, s0(cn), number, rc, &simcall, &handle);
	r->return_ = err == TSP8_OK ? handle : 0;
	sim_unlock(ctx->sim);
	sim_log(ctx->sim, "%s: UserCall(user %d, cn='%s', e164='%s', h323='%s', rc=%d%s%s) -> %d",
		ctx->pbx->name, user, s0(cn), s0(e164), s0(h323), rc, srce164 && *srce164 ?
		", srce164=" : "", s0(srce164), r->return_);
	return SOAP_OK;
}

/* Runs fn on the call of leg `call`; logs the outcome. */
#define WITH_LEG(ctx, call, body)                                                   \
	do {                                                                        \
		int idx_;                                                           \
		struct sim_call *c_;                                                \
		sim_lock((ctx)->sim);                                               \
		c_ = calls_by_leg((ctx)->pbx, (call), &idx_);                       \
		if (c_) {                                                           \
			body;                                                       \
		}                                                                   \
		sim_unlock((ctx)->sim);                                             \
		if (!c_)                                                            \
			sim_log((ctx)->sim, "%s: %s: no call %d", (ctx)->pbx->name, \
				__func__, (call));                                  \
	} while (0)

int inno__UserClear(struct soap *soap, int call, int cause, struct InfoArray *info,
		    struct inno__UserClearResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	(void)info;
	(void)r;
	WITH_LEG(ctx, call, calls_release(c_, idx_, cause));
	return SOAP_OK;
}

int inno__UserConnect(struct soap *soap, int call, struct inno__UserConnectResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	(void)r;
	WITH_LEG(ctx, call, calls_answer(c_, idx_));
	return SOAP_OK;
}

int inno__UserHold(struct soap *soap, int call, enum xsd__boolean remote,
		   struct inno__UserHoldResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	(void)r;
	(void)remote;
	WITH_LEG(ctx, call, calls_hold(c_, idx_, true));
	return SOAP_OK;
}

int inno__UserRetrieve(struct soap *soap, int call, struct inno__UserRetrieveResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	(void)r;
	WITH_LEG(ctx, call, calls_hold(c_, idx_, false));
	return SOAP_OK;
}

int inno__UserTransfer(struct soap *soap, int a, int b, struct inno__UserTransferResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	int rc;

	(void)r;
	sim_lock(ctx->sim);
	rc = ops_transfer(ctx->pbx, a, b);
	sim_unlock(ctx->sim);
	if (rc != TSP8_OK)
		sim_log(ctx->sim, "%s: UserTransfer(%d, %d): not two calls of one user",
			ctx->pbx->name, a, b);
	return SOAP_OK;
}

int inno__UserCtComplete(struct soap *soap, int call, char *e164, char *h323,
			 struct inno__UserCtCompleteResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	(void)r;
	sim_lock(ctx->sim);
	ops_ct_complete(ctx->pbx, call, s0(e164), s0(h323));
	sim_unlock(ctx->sim);
	return SOAP_OK;
}

int inno__UserRedirect(struct soap *soap, int call, char *cn, char *e164, char *h323,
		       struct InfoArray *info, int rc, struct inno__UserRedirectResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	(void)info;
	(void)rc;
	sim_lock(ctx->sim);
	r->return_ = conv_bool(ops_redirect(ctx->pbx, call, s0(cn), s0(e164), s0(h323), false));
	sim_unlock(ctx->sim);
	return SOAP_OK;
}

int inno__UserReroute(struct soap *soap, int call, char *cn, char *e164, char *h323,
		      struct InfoArray *info, struct inno__UserRerouteResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	(void)info;
	sim_lock(ctx->sim);
	r->return_ = conv_bool(ops_redirect(ctx->pbx, call, s0(cn), s0(e164), s0(h323), true));
	sim_unlock(ctx->sim);
	return SOAP_OK;
}

int inno__UserPickup(struct soap *soap, int user, char *cn, int call, char *group, int reg,
		     struct InfoArray *info, struct inno__UserPickupResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	struct sim_user_handle *u;

	(void)reg;
	(void)info;
	sim_lock(ctx->sim);
	u = home_user_of(ctx, user);
	r->return_ = u ? ops_pickup(ctx->pbx, u->obj, u->hw, s0(cn), call, s0(group)) : 0;
	sim_unlock(ctx->sim);
	sim_log(ctx->sim, "%s: UserPickup(user %d, cn='%s', call %d, group='%s') -> %d",
		ctx->pbx->name, user, s0(cn), call, s0(group), r->return_);
	return SOAP_OK;
}

int inno__UserPark(struct soap *soap, int call, char *cn, int position,
		   struct inno__UserParkResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	sim_lock(ctx->sim);
	r->return_ = ops_park(ctx->pbx, call, s0(cn), position);
	sim_unlock(ctx->sim);
	return SOAP_OK;
}

int inno__UserRc(struct soap *soap, int call, int rc, struct inno__UserRcResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	(void)r;
	sim_lock(ctx->sim);
	ops_rc(ctx->pbx, call, rc);
	sim_unlock(ctx->sim);
	return SOAP_OK;
}

int inno__UserDTMF(struct soap *soap, int call, enum xsd__boolean recv, char *dtmf,
		   struct inno__UserDTMFResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	(void)r;
	sim_lock(ctx->sim);
	ops_dtmf(ctx->pbx, call, recv, s0(dtmf));
	sim_unlock(ctx->sim);
	return SOAP_OK;
}

int inno__UserUUI(struct soap *soap, int call, enum xsd__boolean recv, char *uui,
		  struct inno__UserUUIResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);

	(void)r;
	sim_lock(ctx->sim);
	ops_uui(ctx->pbx, call, recv, s0(uui));
	sim_unlock(ctx->sim);
	return SOAP_OK;
}

int inno__UserMessage(struct soap *soap, int user, char *e164, char *h323, char *msg,
		      char *src_USCOREe164, char *src_USCOREh323,
		      struct inno__UserMessageResponse *r)
{
	struct svc_ctx *ctx = CTX(soap);
	struct sim_user_handle *u;

	sim_lock(ctx->sim);
	u = home_user_of(ctx, user);
	r->return_ = u ? ops_message(ctx->pbx, u->obj, s0(e164), s0(h323), s0(msg),
				     s0(src_USCOREe164), s0(src_USCOREh323))
		       : 0;
	sim_unlock(ctx->sim);
	return SOAP_OK;
}
