/* Response decoders over hand-written fixtures (tests/soap/fixtures/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"
#include "soap/pbx_rpc.h"
#include "test_codec_util.h"

struct fx {
	struct pbx_codec *cx;
	char *xml;
	size_t len;
	struct pbx_err err;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(pbx_codec_create(&f->cx), TSP8_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	pbx_codec_destroy(f->cx);
	free(f->xml);
	free(f);
	return 0;
}

static void load(struct fx *f, const char *name)
{
	free(f->xml);
	f->xml = fixture_load(name, &f->len);
}

static struct pbx_poll_result *poll_ok(struct fx *f, const char *name)
{
	struct pbx_poll_result *r = NULL;

	load(f, name);
	assert_int_equal(pbx_dec_poll(f->cx, f->xml, f->len, &r, &f->err), TSP8_OK);
	assert_non_null(r);
	assert_string_equal(f->err.msg, "");
	return r;
}

static void test_poll_dump(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = poll_ok(f, "poll_dump.xml");
	const struct pbx_poll *p = &r->p;
	const struct pbx_user *a, *b, *t;

	/* Four UserInfos: three users plus the empty-cn end of the dump. */
	assert_true(p->dump_end);
	assert_int_equal(p->nusers, 3);
	assert_int_equal(p->ncalls, 0);
	assert_null(p->calls);
	a = &p->users[0];
	b = &p->users[1];
	t = &p->users[2];
	assert_true(a->active);
	assert_string_equal(a->cn, "Alice Adams");
	assert_string_equal(a->dn, "Alice A.");
	assert_string_equal(a->type, "ep");
	assert_string_equal(a->e164, "21");
	assert_string_equal(a->h323, "alice");
	assert_string_equal(a->guid, "a1b2c3d4e5f60718293a4b5c6d7e8f90");
	assert_int_equal(a->state, 1);
	assert_int_equal(a->channel, 1);
	assert_int_equal(a->alert, 0);
	assert_string_equal(a->loc, "master");
	assert_string_equal(a->node, "root");
	assert_string_equal(a->object, "user");
	assert_string_equal(a->nodenum, "49");
	assert_string_equal(a->domain, "example.com");
	assert_true(a->cfg);
	assert_true(a->presence.present);
	assert_string_equal(a->presence.status, "open");
	assert_string_equal(a->presence.activity, "on-the-phone");
	assert_string_equal(a->presence.note, "back at 3");
	assert_int_equal(a->ngroups, 2);
	assert_string_equal(a->groups[0].group, "sales");
	assert_true(a->groups[0].active);
	assert_string_equal(a->groups[1].group, "support");
	assert_false(a->groups[1].active);
	assert_int_equal(a->ninfo, 1);
	assert_string_equal(pbx_user_info(a, "fake")->vals, "4930123");
	assert_null(pbx_user_info(a, "loc"));

	assert_string_equal(b->cn, "Bob Brown");
	assert_int_equal(b->state, 0);
	assert_true(b->presence.present);
	assert_string_equal(b->presence.status, "closed");
	assert_string_equal(b->presence.activity, "");
	assert_string_equal(b->presence.note, "");
	assert_int_equal(b->ngroups, 0);
	assert_string_equal(b->loc, "");
	assert_false(b->cfg);

	assert_string_equal(t->cn, "Trunk");
	assert_string_equal(t->type, "gw");
	assert_int_equal(t->channel, 3);
	assert_int_equal(t->alert, 2);
	assert_false(t->presence.present);
	pbx_poll_free(r);
}

