/* pbxsim control channel commands: phone-side actions and faults. */
#include "control.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "calls.h"
#include "control_server.h"
#include "session.h"
#include "simlog.h"
#include "tree.h"

int control_split(char *buf, char **argv, int max)
{
	int n = 0;
	char *p = buf;

	for (;;) {
		char *w;

		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p)
			return n;
		if (n == max)
			return -1;
		if (*p == '"') {
			char *o = ++p;

			w = o;
			while (*p && *p != '"') {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				*o++ = *p++;
			}
			if (*p != '"')
				return -1;
			p++;
			*o = '\0';
		} else {
			w = p;
			while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
				p++;
			if (*p)
				*p++ = '\0';
		}
		argv[n++] = w;
	}
}

struct httpd *app_httpd(struct pbxsim_app *app, const char *pbx_name)
{
	for (size_t i = 0; i < app->n && i < app->sim->npbx; i++)
		if (strcmp(app->sim->pbxs[i]->name, pbx_name) == 0)
			return app->httpds[i];
	return NULL;
}

/* Object by cn, else h323, else e164 (so scripts may use any of them). */
struct sim_object *control_find_obj(struct sim_pbx *pbx, const char *s)
{
	struct sim_object *o = model_find_cn(pbx, s);

	if (!o)
		o = model_find_h323(pbx, s);
	if (!o)
		o = model_find_e164(pbx, s);
	return o;
}

static bool parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-')
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

/* "caller" / "callee" (default caller). */
static int parse_side(int argc, char **argv, int at, int *side)
{
	*side = LEG_CALLER;
	if (argc <= at)
		return TSP8_OK;
	if (strcmp(argv[at], "caller") == 0)
		*side = LEG_CALLER;
	else if (strcmp(argv[at], "callee") == 0)
		*side = LEG_CALLEE;
	else
		return TSP8_ESYNTAX;
	return TSP8_OK;
}

/* register / unregister <pbx> <cn> [hw] */
static void cmd_register(struct pbxsim_app *app, int argc, char **argv, bool reg,
			 struct strbuf *r)
{
	struct sim_pbx *pbx;
	struct sim_object *o;
	bool changed = false;

	if (argc < 3 || argc > 4) {
		sb_printf(r, "error usage: %s <pbx> <cn> [hw]", argv[0]);
		return;
	}
	sim_lock(app->sim);
	pbx = sim_find_pbx(app->sim, argv[1]);
	o = pbx ? control_find_obj(pbx, argv[2]) : NULL;
	if (!o) {
		sb_printf(r, "error no %s '%s'", pbx ? "object" : "pbx", pbx ? argv[2] : argv[1]);
	} else if (argc == 4) {
		struct sim_device *d = model_device(o, argv[3]);

		if (!d && reg && o->ndevices < SIM_MAX_DEVICES && strlen(argv[3]) < SIM_NUM) {
			/* A device the tree did not list registers: learn it. */
			d = &o->devices[o->ndevices++];
			memset(d, 0, sizeof(*d));
			sim_strlcpy(d->hw, argv[3], sizeof(d->hw));
		}
		if (!d) {
			sb_printf(r, "error no device '%s' at '%s'", argv[3], o->cn);
		} else {
			changed = d->registered != reg;
			d->registered = reg;
		}
	} else {
		if (reg && !o->ndevices) {
			struct sim_device *d = &o->devices[o->ndevices++];

			memset(d, 0, sizeof(*d));
			sim_strlcpy(d->hw, o->h323[0] ? o->h323 : o->cn, sizeof(d->hw));
		}
		for (size_t i = 0; i < o->ndevices; i++) {
			changed |= o->devices[i].registered != reg;
			o->devices[i].registered = reg;
		}
	}
	if (o && !r->len) {
		if (changed)
			session_emit_userinfo(pbx, o, true);
		sb_printf(r, "ok %s state=%d", o->cn, model_registered(o) ? 1 : 0);
		sim_log(app->sim, "%s: '%s' %s%s%s", pbx->name, o->cn, reg ? "registered" : "unregistered",
			argc == 4 ? " hw " : "", argc == 4 ? argv[3] : "");
	}
	sim_unlock(app->sim);
}

