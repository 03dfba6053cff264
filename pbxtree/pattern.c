/* Line name pattern engine (see pattern.h). */
#include "pbxtree/pattern.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"

/* Output cursor that never overruns and remembers truncation. */
struct out {
	char *buf;
	size_t len, pos;
	bool cut;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->cut)
		return;
	size_t room = o->len - 1 - o->pos;
	if (n > room) {
		/* Do not split a UTF-8 sequence: when the first byte left out is
		 * a continuation byte, back off to the lead byte of its
		 * sequence and leave that out too. */
		size_t keep = room;
		while (keep > 0 && ((unsigned char)s[keep] & 0xc0) == 0x80)
			keep--;
		n = keep;
		o->cut = true;
	}
	memcpy(o->buf + o->pos, s, n);
	o->pos += n;
	o->buf[o->pos] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	if (s)
		put(o, s, strlen(s));
}

/* "name [device]" when a device name exists and differs from name. */
static void with_device(struct out *o, const char *name, const char *dev)
{
	puts_(o, name);
	if (dev && dev[0] && strcmp(dev, name ? name : "") != 0) {
		puts_(o, " [");
		puts_(o, dev);
		puts_(o, "]");
	}
}

static void put_port(struct out *o, unsigned port, bool colon)
{
	char b[16];
	snprintf(b, sizeof(b), colon ? ":%u" : "%u", port);
	puts_(o, b);
}

int pattern_expand(const char *pattern, const struct pattern_vars *v, char *buf, size_t len)
{
	if (!v || !buf || len == 0)
		return TSP8_EINVAL;
	struct out o = { buf, len, 0, false };
	buf[0] = '\0';
	if (!pattern || !pattern[0])
		pattern = PATTERN_DEFAULT;

	for (const char *p = pattern; *p; p++) {
		if (*p != '%') {
			/* literal run up to the next code, copied as one piece so
			 * truncation never splits a character */
			size_t run = strcspn(p, "%");
			put(&o, p, run);
			p += run - 1;
			continue;
		}
		char c = p[1];
		switch (c) {
		case '%': puts_(&o, "%"); break;
		case 'c': puts_(&o, v->cn); break;
		case 'C': with_device(&o, v->cn, v->device_name); break;
		case 'd': puts_(&o, v->dn); break;
		case 'D': with_device(&o, v->dn, v->device_name); break;
		case 'h': puts_(&o, v->h323); break;
		case 'H': with_device(&o, v->h323, v->device_name); break;
		case 't': puts_(&o, v->device_name); break;
		case 'T': puts_(&o, v->device_hw); break;
		case 'e': puts_(&o, v->e164); break;
		case 'E': puts_(&o, v->nodenum); puts_(&o, v->e164); break;
		case 'N': puts_(&o, v->address); break;
		case 'n': puts_(&o, v->host); break;
		case 'p':
			if (v->port != 80)
				put_port(&o, v->port, true);
			break;
		case 'P': put_port(&o, v->port, false); break;
		case 'u':
			puts_(&o, v->h323);
			puts_(&o, "@");
			puts_(&o, v->host);
			break;
		case 'U':
			puts_(&o, "h323:");
			puts_(&o, v->h323);
			puts_(&o, "@");
			puts_(&o, v->host);
			put_port(&o, v->port, true);
			break;
		case 'x': puts_(&o, v->pbx_reported); break;
		case 'X': puts_(&o, v->pbx_registered); break;
		case '\0':
			/* trailing lone '%': keep it and stop */
			puts_(&o, "%");
			return o.cut ? TSP8_ELIMIT : TSP8_OK;
		default:
			/* unknown code: keep it as written; the character after
			 * the '%' is copied by the next round as a literal */
			puts_(&o, "%");
			continue;
		}
		p++;
	}
	return o.cut ? TSP8_ELIMIT : TSP8_OK;
}
