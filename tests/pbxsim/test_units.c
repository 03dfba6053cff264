/* pbxsim unit tests: tree loader, XML tree, wire rewrite, control words,
 * call engine records, Admin and forwarding, FindUser paging - in process,
 * without HTTP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "admin.h"
#include "base/error.h"
#include "call_ops.h"
#include "calls.h"
#include "control.h"
#include "lookup.h"
#include "session.h"
#include "tree_load.h"
#include "wire.h"
#include "xml_mini.h"

static const char tree[] =
	"{\"pbxs\":[{\"name\":\"m\",\"objects\":["
	"{\"cn\":\"T\",\"h323\":\"t\",\"password\":\"p\",\"groups\":[{\"group\":\"g\",\"active\":true}]},"
	"{\"cn\":\"Alice\",\"h323\":\"alice\",\"e164\":\"21\",\"groups\":[{\"group\":\"g\"}],"
	" \"devices\":[{\"hw\":\"A1\"}],\"registered\":[\"A1\"]},"
	"{\"cn\":\"Bob\",\"h323\":\"bob\",\"e164\":\"22\",\"groups\":[{\"group\":\"g\"}],"
	" \"devices\":[{\"hw\":\"B1\"}],\"registered\":[\"B1\"]},"
	"{\"cn\":\"Carl\",\"h323\":\"carl\",\"e164\":\"23\",\"groups\":[{\"group\":\"g\"}],"
	" \"devices\":[{\"hw\":\"C1\"}],\"registered\":[\"C1\"]},"
	"{\"cn\":\"Dora\",\"h323\":\"dora\",\"e164\":\"24\",\"hide\":true,"
	" \"devices\":[{\"hw\":\"D1\"}]},"
	"{\"cn\":\"Trunk\",\"e164\":\"0\",\"type\":\"gw\",\"groups\":[{\"group\":\"g\"}]}"
	"]}]}";

struct fx {
	struct sim *sim;
	struct sim_pbx *pbx;
	struct sim_session *s;
	int ua, ub, uc;
};

static int fx_setup(void **state)
{
	struct sim_options o = { 1000, 10000, false };
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];
	int key;

	assert_non_null(f);
	assert_int_equal(sim_create(&f->sim, &o), TSP8_OK);
	assert_int_equal(tree_load_text(f->sim, "t", tree, NULL, err, sizeof(err)), TSP8_OK);
	f->pbx = f->sim->pbxs[0];
	assert_int_equal(session_initialize(f->pbx, NULL, "T", "unit", true, &key), 1);
	f->s = session_get(f->pbx, 1);
	assert_non_null(f->s);
	f->s->dump_done = true;
	f->ua = session_user_init(f->pbx, f->s, "Alice", true, false, "");
	f->ub = session_user_init(f->pbx, f->s, "Bob", false, false, "");
	f->uc = session_user_init(f->pbx, f->s, "Carl", false, false, "");
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	sim_destroy(f->sim);
	free(f);
	return 0;
}

/* Takes the queued events of the session (caller frees). */
static struct sim_event *take(struct fx *f)
{
	struct sim_event *l = f->s->head;

	f->s->head = f->s->tail = NULL;
	f->s->nevents = 0;
	return l;
}

/* The n-th CallInfo of user handle u in list, NULL when fewer. */
static const struct sim_callinfo *nth_call(const struct sim_event *l, int u, int n)
{
	for (; l; l = l->next)
		if (l->kind == SIM_EV_CALL && l->u.call.user == u && n-- == 0)
			return &l->u.call;
	return NULL;
}

static bool has_no(const struct sim_callinfo *c, const char *type, const char *cn)
{
	for (size_t i = 0; i < c->nno; i++)
		if (strcmp(c->no[i].type, type) == 0 && (!cn || strcmp(c->no[i].cn, cn) == 0))
			return true;
	return false;
}

/* ---- tree loader --------------------------------------------------------- */

static void expect_tree_error(const char *text, const char *path, const char *what)
{
	struct sim_options o = { 1000, 1000, false };
	struct sim *sim;
	char err[256];

	assert_int_equal(sim_create(&sim, &o), TSP8_OK);
	assert_int_equal(tree_load_text(sim, "bad.json", text, NULL, err, sizeof(err)), TSP8_ESYNTAX);
	assert_non_null(strstr(err, "bad.json: "));
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, what));
	assert_int_equal(sim->npbx, 0);
	sim_destroy(sim);
}

