/* Provider settings from a REGEDIT4 configuration file: values, defaults,
 * clear-text credentials, broken values reported as notes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/trace.h"
#include "base/error.h"
#include "tsp8/config.h"

#define KEY "[HKEY_LOCAL_MACHINE\\SOFTWARE\\innovaphone\\innovaphone\xc2\xae PBX V8 TAPI Service Provider"

static void read_text(const char *text, struct tsp8_config *out, char *notes, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/tsp8-cfgtest-%ld.reg", (long)getpid());
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	struct cfg *c;
	char err[128];
	assert_int_equal(cfg_open(&c, path, err, sizeof(err)), 0);
	assert_int_equal(tsp8_config_read(c, out, notes, len), 0);
	cfg_close(c);
	unlink(path);
}

static void test_values(void **state)
{
	(void)state;
	struct tsp8_config c;
	char notes[512];
	read_text("REGEDIT4\n\n" KEY "]\n"
		  "\"TapiUser\"=\"_TAPI_\"\n\"admin2-free\"=\"acct\"\n\"admin1-free\"=\"secret\"\n"
		  "\"LineNamePattern\"=\"%c <%e>\"\n\"TraceLevel\"=dword:92200580\n\"LineTimeOut\"=dword:00000078\n"
		  "\"PureNodeExtensions\"=dword:00000001\n\"IgnoreDevStatus\"=dword:00000001\n"
		  "\"TlsInsecure\"=dword:00000001\n\"TlsCaFile\"=\"/etc/ssl/pbx.pem\"\n\"DoTraceFile\"=dword:00000000\n"
		  "\"NumLogFiles\"=dword:00000005\n\"KeepLogFiles\"=dword:00000002\n\"LogDir\"=\"/var/log/tsp8\"\n"
		  "\"NoSpecialDisconnect\"=dword:00000001\n\n"
		  KEY "\\FQDN]\n\"1\"=\"other.example.com\"\n\"0\"=\"https://master.example.com\"\n\n"
		  KEY "\\StandbyFQDN]\n\"0\"=\"standby.example.com\"\n",
		  &c, notes, sizeof(notes));
	assert_string_equal(notes, "");
	assert_string_equal(c.master, "https://master.example.com");   /* value "0", not the first */
	assert_string_equal(c.standby, "standby.example.com");
	assert_string_equal(c.tapi_user, "_TAPI_");
	assert_string_equal(c.account, "acct");
	assert_string_equal(c.password, "secret");
	assert_string_equal(c.pattern, "%c <%e>");
	assert_int_equal(c.trace_level, 0x92200580u);
	assert_int_equal(c.line_timeout_s, 120);
	assert_true(c.pure_node_extensions);
	assert_true(c.ignore_dev_status);
	assert_true(c.tls_insecure);
	assert_true(c.no_special_disconnect);
	assert_false(c.do_trace_file);
	assert_string_equal(c.ca_file, "/etc/ssl/pbx.pem");
	assert_string_equal(c.log_dir, "/var/log/tsp8");
	assert_int_equal(c.num_log_files, 5);
	assert_int_equal(c.keep_log_files, 2);
}

static void test_defaults(void **state)
{
	(void)state;
	struct tsp8_config c;
	char notes[256];
	read_text("REGEDIT4\n", &c, notes, sizeof(notes));
	assert_string_equal(c.master, "");
	assert_string_equal(c.pattern, "%C (%x)");
	assert_int_equal(c.trace_level, TRACE_LEVEL_DEFAULT);
	assert_int_equal(c.line_timeout_s, 90);
	assert_true(c.do_trace_file);
	assert_int_equal(c.num_log_files, 24);
	assert_int_equal(c.keep_log_files, 0);
	assert_false(c.pure_node_extensions);
	assert_false(c.tls_insecure);
	/* no store at all */
	assert_int_equal(tsp8_config_read(NULL, &c, notes, sizeof(notes)), 0);
	assert_int_equal(c.line_timeout_s, 90);
	assert_int_equal(tsp8_config_trace_level(NULL), TRACE_LEVEL_DEFAULT);
	assert_int_equal(tsp8_config_read(NULL, NULL, NULL, 0), TSP8_EINVAL);
}

static void test_first_value_and_problems(void **state)
{
	(void)state;
	struct tsp8_config c;
	char notes[512];
	char longval[700];
	memset(longval, 'a', sizeof(longval) - 1);
	longval[sizeof(longval) - 1] = '\0';
	char text[2048];
	snprintf(text, sizeof(text),
		 "REGEDIT4\n\n" KEY "]\n\"TapiUser\"=\"%s\"\n\"admin1\"=hex:01,02,03\n"
		 "\"LineTimeOut\"=dword:00100000\n\n" KEY "\\FQDN]\n\"x\"=\"pbx.example.com\"\n", longval);
	read_text(text, &c, notes, sizeof(notes));
	assert_string_equal(c.master, "pbx.example.com");   /* no "0": first value */
	assert_string_equal(c.tapi_user, "");                /* too long: ignored */
	assert_string_equal(c.password, "");                 /* does not decrypt */
	assert_int_equal(c.line_timeout_s, 3600);            /* capped */
	assert_non_null(strstr(notes, "TapiUser"));
	assert_non_null(strstr(notes, "admin1"));
	assert_non_null(strstr(notes, "LineTimeOut"));
}

