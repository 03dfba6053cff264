/* Public command functions of pbx_session.h: each copies its arguments into
 * a command and posts it to the I/O thread (session_cmd.c), so they may be
 * called from any thread.  They return TSP8_OK once the command is
 * accepted; the outcome arrives through done (which may be NULL).
 */
#include "session_internal.h"

#include "base/error.h"

/* Builds a CMD_INT command with up to four strings. */
static struct pbx_cmd *new_int(struct pbx_session *s, enum pbx_op op, pbx_cmd_fn *done,
			       void *arg)
{
	struct pbx_cmd *c = cmd_new(s, op, CMD_INT);
	if (c) {
		c->done.i = done;
		c->arg = arg;
	}
	return c;
}

static int set_strs(struct pbx_cmd *c, const char *a, const char *b, const char *d,
		    const char *e)
{
	int rc = cmd_set_str(c, 0, a);
	if (rc == TSP8_OK)
		rc = cmd_set_str(c, 1, b);
	if (rc == TSP8_OK)
		rc = cmd_set_str(c, 2, d);
	if (rc == TSP8_OK)
		rc = cmd_set_str(c, 3, e);
	return rc;
}

/* Posts c, or frees it when building it failed. */
static int post(struct pbx_cmd *c, int rc)
{
	if (rc != TSP8_OK) {
		cmd_free(c);
		return rc;
	}
	return cmd_post(c);
}

static void bind_monitor(struct pbx_cmd *c, struct pbx_monitor *m)
{
	mon_ref(m);
	c->mon = m;
}

int pbx_session_user_call(struct pbx_session *s, struct pbx_monitor *m, const char *cn,
			  const char *e164, const char *h323, int rc, const char *srce164,
			  pbx_cmd_fn *done, void *arg)
{
	if (!s || !m)
		return TSP8_EINVAL;
	struct pbx_cmd *c = new_int(s, PBX_OP_USER_CALL, done, arg);
	if (!c)
		return TSP8_ENOMEM;
	bind_monitor(c, m);
	c->a = rc;
	return post(c, set_strs(c, cn, e164, h323, srce164));
}

/* Commands on one call handle with up to two integer arguments. */
static int call_op(struct pbx_session *s, enum pbx_op op, int call, int b, bool flag,
		   const char *str, pbx_cmd_fn *done, void *arg)
{
	if (!s)
		return TSP8_EINVAL;
	struct pbx_cmd *c = new_int(s, op, done, arg);
	if (!c)
		return TSP8_ENOMEM;
	c->a = call;
	c->b = b;
	c->flag = flag;
	return post(c, cmd_set_str(c, 0, str));
}

int pbx_session_user_clear(struct pbx_session *s, int call, int cause, pbx_cmd_fn *done, void *arg)
{
	return call_op(s, PBX_OP_USER_CLEAR, call, cause, false, NULL, done, arg);
}

int pbx_session_user_connect(struct pbx_session *s, int call, pbx_cmd_fn *done, void *arg)
{
	return call_op(s, PBX_OP_USER_CONNECT, call, 0, false, NULL, done, arg);
}

int pbx_session_user_hold(struct pbx_session *s, int call, bool remote, pbx_cmd_fn *done, void *arg)
{
	return call_op(s, PBX_OP_USER_HOLD, call, 0, remote, NULL, done, arg);
}

int pbx_session_user_retrieve(struct pbx_session *s, int call, pbx_cmd_fn *done, void *arg)
{
	return call_op(s, PBX_OP_USER_RETRIEVE, call, 0, false, NULL, done, arg);
}

int pbx_session_user_transfer(struct pbx_session *s, int a, int b, pbx_cmd_fn *done, void *arg)
{
	return call_op(s, PBX_OP_USER_TRANSFER, a, b, false, NULL, done, arg);
}

int pbx_session_user_rc(struct pbx_session *s, int call, int rc, pbx_cmd_fn *done, void *arg)
{
	return call_op(s, PBX_OP_USER_RC, call, rc, false, NULL, done, arg);
}

int pbx_session_user_dtmf(struct pbx_session *s, int call, const char *digits,
			  pbx_cmd_fn *done, void *arg)
{
	if (!digits)
		return TSP8_EINVAL;
	return call_op(s, PBX_OP_USER_DTMF, call, 0, false, digits, done, arg);
}

int pbx_session_user_uui(struct pbx_session *s, int call, const char *uui,
			 pbx_cmd_fn *done, void *arg)
{
	if (!uui)
		return TSP8_EINVAL;
	return call_op(s, PBX_OP_USER_UUI, call, 0, false, uui, done, arg);
}