static void test_poll_early_order(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = poll_ok(f, "poll_early_order.xml");
	const struct pbx_user *e;
	const struct pbx_call *c;

	assert_false(r->p.dump_end);
	assert_int_equal(r->p.nusers, 1);
	e = &r->p.users[0];
	assert_string_equal(e->guid, "e1");
	assert_true(e->active);
	assert_int_equal(e->state, 1);
	assert_int_equal(e->channel, 2);
	assert_int_equal(e->alert, 1);
	assert_string_equal(e->cn, "Eve Early");
	assert_string_equal(e->h323, "eve");
	assert_string_equal(e->presence.status, "closed");
	assert_string_equal(e->presence.activity, "away");
	assert_string_equal(e->loc, "slave1");
	assert_string_equal(e->nodenum, "7");
	assert_false(e->cfg);
	assert_int_equal(e->ngroups, 1);
	assert_string_equal(e->groups[0].group, "ops");
	assert_true(e->groups[0].active);
	assert_int_equal(e->ninfo, 1);
	assert_string_equal(e->info[0].type, "t");
	assert_int_equal(e->info[0].vali, 5);
	assert_string_equal(e->info[0].vals, "x");

	/* CallInfo with every part in reverse order. */
	assert_int_equal(r->p.ncalls, 1);
	c = &r->p.calls[0];
	assert_int_equal(c->user, 3);
	assert_int_equal(c->call, 77);
	assert_int_equal(c->state, 129);
	assert_true(c->active);
	assert_string_equal(c->msg, "x-setup");
	assert_string_equal(pbx_call_no(c, "this")->cn, "Eve Early");
	assert_string_equal(pbx_call_info(c, "conf")->vals, "c0ffee");
	pbx_poll_free(r);
}

static void test_poll_unknown_elements(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = poll_ok(f, "poll_unknown.xml");
	const struct pbx_user *u;

	assert_int_equal(r->p.nusers, 1);
	assert_int_equal(r->p.ncalls, 0);
	u = &r->p.users[0];
	assert_string_equal(u->cn, "Carol");
	assert_string_equal(u->dn, "Carol C.");
	assert_string_equal(u->type, "ep");
	assert_string_equal(u->e164, "44");
	assert_string_equal(u->guid, "c4");
	assert_int_equal(u->state, 1);
	/* An activity outside the WSDL enumeration is kept as text. */
	assert_string_equal(u->presence.activity, "brand-new-activity");
	assert_string_equal(u->presence.status, "open");
	pbx_poll_free(r);
}

static void test_poll_member_names(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = poll_ok(f, "poll_member_names.xml");
	const struct pbx_call *c;

	assert_int_equal(r->p.nusers, 3);
	assert_string_equal(r->p.users[0].cn, "Dan");
	assert_int_equal(r->p.users[0].ngroups, 2);
	assert_string_equal(r->p.users[0].groups[1].group, "g2");
	assert_string_equal(pbx_user_info(&r->p.users[0], "fake")->vals, "99");
	assert_string_equal(r->p.users[1].cn, "Fay");
	assert_string_equal(r->p.users[2].cn, "Gus");
	assert_false(r->p.users[2].active);
	assert_int_equal(r->p.ncalls, 2);
	c = &r->p.calls[0];
	assert_int_equal(c->call, 10);
	assert_int_equal(c->nnos, 2);
	assert_string_equal(pbx_call_no(c, "peer")->e164, "2");
	assert_int_equal(c->ninfo, 0);
	c = &r->p.calls[1];
	assert_int_equal(c->call, 11);
	assert_false(c->active);
	assert_string_equal(c->msg, "del");
	assert_int_equal(c->nnos, 0);
	assert_null(pbx_call_no(c, "this"));
	pbx_poll_free(r);
}

