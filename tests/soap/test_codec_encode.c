/* Request serializers: every pbx_enc_* produces one SOAP 1.1 rpc/encoded
 * envelope with the right operation element and namespace, and the values
 * survive a re-parse by gSOAP acting as the server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/error.h"
#include "soap/pbx_rpc.h"
#include "test_codec_util.h"

#define NS_PBX  "http://innovaphone.com/pbx"
#define NS_BIND "http://innovaphone/binding"

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

/* Common envelope checks: op recorded, NUL-terminated body of len bytes,
 * SOAP 1.1 envelope, encoding style, the operation element bound to ns. */
static void check_msg(const struct pbx_msg *m, enum pbx_op op, const char *elem, const char *ns)
{
	char open[96], decl[160];
	const char *prefix_end = strchr(elem, ':');

	assert_int_equal(m->op, op);
	assert_non_null(m->body);
	assert_int_equal(strlen(m->body), m->len);
	assert_non_null(strstr(m->body, "http://schemas.xmlsoap.org/soap/envelope/"));
	assert_non_null(strstr(m->body, "encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\""));
	snprintf(open, sizeof(open), "<%s>", elem);
	assert_non_null(strstr(m->body, open));
	snprintf(decl, sizeof(decl), "xmlns:%.*s=\"%s\"", (int)(prefix_end - elem), elem, ns);
	assert_non_null(strstr(m->body, decl));
	/* No id/href multi-references in requests. */
	assert_null(strstr(m->body, "href="));
}

static void test_op_names_and_actions(void **state)
{
	(void)state;
	assert_string_equal(pbx_op_name(PBX_OP_POLL), "Poll");
	assert_string_equal(pbx_op_name(PBX_OP_USER_DTMF), "UserDTMF");
	assert_string_equal(pbx_op_name(PBX_OP_USER_FIND_DESTINATION), "UserFindDestination");
	assert_string_equal(pbx_op_action(PBX_OP_POLL), "http://innovaphone.com/pbx#Poll");
	assert_string_equal(pbx_op_action(PBX_OP_ECHO), "http://innovaphone.com/pbx#Echo");
	assert_string_equal(pbx_op_action(PBX_OP_USER_END), "capeconnect:pbx:pbxPortType#UserEnd");
	for (int op = 0; op < PBX_OP_COUNT; op++) {
		char want[128];

		assert_non_null(pbx_op_name((enum pbx_op)op));
		if (op == PBX_OP_USER_END)
			continue;
		snprintf(want, sizeof(want), "http://innovaphone.com/pbx#%s", pbx_op_name((enum pbx_op)op));
		assert_string_equal(pbx_op_action((enum pbx_op)op), want);
	}
	assert_string_equal(pbx_op_name(PBX_OP_COUNT), "?");
	assert_string_equal(pbx_op_action((enum pbx_op)-1), "");
}

static void test_invalid_args(void **state)
{
	struct pbx_codec *cx = *state;
	struct pbx_msg m;

	assert_int_equal(pbx_enc_poll(NULL, &m, 1), TSP8_EINVAL);
	assert_int_equal(pbx_enc_poll(cx, NULL, 1), TSP8_EINVAL);
	assert_int_equal(pbx_enc_set_presence(cx, &m, NULL, false, "", "", ""), TSP8_EINVAL);
	assert_int_equal(pbx_codec_create(NULL), TSP8_EINVAL);
	pbx_codec_destroy(NULL);
	pbx_msg_free(NULL);
}

static void test_version(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__Version req;

	assert_int_equal(pbx_enc_version(*state, &m), TSP8_OK);
	/* An operation without parts is written as an empty element. */
	assert_non_null(strstr(m.body, "<inno:Version></inno:Version>"));
	check_msg(&m, PBX_OP_VERSION, "inno:Version", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__Version(rt.soap, &req, "inno:Version", NULL));
	rt_end(&rt);
	pbx_msg_free(&m);
	assert_null(m.body);
	assert_int_equal(m.len, 0);
}

