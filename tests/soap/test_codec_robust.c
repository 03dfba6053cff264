/* Hostile input for every decoder: truncation at every length, each
 * fixture through every decoder, a seeded mutation run, deep nesting, huge
 * values, huge arrays, broken references and invalid UTF-8.  Passing means:
 * no crash, only TSP8_OK / TSP8_EPROTO / TSP8_EFAULT, every returned string
 * readable and valid UTF-8 (leaks are caught by running the suite under
 * valgrind or with -DTSP8_SANITIZE=ON). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"
#include "soap/pbx_rpc.h"
#include "test_codec_util.h"

enum dec_kind {
	DK_POLL, DK_VERSION, DK_INITIALIZE, DK_INT_ECHO, DK_INT_USER_INIT, DK_BOOL_REDIRECT, DK_BOOL_REROUTE,
	DK_STRING_LOCATION, DK_STRING_ADMIN, DK_VOID_END, DK_VOID_USER_END, DK_FIND_USER, DK_FIND_DEST,
	DK_CALLS, DK_DEVICES, DK_COUNT
};

/* Fixtures and the decoder each is meant for. */
static const struct { const char *name; enum dec_kind kind; } fixtures[] = {
	{ "poll_dump.xml", DK_POLL },           { "poll_early_order.xml", DK_POLL },
	{ "poll_unknown.xml", DK_POLL },        { "poll_member_names.xml", DK_POLL },
	{ "poll_minimal.xml", DK_POLL },        { "poll_call.xml", DK_POLL },
	{ "poll_multiref.xml", DK_POLL },       { "poll_array_attrs.xml", DK_POLL },
	{ "poll_empty.xml", DK_POLL },          { "fault.xml", DK_POLL },
	{ "http_garbage.txt", DK_POLL },        { "version.xml", DK_VERSION },
	{ "initialize.xml", DK_INITIALIZE },    { "echo0.xml", DK_INT_ECHO },
	{ "user_initialize.xml", DK_INT_USER_INIT }, { "user_redirect.xml", DK_BOOL_REDIRECT },
	{ "user_reroute.xml", DK_BOOL_REROUTE }, { "location_url.xml", DK_STRING_LOCATION },
	{ "admin.xml", DK_STRING_ADMIN },       { "end.xml", DK_VOID_END },
	{ "user_end.xml", DK_VOID_USER_END },   { "find_user.xml", DK_FIND_USER },
	{ "find_destination.xml", DK_FIND_DEST }, { "find_destination_incomplete.xml", DK_FIND_DEST },
	{ "devices.xml", DK_DEVICES },          { "calls.xml", DK_CALLS },
};
#define NFIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))

/* Reads every byte of s and checks it is UTF-8 (a wild pointer or missing
 * terminator shows up under valgrind/ASan). */
static void touch(const char *s)
{
	assert_non_null(s);
	assert_true(utf8_valid(s));
}

static void touch_user(const struct pbx_user *u)
{
	const char *s[] = { u->cn, u->dn, u->type, u->e164, u->h323, u->guid, u->loc, u->node, u->object,
			    u->nodenum, u->domain, u->presence.status, u->presence.activity, u->presence.note };

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		touch(s[i]);
	for (size_t i = 0; i < u->ngroups; i++)
		touch(u->groups[i].group);
	for (size_t i = 0; i < u->ninfo; i++) {
		touch(u->info[i].type);
		touch(u->info[i].vals);
	}
}

static void touch_call(const struct pbx_call *c)
{
	touch(c->msg);
	for (size_t i = 0; i < c->nnos; i++) {
		touch(c->nos[i].type);
		touch(c->nos[i].cn);
		touch(c->nos[i].dn);
		touch(c->nos[i].e164);
		touch(c->nos[i].h323);
	}
	for (size_t i = 0; i < c->ninfo; i++) {
		touch(c->info[i].type);
		touch(c->info[i].vals);
	}
}

