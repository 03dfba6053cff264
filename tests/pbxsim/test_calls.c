/* pbxsim black-box tests: call legs as CallInfo over Poll - phone-side
 * actions through the control channel and call control over SOAP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/error.h"
#include "pbxsim_proc.h"
#include "soap_http.h"

struct fx {
	struct pbxsim_proc *p;
	const char *url;
	int s;          /* session of _TAPI_ */
	int ua, ub, ut; /* user handles: Alice, Bernd, Trunk */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(pbxsim_start(&f->p, PBXSIM_DEMO_TREE, "--poll-idle 1"), TSP8_OK);
	f->url = pbxsim_url(f->p, "master");
	f->s = sh_initialize(f->url, "_TAPI_", NULL);
	assert_true(f->s > 0);
	assert_int_equal(sh_drain_dump(f->url, f->s), 12);
	f->ua = sh_user_init(f->url, f->s, "Alice Meier", NULL);
	f->ub = sh_user_init(f->url, f->s, "Bernd Müller", NULL);
	f->ut = sh_user_init(f->url, f->s, "Trunk", NULL);
	assert_true(f->ua > 0 && f->ub > 0 && f->ut > 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	pbxsim_stop(f->p);
	free(f);
	return 0;
}

/* Polls (a few times if needed) until `want` CallInfo records arrived. */
static size_t poll_calls(struct fx *f, struct sh_call *c, size_t want, size_t max)
{
	size_t n = 0;

	for (int i = 0; i < 4 && n < want; i++) {
		struct sh_resp r;

		assert_int_equal(sh_poll(f->url, f->s, 0, &r), 0);
		assert_int_equal(r.status, 200);
		n += sh_calls(r.body, c + n, max - n);
		sh_free(&r);
	}
	assert_int_equal(n, want);
	return n;
}

/* The i-th record for user handle u. */
static const struct sh_call *of(const struct sh_call *c, size_t n, int u, int i)
{
	for (size_t k = 0; k < n; k++)
		if (c[k].user == u && i-- == 0)
			return &c[k];
	fail_msg("no record %d for user %d", i, u);
	abort(); /* fail_msg does not return; tell the optimiser so */
}

static void expect(const struct sh_call *c, int state, const char *msg, bool active)
{
	assert_non_null(c);
	assert_int_equal(c->state, state);
	assert_string_equal(c->msg, msg);
	assert_int_equal(c->active, active);
}

static void test_dial_answer_hold_drop(void **state)
{
	struct fx *f = *state;
	struct sh_call c[32];
	char reply[128];
	int id;
	size_t n;

	assert_int_equal(pbxsim_cmd(f->p, reply, sizeof(reply), "dial master \"Alice Meier\" 22"),
			 TSP8_OK);
	id = atoi(reply + 3);
	n = poll_calls(f, c, 4, 32);
	expect(of(c, n, f->ua, 0), 0x01, "r-setup", true);
	expect(of(c, n, f->ua, 1), 0x04, "x-alert", true);
	expect(of(c, n, f->ub, 0), 0x81, "x-setup", true);
	expect(of(c, n, f->ub, 1), 0x84, "r-alert", true);
	assert_string_equal(of(c, n, f->ua, 0)->this_cn, "Alice Meier");
	assert_string_equal(of(c, n, f->ua, 1)->peer_cn, "Bernd Müller");
	assert_string_equal(of(c, n, f->ub, 0)->peer_cn, "Alice Meier");
	assert_string_equal(of(c, n, f->ua, 0)->conf, of(c, n, f->ub, 0)->conf);
	assert_int_equal(strlen(of(c, n, f->ua, 0)->conf), 32);
	assert_int_not_equal(of(c, n, f->ua, 0)->call, of(c, n, f->ub, 0)->call);

	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "answer %d", id), TSP8_OK);
	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "hold %d callee", id), TSP8_OK);
	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "retrieve %d callee", id), TSP8_OK);
	n = poll_calls(f, c, 6, 32);
	expect(of(c, n, f->ub, 0), 0x85, "r-conn", true);
	expect(of(c, n, f->ua, 0), 0x05, "x-conn", true);
	assert_int_equal(of(c, n, f->ub, 1)->state, 0x185);
	assert_int_equal(of(c, n, f->ua, 1)->state, 0x205);
	assert_int_equal(of(c, n, f->ub, 2)->state, 0x85);
	assert_int_equal(of(c, n, f->ua, 2)->state, 0x05);

	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "drop %d callee", id), TSP8_OK);
	n = poll_calls(f, c, 4, 32);
	expect(of(c, n, f->ub, 0), 0x87, "r-rel", true);
	expect(of(c, n, f->ua, 0), 0x06, "x-rel", true);
	assert_true(of(c, n, f->ub, 0)->has_cause);
	assert_int_equal(of(c, n, f->ub, 0)->cause, 16);
	expect(of(c, n, f->ub, 1), 0x87, "del", false);
	expect(of(c, n, f->ua, 1), 0x06, "del", false);
	assert_string_equal(of(c, n, f->ua, 1)->peer_cn, "Bernd Müller");
	assert_int_equal(pbxsim_cmd(f->p, reply, sizeof(reply), "calls"), TSP8_OK);
	assert_string_equal(reply, "ok []");
}