static void test_initialize(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__Initialize req;

	assert_int_equal(pbx_enc_initialize(*state, &m, "TAPI User", "tsp8"), TSP8_OK);
	check_msg(&m, PBX_OP_INITIALIZE, "inno:Initialize", NS_PBX);
	/* rpc/encoded: typed parameters. */
	assert_non_null(strstr(m.body, "<user xsi:type=\"xsd:string\">TAPI User</user>"));
	assert_non_null(strstr(m.body, "<vx1000 xsi:type=\"xsd:boolean\">true</vx1000>"));
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__Initialize(rt.soap, &req, "inno:Initialize", NULL));
	assert_string_equal(req.user, "TAPI User");
	assert_string_equal(req.appl, "tsp8");
	assert_int_equal(req.v, xsd__boolean__true_);
	assert_int_equal(req.v501, xsd__boolean__true_);
	assert_int_equal(req.v700, xsd__boolean__true_);
	assert_int_equal(req.v800, xsd__boolean__true_);
	assert_int_equal(req.vx1000, xsd__boolean__true_);
	rt_end(&rt);
	pbx_msg_free(&m);
}

/* Echo: normal SOAPAction but body namespace http://innovaphone/binding. */
static void test_echo(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct innob__Echo req;

	assert_int_equal(pbx_enc_echo(*state, &m, 17, 4711), TSP8_OK);
	check_msg(&m, PBX_OP_ECHO, "innob:Echo", NS_BIND);
	assert_null(strstr(m.body, "<inno:Echo>"));
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_innob__Echo(rt.soap, &req, "innob:Echo", NULL));
	assert_int_equal(req.session, 17);
	assert_int_equal(req.key, 4711);
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_end_and_poll(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__End end;
	struct inno__Poll poll;

	assert_int_equal(pbx_enc_end(*state, &m, 17), TSP8_OK);
	check_msg(&m, PBX_OP_END, "inno:End", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__End(rt.soap, &end, "inno:End", NULL));
	assert_int_equal(end.session, 17);
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_poll(*state, &m, -3), TSP8_OK);
	check_msg(&m, PBX_OP_POLL, "inno:Poll", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__Poll(rt.soap, &poll, "inno:Poll", NULL));
	assert_int_equal(poll.session, -3);
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_user_initialize(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__UserInitialize req;

	assert_int_equal(pbx_enc_user_initialize(*state, &m, 17, "Alice Adams", true, false, NULL), TSP8_OK);
	check_msg(&m, PBX_OP_USER_INITIALIZE, "inno:UserInitialize", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserInitialize(rt.soap, &req, "inno:UserInitialize", NULL));
	assert_int_equal(req.session, 17);
	assert_string_equal(req.user, "Alice Adams");
	assert_int_equal(req.xfer, xsd__boolean__true_);
	assert_int_equal(req.disc, xsd__boolean__false_);
	assert_non_null(req.hw);          /* NULL argument -> empty element */
	assert_string_equal(req.hw, "");
	rt_end(&rt);
	pbx_msg_free(&m);
}

/* UserEnd: body namespace http://innovaphone/binding (SOAPAction checked in
 * test_op_names_and_actions). */
