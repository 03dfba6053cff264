/* Tiny HTTP/1.1 server for the pbx_io tests (loopback, ephemeral port).
 *
 * One thread accepts; each connection gets its own thread and serves
 * requests with keep-alive until the client closes.  The path selects the
 * behaviour:
 *   /ok              200, body "<ok/>"
 *   /delay/<ms>      waits ms, then 200 (the wait ends early on stop)
 *   /status/<code>   that status with a small non-SOAP body
 *   /fault           500 with a SOAP Fault body
 *   /close           closes the connection without answering
 *   /garbage         sends bytes that are not HTTP, then closes
 */
#ifndef TSP8_TEST_IO_SERVER_H
#define TSP8_TEST_IO_SERVER_H

#include <stdbool.h>
#include <stddef.h>

struct tsrv;

/* What the server saw of the last request it read. */
struct tsrv_seen {
	unsigned conn;            /* connection number, 1-based */
	char method[16];
	char path[128];
	char auth[256];           /* Authorization header value */
	char action[256];         /* SOAPAction header value */
	char ctype[128];          /* Content-Type header value */
	char body[256];           /* start of the body */
	size_t body_len;
};

int  tsrv_start(struct tsrv **out);
void tsrv_stop(struct tsrv *s);
/* "http://127.0.0.1:<port><path>" */
void tsrv_url(struct tsrv *s, const char *path, char *buf, size_t len);
unsigned tsrv_connections(struct tsrv *s);
unsigned tsrv_requests(struct tsrv *s);
/* Largest number of requests being served at the same time so far. */
unsigned tsrv_max_parallel(struct tsrv *s);
void tsrv_last(struct tsrv *s, struct tsrv_seen *out);

/* A loopback port on which nobody listens (bound, then closed). */
int tsrv_closed_port(void);

#endif
