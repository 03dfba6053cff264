/* pbx_session_find_users: FindUser paged by 50 as the PBX documentation
 * advises (large counts can crash the box).  The first page starts at the
 * given cn with next=false; every further page restarts from the last cn
 * returned with next=true, until a page comes back short or empty.  The
 * caller gets all pages concatenated in one callback.
 */
#include "session_internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"

void find_free_pages(struct pbx_cmd *c)
{
	for (size_t i = 0; i < c->npages; i++)
		pbx_users_free(c->pages[i].res);
	free(c->pages);
	c->pages = NULL;
	c->npages = c->cap_pages = 0;
	free(c->restart_cn);
	c->restart_cn = NULL;
}

int find_send_page(struct pbx_cmd *c)
{
	const char *cn = c->restart_cn ? c->restart_cn : (c->str[0] ? c->str[0] : "");
	struct pbx_msg m = { 0 };
	int rc = pbx_enc_find_user(c->s->cx, &m, cn, NULL, NULL, SESS_FIND_PAGE, c->npages > 0,
				   c->flag);
	if (rc != TSP8_OK)
		return rc;
	return cmd_send_msg(c, &m);
}

static int add_page(struct pbx_cmd *c, struct pbx_users_result *res)
{
	if (c->npages == c->cap_pages) {
		size_t cap = c->cap_pages ? c->cap_pages * 2 : 4;
		struct find_page *p = realloc(c->pages, cap * sizeof(*p));
		if (!p)
			return TSP8_ENOMEM;
		c->pages = p;
		c->cap_pages = cap;
	}
	size_t skip = 0;
	/* A restarted page may repeat the cn it started from. */
	if (c->restart_cn && res->nusers && strcmp(res->users[0].cn, c->restart_cn) == 0)
		skip = 1;
	c->pages[c->npages].res = res;
	c->pages[c->npages].skip = skip;
	c->npages++;
	c->nusers += res->nusers - skip;
	return TSP8_OK;
}

static void deliver(struct pbx_session *s, struct pbx_cmd *c)
{
	struct pbx_user *all = NULL;
	if (c->nusers) {
		all = malloc(c->nusers * sizeof(*all));
		if (!all) {
			cmd_fail(s, c, TSP8_ENOMEM, "FindUser result");
			return;
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < c->npages; i++) {
		const struct pbx_users_result *r = c->pages[i].res;
		for (size_t j = c->pages[i].skip; j < r->nusers; j++)
			all[n++] = r->users[j];
	}
	c->finished = true;
	if (!s->quiet && c->done.users)
		c->done.users(c->arg, TSP8_OK, all, n);
	free(all);
	cmd_free(c);
}

void find_on_page(struct pbx_session *s, struct pbx_cmd *c, const struct pbx_http_resp *r)
{
	if (r->err != TSP8_OK) {
		cmd_fail(s, c, r->err, r->errmsg);
		return;
	}
	struct pbx_users_result *res = NULL;
	struct pbx_err e = { { 0 } };
	int rc = pbx_dec_find_user(s->cx, r->body, r->body_len, &res, &e);
	if (rc != TSP8_OK) {
		cmd_fail(s, c, rc, e.msg);
		return;
	}
	rc = add_page(c, res);
	if (rc != TSP8_OK) {
		pbx_users_free(res);
		cmd_fail(s, c, rc, "FindUser result");
		return;
	}
	size_t got = res->nusers;
	const char *last = got ? res->users[got - 1].cn : "";
	bool no_progress = !*last || (c->restart_cn && strcmp(last, c->restart_cn) == 0);
	if (got < SESS_FIND_PAGE || no_progress) {
		deliver(s, c);
		return;
	}
	if (c->npages >= SESS_FIND_MAX_PAGES) {
		cmd_fail(s, c, TSP8_ELIMIT, "FindUser: too many pages");
		return;
	}
	char *next = strdup(last);
	if (!next) {
		cmd_fail(s, c, TSP8_ENOMEM, "FindUser restart");
		return;
	}
	free(c->restart_cn);
	c->restart_cn = next;
	rc = find_send_page(c);
	if (rc != TSP8_OK)
		cmd_fail(s, c, rc, "cannot send");
}