static void test_tree_errors(void **state)
{
	(void)state;
	expect_tree_error("{", "$", "not valid JSON");
	expect_tree_error("{\"pbxs\":[]}", "$.pbxs", "at least one PBX");
	expect_tree_error("{\"pbxs\":[{\"objects\":[]}]}", "$.pbxs[0].name", "missing");
	expect_tree_error("{\"pbxs\":[{\"name\":\"m\",\"objects\":[{\"cn\":\"a\",\"type\":\"phone\"}]}]}",
			  "$.pbxs[0].objects[0]", "type \"phone\"");
	expect_tree_error("{\"pbxs\":[{\"name\":\"m\",\"objects\":[{\"cn\":\"a\"},{\"cn\":\"a\"}]}]}",
			  "$.pbxs[0].objects[1]", "duplicate cn");
	expect_tree_error("{\"pbxs\":[{\"name\":\"m\",\"objects\":[{\"cn\":\"a\",\"e164\":21}]}]}",
			  "$.pbxs[0].objects[0].e164", "expected a string");
	expect_tree_error("{\"pbxs\":[{\"name\":\"m\",\"prot\":1}]}", "$.pbxs[0]", "unknown key \"prot\"");
	expect_tree_error("{\"pbxs\":[{\"name\":\"m\",\"port\":70000}]}", "$.pbxs[0].port", "0 to 65535");
	expect_tree_error("{\"pbxs\":[{\"name\":\"m\",\"objects\":[{\"cn\":\"a\",\"registered\":[\"X\"]}]}]}",
			  "$.pbxs[0].objects[0].registered[0]", "not in this object's devices");
	expect_tree_error("{\"pbxs\":[{\"name\":\"m\",\"wire\":{\"order\":\"late\"}}]}",
			  "$.pbxs[0].wire", "order must be");
	expect_tree_error("{\"pbxs\":[{\"name\":\"m\",\"objects\":[{\"cn\":\"a\",\"guid\":\"xyz\"}]}]}",
			  "$.pbxs[0].objects[0]", "32 hex");
}

static void test_tree_defaults(void **state)
{
	struct fx *f = *state;
	struct sim_object *a = model_find_cn(f->pbx, "Alice"), *a2;
	char guid[SIM_GUID];

	assert_non_null(a);
	assert_string_equal(a->type, "ep");
	assert_string_equal(a->node, "root");
	assert_string_equal(a->object, "user");
	assert_string_equal(a->dn, "Alice");
	assert_true(model_registered(a));
	assert_int_equal(strlen(a->guid), 32);
	model_derive_guid(guid, "m", "Alice");
	assert_string_equal(guid, a->guid);
	a2 = model_find_cn(f->pbx, "Bob");
	assert_string_not_equal(a->guid, a2->guid);
	assert_int_equal(f->pbx->dump_chunk, 100);
	assert_ptr_equal(model_trunk(f->pbx), model_find_cn(f->pbx, "Trunk"));
	/* scope: T is active in g: everyone in g, not Dora */
	assert_int_equal(f->s->nscope, 5);
	assert_false(session_in_scope(f->s, model_find_cn(f->pbx, "Dora")));
}

/* ---- XML ----------------------------------------------------------------- */

