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
	snprintf(out->pattern, sizeof(out->pattern), "%s", "%C (%x)");
	if (!store)
		return TSP8_OK;

	get_first(store, "FQDN", out->master, sizeof(out->master), notes, noteslen);
	get_first(store, "StandbyFQDN", out->standby, sizeof(out->standby), notes, noteslen);
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
	if (out->line_timeout_s > 3600) {
		note(notes, noteslen, "LineTimeOut %u s is too long, using 3600", out->line_timeout_s);
		out->line_timeout_s = 3600;
	}
	return TSP8_OK;
}
