/* pbxsim HTTP server: one keep-alive connection, request by request:
 * path -> auth -> injected faults -> SOAP -> wire rewrite -> stall -> send,
 * on the PBX's event loop or, once a request would block, on a thread of
 * the connection's own (httpd_int.h). */
#include "httpd_int.h"

#include <stdio.h>
#include <stdlib.h>
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

static bool stall_injected(struct httpd *h)
{
	pthread_mutex_lock(&h->lock);
	bool on = h->stall_ms > 0;
	pthread_mutex_unlock(&h->lock);
	return on;
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

/* Serves c->req.  On the event loop (c->sc->no_wait) a request that would
 * block is left unanswered: HTTPD_SERVED_HANDOFF. */
static enum httpd_served serve_one(struct http_conn *c)
{
	struct httpd *h = c->h;
	struct svc_ctx *ctx = &c->ctx;
	struct http_request *req = &c->req;
	struct strbuf out, rewritten;
	const char *body, *ctype = XML_TYPE, *hdr = "";
	size_t len;
	int status;
	unsigned stall_ms;
	bool keep = req->keep_alive;

	ctx->op[0] = '\0';
	ctx->login[0] = '\0';
	ctx->admin = false;
	if (c->sc->no_wait && stall_injected(h))
		return HTTPD_SERVED_HANDOFF;
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
			status = soap_glue_serve(c->soap, req->body, req->body_len);
			if (c->sc->would_block) {
				c->sc->would_block = false;
				sb_free(&out);
				return HTTPD_SERVED_HANDOFF;
			}
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
			return HTTPD_SERVED_CLOSE;
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
	return keep ? HTTPD_SERVED_KEEP : HTTPD_SERVED_CLOSE;
}

/* Reads the next request into c->req; false when the connection ends
 * (a malformed or oversized request is answered first). */
static bool read_one(struct http_conn *c)
{
	int rc = http_read_request(c->fd, &c->in, &c->req);

	if (rc == TSP8_EPROTO || rc == TSP8_ELIMIT) {
		int st = rc == TSP8_EPROTO ? 400 : 413;
		const char *msg = rc == TSP8_EPROTO ? "bad request\n" : "too large\n";

		http_write_response(c->fd, st, "", "text/plain", msg, strlen(msg), false);
		sim_log(c->h->sim, "%s: bad HTTP request -> %d", c->h->pbx->name, st);
		return false;
	}
	return rc == TSP8_OK;
}

bool httpd_conn_init(struct http_conn *c)
{
	c->ctx.sim = c->h->sim;
	c->ctx.pbx = c->h->pbx;
	c->ctx.conn = c->sc;
	c->ctx.url = c->h->url;
	c->sc->no_wait = true;
	c->soap = soap_glue_new(&c->ctx);
	return c->soap != NULL;
}

enum httpd_served httpd_conn_serve_ready(struct http_conn *c)
{
	do {
		if (atomic_load(&c->sc->dropped) || !read_one(c))
			return HTTPD_SERVED_CLOSE;
		enum httpd_served r = serve_one(c);
		if (r != HTTPD_SERVED_KEEP)
			return r;
	} while (c->in.len > 0);   /* pipelined: already here, no event comes */
	return HTTPD_SERVED_KEEP;
}

void *httpd_conn_main(void *arg)
{
	struct http_conn *c = arg;
	/* c->req is the request the loop could not answer without waiting. */
	bool more = serve_one(c) == HTTPD_SERVED_KEEP;

	while (more && !atomic_load(&c->sc->dropped) && read_one(c))
		more = serve_one(c) == HTTPD_SERVED_KEEP;
	httpd_conn_finish(c);
	return NULL;
}

void httpd_conn_finish(struct http_conn *c)
{
	shutdown(c->fd, SHUT_RDWR);
	sim_conn_release(c->sc);
	pthread_mutex_lock(&c->h->lock);
	c->finished = true;
	pthread_mutex_unlock(&c->h->lock);
}

void httpd_conn_free(struct http_conn *c)
{
	http_request_clear(&c->req);
	http_inbuf_free(&c->in);
	soap_glue_free(c->soap);
	sim_conn_free(c->sc);
	free(c);
}
