/* Windows details of base/platform.h beyond the portable test_platform.c:
 * UTF-16 conversion failures, replacing a file others hold open, the
 * per-thread loader message, thread names, timed waits never ending
 * early, private files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <windows.h>
#include <aclapi.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/platform_priv.h"
#include "test_util.h"

static void test_bad_utf8(void **state)
{
	plat_dl *dl;
	char *data;

	(void)state;
	/* refused, never turned into some other file name */
	assert_int_equal(plat_write_file_atomic("bad-\xff\xfe.txt", "x", 1), TSP8_EINVAL);
	assert_int_equal(plat_read_file("bad-\xc3", &data, NULL), TSP8_EINVAL);
	assert_int_equal(plat_dl_open(&dl, "bad\xff.dll"), TSP8_EINVAL);
	assert_null(plat_fopen("bad\xff", "r"));
	assert_int_equal(plat_remove("bad\xff"), TSP8_EINVAL);
}

/* Closes the handle after a pause: a reader (virus scanner, editor)
 * that holds the target open for a moment. */
static void close_later(void *arg)
{
	plat_sleep_ms(100);
	CloseHandle((HANDLE)arg);
}

/* A replace waits out a reader that holds the file open for a moment,
 * instead of failing at once (Windows cannot rename over an open file). */