/* Runs one decoder; checks the result class and walks any result. */
static int run(struct pbx_codec *cx, enum dec_kind k, const char *xml, size_t len)
{
	struct pbx_err err;
	int rc = TSP8_EINVAL, v = 0, w = 0;
	bool b = false;
	char *s = NULL;

	switch (k) {
	case DK_POLL: {
		struct pbx_poll_result *r = NULL;
		rc = pbx_dec_poll(cx, xml, len, &r, &err);
		if (r) {
			for (size_t i = 0; i < r->p.nusers; i++)
				touch_user(&r->p.users[i]);
			for (size_t i = 0; i < r->p.ncalls; i++)
				touch_call(&r->p.calls[i]);
		}
		pbx_poll_free(r);
		break;
	}
	case DK_VERSION: {
		struct pbx_version_result *r = NULL;
		rc = pbx_dec_version(cx, xml, len, &r, &err);
		if (r) {
			touch(r->v.gatekeeper_id);
			touch(r->v.location);
			touch(r->v.firmware);
			touch(r->v.serial);
		}
		pbx_version_free(r);
		break;
	}
	case DK_INITIALIZE:
		rc = pbx_dec_initialize(cx, xml, len, &v, &w, &err);
		break;
	case DK_INT_ECHO:
		rc = pbx_dec_int(cx, xml, len, PBX_OP_ECHO, &v, &err);
		break;
	case DK_INT_USER_INIT:
		rc = pbx_dec_int(cx, xml, len, PBX_OP_USER_INITIALIZE, &v, &err);
		break;
	case DK_BOOL_REDIRECT:
		rc = pbx_dec_bool(cx, xml, len, PBX_OP_USER_REDIRECT, &b, &err);
		break;
	case DK_BOOL_REROUTE:
		rc = pbx_dec_bool(cx, xml, len, PBX_OP_USER_REROUTE, &b, &err);
		break;
	case DK_STRING_LOCATION:
	case DK_STRING_ADMIN:
		rc = pbx_dec_string(cx, xml, len, k == DK_STRING_ADMIN ? PBX_OP_ADMIN : PBX_OP_LOCATION_URL, &s, &err);
		if (s)
			touch(s);
		free(s);
		break;
	case DK_VOID_END:
		rc = pbx_dec_void(cx, xml, len, PBX_OP_END, &err);
		break;
	case DK_VOID_USER_END:
		rc = pbx_dec_void(cx, xml, len, PBX_OP_USER_END, &err);
		break;
	case DK_FIND_USER:
	case DK_FIND_DEST: {
		struct pbx_users_result *r = NULL;
		rc = k == DK_FIND_USER ? pbx_dec_find_user(cx, xml, len, &r, &err)
				       : pbx_dec_user_find_destination(cx, xml, len, &r, &err);
		for (size_t i = 0; r && i < r->nusers; i++)
			touch_user(&r->users[i]);
		pbx_users_free(r);
		break;
	}
	case DK_CALLS: {
		struct pbx_calls_result *r = NULL;
		rc = pbx_dec_calls(cx, xml, len, &r, &err);
		for (size_t i = 0; r && i < r->ncalls; i++)
			touch_call(&r->calls[i]);
		pbx_calls_free(r);
		break;
	}
	case DK_DEVICES: {
		struct pbx_devices_result *r = NULL;
		rc = pbx_dec_devices(cx, xml, len, &r, &err);
		for (size_t i = 0; r && i < r->ndevices; i++) {
			touch(r->devices[i].hw);
			touch(r->devices[i].text);
		}
		pbx_devices_free(r);
		break;
	}
	case DK_COUNT:
		break;
	}
	if (rc != TSP8_OK && rc != TSP8_EPROTO && rc != TSP8_EFAULT)
		fail_msg("decoder %d returned %d", (int)k, rc);
	if (rc != TSP8_OK)
		assert_true(strlen(err.msg) > 0);   /* every failure explains itself */
	return rc;
}

