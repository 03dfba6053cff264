/* One HTTP POST of the PBX transport: copies the request, configures the
 * libcurl easy handle, and maps the outcome onto TSP8 error codes.
 *
 * Result mapping (pbx_http_resp.err):
 *   200                         -> TSP8_OK
 *   500 whose body is a SOAP Fault -> TSP8_OK with status 500, so that the
 *                                  codec can read the faultstring
 *   401 / 403                   -> TSP8_EAUTH
 *   any other status            -> TSP8_EHTTP
 *   connect refused / no route  -> TSP8_ECONNECT
 *   timeout                     -> TSP8_ETIMEOUT
 *   TLS handshake / certificate -> TSP8_ETLS
 *   empty reply, reset, closed  -> TSP8_ECLOSED
 *   not HTTP at all (garbage)   -> TSP8_EPROTO
 */
#include "io_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"

static size_t slen(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies s to *pos (advancing it) and returns the copy, or NULL for NULL. */
static const char *put(char **pos, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = *pos;
	memcpy(d, s, n);
	*pos += n;
	return d;
}

int io_req_new(struct io_req **out, const struct pbx_http_req *req)
{
	if (!out || !req || !req->url || !*req->url || (!req->body && req->body_len))
		return TSP8_EINVAL;
	if (req->timeout_ms == 0)
		return TSP8_EINVAL;

	struct io_req *r = calloc(1, sizeof(*r));
	if (!r)
		return TSP8_ENOMEM;
	size_t total = slen(req->url) + slen(req->user) + slen(req->password) +
		       slen(req->soap_action) + slen(req->ca_file);
	r->strings = malloc(total);
	r->body = malloc(req->body_len + 1);
	if (!r->strings || !r->body) {
		io_req_free(r);
		return TSP8_ENOMEM;
	}
	char *pos = r->strings;
	r->url = put(&pos, req->url);
	r->user = put(&pos, req->user);
	r->password = put(&pos, req->password);
	r->action = put(&pos, req->soap_action);
	r->ca_file = put(&pos, req->ca_file);
	if (req->body_len)
		memcpy(r->body, req->body, req->body_len);
	r->body[req->body_len] = '\0';
	r->body_len = req->body_len;
	r->timeout_ms = req->timeout_ms;
	r->insecure = req->insecure;
	r->own_connection = req->own_connection;
	*out = r;
	return TSP8_OK;
}

void io_req_free(struct io_req *r)
{
	if (!r)
		return;
	if (r->easy)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->hdrs);
	free(r->rbuf);
	free(r->body);
	free(r->strings);
	free(r);
}

void io_req_recycle_easy(struct pbx_io *io, struct io_req *r)
{
	if (!r->easy || io->n_easy_pool >= IO_EASY_POOL)
		return;   /* io_req_free cleans it up */
	curl_easy_reset(r->easy);
	io->easy_pool[io->n_easy_pool++] = r->easy;
	r->easy = NULL;
}

void io_easy_pool_free(struct pbx_io *io)
{
	while (io->n_easy_pool)
		curl_easy_cleanup(io->easy_pool[--io->n_easy_pool]);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
	struct io_req *r = userp;
	size_t n = size * nmemb;
	if (r->rlen + n + 1 > IO_MAX_BODY) {
		r->too_big = true;
		return 0;   /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	if (r->rlen + n + 1 > r->rcap) {
		size_t cap = r->rcap ? r->rcap : 4096;
		while (cap < r->rlen + n + 1)
			cap *= 2;
		char *b = realloc(r->rbuf, cap);
		if (!b)
			return 0;
		r->rbuf = b;
		r->rcap = cap;
	}
	memcpy(r->rbuf + r->rlen, data, n);
	r->rlen += n;
	r->rbuf[r->rlen] = '\0';
	return n;
}

static int add_header(struct io_req *r, const char *line)
{
	struct curl_slist *l = curl_slist_append(r->hdrs, line);
	if (!l)
		return TSP8_ENOMEM;
	r->hdrs = l;
	return TSP8_OK;
}

static int build_headers(struct io_req *r)
{
	const char *a = r->action ? r->action : "";
	size_t n = strlen(a) + sizeof("SOAPAction: \"\"");
	char *line = malloc(n);
	if (!line)
		return TSP8_ENOMEM;
	snprintf(line, n, "SOAPAction: \"%s\"", a);
	int rc = add_header(r, "Content-Type: text/xml; charset=utf-8");
	if (rc == TSP8_OK)
		rc = add_header(r, line);
	/* No "Expect: 100-continue" round trip before larger bodies. */
	if (rc == TSP8_OK)
		rc = add_header(r, "Expect:");
	free(line);
	return rc;
}

int io_req_setup(struct pbx_io *io, struct io_req *r)
{
	int rc = build_headers(r);
	if (rc != TSP8_OK)
		return rc;
	CURL *e = io->n_easy_pool ? io->easy_pool[--io->n_easy_pool] : curl_easy_init();
	if (!e)
		return TSP8_ENOMEM;
	r->easy = e;
	uint32_t cto = r->timeout_ms < IO_CONNECT_TIMEOUT_MS ? r->timeout_ms
							       : IO_CONNECT_TIMEOUT_MS;
	CURLcode cc = CURLE_OK;
	/* Collect the first failure; every option below is required. */
#define SET(opt, val) do { if (cc == CURLE_OK) cc = curl_easy_setopt(e, opt, val); } while (0)
	SET(CURLOPT_URL, r->url);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	SET(CURLOPT_POST, 1L);
	SET(CURLOPT_POSTFIELDS, r->body);
	SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
	SET(CURLOPT_HTTPHEADER, r->hdrs);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, r);
	SET(CURLOPT_ERRORBUFFER, r->errbuf);
	SET(CURLOPT_PRIVATE, r);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_TCP_KEEPIDLE, 30L);
	SET(CURLOPT_TCP_KEEPINTVL, 15L);
	SET(CURLOPT_CONNECTTIMEOUT_MS, (long)cto);
	SET(CURLOPT_TIMEOUT_MS, (long)r->timeout_ms);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	if (r->user) {
		SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		SET(CURLOPT_USERNAME, r->user);
		SET(CURLOPT_PASSWORD, r->password ? r->password : "");
	}
	if (r->ca_file)
		SET(CURLOPT_CAINFO, r->ca_file);
	SET(CURLOPT_SSL_VERIFYPEER, r->insecure ? 0L : 1L);
	SET(CURLOPT_SSL_VERIFYHOST, r->insecure ? 0L : 2L);
	/* explicitly either way: a pooled handle keeps its share across
	 * curl_easy_reset */
	SET(CURLOPT_SHARE, r->own_connection ? io->poll_share : NULL);
