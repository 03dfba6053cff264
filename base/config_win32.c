/* The configuration store of base/config.h on the Windows registry.
 *
 * Every call opens the key it needs and closes it again, so a struct cfg
 * holds no handle and no cached values: it never changes after cfg_open and
 * may be used from any number of threads without a lock.  Reads open keys
 * with KEY_READ only (tapisrv runs as NetworkService, which may read but not
 * write HKLM\SOFTWARE); only cfg_set_* and cfg_delete ask for KEY_SET_VALUE.
 * Each set is written at once, so cfg_commit has nothing to do.
 *
 * KEY_WOW64_64KEY on every open: a 32-bit program (a 32-bit tray tool on
 * 64-bit Windows) sees the same key as the 64-bit provider instead of the
 * WOW6432Node copy.  On 32-bit Windows the flag is ignored.
 *
 * Key choice: cfg_open's path (or $TSP8_CONFIG when path is NULL) may name
 * another key as "HKLM\..." / "HKEY_LOCAL_MACHINE\..." or "HKCU\..." /
 * "HKEY_CURRENT_USER\..." (tests, side-by-side installs); anything else is
 * ignored and the provider key HKLM\CFG_PROVIDER_KEY is used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "base/config.h"
#include "base/error.h"
#include "base/utf16_win32.h"

/* Largest value read: configuration values are short, so a bigger one is
 * treated as too long rather than allocated. */
#define VALUE_MAX (1024u * 1024u)

struct cfg {
	HKEY root;              /* HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER */
	char *key;              /* key below root, UTF-8 */
	char *path;             /* root name + "\" + key, for messages */
};

static const struct {
	const char *prefix;
	HKEY root;
	const char *root_name;
} roots[] = {
	{ "HKLM\\", HKEY_LOCAL_MACHINE, "HKEY_LOCAL_MACHINE" },
	{ "HKEY_LOCAL_MACHINE\\", HKEY_LOCAL_MACHINE, "HKEY_LOCAL_MACHINE" },
	{ "HKCU\\", HKEY_CURRENT_USER, "HKEY_CURRENT_USER" },
	{ "HKEY_CURRENT_USER\\", HKEY_CURRENT_USER, "HKEY_CURRENT_USER" },
};