static void test_replace_while_open(void **state)
{
	char *dir = tu_mkdtemp(), *path, *data;
	plat_thread *t;
	HANDLE h;

	(void)state;
	path = tu_path(dir, "cfg.txt");
	assert_int_equal(plat_write_file_atomic(path, "old", 3), TSP8_OK);
	h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
			NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
	assert_true(h != INVALID_HANDLE_VALUE);
	assert_int_equal(plat_thread_start(&t, close_later, h, "reader"), TSP8_OK);
	assert_int_equal(plat_write_file_atomic(path, "new!", 4), TSP8_OK);
	plat_thread_join(t);
	assert_int_equal(plat_read_file(path, &data, NULL), TSP8_OK);
	assert_string_equal(data, "new!");
	free(data);
	assert_int_equal(tu_count_files(dir, NULL, NULL), 1);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

/* SID of the account running the test; LocalFree'd by the caller. */
static PSID my_sid(void)
{
	union {
		TOKEN_USER user;
		BYTE raw[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
	} info;
	HANDLE token;
	DWORD n;
	PSID copy;

	assert_true(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
	assert_true(GetTokenInformation(token, TokenUser, &info, sizeof(info), &n));
	CloseHandle(token);
	n = GetLengthSid(info.user.User.Sid);
	copy = LocalAlloc(LMEM_FIXED, n);
	assert_non_null(copy);
	assert_true(CopySid(n, copy, info.user.User.Sid));
	return copy;
}

/* owner_only files carry a DACL that allows this account and SYSTEM and
 * nobody else (no Everyone, no Users from the directory). */
static void test_private_file_acl(void **state)
{
	char *dir = tu_mkdtemp(), *path;
	PSECURITY_DESCRIPTOR sd = NULL;
	PACL dacl = NULL;
	ACL_SIZE_INFORMATION info;
	ACCESS_ALLOWED_ACE *ace;
	PSID me = my_sid(), sid;
	DWORD i;

	(void)state;
	path = tu_path(dir, "tsp8.key");
	assert_int_equal(plat_create_file_exclusive(path, "k", 1, true), TSP8_OK);
	assert_int_equal(GetNamedSecurityInfoA(path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION,
					       NULL, NULL, &dacl, NULL, &sd), ERROR_SUCCESS);
	assert_non_null(dacl);
	assert_true(GetAclInformation(dacl, &info, sizeof(info), AclSizeInformation));
	assert_true(info.AceCount >= 1 && info.AceCount <= 2);
	for (i = 0; i < info.AceCount; i++) {
		assert_true(GetAce(dacl, i, (void **)&ace));
		assert_int_equal(ace->Header.AceType, ACCESS_ALLOWED_ACE_TYPE);
		sid = (PSID)&ace->SidStart;
		assert_true(EqualSid(sid, me) || IsWellKnownSid(sid, WinLocalSystemSid));
	}
	LocalFree(sd);
	LocalFree(me);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

struct dl_box {
	char seen[256];
};

static void read_dl_error(void *arg)
{
	struct dl_box *b = arg;

	snprintf(b->seen, sizeof(b->seen), "%s", plat_dl_error());
}

static void test_dl_error_per_thread(void **state)
{
	struct dl_box b;
	plat_thread *t;
	plat_dl *dl;
	char sysdir[MAX_PATH], path[MAX_PATH + 32];

	(void)state;
	assert_int_equal(plat_dl_open(&dl, "C:\\nonexistent\\tsp8-none.tsp"), TSP8_ENOTFOUND);
	assert_non_null(strstr(plat_dl_error(), "tsp8-none.tsp"));
	/* another thread has its own (empty) message */
	assert_int_equal(plat_thread_start(&t, read_dl_error, &b, "dl"), TSP8_OK);
	plat_thread_join(t);
	assert_null(strstr(b.seen, "tsp8-none"));
	/* an absolute path loads with the DLL's own directory searched */
	assert_true(GetSystemDirectoryA(sysdir, sizeof(sysdir)) > 0);
	snprintf(path, sizeof(path), "%s\\kernel32.dll", sysdir);
	assert_int_equal(plat_dl_open(&dl, path), TSP8_OK);
	assert_null(plat_dl_sym(dl, "TSPI_lineOpen"));
	assert_non_null(strstr(plat_dl_error(), "TSPI_lineOpen"));
	plat_dl_close(dl);
}

typedef HRESULT (WINAPI *get_description_fn)(HANDLE, PWSTR *);

struct name_box {
	wchar_t name[64];
	int known;              /* GetThreadDescription exists here */
};

static void read_name(void *arg)
{
	struct name_box *b = arg;
	get_description_fn get = (get_description_fn)(void (*)(void))GetProcAddress(
		GetModuleHandleW(L"kernel32.dll"), "GetThreadDescription");
	PWSTR desc = NULL;

	if (!get)
		get = (get_description_fn)(void (*)(void))GetProcAddress(
			GetModuleHandleW(L"kernelbase.dll"), "GetThreadDescription");
	if (!get || FAILED(get(GetCurrentThread(), &desc)))
		return;
	b->known = 1;
	wcsncpy(b->name, desc, 63);
	LocalFree(desc);
}

static void test_thread_name(void **state)
{
	struct name_box b = { L"", 0 };
	plat_thread *t;

	(void)state;
	assert_int_equal(plat_thread_start(&t, read_name, &b, "tsp8-w\xc3\xb6rker"), TSP8_OK);
	plat_thread_join(t);
	if (!b.known) {
		print_message("skipped: GetThreadDescription missing on this system\n");
		skip();
	}
	assert_true(wcscmp(b.name, L"tsp8-w\x00f6rker") == 0);
}

/* The kernel counts timeouts in clock ticks; plat_cond_timedwait must
 * still not report a timeout before the full time has passed. */
static void test_timedwait_never_early(void **state)
{
	plat_mutex m;
	plat_cond c;
	uint64_t t0, dt;
	int i, rc;

	(void)state;
	assert_int_equal(plat_mutex_init(&m), TSP8_OK);
	assert_int_equal(plat_cond_init(&c), TSP8_OK);
	plat_mutex_lock(&m);
	for (i = 0; i < 20; i++) {
		t0 = plat_now_ms();
		rc = plat_cond_timedwait(&c, &m, 7);
		dt = plat_now_ms() - t0;
		if (rc == TSP8_ETIMEOUT)
			assert_true(dt >= 7);
	}
	plat_mutex_unlock(&m);
	plat_cond_destroy(&c);
	plat_mutex_destroy(&m);
}

static void test_clocks(void **state)
{
	uint64_t a = plat_now_ms(), b;
	FILETIME ft;
	uint64_t wall = plat_wallclock_ms(), sys;

	(void)state;
	b = plat_now_ms();
	assert_true(b >= a);
	GetSystemTimeAsFileTime(&ft);
	sys = ((((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime) -
	       UINT64_C(116444736000000000)) / 10000u;
	assert_true(sys >= wall && sys - wall < 1000);
	assert_true(plat_cpu_count(0) >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_replace_while_open),
		cmocka_unit_test(test_private_file_acl),
		cmocka_unit_test(test_dl_error_per_thread),
		cmocka_unit_test(test_thread_name),
		cmocka_unit_test(test_timedwait_never_early),
		cmocka_unit_test(test_clocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
