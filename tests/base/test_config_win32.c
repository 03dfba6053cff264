/* The configuration store (base/config.h) on the Windows registry: round
 * trips through the API, the raw registry data behind it (UTF-16 REG_SZ,
 * REG_DWORD, REG_BINARY), enumeration, key selection.  Each test works on a
 * key of its own, removed afterwards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <windows.h>
#include <sddl.h>

#include "base/config.h"
#include "base/error.h"
#include "test_util.h"

#define REG_MARK "innovaphone\xc2\xae \xe2\x82\xac"     /* "innovaphone® €" */
#define REG_MARK_W L"innovaphone\x00ae \x20ac"

struct fixture {
	HKEY root;
	wchar_t wkey[128];      /* key below root */
	char spec[160];         /* the same as cfg_open path */
};

static int setup_in(void **state, HKEY root, const char *root_name)
{
	static const char base[] = "Software\\tsp8-test";
	struct fixture *f = calloc(1, sizeof(*f));
	LARGE_INTEGER stamp;

	if (!f)
		return -1;
	QueryPerformanceCounter(&stamp);
	f->root = root;
	snprintf(f->spec, sizeof(f->spec), "%s\\%s\\%lu-%llx", root_name, base, tu_getpid(),
		 (unsigned long long)stamp.QuadPart);
	MultiByteToWideChar(CP_UTF8, 0, strchr(f->spec, '\\') + 1, -1, f->wkey,
			    sizeof(f->wkey) / sizeof(f->wkey[0]));
	*state = f;
	return 0;
}

static int setup_hkcu(void **state)
{
	return setup_in(state, HKEY_CURRENT_USER, "HKCU");
}

static int setup_hklm(void **state)
{
	return setup_in(state, HKEY_LOCAL_MACHINE, "HKEY_LOCAL_MACHINE");
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	RegDeleteTreeW(f->root, f->wkey);
	free(f);
	return 0;
}

static struct cfg *open_ok(const char *spec)
{
	struct cfg *c = NULL;
	char err[256] = "";
	int rc = cfg_open(&c, spec, err, sizeof(err));

	if (rc != TSP8_OK)
		fail_msg("cfg_open(%s): %s (%s)", spec ? spec : "NULL", tsp8_strerror(rc), err);
	return c;
}

/* Reads a value straight from the registry, bypassing base/. */
static LSTATUS raw_get(const struct fixture *f, const wchar_t *sub, const wchar_t *name,
		       DWORD *type, void *buf, DWORD *len)
{
	wchar_t path[256];

	if (sub)
		_snwprintf(path, 256, L"%ls\\%ls", f->wkey, sub);
	else
		_snwprintf(path, 256, L"%ls", f->wkey);
	path[255] = L'\0';
	return RegGetValueW(f->root, path, name, RRF_RT_ANY | RRF_NOEXPAND, type, buf, len);
}

static LSTATUS raw_set(const struct fixture *f, const wchar_t *sub, const wchar_t *name,
		       DWORD type, const void *data, DWORD len)
{
	wchar_t path[256];
	HKEY h;
	LSTATUS st;

	_snwprintf(path, 256, L"%ls\\%ls", f->wkey, sub);
	path[255] = L'\0';
	st = RegCreateKeyExW(f->root, path, 0, NULL, 0, KEY_SET_VALUE, NULL, &h, NULL);
	if (st != ERROR_SUCCESS)
		return st;
	st = RegSetValueExW(h, name, 0, type, data, len);
	RegCloseKey(h);
	return st;
}

static void test_default_key(void **state)
{
	struct cfg *c;

	(void)state;
	tu_unsetenv("TSP8_CONFIG");
	c = open_ok(NULL);
	assert_string_equal(cfg_path(c), "HKEY_LOCAL_MACHINE\\" CFG_PROVIDER_KEY);
	cfg_close(c);
	/* a file path means nothing on Windows */
	c = open_ok("/etc/tsp8/tsp8.reg");
	assert_string_equal(cfg_path(c), "HKEY_LOCAL_MACHINE\\" CFG_PROVIDER_KEY);
	cfg_close(c);
	assert_int_equal(cfg_open(NULL, NULL, NULL, 0), TSP8_EINVAL);
	assert_string_equal(cfg_path(NULL), "");
}

