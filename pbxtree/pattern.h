/* Line name patterns ("TAPI Line Names", config value LineNamePattern).
 *
 * Codes, as in the reference's table:
 *   %c cn              %C cn + " [device]" when the device name differs
 *   %d dn              %D dn + " [device]" when the device name differs
 *   %h h323 (Name)     %H h323 + " [device]" when the device name differs
 *   %t device name     %T device hardware id
 *   %e e164            %E node number + e164
 *   %N line address as reported to TAPI
 *   %n master host     %p ":port" of the master (empty if 80)   %P port
 *   %u user@host (h323 alias @ master host)
 *   %U h323:user@host:port (draft-levin-iptel-h323-url-scheme; the
 *      reference's text shows "h323:://", which is a typo of that scheme)
 *   %x PBX the user is reported by   %X PBX the user is registered with
 *   %% a literal '%'
 * Unknown codes and a trailing lone '%' are copied literally.
 */
#ifndef TSP8_PBXTREE_PATTERN_H
#define TSP8_PBXTREE_PATTERN_H

#include <stddef.h>

#define PATTERN_DEFAULT "%C (%x)"
/* Longest name produced (bytes, including the terminating NUL). */
#define PATTERN_MAX_OUT 1024

/* Values for the codes; NULL pointers count as "". */
struct pattern_vars {
	const char *cn, *dn, *h323, *e164, *nodenum;
	const char *device_name;    /* %t: "" until devices are mapped */
	const char *device_hw;      /* %T */
	const char *address;        /* %N */
	const char *host;           /* %n */
	unsigned port;              /* %p / %P */
	const char *pbx_reported;   /* %x */
	const char *pbx_registered; /* %X */
};

/* Expands pattern (NULL or "" = PATTERN_DEFAULT) into buf (len >= 1, always
 * NUL-terminated).  Returns TSP8_OK, or TSP8_ELIMIT when the result was cut
 * (at a UTF-8 character boundary) to fit, TSP8_EINVAL for bad arguments. */
int pattern_expand(const char *pattern, const struct pattern_vars *v, char *buf, size_t len);

#endif
