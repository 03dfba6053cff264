/* Provider settings from the configuration store (see config.h). */
#include "tsp8/config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/cred.h"
#include "base/error.h"
#include "base/trace.h"

#define LINE_TIMEOUT_DEFAULT 90u
#define ACTIVITIES_DEFAULT 60u
#define SLOW_SOAP_DEFAULT_MS 2000u  /* "slow SOAP call performance" above this */
#define PROCESSOR_MASK_DEFAULT 0xffu

static void note(char *notes, size_t len, const char *fmt, ...)
{
	if (!notes || len == 0)
		return;
	size_t used = strlen(notes);
	if (used + 1 >= len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(notes + used, len - used, fmt, ap);
	va_end(ap);
	used = strlen(notes);
	if (used + 1 < len) {
		notes[used] = '\n';
		notes[used + 1] = '\0';
	}
}

static void get_str(struct cfg *c, const char *subkey, const char *name, char *buf, size_t len,
		    char *notes, size_t noteslen)
{
	int err = cfg_get_string(c, subkey, name, buf, len);
	if (err == TSP8_ELIMIT)
		note(notes, noteslen, "configuration value %s is too long, ignored", name);
	if (err)
		buf[0] = '\0';
}

/* First string value of a list subkey (FQDN, StandbyFQDN). */
struct first_value {
	char *buf;
	size_t len;
	bool found, too_long;
};

static int take_first(void *arg, const char *name, enum cfg_type type, const void *data, size_t len)
{
	struct first_value *fv = arg;
	(void)name;
	if (type != CFG_SZ)
		return 0;
	fv->found = true;
	if (len + 1 > fv->len) {
		fv->too_long = true;
		return 1;
	}
	memcpy(fv->buf, data, len);
	fv->buf[len] = '\0';
	return 1;
}

/* Value "0" of a list subkey (the dialog's entry), else its first string
 * value in store order. */
static void get_first(struct cfg *c, const char *subkey, char *buf, size_t len, char *notes,
		      size_t noteslen)
{
	int err = cfg_get_string(c, subkey, "0", buf, len);
	if (err == TSP8_OK)
		return;
	if (err == TSP8_ELIMIT) {
		buf[0] = '\0';
		note(notes, noteslen, "value 0 of %s is too long, ignored", subkey);
		return;
	}
	struct first_value fv = { buf, len, false, false };
	buf[0] = '\0';
	cfg_enum(c, subkey, take_first, &fv);
	if (fv.too_long) {
		buf[0] = '\0';
		note(notes, noteslen, "first value of %s is too long, ignored", subkey);
	}
}

/* The FQDN list: every string value's name and text. */
struct name_list {
	struct { char name[64]; char value[TSP8_CFG_STR]; } *v;
	size_t n, cap;
	bool too_long;
};

static int collect(void *arg, const char *name, enum cfg_type type, const void *data, size_t len)
{
	struct name_list *nl = arg;
	if (type != CFG_SZ)
		return 0;
	if (len + 1 > TSP8_CFG_STR || strlen(name) + 1 > sizeof(nl->v[0].name)) {
		nl->too_long = true;
		return 0;
	}
	if (nl->n == nl->cap) {
		size_t nc = nl->cap ? nl->cap * 2 : 8;
		void *nv = realloc(nl->v, nc * sizeof(*nl->v));
		if (!nv)
			return 0;
		nl->v = nv;
		nl->cap = nc;
	}
	snprintf(nl->v[nl->n].name, sizeof(nl->v[0].name), "%s", name);
	memcpy(nl->v[nl->n].value, data, len);
	nl->v[nl->n].value[len] = '\0';
	nl->n++;
	return 0;
}

/* Value names in list order: numbers by value ("2" before "10"), then the
 * others alphabetically. */
static int name_order(const void *a, const void *b)
{
	const char *x = a, *y = b;   /* name is the first member */
	size_t lx = strspn(x, "0123456789"), ly = strspn(y, "0123456789");
	bool nx = lx && !x[lx], ny = ly && !y[ly];
	if (nx != ny)
		return nx ? -1 : 1;
	if (nx) {
		unsigned long vx = strtoul(x, NULL, 10), vy = strtoul(y, NULL, 10);
		return vx < vy ? -1 : vx > vy;
	}
	return strcmp(x, y);
}

/* The unrelated masters: FQDN values other than the dialog's, each with the
 * StandbyFQDN value of the same name. */
static void get_extra_masters(struct cfg *c, struct tsp8_config *out, const char *first_name,
			      char *notes, size_t noteslen)
{
	struct name_list nl = { 0 };
	cfg_enum(c, "FQDN", collect, &nl);
	if (nl.too_long)
		note(notes, noteslen, "a value of FQDN is too long, ignored");
	if (nl.n)
		qsort(nl.v, nl.n, sizeof(*nl.v), name_order);
	for (size_t i = 0; i < nl.n; i++) {
		if (strcmp(nl.v[i].name, first_name) == 0 || !nl.v[i].value[0])
			continue;
		if (out->nmasters == TSP8_CFG_MAX_MASTERS) {
			note(notes, noteslen, "more than %d masters in FQDN: the rest is ignored",
			     TSP8_CFG_MAX_MASTERS);
			break;
		}
		struct tsp8_master *m = &out->masters[out->nmasters++];
		snprintf(m->master, sizeof(m->master), "%s", nl.v[i].value);
		if (cfg_get_string(c, "StandbyFQDN", nl.v[i].name, m->standby, sizeof(m->standby)) != TSP8_OK)
			m->standby[0] = '\0';
	}
	free(nl.v);
}

/* Name of the first string value of a list subkey ("" when none). */
static int first_name(void *arg, const char *name, enum cfg_type type, const void *data, size_t len)
{
	(void)data;
	(void)len;
	if (type != CFG_SZ)
		return 0;
	snprintf(arg, 64, "%s", name);
	return 1;
}

/* Clear-text value name_free, else the encrypted REG_BINARY name. */
static void get_secret(struct cfg *c, const char *name, const char *name_free, char *buf,
		       size_t len, char *notes, size_t noteslen)
{
	get_str(c, "", name_free, buf, len, notes, noteslen);
	if (buf[0])
		return;
	unsigned char blob[2048];
	size_t blen = sizeof(blob);
	int err = cfg_get_binary(c, "", name, blob, &blen);
	if (err == TSP8_ENOTFOUND)
		return;
	if (err) {
		note(notes, noteslen, "configuration value %s unreadable: %s", name, tsp8_strerror(err));
		return;
	}
	char *plain = NULL;
	err = cred_decrypt(NULL, blob, blen, &plain);
	if (err) {
		note(notes, noteslen, "configuration value %s cannot be decrypted on this machine: %s "
		     "(use %s for clear text)", name, tsp8_strerror(err), name_free);
		return;
	}
	if (strlen(plain) + 1 > len)
		note(notes, noteslen, "configuration value %s is too long, ignored", name);
	else
		snprintf(buf, len, "%s", plain);
	memset(plain, 0, strlen(plain));
	free(plain);
}

uint32_t tsp8_config_trace_level(struct cfg *store)
{
	return store ? cfg_dword_or(store, "", "TraceLevel", TRACE_LEVEL_DEFAULT) : TRACE_LEVEL_DEFAULT;
}

int tsp8_config_read(struct cfg *store, struct tsp8_config *out, char *notes, size_t noteslen)
{
	if (!out)
		return TSP8_EINVAL;
	if (notes && noteslen)
		notes[0] = '\0';
	memset(out, 0, sizeof(*out));
	out->trace_level = TRACE_LEVEL_DEFAULT;
	out->do_trace_file = true;
	out->num_log_files = 24;
	out->line_timeout_s = LINE_TIMEOUT_DEFAULT;
	out->activities_per_cpu = ACTIVITIES_DEFAULT;
	out->slow_soap_call_ms = SLOW_SOAP_DEFAULT_MS;
	out->processor_mask = PROCESSOR_MASK_DEFAULT;
	snprintf(out->pattern, sizeof(out->pattern), "%s", "%C (%x)");
	if (!store)
		return TSP8_OK;

	get_first(store, "FQDN", out->master, sizeof(out->master), notes, noteslen);
	/* the dialog's master is value "0", else the first value; its standby
	 * is the StandbyFQDN value of the same name (parallel lists) */
	char fname[64] = "0";
	char probe[TSP8_CFG_STR];
	if (cfg_get_string(store, "FQDN", "0", probe, sizeof(probe)) == TSP8_ENOTFOUND) {
		fname[0] = '\0';
		cfg_enum(store, "FQDN", first_name, fname);
	}
	out->standby[0] = '\0';
	if (fname[0]) {
		int e = cfg_get_string(store, "StandbyFQDN", fname, out->standby, sizeof(out->standby));
		if (e == TSP8_ELIMIT)
			note(notes, noteslen, "value %s of StandbyFQDN is too long, ignored", fname);
		if (e)
			out->standby[0] = '\0';
	}
	if (out->master[0]) {
		snprintf(out->masters[0].master, sizeof(out->masters[0].master), "%s", out->master);
		snprintf(out->masters[0].standby, sizeof(out->masters[0].standby), "%s", out->standby);
		out->nmasters = 1;
		get_extra_masters(store, out, fname, notes, noteslen);
	}
	get_str(store, "", "TapiUser", out->tapi_user, sizeof(out->tapi_user), notes, noteslen);
	get_secret(store, "admin2", "admin2-free", out->account, sizeof(out->account), notes, noteslen);
	get_secret(store, "admin1", "admin1-free", out->password, sizeof(out->password), notes, noteslen);
	char pattern[TSP8_CFG_STR];
	get_str(store, "", "LineNamePattern", pattern, sizeof(pattern), notes, noteslen);
	if (pattern[0])
		snprintf(out->pattern, sizeof(out->pattern), "%s", pattern);
	get_str(store, "", "LogDir", out->log_dir, sizeof(out->log_dir), notes, noteslen);
	get_str(store, "", "TlsCaFile", out->ca_file, sizeof(out->ca_file), notes, noteslen);

	out->trace_level = tsp8_config_trace_level(store);
	out->do_trace_file = cfg_dword_or(store, "", "DoTraceFile", 1) != 0;
	out->num_log_files = cfg_dword_or(store, "", "NumLogFiles", 24);
	out->keep_log_files = cfg_dword_or(store, "", "KeepLogFiles", 0);
	out->line_timeout_s = cfg_dword_or(store, "", "LineTimeOut", LINE_TIMEOUT_DEFAULT);
	out->tls_insecure = cfg_dword_or(store, "", "TlsInsecure", 0) != 0;
	out->pure_node_extensions = cfg_dword_or(store, "", "PureNodeExtensions", 0) != 0;
	out->ignore_dev_status = cfg_dword_or(store, "", "IgnoreDevStatus", 0) != 0;
	out->no_special_disconnect = cfg_dword_or(store, "", "NoSpecialDisconnect", 0) != 0;
	out->no_slaves = cfg_dword_or(store, "", "NoSlaves", 0) != 0;
	out->map_devices = cfg_dword_or(store, "", "MapDevices", 0) != 0;
	out->map_presence = cfg_dword_or(store, "", "MapPresence", 0) != 0;
	out->use_name_for_device_guid = cfg_dword_or(store, "", "UseNameForDeviceGuid", 0) != 0;
	out->activities_per_cpu = cfg_dword_or(store, "", "ActivitiesPerCpu", ACTIVITIES_DEFAULT);
	out->slow_soap_call_ms = cfg_dword_or(store, "", "SlowSoapCallMs", SLOW_SOAP_DEFAULT_MS);
	if (out->slow_soap_call_ms < 100 || out->slow_soap_call_ms > 600000) {
		note(notes, noteslen, "SlowSoapCallMs %u is out of range (100..600000), using %u",
		     out->slow_soap_call_ms, SLOW_SOAP_DEFAULT_MS);
		out->slow_soap_call_ms = SLOW_SOAP_DEFAULT_MS;
	}
	out->processor_mask = cfg_dword_or(store, "", "ProcessorMask", PROCESSOR_MASK_DEFAULT);
	uint32_t pm;
	/* "if set": only an explicit value pins threads; the default only
	 * sizes the worker pool */
	out->processor_mask_set = cfg_get_dword(store, "", "ProcessorMask", &pm) == TSP8_OK;
	if (out->processor_mask_set && pm == 0) {
		note(notes, noteslen, "ProcessorMask 0 selects no processor, ignored");
		out->processor_mask_set = false;
		out->processor_mask = PROCESSOR_MASK_DEFAULT;
	}
	if (out->activities_per_cpu == 0 || out->activities_per_cpu > 1000) {
		note(notes, noteslen, "ActivitiesPerCpu %u is out of range (1..1000), using %u",
		     out->activities_per_cpu, ACTIVITIES_DEFAULT);
		out->activities_per_cpu = ACTIVITIES_DEFAULT;
	}
	if (out->line_timeout_s > 3600) {
		note(notes, noteslen, "LineTimeOut %u s is too long, using 3600", out->line_timeout_s);
		out->line_timeout_s = 3600;
	}
	return TSP8_OK;
}
