/* pbxsim SOAP glue: the generated gSOAP server code driven from memory buffers. */
#include "soap_glue.h"

#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "pbx_namespaces.h"

/* ---- memory I/O hooks ---------------------------------------------------- */

static size_t glue_recv(struct soap *soap, char *buf, size_t len)
{
	struct svc_ctx *ctx = soap->user;
	size_t n = ctx->in_len - ctx->in_pos;

	if (n > len)
		n = len;
	memcpy(buf, ctx->in + ctx->in_pos, n);
	ctx->in_pos += n;
	return n;
}

static int glue_send(struct soap *soap, const char *buf, size_t len)
{
	struct svc_ctx *ctx = soap->user;

	sb_append(ctx->out, buf, len);
	return sb_failed(ctx->out) ? SOAP_EOM : SOAP_OK;
}

/* gSOAP would write the HTTP header here; httpd.c does that itself after
 * the body is complete (it may rewrite the body), so only note the status. */
static int glue_response(struct soap *soap, int status, ULONG64 count)
{
	struct svc_ctx *ctx = soap->user;

	(void)count;
	ctx->status = status;
	return SOAP_OK;
}

/* The socket belongs to httpd.c: gSOAP must never close it. */
static int glue_close(struct soap *soap)
{
	(void)soap;
	return SOAP_OK;
}

struct soap *soap_glue_new(struct svc_ctx *ctx)
{
	struct soap *soap = soap_new1(SOAP_C_UTFSTRING | SOAP_XML_TREE);

	if (!soap)
		return NULL;
	soap_set_namespaces(soap, pbx_namespaces);
	soap->user = ctx;
	soap->frecv = glue_recv;
	soap->fsend = glue_send;
	soap->fresponse = glue_response;
	soap->fclose = glue_close;
	return soap;
}

void soap_glue_free(struct soap *soap)
{
	if (!soap)
		return;
	soap_destroy(soap);
	soap_end(soap);
	soap_free(soap);
}

/* ---- Echo / UserEnd in the other namespace -------------------------------
 * The WSDL puts Echo and UserEnd in http://innovaphone/binding; clients
 * that send them in http://innovaphone.com/pbx are served too (§9.2). */

static int send_echo_response(struct soap *soap, struct innob__EchoResponse *r)
{
	soap->encodingStyle = "http://schemas.xmlsoap.org/soap/encoding/";
	soap_serializeheader(soap);
	soap_serialize_innob__EchoResponse(soap, r);
	if (soap_begin_count(soap))
		return soap->error;
	if ((soap->mode & SOAP_IO_LENGTH) &&
	    (soap_envelope_begin_out(soap) || soap_putheader(soap) || soap_body_begin_out(soap) ||
	     soap_put_innob__EchoResponse(soap, r, "innob:EchoResponse", "") ||
	     soap_body_end_out(soap) || soap_envelope_end_out(soap)))
		return soap->error;
	if (soap_end_count(soap) || soap_response(soap, SOAP_OK) ||
	    soap_envelope_begin_out(soap) || soap_putheader(soap) || soap_body_begin_out(soap) ||
	    soap_put_innob__EchoResponse(soap, r, "innob:EchoResponse", "") ||
	    soap_body_end_out(soap) || soap_envelope_end_out(soap) || soap_end_send(soap))
		return soap->error;
	return soap_closesock(soap);
}

static int serve_echo_pbx_ns(struct soap *soap)
{
	struct innob__Echo req;
	struct innob__EchoResponse r;

	soap_default_innob__Echo(soap, &req);
	soap_default_innob__EchoResponse(soap, &r);
	if (!soap_get_innob__Echo(soap, &req, "inno:Echo", NULL))
		return soap->error;
	if (soap_body_end_in(soap) || soap_envelope_end_in(soap) || soap_end_recv(soap))
		return soap->error;
	soap->error = innob__Echo(soap, req.session, req.key, &r);
	if (soap->error)
		return soap->error;
	return send_echo_response(soap, &r);
}

static int send_userend_response(struct soap *soap, struct innob__UserEndResponse *r)
{
	soap->encodingStyle = "http://schemas.xmlsoap.org/soap/encoding/";
	soap_serializeheader(soap);
	soap_serialize_innob__UserEndResponse(soap, r);
	if (soap_begin_count(soap))
		return soap->error;
	if ((soap->mode & SOAP_IO_LENGTH) &&
	    (soap_envelope_begin_out(soap) || soap_putheader(soap) || soap_body_begin_out(soap) ||
	     soap_put_innob__UserEndResponse(soap, r, "innob:UserEndResponse", "") ||
	     soap_body_end_out(soap) || soap_envelope_end_out(soap)))
		return soap->error;
	if (soap_end_count(soap) || soap_response(soap, SOAP_OK) ||
	    soap_envelope_begin_out(soap) || soap_putheader(soap) || soap_body_begin_out(soap) ||
	    soap_put_innob__UserEndResponse(soap, r, "innob:UserEndResponse", "") ||
	    soap_body_end_out(soap) || soap_envelope_end_out(soap) || soap_end_send(soap))
		return soap->error;
	return soap_closesock(soap);
}

static int serve_userend_pbx_ns(struct soap *soap)
{
	struct innob__UserEnd req;
	struct innob__UserEndResponse r;

	soap_default_innob__UserEnd(soap, &req);
	soap_default_innob__UserEndResponse(soap, &r);
	if (!soap_get_innob__UserEnd(soap, &req, "inno:UserEnd", NULL))
		return soap->error;
	if (soap_body_end_in(soap) || soap_envelope_end_in(soap) || soap_end_recv(soap))
		return soap->error;
	soap->error = innob__UserEnd(soap, req.user, &r);
	if (soap->error)
		return soap->error;
	return send_userend_response(soap, &r);
}

/* ---- one request --------------------------------------------------------- */

int soap_glue_serve(struct soap *soap, const char *body, size_t len)
{
	struct svc_ctx *ctx = soap->user;
	int err;

	ctx->in = body;
	ctx->in_len = len;
	ctx->in_pos = 0;
	ctx->status = 0;
	ctx->op[0] = '\0';
	soap_begin(soap);
	/* soap_begin_serve sends its own fault when the envelope is bad. */
	if (soap_begin_serve(soap) == SOAP_OK) {
		(void)soap_peek_element(soap);
		sim_strlcpy(ctx->op, soap->tag, sizeof(ctx->op));
		if (!soap_match_tag(soap, soap->tag, "inno:Echo"))
			err = serve_echo_pbx_ns(soap);
		else if (!soap_match_tag(soap, soap->tag, "inno:UserEnd"))
			err = serve_userend_pbx_ns(soap);
		else
			err = soap_serve_request(soap);
		if (err && soap->error && soap->error < SOAP_STOP)
			soap_send_fault(soap);
	}
	err = soap->error;
	soap_destroy(soap);
	soap_end(soap);
	return err == SOAP_OK && (ctx->status == SOAP_OK || ctx->status == 200) ? 200 : 500;
}
