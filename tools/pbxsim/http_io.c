/* pbxsim HTTP/1.1 request reader and response writer. */
#include "http_io.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/error.h"

void http_inbuf_free(struct http_inbuf *in)
{
	free(in->buf);
	memset(in, 0, sizeof(*in));
}

void http_request_clear(struct http_request *req)
{
	free(req->body);
	memset(req, 0, sizeof(*req));
}

/* Reads more bytes into in; TSP8_ECLOSED on EOF. */
static int fill(int fd, struct http_inbuf *in, size_t limit)
{
	ssize_t n;

	if (in->len >= limit)
		return TSP8_ELIMIT;
	if (in->cap - in->len < 4096) {
		size_t cap = in->cap ? in->cap * 2 : 8192;
		char *b = realloc(in->buf, cap + 1);

		if (!b)
			return TSP8_ENOMEM;
		in->buf = b;
		in->cap = cap;
	}
	do {
		n = recv(fd, in->buf + in->len, in->cap - in->len, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return TSP8_EIO;
	if (n == 0)
		return TSP8_ECLOSED;
	in->len += (size_t)n;
	in->buf[in->len] = '\0';
	return TSP8_OK;
}

static void consume(struct http_inbuf *in, size_t n)
{
	memmove(in->buf, in->buf + n, in->len - n);
	in->len -= n;
	if (in->buf)
		in->buf[in->len] = '\0';
}

static char *find_crlf(char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '\r' && s[i + 1] == '\n')
			return s + i;
	return NULL;
}

bool http_base64_decode(const char *in, char *out, size_t outlen)
{
	unsigned acc = 0;
	int bits = 0;
	size_t o = 0;

	for (; *in && *in != '='; in++) {
		const char *tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		const char *p = strchr(tbl, *in);

		if (!p || !*in)
			return false;
		acc = (acc << 6) | (unsigned)(p - tbl);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o + 1 >= outlen)
				return false;
			out[o++] = (char)((acc >> bits) & 0xFF);
		}
	}
	out[o] = '\0';
	return true;
}

