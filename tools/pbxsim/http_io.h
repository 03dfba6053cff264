/* pbxsim HTTP/1.1 on a connected socket: read one request (headers, body
 * by Content-Length or chunked, Expect: 100-continue, Basic credentials)
 * and write one response.  Just what a SOAP endpoint needs. */
#ifndef PBXSIM_HTTP_IO_H
#define PBXSIM_HTTP_IO_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_HEADER (16 * 1024)
#define HTTP_MAX_BODY (8 * 1024 * 1024)

/* Bytes read from the socket but not consumed yet (pipelining). */
struct http_inbuf {
	char *buf;
	size_t len, cap;
};

struct http_request {
	char method[16];
	char path[512];
	bool keep_alive;         /* HTTP/1.1 default, Connection header wins */
	bool has_auth;           /* Authorization: Basic present and decodable */
	char user[256];
	char pass[256];
	char soapaction[256];
	char *body;              /* malloc'd, NUL-terminated, owned */
	size_t body_len;
};

void http_inbuf_free(struct http_inbuf *in);
void http_request_clear(struct http_request *req);

/* Reads one request.  TSP8_OK; TSP8_ECLOSED when the peer closed before a
 * request began; TSP8_EIO on socket errors; TSP8_EPROTO for a malformed
 * request (answer 400); TSP8_ELIMIT when too big (answer 413). */
int http_read_request(int fd, struct http_inbuf *in, struct http_request *req);

/* Writes a whole response.  extra_headers: "" or lines ending in \r\n.
 * TSP8_OK or TSP8_EIO. */
int http_write_response(int fd, int status, const char *extra_headers,
			const char *content_type, const char *body, size_t len, bool keep_alive);

/* Reason phrase for a status code. */
const char *http_reason(int status);

/* Decodes base64 into out (NUL-terminated); false when invalid/too long. */
bool http_base64_decode(const char *in, char *out, size_t outlen);

#endif