#undef SET
	if (cc != CURLE_OK) {
		snprintf(r->errbuf, sizeof(r->errbuf), "curl option: %s",
			 curl_easy_strerror(cc));
		return cc == CURLE_OUT_OF_MEMORY ? TSP8_ENOMEM : TSP8_EINVAL;
	}
	r->errbuf[0] = '\0';
	return TSP8_OK;
}

static bool contains(const char *buf, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; buf && i + n <= len; i++)
		if (memcmp(buf + i, needle, n) == 0)
			return true;
	return false;
}

static int map_curl(CURLcode cc)
{
	switch (cc) {
	case CURLE_OK:
		return TSP8_OK;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return TSP8_ECONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return TSP8_ETIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_USE_SSL_FAILED:
		return TSP8_ETLS;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		return TSP8_ECLOSED;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_BAD_CONTENT_ENCODING:
		return TSP8_EPROTO;
	case CURLE_OUT_OF_MEMORY:
		return TSP8_ENOMEM;
	case CURLE_URL_MALFORMAT:
		return TSP8_EINVAL;
	default:
		return TSP8_EIO;
	}
}

void io_req_result(struct io_req *r, CURLcode cc, struct pbx_http_resp *resp)
{
	long status = 0;
	if (r->easy)
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	resp->status = status;
	resp->body = r->rbuf ? r->rbuf : "";
	resp->body_len = r->rlen;
	resp->err = map_curl(cc);
	if (r->too_big) {
		resp->err = TSP8_EPROTO;
		snprintf(r->errbuf, sizeof(r->errbuf), "response larger than %u bytes",
			 IO_MAX_BODY);
	} else if (cc != CURLE_OK) {
		if (!r->errbuf[0])
			snprintf(r->errbuf, sizeof(r->errbuf), "%s", curl_easy_strerror(cc));
	} else if (status == 200) {
		r->errbuf[0] = '\0';
	} else if (status == 500 && contains(r->rbuf, r->rlen, "Fault")) {
		/* The codec turns this into TSP8_EFAULT with the faultstring. */
		snprintf(r->errbuf, sizeof(r->errbuf), "HTTP 500 with SOAP Fault");
	} else if (status == 401 || status == 403) {
		resp->err = TSP8_EAUTH;
		snprintf(r->errbuf, sizeof(r->errbuf), "HTTP %ld: credentials refused", status);
	} else {
		resp->err = TSP8_EHTTP;
		snprintf(r->errbuf, sizeof(r->errbuf), "HTTP status %ld", status);
	}
	resp->errmsg = r->errbuf;
}

/* Operation name for traces: the part of the SOAPAction after '#'. */
static const char *op_of(const struct io_req *r)
{
	if (!r->action || !*r->action)
		return "POST";
	const char *h = strrchr(r->action, '#');
	return h ? h + 1 : r->action;
}

void io_req_trace_start(struct pbx_io *io, const struct io_req *r)
{
	TRACE(io->tr, TRACE_SOAPDUMP, "SOAP > %s %s (%lu bytes)\n%s", op_of(r), r->url,
	      (unsigned long)r->body_len, r->body);
}

void io_req_trace_done(struct pbx_io *io, const struct io_req *r,
		       const struct pbx_http_resp *resp)
{
	TRACE(io->tr, TRACE_SOAP, "SOAP %s %s -> %ld %s %u ms%s%s", op_of(r), r->url,
	      resp->status, tsp8_strerror(resp->err), resp->elapsed_ms,
	      resp->errmsg[0] ? ": " : "", resp->errmsg);
	if (resp->body_len)
		TRACE(io->tr, TRACE_SOAPDUMP, "SOAP < %s (%lu bytes)\n%s", op_of(r),
		      (unsigned long)resp->body_len, resp->body);
}
