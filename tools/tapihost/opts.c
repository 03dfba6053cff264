/* tapihost command line parsing (see opts.h). */
#include "opts.h"

#include <stdio.h>
#include <string.h>

const char *opts_usage(void)
{
	return "usage: tapihost [--provider PATH] [--config FILE] [--seconds N] [--json]\n"
	       "                [--provider-id N] [--line-base N] [--refuse-newcalls N] [--help]\n"
	       "stdin commands: makecall <device> <number> | answer <call> | drop <call> |\n"
	       "                hold <call> | unhold <call> | dial <call> <digits> |\n"
	       "                lines | calls | sleep <ms> | wait <text> <ms> | quit\n"
	       "exit status: 0 ok, 1 provider failure, 2 usage, 3 TSPI violations seen\n";
}

static int parse_u32(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Matches "--name VALUE" and "--name=VALUE"; advances *i past the value. */
static int take_value(int argc, char **argv, int *i, const char *name, const char **val,
		      int *missing)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		*missing = 1;
		return 1;
	}
	*val = argv[++*i];
	return 1;
}

int opts_parse(int argc, char **argv, struct opts *o, char *err, size_t cap)
{
	memset(o, 0, sizeof *o);
	o->provider_id = TAPIHOST_DEFAULT_PROVIDER_ID;
	o->line_base = TAPIHOST_DEFAULT_LINE_BASE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		int missing = 0;
		if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			o->help = true;
		} else if (take_value(argc, argv, &i, "--provider-id", &val, &missing)) {
			if (missing || parse_u32(val, &o->provider_id) != 0) {
				snprintf(err, cap, "--provider-id needs a number");
				return -1;
			}
		} else if (take_value(argc, argv, &i, "--provider", &val, &missing)) {
			if (missing || !*val) {
				snprintf(err, cap, "--provider needs a path");
				return -1;
			}
			o->provider = val;
		} else if (take_value(argc, argv, &i, "--config", &val, &missing)) {
			if (missing || !*val) {
				snprintf(err, cap, "--config needs a file");
				return -1;
			}
			o->config = val;
		} else if (take_value(argc, argv, &i, "--seconds", &val, &missing)) {
			if (missing || parse_u32(val, &o->seconds) != 0) {
				snprintf(err, cap, "--seconds needs a number");
				return -1;
			}
			o->has_seconds = true;
		} else if (take_value(argc, argv, &i, "--refuse-newcalls", &val, &missing)) {
			if (missing || parse_u32(val, &o->refuse_newcalls) != 0) {
				snprintf(err, cap, "--refuse-newcalls needs a number");
				return -1;
			}
		} else if (take_value(argc, argv, &i, "--line-base", &val, &missing)) {
			if (missing || parse_u32(val, &o->line_base) != 0 || o->line_base > 0x7FFFFFFFu) {
				snprintf(err, cap, "--line-base needs a number below 2^31");
				return -1;
			}
		} else {
			snprintf(err, cap, "unknown argument '%.60s'", a);
			return -1;
		}
	}
	return 0;
}
