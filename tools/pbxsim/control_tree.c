/* pbxsim control channel: PBX tree commands - slave registration, objects,
 * devices and group membership changed at run time. */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "calls.h"
#include "control.h"
#include "session.h"
#include "simlog.h"
#include "tree.h"
#include "tree_load.h"

/* PBX and object of "<cmd> <pbx> <cn> ..." with the error answer when one
 * is unknown (lock held). */
static struct sim_object *pbx_obj(struct pbxsim_app *app, const char *pbx_name, const char *cn,
				  struct sim_pbx **pbx, struct strbuf *r)
{
	struct sim_object *o;

	*pbx = sim_find_pbx(app->sim, pbx_name);
	if (!*pbx) {
		sb_printf(r, "error no pbx '%s'", pbx_name);
		return NULL;
	}
	o = control_find_obj(*pbx, cn);
	if (!o)
		sb_printf(r, "error no object '%s'", cn);
	return o;
}

/* slave register|unregister <slave-pbx> */
static void cmd_slave(struct pbxsim_app *app, int argc, char **argv, struct strbuf *r)
{
	struct sim_pbx *pbx;
	bool reg = argc == 3 && strcmp(argv[1], "register") == 0;

	if (argc != 3 || (!reg && strcmp(argv[1], "unregister") != 0)) {
		sb_puts(r, "error usage: slave register|unregister <slave-pbx>");
		return;
	}
	sim_lock(app->sim);
	pbx = sim_find_pbx(app->sim, argv[2]);
	if (!pbx)
		sb_printf(r, "error no pbx '%s'", argv[2]);
	else if (tree_set_slave_registered(pbx, reg) != TSP8_OK)
		sb_printf(r, "error '%s' is not a slave (it has no \"master\")", argv[2]);
	else
		sb_printf(r, "ok %s state=%d", pbx->name, tree_registered(pbx) ? 1 : 0);
	sim_unlock(app->sim);
}

void control_object_add(struct pbxsim_app *app, const char *rest, struct strbuf *r)
{
	char name[SIM_STR], err[600];
	size_t n;
	struct sim_pbx *pbx;
	struct sim_object *o = NULL;
	int rc;

	rest += strspn(rest, " \t");
	n = strcspn(rest, " \t");
	if (!n || n >= sizeof(name) || !rest[n]) {
		sb_puts(r, "error usage: object add <pbx> <json-object>");
		return;
	}
	memcpy(name, rest, n);
	name[n] = '\0';
	sim_lock(app->sim);
	pbx = sim_find_pbx(app->sim, name);
	if (!pbx) {
		sb_printf(r, "error no pbx '%s'", name);
		sim_unlock(app->sim);
		return;
	}
	rc = tree_parse_object(pbx, rest + n, &o, err, sizeof(err));
	if (rc == TSP8_OK && (rc = model_add_object(pbx, o)) != TSP8_OK)
		model_object_free(o);
	if (rc == TSP8_OK) {
		tree_resolve_slave(pbx->tree, o);
		sim_log(app->sim, "%s: object '%s' added (registered at %s)", pbx->tree->master->name,
			o->cn, o->home->name);
		/* Sessions whose scope now includes it get it as active=true. */
		session_refresh_scopes(pbx);
		sb_printf(r, "ok %s", o->cn);
	} else {
		sb_printf(r, "error %s", rc == TSP8_ESYNTAX ? err : "out of memory");
	}
	sim_unlock(app->sim);
}

/* object remove <pbx> <cn> */
static void cmd_object_remove(struct pbxsim_app *app, int argc, char **argv, struct strbuf *r)
{
	struct sim_pbx *pbx;
	struct sim_object *o;

	if (argc != 4 || strcmp(argv[1], "remove") != 0) {
		sb_puts(r, "error usage: object add <pbx> <json-object> | object remove <pbx> <cn>");
		return;
	}
	sim_lock(app->sim);
	o = pbx_obj(app, argv[2], argv[3], &pbx, r);
	if (o) {
		struct sim_tree *t = pbx->tree;

		sb_printf(r, "ok %s", o->cn);
		sim_log(app->sim, "%s: object '%s' removed", t->master->name, o->cn);
		calls_clear_object(t, o);
		dir_remove(&t->dir, o);
		/* It left every scope: one active=false each, then nothing may
		 * point at it any more. */
		session_refresh_scopes(pbx);
		session_forget_object(pbx, o);
		model_object_free(o);
	}
	sim_unlock(app->sim);
}

