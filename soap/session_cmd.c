/* Commands of a session (call control and lookups) on the I/O thread:
 * queued while the session is IDLE/CONNECTING, sent when it is UP, failed
 * with TSP8_ESESSION when it is DOWN; each completes exactly once (unless
 * an on-I/O-thread stop made the session quiet, see pbx_session_stop).
 */
#include "session_internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/trace.h"

struct pbx_cmd *cmd_new(struct pbx_session *s, enum pbx_op op, enum cmd_kind kind)
{
	struct pbx_cmd *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->s = s;
	c->op = op;
	c->kind = kind;
	return c;
}

int cmd_set_str(struct pbx_cmd *c, unsigned i, const char *v)
{
	if (i >= sizeof(c->str) / sizeof(c->str[0]))
		return TSP8_EINVAL;
	if (!v)
		return TSP8_OK;
	c->str[i] = strdup(v);
	return c->str[i] ? TSP8_OK : TSP8_ENOMEM;
}

void cmd_free(struct pbx_cmd *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < sizeof(c->str) / sizeof(c->str[0]); i++)
		free(c->str[i]);
	find_free_pages(c);
	if (c->mon)
		mon_unref(c->mon);
	free(c);
}

void cmd_finish(struct pbx_cmd *c, int err, int ret)
{
	if (c->finished)
		return;
	c->finished = true;
	if (c->s->quiet)
		return;
	switch (c->kind) {
	case CMD_INT:
		if (c->done.i)
			c->done.i(c->arg, err, ret);
		break;
	case CMD_STR:
		if (c->done.str)
			c->done.str(c->arg, err, NULL);
		break;
	case CMD_USERS:
		if (c->done.users)
			c->done.users(c->arg, err, NULL, 0);
		break;
	case CMD_DEVICES:
		if (c->done.devices)
			c->done.devices(c->arg, err, NULL, 0);
		break;
	}
}

void cmd_fail(struct pbx_session *s, struct pbx_cmd *c, int err, const char *detail)
{
	enum pbx_op op = c->op;
	if (err != TSP8_OK)
		TRACE(s->tr, TRACE_SOAP, "PBX %s: %s failed: %s%s%s", s->name, pbx_op_name(op),
		      tsp8_strerror(err), detail && *detail ? ": " : "", detail ? detail : "");
	cmd_finish(c, err, 0);
	cmd_free(c);
	if (sess_err_fatal(err) && s->st == PBX_SESSION_UP) {
		char why[400];
		sess_why(why, sizeof(why), op, err, detail);
		conn_fail(s, err, why);
	}
}

static bool op_refused_on_zero(enum pbx_op op)
{
	return op == PBX_OP_USER_CALL || op == PBX_OP_USER_PICKUP || op == PBX_OP_USER_PARK;
}

static void on_int(struct pbx_session *s, struct pbx_cmd *c, const struct pbx_http_resp *r)
{
	struct pbx_err e = { { 0 } };
	int ret = 0, rc;
	bool b = false;
	switch (c->op) {
	case PBX_OP_USER_CALL:
	case PBX_OP_USER_PICKUP:
	case PBX_OP_USER_PARK:
	case PBX_OP_USER_MESSAGE:
		rc = pbx_dec_int(s->cx, r->body, r->body_len, c->op, &ret, &e);
		if (rc == TSP8_OK && ret == 0 && op_refused_on_zero(c->op))
			rc = TSP8_EREFUSED;
		break;
	case PBX_OP_USER_REDIRECT:
	case PBX_OP_USER_REROUTE:
		rc = pbx_dec_bool(s->cx, r->body, r->body_len, c->op, &b, &e);
		ret = b ? 1 : 0;
		break;
	default:
		rc = pbx_dec_void(s->cx, r->body, r->body_len, c->op, &e);
		break;
	}
	if (rc != TSP8_OK) {
		cmd_fail(s, c, rc, e.msg);
		return;
	}
	cmd_finish(c, TSP8_OK, ret);
	cmd_free(c);
}