static int setup(void **state)
{
	struct pbx_codec *cx = NULL;

	assert_int_equal(pbx_codec_create(&cx), TSP8_OK);
	*state = cx;
	return 0;
}

static int teardown(void **state)
{
	pbx_codec_destroy(*state);
	return 0;
}

/* Every fixture decodes with its own decoder as the decode tests expect. */
static void test_fixtures_decode(void **state)
{
	for (size_t i = 0; i < NFIXTURES; i++) {
		size_t len;
		char *xml = fixture_load(fixtures[i].name, &len);
		int rc = run(*state, fixtures[i].kind, xml, len);

		if (!strcmp(fixtures[i].name, "fault.xml"))
			assert_int_equal(rc, TSP8_EFAULT);
		else if (!strcmp(fixtures[i].name, "http_garbage.txt"))
			assert_int_equal(rc, TSP8_EPROTO);
		else
			assert_int_equal(rc, TSP8_OK);
		free(xml);
	}
}

/* Every proper prefix of every fixture (in an exactly-sized heap buffer)
 * fails cleanly; only the complete document may succeed. */
static void test_truncation(void **state)
{
	for (size_t i = 0; i < NFIXTURES; i++) {
		size_t len, complete;
		char *xml = fixture_load(fixtures[i].name, &len);

		/* The document ends with its last '>'; trailing newlines are optional. */
		complete = len;
		while (complete > 0 && xml[complete - 1] != '>')
			complete--;
		for (size_t n = 0; n < len; n++) {
			char *cut = malloc(n ? n : 1);
			int rc;

			assert_non_null(cut);
			memcpy(cut, xml, n);
			rc = run(*state, fixtures[i].kind, cut, n);
			if (n < complete && rc == TSP8_OK)
				fail_msg("%s cut at %zu of %zu decoded", fixtures[i].name, n, len);
			free(cut);
		}
		free(xml);
	}
}

/* Each fixture through every decoder: wrong answers fail cleanly. */
static void test_cross_decoders(void **state)
{
	for (size_t i = 0; i < NFIXTURES; i++) {
		size_t len;
		char *xml = fixture_load(fixtures[i].name, &len);

		for (int k = 0; k < DK_COUNT; k++) {
			int rc = run(*state, (enum dec_kind)k, xml, len);

			if ((enum dec_kind)k != fixtures[i].kind && !strstr(fixtures[i].name, "find_destination"))
				assert_int_not_equal(rc, TSP8_OK);
		}
		free(xml);
	}
}

/* xorshift64*: deterministic, seeded per test run. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

/* Applies 1..4 random edits: byte flips, insertions of XML-significant or
 * random bytes, deletions and duplications of short ranges. */
static char *mutate(const char *xml, size_t len, size_t *out_len, uint64_t *seed)
{
	static const char significant[] = "<>/=\"'&;:#[]!?- \n\0\x80\xff";
	size_t cap = len * 2 + 64, n = len;
	char *buf = malloc(cap);
	int edits = 1 + (int)(rnd(seed) % 4);

	assert_non_null(buf);
	memcpy(buf, xml, len);
	for (int e = 0; e < edits; e++) {
		size_t pos = n ? (size_t)(rnd(seed) % n) : 0, span = 1 + (size_t)(rnd(seed) % 16);

		switch (rnd(seed) % 5) {
		case 0:   /* flip to a random byte */
			if (n)
				buf[pos] = (char)rnd(seed);
			break;
		case 1:   /* insert an XML-significant byte */
		case 2:   /* insert a random byte */
			if (n + 1 < cap) {
				memmove(buf + pos + 1, buf + pos, n - pos);
				buf[pos] = (rnd(seed) & 1) ? significant[rnd(seed) % (sizeof(significant) - 1)]
							   : (char)rnd(seed);
				n++;
			}
			break;
		case 3:   /* delete a range */
			if (span > n - pos)
				span = n - pos;
			memmove(buf + pos, buf + pos + span, n - pos - span);
			n -= span;
			break;
		default:  /* duplicate a range */
			if (span > n - pos)
				span = n - pos;
			if (n + span < cap) {
				memmove(buf + pos + span, buf + pos, n - pos);
				n += span;
			}
			break;
		}
	}
	*out_len = n;
	return buf;
}

