/* Helpers shared by the codec tests: fixtures and a request re-parser. */
#ifndef TSP8_TEST_CODEC_UTIL_H
#define TSP8_TEST_CODEC_UTIL_H

#include <stddef.h>
#include "soapH.h"

/* Reads tests/soap/fixtures/<name> (malloc'd, NUL-terminated); fails the
 * test when missing. */
char *fixture_load(const char *name, size_t *len);

/* Re-parses a serialized request with a separate gSOAP context, the way a
 * server would: rt_begin reads up to the first body element, the caller
 * runs a generated soap_get_<ns>__<Op>(rt->soap, &req, "<ns>:<Op>", NULL)
 * (which checks the element name and namespace), then rt_end checks the
 * rest of the envelope and frees everything. */
struct rt {
	struct soap *soap;
	const char *buf;
	size_t len, pos;
};
void rt_begin(struct rt *rt, const char *xml, size_t len);
void rt_end(struct rt *rt);

/* Is s valid UTF-8 (no overlongs, no surrogates)? */
int utf8_valid(const char *s);

#endif