static void test_poll_minimal(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = poll_ok(f, "poll_minimal.xml");
	const struct pbx_user *u = &r->p.users[0];

	assert_int_equal(r->p.nusers, 1);
	assert_false(u->active);
	assert_string_equal(u->cn, "Henry");
	assert_false(u->presence.present);
	assert_string_equal(u->presence.status, "");
	assert_string_equal(u->presence.activity, "");
	assert_string_equal(u->presence.note, "");
	assert_int_equal(u->ngroups, 0);
	assert_null(u->groups);
	assert_int_equal(u->ninfo, 0);
	assert_null(u->info);
	/* Absent strings are "", never NULL. */
	assert_string_equal(u->loc, "");
	assert_string_equal(u->node, "");
	assert_string_equal(u->object, "");
	assert_string_equal(u->nodenum, "");
	assert_string_equal(u->domain, "");
	assert_false(u->cfg);
	pbx_poll_free(r);
}

static void test_poll_call(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = poll_ok(f, "poll_call.xml");
	const struct pbx_call *c = &r->p.calls[0];
	const struct pbx_no *no;
	const struct pbx_info *in;

	assert_int_equal(r->p.nusers, 0);
	assert_false(r->p.dump_end);
	assert_int_equal(r->p.ncalls, 1);
	assert_int_equal(c->user, 5);
	assert_int_equal(c->call, 9);
	assert_int_equal(c->reg, 0);
	assert_true(c->active);
	assert_int_equal(c->state, 132);
	assert_int_equal(c->state & PBX_CS_PHASE_MASK, PBX_CS_ALERT);
	assert_true(c->state & PBX_CS_OUTBOUND);
	assert_string_equal(c->msg, "r-alert");
	assert_int_equal(c->nnos, 3);
	no = pbx_call_no(c, "this");
	assert_non_null(no);
	assert_string_equal(no->cn, "Alice Adams");
	assert_string_equal(no->dn, "Alice A.");
	assert_string_equal(no->e164, "21");
	assert_string_equal(no->h323, "alice");
	no = pbx_call_no(c, "peer");
	assert_string_equal(no->cn, "");
	assert_string_equal(no->e164, "0301234");
	no = pbx_call_no(c, "leg2");
	assert_string_equal(no->cn, "Bob Brown");
	assert_null(pbx_call_no(c, "ct"));
	in = pbx_call_info(c, "conf");
	assert_string_equal(in->vals, "0a1b2c3d4e5f");
	in = pbx_call_info(c, "cause");
	assert_int_equal(in->vali, 16);
	assert_string_equal(in->vals, "");
	assert_null(pbx_call_info(c, "uui"));
	pbx_poll_free(r);
}

static void test_poll_multiref(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = poll_ok(f, "poll_multiref.xml");
	const struct pbx_call *c;

	assert_int_equal(r->p.nusers, 2);
	assert_string_equal(r->p.users[0].cn, "Ivy");
	assert_string_equal(r->p.users[1].cn, "Jon");
	/* One shared GroupArray, copied into each user. */
	assert_int_equal(r->p.users[0].ngroups, 1);
	assert_int_equal(r->p.users[1].ngroups, 1);
	assert_string_equal(r->p.users[1].groups[0].group, "shared");
	assert_int_equal(r->p.ncalls, 1);
	c = &r->p.calls[0];
	assert_int_equal(c->call, 20);
	assert_int_equal(c->state, 133);
	assert_string_equal(pbx_call_no(c, "peer")->cn, "Ivy");
	pbx_poll_free(r);
}

/* Array attributes gSOAP alone would mishandle (see soap/codec_xml.c). */
static void test_poll_array_attributes(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = poll_ok(f, "poll_array_attrs.xml");

	assert_int_equal(r->p.nusers, 2);        /* arrayType "[]" */
	assert_string_equal(r->p.users[0].cn, "K1");
	assert_string_equal(r->p.users[1].cn, "K2");
	assert_int_equal(r->p.ncalls, 3);        /* declared 1, sent 3 */
	assert_int_equal(r->p.calls[2].call, 3);
	assert_int_equal(r->p.calls[0].nnos, 2); /* unprefixed "No[1]" */
	assert_string_equal(r->p.calls[0].nos[1].type, "peer");
	pbx_poll_free(r);
}

