/* Destination strings of lineMakeCall (TAPI dialable addresses, tspi.md §13).
 *
 * A destination that contains digits and only dialable characters is a
 * number: tone/pulse switches (T, P), blanks, '-', '(', ')', ',' (pause)
 * are removed; the subaddress ('|...') and name ('^...') parts and anything
 * after a line break are dropped; dial modifiers the PBX cannot honour are
 * rejected: W -> DIALDIALTONE, @ -> DIALQUIET, $ -> DIALBILLING,
 * ? -> DIALPROMPT, ! (flash) -> INVALADDRESS; a trailing ';' (partial dial,
 * continued by lineDial) -> OPERATIONUNAVAIL for now.
 * Anything else is a name (an h323 alias or SIP URI), passed on trimmed.
 */
#ifndef TSP8_TSP8_DIALSTR_H
#define TSP8_TSP8_DIALSTR_H

#include <stddef.h>

#include "tsp8/tapi_abi.h"

/* Longest destination accepted (bytes of UTF-8, incl. NUL). */
#define DIALSTR_MAX 256

/* Cleans in (UTF-8) into out.  Returns 0 or a (LONG) LINEERR_*:
 * OPERATIONUNAVAIL for NULL/empty input (a call without destination needs
 * lineDial), INVALADDRESS for what strips to nothing or is too long, the
 * DIAL* codes above. */
LONG dialstr_clean(const char *in, char *out, size_t outlen);

#endif
