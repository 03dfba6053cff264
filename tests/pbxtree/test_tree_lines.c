/* Line model against pbxsim (trees/lines.json): every name pattern code on
 * object, device and presence lines, %x (home PBX) vs %X (serving PBX),
 * address rules, MapDevices (one line per device, re-read when the
 * configuration changes, device GUIDs by hardware id or by name),
 * MapPresence (service from the presence, on-the-phone as a virtual
 * connected call). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/platform.h"
#include "pbxsim_proc.h"
#include "pbxtree/pbxtree.h"
#include "soap/pbx_io.h"
#include "tree_rec.h"

#define WAIT_MS 10000

struct fx {
	struct pbxsim_proc *sim;
	struct pbx_io *io;
	struct rec *r;
	struct pbxtree *t;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(pbxsim_start(&f->sim, TREE_DIR "/lines.json", NULL), 0);
	struct pbx_io_config ioc = { .max_host_connections = 4 };
	assert_int_equal(pbx_io_create(&f->io, &ioc), 0);
	f->r = rec_new();
	assert_non_null(f->r);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	pbxtree_destroy(f->t);
	pbx_io_destroy(f->io);
	pbxsim_stop(f->sim);
	rec_free(f->r);
	free(f);
	return 0;
}

struct opts {
	const char *pattern;
	bool devices, presence, by_name, pure;
};

/* IDs live in memory only here (no store): these tests are about names. */
static void start_tree(struct fx *f, const struct opts *o)
{
	struct pbxtree_config tc = {
		.master = pbxsim_url(f->sim, "master"),
		.http_user = "_TAPI_",
		.http_password = "tapi",
		.tapi_user = "_TAPI_",
		.line_name_pattern = o->pattern,
		.pure_node_extensions = o->pure,
		.map_devices = o->devices,
		.map_presence = o->presence,
		.use_name_for_device_guid = o->by_name,
		.io = f->io,
		.h = &rec_handler,
		.arg = f->r,
	};
	assert_int_equal(pbxtree_create(&f->t, &tc), 0);
	assert_int_equal(pbxtree_start(f->t), 0);
	assert_true(rec_wait(f->r, WAIT_MS, rec_p_enum, NULL));
}

static void sim(struct fx *f, char *reply, size_t len, const char *cmd)
{
	char buf[256];
	int rc = pbxsim_cmd(f->sim, reply ? reply : buf, reply ? len : sizeof(buf), "%s", cmd);
	if (rc != 0)
		fail_msg("pbxsim \"%s\": %s", cmd, reply ? reply : buf);
}

static struct rec_line named(struct fx *f, const char *name)
{
	struct rec_line l;
	if (!rec_wait_line(f->r, WAIT_MS, name, &l)) {
		plat_mutex_lock(&f->r->lock);
		for (size_t i = 0; i < f->r->nlines; i++)
			print_message("  have \"%s\"%s\n", f->r->lines[i].name, f->r->lines[i].removed ? " (removed)" : "");
		plat_mutex_unlock(&f->r->lock);
		fail_msg("no line \"%s\"", name);
	}
	return l;
}

