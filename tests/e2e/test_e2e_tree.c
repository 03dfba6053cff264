/* End to end over a PBX tree (trees/tree.json): pbxsim <-SOAP-> libtsp8.so
 * <-TSPI-> tapihost.  Slave lines, a slave flapping 50 times (LINEDEVSTATE
 * out of service / in service, no LINE_CREATE/REMOVE, same permanent IDs
 * after a restart), master -> standby -> master, an unrelated master,
 * objects added and removed (LINE_CREATE / LINE_REMOVE), device and
 * presence lines, and a slave refusing us while another slave's calls
 * go through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host_proc.h"
#include "tests/common/pbxsim_proc.h"

#define WAIT_MS 15000
#define FLAPS 50
#define KEY "HKEY_LOCAL_MACHINE\\SOFTWARE\\innovaphone\\innovaphone\xc2\xae PBX V8 TAPI Service Provider"

struct fx {
	struct pbxsim_proc *sim;
	struct host_proc *host;
	char *config;
	size_t pos;
};

struct cfgopts {
	bool no_standby, other, admin, devices, presence;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(pbxsim_start(&f->sim, E2E_TREE_DIR "/tree.json", NULL), 0);
	*state = f;
	return 0;
}

static int stop_host(struct fx *f)
{
	int rc = f->host ? host_stop(f->host) : 0;
	f->host = NULL;
	f->pos = 0;
	return rc;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	int rc = stop_host(f);
	pbxsim_stop(f->sim);
	if (f->config) {
		unlink(f->config);
		free(f->config);
	}
	free(f);
	/* tapihost exits non-zero on any TSPI rule violation it detected */
	return rc == 0 ? 0 : -1;
}

/* Writes the configuration once per test (the lineGUIDs go into it). */
static void start_host(struct fx *f, const struct cfgopts *o)
{
	if (!f->config) {
		char text[4096];
		snprintf(text, sizeof(text),
			 "REGEDIT4\n\n[" KEY "]\n\"TapiUser\"=\"_TAPI_\"\n\"admin2-free\"=\"%s\"\n"
			 "\"admin1-free\"=\"%s\"\n\"LineTimeOut\"=dword:0000000a\n\"MapDevices\"=dword:%d\n"
			 "\"MapPresence\"=dword:%d\n\n[" KEY "\\FQDN]\n\"0\"=\"%s\"\n%s%s%s\n[" KEY "\\StandbyFQDN]\n"
			 "\"0\"=\"%s\"\n",
			 o->admin ? "admin" : "_TAPI_", o->admin ? "pwd" : "tapi", o->devices, o->presence,
			 pbxsim_url(f->sim, "master"), o->other ? "\"1\"=\"" : "",
			 o->other ? pbxsim_url(f->sim, "other") : "", o->other ? "\"\n" : "",
			 o->no_standby ? "" : pbxsim_url(f->sim, "master-standby"));
		f->config = host_write_config_text(text);
		assert_non_null(f->config);
	}
	assert_int_equal(host_start(&f->host, f->config, NULL), 0);
	f->pos = 0;
}

/* The "line" event named name: its device (and permanent ID). */
static long line_device(struct fx *f, const char *name, long *perm)
{
	char want[200];
	snprintf(want, sizeof(want), "\"name\":\"%s\"", name);
	size_t pos = 0;
	char *l = host_wait(f->host, &pos, WAIT_MS, "\"event\":\"line\"", want, NULL);
	if (!l) {
		host_dump(f->host);
		fail_msg("no line \"%s\"", name);
	}
	long dev = host_json_int(l, "device");
	if (perm)
		*perm = host_json_int(l, "perm");
	free(l);
	return dev;
}

/* Waits for a LINE_LINEDEVSTATE of dev with state st after *pos. */
static void devstate(struct fx *f, size_t *pos, long dev, const char *st)
{
	char d[48], s[48];
	snprintf(d, sizeof(d), "\"device\":%ld,", dev);
	snprintf(s, sizeof(s), "\"states\":\"%s\"", st);
	char *l = host_wait(f->host, pos, WAIT_MS, "\"event\":\"LINE_LINEDEVSTATE\"", d, s, NULL);
	if (!l) {
		host_dump(f->host);
		fail_msg("device %ld: no LINEDEVSTATE %s", dev, st);
	}
	free(l);
}