static int soap_int(struct fx *f, const char *inner)
{
	struct sh_resp r;
	int v = -1;

	assert_int_equal(sh_post(f->url, SH_TAPI, inner, 0, &r), 0);
	assert_int_equal(r.status, 200);
	sh_int(r.body, "return", &v);
	sh_free(&r);
	return v;
}

static void soap_void(struct fx *f, const char *inner)
{
	struct sh_resp r;

	assert_int_equal(sh_post(f->url, SH_TAPI, inner, 0, &r), 0);
	assert_int_equal(r.status, 200);
	sh_free(&r);
}

static void test_usercall_connect_clear(void **state)
{
	struct fx *f = *state;
	struct sh_call c[32];
	char inner[512];
	int ha, hb;
	size_t n;

	snprintf(inner, sizeof(inner), "<inno:UserCall><user>%d</user><cn/><e164>22</e164><h323/>"
		 "<reg>0</reg><rc>0</rc><srce164/></inno:UserCall>", f->ua);
	ha = soap_int(f, inner);
	assert_true(ha > 0);
	n = poll_calls(f, c, 4, 32);
	assert_int_equal(of(c, n, f->ua, 0)->call, ha);
	hb = of(c, n, f->ub, 0)->call;
	/* UserConnect on the ringing leg answers it */
	snprintf(inner, sizeof(inner), "<inno:UserConnect><call>%d</call></inno:UserConnect>", hb);
	soap_void(f, inner);
	n = poll_calls(f, c, 2, 32);
	expect(of(c, n, f->ub, 0), 0x85, "r-conn", true);
	expect(of(c, n, f->ua, 0), 0x05, "x-conn", true);
	/* UserHold / UserRetrieve */
	snprintf(inner, sizeof(inner), "<inno:UserHold><call>%d</call><remote>false</remote></inno:UserHold>",
		 ha);
	soap_void(f, inner);
	n = poll_calls(f, c, 2, 32);
	assert_int_equal(of(c, n, f->ua, 0)->state, 0x105);
	assert_int_equal(of(c, n, f->ub, 0)->state, 0x285);
	snprintf(inner, sizeof(inner), "<inno:UserRetrieve><call>%d</call></inno:UserRetrieve>", ha);
	soap_void(f, inner);
	poll_calls(f, c, 2, 32);
	/* UserClear from Alice with cause 26 */
	snprintf(inner, sizeof(inner), "<inno:UserClear><call>%d</call><cause>26</cause></inno:UserClear>",
		 ha);
	soap_void(f, inner);
	n = poll_calls(f, c, 4, 32);
	expect(of(c, n, f->ua, 0), 0x07, "r-rel", true);
	assert_int_equal(of(c, n, f->ua, 0)->cause, 26);
	expect(of(c, n, f->ub, 0), 0x86, "x-rel", true);
	expect(of(c, n, f->ua, 1), 0x07, "del", false);
	/* UserCall by an unknown handle: 0 */
	snprintf(inner, sizeof(inner), "<inno:UserCall><user>%d</user><cn/><e164>22</e164><h323/>"
		 "<reg>0</reg><rc>0</rc><srce164/></inno:UserCall>", f->ua + 1000);
	assert_int_equal(soap_int(f, inner), 0);
}

