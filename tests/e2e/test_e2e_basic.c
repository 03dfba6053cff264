/* End to end: pbxsim (basic tree) <-SOAP-> libtsp8.so <-TSPI-> tapihost.
 * Checks line enumeration (names, addresses, scope), an incoming call
 * OFFERING -> CONNECTED -> DISCONNECTED -> IDLE, and a lineMakeCall that
 * reaches the simulator and is answered through TAPI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_proc.h"
#include "tests/common/pbxsim_proc.h"

#define WAIT_MS 15000

struct fixture {
	struct pbxsim_proc *sim;
	struct host_proc *host;
	char *config;
	size_t pos;
	char logdir[64];   /* "" unless the test writes log files */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(pbxsim_start(&f->sim, E2E_TREE_DIR "/basic.json", NULL), 0);
	f->config = host_write_config(pbxsim_url(f->sim, "master"), "_TAPI_", "_TAPI_", "tapi", NULL);
	assert_non_null(f->config);
	assert_int_equal(host_start(&f->host, f->config, NULL), 0);
	*state = f;
	return 0;
}

/* The basic fixture with more configuration values. */
static struct fixture *start_with(const char *extra, const char *logdir)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	if (logdir)
		snprintf(f->logdir, sizeof(f->logdir), "%s", logdir);
	assert_int_equal(pbxsim_start(&f->sim, E2E_TREE_DIR "/basic.json", NULL), 0);
	f->config = host_write_config(pbxsim_url(f->sim, "master"), "_TAPI_", "_TAPI_", "tapi", extra);
	assert_non_null(f->config);
	assert_int_equal(host_start(&f->host, f->config, NULL), 0);
	return f;
}

/* ProcessorMask 1: the provider's threads on processor 0. */
static int setup_pinned(void **state)
{
	*state = start_with("\"ProcessorMask\"=dword:00000001\n", NULL);
	return 0;
}

/* SlowSoapCallMs 100, log files (kept) in a directory of the test's own. */
static int setup_slow_log(void **state)
{
	char dir[] = "/tmp/tsp8-e2e-log-XXXXXX", extra[512];
	assert_non_null(mkdtemp(dir));
	snprintf(extra, sizeof(extra),
		 "\"SlowSoapCallMs\"=dword:00000064\n\"TraceLevel\"=dword:84000400\n"
		 "\"LogDir\"=\"%s\"\n\"KeepLogFiles\"=dword:00000002\n", dir);
	*state = start_with(extra, dir);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc = host_stop(f->host);
	pbxsim_stop(f->sim);
	if (f->logdir[0]) {
		DIR *d = opendir(f->logdir);
		struct dirent *e;
		char path[384];
		while (d && (e = readdir(d)) != NULL) {
			snprintf(path, sizeof(path), "%s/%s", f->logdir, e->d_name);
			if (e->d_name[0] != '.')
				unlink(path);
		}
		if (d)
			closedir(d);
		rmdir(f->logdir);
	}
	unlink(f->config);
	free(f->config);
	free(f);
	/* tapihost exits non-zero on any TSPI rule violation it detected. */
	return rc == 0 ? 0 : -1;
}

/* Waits for the "line" event with this address; returns its device ID. */
static long line_device(struct fixture *f, const char *address, const char *name)
{
	char want_addr[64], want_name[160];
	size_t pos = 0;
	snprintf(want_addr, sizeof(want_addr), "\"address\":\"%s\"", address);
	snprintf(want_name, sizeof(want_name), "\"name\":\"%s\"", name);
	char *l = host_wait(f->host, &pos, WAIT_MS, "\"event\":\"line\"", want_addr, want_name, NULL);
	if (!l) {
		host_dump(f->host);
		fail_msg("no line with address %s and name %s", address, name);
	}
	long dev = host_json_int(l, "device");
	assert_true(host_json_int(l, "perm") > 0);
	free(l);
	return dev;
}