/* FQDN / StandbyFQDN are parallel lists: the dialog's master is "0", the
 * others follow in value-name order with the standby of the same name. */
static void test_master_lists(void **state)
{
	(void)state;
	struct tsp8_config c;
	char notes[512];
	read_text("REGEDIT4\n\n" KEY "]\n\"NoSlaves\"=dword:1\n\"MapDevices\"=dword:1\n"
		  "\"MapPresence\"=dword:1\n\"UseNameForDeviceGuid\"=dword:1\n"
		  "\"ActivitiesPerCpu\"=dword:14\n\"ProcessorMask\"=dword:3\n\n"
		  KEY "\\FQDN]\n\"10\"=\"ten.example.com\"\n\"2\"=\"two.example.com\"\n"
		  "\"0\"=\"zero.example.com\"\n\"empty\"=\"\"\n\n"
		  KEY "\\StandbyFQDN]\n\"2\"=\"two-standby.example.com\"\n\"0\"=\"zero-standby\"\n",
		  &c, notes, sizeof(notes));
	assert_string_equal(notes, "");
	assert_int_equal(c.nmasters, 3);
	assert_string_equal(c.masters[0].master, "zero.example.com");
	assert_string_equal(c.masters[0].standby, "zero-standby");
	assert_string_equal(c.master, "zero.example.com");
	assert_string_equal(c.standby, "zero-standby");
	assert_string_equal(c.masters[1].master, "two.example.com");      /* 2 before 10 */
	assert_string_equal(c.masters[1].standby, "two-standby.example.com");
	assert_string_equal(c.masters[2].master, "ten.example.com");
	assert_string_equal(c.masters[2].standby, "");                     /* none */
	assert_true(c.no_slaves);
	assert_true(c.map_devices);
	assert_true(c.map_presence);
	assert_true(c.use_name_for_device_guid);
	assert_int_equal(c.activities_per_cpu, 20);
	assert_int_equal(c.processor_mask, 3);
	assert_true(c.processor_mask_set);
	assert_int_equal(c.slow_soap_call_ms, 2000);   /* not in this file: the default */

	/* no "0": the first value is the master, its standby has its name */
	read_text("REGEDIT4\n\n" KEY "\\FQDN]\n\"a\"=\"first\"\n\"b\"=\"second\"\n\n"
		  KEY "\\StandbyFQDN]\n\"b\"=\"second-sb\"\n\"a\"=\"first-sb\"\n\"0\"=\"orphan\"\n",
		  &c, notes, sizeof(notes));
	assert_int_equal(c.nmasters, 2);
	assert_string_equal(c.masters[0].master, "first");
	assert_string_equal(c.masters[0].standby, "first-sb");
	assert_string_equal(c.masters[1].master, "second");
	assert_string_equal(c.masters[1].standby, "second-sb");

	/* defaults and a bad ActivitiesPerCpu */
	read_text("REGEDIT4\n\n" KEY "]\n\"ActivitiesPerCpu\"=dword:0\n", &c, notes, sizeof(notes));
	assert_int_equal(c.nmasters, 0);
	assert_int_equal(c.activities_per_cpu, 60);
	assert_int_equal(c.processor_mask, 0xff);
	assert_false(c.processor_mask_set);   /* the default pins nothing */
	assert_false(c.no_slaves || c.map_devices || c.map_presence || c.use_name_for_device_guid);
	assert_non_null(strstr(notes, "ActivitiesPerCpu"));

	/* SlowSoapCallMs: taken when in range, else the default with a note */
	read_text("REGEDIT4\n\n" KEY "]\n\"SlowSoapCallMs\"=dword:000001f4\n", &c, notes, sizeof(notes));
	assert_int_equal(c.slow_soap_call_ms, 500);
	read_text("REGEDIT4\n\n" KEY "]\n\"SlowSoapCallMs\"=dword:00000005\n", &c, notes, sizeof(notes));
	assert_int_equal(c.slow_soap_call_ms, 2000);
	assert_non_null(strstr(notes, "SlowSoapCallMs"));

	/* ProcessorMask 0 would select no processor */
	read_text("REGEDIT4\n\n" KEY "]\n\"ProcessorMask\"=dword:0\n", &c, notes, sizeof(notes));
	assert_false(c.processor_mask_set);
	assert_int_equal(c.processor_mask, 0xff);
	assert_non_null(strstr(notes, "ProcessorMask"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_first_value_and_problems),
		cmocka_unit_test(test_master_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