static void test_external_via_trunk(void **state)
{
	struct fx *f = *state;
	struct sh_call c[32];
	char reply[128];
	int id;
	size_t n;

	assert_int_equal(pbxsim_cmd(f->p, reply, sizeof(reply), "dial master alice 0301234567"), TSP8_OK);
	id = atoi(reply + 3);
	n = poll_calls(f, c, 4, 32);
	expect(of(c, n, f->ua, 1), 0x04, "x-alert", true);
	assert_string_equal(of(c, n, f->ua, 1)->peer_e164, "0301234567");
	assert_string_equal(of(c, n, f->ua, 1)->peer_cn, "");
	expect(of(c, n, f->ut, 0), 0x81, "x-setup", true);
	assert_string_equal(of(c, n, f->ut, 0)->this_cn, "Trunk");
	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "answer %d", id), TSP8_OK);
	n = poll_calls(f, c, 2, 32);
	expect(of(c, n, f->ut, 0), 0x85, "r-conn", true);
	expect(of(c, n, f->ua, 0), 0x05, "x-conn", true);
	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "drop %d caller", id), TSP8_OK);
	poll_calls(f, c, 4, 32);

	/* incoming from the trunk to 21 */
	assert_int_equal(pbxsim_cmd(f->p, reply, sizeof(reply), "incoming master 0711999 21"), TSP8_OK);
	id = atoi(reply + 3);
	n = poll_calls(f, c, 4, 32);
	expect(of(c, n, f->ua, 0), 0x81, "x-setup", true);
	expect(of(c, n, f->ua, 1), 0x84, "r-alert", true);
	assert_string_equal(of(c, n, f->ua, 0)->peer_e164, "0711999");
	expect(of(c, n, f->ut, 0), 0x01, "r-setup", true);
	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "answer %d", id), TSP8_OK);
	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "drop %d", id), TSP8_OK);
	n = poll_calls(f, c, 6, 32);
	expect(of(c, n, f->ut, 1), 0x07, "r-rel", true);
	expect(of(c, n, f->ua, 1), 0x86, "x-rel", true);
}

static void test_no_trunk(void **state)
{
	static const char tree[] =
		"{\"pbxs\":[{\"name\":\"small\",\"path_id\":\"abc\",\"objects\":["
		"{\"cn\":\"T\",\"h323\":\"_TAPI_\",\"password\":\"tapi\",\"groups\":[{\"group\":\"g\",\"active\":true}]},"
		"{\"cn\":\"A\",\"h323\":\"a\",\"e164\":\"1\",\"groups\":[{\"group\":\"g\"}],"
		" \"devices\":[{\"hw\":\"H\"}],\"registered\":[\"H\"]}]}]}";
	struct pbxsim_proc *p;
	char path[256], reply[128];
	const char *url;
	struct sh_resp r;
	struct sh_call c[8];
	int s, ua;
	size_t n;

	(void)state;
	assert_int_equal(pbxsim_write_temp(path, sizeof(path), tree), TSP8_OK);
	assert_int_equal(pbxsim_start(&p, path, "--poll-idle 1"), TSP8_OK);
	url = pbxsim_url(p, "small");
	assert_non_null(strstr(url, "/PBX-abc/user.soap"));
	s = sh_initialize(url, "T", NULL);
	assert_int_equal(sh_drain_dump(url, s), 2);
	ua = sh_user_init(url, s, "A", NULL);
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "dial small a 0301234"), TSP8_OK);
	assert_int_equal(sh_poll(url, s, 0, &r), 0);
	n = sh_calls(r.body, c, 8);
	sh_free(&r);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].user, ua);
	assert_string_equal(c[0].msg, "r-setup");
	assert_string_equal(c[1].msg, "x-rel");
	assert_int_equal(c[1].state, 0x06);
	assert_true(c[1].has_cause);
	assert_int_equal(c[1].cause, 1);
	assert_string_equal(c[2].msg, "del");
	assert_false(c[2].active);
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "incoming small 0301234 1"), TSP8_EREFUSED);
	assert_non_null(strstr(reply, "no trunk"));
	pbxsim_stop(p);
	pbxsim_remove_temp(path);
}

