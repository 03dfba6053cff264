/* pbxsim tests: SOAP over libcurl with hand-written envelopes. */
#include "soap_http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ENV_HEAD                                                                        \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"                                    \
	"<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" " \
	"xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\" "                \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "                      \
	"xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "                               \
	"xmlns:inno=\"http://innovaphone.com/pbx\" "                                    \
	"xmlns:innob=\"http://innovaphone/binding\" "                                   \
	"SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"         \
	"<SOAP-ENV:Body>"
#define ENV_TAIL "</SOAP-ENV:Body></SOAP-ENV:Envelope>"

struct growbuf {
	char *p;
	size_t n;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct growbuf *b = arg;
	size_t n = size * nmemb;
	char *q = realloc(b->p, b->n + n + 1);

	if (!q)
		return 0;
	b->p = q;
	memcpy(b->p + b->n, data, n);
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sh_resp *r = arg;
	size_t n = size * nmemb;
	static const char key[] = "WWW-Authenticate:";

	if (n > sizeof(key) && strncasecmp(data, key, sizeof(key) - 1) == 0) {
		size_t v = n - (sizeof(key) - 1);

		if (v >= sizeof(r->www_auth))
			v = sizeof(r->www_auth) - 1;
		memcpy(r->www_auth, data + sizeof(key) - 1, v);
		r->www_auth[v] = '\0';
		while (v && (r->www_auth[v - 1] == '\r' || r->www_auth[v - 1] == '\n'))
			r->www_auth[--v] = '\0';
	}
	return n;
}

int sh_post_raw(const char *url, const char *userpwd, const char *body, long timeout_ms,
		struct sh_resp *r)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	struct growbuf b = { NULL, 0 };
	CURLcode cc;

	memset(r, 0, sizeof(*r));
	if (!c)
		return -1;
	h = curl_slist_append(h, "Content-Type: text/xml; charset=utf-8");
	h = curl_slist_append(h, "SOAPAction: \"\"");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms ? timeout_ms : 10000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (userpwd) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
	}
	cc = curl_easy_perform(c);
	if (cc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	r->body = b.p ? b.p : calloc(1, 1);
	return cc == CURLE_OK ? 0 : -1;
}

int sh_post(const char *url, const char *userpwd, const char *inner, long timeout_ms,
	    struct sh_resp *r)
{
	size_t n = strlen(ENV_HEAD) + strlen(inner) + strlen(ENV_TAIL) + 1;
	char *body = malloc(n);
	int rc;

	if (!body) {
		memset(r, 0, sizeof(*r));
		return -1;
	}
	snprintf(body, n, "%s%s%s", ENV_HEAD, inner, ENV_TAIL);
	rc = sh_post_raw(url, userpwd, body, timeout_ms, r);
	free(body);
	return rc;
}

void sh_free(struct sh_resp *r)
{
	free(r->body);
	r->body = NULL;
}

/* Finds <tag> or <tag attr...> (any prefix) and returns the value start. */
static const char *find_value(const char *xml, const char *tag, const char **end)
{
	size_t tl = strlen(tag);

	for (const char *p = xml; (p = strchr(p, '<')); p++) {
		const char *name = p + 1, *gt, *colon;

		if (*name == '/' || *name == '?')
			continue;
		gt = strpbrk(name, " >/");
		if (!gt)
			return NULL;
		colon = memchr(name, ':', (size_t)(gt - name));
		if (colon)
			name = colon + 1;
		if ((size_t)(gt - name) != tl || strncmp(name, tag, tl) != 0)
			continue;
		gt = strchr(gt, '>');
		if (!gt)
			return NULL;
		if (gt[-1] == '/') { /* empty element */
			*end = gt + 1;
			return gt + 1;
		}
		*end = strchr(gt + 1, '<');
		return *end ? gt + 1 : NULL;
	}
	return NULL;
}

bool sh_str(const char *xml, const char *tag, char *out, size_t len)
{
	const char *end = NULL, *v = xml ? find_value(xml, tag, &end) : NULL;
	size_t n;

	if (!v)
		return false;
	n = end > v ? (size_t)(end - v) : 0;
	if (n >= len)
		n = len - 1;
	memcpy(out, v, n);
	out[n] = '\0';
	return true;
}

bool sh_int(const char *xml, const char *tag, int *out)
{
	char buf[32];

	if (!sh_str(xml, tag, buf, sizeof(buf)) || !buf[0])
		return false;
	*out = atoi(buf);
	return true;
}

int sh_count(const char *xml, const char *needle)
{
	int n = 0;
	size_t l = strlen(needle);

	for (const char *p = xml; p && (p = strstr(p, needle)); p += l)
		n++;
	return n;
}

/* Copies the text of one record: from `start` to the next record marker. */
static char *record_text(const char *start, const char *marker)
{
	const char *next = strstr(start + 1, marker);
	size_t n = next ? (size_t)(next - start) : strlen(start);
	char *t = malloc(n + 1);

	if (t) {
		memcpy(t, start, n);
		t[n] = '\0';
	}
	return t;
}

/* No records of a CallInfo text: types, this cn, peer cn/e164.  The No
 * array runs from the first "<No" to the last "</No>" (its members may be
 * named No as well). */
