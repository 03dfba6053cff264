/* Line address rule (see address.h). */
#include "pbxtree/address.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"

int line_address(const char *nodenum, const char *e164, bool pure_node_extensions,
		 char *buf, size_t len)
{
	if (!buf || len == 0)
		return TSP8_EINVAL;
	buf[0] = '\0';
	if (!e164 || !e164[0])
		return TSP8_OK;
	const char *prefix = (pure_node_extensions || !nodenum) ? "" : nodenum;
	if (strlen(prefix) + strlen(e164) + 1 > len)
		return TSP8_ELIMIT;
	snprintf(buf, len, "%s%s", prefix, e164);
	return TSP8_OK;
}
