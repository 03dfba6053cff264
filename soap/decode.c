/* Response parsing: the shared receive sequence and the decoders of scalar
 * results (void, int, bool, string, Initialize).
 *
 * The input is copied into the codec (and its array attributes neutralized,
 * see codec_xml.c), then gSOAP reads it through the frecv callback.  The
 * generated soap_recv_* functions of rpc operations accept any response element
 * name, so codec_recv_begin checks the name itself. */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "soap/soap_internal.h"

/* Copies xml into the codec's reusable input buffer. */
static int load_input(struct pbx_codec *cx, const char *xml, size_t len, enum pbx_op op)
{
	if (len > cx->in_cap) {
		char *p = realloc(cx->in, len);

		if (!p)
			return TSP8_ENOMEM;
		cx->in = p;
		cx->in_cap = len;
	}
	if (len)
		memcpy(cx->in, xml, len);
	cx->in_len = len;
	cx->in_pos = 0;
	/* the cut first: the array it removes need not be scanned twice */
	if (op == PBX_OP_POLL && cx->drop_poll_users)
		cx->in_len = len = codec_xml_cut_poll_users(cx->in, len);
	codec_xml_neutralize_arrays(cx->in, len);
	return TSP8_OK;
}

/* Local part of a qualified XML name. */
static const char *local_name(const char *tag)
{
	const char *colon = strrchr(tag, ':');

	return colon ? colon + 1 : tag;
}

/* Is tag "<op name>Response", whatever its prefix? */
static int is_response_of(const char *tag, enum pbx_op op)
{
	const char *name = pbx_op_name(op), *local = local_name(tag);
	size_t n = strlen(name);

	return strncmp(local, name, n) == 0 && strcmp(local + n, "Response") == 0;
}

int codec_recv_begin(struct pbx_codec *cx, const char *xml, size_t len, enum pbx_op op, struct pbx_err *err)
{
	struct soap *soap;
	int rc;

	if (err)
		err->msg[0] = '\0';
	if (!cx || (!xml && len) || (unsigned)op >= PBX_OP_COUNT)
		return codec_fail(err, TSP8_EINVAL, "invalid argument");
	soap = cx->soap;
	codec_clean(cx);
	cx->dirty = true;
	rc = load_input(cx, xml, len, op);
	if (rc != TSP8_OK)
		return codec_fail(err, rc, "out of memory");
	if (soap_begin_recv(soap) || soap_envelope_begin_in(soap) || soap_recv_header(soap) ||
	    soap_body_begin_in(soap))
		return codec_error(cx, err);
	if (soap_peek_element(soap))
		return codec_fail(err, TSP8_EPROTO, "SOAP body holds no %sResponse element", pbx_op_name(op));
	/* A Fault in place of the response: parsed, reported as TSP8_EFAULT. */
	if (!soap_match_tag(soap, soap->tag, "SOAP-ENV:Fault"))
		return codec_fault(cx, err);
	if (!is_response_of(soap->tag, op))
		return codec_fail(err, TSP8_EPROTO, "unexpected element <%.80s> instead of %sResponse", soap->tag,
				  pbx_op_name(op));
	return TSP8_OK;
}

int codec_recv_end(struct pbx_codec *cx, struct pbx_err *err)
{
	struct soap *soap = cx->soap;

	if (soap->error || soap_body_end_in(soap) || soap_envelope_end_in(soap) || soap_end_recv(soap))
		return codec_error(cx, err);
	return TSP8_OK;
}

void codec_recv_release(struct pbx_codec *cx)
{
	soap_end(cx->soap);   /* soap_free_temp included */
	cx->dirty = false;
}

/* Begin + the given getter + end, releasing gSOAP's data on failure.
 * Leaves the decoded data in place on success (caller copies, then
 * releases). */
#define RECV(cx, xml, len, op, err, get_expr) \
	do { \
		int rc_ = codec_recv_begin((cx), (xml), (len), (op), (err)); \
		if (rc_ == TSP8_OK) { \
			(void)(get_expr); \
			rc_ = codec_recv_end((cx), (err)); \
		} \
		if (rc_ != TSP8_OK) { \
			codec_recv_release(cx); \
			return rc_; \
		} \
	} while (0)

int pbx_dec_void(struct pbx_codec *cx, const char *xml, size_t len, enum pbx_op op, struct pbx_err *err)
{
	/* Whatever the response carries is skipped. */
	RECV(cx, xml, len, op, err, soap_ignore_element(cx->soap));
	codec_recv_release(cx);
	return TSP8_OK;
}