static void test_xml_roundtrip(void **state)
{
	const char *in = "<a x=\"1\" y='2'><b>t&amp;x</b><!-- c --><c/><![CDATA[<z>]]></a>";
	struct xml_node *root;
	struct strbuf sb;
	char err[128], dec[32];

	(void)state;
	assert_int_equal(xml_parse(in, strlen(in), &root, NULL, err, sizeof(err)), TSP8_OK);
	sb_init(&sb);
	xml_write(root, &sb);
	assert_string_equal(sb_cstr(&sb), "<a x=\"1\" y=\"2\"><b>t&amp;x</b><c/><![CDATA[<z>]]></a>");
	xml_unescape(xml_child(root, "b")->kids[0]->text, dec, sizeof(dec));
	assert_string_equal(dec, "t&x");
	sb_free(&sb);
	xml_free(root);
	assert_int_equal(xml_parse("<a><b></a>", 10, &root, NULL, err, sizeof(err)), TSP8_ESYNTAX);
	assert_non_null(strstr(err, "mismatched"));
	assert_int_equal(xml_parse("<a x=1/>", 8, &root, NULL, err, sizeof(err)), TSP8_ESYNTAX);
	assert_int_equal(xml_parse("", 0, &root, NULL, err, sizeof(err)), TSP8_ESYNTAX);
	assert_int_equal(xml_parse("<a/>x", 5, &root, NULL, err, sizeof(err)), TSP8_ESYNTAX);
}

static const char sample[] =
	"<?xml version=\"1.0\"?>\n<E:Envelope><E:Body><inno:PollResponse><return xsi:type=\"inno:AnyInfo\">"
	"<user E:arrayType=\"inno:UserInfo[1]\"><item xsi:type=\"inno:UserInfo\"><active>true</active>"
	"<cn>A</cn><guid>g</guid><groups E:arrayType=\"inno:Group[1]\"><item xsi:type=\"inno:Group\">"
	"<group>x</group></item></groups><presence xsi:type=\"inno:Presence\"/></item></user>"
	"<call E:arrayType=\"inno:CallInfo[1]\"><item xsi:type=\"inno:CallInfo\"><user>1</user>"
	"<No E:arrayType=\"inno:No[1]\"><item xsi:type=\"inno:No\"><type>this</type></item></No>"
	"<info E:arrayType=\"inno:Info[1]\"><item xsi:type=\"inno:Info\"><type>conf</type></item></info>"
	"</item></call></return></inno:PollResponse></E:Body></E:Envelope>";

static void test_wire_rewrite(void **state)
{
	struct sim_wire w = { SIM_MEMBERS_CONTAINER, SIM_ORDER_EARLY, true };
	struct strbuf out;
	const char *o, *guid, *active, *cn, *presence, *groups;

	(void)state;
	sb_init(&out);
	assert_int_equal(wire_rewrite(&w, sample, strlen(sample), &out), TSP8_OK);
	o = sb_cstr(&out);
	assert_non_null(strstr(o, "<user xsi:type=\"inno:UserInfo\">"));
	assert_non_null(strstr(o, "<call xsi:type=\"inno:CallInfo\">"));
	assert_non_null(strstr(o, "<No xsi:type=\"inno:No\">"));
	assert_non_null(strstr(o, "<groups xsi:type=\"inno:Group\">"));
	assert_non_null(strstr(o, "<item xsi:type=\"inno:Info\">")); /* InfoArray keeps item */
	assert_null(strstr(o, "<item xsi:type=\"inno:UserInfo\">"));
	/* early order: guid active ... cn ... presence ... groups */
	guid = strstr(o, "<guid>");
	active = strstr(o, "<active>");
	cn = strstr(o, "<cn>");
	presence = strstr(o, "<presence");
	groups = strstr(o, "<groups E:");
	assert_true(guid && active && cn && presence && groups);
	assert_true(guid < active && active < cn && cn < presence && presence < groups);
	assert_int_equal(strncmp(o, "<?xml", 5), 0);
	/* extras: in UserInfo, CallInfo and the response */
	assert_true(strstr(o, "<xSimExtra") != NULL);
	assert_true(strstr(o, "<xSimNested>") != NULL);
	assert_non_null(strstr(o, "</xSimExtra></inno:PollResponse>"));
	sb_free(&out);
	sb_init(&out);
	assert_int_equal(wire_rewrite(&w, "<a><b>", 6, &out), TSP8_ESYNTAX);
	sb_free(&out);
	assert_false(wire_active(&(struct sim_wire){ SIM_MEMBERS_ITEM, SIM_ORDER_CURRENT, false }));
	sb_init(&out);
	sb_puts(&out, "<a SOAP-ENC:position=\"[1]\" b=\"c\"/>");
	wire_strip_positions(&out);
	assert_string_equal(sb_cstr(&out), "<a b=\"c\"/>");
	sb_free(&out);
}