static void test_transfer_park_pickup(void **state)
{
	struct fx *f = *state;
	struct sh_call c[64];
	char reply[128], inner[512];
	int id1, id2, ha1, ha2, hpark, hnew;
	size_t n;

	/* Bernd -> Alice, answered; Alice -> Claudia (23), answered. */
	assert_int_equal(pbxsim_cmd(f->p, reply, sizeof(reply), "dial master bernd 21"), TSP8_OK);
	id1 = atoi(reply + 3);
	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "answer %d", id1), TSP8_OK);
	assert_int_equal(pbxsim_cmd(f->p, reply, sizeof(reply), "dial master alice 23"), TSP8_OK);
	id2 = atoi(reply + 3);
	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "answer %d", id2), TSP8_OK);
	n = poll_calls(f, c, 9 /* Alice: 2 legs x (setup, alert, conn); Bernd: 3 */, 64);
	ha1 = of(c, n, f->ua, 0)->call; /* Alice's leg of call 1 */
	ha2 = of(c, n, f->ua, 3)->call; /* Alice's leg of call 2 */
	assert_int_not_equal(ha1, ha2);
	snprintf(inner, sizeof(inner), "<inno:UserTransfer><a>%d</a><b>%d</b></inno:UserTransfer>", ha1,
		 ha2);
	soap_void(f, inner);
	n = poll_calls(f, c, 5, 64);
	expect(of(c, n, f->ua, 0), 0x87, "r-rel", true);
	assert_non_null(strstr(of(c, n, f->ua, 0)->notypes, "xfer"));
	assert_string_equal(of(c, n, f->ub, 0)->peer_cn, "Claudia Schäfer");
	assert_non_null(strstr(of(c, n, f->ub, 0)->notypes, "ct"));
	/* Bernd parks Claudia at Alice, Alice picks her up again. */
	snprintf(inner, sizeof(inner), "<inno:UserPark><call>%d</call><cn>Alice Meier</cn>"
		 "<position>-1</position></inno:UserPark>", of(c, n, f->ub, 0)->call);
	hpark = soap_int(f, inner);
	assert_true(hpark > 0);
	n = poll_calls(f, c, 2, 64);
	expect(of(c, n, f->ub, 0), 0x07, "r-rel", true);
	assert_non_null(strstr(of(c, n, f->ub, 0)->notypes, "parked-to"));
	assert_int_equal(pbxsim_cmd(f->p, reply, sizeof(reply), "calls"), TSP8_OK);
	assert_non_null(strstr(reply, "\"parked_at\":\"Alice Meier\""));
	snprintf(inner, sizeof(inner), "<inno:UserPickup><user>%d</user><cn/><call>%d</call><group/>"
		 "<reg>0</reg></inno:UserPickup>", f->ua, hpark);
	hnew = soap_int(f, inner);
	assert_true(hnew > 0);
	n = poll_calls(f, c, 1, 64);
	assert_int_equal(of(c, n, f->ua, 0)->call, hnew);
	expect(of(c, n, f->ua, 0), 0x85, "r-conn", true);
	assert_string_equal(of(c, n, f->ua, 0)->peer_cn, "Claudia Schäfer");
	snprintf(inner, sizeof(inner), "<inno:UserClear><call>%d</call><cause>0</cause></inno:UserClear>",
		 hnew);
	soap_void(f, inner);
	poll_calls(f, c, 2, 64);
}

