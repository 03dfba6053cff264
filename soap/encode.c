/* Request serializers: one pbx_enc_* per PBX operation.
 *
 * Each call serializes one SOAP 1.1 rpc/encoded envelope into memory with
 * the generated soap_send_* function (empty endpoint: gSOAP opens no socket) and
 * hands the XML to the caller in a pbx_msg.  NULL string arguments are sent
 * as empty strings. */
#include <stdlib.h>

#include "base/error.h"
#include "soap/soap_internal.h"

/* gSOAP takes char* for input strings but never writes through them. */
static char *str_arg(const char *s)
{
	return (char *)(s ? s : "");
}

static enum xsd__boolean bool_arg(bool b)
{
	return b ? xsd__boolean__true_ : xsd__boolean__false_;
}

int codec_send_begin(struct pbx_codec *cx, struct pbx_msg *m, enum pbx_op op)
{
	if (!cx || !m)
		return TSP8_EINVAL;
	m->op = op;
	m->body = NULL;
	m->len = 0;
	codec_clean(cx);
	cx->dirty = true;
	cx->out_len = 0;
	return TSP8_OK;
}

int codec_send_end(struct pbx_codec *cx, struct pbx_msg *m, int gerr)
{
	int rc = TSP8_OK;

	if (gerr == SOAP_EOM)
		rc = TSP8_ENOMEM;
	else if (gerr != SOAP_OK || !cx->out)
		rc = TSP8_EPROTO;
	soap_end(cx->soap);
	cx->dirty = false;
	if (rc != TSP8_OK) {
		cx->out_len = 0;
		return rc;
	}
	/* The capture buffer becomes the message body; the next request starts
	 * a new one. */
	m->body = cx->out;
	m->len = cx->out_len;
	cx->out = NULL;
	cx->out_len = 0;
	cx->out_cap = 0;
	return TSP8_OK;
}

void pbx_msg_free(struct pbx_msg *m)
{
	if (!m)
		return;
	free(m->body);
	m->body = NULL;
	m->len = 0;
}

/* Runs one generated soap_send_* expression between begin and end. */
#define ENCODE(cx, m, op, send_expr) \
	do { \
		int rc_ = codec_send_begin((cx), (m), (op)); \
		if (rc_ != TSP8_OK) \
			return rc_; \
		return codec_send_end((cx), (m), (send_expr)); \
	} while (0)

/* The ignored InfoArray parameters (UserCall, UserClear, ...) are sent as
 * empty arrays.  A non-NULL item pointer makes gSOAP write the
 * SOAP-ENC:arrayType="inno:Info[0]" attribute an rpc/encoded peer expects. */
