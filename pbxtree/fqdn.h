/* PBX address normalisation: the FQDN configuration value -> SOAP URL.
 *
 * Accepted forms (case-insensitive scheme, surrounding blanks ignored):
 *   host                      -> http://host/PBX0/user.soap   (port 80)
 *   host:port                 -> http://host:port/PBX0/user.soap
 *   http(s)://host[:port]     -> .../PBX0/user.soap
 *   http(s)://host[:port]/PBX0[/]            (also with /user.soap)
 *   http(s)://host[:port]/PBX-<id>[/]        dynamic PBX
 *   http(s)://host[:port]/PBX0-<id>[/]       the wiki's spelling of the same
 * host is a DNS name, an IPv4 address or a bracketed IPv6 address.
 * Everything else (other schemes, user@host, queries, other paths, port 0 or
 * above 65535, blanks inside) is rejected with TSP8_EINVAL.
 */
#ifndef TSP8_PBXTREE_FQDN_H
#define TSP8_PBXTREE_FQDN_H

#include <stdbool.h>

#define FQDN_HOST_MAX 256
#define FQDN_PATH_MAX 128
#define FQDN_URL_MAX  (FQDN_HOST_MAX + FQDN_PATH_MAX + 32)

struct fqdn {
	bool tls;                      /* https */
	char host[FQDN_HOST_MAX];      /* as given; IPv6 keeps its brackets */
	unsigned port;                 /* explicit or the scheme's default */
	bool port_given;               /* the value named a port */
	char pbx_path[FQDN_PATH_MAX];  /* "PBX0" or "PBX-<id>" (no slashes) */
	char url[FQDN_URL_MAX];        /* scheme://host[:port]/<pbx_path>/user.soap */
};

/* Parses and normalises in.  On error returns TSP8_EINVAL and, if errbuf is
 * given, a short reason ("unsupported scheme", ...).  The default port of the
 * scheme is left out of the URL. */
int fqdn_normalize(const char *in, struct fqdn *out, char *errbuf, unsigned errlen);

#endif
