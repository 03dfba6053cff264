/* pbxsim command line. */
#include "args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

const char *args_usage(void)
{
	return "usage: pbxsim --tree FILE.json [--control-port N] [--poll-idle SECONDS]\n"
	       "              [--session-expiry SECONDS] [--verbose]\n"
	       "       pbxsim --gen-tree slaves=N,users=M[,standby=0|1|2][,unrelated=K]\n"
	       "  --tree FILE          PBX tree (JSON) to simulate\n"
	       "  --control-port N     loopback control port (default 0 = ephemeral)\n"
	       "  --poll-idle S        longest idle Poll in seconds (default 60; may be 0.5)\n"
	       "  --session-expiry S   session life after its last connection closed (default 10)\n"
	       "  --verbose            log SOAP requests and call states to stderr\n"
	       "  --gen-tree SPEC      print a generated tree file (see README) and exit\n";
}

/* Seconds (decimals allowed) to milliseconds. */
static bool seconds(const char *s, unsigned *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < 0 || v > 86400)
		return false;
	*ms = (unsigned)(v * 1000.0 + 0.5);
	return true;
}

int args_parse(int argc, char **argv, struct pbxsim_args *a, char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = strcmp(o, "--tree") == 0 || strcmp(o, "--control-port") == 0 ||
			     strcmp(o, "--poll-idle") == 0 || strcmp(o, "--session-expiry") == 0 ||
			     strcmp(o, "--gen-tree") == 0;

		if (strcmp(o, "--verbose") == 0 || strcmp(o, "-v") == 0) {
			a->verbose = true;
			continue;
		}
		if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
			a->help = true;
			continue;
		}
		if (!takes) {
			snprintf(err, errlen, "unknown option '%s'", o);
			return TSP8_ESYNTAX;
		}
		if (!v) {
			snprintf(err, errlen, "%s needs a value", o);
			return TSP8_ESYNTAX;
		}
		i++;
		if (strcmp(o, "--tree") == 0) {
			a->tree = v;
		} else if (strcmp(o, "--gen-tree") == 0) {
			a->gen_tree = v;
		} else if (strcmp(o, "--control-port") == 0) {
			char *end;
			unsigned long p = strtoul(v, &end, 10);

			if (end == v || *end || p > 65535 || *v == '-') {
				snprintf(err, errlen, "--control-port: '%s' is not a port number", v);
				return TSP8_ESYNTAX;
			}
			a->control_port = (unsigned)p;
		} else if (strcmp(o, "--poll-idle") == 0) {
			if (!seconds(v, &a->poll_idle_ms)) {
				snprintf(err, errlen, "--poll-idle: '%s' is not a number of seconds", v);
				return TSP8_ESYNTAX;
			}
			a->has_poll_idle = true;
		} else {
			if (!seconds(v, &a->session_expiry_ms)) {
				snprintf(err, errlen, "--session-expiry: '%s' is not a number of seconds", v);
				return TSP8_ESYNTAX;
			}
			a->has_session_expiry = true;
		}
	}
	if (!a->tree && !a->help && !a->gen_tree) {
		snprintf(err, errlen, "--tree FILE is required");
		return TSP8_ESYNTAX;
	}
	return TSP8_OK;
}