/* dial <pbx> <from> <number> | incoming <pbx> <external> <to> */
static void cmd_dial(struct pbxsim_app *app, int argc, char **argv, bool incoming,
		     struct strbuf *r)
{
	struct sim_pbx *pbx;
	int id = 0, handle = 0, rc;

	if (argc != 4) {
		sb_printf(r, "error usage: %s", incoming ? "incoming <pbx> <external-number> <to-number>"
							  : "dial <pbx> <from-cn> <number>");
		return;
	}
	sim_lock(app->sim);
	pbx = sim_find_pbx(app->sim, argv[1]);
	if (!pbx) {
		sb_printf(r, "error no pbx '%s'", argv[1]);
	} else if (incoming) {
		rc = calls_incoming(pbx, argv[2], argv[3], &id);
		if (rc == TSP8_OK)
			sb_printf(r, "ok %d", id);
		else
			sb_printf(r, "error %s", model_trunk(pbx) ? "no such internal number"
								   : "this pbx has no trunk (type gw)");
	} else {
		struct sim_object *from = control_find_obj(pbx, argv[2]);

		/* The phone dials at the PBX it is registered at. */
		rc = from ? calls_place(from->home ? from->home : pbx, from, "", "", argv[3], 0, &id,
					&handle)
			  : TSP8_ENOTFOUND;
		if (rc == TSP8_OK)
			sb_printf(r, "ok %d", id);
		else if (!from)
			sb_printf(r, "error no object '%s'", argv[2]);
		else if (rc == TSP8_ESTATE)
			sb_printf(r, "error '%s' has no registered device", from->cn);
		else
			sb_printf(r, "error cannot call '%s'", argv[3]);
	}
	sim_unlock(app->sim);
}

/* answer / drop / hold / retrieve <simcall> [caller|callee] */
static void cmd_call(struct pbxsim_app *app, int argc, char **argv, struct strbuf *r)
{
	const char *cmd = argv[0];
	unsigned id;
	int side, rc = TSP8_OK;
	struct sim_call *c;

	if (argc < 2 || argc > 3 || !parse_uint(argv[1], 0x7fffffff, &id) ||
	    parse_side(argc, argv, 2, &side) != TSP8_OK ||
	    (strcmp(cmd, "answer") == 0 && argc != 2)) {
		sb_printf(r, "error usage: %s <simcall>%s", cmd,
			  strcmp(cmd, "answer") == 0 ? "" : " [caller|callee]");
		return;
	}
	sim_lock(app->sim);
	c = calls_by_id(app->sim, (int)id);
	if (!c) {
		sb_printf(r, "error no call %u", id);
	} else if (strcmp(cmd, "answer") == 0) {
		int ring = calls_ringing_leg(c);

		rc = ring < 0 ? TSP8_ESTATE : calls_answer(c, ring);
		if (rc != TSP8_OK)
			sb_printf(r, "error call %u is not ringing", id);
	} else if (!c->leg[side].used) {
		sb_printf(r, "error call %u has no %s leg", id, side == LEG_CALLER ? "caller" : "callee");
	} else if (strcmp(cmd, "drop") == 0) {
		calls_release(c, side, 0);
	} else {
		rc = calls_hold(c, side, strcmp(cmd, "hold") == 0);
		if (rc != TSP8_OK)
			sb_printf(r, "error call %u cannot be %s now", id,
				  strcmp(cmd, "hold") == 0 ? "held" : "retrieved");
	}
	if (!r->len)
		sb_printf(r, "ok %u", id);
	sim_unlock(app->sim);
}