static void on_str(struct pbx_session *s, struct pbx_cmd *c, const struct pbx_http_resp *r)
{
	struct pbx_err e = { { 0 } };
	char *str = NULL;
	int rc = pbx_dec_string(s->cx, r->body, r->body_len, c->op, &str, &e);
	if (rc != TSP8_OK) {
		cmd_fail(s, c, rc, e.msg);
		return;
	}
	c->finished = true;
	if (!s->quiet && c->done.str)
		c->done.str(c->arg, TSP8_OK, str ? str : "");
	free(str);
	cmd_free(c);
}

static void on_devices(struct pbx_session *s, struct pbx_cmd *c, const struct pbx_http_resp *r)
{
	struct pbx_err e = { { 0 } };
	struct pbx_devices_result *d = NULL;
	int rc = pbx_dec_devices(s->cx, r->body, r->body_len, &d, &e);
	if (rc != TSP8_OK) {
		cmd_fail(s, c, rc, e.msg);
		return;
	}
	c->finished = true;
	if (!s->quiet && c->done.devices)
		c->done.devices(c->arg, TSP8_OK, d->devices, d->ndevices);
	pbx_devices_free(d);
	cmd_free(c);
}

static void on_answer(struct pbx_session *s, struct sreq *q, const struct pbx_http_resp *r)
{
	struct pbx_cmd *c = q->cmd;
	q->cmd = NULL;
	if (!c)
		return;
	if (c->op == PBX_OP_FIND_USER) {
		find_on_page(s, c, r);
		return;
	}
	if (r->err != TSP8_OK) {
		cmd_fail(s, c, r->err, r->errmsg);
		return;
	}
	switch (c->kind) {
	case CMD_INT:
		on_int(s, c, r);
		break;
	case CMD_STR:
		on_str(s, c, r);
		break;
	case CMD_DEVICES:
		on_devices(s, c, r);
		break;
	case CMD_USERS:
		cmd_fail(s, c, TSP8_EINVAL, "unexpected user list");
		break;
	}
}

static int encode(struct pbx_session *s, struct pbx_cmd *c, struct pbx_msg *m, int user)
{
	struct pbx_codec *cx = s->cx;
	char **v = c->str;
	switch (c->op) {
	case PBX_OP_USER_CALL:
		return pbx_enc_user_call(cx, m, user, v[0], v[1], v[2], c->a, v[3]);
	case PBX_OP_USER_CLEAR:
		return pbx_enc_user_clear(cx, m, c->a, c->b);
	case PBX_OP_USER_CONNECT:
		return pbx_enc_user_connect(cx, m, c->a);
	case PBX_OP_USER_HOLD:
		return pbx_enc_user_hold(cx, m, c->a, c->flag);
	case PBX_OP_USER_RETRIEVE:
		return pbx_enc_user_retrieve(cx, m, c->a);
	case PBX_OP_USER_TRANSFER:
		return pbx_enc_user_transfer(cx, m, c->a, c->b);
	case PBX_OP_USER_CT_COMPLETE:
		return pbx_enc_user_ct_complete(cx, m, c->a, v[0], v[1]);
	case PBX_OP_USER_REDIRECT:
		return pbx_enc_user_redirect(cx, m, c->a, v[0], v[1], v[2], c->b);
	case PBX_OP_USER_REROUTE:
		return pbx_enc_user_reroute(cx, m, c->a, v[0], v[1], v[2]);
	case PBX_OP_USER_PICKUP:
		return pbx_enc_user_pickup(cx, m, user, v[0], c->a, v[1]);
	case PBX_OP_USER_PARK:
		return pbx_enc_user_park(cx, m, c->a, v[0], c->b);
	case PBX_OP_USER_RC:
		return pbx_enc_user_rc(cx, m, c->a, c->b);
	case PBX_OP_USER_DTMF:
		return pbx_enc_user_dtmf(cx, m, c->a, false, v[0]);
	case PBX_OP_USER_UUI:
		return pbx_enc_user_uui(cx, m, c->a, false, v[0]);
	case PBX_OP_USER_MESSAGE:
		return pbx_enc_user_message(cx, m, user, v[0], v[1], v[2], NULL, NULL);
	case PBX_OP_LOCATION_URL:
		return pbx_enc_location_url(cx, m, v[0], c->flag);
	case PBX_OP_DEVICES:
		return pbx_enc_devices(cx, m, s->session_id, v[0]);
	case PBX_OP_ADMIN:
		return pbx_enc_admin(cx, m, v[0]);
	default:
		return TSP8_EINVAL;
	}
}