static void test_redirect_pickup_group(void **state)
{
	struct fx *f = *state;
	struct sh_call c[32];
	char reply[128], inner[512];
	int hb, hnew;
	size_t n;

	/* Claudia calls Bernd; Bernd redirects to Alice; Bernd picks it back
	 * by group "sales" (Alice is a member). */
	assert_int_equal(pbxsim_cmd(f->p, reply, sizeof(reply), "dial master claudia 22"), TSP8_OK);
	n = poll_calls(f, c, 2, 32);
	hb = of(c, n, f->ub, 0)->call;
	snprintf(inner, sizeof(inner), "<inno:UserRedirect><call>%d</call><cn>Alice Meier</cn><e164/><h323/>"
		 "<rc>0</rc></inno:UserRedirect>", hb);
	{
		struct sh_resp r;
		char v[16];

		assert_int_equal(sh_post(f->url, SH_TAPI, inner, 0, &r), 0);
		assert_true(sh_str(r.body, "return", v, sizeof(v)));
		assert_string_equal(v, "true");
		sh_free(&r);
	}
	n = poll_calls(f, c, 4, 32);
	expect(of(c, n, f->ub, 0), 0x86, "x-rel", true);
	expect(of(c, n, f->ua, 0), 0x81, "x-setup", true);
	assert_non_null(strstr(of(c, n, f->ua, 0)->notypes, "leg2"));
	snprintf(inner, sizeof(inner), "<inno:UserPickup><user>%d</user><cn/><call>0</call>"
		 "<group>sales</group><reg>0</reg></inno:UserPickup>", f->ub);
	hnew = soap_int(f, inner);
	assert_true(hnew > 0);
	n = poll_calls(f, c, 3, 32);
	expect(of(c, n, f->ua, 0), 0x86, "x-rel", true);
	assert_int_equal(of(c, n, f->ua, 0)->cause, 26);
	expect(of(c, n, f->ub, 0), 0x85, "r-conn", true);
	assert_non_null(strstr(of(c, n, f->ub, 0)->notypes, "picking"));
	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "drop %s", strchr(reply, ' ') + 1), TSP8_OK);
	poll_calls(f, c, 2, 32);
}

static void test_dtmf_uui_rc_calls(void **state)
{
	struct fx *f = *state;
	struct sh_call c[32];
	struct sh_resp r;
	char reply[1024], inner[512];
	int id, ha;
	size_t n;

	assert_int_equal(pbxsim_cmd(f->p, reply, sizeof(reply), "dial master alice 22"), TSP8_OK);
	id = atoi(reply + 3);
	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "answer %d", id), TSP8_OK);
	n = poll_calls(f, c, 6, 32);
	ha = of(c, n, f->ua, 0)->call;
	snprintf(inner, sizeof(inner), "<inno:UserDTMF><call>%d</call><recv>false</recv><dtmf>42*</dtmf>"
		 "</inno:UserDTMF>", ha);
	soap_void(f, inner);
	snprintf(inner, sizeof(inner), "<inno:UserRc><call>%d</call><rc>8</rc></inno:UserRc>", ha);
	soap_void(f, inner);
	snprintf(inner, sizeof(inner), "<inno:UserUUI><call>%d</call><recv>false</recv><uui>ping</uui>"
		 "</inno:UserUUI>", ha);
	soap_void(f, inner);
	assert_int_equal(pbxsim_cmd(f->p, reply, sizeof(reply), "calls"), TSP8_OK);
	assert_non_null(strstr(reply, "\"dtmf\":\"42*\""));
	assert_non_null(strstr(reply, "\"rc\":8"));
	assert_non_null(strstr(reply, "\"uui\":\"ping\""));
	n = poll_calls(f, c, 2, 32); /* Rc on Alice's leg, UUI on Bernd's */
	assert_string_equal(of(c, n, f->ub, 0)->msg, "x-info");
	/* Calls(session, cn): the current leg, user handle 0 */
	snprintf(inner, sizeof(inner), "<inno:Calls><session>%d</session><user>Bernd Müller</user>"
		 "</inno:Calls>", f->s);
	assert_int_equal(sh_post(f->url, SH_TAPI, inner, 0, &r), 0);
	n = sh_calls(r.body, c, 32);
	sh_free(&r);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].user, 0);
	assert_int_equal(c[0].state, 0x85);
	assert_string_equal(c[0].peer_cn, "Alice Meier");
	assert_int_equal(pbxsim_cmd(f->p, NULL, 0, "drop %d", id), TSP8_OK);
	poll_calls(f, c, 4, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dial_answer_hold_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usercall_connect_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_external_via_trunk, setup, teardown),
		cmocka_unit_test(test_no_trunk),
		cmocka_unit_test_setup_teardown(test_transfer_park_pickup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_redirect_pickup_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dtmf_uui_rc_calls, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
