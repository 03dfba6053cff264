/* Configuration store: the provider's registry key.
 *
 * Windows: HKLM\SOFTWARE\innovaphone\innovaphone® PBX V8 TAPI Service Provider
 * and its subkeys.  POSIX: a text file in REGEDIT4 syntax holding the same key
 * path (default /etc/tsp8/tsp8.reg, or $TSP8_CONFIG).
 *
 * Subkeys are named relative to the provider key: "" (the key itself),
 * "FQDN", "StandbyFQDN", "lineGUIDs".  Value names are case-insensitive, as
 * in the registry.  Strings are UTF-8 in this API.
 *
 * POSIX writes: cfg_set_* change the in-memory copy; cfg_commit() rewrites
 * the whole file atomically (temp file + rename), re-reading it first so that
 * values written by someone else (tsptray) are not lost.  Commits of several
 * processes are serialised by an exclusive flock() on "<file>.lock", which
 * stays beside the file.
 *
 * Windows: path (or $TSP8_CONFIG) may name another key as "HKLM\..." or
 * "HKCU\..." (also spelt HKEY_LOCAL_MACHINE\ / HKEY_CURRENT_USER\); any other
 * path is ignored.  Reads need only read access to the key.
 */
#ifndef TSP8_BASE_CONFIG_H
#define TSP8_BASE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFG_PROVIDER_KEY \
	"SOFTWARE\\innovaphone\\innovaphone\xc2\xae PBX V8 TAPI Service Provider"
#define CFG_DEFAULT_PATH "/etc/tsp8/tsp8.reg"

enum cfg_type { CFG_SZ = 1, CFG_DWORD = 4, CFG_BINARY = 3 };

struct cfg;

/* Opens the store.  path: POSIX file path, or NULL for $TSP8_CONFIG or
 * CFG_DEFAULT_PATH; on Windows ignored unless it names a registry key (see
 * above).  A missing file (key) is an empty store, not an error; a file with
 * syntax errors fails with TSP8_ESYNTAX and errbuf (if given) says which
 * line. */
int  cfg_open(struct cfg **out, const char *path, char *errbuf, size_t errlen);
void cfg_close(struct cfg *c);
/* Path of the backing file (POSIX) or key (Windows), for messages. */
const char *cfg_path(const struct cfg *c);
/* Re-reads the backing store (TraceLevel polling, reload on request). */
int  cfg_reload(struct cfg *c, char *errbuf, size_t errlen);

int cfg_get_dword(struct cfg *c, const char *subkey, const char *name, uint32_t *out);
/* Copies a REG_SZ value; TSP8_ENOTFOUND if absent, TSP8_ELIMIT if too long. */
int cfg_get_string(struct cfg *c, const char *subkey, const char *name, char *buf, size_t len);
/* *len in: buffer size, out: value size. */
int cfg_get_binary(struct cfg *c, const char *subkey, const char *name, void *buf, size_t *len);
/* Convenience: dword value or def when absent/invalid. */
uint32_t cfg_dword_or(struct cfg *c, const char *subkey, const char *name, uint32_t def);

/* Calls fn for each value of subkey in file/registry order; stops when fn
 * returns non-zero (that value is returned). */
typedef int (cfg_value_fn)(void *arg, const char *name, enum cfg_type type,
			   const void *data, size_t len);
int cfg_enum(struct cfg *c, const char *subkey, cfg_value_fn *fn, void *arg);

int cfg_set_dword(struct cfg *c, const char *subkey, const char *name, uint32_t v);
int cfg_set_string(struct cfg *c, const char *subkey, const char *name, const char *v);
int cfg_set_binary(struct cfg *c, const char *subkey, const char *name, const void *v, size_t len);
int cfg_delete(struct cfg *c, const char *subkey, const char *name);
/* Persists pending changes atomically (no-op on Windows, where each set is
 * written immediately). */
int cfg_commit(struct cfg *c);

#endif
