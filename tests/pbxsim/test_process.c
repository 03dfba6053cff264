/* pbxsim black-box tests: the process itself - command line and tree file
 * errors (exit code 2 with a clear message), startup output, and bad
 * control commands answered with "error" without harm. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/error.h"
#include "pbxsim_proc.h"
#include "soap_http.h"

static void run_bad_tree(const char *json, const char *expect)
{
	char path[256], args[400], err[2048];
	int code = -1;

	assert_int_equal(pbxsim_write_temp(path, sizeof(path), json), TSP8_OK);
	snprintf(args, sizeof(args), "--tree %s", path);
	assert_int_equal(pbxsim_run(args, &code, err, sizeof(err)), TSP8_OK);
	assert_int_equal(code, 2);
	assert_non_null(strstr(err, path));
	if (!strstr(err, expect))
		fail_msg("stderr '%s' lacks '%s'", err, expect);
	pbxsim_remove_temp(path);
}

static void test_bad_trees(void **state)
{
	char err[1024];
	int code = -1;

	(void)state;
	run_bad_tree("{\"pbxs\": [", "not valid JSON");
	run_bad_tree("{\"pbxs\":[{\"name\":\"m\",\"objects\":[{\"dn\":\"x\"}]}]}",
		     "$.pbxs[0].objects[0].cn: missing");
	run_bad_tree("{\"pbxs\":[{\"name\":\"m\",\"wire\":{\"array_members\":\"elements\"}}]}",
		     "$.pbxs[0].wire: array_members must be");
	run_bad_tree("[]", "$: expected an object");
	assert_int_equal(pbxsim_run("--tree /nonexistent/tree.json", &code, err, sizeof(err)), TSP8_OK);
	assert_int_equal(code, 2);
	assert_non_null(strstr(err, "/nonexistent/tree.json: cannot open"));
	assert_int_equal(pbxsim_run("--frobnicate", &code, err, sizeof(err)), TSP8_OK);
	assert_int_equal(code, 2);
	assert_non_null(strstr(err, "unknown option"));
	assert_int_equal(pbxsim_run("", &code, err, sizeof(err)), TSP8_OK);
	assert_int_equal(code, 2);
	assert_non_null(strstr(err, "--tree FILE is required"));
	assert_int_equal(pbxsim_run("--tree x --poll-idle soon", &code, err, sizeof(err)), TSP8_OK);
	assert_int_equal(code, 2);
}

static void test_startup_lines(void **state)
{
	static const char tree[] =
		"{\"pbxs\":[{\"name\":\"one\",\"objects\":[]},{\"name\":\"two\",\"path_id\":\"x7\"}]}";
	struct pbxsim_proc *p;
	char path[256];

	(void)state;
	assert_int_equal(pbxsim_write_temp(path, sizeof(path), tree), TSP8_OK);
	assert_int_equal(pbxsim_start(&p, path, "--verbose"), TSP8_OK);
	assert_non_null(pbxsim_url(p, "one"));
	assert_non_null(strstr(pbxsim_url(p, "one"), "/PBX0/user.soap"));
	assert_non_null(strstr(pbxsim_url(p, "two"), "/PBX-x7/user.soap"));
	assert_int_not_equal(pbxsim_port(p, "one"), pbxsim_port(p, "two"));
	assert_true(pbxsim_control_port(p) > 0);
	assert_null(pbxsim_url(p, "three"));
	pbxsim_stop(p);
	pbxsim_remove_temp(path);
}

static void test_bad_commands(void **state)
{
	static const char *const bad[] = {
		"frobnicate",
		"dial master",
		"dial nosuchpbx alice 22",
		"dial master nobody 22",
		"dial master juergen 21",          /* not registered */
		"answer 999",
		"answer x",
		"answer",
		"drop 1 sideways",
		"hold 999 caller",
		"register master Nobody",
		"register master alice HW too many",
		"presence master alice maybe",
		"fault master",
		"fault master nope",
		"fault master stall",
		"fault master stall -5",
		"fault nosuch clear",
		"stop nosuch",
		"start master",                    /* already running */
		"incoming master 0301234 99",
		"sessions",
		"calls now",
		"quit now",
		"dial master \"Alice Meier 22",
	};
	struct pbxsim_proc *p;
	char reply[512], longcmd[3000];

	(void)state;
	assert_int_equal(pbxsim_start(&p, PBXSIM_DEMO_TREE, NULL), TSP8_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = pbxsim_cmd(p, reply, sizeof(reply), "%s", bad[i]);

		if (rc != TSP8_EREFUSED || strncmp(reply, "error ", 6) != 0)
			fail_msg("'%s' -> %d '%s'", bad[i], rc, reply);
	}
	memset(longcmd, 'x', sizeof(longcmd) - 1);
	longcmd[sizeof(longcmd) - 1] = '\0';
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "%.1050s", longcmd), TSP8_EREFUSED);
	/* Still alive and well. */
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "calls"), TSP8_OK);
	assert_string_equal(reply, "ok []");
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "help"), TSP8_OK);
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "dial master \"Alice Meier\" 22"), TSP8_OK);
	assert_int_equal(pbxsim_cmd(p, reply, sizeof(reply), "calls"), TSP8_OK);
	assert_non_null(strstr(reply, "\"cn\":\"Alice Meier\""));
	assert_non_null(strstr(reply, "\"msg\":\"r-alert\""));
	pbxsim_stop(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_trees),
		cmocka_unit_test(test_startup_lines),
		cmocka_unit_test(test_bad_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
