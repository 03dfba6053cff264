/* PBX CallInfo -> TAPI call state (see callstate.h). */
#include "tsp8/callstate.h"

#include <string.h>

#include "soap/pbx_records.h"

bool callstate_inbound(int pbx_state)
{
	return (pbx_state & PBX_CS_OUTBOUND) != 0;
}

void callstate_map(int pbx_state, bool active, const char *msg, int cause, bool has_number,
		   DWORD *state, DWORD *mode)
{
	*mode = 0;
	if (!active || (msg && strcmp(msg, "del") == 0)) {
		*state = LINECALLSTATE_IDLE;
		return;
	}
	int phase = pbx_state & PBX_CS_PHASE_MASK;
	bool offered = callstate_inbound(pbx_state);
	switch (phase) {
	case PBX_CS_SETUP:
	case PBX_CS_SETUP_ACK:
	case PBX_CS_CALL_PROC:
	case PBX_CS_ALERT:
		if (offered) {
			*state = LINECALLSTATE_OFFERING;
			*mode = LINEOFFERINGMODE_ACTIVE;
		} else if (phase == PBX_CS_CALL_PROC) {
			*state = LINECALLSTATE_PROCEEDING;
		} else if (phase == PBX_CS_ALERT) {
			*state = LINECALLSTATE_RINGBACK;
		} else if (has_number) {
			*state = LINECALLSTATE_DIALING;
		} else {
			*state = LINECALLSTATE_DIALTONE;
			*mode = LINEDIALTONEMODE_NORMAL;
		}
		return;
	case PBX_CS_CONNECT:
		if (pbx_state & PBX_CS_HOLD) {
			*state = LINECALLSTATE_ONHOLD;
		} else {
			*state = LINECALLSTATE_CONNECTED;
			*mode = (pbx_state & PBX_CS_HELD_REMOTE) ? LINECONNECTEDMODE_ACTIVEHELD
								 : LINECONNECTEDMODE_ACTIVE;
		}
		return;
	case PBX_CS_DISC_SENT:
	case PBX_CS_DISC_RECV:
		*state = LINECALLSTATE_DISCONNECTED;
		*mode = callstate_disconnect_mode(cause);
		return;
	case PBX_CS_PARKED:
		*state = LINECALLSTATE_ONHOLD;
		return;
	default:
		*state = LINECALLSTATE_UNKNOWN;
		return;
	}
}

DWORD callstate_disconnect_mode(int cause)
{
	switch (cause) {
	case -1: case 0: case 16: case 31:
		return LINEDISCONNECTMODE_NORMAL;
	case 1: case 28:
		return LINEDISCONNECTMODE_BADADDRESS;
	case 2: case 3:
		return LINEDISCONNECTMODE_UNREACHABLE;
	case 17:
		return LINEDISCONNECTMODE_BUSY;
	case 18: case 19:
		return LINEDISCONNECTMODE_NOANSWER;
	case 20: case 29: case 47: case 58: case 63:
		return LINEDISCONNECTMODE_UNAVAIL;
	case 21:
		return LINEDISCONNECTMODE_REJECT;
	case 22:
		return LINEDISCONNECTMODE_NUMBERCHANGED;
	case 26:
		return LINEDISCONNECTMODE_PICKUP;   /* answered elsewhere */
	case 27: case 38:
		return LINEDISCONNECTMODE_OUTOFORDER;
	case 34: case 42: case 44:
		return LINEDISCONNECTMODE_CONGESTION;
	case 41: case 102:
		return LINEDISCONNECTMODE_TEMPFAILURE;
	case 49:
		return LINEDISCONNECTMODE_QOSUNAVAIL;
	case 55: case 57:
		return LINEDISCONNECTMODE_BLOCKED;
	case 65: case 88:
		return LINEDISCONNECTMODE_INCOMPATIBLE;
	default:
		return LINEDISCONNECTMODE_UNKNOWN;
	}
}

DWORD callstate_features(DWORD state, bool link_up)
{
	if (!link_up)
		return 0;
	switch (state) {
	case LINECALLSTATE_OFFERING:
	case LINECALLSTATE_ACCEPTED:
		return LINECALLFEATURE_ANSWER | LINECALLFEATURE_DROP;
	case LINECALLSTATE_IDLE:
	case 0:
		return 0;
	default:
		return LINECALLFEATURE_DROP;
	}
}