static void test_poll_empty(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = poll_ok(f, "poll_empty.xml");

	assert_int_equal(r->p.nusers, 0);
	assert_int_equal(r->p.ncalls, 0);
	assert_false(r->p.dump_end);
	pbx_poll_free(r);
}

/* Results live in their own block: they survive later messages and the
 * codec itself. */
static void test_result_outlives_codec(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = poll_ok(f, "poll_dump.xml");
	struct pbx_poll_result *r2 = poll_ok(f, "poll_call.xml");

	pbx_codec_destroy(f->cx);
	f->cx = NULL;
	assert_string_equal(r->p.users[0].groups[1].group, "support");
	assert_string_equal(r2->p.calls[0].nos[2].cn, "Bob Brown");
	pbx_poll_free(r);
	pbx_poll_free(r2);
	pbx_poll_free(NULL);
	assert_int_equal(pbx_codec_create(&f->cx), TSP8_OK);
}

static void test_fault(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = NULL;
	int v = -1;

	load(f, "fault.xml");
	assert_int_equal(pbx_dec_poll(f->cx, f->xml, f->len, &r, &f->err), TSP8_EFAULT);
	assert_null(r);
	assert_string_equal(f->err.msg, "invalid session");
	assert_int_equal(pbx_dec_int(f->cx, f->xml, f->len, PBX_OP_ECHO, &v, &f->err), TSP8_EFAULT);
	assert_int_equal(v, -1);
	assert_string_equal(f->err.msg, "invalid session");
	assert_int_equal(pbx_dec_void(f->cx, f->xml, f->len, PBX_OP_END, NULL), TSP8_EFAULT);
}

static void test_garbage(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = NULL;
	const char *plain = "this is not xml at all";

	load(f, "http_garbage.txt");
	assert_int_equal(pbx_dec_poll(f->cx, f->xml, f->len, &r, &f->err), TSP8_EPROTO);
	assert_null(r);
	assert_true(strlen(f->err.msg) > 0);
	assert_int_equal(pbx_dec_poll(f->cx, plain, strlen(plain), &r, &f->err), TSP8_EPROTO);
	assert_int_equal(pbx_dec_poll(f->cx, "", 0, &r, &f->err), TSP8_EPROTO);
	assert_int_equal(pbx_dec_poll(f->cx, NULL, 0, &r, &f->err), TSP8_EPROTO);
	assert_null(r);
}

/* The response element must belong to the operation asked for. */
static void test_wrong_response(void **state)
{
	struct fx *f = *state;
	struct pbx_poll_result *r = NULL;
	bool b = false;

	load(f, "echo0.xml");
	assert_int_equal(pbx_dec_poll(f->cx, f->xml, f->len, &r, &f->err), TSP8_EPROTO);
	assert_non_null(strstr(f->err.msg, "EchoResponse"));
	assert_int_equal(pbx_dec_void(f->cx, f->xml, f->len, PBX_OP_END, &f->err), TSP8_EPROTO);
	load(f, "user_redirect.xml");
	assert_int_equal(pbx_dec_bool(f->cx, f->xml, f->len, PBX_OP_USER_REROUTE, &b, &f->err), TSP8_EPROTO);
	assert_null(r);
}

static void test_version(void **state)
{
	struct fx *f = *state;
	struct pbx_version_result *r = NULL;

	load(f, "version.xml");
	assert_int_equal(pbx_dec_version(f->cx, f->xml, f->len, &r, &f->err), TSP8_OK);
	assert_int_equal(r->v.wsdl_version, 1000);
	assert_string_equal(r->v.gatekeeper_id, "pbx.example.com");
	assert_string_equal(r->v.location, "master");
	assert_string_equal(r->v.firmware, "13r2 sr5 IP811[13.4250]");
	assert_string_equal(r->v.serial, "00-90-33-00-00-2d");
	pbx_version_free(r);
	pbx_version_free(NULL);
}