static void test_user_end(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct innob__UserEnd req;

	assert_int_equal(pbx_enc_user_end(*state, &m, 5), TSP8_OK);
	check_msg(&m, PBX_OP_USER_END, "innob:UserEnd", NS_BIND);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_innob__UserEnd(rt.soap, &req, "innob:UserEnd", NULL));
	assert_int_equal(req.user, 5);
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_user_call(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__UserCall req;

	assert_int_equal(pbx_enc_user_call(*state, &m, 5, "", "0301234", "", 0, "r21"), TSP8_OK);
	check_msg(&m, PBX_OP_USER_CALL, "inno:UserCall", NS_PBX);
	/* The ignored info parameter is an empty, typed SOAP array. */
	assert_non_null(strstr(m.body, "SOAP-ENC:arrayType=\"inno:Info[0]\""));
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserCall(rt.soap, &req, "inno:UserCall", NULL));
	assert_int_equal(req.user, 5);
	assert_string_equal(req.cn, "");
	assert_string_equal(req.e164, "0301234");
	assert_string_equal(req.h323, "");
	assert_int_equal(req.reg, 0);
	assert_non_null(req.info);
	assert_int_equal(req.info->__size, 0);
	assert_int_equal(req.rc, 0);
	assert_string_equal(req.srce164, "r21");
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_user_clear_connect_hold_retrieve(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__UserClear clear;
	struct inno__UserConnect conn;
	struct inno__UserHold hold;
	struct inno__UserRetrieve retr;

	assert_int_equal(pbx_enc_user_clear(*state, &m, 9, 26), TSP8_OK);
	check_msg(&m, PBX_OP_USER_CLEAR, "inno:UserClear", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserClear(rt.soap, &clear, "inno:UserClear", NULL));
	assert_int_equal(clear.call, 9);
	assert_int_equal(clear.cause, 26);
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_user_connect(*state, &m, 9), TSP8_OK);
	check_msg(&m, PBX_OP_USER_CONNECT, "inno:UserConnect", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserConnect(rt.soap, &conn, "inno:UserConnect", NULL));
	assert_int_equal(conn.call, 9);
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_user_hold(*state, &m, 9, true), TSP8_OK);
	check_msg(&m, PBX_OP_USER_HOLD, "inno:UserHold", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserHold(rt.soap, &hold, "inno:UserHold", NULL));
	assert_int_equal(hold.call, 9);
	assert_int_equal(hold.remote, xsd__boolean__true_);
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_user_retrieve(*state, &m, 9), TSP8_OK);
	check_msg(&m, PBX_OP_USER_RETRIEVE, "inno:UserRetrieve", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserRetrieve(rt.soap, &retr, "inno:UserRetrieve", NULL));
	assert_int_equal(retr.call, 9);
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_user_transfer_ct_complete(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__UserTransfer xfer;
	struct inno__UserCtComplete ct;

	assert_int_equal(pbx_enc_user_transfer(*state, &m, 9, 10), TSP8_OK);
	check_msg(&m, PBX_OP_USER_TRANSFER, "inno:UserTransfer", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserTransfer(rt.soap, &xfer, "inno:UserTransfer", NULL));
	assert_int_equal(xfer.a, 9);
	assert_int_equal(xfer.b, 10);
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_user_ct_complete(*state, &m, 9, "22", "bob"), TSP8_OK);
	check_msg(&m, PBX_OP_USER_CT_COMPLETE, "inno:UserCtComplete", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserCtComplete(rt.soap, &ct, "inno:UserCtComplete", NULL));
	assert_int_equal(ct.call, 9);
	assert_string_equal(ct.e164, "22");
	assert_string_equal(ct.h323, "bob");
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_user_redirect_reroute(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__UserRedirect red;
	struct inno__UserReroute rer;

	assert_int_equal(pbx_enc_user_redirect(*state, &m, 9, "Bob Brown", "22", "bob", 3), TSP8_OK);
	check_msg(&m, PBX_OP_USER_REDIRECT, "inno:UserRedirect", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserRedirect(rt.soap, &red, "inno:UserRedirect", NULL));
	assert_int_equal(red.call, 9);
	assert_string_equal(red.cn, "Bob Brown");
	assert_string_equal(red.e164, "22");
	assert_string_equal(red.h323, "bob");
	assert_int_equal(red.rc, 3);
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_user_reroute(*state, &m, 9, NULL, "23", NULL), TSP8_OK);
	check_msg(&m, PBX_OP_USER_REROUTE, "inno:UserReroute", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserReroute(rt.soap, &rer, "inno:UserReroute", NULL));
	assert_int_equal(rer.call, 9);
	assert_string_equal(rer.cn, "");
	assert_string_equal(rer.e164, "23");
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_user_pickup_park_rc(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__UserPickup pick;
	struct inno__UserPark park;
	struct inno__UserRc rc;

	assert_int_equal(pbx_enc_user_pickup(*state, &m, 5, "Bob Brown", 0, "sales"), TSP8_OK);
	check_msg(&m, PBX_OP_USER_PICKUP, "inno:UserPickup", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserPickup(rt.soap, &pick, "inno:UserPickup", NULL));
	assert_int_equal(pick.user, 5);
	assert_string_equal(pick.cn, "Bob Brown");
	assert_int_equal(pick.call, 0);
	assert_string_equal(pick.group, "sales");
	assert_int_equal(pick.reg, 0);
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_user_park(*state, &m, 9, "Park", -1), TSP8_OK);
	check_msg(&m, PBX_OP_USER_PARK, "inno:UserPark", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserPark(rt.soap, &park, "inno:UserPark", NULL));
	assert_int_equal(park.call, 9);
	assert_string_equal(park.cn, "Park");
	assert_int_equal(park.position, -1);
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_user_rc(*state, &m, 9, 4), TSP8_OK);
	check_msg(&m, PBX_OP_USER_RC, "inno:UserRc", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserRc(rt.soap, &rc, "inno:UserRc", NULL));
	assert_int_equal(rc.call, 9);
	assert_int_equal(rc.rc, 4);
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_user_dtmf_uui_message(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__UserDTMF dtmf;
	struct inno__UserUUI uui;
	struct inno__UserMessage msg;

	assert_int_equal(pbx_enc_user_dtmf(*state, &m, 9, false, "12#*"), TSP8_OK);
	check_msg(&m, PBX_OP_USER_DTMF, "inno:UserDTMF", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserDTMF(rt.soap, &dtmf, "inno:UserDTMF", NULL));
	assert_int_equal(dtmf.call, 9);
	assert_int_equal(dtmf.recv, xsd__boolean__false_);
	assert_string_equal(dtmf.dtmf, "12#*");
	rt_end(&rt);
	pbx_msg_free(&m);

	/* XML special characters are escaped and come back unchanged. */
	assert_int_equal(pbx_enc_user_uui(*state, &m, 9, true, "<a&b> \"q\" 'x'"), TSP8_OK);
	check_msg(&m, PBX_OP_USER_UUI, "inno:UserUUI", NS_PBX);
	assert_non_null(strstr(m.body, "&lt;a&amp;b&gt;"));
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserUUI(rt.soap, &uui, "inno:UserUUI", NULL));
	assert_int_equal(uui.recv, xsd__boolean__true_);
	assert_string_equal(uui.uui, "<a&b> \"q\" 'x'");
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_user_message(*state, &m, 5, "22", "bob", "Hallo Jürgen €", "21", "alice"), TSP8_OK);
	check_msg(&m, PBX_OP_USER_MESSAGE, "inno:UserMessage", NS_PBX);
	/* src_e164 keeps its XML name (src_USCOREe164 is only the C name). */
	assert_non_null(strstr(m.body, "<src_e164 xsi:type=\"xsd:string\">21</src_e164>"));
	/* UTF-8 is written as UTF-8, not as character references. */
	assert_non_null(strstr(m.body, "Hallo Jürgen €"));
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserMessage(rt.soap, &msg, "inno:UserMessage", NULL));
	assert_int_equal(msg.user, 5);
	assert_string_equal(msg.e164, "22");
	assert_string_equal(msg.h323, "bob");
	assert_string_equal(msg.msg, "Hallo Jürgen €");
	assert_string_equal(msg.src_USCOREe164, "21");
	assert_string_equal(msg.src_USCOREh323, "alice");
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_lookups(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__UserLocalNum ln;
	struct inno__UserFindDestination fd;
	struct inno__FindUser fu;
	struct inno__LocationUrl lu;

	assert_int_equal(pbx_enc_user_local_num(*state, &m, 5, "+49301234"), TSP8_OK);
	check_msg(&m, PBX_OP_USER_LOCAL_NUM, "inno:UserLocalNum", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserLocalNum(rt.soap, &ln, "inno:UserLocalNum", NULL));
	assert_int_equal(ln.user, 5);
	assert_string_equal(ln.num, "+49301234");
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_user_find_destination(*state, &m, 5, "2", ""), TSP8_OK);
	check_msg(&m, PBX_OP_USER_FIND_DESTINATION, "inno:UserFindDestination", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__UserFindDestination(rt.soap, &fd, "inno:UserFindDestination", NULL));
	assert_int_equal(fd.user, 5);
	assert_string_equal(fd.e164, "2");
	assert_string_equal(fd.h323, "");
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_find_user(*state, &m, "A", NULL, NULL, 50, true, true), TSP8_OK);
	check_msg(&m, PBX_OP_FIND_USER, "inno:FindUser", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__FindUser(rt.soap, &fu, "inno:FindUser", NULL));
	assert_string_equal(fu.v501, "true");
	assert_string_equal(fu.v700, "true");
	assert_string_equal(fu.v800, "true");
	assert_string_equal(fu.vx1000, "true");
	assert_string_equal(fu.cn, "A");
	assert_string_equal(fu.h323, "");
	assert_string_equal(fu.e164, "");
	assert_int_equal(fu.count, 50);
	assert_int_equal(fu.next, 1);
	assert_int_equal(fu.nohide, xsd__boolean__true_);
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_location_url(*state, &m, "slave1", true), TSP8_OK);
	check_msg(&m, PBX_OP_LOCATION_URL, "inno:LocationUrl", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__LocationUrl(rt.soap, &lu, "inno:LocationUrl", NULL));
	assert_int_equal(lu.v501, xsd__boolean__true_);
	assert_int_equal(lu.vx1000, xsd__boolean__true_);
	assert_string_equal(lu.loc, "slave1");
	assert_int_equal(lu.tls, xsd__boolean__true_);
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_devices_calls(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__Devices dev;
	struct inno__Calls calls;

	assert_int_equal(pbx_enc_devices(*state, &m, 17, "Alice Adams"), TSP8_OK);
	check_msg(&m, PBX_OP_DEVICES, "inno:Devices", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__Devices(rt.soap, &dev, "inno:Devices", NULL));
	assert_int_equal(dev.session, 17);
	assert_string_equal(dev.user, "Alice Adams");
	rt_end(&rt);
	pbx_msg_free(&m);

	assert_int_equal(pbx_enc_calls(*state, &m, 17, "Bob Brown"), TSP8_OK);
	check_msg(&m, PBX_OP_CALLS, "inno:Calls", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__Calls(rt.soap, &calls, "inno:Calls", NULL));
	assert_int_equal(calls.session, 17);
	assert_string_equal(calls.user, "Bob Brown");
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_set_presence(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__SetPresence req;
	struct pbx_presence p = { true, "open", "dnd", "" };

	assert_int_equal(pbx_enc_set_presence(*state, &m, &p, true, "tel:21", "*", "alice"), TSP8_OK);
	check_msg(&m, PBX_OP_SET_PRESENCE, "inno:SetPresence", NS_PBX);
	assert_null(strstr(m.body, "<note"));   /* empty note left out */
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__SetPresence(rt.soap, &req, "inno:SetPresence", NULL));
	assert_non_null(req.presence);
	assert_string_equal(req.presence->status, "open");
	assert_string_equal(req.presence->activity, "dnd");
	assert_null(req.presence->note);
	assert_int_equal(req.im, xsd__boolean__true_);
	assert_string_equal(req.contact, "tel:21");
	assert_string_equal(req.guid, "*");
	assert_string_equal(req.h323, "alice");
	rt_end(&rt);
	pbx_msg_free(&m);
}