static void test_control_split(void **state)
{
	char buf[128], *argv[8];

	(void)state;
	strcpy(buf, "dial master \"Alice Meier\"  22 ");
	assert_int_equal(control_split(buf, argv, 8), 4);
	assert_string_equal(argv[2], "Alice Meier");
	assert_string_equal(argv[3], "22");
	strcpy(buf, "a \"b \\\"q\\\" c\"");
	assert_int_equal(control_split(buf, argv, 8), 2);
	assert_string_equal(argv[1], "b \"q\" c");
	strcpy(buf, "a \"open");
	assert_int_equal(control_split(buf, argv, 8), -1);
	strcpy(buf, "1 2 3");
	assert_int_equal(control_split(buf, argv, 2), -1);
	strcpy(buf, "   ");
	assert_int_equal(control_split(buf, argv, 8), 0);
}

/* ---- call engine --------------------------------------------------------- */

static void test_call_sequence(void **state)
{
	struct fx *f = *state;
	struct sim_object *alice = model_find_cn(f->pbx, "Alice");
	struct sim_event *l;
	const struct sim_callinfo *c;
	int id, ha;
	struct sim_call *call;

	take(f);
	assert_int_equal(calls_place(f->pbx, alice, "", "", "22", 0, &id, &ha), TSP8_OK);
	call = calls_by_id(f->sim, id);
	assert_non_null(call);
	l = take(f);
	c = nth_call(l, f->ua, 0);
	assert_non_null(c);
	assert_int_equal(c->state, 1);
	assert_string_equal(c->msg, "r-setup");
	assert_int_equal(c->call, ha);
	assert_true(has_no(c, "this", "Alice"));
	c = nth_call(l, f->ua, 1);
	assert_int_equal(c->state, 4);
	assert_string_equal(c->msg, "x-alert");
	assert_true(has_no(c, "peer", "Bob"));
	c = nth_call(l, f->ub, 0);
	assert_int_equal(c->state, 0x81);
	assert_string_equal(c->msg, "x-setup");
	c = nth_call(l, f->ub, 1);
	assert_int_equal(c->state, 0x84);
	assert_string_equal(c->msg, "r-alert");
	assert_string_equal(c->conf, nth_call(l, f->ua, 0)->conf);
	event_list_free(l);

	assert_int_equal(calls_answer(call, calls_ringing_leg(call)), TSP8_OK);
	assert_int_equal(calls_hold(call, LEG_CALLEE, true), TSP8_OK);
	assert_int_equal(calls_hold(call, LEG_CALLEE, true), TSP8_ESTATE);
	l = take(f);
	assert_int_equal(nth_call(l, f->ub, 0)->state, 0x85);
	assert_string_equal(nth_call(l, f->ub, 0)->msg, "r-conn");
	assert_int_equal(nth_call(l, f->ua, 0)->state, 5);
	assert_string_equal(nth_call(l, f->ua, 0)->msg, "x-conn");
	assert_int_equal(nth_call(l, f->ub, 1)->state, 0x185);
	assert_int_equal(nth_call(l, f->ua, 1)->state, 0x205);
	event_list_free(l);

	assert_int_equal(calls_release(call, LEG_CALLER, 0), TSP8_OK);
	assert_null(calls_by_id(f->sim, id));
	l = take(f);
	c = nth_call(l, f->ua, 0);
	assert_int_equal(c->state & 0x0F, 7);
	assert_string_equal(c->msg, "r-rel");
	assert_true(c->has_cause);
	assert_int_equal(c->cause, 16);
	c = nth_call(l, f->ub, 0);
	assert_int_equal(c->state & 0x8F, 0x86);
	assert_string_equal(c->msg, "x-rel");
	c = nth_call(l, f->ua, 1);
	assert_false(c->active);
	assert_string_equal(c->msg, "del");
	c = nth_call(l, f->ub, 1);
	assert_false(c->active);
	assert_string_equal(c->msg, "del");
	assert_true(has_no(c, "peer", "Alice"));
	event_list_free(l);
}

