/* Deep copy of a decoded CallInfo (one allocation), for legs buffered until
 * the UserCall answer tells whose they are. */
#ifndef TSP8_TSP8_LEGCOPY_H
#define TSP8_TSP8_LEGCOPY_H

#include "soap/pbx_records.h"

/* malloc'd copy (free() it); NULL when out of memory. */
struct pbx_call *legcopy(const struct pbx_call *c);

#endif
