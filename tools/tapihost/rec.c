/* Output records (see rec.h). */
#include "rec.h"

#include <inttypes.h>
#include <string.h>

void rec_init(struct rec *r, const char *hname, const char *jname)
{
	memset(r, 0, sizeof *r);
	r->hname = hname;
	r->jname = jname;
}

static struct rec_field *add(struct rec *r)
{
	if (r->n >= REC_MAX_FIELDS) {
		r->overflow = true;
		return NULL;
	}
	struct rec_field *f = &r->f[r->n++];
	memset(f, 0, sizeof *f);
	return f;
}

void rec_int(struct rec *r, const char *jkey, const char *hkey, int64_t v)
{
	struct rec_field *f = add(r);
	if (!f)
		return;
	f->jkey = jkey;
	f->hkey = hkey;
	f->human = true;
	f->type = REC_INT;
	f->i = v;
}

static void add_str(struct rec *r, const char *jkey, const char *hkey, const char *s,
		    bool human, bool quote)
{
	struct rec_field *f = add(r);
	if (!f)
		return;
	f->jkey = jkey;
	f->hkey = hkey;
	f->human = human;
	f->quote = quote;
	f->type = REC_STR;
	f->s = s ? s : "";
}

void rec_str(struct rec *r, const char *jkey, const char *hkey, const char *s)
{
	add_str(r, jkey, hkey, s, true, false);
}

void rec_qstr(struct rec *r, const char *jkey, const char *hkey, const char *s)
{
	add_str(r, jkey, hkey, s, true, true);
}

void rec_text(struct rec *r, const char *jkey, const char *s)
{
	add_str(r, jkey, NULL, s, true, false);
	if (r->n > 0 && !r->overflow)
		r->f[r->n - 1].raw = true;
}

void rec_json_str(struct rec *r, const char *jkey, const char *s)
{
	add_str(r, jkey, NULL, s, false, false);
}

void rec_human_str(struct rec *r, const char *hkey, const char *s)
{
	add_str(r, NULL, hkey, s, true, false);
}

void rec_json_bool(struct rec *r, const char *jkey, bool v)
{
	struct rec_field *f = add(r);
	if (!f)
		return;
	f->jkey = jkey;
	f->type = REC_BOOL;
	f->i = v;
}

void rec_json_int(struct rec *r, const char *jkey, int64_t v)
{
	struct rec_field *f = add(r);
	if (!f)
		return;
	f->jkey = jkey;
	f->type = REC_INT;
	f->i = v;
}

/* Human values must stay one token unless quoted: spaces and control
 * characters in an unquoted value are shown as '_'. */
static void put_human_token(struct sbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		sb_putc(out, (c <= ' ' || c == 0x7F) ? '_' : (char)c);
	}
}

static void render_human(const struct rec *r, struct sbuf *out)
{
	sb_puts(out, r->hname);
	for (int i = 0; i < r->n; i++) {
		const struct rec_field *f = &r->f[i];
		if (!f->human)
			continue;
		if (f->type == REC_STR && !f->quote && !f->hkey && f->s[0] == '\0')
			continue;
		sb_putc(out, ' ');
		if (f->hkey) {
			sb_puts(out, f->hkey);
			sb_putc(out, '=');
		}
		if (f->type == REC_INT)
			sb_printf(out, "%" PRId64, f->i);
		else if (f->type == REC_BOOL)
			sb_puts(out, f->i ? "true" : "false");
		else if (f->quote)
			sb_json_str(out, f->s);
		else if (f->raw)
			sb_puts(out, f->s);
		else
			put_human_token(out, f->s);
	}
}

static void render_json(const struct rec *r, struct sbuf *out)
{
	sb_puts(out, "{\"event\":");
	sb_json_str(out, r->jname);
	for (int i = 0; i < r->n; i++) {
		const struct rec_field *f = &r->f[i];
		if (!f->jkey)
			continue;
		sb_putc(out, ',');
		sb_json_str(out, f->jkey);
		sb_putc(out, ':');
		if (f->type == REC_INT)
			sb_printf(out, "%" PRId64, f->i);
		else if (f->type == REC_BOOL)
			sb_puts(out, f->i ? "true" : "false");
		else
			sb_json_str(out, f->s);
	}
	sb_putc(out, '}');
}

void rec_render(const struct rec *r, bool json, struct sbuf *out)
{
	if (json)
		render_json(r, out);
	else
		render_human(r, out);
}