static void test_external_and_failures(void **state)
{
	struct fx *f = *state;
	struct sim_object *alice = model_find_cn(f->pbx, "Alice");
	struct sim_event *l;
	const struct sim_callinfo *c;
	int id, ha;

	take(f);
	assert_int_equal(calls_place(f->pbx, alice, "", "", "0301234", 0, &id, &ha), TSP8_OK);
	l = take(f);
	c = nth_call(l, f->ua, 1);
	assert_string_equal(c->msg, "x-alert");
	assert_int_equal(c->no[1].e164[0], '0');
	assert_string_equal(c->no[1].e164, "0301234");
	event_list_free(l);
	assert_int_equal(calls_answer(calls_by_id(f->sim, id), LEG_CALLEE), TSP8_OK);
	assert_int_equal(calls_release(calls_by_id(f->sim, id), LEG_CALLEE, 0), TSP8_OK);
	event_list_free(take(f));
	/* unregistered callee: cleared with cause 20 */
	assert_int_equal(calls_place(f->pbx, alice, "", "", "24", 0, &id, &ha), TSP8_OK);
	l = take(f);
	c = nth_call(l, f->ua, 1);
	assert_string_equal(c->msg, "x-rel");
	assert_int_equal(c->cause, 20);
	assert_false(nth_call(l, f->ua, 2)->active);
	event_list_free(l);
	assert_null(calls_by_id(f->sim, id));
	/* unknown cn */
	assert_int_equal(calls_place(f->pbx, alice, "", "Nobody", "", 0, &id, &ha), TSP8_ENOTFOUND);
}

static void test_transfer_pickup_park(void **state)
{
	struct fx *f = *state;
	struct sim_object *alice = model_find_cn(f->pbx, "Alice");
	struct sim_object *bob = model_find_cn(f->pbx, "Bob");
	struct sim_object *carl = model_find_cn(f->pbx, "Carl");
	struct sim_event *l;
	const struct sim_callinfo *c;
	int id1, id2, h1, h2, hp, hpark;
	struct sim_call *c1, *c2;

	/* Alice -> Bob connected, Alice -> Carl connected, Alice transfers. */
	assert_int_equal(calls_place(f->pbx, alice, "", "", "22", 0, &id1, &h1), TSP8_OK);
	c1 = calls_by_id(f->sim, id1);
	calls_answer(c1, LEG_CALLEE);
	calls_hold(c1, LEG_CALLER, true);
	assert_int_equal(calls_place(f->pbx, alice, "", "", "23", 0, &id2, &h2), TSP8_OK);
	c2 = calls_by_id(f->sim, id2);
	calls_answer(c2, LEG_CALLEE);
	event_list_free(take(f));
	assert_int_equal(ops_transfer(f->pbx, h1, h2), TSP8_OK);
	assert_null(calls_by_id(f->sim, id2));
	l = take(f);
	c = nth_call(l, f->ua, 0);
	assert_string_equal(c->msg, "r-rel");
	assert_true(has_no(c, "xfer", NULL)); /* Alice's handle asked for xfer */
	c = nth_call(l, f->ub, 0);
	assert_string_equal(c->msg, "x-facility");
	assert_int_equal(c->state, 0x85);
	assert_true(has_no(c, "peer", "Carl"));
	assert_true(has_no(c, "ct", "Alice"));
	c = nth_call(l, f->uc, 0);
	assert_true(has_no(c, "peer", "Bob"));
	event_list_free(l);
	/* Bob parks Carl at Alice; Alice unparks. */
	hpark = ops_park(f->pbx, c1->leg[LEG_CALLEE].handle, "Alice", -1);
	assert_true(hpark > 0);
	assert_ptr_equal(c1->park_obj, alice);
	l = take(f);
	c = nth_call(l, f->ub, 0);
	assert_string_equal(c->msg, "r-rel");
	assert_true(has_no(c, "parked-to", "Alice"));
	c = nth_call(l, f->uc, 0);
	assert_int_equal(c->state & 0x0F, 8);
	event_list_free(l);
	hp = ops_pickup(f->pbx, alice, "", "", hpark, "");
	assert_true(hp > 0);
	assert_null(c1->park_obj);
	event_list_free(take(f));
	calls_release(c1, LEG_CALLER, 0);
	event_list_free(take(f));
	/* Carl calls Bob, Alice picks it up by cn. */
	assert_int_equal(calls_place(f->pbx, carl, "", "", "22", 0, &id1, &h1), TSP8_OK);
	event_list_free(take(f));
	hp = ops_pickup(f->pbx, alice, "", "Bob", 0, "");
	assert_true(hp > 0);
	l = take(f);
	c = nth_call(l, f->ub, 0);
	assert_string_equal(c->msg, "x-rel");
	assert_int_equal(c->cause, 26);
	c = nth_call(l, f->ua, 0);
	assert_int_equal(c->call, hp);
	assert_int_equal(c->state, 0x85);
	assert_true(has_no(c, "picking", NULL));
	assert_true(has_no(c, "ct", "Bob"));
	event_list_free(l);
	calls_release(calls_by_id(f->sim, id1), LEG_CALLER, 0);
	event_list_free(take(f));
	(void)bob;
}

