/* pbxsim HTTP server: one keep-alive connection, request by request:
 * path -> auth -> injected faults -> SOAP -> wire rewrite -> stall -> send. */
#include "httpd_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "base/error.h"
#include "http_io.h"
#include "simlog.h"
#include "soap_glue.h"
#include "wire.h"

#define XML_TYPE "text/xml; charset=utf-8"

static const char fault_500[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\">"
	"<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Server</faultcode>"
	"<faultstring>injected server error</faultstring></SOAP-ENV:Fault>"
	"</SOAP-ENV:Body></SOAP-ENV:Envelope>";

/* Cut off in the middle of an element: not well-formed. */
static const char garbage[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\">"
	"<SOAP-ENV:Body><inno:PollResponse><return><user><item><cn>Gar&bage</c";

enum fault_kind { FK_NONE, FK_500, FK_GARBAGE };

/* Basic credentials: ("admin", admin password) or (h323 of an object that
 * has a password, that password).  Fills ctx->admin/login. */
static bool authorized(struct httpd *h, const struct http_request *req, struct svc_ctx *ctx)
{
	struct sim_pbx *pbx = h->pbx;
	bool ok = false;

	if (!req->has_auth)
		return false;
	sim_lock(h->sim);
	if (strcmp(req->user, "admin") == 0 && pbx->admin_password[0] &&
	    strcmp(req->pass, pbx->admin_password) == 0) {
		ok = true;
		ctx->admin = true;
	} else {
		const struct sim_object *o = model_find_h323(pbx, req->user);

		ok = o && o->password[0] && strcmp(o->password, req->pass) == 0;
		ctx->admin = false;
	}
	sim_unlock(h->sim);
	sim_strlcpy(ctx->login, req->user, sizeof(ctx->login));
	return ok;
}

static enum fault_kind take_fault(struct httpd *h, unsigned *stall)
{
	enum fault_kind k = FK_NONE;

	pthread_mutex_lock(&h->lock);
	if (h->http500_left) {
		h->http500_left--;
		k = FK_500;
	} else if (h->garbage_left) {
		h->garbage_left--;
		k = FK_GARBAGE;
	}
	*stall = h->stall_ms;
	pthread_mutex_unlock(&h->lock);
	return k;
}

/* Sleeps ms in short slices; false when the connection was dropped. */
static bool stall(struct http_conn *c, unsigned ms)
{
	while (ms && !atomic_load(&c->sc->dropped)) {
		unsigned slice = ms < 20 ? ms : 20;
		struct timespec ts = { 0, (long)slice * 1000000L };

		nanosleep(&ts, NULL);
		ms -= slice;
	}
	return !atomic_load(&c->sc->dropped);
}

static bool path_matches(const struct httpd *h, const char *path)
{
	size_t n = strcspn(path, "?");

	return n == strlen(h->path) && strncmp(path, h->path, n) == 0;
}

/* Serves one request; false when the connection must close. */
static bool serve_one(struct http_conn *c, struct soap *soap, struct svc_ctx *ctx,
		      struct http_request *req)
{
	struct httpd *h = c->h;
	struct strbuf out, rewritten;
	const char *body, *ctype = XML_TYPE, *hdr = "";
	size_t len;
	int status;
	unsigned stall_ms;
	bool keep = req->keep_alive;

	sb_init(&out);
	sb_init(&rewritten);
	ctx->out = &out;
	if (!path_matches(h, req->path)) {
		status = 404;
		body = "no such endpoint\n";
		ctype = "text/plain";
	} else if (strcmp(req->method, "POST") != 0) {
		status = 405;
		body = "POST only\n";
		ctype = "text/plain";
		hdr = "Allow: POST\r\n";
	} else if (!authorized(h, req, ctx)) {
		status = 401;
		body = "authorization required\n";
		ctype = "text/plain";
		hdr = "WWW-Authenticate: Basic realm=\"PBX\"\r\n";
	} else {
		switch (take_fault(h, &stall_ms)) {
		case FK_500:
			status = 500;
			body = fault_500;
			break;
		case FK_GARBAGE:
			status = 200;
			body = garbage;
			break;
		default:
			status = soap_glue_serve(soap, req->body, req->body_len);
			wire_strip_positions(&out);
			body = sb_cstr(&out);
			if (status == 200 && wire_active(&h->pbx->wire) &&
			    wire_rewrite(&h->pbx->wire, out.buf ? out.buf : "", out.len,
					 &rewritten) == TSP8_OK)
				body = sb_cstr(&rewritten);
			break;
		}
		if (!stall(c, stall_ms)) {
			sb_free(&out);
			sb_free(&rewritten);
			return false;
		}
	}
	len = strlen(body);
	sim_log(h->sim, "%s: %s %s %s [%s] -> %d (%zu bytes)", h->pbx->name, req->method,
		req->path, ctx->op[0] ? ctx->op : "-", ctx->login[0] ? ctx->login : "no auth",
		status, len);
	if (atomic_load(&c->sc->dropped) ||
	    http_write_response(c->fd, status, hdr, ctype, body, len, keep) != TSP8_OK)
		keep = false;
	sb_free(&out);
	sb_free(&rewritten);
	return keep;
}

void *httpd_conn_main(void *arg)
{
	struct http_conn *c = arg;
	struct httpd *h = c->h;
	struct http_inbuf in = { 0 };
	struct http_request req = { 0 };
	struct svc_ctx ctx = { 0 };
	struct soap *soap;

	ctx.sim = h->sim;
	ctx.pbx = h->pbx;
	ctx.conn = c->sc;
	ctx.url = h->url;
	soap = soap_glue_new(&ctx);
	while (soap && !atomic_load(&c->sc->dropped)) {
		int rc = http_read_request(c->fd, &in, &req);

		ctx.op[0] = '\0';
		ctx.login[0] = '\0';
		ctx.admin = false;
		if (rc == TSP8_EPROTO || rc == TSP8_ELIMIT) {
			int st = rc == TSP8_EPROTO ? 400 : 413;
			const char *msg = rc == TSP8_EPROTO ? "bad request\n" : "too large\n";

			http_write_response(c->fd, st, "", "text/plain", msg, strlen(msg), false);
			sim_log(h->sim, "%s: bad HTTP request -> %d", h->pbx->name, st);
			break;
		}
		if (rc != TSP8_OK)
			break;
		if (!serve_one(c, soap, &ctx, &req))
			break;
	}
	http_request_clear(&req);
	http_inbuf_free(&in);
	soap_glue_free(soap);
	shutdown(c->fd, SHUT_RDWR);
	sim_conn_release(c->sc);
	pthread_mutex_lock(&h->lock);
	c->finished = true;
	pthread_mutex_unlock(&h->lock);
	return NULL;
}