static void test_mutations(void **state)
{
	uint64_t seed = 0x7453503843ull;   /* fixed: the run is reproducible */
	char *xml[NFIXTURES];
	size_t len[NFIXTURES];
	int ok = 0, failed = 0;

	for (size_t i = 0; i < NFIXTURES; i++)
		xml[i] = fixture_load(fixtures[i].name, &len[i]);
	for (int iter = 0; iter < 3000; iter++) {
		size_t f = (size_t)(rnd(&seed) % NFIXTURES), n;
		char *m = mutate(xml[f], len[f], &n, &seed);

		/* Every decoder on every mutation; count its own decoder's outcome. */
		for (int k = 0; k < DK_COUNT; k++) {
			int rc = run(*state, (enum dec_kind)k, m, n);

			if ((enum dec_kind)k == fixtures[f].kind)
				rc == TSP8_OK ? ok++ : failed++;
		}
		free(m);
	}
	/* Both outcomes occur: the mutations are neither all harmless nor all fatal. */
	assert_true(ok > 100);
	assert_true(failed > 100);
	for (size_t i = 0; i < NFIXTURES; i++)
		free(xml[i]);
}

/* Builds "<envelope><PollResponse><return><user><item>" + middle + closing. */
static char *poll_doc(const char *middle, size_t *len)
{
	static const char head[] =
		"<?xml version=\"1.0\"?><E:Envelope xmlns:E=\"http://schemas.xmlsoap.org/soap/envelope/\" "
		"xmlns:inno=\"http://innovaphone.com/pbx\"><E:Body><inno:PollResponse><return><user>";
	static const char tail[] = "</user></return></inno:PollResponse></E:Body></E:Envelope>";
	size_t n = strlen(head) + strlen(middle) + strlen(tail);
	char *doc = malloc(n + 1);

	assert_non_null(doc);
	strcpy(doc, head);
	strcat(doc, middle);
	strcat(doc, tail);
	*len = n;
	return doc;
}

/* A string builder for generated documents. */
struct sb { char *p; size_t n, cap; };