static int map_reg_error(LSTATUS st)
{
	switch (st) {
	case ERROR_SUCCESS:
		return TSP8_OK;
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
		return TSP8_ENOTFOUND;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		return TSP8_ENOMEM;
	case ERROR_MORE_DATA:
		return TSP8_ELIMIT;
	default:
		return TSP8_EIO;        /* access denied, damaged hive, ... */
	}
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* Index in roots[] of the prefix spec starts with, or -1. */
static int root_of(const char *spec)
{
	size_t i, n;

	for (i = 0; spec && i < sizeof(roots) / sizeof(roots[0]); i++) {
		n = strlen(roots[i].prefix);
		if (_strnicmp(spec, roots[i].prefix, n) == 0 && spec[n] != '\0')
			return (int)i;
	}
	return -1;
}

/* Full wide path of subkey ("" or NULL: the key itself). */
static int sub_path(const struct cfg *c, const char *subkey, wchar_t **out)
{
	size_t n = strlen(c->key) + (subkey ? strlen(subkey) : 0) + 2;
	char *k = malloc(n);
	int rc;

	if (!k)
		return TSP8_ENOMEM;
	if (subkey && *subkey)
		snprintf(k, n, "%s\\%s", c->key, subkey);
	else
		snprintf(k, n, "%s", c->key);
	rc = w32_to_wide(k, out);
	free(k);
	return rc;
}

/* Opens subkey with access (KEY_WOW64_64KEY added); create makes missing
 * keys on the way. */
static int open_sub(const struct cfg *c, const char *subkey, REGSAM access, bool create,
		    HKEY *out)
{
	wchar_t *wkey;
	LSTATUS st;
	int rc = sub_path(c, subkey, &wkey);

	if (rc != TSP8_OK)
		return rc;
	if (create)
		st = RegCreateKeyExW(c->root, wkey, 0, NULL, REG_OPTION_NON_VOLATILE,
				     access | KEY_WOW64_64KEY, NULL, out, NULL);
	else
		st = RegOpenKeyExW(c->root, wkey, 0, access | KEY_WOW64_64KEY, out);
	free(wkey);
	return map_reg_error(st);
}

/* Checks that the key can be read (a missing key is an empty store). */
static int probe(const struct cfg *c, char *errbuf, size_t errlen)
{
	char text[256];
	wchar_t *wkey;
	LSTATUS st;
	HKEY h;
	int rc = sub_path(c, NULL, &wkey);

	if (rc != TSP8_OK)
		return rc;
	st = RegOpenKeyExW(c->root, wkey, 0, KEY_READ | KEY_WOW64_64KEY, &h);
	free(wkey);
	if (st == ERROR_SUCCESS) {
		RegCloseKey(h);
		return TSP8_OK;
	}
	if (st == ERROR_FILE_NOT_FOUND)
		return TSP8_OK;
	if (errbuf && errlen) {
		w32_error_text((unsigned long)st, text, sizeof(text));
		snprintf(errbuf, errlen, "%s: %s", c->path, text);
	}
	return map_reg_error(st);
}

int cfg_open(struct cfg **out, const char *path, char *errbuf, size_t errlen)
{
	struct cfg *c;
	const char *spec = path;
	int r, rc;
	size_t n;

	if (!out)
		return TSP8_EINVAL;
	if (!spec || !*spec)
		spec = getenv("TSP8_CONFIG");
	r = root_of(spec);
	c = calloc(1, sizeof(*c));
	if (!c)
		return TSP8_ENOMEM;
	if (r >= 0) {
		c->root = roots[r].root;
		c->key = dup_str(spec + strlen(roots[r].prefix));
	} else {
		c->root = HKEY_LOCAL_MACHINE;
		c->key = dup_str(CFG_PROVIDER_KEY);
		r = 0;
	}
	if (c->key) {
		/* trailing backslashes would name an empty subkey */
		n = strlen(c->key);
		while (n > 0 && c->key[n - 1] == '\\')
			c->key[--n] = '\0';
		n += strlen(roots[r].root_name) + 2;
		c->path = malloc(n);
		if (c->path)
			snprintf(c->path, n, "%s\\%s", roots[r].root_name, c->key);
	}
	rc = c->key && c->path ? probe(c, errbuf, errlen) : TSP8_ENOMEM;
	if (rc != TSP8_OK) {
		cfg_close(c);
		return rc;
	}
	*out = c;
	return TSP8_OK;
}

void cfg_close(struct cfg *c)
{
	if (!c)
		return;
	free(c->key);
	free(c->path);
	free(c);
}

const char *cfg_path(const struct cfg *c)
{
	return c ? c->path : "";
}

int cfg_reload(struct cfg *c, char *errbuf, size_t errlen)
{
	/* Nothing is cached: every read already sees the registry as it is. */
	if (!c)
		return TSP8_EINVAL;
	return probe(c, errbuf, errlen);
}

/* Reads one value: *data is malloc'd (with two spare NUL bytes, so that
 * strings can always be terminated), *type the registry type. */
static int query_value(HKEY h, const wchar_t *name, DWORD *type, BYTE **data, DWORD *size)
{
	DWORD cap = 0, got;
	BYTE *buf = NULL, *bigger;
	LSTATUS st;

	for (;;) {
		st = RegQueryValueExW(h, name, NULL, type, NULL, &got);
		if (st != ERROR_SUCCESS)
			break;
		if (got > VALUE_MAX) {
			free(buf);
			return TSP8_ELIMIT;
		}
		if (got + 2 > cap) {
			cap = got + 2;
			bigger = realloc(buf, cap);
			if (!bigger) {
				free(buf);
				return TSP8_ENOMEM;
			}
			buf = bigger;
		}
		got = cap - 2;
		st = RegQueryValueExW(h, name, NULL, type, buf, &got);
		if (st != ERROR_MORE_DATA)
			break;          /* it grew in between: ask again */
	}
	if (st != ERROR_SUCCESS) {
		free(buf);
		return map_reg_error(st);
	}
	buf[got] = 0;
	buf[got + 1] = 0;
	*data = buf;
	*size = got;
	return TSP8_OK;
}

/* A REG_SZ's bytes as UTF-8: up to the first NUL (the terminator is
 * optional in the registry), an odd last byte ignored. */
static int sz_to_utf8(const BYTE *data, DWORD size, char **out, size_t *len)
{
	const wchar_t *w = (const wchar_t *)data;
	size_t n = size / sizeof(wchar_t), i;

	for (i = 0; i < n && w[i] != L'\0'; i++)
		;
	return w32_to_utf8(w, i, out, len);
}

static enum cfg_type api_type(DWORD t)
{
	return t == REG_SZ ? CFG_SZ : t == REG_DWORD ? CFG_DWORD
	       : t == REG_BINARY ? CFG_BINARY : (enum cfg_type)0;
}

/* Looks a value up: TSP8_EINVAL when it is of another type than want. */
static int get_value(struct cfg *c, const char *subkey, const char *name,
		     enum cfg_type want, BYTE **data, DWORD *size)
{
	wchar_t *wname;
	DWORD type;
	HKEY h;
	int rc;

	if (!name)
		return TSP8_EINVAL;
	rc = w32_to_wide(name, &wname);
	if (rc != TSP8_OK)
		return rc;
	rc = open_sub(c, subkey, KEY_READ, false, &h);
	if (rc == TSP8_OK) {
		rc = query_value(h, wname, &type, data, size);
		RegCloseKey(h);
		if (rc == TSP8_OK && api_type(type) != want) {
			free(*data);
			rc = TSP8_EINVAL;
		}
	}
	free(wname);
	return rc;
}

int cfg_get_dword(struct cfg *c, const char *subkey, const char *name, uint32_t *out)
{
	BYTE *data;
	DWORD size;
	int rc;

	if (!c || !out)
		return TSP8_EINVAL;
	rc = get_value(c, subkey, name, CFG_DWORD, &data, &size);
	if (rc != TSP8_OK)
		return rc;
	if (size == sizeof(*out))
		memcpy(out, data, sizeof(*out));
	else
		rc = TSP8_EINVAL;       /* a REG_DWORD of the wrong length */
	free(data);
	return rc;
}

int cfg_get_string(struct cfg *c, const char *subkey, const char *name, char *buf, size_t len)
{
	BYTE *data;
	DWORD size;
	char *s;
	size_t slen;
	int rc;

	if (!c || !buf || len == 0)
		return TSP8_EINVAL;
	buf[0] = '\0';
	rc = get_value(c, subkey, name, CFG_SZ, &data, &size);
	if (rc != TSP8_OK)
		return rc;
	rc = sz_to_utf8(data, size, &s, &slen);
	free(data);
	if (rc != TSP8_OK)
		return rc;
	if (slen + 1 > len)
		rc = TSP8_ELIMIT;
	else
		memcpy(buf, s, slen + 1);
	free(s);
	return rc;
}

int cfg_get_binary(struct cfg *c, const char *subkey, const char *name, void *buf, size_t *len)
{
	BYTE *data;
	DWORD size;
	int rc;

	if (!c || !len || (!buf && *len > 0))
		return TSP8_EINVAL;
	rc = get_value(c, subkey, name, CFG_BINARY, &data, &size);
	if (rc != TSP8_OK)
		return rc;
	if (size > *len)
		rc = TSP8_ELIMIT;
	else if (size)
		memcpy(buf, data, size);
	*len = size;
	free(data);
	return rc;
}

uint32_t cfg_dword_or(struct cfg *c, const char *subkey, const char *name, uint32_t def)
{
	uint32_t v;

	return cfg_get_dword(c, subkey, name, &v) == TSP8_OK ? v : def;
}

/* One value copied out of the key, so that the callback runs with the key
 * closed (and may itself change the key). */
struct enum_entry {
	char *name;
	enum cfg_type type;
	void *data;             /* strings: UTF-8, NUL-terminated */
	size_t len;             /* strings: without the NUL */
};

struct enum_snapshot {
	struct enum_entry *v;
	size_t n, cap;
};

static void free_snapshot(struct enum_snapshot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		free(s->v[i].data);
	}
	free(s->v);
}

