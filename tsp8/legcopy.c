/* Deep copy of a CallInfo record (see legcopy.h). */
#include "tsp8/legcopy.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static size_t slen(const char *s)
{
	return strlen(s ? s : "") + 1;
}

static const char *scopy(char **pos, const char *s)
{
	size_t n = slen(s);
	char *d = *pos;
	memcpy(d, s ? s : "", n);
	*pos += n;
	return d;
}

static size_t round_up(size_t v)
{
	size_t a = alignof(max_align_t);
	return (v + a - 1) / a * a;
}

struct pbx_call *legcopy(const struct pbx_call *c)
{
	if (!c)
		return NULL;
	size_t nnos = c->nos ? c->nnos : 0, ninfo = c->info ? c->ninfo : 0;
	size_t head = round_up(sizeof(struct pbx_call));
	size_t nos_at = head;
	size_t info_at = round_up(nos_at + nnos * sizeof(struct pbx_no));
	size_t str_at = round_up(info_at + ninfo * sizeof(struct pbx_info));
	size_t strs = slen(c->msg);
	for (size_t i = 0; i < nnos; i++) {
		const struct pbx_no *n = &c->nos[i];
		strs += slen(n->type) + slen(n->cn) + slen(n->dn) + slen(n->e164) + slen(n->h323);
	}
	for (size_t i = 0; i < ninfo; i++)
		strs += slen(c->info[i].type) + slen(c->info[i].vals);

	unsigned char *blk = malloc(str_at + strs);
	if (!blk)
		return NULL;
	struct pbx_call *d = (struct pbx_call *)blk;
	struct pbx_no *nos = (struct pbx_no *)(blk + nos_at);
	struct pbx_info *info = (struct pbx_info *)(blk + info_at);
	char *pos = (char *)blk + str_at;
	*d = *c;
	d->msg = scopy(&pos, c->msg);
	for (size_t i = 0; i < nnos; i++) {
		nos[i].type = scopy(&pos, c->nos[i].type);
		nos[i].cn = scopy(&pos, c->nos[i].cn);
		nos[i].dn = scopy(&pos, c->nos[i].dn);
		nos[i].e164 = scopy(&pos, c->nos[i].e164);
		nos[i].h323 = scopy(&pos, c->nos[i].h323);
	}
	for (size_t i = 0; i < ninfo; i++) {
		info[i].type = scopy(&pos, c->info[i].type);
		info[i].vali = c->info[i].vali;
		info[i].vals = scopy(&pos, c->info[i].vals);
	}
	d->nos = nnos ? nos : NULL;
	d->nnos = nnos;
	d->info = ninfo ? info : NULL;
	d->ninfo = ninfo;
	return d;
}
