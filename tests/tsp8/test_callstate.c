/* PBX CallInfo state -> TAPI call state: every phase x direction x hold bits,
 * the disconnect causes, leg end, call features. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "soap/pbx_records.h"
#include "tsp8/callstate.h"

/* Expected state for phase (0..15) in a direction, hold bits ignored. */
static DWORD expect_state(int phase, bool offered, bool has_number, DWORD *mode)
{
	*mode = 0;
	switch (phase) {
	case 1: case 2:
		if (offered) { *mode = LINEOFFERINGMODE_ACTIVE; return LINECALLSTATE_OFFERING; }
		if (has_number) return LINECALLSTATE_DIALING;
		*mode = LINEDIALTONEMODE_NORMAL;
		return LINECALLSTATE_DIALTONE;
	case 3:
		if (offered) { *mode = LINEOFFERINGMODE_ACTIVE; return LINECALLSTATE_OFFERING; }
		return LINECALLSTATE_PROCEEDING;
	case 4:
		if (offered) { *mode = LINEOFFERINGMODE_ACTIVE; return LINECALLSTATE_OFFERING; }
		return LINECALLSTATE_RINGBACK;
	case 5:
		*mode = LINECONNECTEDMODE_ACTIVE;
		return LINECALLSTATE_CONNECTED;
	case 6: case 7:
		*mode = LINEDISCONNECTMODE_NORMAL;
		return LINECALLSTATE_DISCONNECTED;
	case 8:
		return LINECALLSTATE_ONHOLD;
	default:
		return LINECALLSTATE_UNKNOWN;
	}
}

static void test_phase_direction_hold_table(void **state)
{
	(void)state;
	for (int phase = 0; phase < 16; phase++) {
		for (int dir = 0; dir < 2; dir++) {
			for (int hold = 0; hold < 4; hold++) {
				for (int num = 0; num < 2; num++) {
					int st = phase | (dir ? PBX_CS_OUTBOUND : 0) | (hold & 1 ? PBX_CS_HOLD : 0) |
						 (hold & 2 ? PBX_CS_HELD_REMOTE : 0);
					DWORD s, m, want_m;
					DWORD want = expect_state(phase, dir, num, &want_m);
					if (phase == 5 && (hold & 1)) {
						want = LINECALLSTATE_ONHOLD;
						want_m = 0;
					} else if (phase == 5 && (hold & 2)) {
						want_m = LINECONNECTEDMODE_ACTIVEHELD;
					}
					callstate_map(st, true, "x", 16, num, &s, &m);
					if (s != want || m != want_m)
						fail_msg("state 0x%x number %d: got %#x/%#x want %#x/%#x", st, num,
							 (unsigned)s, (unsigned)m, (unsigned)want, (unsigned)want_m);
				}
			}
		}
	}
}

static void test_leg_end_is_idle(void **state)
{
	(void)state;
	DWORD s, m;
	for (int st = 0; st < 0x400; st++) {
		callstate_map(st, false, "r-rel", 16, true, &s, &m);
		assert_int_equal(s, LINECALLSTATE_IDLE);
		assert_int_equal(m, 0);
		callstate_map(st, true, "del", 16, true, &s, &m);
		assert_int_equal(s, LINECALLSTATE_IDLE);
	}
	callstate_map(5, true, NULL, -1, true, &s, &m);   /* NULL msg tolerated */
	assert_int_equal(s, LINECALLSTATE_CONNECTED);
}

static void test_examples_from_the_api_sheet(void **state)
{
	(void)state;
	DWORD s, m;
	/* user places a call: 1, then 4, 5 */
	callstate_map(0x01, true, "r-setup", -1, false, &s, &m);
	assert_int_equal(s, LINECALLSTATE_DIALTONE);
	callstate_map(0x04, true, "x-alert", -1, true, &s, &m);
	assert_int_equal(s, LINECALLSTATE_RINGBACK);
	callstate_map(0x05, true, "x-conn", -1, true, &s, &m);
	assert_int_equal(s, LINECALLSTATE_CONNECTED);
	assert_int_equal(m, LINECONNECTEDMODE_ACTIVE);
	/* offered: 129, ringing 132, answered 133 */
	callstate_map(129, true, "x-setup", -1, true, &s, &m);
	assert_int_equal(s, LINECALLSTATE_OFFERING);
	callstate_map(132, true, "r-alert", -1, true, &s, &m);
	assert_int_equal(s, LINECALLSTATE_OFFERING);
	callstate_map(133, true, "r-conn", -1, true, &s, &m);
	assert_int_equal(s, LINECALLSTATE_CONNECTED);
	/* held by us / by the peer */
	callstate_map(0x105, true, "r-facility", -1, true, &s, &m);
	assert_int_equal(s, LINECALLSTATE_ONHOLD);
	callstate_map(0x205, true, "x-facility", -1, true, &s, &m);
	assert_int_equal(s, LINECALLSTATE_CONNECTED);
	assert_int_equal(m, LINECONNECTEDMODE_ACTIVEHELD);
}