static void test_admin(void **state)
{
	struct pbx_msg m;
	struct rt rt;
	struct inno__Admin req;
	const char *cmd = "<add-attrib><user cn=\"Alice\"><cd type=\"cfu\"><ep e164=\"22\"/></cd></user></add-attrib>";

	assert_int_equal(pbx_enc_admin(*state, &m, cmd), TSP8_OK);
	check_msg(&m, PBX_OP_ADMIN, "inno:Admin", NS_PBX);
	rt_begin(&rt, m.body, m.len);
	assert_non_null(soap_get_inno__Admin(rt.soap, &req, "inno:Admin", NULL));
	assert_string_equal(req.xml, cmd);
	rt_end(&rt);
	pbx_msg_free(&m);
}

/* The context is reused: many requests in a row stay independent. */
static void test_reuse(void **state)
{
	for (int i = 0; i < 200; i++) {
		struct pbx_msg m;
		char want[64];

		assert_int_equal(pbx_enc_echo(*state, &m, i, i * 2), TSP8_OK);
		snprintf(want, sizeof(want), "<session xsi:type=\"xsd:int\">%d</session>", i);
		assert_non_null(strstr(m.body, want));
		pbx_msg_free(&m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_op_names_and_actions),
		cmocka_unit_test_setup_teardown(test_invalid_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initialize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_and_poll, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_initialize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_clear_connect_hold_retrieve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_transfer_ct_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_redirect_reroute, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_pickup_park_rc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_dtmf_uui_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_devices_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_presence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_admin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reuse, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
