/* pbxsim call operations beyond setup/answer/clear: transfer, redirect,
 * pickup, park, display update, DTMF/UUI, remote control, messages.
 * Every function expects sim->lock held and works on leg handles. */
#ifndef PBXSIM_CALL_OPS_H
#define PBXSIM_CALL_OPS_H

#include <stdbool.h>

#include "calls.h"

/* UserTransfer: legs a and b of the same object; their peers get
 * connected, a and b are released.  TSP8_OK / TSP8_ESTATE. */
int ops_transfer(struct sim_pbx *pbx, int a, int b);
/* UserRedirect (honour_fwd false) / UserReroute (true): moves the ringing
 * leg `call` to cn/e164/h323.  True on success. */
bool ops_redirect(struct sim_pbx *pbx, int call, const char *cn, const char *e164,
		  const char *h323, bool honour_fwd);
/* UserPickup for `picker`: by leg handle (also unparks), by cn's ringing
 * call, by group, or implicitly in picker's groups.  New leg handle or 0. */
int ops_pickup(struct sim_pbx *pbx, struct sim_object *picker, const char *hw,
	       const char *cn, int call, const char *group);
/* UserPark: parks the peer of leg `call` at object cn (position -1 =
 * any).  Handle of the parked leg, 0 on failure. */
int ops_park(struct sim_pbx *pbx, int call, const char *cn, int position);
/* UserCtComplete: the device of leg `call` shows a new peer. */
int ops_ct_complete(struct sim_pbx *pbx, int call, const char *e164, const char *h323);
/* UserDTMF: recv=false: the user sends digits to the peer. */
int ops_dtmf(struct sim_pbx *pbx, int call, bool recv, const char *dtmf);
/* UserUUI: recv=false: to the peer (reported on its leg), true: to the user. */
int ops_uui(struct sim_pbx *pbx, int call, bool recv, const char *uui);
/* UserRc: remote-control code for the device of leg `call`. */
int ops_rc(struct sim_pbx *pbx, int call, int rc);
/* UserMessage: text message from `from`; handle of the message call
 * (reported as msg-sent and deleted at once), 0 when no destination. */
int ops_message(struct sim_pbx *pbx, struct sim_object *from, const char *e164,
		const char *h323, const char *msg, const char *src_e164, const char *src_h323);

#endif