static void test_causes(void **state)
{
	(void)state;
	static const struct { int cause; DWORD mode; } t[] = {
		{ -1, LINEDISCONNECTMODE_NORMAL }, { 0, LINEDISCONNECTMODE_NORMAL },
		{ 16, LINEDISCONNECTMODE_NORMAL }, { 31, LINEDISCONNECTMODE_NORMAL },
		{ 1, LINEDISCONNECTMODE_BADADDRESS }, { 28, LINEDISCONNECTMODE_BADADDRESS },
		{ 2, LINEDISCONNECTMODE_UNREACHABLE }, { 3, LINEDISCONNECTMODE_UNREACHABLE },
		{ 17, LINEDISCONNECTMODE_BUSY },
		{ 18, LINEDISCONNECTMODE_NOANSWER }, { 19, LINEDISCONNECTMODE_NOANSWER },
		{ 20, LINEDISCONNECTMODE_UNAVAIL }, { 47, LINEDISCONNECTMODE_UNAVAIL },
		{ 21, LINEDISCONNECTMODE_REJECT },
		{ 22, LINEDISCONNECTMODE_NUMBERCHANGED },
		{ 26, LINEDISCONNECTMODE_PICKUP },
		{ 27, LINEDISCONNECTMODE_OUTOFORDER }, { 38, LINEDISCONNECTMODE_OUTOFORDER },
		{ 34, LINEDISCONNECTMODE_CONGESTION }, { 42, LINEDISCONNECTMODE_CONGESTION },
		{ 41, LINEDISCONNECTMODE_TEMPFAILURE },
		{ 49, LINEDISCONNECTMODE_QOSUNAVAIL },
		{ 57, LINEDISCONNECTMODE_BLOCKED },
		{ 88, LINEDISCONNECTMODE_INCOMPATIBLE },
		{ 127, LINEDISCONNECTMODE_UNKNOWN }, { 99, LINEDISCONNECTMODE_UNKNOWN },
		{ 100000, LINEDISCONNECTMODE_UNKNOWN }, { -5, LINEDISCONNECTMODE_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(callstate_disconnect_mode(t[i].cause), t[i].mode);
		/* the same through the map, both disconnect phases, both directions,
		 * with and without hold bits */
		for (int st = 6; st <= 7; st++)
			for (int bits = 0; bits < 4; bits++) {
				int pbx = st | (bits & 1 ? PBX_CS_OUTBOUND : 0) | (bits & 2 ? PBX_CS_HOLD : 0);
				DWORD s, m;
				callstate_map(pbx, true, "r-rel", t[i].cause, true, &s, &m);
				assert_int_equal(s, LINECALLSTATE_DISCONNECTED);
				assert_int_equal(m, t[i].mode);
			}
		/* every mode produced is announced in the address caps */
		assert_true((CALLSTATE_DISCONNECT_MODES & t[i].mode) == t[i].mode);
	}
	/* every cause value gives exactly one mode bit */
	for (int c = -1; c < 256; c++) {
		DWORD mode = callstate_disconnect_mode(c);
		assert_true(mode != 0 && (mode & (mode - 1)) == 0);
		assert_true((CALLSTATE_DISCONNECT_MODES & mode) == mode);
	}
}

static void test_states_are_announced(void **state)
{
	(void)state;
	for (int st = 0; st < 0x400; st++)
		for (int act = 0; act < 2; act++) {
			DWORD s, m;
			callstate_map(st, act, "x", 17, st & 1, &s, &m);
			assert_true((CALLSTATE_ALL & s) == s);
			assert_true(s != 0 && (s & (s - 1)) == 0);   /* exactly one bit */
		}
}

static void test_direction(void **state)
{
	(void)state;
	assert_true(callstate_inbound(0x81));
	assert_true(callstate_inbound(0x385));
	assert_false(callstate_inbound(0x01));
	assert_false(callstate_inbound(0x305));
}

static void test_features(void **state)
{
	(void)state;
	assert_int_equal(callstate_features(LINECALLSTATE_OFFERING, true),
			 LINECALLFEATURE_ANSWER | LINECALLFEATURE_DROP);
	assert_int_equal(callstate_features(LINECALLSTATE_CONNECTED, true), LINECALLFEATURE_DROP);
	assert_int_equal(callstate_features(LINECALLSTATE_ONHOLD, true), LINECALLFEATURE_DROP);
	assert_int_equal(callstate_features(LINECALLSTATE_DISCONNECTED, true), LINECALLFEATURE_DROP);
	assert_int_equal(callstate_features(LINECALLSTATE_IDLE, true), 0);
	/* link down: nothing */
	for (DWORD s = 1; s <= LINECALLSTATE_UNKNOWN; s <<= 1)
		assert_int_equal(callstate_features(s, false), 0);
	for (DWORD s = 1; s <= LINECALLSTATE_UNKNOWN; s <<= 1)
		assert_true((callstate_features(s, true) & ~(DWORD)CALLSTATE_FEATURES_ALL) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phase_direction_hold_table),
		cmocka_unit_test(test_leg_end_is_idle),
		cmocka_unit_test(test_examples_from_the_api_sheet),
		cmocka_unit_test(test_causes),
		cmocka_unit_test(test_states_are_announced),
		cmocka_unit_test(test_direction),
		cmocka_unit_test(test_features),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