/* Adds value (wname, type, raw data) to s; other types are skipped. */
static int snapshot_add(struct enum_snapshot *s, const wchar_t *wname, DWORD wlen,
			DWORD type, const BYTE *data, DWORD size)
{
	struct enum_entry e = { NULL, api_type(type), NULL, 0 };
	int rc;

	if (e.type == 0 || (e.type == CFG_DWORD && size != sizeof(uint32_t)))
		return TSP8_OK;         /* invisible, as on POSIX */
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct enum_entry *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return TSP8_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	rc = w32_to_utf8(wname, wlen, &e.name, NULL);
	if (rc != TSP8_OK)
		return rc;
	if (e.type == CFG_SZ) {
		rc = sz_to_utf8(data, size, (char **)&e.data, &e.len);
	} else {
		e.data = malloc(size ? size : 1);
		e.len = size;
		if (e.data && size)
			memcpy(e.data, data, size);
		rc = e.data ? TSP8_OK : TSP8_ENOMEM;
	}
	if (rc != TSP8_OK) {
		free(e.name);
		return rc;
	}
	s->v[s->n++] = e;
	return TSP8_OK;
}

/* Copies every value of the open key h, in the registry's order. */
static int snapshot_key(HKEY h, struct enum_snapshot *s)
{
	DWORD max_name = 0, max_data = 0, i = 0, nlen, dlen, type;
	wchar_t *name = NULL;
	BYTE *data = NULL;
	LSTATUS st;
	int rc = TSP8_OK;

	st = RegQueryInfoKeyW(h, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
			      &max_name, &max_data, NULL, NULL);
	while (st == ERROR_SUCCESS && rc == TSP8_OK) {
		if (max_data > VALUE_MAX) {
			rc = TSP8_ELIMIT;
			break;
		}
		free(name);
		free(data);
		name = malloc(((size_t)max_name + 1) * sizeof(*name));
		data = malloc((size_t)max_data + 2);
		if (!name || !data) {
			rc = TSP8_ENOMEM;
			break;
		}
		for (;;) {
			nlen = max_name + 1;
			dlen = max_data;
			st = RegEnumValueW(h, i, name, &nlen, NULL, &type, data, &dlen);
			if (st != ERROR_SUCCESS)
				break;
			rc = snapshot_add(s, name, nlen, type, data, dlen);
			if (rc != TSP8_OK)
				break;
			i++;
		}
		if (st == ERROR_MORE_DATA)      /* a value grew meanwhile: resize */
			st = RegQueryInfoKeyW(h, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
					      &max_name, &max_data, NULL, NULL);
		else
			break;
	}
	free(name);
	free(data);
	if (rc == TSP8_OK && st != ERROR_SUCCESS && st != ERROR_NO_MORE_ITEMS)
		rc = map_reg_error(st);
	return rc;
}