#define EMPTY_INFO(name) \
	struct inno__Info *name##_none = NULL; \
	struct InfoArray name = { &name##_none, 0 }

int pbx_enc_version(struct pbx_codec *cx, struct pbx_msg *m)
{
	ENCODE(cx, m, PBX_OP_VERSION, soap_send_inno__Version(cx->soap, "", NULL));
}

/* All version flags true: the pbx10_00 interface (facts sheet §2). */
int pbx_enc_initialize(struct pbx_codec *cx, struct pbx_msg *m, const char *user, const char *appl)
{
	const enum xsd__boolean t = xsd__boolean__true_;

	ENCODE(cx, m, PBX_OP_INITIALIZE,
	       soap_send_inno__Initialize(cx->soap, "", NULL, str_arg(user), str_arg(appl), t, t, t, t, t));
}

int pbx_enc_echo(struct pbx_codec *cx, struct pbx_msg *m, int session, int key)
{
	ENCODE(cx, m, PBX_OP_ECHO, soap_send_innob__Echo(cx->soap, "", NULL, session, key));
}

int pbx_enc_end(struct pbx_codec *cx, struct pbx_msg *m, int session)
{
	ENCODE(cx, m, PBX_OP_END, soap_send_inno__End(cx->soap, "", NULL, session));
}

int pbx_enc_poll(struct pbx_codec *cx, struct pbx_msg *m, int session)
{
	ENCODE(cx, m, PBX_OP_POLL, soap_send_inno__Poll(cx->soap, "", NULL, session));
}

int pbx_enc_user_initialize(struct pbx_codec *cx, struct pbx_msg *m, int session, const char *user,
			    bool xfer, bool disc, const char *hw)
{
	ENCODE(cx, m, PBX_OP_USER_INITIALIZE,
	       soap_send_inno__UserInitialize(cx->soap, "", NULL, session, str_arg(user), bool_arg(xfer),
					      bool_arg(disc), str_arg(hw)));
}

int pbx_enc_user_end(struct pbx_codec *cx, struct pbx_msg *m, int user)
{
	ENCODE(cx, m, PBX_OP_USER_END, soap_send_innob__UserEnd(cx->soap, "", NULL, user));
}

/* reg is unused by the PBX and sent as 0. */
int pbx_enc_user_call(struct pbx_codec *cx, struct pbx_msg *m, int user, const char *cn, const char *e164,
		      const char *h323, int rc, const char *srce164)
{
	EMPTY_INFO(info);

	ENCODE(cx, m, PBX_OP_USER_CALL,
	       soap_send_inno__UserCall(cx->soap, "", NULL, user, str_arg(cn), str_arg(e164), str_arg(h323), 0,
					&info, rc, str_arg(srce164)));
}

int pbx_enc_user_clear(struct pbx_codec *cx, struct pbx_msg *m, int call, int cause)
{
	EMPTY_INFO(info);

	ENCODE(cx, m, PBX_OP_USER_CLEAR, soap_send_inno__UserClear(cx->soap, "", NULL, call, cause, &info));
}

int pbx_enc_user_connect(struct pbx_codec *cx, struct pbx_msg *m, int call)
{
	ENCODE(cx, m, PBX_OP_USER_CONNECT, soap_send_inno__UserConnect(cx->soap, "", NULL, call));
}

int pbx_enc_user_hold(struct pbx_codec *cx, struct pbx_msg *m, int call, bool remote)
{
	ENCODE(cx, m, PBX_OP_USER_HOLD, soap_send_inno__UserHold(cx->soap, "", NULL, call, bool_arg(remote)));
}

int pbx_enc_user_retrieve(struct pbx_codec *cx, struct pbx_msg *m, int call)
{
	ENCODE(cx, m, PBX_OP_USER_RETRIEVE, soap_send_inno__UserRetrieve(cx->soap, "", NULL, call));
}

int pbx_enc_user_transfer(struct pbx_codec *cx, struct pbx_msg *m, int a, int b)
{
	ENCODE(cx, m, PBX_OP_USER_TRANSFER, soap_send_inno__UserTransfer(cx->soap, "", NULL, a, b));
}

int pbx_enc_user_ct_complete(struct pbx_codec *cx, struct pbx_msg *m, int call, const char *e164, const char *h323)
{
	ENCODE(cx, m, PBX_OP_USER_CT_COMPLETE,
	       soap_send_inno__UserCtComplete(cx->soap, "", NULL, call, str_arg(e164), str_arg(h323)));
}

int pbx_enc_user_redirect(struct pbx_codec *cx, struct pbx_msg *m, int call, const char *cn, const char *e164,
			  const char *h323, int rc)
{
	EMPTY_INFO(info);

	ENCODE(cx, m, PBX_OP_USER_REDIRECT,
	       soap_send_inno__UserRedirect(cx->soap, "", NULL, call, str_arg(cn), str_arg(e164), str_arg(h323),
					    &info, rc));
}

int pbx_enc_user_reroute(struct pbx_codec *cx, struct pbx_msg *m, int call, const char *cn, const char *e164,
			 const char *h323)
{
	EMPTY_INFO(info);

	ENCODE(cx, m, PBX_OP_USER_REROUTE,
	       soap_send_inno__UserReroute(cx->soap, "", NULL, call, str_arg(cn), str_arg(e164), str_arg(h323),
					   &info));
}

/* reg and info are ignored by the PBX: sent as 0 and an empty array. */
int pbx_enc_user_pickup(struct pbx_codec *cx, struct pbx_msg *m, int user, const char *cn, int call,
			const char *group)
{
	EMPTY_INFO(info);

	ENCODE(cx, m, PBX_OP_USER_PICKUP,
	       soap_send_inno__UserPickup(cx->soap, "", NULL, user, str_arg(cn), call, str_arg(group), 0, &info));
}

int pbx_enc_user_park(struct pbx_codec *cx, struct pbx_msg *m, int call, const char *cn, int position)
{
	ENCODE(cx, m, PBX_OP_USER_PARK, soap_send_inno__UserPark(cx->soap, "", NULL, call, str_arg(cn), position));
}

int pbx_enc_user_rc(struct pbx_codec *cx, struct pbx_msg *m, int call, int rc)
{
	ENCODE(cx, m, PBX_OP_USER_RC, soap_send_inno__UserRc(cx->soap, "", NULL, call, rc));
}

int pbx_enc_user_dtmf(struct pbx_codec *cx, struct pbx_msg *m, int call, bool recv, const char *dtmf)
{
	ENCODE(cx, m, PBX_OP_USER_DTMF,
	       soap_send_inno__UserDTMF(cx->soap, "", NULL, call, bool_arg(recv), str_arg(dtmf)));
}

int pbx_enc_user_uui(struct pbx_codec *cx, struct pbx_msg *m, int call, bool recv, const char *uui)
{
	ENCODE(cx, m, PBX_OP_USER_UUI, soap_send_inno__UserUUI(cx->soap, "", NULL, call, bool_arg(recv), str_arg(uui)));
}

int pbx_enc_user_message(struct pbx_codec *cx, struct pbx_msg *m, int user, const char *e164, const char *h323,
			 const char *msg, const char *src_e164, const char *src_h323)
{
	ENCODE(cx, m, PBX_OP_USER_MESSAGE,
	       soap_send_inno__UserMessage(cx->soap, "", NULL, user, str_arg(e164), str_arg(h323), str_arg(msg),
					   str_arg(src_e164), str_arg(src_h323)));
}

int pbx_enc_user_local_num(struct pbx_codec *cx, struct pbx_msg *m, int user, const char *num)
{
	ENCODE(cx, m, PBX_OP_USER_LOCAL_NUM, soap_send_inno__UserLocalNum(cx->soap, "", NULL, user, str_arg(num)));
}

int pbx_enc_user_find_destination(struct pbx_codec *cx, struct pbx_msg *m, int user, const char *e164,
				  const char *h323)
{
	ENCODE(cx, m, PBX_OP_USER_FIND_DESTINATION,
	       soap_send_inno__UserFindDestination(cx->soap, "", NULL, user, str_arg(e164), str_arg(h323)));
}

/* The four version strings only have to be non-empty (facts sheet §6.4). */
int pbx_enc_find_user(struct pbx_codec *cx, struct pbx_msg *m, const char *cn, const char *h323,
		      const char *e164, int count, bool next, bool nohide)
{
	char *v = str_arg("true");

	ENCODE(cx, m, PBX_OP_FIND_USER,
	       soap_send_inno__FindUser(cx->soap, "", NULL, v, v, v, v, str_arg(cn), str_arg(h323), str_arg(e164),
					count, next ? 1 : 0, bool_arg(nohide)));
}

int pbx_enc_location_url(struct pbx_codec *cx, struct pbx_msg *m, const char *loc, bool tls)
{
	const enum xsd__boolean t = xsd__boolean__true_;

	ENCODE(cx, m, PBX_OP_LOCATION_URL,
	       soap_send_inno__LocationUrl(cx->soap, "", NULL, t, t, t, t, str_arg(loc), bool_arg(tls)));
}

int pbx_enc_devices(struct pbx_codec *cx, struct pbx_msg *m, int session, const char *user)
{
	ENCODE(cx, m, PBX_OP_DEVICES, soap_send_inno__Devices(cx->soap, "", NULL, session, str_arg(user)));
}

int pbx_enc_calls(struct pbx_codec *cx, struct pbx_msg *m, int session, const char *user)
{
	ENCODE(cx, m, PBX_OP_CALLS, soap_send_inno__Calls(cx->soap, "", NULL, session, str_arg(user)));
}

/* Empty status/activity/note are left out rather than sent empty: the PBX
 * types status and activity as enumerations, where "" is not a value. */
static char *opt_arg(const char *s)
{
	return s && *s ? (char *)s : NULL;
}

int pbx_enc_set_presence(struct pbx_codec *cx, struct pbx_msg *m, const struct pbx_presence *p, bool im,
			 const char *contact, const char *guid, const char *h323)
{
	struct inno__Presence pr;

	if (!p)
		return TSP8_EINVAL;
	pr.status = opt_arg(p->status);
	pr.activity = opt_arg(p->activity);
	pr.note = opt_arg(p->note);
	ENCODE(cx, m, PBX_OP_SET_PRESENCE,
	       soap_send_inno__SetPresence(cx->soap, "", NULL, &pr, bool_arg(im), str_arg(contact), str_arg(guid),
					   str_arg(h323)));
}

int pbx_enc_admin(struct pbx_codec *cx, struct pbx_msg *m, const char *xml)
{
	ENCODE(cx, m, PBX_OP_ADMIN, soap_send_inno__Admin(cx->soap, "", NULL, str_arg(xml)));
}