/* presence <pbx> <cn> <open|closed|none> [activity] [note] */
static void cmd_presence(struct pbxsim_app *app, int argc, char **argv, struct strbuf *r)
{
	struct sim_pbx *pbx;
	struct sim_object *o;
	const char *st = argc > 3 ? argv[3] : "";

	if (argc < 4 || argc > 6 ||
	    (strcmp(st, "open") != 0 && strcmp(st, "closed") != 0 && strcmp(st, "none") != 0)) {
		sb_puts(r, "error usage: presence <pbx> <cn> <open|closed|none> [activity] [note]");
		return;
	}
	sim_lock(app->sim);
	pbx = sim_find_pbx(app->sim, argv[1]);
	o = pbx ? control_find_obj(pbx, argv[2]) : NULL;
	if (!o) {
		sb_printf(r, "error no %s '%s'", pbx ? "object" : "pbx", pbx ? argv[2] : argv[1]);
	} else {
		sim_strlcpy(o->presence.status, strcmp(st, "none") == 0 ? "" : st,
			    sizeof(o->presence.status));
		sim_strlcpy(o->presence.activity, argc > 4 ? argv[4] : "", sizeof(o->presence.activity));
		sim_strlcpy(o->presence.note, argc > 5 ? argv[5] : "", sizeof(o->presence.note));
		session_emit_userinfo(pbx, o, true);
		sb_printf(r, "ok %s", o->cn);
	}
	sim_unlock(app->sim);
}

/* fault <pbx> drop-connections|invalidate-sessions|stall <ms>|http500 <n>|garbage <n>|clear */
static void cmd_fault(struct pbxsim_app *app, int argc, char **argv, struct strbuf *r)
{
	struct httpd *h = argc > 1 ? app_httpd(app, argv[1]) : NULL;
	const char *what = argc > 2 ? argv[2] : "";
	unsigned n = 0;
	bool with_arg = strcmp(what, "stall") == 0 || strcmp(what, "http500") == 0 ||
			strcmp(what, "garbage") == 0;

	if (argc < 3) {
		sb_puts(r, "error usage: fault <pbx> drop-connections|invalidate-sessions|stall <ms>|"
			   "http500 <n>|garbage <n>|clear");
		return;
	}
	if (!h) {
		sb_printf(r, "error no pbx '%s'", argv[1]);
		return;
	}
	if (with_arg ? (argc != 4 || !parse_uint(argv[3], 3600000, &n)) : argc != 3) {
		sb_printf(r, "error usage: fault <pbx> %s%s", what, with_arg ? " <number>" : "");
		return;
	}
	if (strcmp(what, "drop-connections") == 0) {
		httpd_drop_connections(h);
	} else if (strcmp(what, "invalidate-sessions") == 0) {
		sim_lock(app->sim);
		session_invalidate_all(sim_find_pbx(app->sim, argv[1]));
		sim_unlock(app->sim);
	} else if (strcmp(what, "stall") == 0) {
		httpd_fault(h, HTTPD_FAULT_STALL, n);
	} else if (strcmp(what, "http500") == 0) {
		httpd_fault(h, HTTPD_FAULT_HTTP500, n);
	} else if (strcmp(what, "garbage") == 0) {
		httpd_fault(h, HTTPD_FAULT_GARBAGE, n);
	} else if (strcmp(what, "clear") == 0) {
		httpd_fault(h, HTTPD_FAULT_CLEAR, 0);
	} else {
		sb_printf(r, "error unknown fault '%s'", what);
		return;
	}
	sim_log(app->sim, "%s: fault %s %s", argv[1], what, argc == 4 ? argv[3] : "");
	sb_printf(r, "ok %s", what);
}

static void cmd_stopstart(struct pbxsim_app *app, int argc, char **argv, struct strbuf *r)
{
	struct httpd *h = argc == 2 ? app_httpd(app, argv[1]) : NULL;
	bool stop = strcmp(argv[0], "stop") == 0;
	int rc;

	if (argc != 2) {
		sb_printf(r, "error usage: %s <pbx>", argv[0]);
		return;
	}
	if (!h) {
		sb_printf(r, "error no pbx '%s'", argv[1]);
		return;
	}
	rc = stop ? httpd_stop(h) : httpd_start(h);
	if (rc == TSP8_OK) {
		/* The tree sees it: slave registration, standby takeover. */
		sim_lock(app->sim);
		tree_set_running(sim_find_pbx(app->sim, argv[1]), !stop);
		sim_unlock(app->sim);
		sb_printf(r, "ok %s %u", stop ? "stopped" : "listening", httpd_port(h));
	}
	else if (rc == TSP8_ESTATE)
		sb_printf(r, "error %s is already %s", argv[1], stop ? "stopped" : "running");
	else
		sb_printf(r, "error cannot listen on port %u again", httpd_port(h));
}

