/* stdin command parser (see cmd.h). */
#include "cmd.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	enum cmd_kind kind;
	const char *usage;
} table[] = {
	{ "makecall", CMD_MAKECALL, "makecall <device> <number>" },
	{ "answer", CMD_ANSWER, "answer <call>" },
	{ "drop", CMD_DROP, "drop <call>" },
	{ "hold", CMD_HOLD, "hold <call>" },
	{ "unhold", CMD_UNHOLD, "unhold <call>" },
	{ "dial", CMD_DIAL, "dial <call> <digits>" },
	{ "lines", CMD_LINES, "lines" },
	{ "calls", CMD_CALLS, "calls" },
	{ "quit", CMD_QUIT, "quit" },
	{ "sleep", CMD_SLEEP, "sleep <ms>" },
	{ "wait", CMD_WAIT, "wait <text> <ms>" },
};

const char *cmd_name(enum cmd_kind kind)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].kind == kind)
			return table[i].name;
	return "";
}

/* A token is [start, end) inside the line. */
struct tok {
	const char *p;
	size_t n;
};

static const char *skip_space(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

static const char *next_tok(const char *s, struct tok *t)
{
	s = skip_space(s);
	t->p = s;
	while (*s && !isspace((unsigned char)*s))
		s++;
	t->n = (size_t)(s - t->p);
	return s;
}

/* Copies s without surrounding white space into dst. */
static int copy_trimmed(const char *s, char *dst, size_t cap)
{
	s = skip_space(s);
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0 || n >= cap)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

static int parse_u64(const struct tok *t, int base, uint64_t max, uint64_t *out)
{
	const char *p = t->p;
	size_t n = t->n;
	if (base == 16 && n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		n -= 2;
	}
	if (n == 0 || n > 20)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)p[i];
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		if (v > (max - (uint64_t)d) / (uint64_t)base)
			return -1;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return 0;
}

static int usage(char *err, size_t cap, const char *text)
{
	snprintf(err, cap, "syntax: usage: %s", text);
	return -1;
}

int cmd_parse(const char *line, struct cmd *out, char *err, size_t cap)
{
	struct tok verb, a;
	uint64_t v;
	memset(out, 0, sizeof *out);
	const char *rest = next_tok(line, &verb);
	if (verb.n == 0 || verb.p[0] == '#') {
		out->kind = CMD_NONE;
		return 0;
	}
	size_t idx = sizeof table / sizeof table[0];
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strlen(table[i].name) == verb.n && memcmp(table[i].name, verb.p, verb.n) == 0)
			idx = i;
	if (idx == sizeof table / sizeof table[0]) {
		snprintf(err, cap, "syntax: unknown command '%.*s'", (int)(verb.n > 40 ? 40 : verb.n),
			 verb.p);
		return -1;
	}
	out->kind = table[idx].kind;
	const char *use = table[idx].usage;
	switch (out->kind) {
	case CMD_MAKECALL:
		rest = next_tok(rest, &a);
		if (parse_u64(&a, 10, UINT32_MAX, &v) != 0)
			return usage(err, cap, use);
		out->device = (uint32_t)v;
		if (copy_trimmed(rest, out->text, sizeof out->text) != 0)
			return usage(err, cap, use);
		return 0;
	case CMD_ANSWER:
	case CMD_DROP:
	case CMD_HOLD:
	case CMD_UNHOLD:
	case CMD_DIAL:
		rest = next_tok(rest, &a);
		if (parse_u64(&a, 16, UINT64_MAX, &out->call) != 0)
			return usage(err, cap, use);
		if (out->kind == CMD_DIAL) {
			if (copy_trimmed(rest, out->text, sizeof out->text) != 0)
				return usage(err, cap, use);
			return 0;
		}
		break;
	case CMD_SLEEP:
		rest = next_tok(rest, &a);
		if (parse_u64(&a, 10, CMD_MAX_MS, &v) != 0)
			return usage(err, cap, use);
		out->ms = (uint32_t)v;
		break;
	case CMD_WAIT: {
		/* The last token is the timeout; everything before it the text. */
		char body[CMD_TEXT_MAX + 16];
		if (copy_trimmed(rest, body, sizeof body) != 0)
			return usage(err, cap, use);
		char *sp = body + strlen(body);
		while (sp > body && !isspace((unsigned char)sp[-1]))
			sp--;
		struct tok ms = { sp, strlen(sp) };
		if (sp == body || parse_u64(&ms, 10, CMD_MAX_MS, &v) != 0)
			return usage(err, cap, use);
		out->ms = (uint32_t)v;
		*sp = '\0';
		if (copy_trimmed(body, out->text, sizeof out->text) != 0)
			return usage(err, cap, use);
		return 0;
	}
	default:
		break;
	}
	if (*skip_space(rest) != '\0')
		return usage(err, cap, use);
	return 0;
}