static void test_initialize_and_echo(void **state)
{
	struct fx *f = *state;
	int session = 0, key = 0, ret = -1;

	load(f, "initialize.xml");
	assert_int_equal(pbx_dec_initialize(f->cx, f->xml, f->len, &session, &key, &f->err), TSP8_OK);
	assert_int_equal(session, 17);
	assert_int_equal(key, 4711);
	load(f, "echo0.xml");
	assert_int_equal(pbx_dec_int(f->cx, f->xml, f->len, PBX_OP_ECHO, &ret, &f->err), TSP8_OK);
	assert_int_equal(ret, 0);
	load(f, "user_initialize.xml");
	assert_int_equal(pbx_dec_int(f->cx, f->xml, f->len, PBX_OP_USER_INITIALIZE, &ret, &f->err), TSP8_OK);
	assert_int_equal(ret, 5);
	/* An op without an int result is an argument error. */
	assert_int_equal(pbx_dec_int(f->cx, f->xml, f->len, PBX_OP_POLL, &ret, &f->err), TSP8_EINVAL);
	assert_int_equal(pbx_dec_int(f->cx, f->xml, f->len, PBX_OP_USER_INITIALIZE, NULL, &f->err), TSP8_EINVAL);
	assert_int_equal(pbx_dec_initialize(NULL, f->xml, f->len, &session, &key, NULL), TSP8_EINVAL);
}

static void test_bool_and_string(void **state)
{
	struct fx *f = *state;
	bool b = false;
	char *s = NULL;

	load(f, "user_redirect.xml");
	assert_int_equal(pbx_dec_bool(f->cx, f->xml, f->len, PBX_OP_USER_REDIRECT, &b, &f->err), TSP8_OK);
	assert_true(b);
	load(f, "user_reroute.xml");
	assert_int_equal(pbx_dec_bool(f->cx, f->xml, f->len, PBX_OP_USER_REROUTE, &b, &f->err), TSP8_OK);
	assert_false(b);
	assert_int_equal(pbx_dec_bool(f->cx, f->xml, f->len, PBX_OP_ADMIN, &b, &f->err), TSP8_EINVAL);

	load(f, "location_url.xml");
	assert_int_equal(pbx_dec_string(f->cx, f->xml, f->len, PBX_OP_LOCATION_URL, &s, &f->err), TSP8_OK);
	assert_string_equal(s, "https://slave1.example.com/PBX0/user.soap");
	free(s);
	load(f, "admin.xml");
	assert_int_equal(pbx_dec_string(f->cx, f->xml, f->len, PBX_OP_ADMIN, &s, &f->err), TSP8_OK);
	assert_string_equal(s, "<show><user cn=\"Alice Adams\" h323=\"alice\"><cd type=\"cfu\"><ep e164=\"22\"/></cd></user></show>");
	free(s);
	assert_int_equal(pbx_dec_string(f->cx, f->xml, f->len, PBX_OP_VERSION, &s, &f->err), TSP8_EINVAL);
}

static void test_void(void **state)
{
	struct fx *f = *state;

	load(f, "end.xml");
	assert_int_equal(pbx_dec_void(f->cx, f->xml, f->len, PBX_OP_END, &f->err), TSP8_OK);
	load(f, "user_end.xml");
	assert_int_equal(pbx_dec_void(f->cx, f->xml, f->len, PBX_OP_USER_END, &f->err), TSP8_OK);
	/* A result-carrying answer can be checked without extracting it. */
	load(f, "poll_dump.xml");
	assert_int_equal(pbx_dec_void(f->cx, f->xml, f->len, PBX_OP_POLL, &f->err), TSP8_OK);
	assert_int_equal(pbx_dec_void(f->cx, f->xml, f->len, PBX_OP_COUNT, &f->err), TSP8_EINVAL);
}