static void sb_add(struct sb *b, const char *s)
{
	size_t k = strlen(s);

	if (b->n + k + 1 > b->cap) {
		b->cap = (b->n + k + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, s, k + 1);
	b->n += k;
}

static void test_deep_nesting(void **state)
{
	struct sb b = { NULL, 0, 0 };
	struct pbx_poll_result *r = NULL;
	struct pbx_err err;
	size_t len;
	char *doc;
	int rc;

	/* 100000 levels of an unknown element inside a UserInfo. */
	sb_add(&b, "<item><cn>Deep</cn><unknown>");
	for (int i = 0; i < 100000; i++)
		sb_add(&b, "<x>");
	for (int i = 0; i < 100000; i++)
		sb_add(&b, "</x>");
	sb_add(&b, "</unknown></item>");
	doc = poll_doc(b.p, &len);
	rc = pbx_dec_poll(*state, doc, len, &r, &err);
	assert_int_equal(rc, TSP8_OK);
	assert_int_equal(r->p.nusers, 1);
	assert_string_equal(r->p.users[0].cn, "Deep");
	pbx_poll_free(r);
	free(doc);

	/* Never closed: must fail, not recurse or loop. */
	b.n = 0;
	sb_add(&b, "<item><cn>Deep</cn>");
	for (int i = 0; i < 100000; i++)
		sb_add(&b, "<presence>");
	doc = poll_doc(b.p, &len);
	assert_int_equal(run(*state, DK_POLL, doc, len), TSP8_EPROTO);
	free(doc);
	free(b.p);
}

static void test_huge_values(void **state)
{
	const size_t big = 4u << 20;
	struct pbx_poll_result *r = NULL;
	struct pbx_err err;
	char *middle = malloc(big + 64);
	size_t len;
	char *doc;

	assert_non_null(middle);
	strcpy(middle, "<item><cn>");
	memset(middle + 10, 'x', big);
	strcpy(middle + 10 + big, "</cn></item>");
	doc = poll_doc(middle, &len);
	assert_int_equal(pbx_dec_poll(*state, doc, len, &r, &err), TSP8_OK);
	assert_int_equal(strlen(r->p.users[0].cn), big);
	pbx_poll_free(r);
	free(doc);
	free(middle);
}

static void test_huge_arrays(void **state)
{
	struct sb b = { NULL, 0, 0 };
	struct pbx_poll_result *r = NULL;
	struct pbx_err err;
	size_t len;
	char *doc;

	for (int i = 0; i < 20000; i++)
		sb_add(&b, "<item><cn>u</cn><state>1</state></item>");
	doc = poll_doc(b.p, &len);
	assert_int_equal(pbx_dec_poll(*state, doc, len, &r, &err), TSP8_OK);
	assert_int_equal(r->p.nusers, 20000);
	pbx_poll_free(r);
	free(doc);

	/* Beyond gSOAP's member limit (100000): refused, not allocated. */
	for (int i = 20000; i < 100002; i++)
		sb_add(&b, "<i/>");
	doc = poll_doc(b.p, &len);
	assert_int_equal(run(*state, DK_POLL, doc, len), TSP8_EPROTO);
	free(doc);
	free(b.p);
}

static void test_broken_references(void **state)
{
	static const char *const docs[] = {
		/* href to an id that does not exist */
		"<item href=\"#nowhere\"/>",
		/* an id used twice */
		"<item id=\"a\"><cn>1</cn></item><item id=\"a\"><cn>2</cn></item>",
		/* a self reference */
		"<item id=\"s\" href=\"#s\"/>",
		/* href to an element of another type */
		"<item href=\"#t\"/><item id=\"t\" xsi:type=\"xsd:int\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
		"xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">5</item>",
		/* empty and odd href values */
		"<item href=\"\"/><item href=\"#\"/><item href=\"x\"/>",
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		size_t len;
		char *doc = poll_doc(docs[i], &len);
		int rc = run(*state, DK_POLL, doc, len);

		/* Dangling, duplicate and self references are errors; a reference
		 * to a value of another type is ignored by gSOAP. */
		if (i < 3)
			assert_int_equal(rc, TSP8_EPROTO);
		free(doc);
	}
}

static void test_invalid_utf8(void **state)
{
	static const char *const values[] = {
		"a\xff" "b", "\xfe\xc3\x28", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "&#xD800;", "&#x110000;",
		"&#0;", "&bogus;", "x\x01y",
	};

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char middle[128];
		struct pbx_poll_result *r = NULL;
		struct pbx_err err;
		size_t len;
		char *doc;

		snprintf(middle, sizeof(middle), "<item><cn>%s</cn><dn>ok</dn></item>", values[i]);
		doc = poll_doc(middle, &len);
		assert_int_equal(pbx_dec_poll(*state, doc, len, &r, &err), TSP8_OK);
		assert_int_equal(r->p.nusers, i == 7 ? 0 : 1);   /* "&#0;" empties cn: the dump end */
		if (r->p.nusers) {
			touch_user(&r->p.users[0]);
			assert_string_equal(r->p.users[0].dn, "ok");
		}
		pbx_poll_free(r);
		free(doc);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_fixtures_decode),
		T(test_truncation),
		T(test_cross_decoders),
		T(test_mutations),
		T(test_deep_nesting),
		T(test_huge_values),
		T(test_huge_arrays),
		T(test_broken_references),
		T(test_invalid_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