int cfg_enum(struct cfg *c, const char *subkey, cfg_value_fn *fn, void *arg)
{
	struct enum_snapshot s = { NULL, 0, 0 };
	HKEY h;
	size_t i;
	int rc;

	if (!c || !fn)
		return TSP8_EINVAL;
	rc = open_sub(c, subkey, KEY_READ, false, &h);
	if (rc == TSP8_ENOTFOUND)
		return TSP8_OK;         /* no key: no values */
	if (rc != TSP8_OK)
		return rc;
	rc = snapshot_key(h, &s);
	RegCloseKey(h);
	for (i = 0; rc == TSP8_OK && i < s.n; i++)
		rc = fn(arg, s.v[i].name, s.v[i].type, s.v[i].data, s.v[i].len);
	free_snapshot(&s);
	return rc;
}

/* Writes one value, creating the key when needed. */
static int set_value(struct cfg *c, const char *subkey, const char *name, DWORD type,
		     const void *data, size_t len)
{
	wchar_t *wname;
	LSTATUS st;
	HKEY h;
	int rc;

	if (!c || !name || (!data && len > 0))
		return TSP8_EINVAL;
	if (len > VALUE_MAX)
		return TSP8_ELIMIT;
	rc = w32_to_wide(name, &wname);
	if (rc != TSP8_OK)
		return rc;
	rc = open_sub(c, subkey, KEY_SET_VALUE, true, &h);
	if (rc == TSP8_OK) {
		st = RegSetValueExW(h, wname, 0, type, (const BYTE *)data, (DWORD)len);
		rc = map_reg_error(st);
		RegCloseKey(h);
	}
	free(wname);
	return rc;
}

int cfg_set_dword(struct cfg *c, const char *subkey, const char *name, uint32_t v)
{
	DWORD d = v;

	return set_value(c, subkey, name, REG_DWORD, &d, sizeof(d));
}

int cfg_set_string(struct cfg *c, const char *subkey, const char *name, const char *v)
{
	wchar_t *w;
	int rc;

	if (!v)
		return TSP8_EINVAL;
	rc = w32_to_wide(v, &w);
	if (rc != TSP8_OK)
		return rc;
	/* REG_SZ data includes its terminating NUL. */
	rc = set_value(c, subkey, name, REG_SZ, w, (wcslen(w) + 1) * sizeof(*w));
	free(w);
	return rc;
}

int cfg_set_binary(struct cfg *c, const char *subkey, const char *name, const void *v, size_t len)
{
	return set_value(c, subkey, name, REG_BINARY, v, len);
}

int cfg_delete(struct cfg *c, const char *subkey, const char *name)
{
	wchar_t *wname;
	HKEY h;
	int rc;

	if (!c || !name)
		return TSP8_EINVAL;
	rc = w32_to_wide(name, &wname);
	if (rc != TSP8_OK)
		return rc;
	rc = open_sub(c, subkey, KEY_SET_VALUE, false, &h);
	if (rc == TSP8_OK) {
		rc = map_reg_error(RegDeleteValueW(h, wname));
		RegCloseKey(h);
	}
	free(wname);
	return rc;
}

int cfg_commit(struct cfg *c)
{
	/* Each cfg_set_* and cfg_delete reached the registry already. */
	return c ? TSP8_OK : TSP8_EINVAL;
}
