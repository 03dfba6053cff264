/* pbxsim tests: hand-written SOAP envelopes over libcurl, and a small
 * text-level reader for the answers.  Deliberately independent of the
 * project's SOAP client and of gSOAP. */
#ifndef TSP8_TESTS_PBXSIM_SOAP_HTTP_H
#define TSP8_TESTS_PBXSIM_SOAP_HTTP_H

#include <stdbool.h>
#include <stddef.h>

struct sh_resp {
	long status;        /* HTTP status, 0 when no answer */
	char *body;         /* malloc'd, NUL-terminated ("" when none) */
	char www_auth[160]; /* WWW-Authenticate header value */
};

#define SH_TAPI "_TAPI_:tapi"
#define SH_ADMIN "admin:pwd"

/* POSTs an envelope around `inner` (the body element).  userpwd "user:pass"
 * or NULL for no auth.  timeout_ms 0 = 10 s.  Returns 0 when an HTTP
 * answer came, -1 otherwise. */
int sh_post(const char *url, const char *userpwd, const char *inner, long timeout_ms,
	    struct sh_resp *r);
/* POSTs raw bytes (no envelope). */
int sh_post_raw(const char *url, const char *userpwd, const char *body, long timeout_ms,
		struct sh_resp *r);
void sh_free(struct sh_resp *r);

/* First <tag ...>value</tag> (by local name) as int / string. */
bool sh_int(const char *xml, const char *tag, int *out);
bool sh_str(const char *xml, const char *tag, char *out, size_t len);
/* Occurrences of a substring. */
int sh_count(const char *xml, const char *needle);

struct sh_call {
	int user, call, state, cause;
	bool active, has_cause;
	char msg[32];
	char conf[40];
	char this_cn[128];
	char peer_cn[128];
	char peer_e164[64];
	char notypes[160]; /* No types, space separated: "this peer ct" */
};

struct sh_user {
	bool active, cfg;
	char cn[128];
	int state, channel, alert;
	char presence_status[16];
	char loc[128];      /* "" when absent */
	char object[32];
};

/* Records of a Poll/Calls/FindUser answer, in document order. */
size_t sh_calls(const char *xml, struct sh_call *out, size_t max);
size_t sh_users(const char *xml, struct sh_user *out, size_t max);

/* Session helpers (auth _TAPI_:tapi).  Return the handle, 0 on failure. */
int sh_initialize(const char *url, const char *cn, int *key);
int sh_user_init(const char *url, int session, const char *cn, const char *hw);
/* Polls until the dump's empty-cn marker; returns the number of UserInfo
 * records before it, -1 on error. */
int sh_drain_dump(const char *url, int session);
/* One Poll; 0 with r filled, -1 without an answer. */
int sh_poll(const char *url, int session, long timeout_ms, struct sh_resp *r);

#endif
