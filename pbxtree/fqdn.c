/* FQDN configuration value -> normalised SOAP URL (see fqdn.h). */
#include "pbxtree/fqdn.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"

static int fail(char *errbuf, unsigned errlen, const char *why)
{
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "%s", why);
	return TSP8_EINVAL;
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/* Case-insensitive prefix test; returns the prefix length or 0. */
static size_t iprefix(const char *s, size_t n, const char *prefix)
{
	size_t l = strlen(prefix);
	if (n < l)
		return 0;
	for (size_t i = 0; i < l; i++)
		if (lower(s[i]) != prefix[i])
			return 0;
	return l;
}

/* DNS name or IPv4 address: letters, digits, '-', '_', '.'; no empty label. */
static bool valid_name(const char *h, size_t n)
{
	if (n == 0 || h[0] == '.' || h[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];
		if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '.'))
			return false;
		if (c == '.' && h[i + 1] == '.')
			return false;
	}
	return true;
}

/* Inside of "[...]": hex digits, ':' and '.' (IPv4-mapped tail). */
static bool valid_ipv6(const char *h, size_t n)
{
	size_t colons = 0;
	if (n < 2)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (h[i] == ':')
			colons++;
		else if (!(is_hex(h[i]) || h[i] == '.'))
			return false;
	}
	return colons >= 2;
}

static bool parse_port(const char *p, size_t n, unsigned *out)
{
	unsigned v = 0;
	if (n == 0 || n > 5)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return false;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	if (v == 0 || v > 65535)
		return false;
	*out = v;
	return true;
}

/* Path part after the authority: "", "/", "/PBX0", "/PBX-<id>", "/PBX0-<id>",
 * each optionally followed by "/" or "/user.soap". */
static bool parse_path(const char *p, size_t n, char *pbx, size_t pbxlen)
{
	if (n == 0 || (n == 1 && p[0] == '/')) {
		snprintf(pbx, pbxlen, "PBX0");
		return true;
	}
	if (p[0] != '/')
		return false;
	p++;
	n--;
	size_t seg = 0;
	while (seg < n && p[seg] != '/')
		seg++;
	const char *rest = p + seg;
	size_t restn = n - seg;
	if (!(restn == 0 || (restn == 1 && rest[0] == '/') ||
	      (restn == 10 && memcmp(rest, "/user.soap", 10) == 0)))
		return false;
	if (seg == 4 && memcmp(p, "PBX0", 4) == 0) {
		snprintf(pbx, pbxlen, "PBX0");
		return true;
	}
	size_t idpos;
	if (seg > 4 && memcmp(p, "PBX-", 4) == 0)
		idpos = 4;
	else if (seg > 5 && memcmp(p, "PBX0-", 5) == 0)
		idpos = 5;
	else
		return false;
	for (size_t i = idpos; i < seg; i++) {
		char c = p[i];
		if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '.'))
			return false;
	}
	if (seg + 1 > pbxlen)
		return false;
	memcpy(pbx, p, seg);
	pbx[seg] = '\0';
	return true;
}

int fqdn_normalize(const char *in, struct fqdn *out, char *errbuf, unsigned errlen)
{
	if (!out)
		return TSP8_EINVAL;
	memset(out, 0, sizeof(*out));
	if (!in)
		return fail(errbuf, errlen, "no PBX address configured");

	while (is_blank(*in))
		in++;
	size_t n = strlen(in);
	while (n > 0 && is_blank(in[n - 1]))
		n--;
	if (n == 0)
		return fail(errbuf, errlen, "empty PBX address");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (is_blank((char)c) || c < 0x20 || c >= 0x7f)
			return fail(errbuf, errlen, "blank or non-ASCII character in PBX address");
		if (c == '@' || c == '?' || c == '#' || c == '\\')
			return fail(errbuf, errlen, "user info, query or fragment not allowed in PBX address");
	}

	const char *p = in;
	size_t k;
	const char *sep = strstr(in, "://");
	if ((k = iprefix(p, n, "https://")) != 0)
		out->tls = true;
	else if ((k = iprefix(p, n, "http://")) == 0 && sep && (size_t)(sep - in) < n)
		return fail(errbuf, errlen, "unsupported scheme (use http or https)");
	p += k;
	n -= k;

	size_t auth = 0;
	while (auth < n && p[auth] != '/')
		auth++;
	if (auth == 0)
		return fail(errbuf, errlen, "missing host name");

	const char *host = p;
	size_t hostn;
	const char *portp = NULL;
	size_t portn = 0;
	if (p[0] == '[') {
		const char *close = memchr(p, ']', auth);
		if (!close)
			return fail(errbuf, errlen, "unterminated IPv6 address");
		hostn = (size_t)(close - p) + 1;
		if (!valid_ipv6(p + 1, hostn - 2))
			return fail(errbuf, errlen, "invalid IPv6 address");
		if (hostn < auth) {
			if (p[hostn] != ':')
				return fail(errbuf, errlen, "garbage after IPv6 address");
			portp = p + hostn + 1;
			portn = auth - hostn - 1;
		}
	} else {
		const char *colon = memchr(p, ':', auth);
		hostn = colon ? (size_t)(colon - p) : auth;
		if (!valid_name(p, hostn))
			return fail(errbuf, errlen, "invalid host name");
		if (colon) {
			portp = colon + 1;
			portn = auth - hostn - 1;
		}
	}
	if (hostn >= sizeof(out->host))
		return fail(errbuf, errlen, "host name too long");

	out->port = out->tls ? 443 : 80;
	if (portp) {
		if (!parse_port(portp, portn, &out->port))
			return fail(errbuf, errlen, "invalid port (1..65535)");
		out->port_given = true;
	}
	if (!parse_path(p + auth, n - auth, out->pbx_path, sizeof(out->pbx_path)))
		return fail(errbuf, errlen, "path must be /PBX0 or /PBX-<id>");

	memcpy(out->host, host, hostn);
	out->host[hostn] = '\0';

	unsigned def = out->tls ? 443 : 80;
	char portbuf[8] = "";
	if (out->port != def)
		snprintf(portbuf, sizeof(portbuf), ":%u", out->port);
	snprintf(out->url, sizeof(out->url), "%s://%s%s/%s/user.soap",
		 out->tls ? "https" : "http", out->host, portbuf, out->pbx_path);
	return TSP8_OK;
}