static void test_redirect_and_forward(void **state)
{
	struct fx *f = *state;
	struct sim_object *alice = model_find_cn(f->pbx, "Alice");
	struct sim_event *l;
	char *ans;
	int id, h;
	struct sim_call *c;

	assert_int_equal(calls_place(f->pbx, alice, "", "", "22", 0, &id, &h), TSP8_OK);
	c = calls_by_id(f->sim, id);
	event_list_free(take(f));
	assert_true(ops_redirect(f->pbx, c->leg[LEG_CALLEE].handle, "Carl", "", "", false));
	assert_ptr_equal(c->leg[LEG_CALLEE].obj, model_find_cn(f->pbx, "Carl"));
	l = take(f);
	assert_string_equal(nth_call(l, f->ub, 0)->msg, "x-rel");
	assert_true(has_no(nth_call(l, f->uc, 0), "leg2", "Bob"));
	event_list_free(l);
	assert_false(ops_redirect(f->pbx, h, "Carl", "", "", false)); /* caller leg not ringing */
	calls_release(c, LEG_CALLER, 0);
	event_list_free(take(f));

	/* cfu Bob -> 23 via Admin; a call to Bob lands at Carl. */
	ans = admin_exec(f->pbx, "<add-attrib><user cn=\"Bob\"><cd type=\"cfu\"><ep e164='23'/></cd>"
				 "</user></add-attrib>");
	assert_string_equal(ans, "<ok/>");
	free(ans);
	l = take(f);
	assert_non_null(l);
	assert_true(l->kind == SIM_EV_USER && l->u.user.cfg);
	assert_string_equal(l->u.user.cn, "Bob");
	event_list_free(l);
	ans = admin_exec(f->pbx, "<show><user cn=\"Bob\"/></show>");
	assert_non_null(strstr(ans, "<cd type=\"cfu\"><ep e164=\"23\"/></cd>"));
	assert_non_null(strstr(ans, "<grp name=\"g\"/>"));
	free(ans);
	assert_int_equal(calls_place(f->pbx, alice, "", "", "22", 0, &id, &h), TSP8_OK);
	c = calls_by_id(f->sim, id);
	assert_ptr_equal(c->leg[LEG_CALLEE].obj, model_find_cn(f->pbx, "Carl"));
	calls_release(c, LEG_CALLER, 0);
	event_list_free(take(f));
	ans = admin_exec(f->pbx, "<del-attrib><user cn=\"Bob\"><cd type=\"cfu\"><ep e164=\"23\"/></cd>"
				 "</user></del-attrib>");
	assert_string_equal(ans, "<ok/>");
	free(ans);
	assert_int_equal(model_find_cn(f->pbx, "Bob")->ncds, 0);
	ans = admin_exec(f->pbx, "<show><user cn=\"Nobody\"/></show>");
	assert_non_null(strstr(ans, "<error"));
	free(ans);
	ans = admin_exec(f->pbx, "<show><user");
	assert_non_null(strstr(ans, "<error"));
	free(ans);
	event_list_free(take(f));
}