static void test_missing_key_is_empty(void **state)
{
	struct fixture *f = *state;
	struct cfg *c = open_ok(f->spec);
	unsigned char b[4];
	size_t len = sizeof(b);
	uint32_t v;
	char s[8];

	assert_int_equal(cfg_get_dword(c, "", "TraceLevel", &v), TSP8_ENOTFOUND);
	assert_int_equal(cfg_get_string(c, "FQDN", "0", s, sizeof(s)), TSP8_ENOTFOUND);
	assert_string_equal(s, "");
	assert_int_equal(cfg_get_binary(c, "", "admin1", b, &len), TSP8_ENOTFOUND);
	assert_int_equal(cfg_dword_or(c, NULL, "LineTimeOut", 90), 90);
	assert_int_equal(cfg_delete(c, "", "TraceLevel"), TSP8_ENOTFOUND);
	assert_int_equal(cfg_commit(c), TSP8_OK);
	assert_int_equal(cfg_reload(c, NULL, 0), TSP8_OK);
	cfg_close(c);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct cfg *c = open_ok(f->spec), *c2;
	unsigned char bin[3] = { 1, 0, 3 }, got[8];
	wchar_t ws[64];
	DWORD type, dw, len;
	size_t blen;
	uint32_t v;
	char s[64];

	assert_int_equal(cfg_set_string(c, "", "TapiUser", REG_MARK), TSP8_OK);
	assert_int_equal(cfg_set_dword(c, "", "TraceLevel", 0x92200580u), TSP8_OK);
	assert_int_equal(cfg_set_binary(c, "", "admin1", bin, sizeof(bin)), TSP8_OK);
	assert_int_equal(cfg_set_string(c, "FQDN", "0", "https://master.example.com"), TSP8_OK);
	assert_int_equal(cfg_set_dword(c, "lineGUIDs", "{1234}", 0x10001), TSP8_OK);
	assert_int_equal(cfg_set_string(c, "", "Empty", ""), TSP8_OK);
	assert_int_equal(cfg_commit(c), TSP8_OK);

	/* what landed in the registry, read without base/ */
	len = sizeof(ws);
	assert_int_equal(raw_get(f, NULL, L"TapiUser", &type, ws, &len), ERROR_SUCCESS);
	assert_int_equal(type, REG_SZ);
	assert_true(wcscmp(ws, REG_MARK_W) == 0);
	assert_int_equal(len, (wcslen(REG_MARK_W) + 1) * sizeof(wchar_t));
	len = sizeof(dw);
	assert_int_equal(raw_get(f, NULL, L"tracelevel", &type, &dw, &len), ERROR_SUCCESS);
	assert_int_equal(type, REG_DWORD);
	assert_int_equal(dw, 0x92200580u);
	len = sizeof(got);
	assert_int_equal(raw_get(f, NULL, L"admin1", &type, got, &len), ERROR_SUCCESS);
	assert_int_equal(type, REG_BINARY);
	assert_int_equal(len, 3);
	assert_memory_equal(got, bin, 3);
	len = sizeof(dw);
	assert_int_equal(raw_get(f, L"lineGUIDs", L"{1234}", &type, &dw, &len), ERROR_SUCCESS);
	assert_int_equal(dw, 0x10001);

	/* a second handle sees it all at once: no commit, no reload needed */
	c2 = open_ok(f->spec);
	assert_int_equal(cfg_get_string(c2, NULL, "tapiuser", s, sizeof(s)), TSP8_OK);
	assert_string_equal(s, REG_MARK);
	assert_int_equal(cfg_get_string(c2, "", "Empty", s, sizeof(s)), TSP8_OK);
	assert_string_equal(s, "");
	assert_int_equal(cfg_dword_or(c2, "", "TraceLevel", 0), 0x92200580u);
	blen = sizeof(got);
	assert_int_equal(cfg_get_binary(c2, "", "ADMIN1", got, &blen), TSP8_OK);
	assert_int_equal(blen, 3);
	assert_memory_equal(got, bin, 3);
	assert_int_equal(cfg_get_string(c2, "fqdn", "0", s, sizeof(s)), TSP8_OK);
	assert_string_equal(s, "https://master.example.com");

	/* wrong type, short buffers */
	assert_int_equal(cfg_get_dword(c2, "", "TapiUser", &v), TSP8_EINVAL);
	assert_int_equal(cfg_dword_or(c2, "", "TapiUser", 5), 5);
	assert_int_equal(cfg_get_string(c2, "", "TraceLevel", s, sizeof(s)), TSP8_EINVAL);
	assert_int_equal(cfg_get_string(c2, "", "TapiUser", s, strlen(REG_MARK)), TSP8_ELIMIT);
	assert_string_equal(s, "");
	assert_int_equal(cfg_get_string(c2, "", "TapiUser", s, strlen(REG_MARK) + 1), TSP8_OK);
	blen = 2;
	assert_int_equal(cfg_get_binary(c2, "", "admin1", got, &blen), TSP8_ELIMIT);
	assert_int_equal(blen, 3);
	blen = 0;
	assert_int_equal(cfg_get_binary(c2, "", "admin1", NULL, &blen), TSP8_ELIMIT);
	assert_int_equal(blen, 3);

	/* overwrite and delete */
	assert_int_equal(cfg_set_dword(c, "", "TRACELEVEL", 0x04000400), TSP8_OK);
	assert_int_equal(cfg_dword_or(c2, "", "TraceLevel", 0), 0x04000400);
	assert_int_equal(cfg_delete(c, "", "admin1"), TSP8_OK);
	assert_int_equal(cfg_delete(c, "", "admin1"), TSP8_ENOTFOUND);
	blen = sizeof(got);
	assert_int_equal(cfg_get_binary(c2, "", "admin1", got, &blen), TSP8_ENOTFOUND);
	assert_int_equal(raw_get(f, NULL, L"admin1", &type, got, &len), ERROR_FILE_NOT_FOUND);
	cfg_close(c2);
	cfg_close(c);
}

