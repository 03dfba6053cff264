/* Decoding of TAPI numbers into names for tapihost output. */
#ifndef TAPIHOST_NAMES_H
#define TAPIHOST_NAMES_H

#include <stddef.h>

#include "tsp8/tapi_abi.h"

struct flag_name {
	DWORD value;
	const char *name;
};

/* Tables end with { 0, NULL }.  Names are without the family prefix, except
 * names_lineerr ("LINEERR_NOMEM"). */
extern const struct flag_name names_lineerr[];
extern const struct flag_name names_callstate[];
extern const struct flag_name names_devstate[];
extern const struct flag_name names_addrstate[];
extern const struct flag_name names_callinfostate[];
extern const struct flag_name names_callfeature[];
extern const struct flag_name names_disconnectmode[];
extern const struct flag_name names_connectedmode[];
extern const struct flag_name names_offeringmode[];
extern const struct flag_name names_dialtonemode[];
extern const struct flag_name names_busymode[];
extern const struct flag_name names_specialinfo[];
extern const struct flag_name names_mediamode[];
extern const struct flag_name names_generateterm[];
extern const struct flag_name names_partyid[];
extern const struct flag_name names_devstatusflags[];

/* "LINE_CALLSTATE", ... or NULL for a number that is no line message. */
const char *names_msg(DWORD msg);
/* Exact match in a table, NULL if none. */
const char *names_lookup(const struct flag_name *tab, DWORD value);
/* "LINEERR_INVALCALLHANDLE"; "OK" for 0; NULL for other values. */
const char *names_lineerr_of(LONG result);
/* Bits as "A|B", unknown bits appended as hex ("A|0x40000000"), "0" for
 * none.  Writes NUL-terminated text into buf (cut if cap is too small);
 * returns buf. */
const char *names_flags(char *buf, size_t cap, DWORD bits, const struct flag_name *tab);
/* The mode table LINE_CALLSTATE's dwParam2 uses for this state, or NULL
 * (CONFERENCED carries a call handle; others have no mode). */
const struct flag_name *names_callstate_modes(DWORD state);

#endif