static void test_admin_modify_scope(void **state)
{
	struct fx *f = *state;
	struct sim_event *l;
	char *ans;
	bool saw_inactive = false;

	take(f);
	/* modify without <grp>: Carl leaves group g, so T's scope loses him */
	ans = admin_exec(f->pbx, "<modify><user cn=\"Carl\" dn=\"Carl C\"><device hw=\"C1\"/></user></modify>");
	assert_string_equal(ans, "<ok/>");
	free(ans);
	assert_false(session_in_scope(f->s, model_find_cn(f->pbx, "Carl")));
	assert_string_equal(model_find_cn(f->pbx, "Carl")->dn, "Carl C");
	assert_true(model_registered(model_find_cn(f->pbx, "Carl")));
	l = take(f);
	for (struct sim_event *e = l; e; e = e->next)
		if (e->kind == SIM_EV_USER && !e->u.user.active && strcmp(e->u.user.cn, "Carl") == 0)
			saw_inactive = true;
	assert_true(saw_inactive);
	event_list_free(l);
	ans = admin_exec(f->pbx, "<add><user cn=\"Eve\" e164=\"25\"><grp name=\"g\"/></user></add>");
	assert_string_equal(ans, "<ok/>");
	free(ans);
	assert_true(session_in_scope(f->s, model_find_cn(f->pbx, "Eve")));
	event_list_free(take(f));
}

static void test_find_users(void **state)
{
	struct fx *f = *state;
	struct sim_object *out[10];
	size_t n;

	n = lookup_find_users(f->pbx, "", "", "", 2, false, false, out, 10);
	assert_int_equal(n, 2);
	assert_string_equal(out[0]->cn, "Alice");
	assert_string_equal(out[1]->cn, "Bob");
	n = lookup_find_users(f->pbx, "Bob", "", "", 10, true, false, out, 10);
	assert_string_equal(out[0]->cn, "Carl");
	assert_int_equal(n, 3); /* Carl, T, Trunk (Dora hidden) */
	n = lookup_find_users(f->pbx, "Bob", "", "", 10, true, true, out, 10);
	assert_int_equal(n, 4);
	n = lookup_find_users(f->pbx, "", "", "22", 1, false, false, out, 10);
	assert_int_equal(n, 1);
	assert_string_equal(out[0]->cn, "Bob");
	n = lookup_find_users(f->pbx, "Alice", "", "23", 5, false, false, out, 10);
	assert_int_equal(n, 1);
	assert_string_equal(out[0]->cn, "Carl");
}

static void test_lookups(void **state)
{
	struct fx *f = *state;
	struct sim_object *o;
	char num[64];

	assert_true(lookup_find_destination(f->pbx, "2", "", &o));
	assert_null(o);
	assert_false(lookup_find_destination(f->pbx, "22", "", &o));
	assert_string_equal(o->cn, "Bob");
	assert_false(lookup_find_destination(f->pbx, "0711", "", &o));
	assert_string_equal(o->cn, "Trunk");
	lookup_local_num(f->pbx, "+497031", num, sizeof(num));
	assert_string_equal(num, "000497031");
	lookup_local_num(f->pbx, "22", num, sizeof(num));
	assert_string_equal(num, "22");
	assert_ptr_equal(lookup_presence_target(f->pbx, "*", "bob"), model_find_cn(f->pbx, "Bob"));
}

static void test_dump_chunks(void **state)
{
	struct fx *f = *state;
	struct sim_event *l = NULL;
	int key, h, users = 0, polls = 0;
	bool end = false;

	f->pbx->dump_chunk = 2;
	h = session_initialize(f->pbx, NULL, "T", "unit", true, &key);
	while (!end && polls < 10) {
		int n = 0;

		assert_int_equal(session_poll(f->pbx, NULL, h, &l), TSP8_OK);
		polls++;
		for (struct sim_event *e = l; e; e = e->next, n++)
			if (e->u.user.cn[0])
				users++;
			else
				end = true;
		assert_true(n <= 2);
		event_list_free(l);
	}
	assert_true(end);
	assert_int_equal(users, 5);
	assert_int_equal(polls, 3);
	/* idle poll returns empty after poll_idle (1 s in the fixture) */
	assert_int_equal(session_poll(f->pbx, NULL, h, &l), TSP8_OK);
	assert_null(l);
	assert_int_equal(session_poll(f->pbx, NULL, 999, &l), TSP8_ESESSION);
	assert_int_equal(session_initialize(f->pbx, NULL, "T", "unit", false, &key), 0);
	assert_int_equal(key, 0);
	assert_int_equal(session_initialize(f->pbx, NULL, "Nobody", "unit", true, &key), 0);
}