static void test_all_codes(void **state)
{
	struct fx *f = *state;
	struct opts o = { .pattern = "%c|%C|%d|%D|%h|%H|%t|%T|%e|%E|%N|%n|%p|%P|%u|%U|%x|%X|%%|%q",
			  .devices = true };
	start_tree(f, &o);
	unsigned port = pbxsim_port(f->sim, "master");
	char want[512];
	/* device IP232 of Anna: the device name differs from cn, dn and h323 */
	snprintf(want, sizeof(want),
		 "Anna Alt|Anna Alt [IP232]|Anna|Anna [IP232]|anna|anna [IP232]|IP232|HWA1|21|721|721|"
		 "127.0.0.1|:%u|%u|anna@127.0.0.1|h323:anna@127.0.0.1:%u|master|master|%%|%%q", port, port, port);
	struct rec_line d1 = named(f, want);
	assert_int_equal(d1.kind, PBXTREE_LINE_DEVICE);
	assert_string_equal(d1.hw, "HWA1");
	assert_string_equal(d1.address, "721");
	/* device "Anna Alt": no brackets where the names are equal */
	snprintf(want, sizeof(want),
		 "Anna Alt|Anna Alt|Anna|Anna [Anna Alt]|anna|anna [Anna Alt]|Anna Alt|HWA2|21|721|721|"
		 "127.0.0.1|:%u|%u|anna@127.0.0.1|h323:anna@127.0.0.1:%u|master|master|%%|%%q", port, port, port);
	named(f, want);
	/* a user without devices keeps one object line: no device parts */
	snprintf(want, sizeof(want),
		 "Ben Bauer|Ben Bauer|Ben Bauer|Ben Bauer|ben|ben|||22|22|22|"
		 "127.0.0.1|:%u|%u|ben@127.0.0.1|h323:ben@127.0.0.1:%u|master|master|%%|%%q", port, port, port);
	struct rec_line ben = named(f, want);
	assert_int_equal(ben.kind, PBXTREE_LINE_OBJECT);
	/* a user homed on slave b1 (location site1): %x is the location it
	 * belongs to, %X the PBX that serves it */
	snprintf(want, sizeof(want),
		 "Cleo Cohn|Cleo Cohn [IP112]|Cleo|Cleo [IP112]|cleo|cleo [IP112]|IP112|HWC1|31|31|31|"
		 "127.0.0.1|:%u|%u|cleo@127.0.0.1|h323:cleo@127.0.0.1:%u|site1|b1|%%|%%q", port, port, port);
	struct rec_line cleo = named(f, want);
	assert_string_equal(cleo.pbx, "b1");
}

static void test_addresses(void **state)
{
	struct fx *f = *state;
	struct opts o = { .pattern = "%c", .pure = true };
	start_tree(f, &o);
	assert_string_equal(named(f, "Anna Alt").address, "21");
	assert_string_equal(named(f, "Ben Bauer").address, "22");
	pbxtree_destroy(f->t);
	f->t = NULL;
	rec_free(f->r);
	f->r = rec_new();
	o.pure = false;
	start_tree(f, &o);
	assert_string_equal(named(f, "Anna Alt").address, "721");   /* node number + extension */
	assert_string_equal(named(f, "Ben Bauer").address, "22");   /* no node number */
}

static bool p_removed(struct rec *r, const void *arg)
{
	struct rec_line *l = rec_by_id(r, *(const uint32_t *)arg);
	return l && l->removed;
}

static void test_devices(void **state)
{
	struct fx *f = *state;
	struct opts o = { .pattern = "%C", .devices = true };
	start_tree(f, &o);
	struct rec_line d1 = named(f, "Anna Alt [IP232]");
	struct rec_line d2 = named(f, "Anna Alt");
	assert_true(d1.id != d2.id);
	assert_string_equal(d1.address, d2.address);   /* one address for all devices */
	assert_string_equal(d1.guid, "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0#hw:HWA1");
	assert_string_equal(d2.guid, "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0#hw:HWA2");
	assert_true(rec_wait_service(f->r, WAIT_MS, d1.id, true));
	struct rec_line ben = named(f, "Ben Bauer");
	assert_string_equal(ben.guid, "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0");

	/* a call to Anna rings her first registered device: only that line */
	size_t from = rec_ncalls(f->r);
	char reply[128];
	sim(f, reply, sizeof(reply), "incoming master 0301234567 21");
	assert_true(rec_wait_call_from(f->r, WAIT_MS, from, d1.id, 0, 0x8f, 0x81, true, NULL));
	char simcall[32], cmd[64];
	assert_int_equal(sscanf(reply, "ok %31s", simcall), 1);
	snprintf(cmd, sizeof(cmd), "drop %s caller", simcall);
	sim(f, NULL, 0, cmd);
	assert_true(rec_wait_call_from(f->r, WAIT_MS, from, d1.id, 0, 0, 0, false, NULL));
	assert_false(rec_wait_call_from(f->r, 200, from, d2.id, 0, 0, 0, true, NULL));

	/* a new device (configuration change): one more line */
	sim(f, NULL, 0, "device add master \"Anna Alt\" HWA3 IP111");
	struct rec_line d3 = named(f, "Anna Alt [IP111]");
	assert_true(d3.id > d2.id && d3.id > d1.id);
	/* a device goes: its line goes, the others stay */
	sim(f, NULL, 0, "device remove master \"Anna Alt\" HWA1");
	assert_true(rec_wait(f->r, WAIT_MS, p_removed, &d1.id));
	struct rec_line still;
	assert_true(rec_get(f->r, d2.id, &still));
	assert_false(still.removed);
	assert_int_equal(still.added, 1);
	/* the device comes back: same permanent ID */
	sim(f, NULL, 0, "device add master \"Anna Alt\" HWA1 IP232");
	assert_int_equal(named(f, "Anna Alt [IP232]").id, d1.id);
	/* Ben gets his first device: his object line makes way for it */
	sim(f, NULL, 0, "device add master \"Ben Bauer\" HWB1 IP222");
	named(f, "Ben Bauer [IP222]");
	assert_true(rec_wait(f->r, WAIT_MS, p_removed, &ben.id));
}