struct seen {
	char list[512];
	int stop_at, calls;
	int terminated;         /* strings arrived NUL-terminated at len */
};

static int collect(void *arg, const char *name, enum cfg_type type, const void *data, size_t len)
{
	struct seen *s = arg;
	char item[96];

	if (type == CFG_SZ) {
		snprintf(item, sizeof(item), "%s=%s;", name, (const char *)data);
		if (((const char *)data)[len] == '\0' && strlen(data) == len)
			s->terminated++;
	} else if (type == CFG_DWORD) {
		uint32_t v;

		memcpy(&v, data, sizeof(v));
		snprintf(item, sizeof(item), "%s=#%u/%u;", name, (unsigned)v, (unsigned)len);
	} else {
		snprintf(item, sizeof(item), "%s=bin%u;", name, (unsigned)len);
	}
	strcat(s->list, item);
	return ++s->calls == s->stop_at ? 7 : 0;
}

static int collect_count(void *arg, const char *name, enum cfg_type type,
			 const void *data, size_t len)
{
	(void)name;
	(void)type;
	(void)data;
	(void)len;
	++*(int *)arg;
	return 0;
}

static void test_enum(void **state)
{
	struct fixture *f = *state;
	static const wchar_t unterminated[] = { L'x', L'y' };
	static const wchar_t expand[] = L"%SystemRoot%";
	struct cfg *c = open_ok(f->spec);
	struct seen s;
	unsigned char b[2] = { 0xab, 0xcd };

	assert_int_equal(cfg_set_string(c, "FQDN", "0", "a"), TSP8_OK);
	assert_int_equal(cfg_set_string(c, "FQDN", "1", REG_MARK), TSP8_OK);
	assert_int_equal(cfg_set_dword(c, "FQDN", "2", 1), TSP8_OK);
	assert_int_equal(cfg_set_binary(c, "FQDN", "3", b, sizeof(b)), TSP8_OK);
	/* written by other tools: a REG_SZ without terminator is read as
	 * written; a REG_EXPAND_SZ cannot be expressed and stays invisible */
	assert_int_equal(raw_set(f, L"FQDN", L"4", REG_SZ, unterminated, sizeof(unterminated)),
			 ERROR_SUCCESS);
	assert_int_equal(raw_set(f, L"FQDN", L"5", REG_EXPAND_SZ, expand, sizeof(expand)),
			 ERROR_SUCCESS);

	memset(&s, 0, sizeof(s));
	assert_int_equal(cfg_enum(c, "FQDN", collect, &s), 0);
	assert_string_equal(s.list, "0=a;1=" REG_MARK ";2=#1/4;3=bin2;4=xy;");
	assert_int_equal(s.terminated, 3);
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	assert_int_equal(cfg_enum(c, "FQDN", collect, &s), 7);
	assert_string_equal(s.list, "0=a;1=" REG_MARK ";");
	memset(&s, 0, sizeof(s));
	assert_int_equal(cfg_enum(c, "StandbyFQDN", collect, &s), 0);
	assert_int_equal(s.calls, 0);
	/* lookups of the invisible type fail as a type mismatch */
	{
		char buf[32];

		assert_int_equal(cfg_get_string(c, "FQDN", "4", buf, sizeof(buf)), TSP8_OK);
		assert_string_equal(buf, "xy");
		assert_int_equal(cfg_get_string(c, "FQDN", "5", buf, sizeof(buf)), TSP8_EINVAL);
	}
	assert_int_equal(cfg_enum(c, "FQDN", NULL, NULL), TSP8_EINVAL);
	cfg_close(c);
}