static void test_find_user(void **state)
{
	struct fx *f = *state;
	struct pbx_users_result *r = NULL;

	load(f, "find_user.xml");
	assert_int_equal(pbx_dec_find_user(f->cx, f->xml, f->len, &r, &f->err), TSP8_OK);
	assert_int_equal(r->nusers, 2);
	assert_false(r->incomplete);
	assert_string_equal(r->users[0].cn, "Alice Adams");
	assert_string_equal(r->users[1].cn, "Bob Brown");
	assert_string_equal(r->users[1].node, "branch");
	pbx_users_free(r);
	pbx_users_free(NULL);
}

static void test_find_destination(void **state)
{
	struct fx *f = *state;
	struct pbx_users_result *r = NULL;

	load(f, "find_destination.xml");
	assert_int_equal(pbx_dec_user_find_destination(f->cx, f->xml, f->len, &r, &f->err), TSP8_OK);
	assert_false(r->incomplete);
	assert_int_equal(r->nusers, 1);
	assert_string_equal(r->users[0].cn, "Bob Brown");
	assert_int_equal(r->users[0].state, 1);
	pbx_users_free(r);

	load(f, "find_destination_incomplete.xml");
	assert_int_equal(pbx_dec_user_find_destination(f->cx, f->xml, f->len, &r, &f->err), TSP8_OK);
	assert_true(r->incomplete);
	assert_int_equal(r->nusers, 0);
	assert_null(r->users);
	pbx_users_free(r);
}

static void test_devices_and_calls(void **state)
{
	struct fx *f = *state;
	struct pbx_devices_result *d = NULL;
	struct pbx_calls_result *c = NULL;

	load(f, "devices.xml");
	assert_int_equal(pbx_dec_devices(f->cx, f->xml, f->len, &d, &f->err), TSP8_OK);
	assert_int_equal(d->ndevices, 2);
	assert_string_equal(d->devices[0].hw, "009033000001");
	assert_string_equal(d->devices[0].text, "Desk phone");
	assert_string_equal(d->devices[1].hw, "mobile-1");
	pbx_devices_free(d);
	pbx_devices_free(NULL);

	load(f, "calls.xml");
	assert_int_equal(pbx_dec_calls(f->cx, f->xml, f->len, &c, &f->err), TSP8_OK);
	assert_int_equal(c->ncalls, 2);
	assert_int_equal(c->calls[0].state, 5);
	assert_string_equal(pbx_call_no(&c->calls[0], "peer")->e164, "030555");
	assert_int_equal(c->calls[1].state, 388);
	assert_true(c->calls[1].state & PBX_CS_HOLD);
	assert_int_equal(c->calls[1].nnos, 0);
	pbx_calls_free(c);
	pbx_calls_free(NULL);
}

static void test_record_helpers_null(void **state)
{
	struct pbx_call c;
	struct pbx_user u;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&u, 0, sizeof(u));
	assert_null(pbx_call_no(NULL, "this"));
	assert_null(pbx_call_no(&c, NULL));
	assert_null(pbx_call_no(&c, "this"));
	assert_null(pbx_call_info(NULL, "conf"));
	assert_null(pbx_call_info(&c, "conf"));
	assert_null(pbx_user_info(NULL, "fake"));
	assert_null(pbx_user_info(&u, NULL));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_poll_dump),
		T(test_poll_early_order),
		T(test_poll_unknown_elements),
		T(test_poll_member_names),
		T(test_poll_minimal),
		T(test_poll_call),
		T(test_poll_multiref),
		T(test_poll_array_attributes),
		T(test_poll_empty),
		T(test_result_outlives_codec),
		T(test_fault),
		T(test_garbage),
		T(test_wrong_response),
		T(test_version),
		T(test_initialize_and_echo),
		T(test_bool_and_string),
		T(test_void),
		T(test_find_user),
		T(test_find_destination),
		T(test_devices_and_calls),
		cmocka_unit_test(test_record_helpers_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