static void sim(struct fx *f, char *reply, size_t len, const char *cmd)
{
	char buf[256];
	if (pbxsim_cmd(f->sim, reply ? reply : buf, reply ? len : sizeof(buf), "%s", cmd) != 0)
		fail_msg("pbxsim \"%s\": %s", cmd, reply ? reply : buf);
}

/* An external call to number on pbx is offered on dev, then dropped. */
static void call_offered(struct fx *f, const char *pbx, const char *number, long dev)
{
	char cmd[96], reply[128], d[48];
	size_t pos = host_lines(f->host);
	snprintf(cmd, sizeof(cmd), "incoming %s 0301234567 %s", pbx, number);
	sim(f, reply, sizeof(reply), cmd);
	snprintf(d, sizeof(d), "\"device\":%ld,", dev);
	char *l = host_wait(f->host, &pos, WAIT_MS, "\"event\":\"LINE_CALLSTATE\"", d, "\"state\":\"OFFERING\"",
			    NULL);
	if (!l) {
		host_dump(f->host);
		fail_msg("call to %s on %s not offered on device %ld", number, pbx, dev);
	}
	free(l);
	char simcall[32];
	assert_int_equal(sscanf(reply, "ok %31s", simcall), 1);
	snprintf(cmd, sizeof(cmd), "drop %s caller", simcall);
	sim(f, NULL, 0, cmd);
	l = host_wait(f->host, &pos, WAIT_MS, "\"event\":\"LINE_CALLSTATE\"", d, "\"state\":\"IDLE\"", NULL);
	assert_non_null(l);
	free(l);
}

static void test_flaps(void **state)
{
	struct fx *f = *state;
	struct cfgopts o = { .other = true };
	start_host(f, &o);
	long carol_perm, alice_perm, otto_perm;
	long carol = line_device(f, "Carol Clausen (branch1)", &carol_perm);
	long alice = line_device(f, "Alice Meier (master)", &alice_perm);
	line_device(f, "Erin Engel (branch2)", NULL);
	line_device(f, "Otto Ost (other)", &otto_perm);
	/* master: _TAPI_, Alice, Carol, Erin; other: _TAPI_, Otto (trunks are
	 * outside the TAPI group) */
	assert_int_equal(host_count(f->host, "\"event\":\"line\""), 6);
	size_t pos = 0;
	for (int i = 0; i < FLAPS; i++) {
		sim(f, NULL, 0, "slave unregister branch1");
		devstate(f, &pos, carol, "OUTOFSERVICE");
		sim(f, NULL, 0, "slave register branch1");
		devstate(f, &pos, carol, "INSERVICE");
	}
	char want[64];
	snprintf(want, sizeof(want), "\"device\":%ld,\"states\":\"OUTOFSERVICE\"", carol);
	assert_int_equal(host_count(f->host, want), FLAPS);
	snprintf(want, sizeof(want), "\"device\":%ld,\"states\":\"OUTOFSERVICE\"", alice);
	assert_int_equal(host_count(f->host, want), 0);
	assert_int_equal(host_count(f->host, "LINE_CREATE"), 0);
	assert_int_equal(host_count(f->host, "LINE_REMOVE"), 0);
	call_offered(f, "branch1", "31", carol);
	call_offered(f, "other", "21", line_device(f, "Otto Ost (other)", NULL));
	assert_int_equal(stop_host(f), 0);

	/* a restart: the same permanent IDs */
	start_host(f, &o);
	long p;
	line_device(f, "Carol Clausen (branch1)", &p);
	assert_int_equal(p, carol_perm);
	line_device(f, "Alice Meier (master)", &p);
	assert_int_equal(p, alice_perm);
	line_device(f, "Otto Ost (other)", &p);
	assert_int_equal(p, otto_perm);
}

static void test_standby(void **state)
{
	struct fx *f = *state;
	struct cfgopts o = { 0 };
	start_host(f, &o);
	long alice = line_device(f, "Alice Meier (master)", NULL);
	long carol = line_device(f, "Carol Clausen (branch1)", NULL);
	size_t pos = host_lines(f->host);
	struct timespec a, b;
	sim(f, NULL, 0, "stop master");
	devstate(f, &pos, alice, "OUTOFSERVICE");
	clock_gettime(CLOCK_MONOTONIC, &a);
	devstate(f, &pos, alice, "INSERVICE");
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	print_message("standby took over %ld ms after the master was lost\n", ms);
	assert_true(ms <= 2000);
	call_offered(f, "master", "21", alice);
	pos = host_lines(f->host);
	sim(f, NULL, 0, "start master");
	/* the master takes over again (it is probed with backoff): Alice is
	 * monitored there, out of service for the moment in between */
	devstate(f, &pos, alice, "OUTOFSERVICE");
	devstate(f, &pos, alice, "INSERVICE");
	call_offered(f, "master", "21", alice);
	char want[64];
	snprintf(want, sizeof(want), "\"device\":%ld,\"states\":\"OUTOFSERVICE\"", carol);
	assert_int_equal(host_count(f->host, want), 0);   /* the slave was not touched */
	assert_int_equal(host_count(f->host, "LINE_REMOVE"), 0);
}

