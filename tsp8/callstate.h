/* PBX CallInfo -> TAPI call state (tspi.md §11, pbx-soap-api.md §5).
 *
 * Direction is PBX-centric: 0x80 set means the PBX offers the call to the
 * device, i.e. an inbound call for TAPI (the peer is the caller).
 *   leg gone (active=false or msg "del")      -> IDLE
 *   0x80 and setup/setup-ack/call-proc/alert  -> OFFERING (ACTIVE)
 *   no 0x80: setup / setup-ack                -> DIALING, DIALTONE (NORMAL)
 *                                                while no number is known
 *            call-proc                        -> PROCEEDING
 *            alert                            -> RINGBACK
 *   connect                                   -> CONNECTED ACTIVE, or
 *                                                ACTIVEHELD with 0x200;
 *                                                ONHOLD with 0x100
 *   disconnect sent/received (6/7)            -> DISCONNECTED, mode from
 *                                                the Q.850 cause
 *   parked (8)                                -> ONHOLD (reason PARKED)
 *   anything else                             -> UNKNOWN
 * The hold bits only matter in the connect phase.
 */
#ifndef TSP8_TSP8_CALLSTATE_H
#define TSP8_TSP8_CALLSTATE_H

#include <stdbool.h>

#include "tsp8/tapi_abi.h"

/* cause: Q.850 cause of the call, -1 when none was reported.
 * has_number: the number dialled so far is known (for DIALTONE/DIALING). */
void callstate_map(int pbx_state, bool active, const char *msg, int cause, bool has_number,
		   DWORD *state, DWORD *mode);
/* LINEDISCONNECTMODE_* for a Q.850 cause (-1/0: none -> NORMAL). */
DWORD callstate_disconnect_mode(int cause);
/* True when the PBX offers the call to the device (inbound for TAPI). */
bool callstate_inbound(int pbx_state);
/* LINECALLFEATURE_* possible in state (0 while the PBX link is down). */
DWORD callstate_features(DWORD state, bool link_up);
/* Every state callstate_map can produce (LINECALLINFO.dwCallStates,
 * LINEADDRESSCAPS.dwCallStates). */
#define CALLSTATE_ALL (LINECALLSTATE_IDLE | LINECALLSTATE_OFFERING | LINECALLSTATE_DIALTONE | \
		       LINECALLSTATE_DIALING | LINECALLSTATE_RINGBACK | LINECALLSTATE_CONNECTED | \
		       LINECALLSTATE_PROCEEDING | LINECALLSTATE_ONHOLD | LINECALLSTATE_DISCONNECTED | \
		       LINECALLSTATE_UNKNOWN)
/* Every disconnect mode callstate_disconnect_mode can produce. */
#define CALLSTATE_DISCONNECT_MODES (LINEDISCONNECTMODE_NORMAL | LINEDISCONNECTMODE_UNKNOWN | \
	LINEDISCONNECTMODE_REJECT | LINEDISCONNECTMODE_PICKUP | LINEDISCONNECTMODE_BUSY | \
	LINEDISCONNECTMODE_NOANSWER | LINEDISCONNECTMODE_BADADDRESS | LINEDISCONNECTMODE_UNREACHABLE | \
	LINEDISCONNECTMODE_CONGESTION | LINEDISCONNECTMODE_INCOMPATIBLE | LINEDISCONNECTMODE_UNAVAIL | \
	LINEDISCONNECTMODE_NUMBERCHANGED | LINEDISCONNECTMODE_OUTOFORDER | \
	LINEDISCONNECTMODE_TEMPFAILURE | LINEDISCONNECTMODE_QOSUNAVAIL | LINEDISCONNECTMODE_BLOCKED)
/* Call features we implement (LINEADDRESSCAPS.dwCallFeatures). */
#define CALLSTATE_FEATURES_ALL (LINECALLFEATURE_ANSWER | LINECALLFEATURE_DROP)

#endif