static void test_device_guid_by_name(void **state)
{
	struct fx *f = *state;
	struct opts o = { .pattern = "%C", .devices = true, .by_name = true };
	start_tree(f, &o);
	struct rec_line d1 = named(f, "Anna Alt [IP232]");
	assert_string_equal(d1.guid, "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0#name:IP232");
	/* the phone is replaced (new hardware id, same name): same line */
	sim(f, NULL, 0, "device remove master \"Anna Alt\" HWA1");
	sim(f, NULL, 0, "device add master \"Anna Alt\" HWA9 IP232");
	struct rec_line again = named(f, "Anna Alt [IP232]");
	uint64_t until = plat_now_ms() + WAIT_MS;
	while (strcmp(again.hw, "HWA9") != 0 && plat_now_ms() < until) {
		plat_sleep_ms(20);
		rec_get(f->r, d1.id, &again);
	}
	assert_int_equal(again.id, d1.id);
	assert_string_equal(again.hw, "HWA9");
}

static void test_presence(void **state)
{
	struct fx *f = *state;
	struct opts o = { .pattern = "%C (%x)", .presence = true };
	start_tree(f, &o);
	struct rec_line anna = named(f, "Anna Alt (master)");
	struct rec_line pres = named(f, "Anna Alt [Presence] (master)");
	struct rec_line bpres = named(f, "Ben Bauer [Presence] (master)");
	assert_int_equal(pres.kind, PBXTREE_LINE_PRESENCE);
	assert_string_equal(pres.guid, "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0#presence");
	assert_string_equal(pres.address, anna.address);
	assert_true(rec_wait_service(f->r, WAIT_MS, pres.id, true));     /* open */
	assert_false(bpres.in_service);                                   /* no presence */
	sim(f, NULL, 0, "presence master anna closed");
	assert_true(rec_wait_service(f->r, WAIT_MS, pres.id, false));
	/* on the phone: a virtual connected call on the presence line */
	size_t from = rec_ncalls(f->r);
	sim(f, NULL, 0, "presence master anna open on-the-phone");
	assert_true(rec_wait_service(f->r, WAIT_MS, pres.id, true));
	struct rec_call vc;
	assert_true(rec_wait_call_from(f->r, WAIT_MS, from, pres.id, 0, 0x0f, 0x05, true, &vc));
	assert_int_equal(vc.session, PBXTREE_SESSION_VIRTUAL);
	/* it cannot be controlled */
	assert_int_equal(pbxtree_clear_call(f->t, vc.session, vc.call, 16, rec_op_done, f->r),
			 TSP8_EUNSUPPORTED);
	/* any other activity: no call */
	sim(f, NULL, 0, "presence master anna open away");
	assert_true(rec_wait_call_from(f->r, WAIT_MS, from, pres.id, vc.call, 0, 0, false, NULL));
	/* the user's object line never saw any of it */
	struct rec_line a;
	assert_true(rec_get(f->r, anna.id, &a));
	assert_int_equal(a.downs, 0);
	assert_false(rec_wait_call_from(f->r, 100, from, anna.id, 0, 0, 0, true, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_all_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_guid_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_presence, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
