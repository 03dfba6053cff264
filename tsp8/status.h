/* lineGetCallInfo / lineGetCallStatus / lineGetLineDevStatus /
 * lineGetAddressStatus (sized by the line's negotiated version; call
 * features are 0 while the PBX link is down). */
#ifndef TSP8_TSP8_STATUS_H
#define TSP8_TSP8_STATUS_H

#include "tsp8/model.h"

LONG status_call_info(struct provider *p, HDRVCALL hd, LPLINECALLINFO ci);
LONG status_call_status(struct provider *p, HDRVCALL hd, LPLINECALLSTATUS cs);
LONG status_line_dev(struct provider *p, HDRVLINE hd, LPLINEDEVSTATUS ds);
LONG status_address(struct provider *p, HDRVLINE hd, DWORD address_id, LPLINEADDRESSSTATUS as);

/* LINECALLPARTYID_* for what is known of a party. */
DWORD status_party_flags(const char *number, const char *name);

#endif