int cmd_send_msg(struct pbx_cmd *c, struct pbx_msg *m)
{
	return sess_send(c->s, m, on_answer, c, NULL);
}

static void cmd_send(struct pbx_session *s, struct pbx_cmd *c)
{
	int user = 0;
	if (c->mon) {
		user = atomic_load(&c->mon->handle);
		if (!user || atomic_load(&c->mon->removed)) {
			cmd_fail(s, c, TSP8_ESTATE, "monitor not initialised");
			return;
		}
	}
	int rc;
	if (c->op == PBX_OP_FIND_USER) {
		rc = find_send_page(c);
	} else {
		struct pbx_msg m = { 0 };
		rc = encode(s, c, &m, user);
		if (rc == TSP8_OK)
			rc = cmd_send_msg(c, &m);
	}
	if (rc != TSP8_OK)
		cmd_fail(s, c, rc, "cannot send");
}

/* Next queued command that may go now (not waiting for its monitor's
 * UserInitialize), unlinked from the queue; NULL if none. */
static struct pbx_cmd *take_ready(struct pbx_session *s)
{
	struct pbx_cmd *prev = NULL;
	for (struct pbx_cmd *c = s->cmdq; c; prev = c, c = c->next) {
		if (c->mon && c->mon->init_pending)
			continue;
		if (prev)
			prev->next = c->next;
		else
			s->cmdq = c->next;
		if (s->cmdq_tail == c)
			s->cmdq_tail = prev;
		c->next = NULL;
		return c;
	}
	return NULL;
}

void cmd_flush(struct pbx_session *s)
{
	while (s->st == PBX_SESSION_UP && !s->stopping) {
		struct pbx_cmd *c = take_ready(s);
		if (!c)
			break;
		cmd_send(s, c);
	}
}

void cmd_submit(struct pbx_cmd *c)
{
	struct pbx_session *s = c->s;
	if (s->stopping) {
		cmd_finish(c, TSP8_ESHUTDOWN, 0);
		cmd_free(c);
		return;
	}
	if (s->st == PBX_SESSION_DOWN) {
		cmd_finish(c, TSP8_ESESSION, 0);
		cmd_free(c);
		return;
	}
	if (s->cmdq_tail)
		s->cmdq_tail->next = c;
	else
		s->cmdq = c;
	s->cmdq_tail = c;
	cmd_flush(s);
}

void cmd_fail_all(struct pbx_session *s, int err)
{
	/* Detach everything first: a completion may re-enter the session. */
	struct pbx_cmd *list = s->cmdq;
	s->cmdq = s->cmdq_tail = NULL;
	for (struct sreq *q = s->reqs; q; q = q->next) {
		if (!q->cmd)
			continue;
		struct pbx_cmd *c = q->cmd;
		q->cmd = NULL;
		c->inflight = NULL;
		sess_req_kill(s, q);
		c->next = list;
		list = c;
	}
	while (list) {
		struct pbx_cmd *c = list;
		list = c->next;
		cmd_finish(c, err, 0);
		cmd_free(c);
	}
}

static void run_on_io(void *arg)
{
	struct pbx_cmd *c = arg;
	struct pbx_session *s = c->s;
	cmd_submit(c);
	sess_release(s);
}

int cmd_post(struct pbx_cmd *c)
{
	int rc = sess_post(c->s, run_on_io, c);
	if (rc != TSP8_OK)
		cmd_free(c);
	return rc;
}
