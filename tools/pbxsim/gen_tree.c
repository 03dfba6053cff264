/* pbxsim tree generator (see gen_tree.h). */
#include "gen_tree.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

#define GEN_MAX_PBXS 5000        /* PBXs in one generated file */
#define GEN_MAX_OBJECTS 1000000  /* objects in one generated file */

struct gen_spec {
	unsigned long slaves, users, standby, unrelated;
};

static unsigned digits(unsigned long v)
{
	unsigned d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

static int parse_spec(const char *spec, struct gen_spec *g, char *err, size_t errlen)
{
	static const struct { const char *key; unsigned long max; size_t off; } keys[] = {
		{ "slaves", GEN_MAX_PBXS, offsetof(struct gen_spec, slaves) },
		{ "users", GEN_MAX_OBJECTS, offsetof(struct gen_spec, users) },
		{ "standby", 2, offsetof(struct gen_spec, standby) },
		{ "unrelated", GEN_MAX_PBXS, offsetof(struct gen_spec, unrelated) },
	};
	const char *p = spec ? spec : "";

	memset(g, 0, sizeof(*g));
	while (*p) {
		size_t klen = strcspn(p, "=,");
		char *end;
		unsigned long v;
		bool known = false;

		if (p[klen] != '=') {
			snprintf(err, errlen, "--gen-tree: expected key=value at '%s'", p);
			return TSP8_ESYNTAX;
		}
		v = strtoul(p + klen + 1, &end, 10);
		if (end == p + klen + 1 || (*end && *end != ',') || p[klen + 1] == '-') {
			snprintf(err, errlen, "--gen-tree: '%.*s' needs a whole number", (int)klen, p);
			return TSP8_ESYNTAX;
		}
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (strlen(keys[i].key) != klen || strncmp(keys[i].key, p, klen) != 0)
				continue;
			if (v > keys[i].max) {
				snprintf(err, errlen, "--gen-tree: %s is at most %lu", keys[i].key,
					 keys[i].max);
				return TSP8_ESYNTAX;
			}
			*(unsigned long *)((char *)g + keys[i].off) = v;
			known = true;
		}
		if (!known) {
			snprintf(err, errlen, "--gen-tree: unknown key '%.*s' (slaves, users, standby, "
				 "unrelated)", (int)klen, p);
			return TSP8_ESYNTAX;
		}
		p = *end ? end + 1 : end;
	}
	return TSP8_OK;
}

/* Name of PBX p (0 = the master) of tree t (0 = the first tree). */
static void pbx_name(char *out, size_t len, unsigned long t, unsigned long p)
{
	char prefix[32] = "";

	if (t)
		snprintf(prefix, sizeof(prefix), "t%lu-", t);
	if (p)
		snprintf(out, len, "%sslave%lu", prefix, p);
	else
		snprintf(out, len, "%smaster", prefix);
}

static void str_field(struct strbuf *sb, const char *key, const char *value, bool comma)
{
	sb_printf(sb, "%s\"%s\": ", comma ? ", " : "", key);
	sb_json(sb, value);
}

static void gen_users(struct strbuf *sb, const struct gen_spec *g, unsigned long t,
		      unsigned long p, unsigned long *hw)
{
	unsigned dp = digits(g->slaves), du = digits(g->users);
	char home[64], cn[96], h323[64], e164[48], dev[16];

	pbx_name(home, sizeof(home), t, p);
	for (unsigned long u = 1; u <= g->users; u++) {
		if (t)
			snprintf(cn, sizeof(cn), "T%lu User %lu.%lu", t, p, u);
		else
			snprintf(cn, sizeof(cn), "User %lu.%lu", p, u);
		if (t)
			snprintf(h323, sizeof(h323), "t%lu_u%lu_%lu", t, p, u);
		else
			snprintf(h323, sizeof(h323), "u%lu_%lu", p, u);
		snprintf(e164, sizeof(e164), "1%0*lu%0*lu", (int)dp, p, (int)du, u);
		snprintf(dev, sizeof(dev), "00903%07lX", ++*hw);
		sb_puts(sb, ",\n    {");
		str_field(sb, "cn", cn, false);
		str_field(sb, "h323", h323, true);
		str_field(sb, "e164", e164, true);
		str_field(sb, "pbx", home, true);
		sb_puts(sb, ", \"groups\": [{\"group\": \"tapi\", \"active\": false}], \"devices\": [{");
		str_field(sb, "hw", dev, false);
		sb_puts(sb, ", \"text\": \"IP232\"}], \"registered\": [");
		sb_json(sb, dev);
		sb_puts(sb, "]}");
	}
}

