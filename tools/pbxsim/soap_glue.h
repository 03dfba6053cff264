/* pbxsim SOAP glue: runs one SOAP request body through the generated gSOAP
 * server code entirely in memory.  HTTP is handled by httpd.c; gSOAP only
 * parses the envelope, dispatches to the service functions (svc_*.c) and
 * serializes the answer. */
#ifndef PBXSIM_SOAP_GLUE_H
#define PBXSIM_SOAP_GLUE_H

#include <stdbool.h>
#include <stddef.h>

#include "sim.h"
#include "session.h"
#include "strbuf.h"

struct soap;

/* What a service function knows about the request it serves; reached
 * through soap->user. */
struct svc_ctx {
	struct sim *sim;
	struct sim_pbx *pbx;
	struct sim_conn *conn;     /* keeps sessions alive */
	bool admin;                /* logged in as admin */
	char login[SIM_STR];       /* HTTP user name */
	const char *url;           /* own endpoint URL (LocationUrl) */
	/* I/O of the current request */
	const char *in;
	size_t in_len, in_pos;
	struct strbuf *out;
	int status;                /* gSOAP's response status */
	char op[64];               /* body element, for the log */
};

/* A gSOAP context for one connection (UTF-8 strings, no multi-refs, our
 * namespace table, memory I/O hooks).  NULL when out of memory. */
struct soap *soap_glue_new(struct svc_ctx *ctx);
void soap_glue_free(struct soap *soap);

/* Serves one request body.  Fills ctx->out with the XML answer and returns
 * the HTTP status (200, or 500 for a SOAP Fault). */
int soap_glue_serve(struct soap *soap, const char *body, size_t len);

#endif