/* device add <pbx> <cn> <hw> [text...] | device remove <pbx> <cn> <hw> */
static void cmd_device(struct pbxsim_app *app, int argc, char **argv, struct strbuf *r)
{
	bool add = argc >= 5 && strcmp(argv[1], "add") == 0;
	struct sim_pbx *pbx;
	struct sim_object *o;
	char text[SIM_STR] = "";

	if (argc < 5 || (!add && (strcmp(argv[1], "remove") != 0 || argc != 5)) ||
	    strlen(argv[4]) >= SIM_NUM) {
		sb_puts(r, "error usage: device add <pbx> <cn> <hw> [text...] | "
			   "device remove <pbx> <cn> <hw>");
		return;
	}
	for (int i = 5; i < argc; i++) {
		size_t l = strlen(text);

		sim_strlcpy(text + l, i > 5 ? " " : "", sizeof(text) - l);
		l = strlen(text);
		sim_strlcpy(text + l, argv[i], sizeof(text) - l);
	}
	sim_lock(app->sim);
	o = pbx_obj(app, argv[2], argv[3], &pbx, r);
	if (o) {
		struct sim_device *d = model_device(o, argv[4]);

		if (add && !d && o->ndevices == SIM_MAX_DEVICES) {
			sb_printf(r, "error '%s' has %d devices already", o->cn, SIM_MAX_DEVICES);
		} else if (add) {
			if (!d) {
				d = &o->devices[o->ndevices++];
				memset(d, 0, sizeof(*d));
				sim_strlcpy(d->hw, argv[4], sizeof(d->hw));
			}
			sim_strlcpy(d->text, text, sizeof(d->text));
		} else if (!d) {
			sb_printf(r, "error no device '%s' at '%s'", argv[4], o->cn);
		} else {
			size_t k = (size_t)(d - o->devices);

			memmove(d, d + 1, (o->ndevices - k - 1) * sizeof(*d));
			o->ndevices--;
		}
	}
	if (o && !r->len) {
		/* A configuration change: the next UserInfo says cfg=true. */
		o->cfg_pending = true;
		session_emit_userinfo(pbx, o, true);
		sim_log(app->sim, "%s: device %s '%s' at '%s'", pbx->name, add ? "added" : "removed",
			argv[4], o->cn);
		sb_printf(r, "ok %s devices=%zu", o->cn, o->ndevices);
	}
	sim_unlock(app->sim);
}

/* group set <pbx> <cn> <group> active|inactive|none */
static void cmd_group(struct pbxsim_app *app, int argc, char **argv, struct strbuf *r)
{
	const char *mode = argc == 6 ? argv[5] : "";
	bool none = strcmp(mode, "none") == 0, active = strcmp(mode, "active") == 0;
	struct sim_pbx *pbx;
	struct sim_object *o;

	if (argc != 6 || strcmp(argv[1], "set") != 0 ||
	    (!none && !active && strcmp(mode, "inactive") != 0) || strlen(argv[4]) >= SIM_STR ||
	    !argv[4][0]) {
		sb_puts(r, "error usage: group set <pbx> <cn> <group> active|inactive|none");
		return;
	}
	sim_lock(app->sim);
	o = pbx_obj(app, argv[2], argv[3], &pbx, r);
	if (o) {
		struct sim_group *g = (struct sim_group *)model_group_of(o, argv[4]);

		if (none && g) {
			size_t k = (size_t)(g - o->groups);

			memmove(g, g + 1, (o->ngroups - k - 1) * sizeof(*g));
			o->ngroups--;
		} else if (!none && !g && o->ngroups == SIM_MAX_GROUPS) {
			sb_printf(r, "error '%s' is in %d groups already", o->cn, SIM_MAX_GROUPS);
		} else if (!none) {
			if (!g) {
				g = &o->groups[o->ngroups++];
				sim_strlcpy(g->name, argv[4], sizeof(g->name));
			}
			g->active = active;
		}
	}
	if (o && !r->len) {
		sim_log(app->sim, "%s: '%s' group '%s' %s", pbx->name, o->cn, argv[4], mode);
		session_refresh_scopes_for(pbx, o);
		sb_printf(r, "ok %s", o->cn);
	}
	sim_unlock(app->sim);
}

bool control_tree_exec(struct pbxsim_app *app, int argc, char **argv, struct strbuf *r)
{
	if (strcmp(argv[0], "slave") == 0)
		cmd_slave(app, argc, argv, r);
	else if (strcmp(argv[0], "object") == 0)
		cmd_object_remove(app, argc, argv, r);
	else if (strcmp(argv[0], "device") == 0)
		cmd_device(app, argc, argv, r);
	else if (strcmp(argv[0], "group") == 0)
		cmd_group(app, argc, argv, r);
	else
		return false;
	return true;
}