static void parse_auth(struct http_request *req, const char *v)
{
	char dec[600];
	char *colon;

	while (*v == ' ')
		v++;
	if (strncasecmp(v, "Basic ", 6) != 0)
		return;
	v += 6;
	while (*v == ' ')
		v++;
	if (!http_base64_decode(v, dec, sizeof(dec)))
		return;
	colon = strchr(dec, ':');
	if (!colon)
		return;
	*colon = '\0';
	if (strlen(dec) >= sizeof(req->user) || strlen(colon + 1) >= sizeof(req->pass))
		return;
	strcpy(req->user, dec);
	strcpy(req->pass, colon + 1);
	req->has_auth = true;
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* Parses the header block (request line + fields) in place. */
static int parse_head(char *head, struct http_request *req, long long *clen, bool *chunked,
		      bool *expect)
{
	char *line = head, *next, *sp1, *sp2;
	int minor;

	next = strstr(line, "\r\n");
	if (!next)
		return TSP8_EPROTO;
	*next = '\0';
	sp1 = strchr(line, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!sp1 || !sp2 || (size_t)(sp1 - line) >= sizeof(req->method) ||
	    (size_t)(sp2 - sp1 - 1) >= sizeof(req->path) || sscanf(sp2 + 1, "HTTP/1.%d", &minor) != 1)
		return TSP8_EPROTO;
	memcpy(req->method, line, (size_t)(sp1 - line));
	memcpy(req->path, sp1 + 1, (size_t)(sp2 - sp1 - 1));
	req->keep_alive = minor >= 1;
	*clen = -1;
	for (line = next + 2; *line && *line != '\r'; line = next + 2) {
		char *colon, *v;

		next = strstr(line, "\r\n");
		if (!next)
			return TSP8_EPROTO;
		*next = '\0';
		colon = strchr(line, ':');
		if (!colon)
			return TSP8_EPROTO;
		*colon = '\0';
		v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		trim(v);
		if (strcasecmp(line, "Content-Length") == 0) {
			char *end;

			*clen = strtoll(v, &end, 10);
			if (end == v || *end || *clen < 0)
				return TSP8_EPROTO;
		} else if (strcasecmp(line, "Transfer-Encoding") == 0) {
			*chunked = strcasestr(v, "chunked") != NULL;
		} else if (strcasecmp(line, "Connection") == 0) {
			if (strcasestr(v, "close"))
				req->keep_alive = false;
			else if (strcasestr(v, "keep-alive"))
				req->keep_alive = true;
		} else if (strcasecmp(line, "Authorization") == 0) {
			parse_auth(req, v);
		} else if (strcasecmp(line, "Expect") == 0) {
			*expect = strcasecmp(v, "100-continue") == 0;
		} else if (strcasecmp(line, "SOAPAction") == 0) {
			snprintf(req->soapaction, sizeof(req->soapaction), "%s", v);
		}
	}
	return TSP8_OK;
}

static int read_exact_body(int fd, struct http_inbuf *in, size_t n, struct http_request *req)
{
	int rc;

	if (n > HTTP_MAX_BODY)
		return TSP8_ELIMIT;
	while (in->len < n)
		if ((rc = fill(fd, in, HTTP_MAX_BODY + 1)) != TSP8_OK)
			return rc == TSP8_ECLOSED ? TSP8_EIO : rc;
	req->body = malloc(n + 1);
	if (!req->body)
		return TSP8_ENOMEM;
	if (n)
		memcpy(req->body, in->buf, n);
	req->body[n] = '\0';
	req->body_len = n;
	consume(in, n);
	return TSP8_OK;
}

static int read_chunked_body(int fd, struct http_inbuf *in, struct http_request *req)
{
	size_t total = 0;
	char *body = NULL;
	int rc;

	for (;;) {
		char *eol;
		unsigned long size;
		char *end;

		while (!(eol = find_crlf(in->buf ? in->buf : "", in->len)))
			if ((rc = fill(fd, in, HTTP_MAX_HEADER)) != TSP8_OK)
				goto fail;
		size = strtoul(in->buf, &end, 16);
		if (end == in->buf) {
			rc = TSP8_EPROTO;
			goto fail;
		}
		consume(in, (size_t)(eol - in->buf) + 2);
		if (size == 0)
			break;
		if (total + size > HTTP_MAX_BODY) {
			rc = TSP8_ELIMIT;
			goto fail;
		}
		while (in->len < size + 2)
			if ((rc = fill(fd, in, HTTP_MAX_BODY + 2)) != TSP8_OK)
				goto fail;
		{
			char *nb = realloc(body, total + size + 1);

			if (!nb) {
				rc = TSP8_ENOMEM;
				goto fail;
			}
			body = nb;
		}
		memcpy(body + total, in->buf, size);
		total += size;
		consume(in, size + 2);
	}
	/* Trailer fields up to the empty line. */
	for (;;) {
		char *eol;
		bool empty;

		while (!(eol = find_crlf(in->buf ? in->buf : "", in->len)))
			if ((rc = fill(fd, in, HTTP_MAX_HEADER)) != TSP8_OK)
				goto fail;
		empty = eol == in->buf;

		consume(in, (size_t)(eol - in->buf) + 2);
		if (empty)
			break;
	}
	if (!body && !(body = malloc(1))) {
		rc = TSP8_ENOMEM;
		goto fail;
	}
	body[total] = '\0';
	req->body = body;
	req->body_len = total;
	return TSP8_OK;
fail:
	free(body);
	return rc == TSP8_ECLOSED ? TSP8_EIO : rc;
}

int http_read_request(int fd, struct http_inbuf *in, struct http_request *req)
{
	char *end, *head;
	long long clen;
	bool chunked = false, expect = false;
	size_t hlen;
	int rc;

	http_request_clear(req);
	/* Tolerate blank lines between pipelined requests. */
	for (;;) {
		while (in->len >= 2 && in->buf[0] == '\r' && in->buf[1] == '\n')
			consume(in, 2);
		if (in->len && (end = strstr(in->buf, "\r\n\r\n")))
			break;
		rc = fill(fd, in, HTTP_MAX_HEADER);
		if (rc == TSP8_ECLOSED && in->len)
			return TSP8_EPROTO;
		if (rc != TSP8_OK)
			return rc;
	}
	hlen = (size_t)(end - in->buf) + 4;
	head = malloc(hlen + 1);
	if (!head)
		return TSP8_ENOMEM;
	memcpy(head, in->buf, hlen);
	head[hlen] = '\0';
	consume(in, hlen);
	rc = parse_head(head, req, &clen, &chunked, &expect);
	free(head);
	if (rc != TSP8_OK)
		return rc;
	if (expect && (chunked || clen > 0)) {
		static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

		if (send(fd, cont, sizeof(cont) - 1, MSG_NOSIGNAL) < 0)
			return TSP8_EIO;
	}
	if (chunked)
		return read_chunked_body(fd, in, req);
	return read_exact_body(fd, in, clen > 0 ? (size_t)clen : 0, req);
}

const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 500: return "Internal Server Error";
	default: return "Status";
	}
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return TSP8_EIO;
		p += w;
		n -= (size_t)w;
	}
	return TSP8_OK;
}

int http_write_response(int fd, int status, const char *extra_headers,
			const char *content_type, const char *body, size_t len, bool keep_alive)
{
	char head[1024];
	int n;

	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\nServer: pbxsim\r\nContent-Type: %s\r\n"
		     "Content-Length: %zu\r\nConnection: %s\r\n%s\r\n",
		     status, http_reason(status), content_type ? content_type : "text/plain",
		     len, keep_alive ? "keep-alive" : "close", extra_headers ? extra_headers : "");
	if (n < 0 || (size_t)n >= sizeof(head))
		return TSP8_EIO;
	if (send_all(fd, head, (size_t)n) != TSP8_OK)
		return TSP8_EIO;
	return len ? send_all(fd, body, len) : TSP8_OK;
}