static void test_hw_filter_and_misc_ops(void **state)
{
	struct fx *f = *state;
	struct sim_object *alice = model_find_cn(f->pbx, "Alice");
	int uhw = session_user_init(f->pbx, f->s, "Bob", false, false, "OTHER");
	int uhw2 = session_user_init(f->pbx, f->s, "Bob", false, false, "B1");
	struct sim_event *l;
	const struct sim_callinfo *c;
	struct sim_call *call;
	int id, ha, hm;

	assert_true(uhw > 0 && uhw2 > 0);
	take(f);
	assert_int_equal(calls_place(f->pbx, alice, "", "", "22", 0, &id, &ha), TSP8_OK);
	call = calls_by_id(f->sim, id);
	l = take(f);
	assert_null(nth_call(l, uhw, 0));     /* device filter: other hw */
	assert_non_null(nth_call(l, uhw2, 0)); /* device filter: the ringing hw */
	assert_non_null(nth_call(l, f->ub, 0));
	event_list_free(l);
	calls_answer(call, LEG_CALLEE);
	event_list_free(take(f));
	/* UUI toward the peer shows up on the peer's leg with Info uui */
	assert_int_equal(ops_uui(f->pbx, ha, false, "hello"), TSP8_OK);
	l = take(f);
	c = nth_call(l, f->ub, 0);
	assert_non_null(c);
	assert_true(c->has_uui);
	assert_string_equal(c->uui, "hello");
	assert_null(nth_call(l, f->ua, 0));
	event_list_free(l);
	assert_int_equal(ops_dtmf(f->pbx, ha, false, "12#"), TSP8_OK);
	assert_string_equal(call->leg[LEG_CALLER].dtmf, "12#");
	assert_int_equal(ops_rc(f->pbx, ha, 8), TSP8_OK);
	assert_int_equal(call->leg[LEG_CALLER].last_rc, 8);
	assert_int_equal(ops_ct_complete(f->pbx, ha, "23", ""), TSP8_OK);
	l = take(f);
	c = nth_call(l, f->ua, 1);
	assert_true(has_no(c, "peer", "Carl"));
	event_list_free(l);
	assert_int_equal(ops_dtmf(f->pbx, 9999, false, "1"), TSP8_ENOTFOUND);
	calls_release(call, LEG_CALLER, 0);
	event_list_free(take(f));
	/* UserMessage: msg-sent then del on the sender's handle */
	hm = ops_message(f->pbx, alice, "22", "", "hi", "", "");
	assert_true(hm > 0);
	l = take(f);
	assert_string_equal(nth_call(l, f->ua, 0)->msg, "msg-sent");
	assert_true(has_no(nth_call(l, f->ua, 0), "peer", "Bob"));
	assert_false(nth_call(l, f->ua, 1)->active);
	event_list_free(l);
	assert_int_equal(ops_message(f->pbx, alice, "", "nobody", "hi", "", ""), 0);
	/* Calls(): one record per current leg of the object */
	assert_int_equal(calls_place(f->pbx, alice, "", "", "22", 0, &id, &ha), TSP8_OK);
	l = lookup_calls_of(f->pbx, alice);
	assert_non_null(l);
	assert_null(l->next);
	assert_int_equal(l->u.call.call, ha);
	assert_int_equal(l->u.call.user, 0);
	event_list_free(l);
	calls_release(calls_by_id(f->sim, id), LEG_CALLER, 0);
	event_list_free(take(f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_errors),
		cmocka_unit_test_setup_teardown(test_tree_defaults, fx_setup, fx_teardown),
		cmocka_unit_test(test_xml_roundtrip),
		cmocka_unit_test(test_wire_rewrite),
		cmocka_unit_test(test_control_split),
		cmocka_unit_test_setup_teardown(test_call_sequence, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_external_and_failures, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_transfer_pickup_park, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_redirect_and_forward, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_admin_modify_scope, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_find_users, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_lookups, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_dump_chunks, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hw_filter_and_misc_ops, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