/* Waits for a LINE_CALLSTATE on device dev in state st; returns the line. */
static char *wait_state(struct fixture *f, long dev, const char *st)
{
	char want_dev[64], want_st[64];
	snprintf(want_dev, sizeof(want_dev), "\"device\":%ld,", dev);
	snprintf(want_st, sizeof(want_st), "\"state\":\"%s\"", st);
	char *l = host_wait(f->host, &f->pos, WAIT_MS, "\"event\":\"LINE_CALLSTATE\"", want_dev, want_st, NULL);
	if (!l) {
		host_dump(f->host);
		fail_msg("device %ld never reached %s", dev, st);
	}
	return l;
}

static void test_lines_enumerated(void **state)
{
	struct fixture *f = *state;

	long anna = line_device(f, "21", "Anna Berg (master)");
	long bernd = line_device(f, "22", "Bernd Kr\xc3\xbcger (master)");
	long clara = line_device(f, "23", "Clara Diaz (master)");
	assert_true(anna != bernd && bernd != clara && anna != clara);
	/* The TAPI user's group scope: _TAPI_ itself, 3 users and the trunk. */
	size_t pos = 0;
	char *l = host_wait(f->host, &pos, WAIT_MS, "\"event\":\"line\"", "\"name\":\"Trunk (master)\"", NULL);
	assert_non_null(l);
	free(l);
	assert_int_equal(host_count(f->host, "\"event\":\"line\""), 5);
	assert_int_equal(host_count(f->host, "Outsider"), 0);
}

/* Cpus_allowed_list of the first thread of pid named comm ("" if none). */
static void thread_cpus(long pid, const char *comm, char *out, size_t len)
{
	char path[384];
	snprintf(path, sizeof(path), "/proc/%ld/task", pid);
	DIR *d = opendir(path);
	out[0] = '\0';
	struct dirent *e;
	while (d && !out[0] && (e = readdir(d)) != NULL) {
		char name[64] = "", line[256];
		snprintf(path, sizeof(path), "/proc/%ld/task/%s/comm", pid, e->d_name);
		FILE *fp = fopen(path, "r");
		if (!fp)
			continue;
		if (fgets(name, sizeof(name), fp))
			name[strcspn(name, "\n")] = '\0';
		fclose(fp);
		if (strcmp(name, comm) != 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/task/%s/status", pid, e->d_name);
		fp = fopen(path, "r");
		while (fp && fgets(line, sizeof(line), fp))
			if (strncmp(line, "Cpus_allowed_list:", 18) == 0)
				snprintf(out, len, "%s", line + 18 + strspn(line + 18, " \t"));
		if (fp)
			fclose(fp);
		out[strcspn(out, "\n")] = '\0';
	}
	if (d)
		closedir(d);
}

/* ProcessorMask set: the provider's own threads run on processor 0 only,
 * tapihost's (the host process's) threads are left alone. */
static void test_processor_mask_pins_threads(void **state)
{
	struct fixture *f = *state;
	line_device(f, "21", "Anna Berg (master)");   /* the provider is running */
	long pid = host_pid(f->host);
	char cpus[128];
	thread_cpus(pid, "pbx_io", cpus, sizeof(cpus));
	assert_string_equal(cpus, "0");
	thread_cpus(pid, "tsp8-dispatch", cpus, sizeof(cpus));
	assert_string_equal(cpus, "0");
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1) {
		thread_cpus(pid, "tapihost", cpus, sizeof(cpus));
		assert_string_not_equal(cpus, "0");
		assert_true(cpus[0] != '\0');
	}
}

/* True when a file in dir contains needle. */
static bool dir_has(const char *dir, const char *needle)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;
	while (d && !found && (e = readdir(d)) != NULL) {
		char path[384], line[1024];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *fp = e->d_name[0] != '.' ? fopen(path, "r") : NULL;
		while (fp && !found && fgets(line, sizeof(line), fp))
			found = strstr(line, needle) != NULL;
		if (fp)
			fclose(fp);
	}
	if (d)
		closedir(d);
	return found;
}