static void gen_one_tree(struct strbuf *sb, const struct gen_spec *g, unsigned long t,
			 bool first)
{
	char master[64], name[64], sb_name[96];
	unsigned long hw = 0;

	pbx_name(master, sizeof(master), t, 0);
	sb_printf(sb, "%s  {", first ? "" : ",\n");
	str_field(sb, "name", master, false);
	sb_puts(sb, ", \"objects\": [\n    {\"cn\": \"_TAPI_\", \"dn\": \"TAPI Service\", "
		    "\"h323\": \"_TAPI_\", \"password\": \"tapi\", "
		    "\"groups\": [{\"group\": \"tapi\", \"active\": true}]},\n"
		    "    {\"cn\": \"Trunk\", \"h323\": \"trunk\", \"e164\": \"0\", \"type\": \"gw\", "
		    "\"groups\": [{\"group\": \"tapi\", \"active\": false}]}");
	for (unsigned long p = 1; p <= g->slaves; p++) {
		pbx_name(name, sizeof(name), t, p);
		sb_puts(sb, ",\n    {");
		str_field(sb, "cn", name, false);
		str_field(sb, "h323", name, true);
		sb_puts(sb, ", \"object\": \"pbx\", \"groups\": [{\"group\": \"tapi\", "
			    "\"active\": false}]}");
	}
	for (unsigned long p = 0; p <= g->slaves; p++)
		gen_users(sb, g, t, p, &hw);
	sb_puts(sb, "\n  ]}");
	for (unsigned long p = 0; p <= g->slaves; p++) {
		pbx_name(name, sizeof(name), t, p);
		if (p) {
			sb_puts(sb, ",\n  {");
			str_field(sb, "name", name, false);
			str_field(sb, "master", master, true);
			sb_puts(sb, "}");
		}
		if (g->standby == 2 || (g->standby == 1 && p == 0)) {
			snprintf(sb_name, sizeof(sb_name), "%s-standby", name);
			sb_puts(sb, ",\n  {");
			str_field(sb, "name", sb_name, false);
			str_field(sb, "standby_for", name, true);
			sb_puts(sb, "}");
		}
	}
}

int gen_tree(const char *spec, struct strbuf *out, char *err, size_t errlen)
{
	struct gen_spec g;
	unsigned long trees, pbxs, objs;
	int rc = parse_spec(spec, &g, err, errlen);

	if (rc != TSP8_OK)
		return rc;
	trees = g.unrelated + 1;
	pbxs = (g.slaves + 1) * trees * (g.standby == 2 ? 2 : 1) + (g.standby == 1 ? trees : 0);
	objs = ((g.slaves + 1) * (g.users + 1) + 1) * trees;
	if (pbxs > GEN_MAX_PBXS || objs > GEN_MAX_OBJECTS) {
		snprintf(err, errlen, "--gen-tree: %lu PBXs / %lu objects is too big (at most %d / %d)",
			 pbxs, objs, GEN_MAX_PBXS, GEN_MAX_OBJECTS);
		return TSP8_ESYNTAX;
	}
	sb_puts(out, "{\"pbxs\": [\n");
	for (unsigned long t = 0; t < trees; t++)
		gen_one_tree(out, &g, t, t == 0);
	sb_puts(out, "\n]}\n");
	return sb_failed(out) ? TSP8_ENOMEM : TSP8_OK;
}
