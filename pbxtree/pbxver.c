/* Version() fetch (see pbxver.h). */
#include "pbxtree/pbxver.h"

#include <stdlib.h>

#include "base/error.h"
#include "base/trace.h"
#include "soap/pbx_io.h"
#include "soap/pbx_rpc.h"

struct pbxver_ctx {
	pbxver_done_fn *done;
	void *arg;
	struct trace *tr;
};

static void on_response(void *arg, const struct pbx_http_resp *resp)
{
	struct pbxver_ctx *ctx = arg;
	int err = resp->err;
	struct pbx_version_result *v = NULL;
	if (!err) {
		struct pbx_codec *cx = NULL;
		struct pbx_err perr = { "" };
		err = pbx_codec_create(&cx);
		if (!err)
			err = pbx_dec_version(cx, resp->body, resp->body_len, &v, &perr);
		pbx_codec_destroy(cx);
		if (err)
			TRACE(ctx->tr, TRACE_WARN, "Version(): bad answer: %s %s", tsp8_strerror(err), perr.msg);
	} else if (err != TSP8_ECANCELED) {
		TRACE(ctx->tr, TRACE_WARN, "Version(): %s %s", tsp8_strerror(err), resp->errmsg ? resp->errmsg : "");
	}
	if (!err && v)
		ctx->done(ctx->arg, TSP8_OK, v->v.gatekeeper_id, v->v.firmware);
	else
		ctx->done(ctx->arg, err ? err : TSP8_EPROTO, "", "");
	pbx_version_free(v);
	free(ctx);
}

int pbxver_fetch(struct pbx_io *io, const struct pbxver_req *req, pbxver_done_fn *done, void *arg,
		 uint64_t *id)
{
	if (!io || !req || !req->url || !done)
		return TSP8_EINVAL;
	struct pbx_codec *cx = NULL;
	struct pbx_msg msg = { 0 };
	int err = pbx_codec_create(&cx);
	if (!err)
		err = pbx_enc_version(cx, &msg);
	pbx_codec_destroy(cx);
	if (err) {
		pbx_msg_free(&msg);
		return err;
	}
	struct pbxver_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		pbx_msg_free(&msg);
		return TSP8_ENOMEM;
	}
	ctx->done = done;
	ctx->arg = arg;
	ctx->tr = req->tr;
	struct pbx_http_req hr = {
		.url = req->url,
		.user = req->user,
		.password = req->password,
		.soap_action = pbx_op_action(PBX_OP_VERSION),
		.body = msg.body,
		.body_len = msg.len,
		.timeout_ms = req->timeout_ms ? req->timeout_ms : 15000,
		.ca_file = req->ca_file,
		.insecure = req->insecure,
		.own_connection = false,
	};
	err = pbx_io_request(io, &hr, on_response, ctx, id);
	pbx_msg_free(&msg);
	if (err)
		free(ctx);
	return err;
}