/* SlowSoapCallMs: a PBX answering after 400 ms is "slow SOAP call
 * performance" with a 100 ms threshold (the default is 2 s). */
static void test_slow_soap_call_warning(void **state)
{
	struct fixture *f = *state;
	char reply[512];
	long anna = line_device(f, "21", "Anna Berg (master)");
	assert_false(dir_has(f->logdir, "slow SOAP call performance"));
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "fault master stall 400"), 0);
	assert_int_equal(host_send(f->host, "makecall %ld 22", anna), 0);
	size_t pos = 0;
	char *c = host_wait(f->host, &pos, WAIT_MS, "\"event\":\"completion\"", NULL);
	assert_non_null(c);
	free(c);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "fault master clear"), 0);
	bool found = false;
	for (int i = 0; i < 50 && !found; i++) {
		found = dir_has(f->logdir, "slow SOAP call performance");
		if (!found)
			usleep(100000);
	}
	assert_true(found);
}

static void test_incoming_call(void **state)
{
	struct fixture *f = *state;
	char reply[256], buf[64];

	long anna = line_device(f, "21", "Anna Berg (master)");
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "incoming master 0301234567 21"), 0);
	char simcall[64];
	assert_int_equal(sscanf(reply, "ok %63s", simcall), 1);

	char *l = wait_state(f, anna, "OFFERING");
	assert_string_equal(host_json_str(l, "caller", buf, sizeof(buf)), "0301234567");
	free(l);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "answer %s", simcall), 0);
	free(wait_state(f, anna, "CONNECTED"));
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "drop %s caller", simcall), 0);
	free(wait_state(f, anna, "DISCONNECTED"));
	free(wait_state(f, anna, "IDLE"));
}

static void test_makecall_answer_drop(void **state)
{
	struct fixture *f = *state;
	char reply[4096], call22[64], call21[64];

	long anna = line_device(f, "21", "Anna Berg (master)");
	long bernd = line_device(f, "22", "Bernd Kr\xc3\xbcger (master)");
	assert_int_equal(host_send(f->host, "makecall %ld 22", anna), 0);
	size_t pos = f->pos;
	char *c = host_wait(f->host, &pos, WAIT_MS, "\"event\":\"completion\"", NULL);
	assert_non_null(c);
	assert_int_equal(host_json_int(c, "result"), 0);
	free(c);

	/* The simulator has the call, and Bernd's line is offered it. */
	char *l = wait_state(f, bernd, "OFFERING");
	host_json_str(l, "call", call22, sizeof(call22));
	free(l);
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "calls"), 0);
	assert_non_null(strstr(reply, "22"));

	/* Both legs connect; their events may come in either order. */
	size_t mark = f->pos;
	assert_int_equal(host_send(f->host, "answer %s", call22), 0);
	l = wait_state(f, anna, "CONNECTED");
	host_json_str(l, "call", call21, sizeof(call21));
	free(l);
	f->pos = mark;
	free(wait_state(f, bernd, "CONNECTED"));

	assert_int_equal(host_send(f->host, "drop %s", call21), 0);
	free(wait_state(f, anna, "IDLE"));
	size_t p2 = 0;
	char want_dev[64];
	snprintf(want_dev, sizeof(want_dev), "\"device\":%ld,", bernd);
	l = host_wait(f->host, &p2, WAIT_MS, "\"event\":\"LINE_CALLSTATE\"", want_dev, "\"state\":\"IDLE\"", NULL);
	assert_non_null(l);
	free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lines_enumerated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incoming_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_makecall_answer_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_processor_mask_pins_threads, setup_pinned, teardown),
		cmocka_unit_test_setup_teardown(test_slow_soap_call_warning, setup_slow_log, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