void control_exec(struct pbxsim_app *app, const char *line, struct strbuf *r)
{
	char buf[CONTROL_LINE_MAX + 1];
	char *argv[CONTROL_MAX_ARGS];
	const char *rest;
	int argc;

	if (strlen(line) >= sizeof(buf)) {
		sb_puts(r, "error line too long");
		return;
	}
	/* The JSON of "object add" is taken verbatim, not split into words. */
	rest = line + strspn(line, " \t");
	if (strncmp(rest, "object", 6) == 0 && (rest[6] == ' ' || rest[6] == '\t')) {
		const char *sub = rest + 6 + strspn(rest + 6, " \t");

		if (strncmp(sub, "add", 3) == 0 && (sub[3] == ' ' || sub[3] == '\t' || !sub[3])) {
			control_object_add(app, sub + 3, r);
			return;
		}
	}
	strcpy(buf, line);
	argc = control_split(buf, argv, CONTROL_MAX_ARGS);
	if (argc < 0) {
		sb_puts(r, "error unbalanced quotes or too many words");
		return;
	}
	if (argc == 0) {
		sb_puts(r, "error empty command");
		return;
	}
	if (strcmp(argv[0], "register") == 0 || strcmp(argv[0], "unregister") == 0) {
		cmd_register(app, argc, argv, argv[0][0] == 'r', r);
	} else if (strcmp(argv[0], "dial") == 0 || strcmp(argv[0], "incoming") == 0) {
		cmd_dial(app, argc, argv, argv[0][0] == 'i', r);
	} else if (strcmp(argv[0], "answer") == 0 || strcmp(argv[0], "drop") == 0 ||
		   strcmp(argv[0], "hold") == 0 || strcmp(argv[0], "retrieve") == 0) {
		cmd_call(app, argc, argv, r);
	} else if (strcmp(argv[0], "calls") == 0 && argc == 1) {
		sb_puts(r, "ok ");
		sim_lock(app->sim);
		control_json_calls(app->sim, r);
		sim_unlock(app->sim);
	} else if (strcmp(argv[0], "sessions") == 0 && argc == 2) {
		struct sim_pbx *pbx;

		sim_lock(app->sim);
		pbx = sim_find_pbx(app->sim, argv[1]);
		if (pbx) {
			sb_puts(r, "ok ");
			control_json_sessions(pbx, r);
		} else {
			sb_printf(r, "error no pbx '%s'", argv[1]);
		}
		sim_unlock(app->sim);
	} else if (strcmp(argv[0], "presence") == 0) {
		cmd_presence(app, argc, argv, r);
	} else if (strcmp(argv[0], "fault") == 0) {
		cmd_fault(app, argc, argv, r);
	} else if (strcmp(argv[0], "stop") == 0 || strcmp(argv[0], "start") == 0) {
		cmd_stopstart(app, argc, argv, r);
	} else if (strcmp(argv[0], "pbxs") == 0 && argc == 1) {
		sb_puts(r, "ok ");
		sim_lock(app->sim);
		control_json_pbxs(app->sim, r);
		sim_unlock(app->sim);
	} else if (control_tree_exec(app, argc, argv, r)) {
		/* answered */
	} else if (strcmp(argv[0], "quit") == 0 && argc == 1) {
		atomic_store(&app->quit, true);
		if (app->wake_fd >= 0 && write(app->wake_fd, "q", 1) < 0)
			sim_log(app->sim, "control: cannot wake the main loop");
		sb_puts(r, "ok bye");
	} else if (strcmp(argv[0], "help") == 0) {
		sb_puts(r, "ok register unregister dial incoming answer drop hold retrieve calls "
			   "presence fault stop start sessions pbxs slave object device group quit");
	} else {
		sb_printf(r, "error unknown command '%s' (try help)", argv[0]);
	}
}
