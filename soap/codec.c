/* The codec object: one gSOAP context used as a pure (de)serializer.
 *
 * gSOAP performs no I/O: its fsend callback appends to a memory buffer and
 * its frecv callback reads from one (see windows-build.md, "gSOAP only as
 * (de)serializer").  The context is reused for every message; soap_end
 * releases a message's data before the next one. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "pbx_namespaces.h"
#include "soap/soap_internal.h"

/* gSOAP output callback: append to cx->out, growing it geometrically. */
static int codec_fsend(struct soap *soap, const char *s, size_t n)
{
	struct pbx_codec *cx = soap->user;
	size_t need;

	if (n > SIZE_MAX - cx->out_len - 1)
		return soap->error = SOAP_EOM;
	need = cx->out_len + n + 1;
	if (need > cx->out_cap) {
		size_t cap = cx->out_cap ? cx->out_cap : 1024;
		char *p;

		while (cap < need)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
		p = realloc(cx->out, cap);
		if (!p)
			return soap->error = SOAP_EOM;
		cx->out = p;
		cx->out_cap = cap;
	}
	memcpy(cx->out + cx->out_len, s, n);
	cx->out_len += n;
	cx->out[cx->out_len] = '\0';
	return SOAP_OK;
}

/* gSOAP input callback: hand out the rest of cx->in; 0 means end of input. */
static size_t codec_frecv(struct soap *soap, char *s, size_t n)
{
	struct pbx_codec *cx = soap->user;
	size_t left = cx->in_len - cx->in_pos;

	if (n > left)
		n = left;
	if (n == 0)
		return 0;
	memcpy(s, cx->in + cx->in_pos, n);
	cx->in_pos += n;
	return n;
}

int pbx_codec_create(struct pbx_codec **out)
{
	struct pbx_codec *cx;

	if (!out)
		return TSP8_EINVAL;
	cx = calloc(1, sizeof(*cx));
	if (!cx)
		return TSP8_ENOMEM;
	/* UTF-8 char* in both directions; no HTTP framing (libcurl does it). */
	cx->soap = soap_new1(SOAP_C_UTFSTRING | SOAP_ENC_PLAIN);
	if (!cx->soap) {
		free(cx);
		return TSP8_ENOMEM;
	}
	/* Output as a tree: no id/href multi-references even when two
	 * parameters share one pointer (PBXs need not resolve href). */
	soap_set_omode(cx->soap, SOAP_XML_TREE);
	if (soap_set_namespaces(cx->soap, pbx_namespaces) != SOAP_OK) {
		soap_free(cx->soap);
		free(cx);
		return TSP8_ENOMEM;
	}
	cx->soap->user = cx;
	cx->soap->fsend = codec_fsend;
	cx->soap->frecv = codec_frecv;
	/* No standard streams: on Windows, gSOAP _setmode()s recvfd/sendfd
	 * (default 0/1) at every message without a socket, and msvcrt's
	 * _setmode waits for the descriptor's lock, which a thread blocked
	 * reading stdin holds.  The I/O is ours (frecv/fsend). */
	cx->soap->recvfd = -1;
	cx->soap->sendfd = -1;
	*out = cx;
	return TSP8_OK;
}

void codec_set_drop_poll_users(struct pbx_codec *cx, bool on)
{
	if (cx)
		cx->drop_poll_users = on;
}

void codec_clean(struct pbx_codec *cx)
{
	if (cx->dirty) {
		soap_end(cx->soap);   /* soap_free_temp included */
		cx->dirty = false;
	}
}

void pbx_codec_destroy(struct pbx_codec *cx)
{
	if (!cx)
		return;
	soap_end(cx->soap);
	soap_free(cx->soap);   /* soap_done + free */
	free(cx->out);
	free(cx->in);
	free(cx);
}

int codec_fail(struct pbx_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

int codec_error(struct pbx_codec *cx, struct pbx_err *err)
{
	struct soap *soap = cx->soap;
	const char *reason;

	if (soap->error == SOAP_EOM)
		return codec_fail(err, TSP8_ENOMEM, "out of memory while parsing");
	/* Local errors get their text only when a fault is built from them. */
	soap_set_fault(soap);
	reason = soap_fault_string(soap);
	return codec_fail(err, TSP8_EPROTO, "gSOAP error %d: %s", soap->error,
			  reason && *reason ? reason : "malformed message");
}

int codec_fault(struct pbx_codec *cx, struct pbx_err *err)
{
	struct soap *soap = cx->soap;
	const char *reason;
	int e = soap_recv_fault(soap, 1);

	/* soap_recv_fault returns the fault's class (client/server/...) when it
	 * parsed a Fault, or a parser error when the Fault is malformed. */
	if (!soap_soap_error_check(e))
		return e == SOAP_OK ? codec_fail(err, TSP8_EPROTO, "unreadable SOAP Fault") : codec_error(cx, err);
	reason = soap_fault_string(soap);
	return codec_fail(err, TSP8_EFAULT, "%s", reason && *reason ? reason : "SOAP fault without faultstring");
}
