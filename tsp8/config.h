/* The provider's settings, read from the configuration store (the
 * reference's value names; see design.md "Configuration").
 *
 *   FQDN\0                     master PBX (host, host:port or URL); when
 *                              there is no value "0", the first value
 *   StandbyFQDN\0              its standby
 *   FQDN\n, StandbyFQDN\n      further, unrelated masters and their
 *                              standbys (parallel lists: same value name)
 *   TapiUser                   cn of the TAPI user
 *   admin2-free / admin2       PBX account (clear REG_SZ overrides the
 *                              encrypted REG_BINARY)
 *   admin1-free / admin1       PBX password (same)
 *   LineNamePattern            default "%C (%x)"
 *   TraceLevel                 default 0x04000400
 *   DoTraceFile                default 1
 *   NumLogFiles                default 24
 *   KeepLogFiles               default 0
 *   LogDir                     log file directory (ours; none: no files)
 *   LineTimeOut                seconds EnumDevices waits for the lines (90)
 *   TlsCaFile                  CA bundle for https (default: system)
 *   TlsInsecure                1: do not verify the PBX certificate
 *   PureNodeExtensions         1: address without node number
 *   IgnoreDevStatus            1: no LINEDEVSTATE for PBX link changes
 *   NoSpecialDisconnect        1: UserInitialize with disc=false
 *   NoSlaves                   1: do not monitor slaves
 *   MapDevices                 1: one line per device of a user
 *   MapPresence                1: one more line per object for its presence
 *   UseNameForDeviceGuid       1: device lines keyed by device name
 *   ActivitiesPerCpu           worker cap per processor (60)
 *   ProcessorMask              processors the workers may use (0xff)
 */
#ifndef TSP8_TSP8_CONFIG_H
#define TSP8_TSP8_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cfg;

#define TSP8_CFG_STR 512
/* Masters in the FQDN list (the dialog's + unrelated ones). */
#define TSP8_CFG_MAX_MASTERS 64

struct tsp8_master {
	char master[TSP8_CFG_STR];
	char standby[TSP8_CFG_STR];   /* "" none */
};

struct tsp8_config {
	char master[TSP8_CFG_STR];    /* = masters[0].master */
	char standby[TSP8_CFG_STR];   /* = masters[0].standby */
	/* masters[0] is the dialog's master (value "0"), then the other FQDN
	 * values in name order (numeric names by number); nmasters 0 when no
	 * master is configured. */
	struct tsp8_master masters[TSP8_CFG_MAX_MASTERS];
	size_t nmasters;
	char tapi_user[TSP8_CFG_STR];
	char account[TSP8_CFG_STR];
	char password[TSP8_CFG_STR];
	char pattern[TSP8_CFG_STR];
	char log_dir[TSP8_CFG_STR];
	char ca_file[TSP8_CFG_STR];
	uint32_t trace_level;
	bool do_trace_file;
	uint32_t num_log_files;
	uint32_t keep_log_files;
	uint32_t line_timeout_s;
	bool tls_insecure;
	bool pure_node_extensions;
	bool ignore_dev_status;
	bool no_special_disconnect;
	bool no_slaves;
	bool map_devices;
	bool map_presence;
	bool use_name_for_device_guid;
	uint32_t activities_per_cpu;
	uint32_t slow_soap_call_ms; /* SlowSoapCallMs */
	uint32_t processor_mask;
	bool processor_mask_set;    /* the value exists: the provider's threads are pinned */
};

/* Fills cfg with the defaults, then with what store holds (store NULL:
 * defaults only).  Problems (unreadable credentials, over-long values) are
 * described in notes (one per line) for the trace, which does not exist
 * yet when the configuration is read.  Always returns TSP8_OK. */
int tsp8_config_read(struct cfg *store, struct tsp8_config *out, char *notes, size_t noteslen);

/* The current TraceLevel of store (default when absent). */
uint32_t tsp8_config_trace_level(struct cfg *store);

#endif