static void test_env_and_bad_input(void **state)
{
	struct fixture *f = *state;
	struct cfg *c;
	char s[8];

	tu_setenv("TSP8_CONFIG", f->spec);
	c = open_ok(NULL);
	assert_string_equal(strchr(cfg_path(c), '\\') + 1, strchr(f->spec, '\\') + 1);
	assert_int_equal(cfg_set_string(c, "", "via-env", "1"), TSP8_OK);
	cfg_close(c);
	tu_unsetenv("TSP8_CONFIG");
	c = open_ok(f->spec);
	assert_int_equal(cfg_get_string(c, "", "via-env", s, sizeof(s)), TSP8_OK);
	assert_string_equal(s, "1");
	/* not UTF-8: refused, never turned into another name */
	assert_int_equal(cfg_set_string(c, "", "bad\xff", "x"), TSP8_EINVAL);
	assert_int_equal(cfg_set_string(c, "", "x", "bad\xc3"), TSP8_EINVAL);
	assert_int_equal(cfg_set_string(c, "", NULL, "x"), TSP8_EINVAL);
	assert_int_equal(cfg_set_string(c, "", "x", NULL), TSP8_EINVAL);
	assert_int_equal(cfg_set_binary(c, "", "x", NULL, 1), TSP8_EINVAL);
	assert_int_equal(cfg_get_string(c, "", "via-env", s, 0), TSP8_EINVAL);
	cfg_close(c);
}

/* Puts a DACL given in SDDL on the test key itself. */
static void set_key_dacl(const struct fixture *f, const wchar_t *sddl)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	HKEY h;

	assert_true(ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1,
									   &sd, NULL));
	/* the owner may always change the DACL, whatever it says */
	assert_int_equal(RegOpenKeyExW(f->root, f->wkey, 0, WRITE_DAC, &h), ERROR_SUCCESS);
	assert_int_equal(RegSetKeySecurity(h, DACL_SECURITY_INFORMATION, sd), ERROR_SUCCESS);
	RegCloseKey(h);
	LocalFree(sd);
}

/* Reads need read access only (tapisrv runs as NetworkService, which may
 * read but not write HKLM\SOFTWARE); refused writes are errors. */
static void test_read_only_key(void **state)
{
	struct fixture *f = *state;
	struct cfg *c = open_ok(f->spec);
	char s[8];
	int n = 0;
	HKEY h;

	assert_int_equal(cfg_set_dword(c, "", "TraceLevel", 7), TSP8_OK);
	assert_int_equal(cfg_set_string(c, "", "TapiUser", "u"), TSP8_OK);
	/* everyone (this user too) may read, nobody may write */
	set_key_dacl(f, L"D:P(A;;KR;;;WD)");
	/* the system really refuses writes now... */
	assert_int_equal(RegOpenKeyExW(f->root, f->wkey, 0, KEY_SET_VALUE, &h),
			 ERROR_ACCESS_DENIED);
	/* ...and the store still reads */
	cfg_close(c);
	c = open_ok(f->spec);
	assert_int_equal(cfg_reload(c, NULL, 0), TSP8_OK);
	assert_int_equal(cfg_dword_or(c, "", "TraceLevel", 0), 7);
	assert_int_equal(cfg_get_string(c, "", "TapiUser", s, sizeof(s)), TSP8_OK);
	assert_string_equal(s, "u");
	assert_int_equal(cfg_enum(c, "", collect_count, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cfg_set_dword(c, "", "TraceLevel", 8), TSP8_EIO);
	assert_int_equal(cfg_set_string(c, "", "TapiUser", "v"), TSP8_EIO);
	assert_int_equal(cfg_delete(c, "", "TraceLevel"), TSP8_EIO);
	assert_int_equal(cfg_dword_or(c, "", "TraceLevel", 0), 7);
	cfg_close(c);
	/* give write access back so that teardown can remove the key */
	set_key_dacl(f, L"D:P(A;OICI;KA;;;WD)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_key),
		cmocka_unit_test_setup_teardown(test_missing_key_is_empty, setup_hkcu, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup_hklm, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup_hkcu, teardown),
		cmocka_unit_test_setup_teardown(test_enum, setup_hkcu, teardown),
		cmocka_unit_test_setup_teardown(test_env_and_bad_input, setup_hkcu, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_key, setup_hklm, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