static void parse_nos(const char *rec, struct sh_call *c)
{
	const char *s = strstr(rec, "<No"), *e = NULL;
	char *no;

	for (const char *q = s; q && (q = strstr(q, "</No>")); q += 5)
		e = q;
	if (!s || !e)
		return;
	no = strndup(s, (size_t)(e - s));
	if (!no)
		return;
	for (const char *p = no; (p = strstr(p, "<type")); p += 5) {
		char type[32];

		if (!sh_str(p, "type", type, sizeof(type)))
			break;
		if (strlen(c->notypes) + strlen(type) + 2 < sizeof(c->notypes)) {
			if (c->notypes[0])
				strcat(c->notypes, " ");
			strcat(c->notypes, type);
		}
		if (strcmp(type, "this") == 0)
			sh_str(p, "cn", c->this_cn, sizeof(c->this_cn));
		if (strcmp(type, "peer") == 0) {
			sh_str(p, "cn", c->peer_cn, sizeof(c->peer_cn));
			sh_str(p, "e164", c->peer_e164, sizeof(c->peer_e164));
		}
	}
	free(no);
}

size_t sh_calls(const char *xml, struct sh_call *out, size_t max)
{
	static const char marker[] = "xsi:type=\"inno:CallInfo\"";
	size_t n = 0;

	for (const char *p = xml; p && n < max && (p = strstr(p, marker)); p++) {
		char *rec = record_text(p, marker);
		struct sh_call *c = &out[n];
		char buf[16];
		const char *info;

		if (!rec)
			break;
		memset(c, 0, sizeof(*c));
		sh_int(rec, "user", &c->user);
		sh_int(rec, "call", &c->call);
		sh_int(rec, "state", &c->state);
		c->active = sh_str(rec, "active", buf, sizeof(buf)) && strcmp(buf, "true") == 0;
		sh_str(rec, "msg", c->msg, sizeof(c->msg));
		parse_nos(rec, c);
		info = strstr(rec, "<info");
		for (const char *i = info; i && (i = strstr(i, "<type")); i += 5) {
			char type[16];

			sh_str(i, "type", type, sizeof(type));
			if (strcmp(type, "conf") == 0)
				sh_str(i, "vals", c->conf, sizeof(c->conf));
			if (strcmp(type, "cause") == 0)
				c->has_cause = sh_int(i, "vali", &c->cause);
		}
		free(rec);
		n++;
	}
	return n;
}

size_t sh_users(const char *xml, struct sh_user *out, size_t max)
{
	static const char marker[] = "xsi:type=\"inno:UserInfo\"";
	size_t n = 0;

	for (const char *p = xml; p && n < max && (p = strstr(p, marker)); p++) {
		char *rec = record_text(p, marker);
		struct sh_user *u = &out[n];
		char buf[16];
		const char *pr;

		if (!rec)
			break;
		memset(u, 0, sizeof(*u));
		u->active = sh_str(rec, "active", buf, sizeof(buf)) && strcmp(buf, "true") == 0;
		u->cfg = sh_str(rec, "cfg", buf, sizeof(buf)) && strcmp(buf, "true") == 0;
		sh_str(rec, "cn", u->cn, sizeof(u->cn));
		sh_int(rec, "state", &u->state);
		sh_int(rec, "channel", &u->channel);
		sh_int(rec, "alert", &u->alert);
		sh_str(rec, "loc", u->loc, sizeof(u->loc));
		sh_str(rec, "object", u->object, sizeof(u->object));
		pr = strstr(rec, "<presence");
		if (pr)
			sh_str(pr, "status", u->presence_status, sizeof(u->presence_status));
		free(rec);
		n++;
	}
	return n;
}

int sh_initialize(const char *url, const char *cn, int *key)
{
	char inner[512];
	struct sh_resp r;
	int h = 0;

	snprintf(inner, sizeof(inner),
		 "<inno:Initialize><user xsi:type=\"xsd:string\">%s</user><appl>test</appl>"
		 "<v>true</v><v501>true</v501><v700>true</v700><v800>true</v800>"
		 "<vx1000>true</vx1000></inno:Initialize>", cn);
	if (sh_post(url, SH_TAPI, inner, 0, &r) == 0 && r.status == 200) {
		sh_int(r.body, "return", &h);
		if (key)
			sh_int(r.body, "key", key);
	}
	sh_free(&r);
	return h;
}

int sh_user_init(const char *url, int session, const char *cn, const char *hw)
{
	char inner[512];
	struct sh_resp r;
	int h = 0;

	snprintf(inner, sizeof(inner),
		 "<inno:UserInitialize><session>%d</session><user>%s</user><xfer>true</xfer>"
		 "<disc>false</disc><hw>%s</hw></inno:UserInitialize>", session, cn, hw ? hw : "");
	if (sh_post(url, SH_TAPI, inner, 0, &r) == 0 && r.status == 200)
		sh_int(r.body, "return", &h);
	sh_free(&r);
	return h;
}

int sh_poll(const char *url, int session, long timeout_ms, struct sh_resp *r)
{
	char inner[128];

	snprintf(inner, sizeof(inner), "<inno:Poll><session>%d</session></inno:Poll>", session);
	return sh_post(url, SH_TAPI, inner, timeout_ms, r);
}

int sh_drain_dump(const char *url, int session)
{
	int total = 0;

	for (int round = 0; round < 100; round++) {
		struct sh_resp r;
		struct sh_user u[256];
		size_t n;

		if (sh_poll(url, session, 0, &r) != 0 || r.status != 200) {
			sh_free(&r);
			return -1;
		}
		n = sh_users(r.body, u, 256);
		sh_free(&r);
		for (size_t i = 0; i < n; i++) {
			if (!u[i].cn[0])
				return total;
			total++;
		}
	}
	return -1;
}