int pbx_session_user_park(struct pbx_session *s, int call, const char *cn, int position,
			  pbx_cmd_fn *done, void *arg)
{
	return call_op(s, PBX_OP_USER_PARK, call, position, false, cn, done, arg);
}

/* Commands on one call handle towards a destination. */
static int dest_op(struct pbx_session *s, enum pbx_op op, int call, const char *cn,
		   const char *e164, const char *h323, int rc, pbx_cmd_fn *done, void *arg)
{
	if (!s)
		return TSP8_EINVAL;
	struct pbx_cmd *c = new_int(s, op, done, arg);
	if (!c)
		return TSP8_ENOMEM;
	c->a = call;
	c->b = rc;
	return post(c, set_strs(c, cn, e164, h323, NULL));
}

int pbx_session_user_redirect(struct pbx_session *s, int call, const char *cn, const char *e164,
			      const char *h323, int rc, pbx_cmd_fn *done, void *arg)
{
	return dest_op(s, PBX_OP_USER_REDIRECT, call, cn, e164, h323, rc, done, arg);
}

int pbx_session_user_reroute(struct pbx_session *s, int call, const char *cn, const char *e164,
			     const char *h323, pbx_cmd_fn *done, void *arg)
{
	return dest_op(s, PBX_OP_USER_REROUTE, call, cn, e164, h323, 0, done, arg);
}

int pbx_session_user_ct_complete(struct pbx_session *s, int call, const char *e164,
				 const char *h323, pbx_cmd_fn *done, void *arg)
{
	if (!s)
		return TSP8_EINVAL;
	struct pbx_cmd *c = new_int(s, PBX_OP_USER_CT_COMPLETE, done, arg);
	if (!c)
		return TSP8_ENOMEM;
	c->a = call;
	return post(c, set_strs(c, e164, h323, NULL, NULL));
}

int pbx_session_user_pickup(struct pbx_session *s, struct pbx_monitor *m, const char *cn,
			    int call, const char *group, pbx_cmd_fn *done, void *arg)
{
	if (!s || !m)
		return TSP8_EINVAL;
	struct pbx_cmd *c = new_int(s, PBX_OP_USER_PICKUP, done, arg);
	if (!c)
		return TSP8_ENOMEM;
	bind_monitor(c, m);
	c->a = call;
	return post(c, set_strs(c, cn, group, NULL, NULL));
}

int pbx_session_user_message(struct pbx_session *s, struct pbx_monitor *m, const char *e164,
			     const char *h323, const char *msg, pbx_cmd_fn *done, void *arg)
{
	if (!s || !m || !msg)
		return TSP8_EINVAL;
	struct pbx_cmd *c = new_int(s, PBX_OP_USER_MESSAGE, done, arg);
	if (!c)
		return TSP8_ENOMEM;
	bind_monitor(c, m);
	return post(c, set_strs(c, e164, h323, msg, NULL));
}

int pbx_session_find_users(struct pbx_session *s, const char *start_cn, bool nohide,
			   pbx_users_fn *done, void *arg)
{
	if (!s || !done)
		return TSP8_EINVAL;
	struct pbx_cmd *c = cmd_new(s, PBX_OP_FIND_USER, CMD_USERS);
	if (!c)
		return TSP8_ENOMEM;
	c->done.users = done;
	c->arg = arg;
	c->flag = nohide;
	return post(c, cmd_set_str(c, 0, start_cn));
}

int pbx_session_location_url(struct pbx_session *s, const char *loc, bool tls,
			     pbx_str_fn *done, void *arg)
{
	if (!s || !loc || !done)
		return TSP8_EINVAL;
	struct pbx_cmd *c = cmd_new(s, PBX_OP_LOCATION_URL, CMD_STR);
	if (!c)
		return TSP8_ENOMEM;
	c->done.str = done;
	c->arg = arg;
	c->flag = tls;
	return post(c, cmd_set_str(c, 0, loc));
}

int pbx_session_devices(struct pbx_session *s, const char *cn, pbx_devices_fn *done, void *arg)
{
	if (!s || !cn || !done)
		return TSP8_EINVAL;
	struct pbx_cmd *c = cmd_new(s, PBX_OP_DEVICES, CMD_DEVICES);
	if (!c)
		return TSP8_ENOMEM;
	c->done.devices = done;
	c->arg = arg;
	return post(c, cmd_set_str(c, 0, cn));
}

int pbx_session_admin(struct pbx_session *s, const char *xml, pbx_str_fn *done, void *arg)
{
	if (!s || !xml || !done)
		return TSP8_EINVAL;
	struct pbx_cmd *c = cmd_new(s, PBX_OP_ADMIN, CMD_STR);
	if (!c)
		return TSP8_ENOMEM;
	c->done.str = done;
	c->arg = arg;
	return post(c, cmd_set_str(c, 0, xml));
}