int pbx_dec_int(struct pbx_codec *cx, const char *xml, size_t len, enum pbx_op op, int *ret, struct pbx_err *err)
{
	struct soap *soap;
	int value = 0;

	if (err)
		err->msg[0] = '\0';
	if (!cx || !ret)
		return codec_fail(err, TSP8_EINVAL, "invalid argument");
	soap = cx->soap;
	switch (op) {
	case PBX_OP_ECHO: {
		struct innob__EchoResponse r;
		RECV(cx, xml, len, op, err, soap_get_innob__EchoResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	case PBX_OP_USER_INITIALIZE: {
		struct inno__UserInitializeResponse r;
		RECV(cx, xml, len, op, err, soap_get_inno__UserInitializeResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	case PBX_OP_USER_CALL: {
		struct inno__UserCallResponse r;
		RECV(cx, xml, len, op, err, soap_get_inno__UserCallResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	case PBX_OP_USER_PICKUP: {
		struct inno__UserPickupResponse r;
		RECV(cx, xml, len, op, err, soap_get_inno__UserPickupResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	case PBX_OP_USER_PARK: {
		struct inno__UserParkResponse r;
		RECV(cx, xml, len, op, err, soap_get_inno__UserParkResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	case PBX_OP_USER_MESSAGE: {
		struct inno__UserMessageResponse r;
		RECV(cx, xml, len, op, err, soap_get_inno__UserMessageResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	case PBX_OP_SET_PRESENCE: {
		struct inno__SetPresenceResponse r;
		RECV(cx, xml, len, op, err, soap_get_inno__SetPresenceResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	default:
		return codec_fail(err, TSP8_EINVAL, "%s has no int result", pbx_op_name(op));
	}
	codec_recv_release(cx);
	*ret = value;
	return TSP8_OK;
}

int pbx_dec_bool(struct pbx_codec *cx, const char *xml, size_t len, enum pbx_op op, bool *ret, struct pbx_err *err)
{
	struct soap *soap;
	enum xsd__boolean value = xsd__boolean__false_;

	if (err)
		err->msg[0] = '\0';
	if (!cx || !ret)
		return codec_fail(err, TSP8_EINVAL, "invalid argument");
	soap = cx->soap;
	switch (op) {
	case PBX_OP_USER_REDIRECT: {
		struct inno__UserRedirectResponse r;
		RECV(cx, xml, len, op, err, soap_get_inno__UserRedirectResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	case PBX_OP_USER_REROUTE: {
		struct inno__UserRerouteResponse r;
		RECV(cx, xml, len, op, err, soap_get_inno__UserRerouteResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	default:
		return codec_fail(err, TSP8_EINVAL, "%s has no bool result", pbx_op_name(op));
	}
	codec_recv_release(cx);
	*ret = value == xsd__boolean__true_;
	return TSP8_OK;
}

int pbx_dec_string(struct pbx_codec *cx, const char *xml, size_t len, enum pbx_op op, char **ret,
		   struct pbx_err *err)
{
	struct soap *soap;
	const char *value = NULL;
	char *copy;

	if (err)
		err->msg[0] = '\0';
	if (!cx || !ret)
		return codec_fail(err, TSP8_EINVAL, "invalid argument");
	soap = cx->soap;
	switch (op) {
	case PBX_OP_LOCATION_URL: {
		struct inno__LocationUrlResponse r;
		RECV(cx, xml, len, op, err, soap_get_inno__LocationUrlResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	case PBX_OP_ADMIN: {
		struct inno__AdminResponse r;
		RECV(cx, xml, len, op, err, soap_get_inno__AdminResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	case PBX_OP_USER_LOCAL_NUM: {
		struct inno__UserLocalNumResponse r;
		RECV(cx, xml, len, op, err, soap_get_inno__UserLocalNumResponse(soap, &r, "", NULL));
		value = r.return_;
		break;
	}
	default:
		return codec_fail(err, TSP8_EINVAL, "%s has no string result", pbx_op_name(op));
	}
	/* Copy out of gSOAP's memory before releasing it; absent -> "",
	 * invalid UTF-8 replaced (codec_utf8.c). */
	if (!value)
		value = "";
	copy = malloc(codec_utf8_clean_len(value) + 1);
	if (copy)
		codec_utf8_clean(copy, value);
	codec_recv_release(cx);
	if (!copy)
		return codec_fail(err, TSP8_ENOMEM, "out of memory");
	*ret = copy;
	return TSP8_OK;
}

int pbx_dec_initialize(struct pbx_codec *cx, const char *xml, size_t len, int *session, int *key,
		       struct pbx_err *err)
{
	struct inno__InitializeResponse r;

	if (err)
		err->msg[0] = '\0';
	if (!cx || !session || !key)
		return codec_fail(err, TSP8_EINVAL, "invalid argument");
	RECV(cx, xml, len, PBX_OP_INITIALIZE, err, soap_get_inno__InitializeResponse(cx->soap, &r, "", NULL));
	codec_recv_release(cx);
	*session = r.return_;
	*key = r.key;
	return TSP8_OK;
}