static void test_objects_come_and_go(void **state)
{
	struct fx *f = *state;
	struct cfgopts o = { 0 };
	start_host(f, &o);
	line_device(f, "Alice Meier (master)", NULL);
	size_t pos = host_lines(f->host);
	sim(f, NULL, 0, "object add master {\"cn\":\"Nina Neu\",\"h323\":\"nina\",\"e164\":\"33\","
	    "\"pbx\":\"branch1\",\"groups\":[{\"group\":\"tapi\",\"active\":false}],"
	    "\"devices\":[{\"hw\":\"HW33\",\"text\":\"IP232\"}],\"registered\":[\"HW33\"]}");
	char *l = host_wait(f->host, &pos, WAIT_MS, "\"event\":\"LINE_CREATE\"", NULL);
	assert_non_null(l);
	free(l);
	long nina = line_device(f, "Nina Neu (branch1)", NULL);
	call_offered(f, "branch1", "33", nina);
	sim(f, NULL, 0, "object remove master \"Nina Neu\"");
	char want[48];
	snprintf(want, sizeof(want), "\"device\":%ld", nina);
	l = host_wait(f->host, &pos, WAIT_MS, "\"event\":\"LINE_REMOVE\"", want, NULL);
	if (!l)
		host_dump(f->host);
	assert_non_null(l);
	free(l);
}

static void test_device_and_presence_lines(void **state)
{
	struct fx *f = *state;
	struct cfgopts o = { .devices = true, .presence = true };
	start_host(f, &o);
	long ip232, soft, pres;
	long d1 = line_device(f, "Alice Meier [IP232] (master)", &ip232);
	line_device(f, "Alice Meier [Softphone] (master)", &soft);
	long pl = line_device(f, "Alice Meier [Presence] (master)", &pres);
	/* lines of one object: device lines first, in ID order */
	assert_true(ip232 < soft && soft < pres);
	line_device(f, "Carol Clausen [IP232] (branch1)", NULL);
	/* a call rings Alice's first device */
	call_offered(f, "master", "21", d1);
	/* on the phone: a connected (virtual) call on the presence line */
	size_t pos = host_lines(f->host);
	sim(f, NULL, 0, "presence master alice open on-the-phone");
	char d[48];
	snprintf(d, sizeof(d), "\"device\":%ld,", pl);
	char *l = host_wait(f->host, &pos, WAIT_MS, "\"event\":\"LINE_CALLSTATE\"", d, "\"state\":\"CONNECTED\"",
			    NULL);
	if (!l)
		host_dump(f->host);
	assert_non_null(l);
	free(l);
	size_t pos2 = pos;
	sim(f, NULL, 0, "presence master alice closed");
	l = host_wait(f->host, &pos, WAIT_MS, "\"event\":\"LINE_CALLSTATE\"", d, "\"state\":\"IDLE\"", NULL);
	assert_non_null(l);
	free(l);
	devstate(f, &pos2, pl, "OUTOFSERVICE");
}

static void test_refusing_slave(void **state)
{
	struct fx *f = *state;
	/* admin/pwd: branch2 has another admin password and answers 401 */
	struct cfgopts o = { .admin = true };
	start_host(f, &o);
	long carol = line_device(f, "Carol Clausen (branch1)", NULL);
	long alice = line_device(f, "Alice Meier (master)", NULL);
	line_device(f, "Erin Engel (branch2)", NULL);
	for (int i = 0; i < 3; i++) {
		call_offered(f, "branch1", "31", carol);
		call_offered(f, "master", "21", alice);
	}
	/* a garbage-answering slave: the others carry on too */
	sim(f, NULL, 0, "fault branch1 garbage 2");
	sim(f, NULL, 0, "fault branch1 drop-connections");
	call_offered(f, "master", "21", alice);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_standby, setup, teardown),
		cmocka_unit_test_setup_teardown(test_objects_come_and_go, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_and_presence_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusing_slave, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
