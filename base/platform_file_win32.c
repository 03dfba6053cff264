/* Windows implementation of the file, shared library and executable path
 * parts of base/platform.h and base/platform_priv.h.  Paths are UTF-8 in
 * the API and converted to UTF-16 for the wide Win32 functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <sddl.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/platform_priv.h"
#include "base/utf16_win32.h"

/* Biggest file plat_read_file accepts: configuration and key files are
 * tiny, so anything this large is a mistake, not data. */
#define READ_FILE_MAX (64u * 1024u * 1024u)

/* Owner and SYSTEM get full access, nobody else anything; "P" stops the
 * directory's inherited entries from being added.  %ls: the SID of the
 * account creating the file. */
#define OWNER_ONLY_SDDL L"D:P(A;;FA;;;%ls)(A;;FA;;;SY)"

/* How often a replace is retried while another program (a virus scanner,
 * an editor) briefly holds the target open without delete sharing. */
#define REPLACE_TRIES 20
#define REPLACE_PAUSE_MS 25

struct plat_dl {
	HMODULE module;
};

/* Loader message of the last plat_dl_* failure of each thread.  The one
 * mutable static of base/: thread-local, as dlerror() is on POSIX. */
static _Thread_local char dl_error_text[512];

static int map_open_error(DWORD err)
{
	switch (err) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
	case ERROR_INVALID_NAME:
	case ERROR_BAD_NETPATH:
		return TSP8_ENOTFOUND;
	case ERROR_NOT_ENOUGH_MEMORY:
	case ERROR_OUTOFMEMORY:
		return TSP8_ENOMEM;
	default:
		return TSP8_EIO;
	}
}

static int write_all(HANDLE h, const void *data, size_t len)
{
	const unsigned char *p = data;
	DWORD chunk, done;

	while (len > 0) {
		chunk = len > 0x40000000u ? 0x40000000u : (DWORD)len;
		if (!WriteFile(h, p, chunk, &done, NULL) || done == 0)
			return TSP8_EIO;
		p += done;
		len -= done;
	}
	return TSP8_OK;
}

/* A security descriptor that lets only the calling account (the thread's
 * impersonation token if any, else the process's) and SYSTEM open a file.
 * *sd is LocalAlloc'd. */
static int owner_only_sd(PSECURITY_DESCRIPTOR *sd)
{
	union {                 /* TOKEN_USER plus room for its SID */
		TOKEN_USER user;
		BYTE raw[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
	} info;
	wchar_t *sid = NULL, sddl[256];
	HANDLE token;
	DWORD n;
	BOOL ok;

	if (!OpenThreadToken(GetCurrentThread(), TOKEN_QUERY, TRUE, &token) &&
	    !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
		return TSP8_EIO;
	ok = GetTokenInformation(token, TokenUser, &info, sizeof(info), &n) &&
	     ConvertSidToStringSidW(info.user.User.Sid, &sid);
	CloseHandle(token);
	if (!ok)
		return TSP8_EIO;
	_snwprintf(sddl, sizeof(sddl) / sizeof(sddl[0]), OWNER_ONLY_SDDL, sid);
	sddl[sizeof(sddl) / sizeof(sddl[0]) - 1] = L'\0';
	LocalFree(sid);
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, sd, NULL))
		return TSP8_EIO;
	return TSP8_OK;
}

/* Creates a new, uniquely named temporary file beside wpath with the
 * given content, flushed to disk.  *tmp_out is its malloc'd name. */
static int write_temp(const wchar_t *wpath, const void *data, size_t len,
		      bool owner_only, wchar_t **tmp_out)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, FALSE };
	PSECURITY_DESCRIPTOR sd = NULL;
	size_t n = wcslen(wpath), cap = n + 48;
	wchar_t *tmp = malloc(cap * sizeof(*tmp));
	HANDLE h = INVALID_HANDLE_VALUE;
	LARGE_INTEGER stamp;
	DWORD err = ERROR_SUCCESS;
	int rc, attempt;

	if (!tmp)
		return TSP8_ENOMEM;
	if (owner_only) {
		rc = owner_only_sd(&sd);
		if (rc != TSP8_OK) {
			free(tmp);
			return rc;
		}
		sa.lpSecurityDescriptor = sd;
	}
	/* The private descriptor applies from the creation on, so a secret is
	 * never readable by others, not even for a moment. */
	for (attempt = 0; attempt < 16 && h == INVALID_HANDLE_VALUE; attempt++) {
		QueryPerformanceCounter(&stamp);
		_snwprintf(tmp, cap, L"%ls.tmp%lx-%lx-%x", wpath,
			   (unsigned long)GetCurrentProcessId(),
			   (unsigned long)(stamp.QuadPart & 0xffffffff), attempt);
		tmp[cap - 1] = L'\0';
		h = CreateFileW(tmp, GENERIC_WRITE, 0, owner_only ? &sa : NULL, CREATE_NEW,
				FILE_ATTRIBUTE_NORMAL, NULL);
		if (h == INVALID_HANDLE_VALUE && (err = GetLastError()) != ERROR_FILE_EXISTS &&
		    err != ERROR_ALREADY_EXISTS)
			break;
	}
	if (sd)
		LocalFree(sd);
	if (h == INVALID_HANDLE_VALUE) {
		free(tmp);
		return map_open_error(err);
	}
	rc = write_all(h, data, len);
	if (rc == TSP8_OK && !FlushFileBuffers(h))
		rc = TSP8_EIO;
	if (!CloseHandle(h) && rc == TSP8_OK)
		rc = TSP8_EIO;
	if (rc != TSP8_OK) {
		DeleteFileW(tmp);
		free(tmp);
		return rc;
	}
	*tmp_out = tmp;
	return TSP8_OK;
}

/* Moves tmp to path (replacing it when replace is set), retrying briefly
 * while the target is held open.  Returns the Win32 error or 0. */
static DWORD move_into_place(const wchar_t *tmp, const wchar_t *path, bool replace)
{
	DWORD flags = MOVEFILE_WRITE_THROUGH | (replace ? MOVEFILE_REPLACE_EXISTING : 0);
	DWORD err = 0;
	int i;

	for (i = 0; i < REPLACE_TRIES; i++) {
		if (MoveFileExW(tmp, path, flags))
			return 0;
		err = GetLastError();
		if (err != ERROR_ACCESS_DENIED && err != ERROR_SHARING_VIOLATION)
			break;
		Sleep(REPLACE_PAUSE_MS);
	}
	return err ? err : ERROR_GEN_FAILURE;
}

static int check_write_args(const char *path, const void *data, size_t len)
{
	if (!path || !*path || (!data && len > 0))
		return TSP8_EINVAL;
	return TSP8_OK;
}

/* Writes a temporary file and moves it to path; with replace the move
 * may overwrite an existing file, otherwise an existing file is kept and
 * TSP8_EEXIST returned. */
static int write_and_move(const char *path, const void *data, size_t len,
			  bool owner_only, bool replace)
{
	wchar_t *wpath, *tmp = NULL;
	DWORD err;
	int rc = check_write_args(path, data, len);

	if (rc != TSP8_OK)
		return rc;
	rc = w32_to_wide(path, &wpath);
	if (rc != TSP8_OK)
		return rc;
	rc = write_temp(wpath, data, len, owner_only, &tmp);
	if (rc == TSP8_OK) {
		err = move_into_place(tmp, wpath, replace);
		if (err != 0) {
			DeleteFileW(tmp);
			rc = err == ERROR_ALREADY_EXISTS || err == ERROR_FILE_EXISTS
				? (replace ? TSP8_EIO : TSP8_EEXIST) : TSP8_EIO;
		}
		free(tmp);
	}
	free(wpath);
	return rc;
}

int plat_write_file_atomic_mode(const char *path, const void *data, size_t len,
				bool owner_only)
{
	/* MoveFileEx with MOVEFILE_WRITE_THROUGH returns only once the rename
	 * is on disk: the directory needs no separate flush as on POSIX. */
	return write_and_move(path, data, len, owner_only, true);
}

int plat_write_file_atomic(const char *path, const void *data, size_t len)
{
	return plat_write_file_atomic_mode(path, data, len, false);
}

int plat_create_file_exclusive(const char *path, const void *data, size_t len,
			       bool owner_only)
{
	/* A move without REPLACE_EXISTING fails when path exists: the first
	 * creator wins and nobody ever sees a half-written file. */
	return write_and_move(path, data, len, owner_only, false);
}

/* Reads the open file h to its end into a new NUL-terminated buffer. */
static int read_all(HANDLE h, char **data, size_t *len)
{
	LARGE_INTEGER size;
	size_t cap, used = 0;
	char *buf, *bigger;
	DWORD n;

	if (GetFileType(h) != FILE_TYPE_DISK || !GetFileSizeEx(h, &size) ||
	    size.QuadPart < 0)
		return TSP8_EIO;
	if ((uint64_t)size.QuadPart > READ_FILE_MAX)
		return TSP8_ELIMIT;
	cap = (size_t)size.QuadPart + 1;
	buf = malloc(cap);
	if (!buf)
		return TSP8_ENOMEM;
	for (;;) {
		if (used + 1 == cap) {  /* the file grew while we read it */
			if (cap > READ_FILE_MAX) {
				free(buf);
				return TSP8_ELIMIT;
			}
			bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				return TSP8_ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		if (!ReadFile(h, buf + used, (DWORD)(cap - 1 - used), &n, NULL)) {
			free(buf);
			return TSP8_EIO;
		}
		if (n == 0)
			break;
		used += n;
	}
	buf[used] = '\0';
	*data = buf;
	if (len)
		*len = used;
	return TSP8_OK;
}

int plat_read_file(const char *path, char **data, size_t *len)
{
	wchar_t *wpath;
	HANDLE h;
	DWORD err;
	int rc;

	if (!path || !data)
		return TSP8_EINVAL;
	rc = w32_to_wide(path, &wpath);
	if (rc != TSP8_OK)
		return rc;
	/* Full sharing: a reader must never stop a writer's replace. */
	h = CreateFileW(wpath, GENERIC_READ,
			FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
			OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
	err = h == INVALID_HANDLE_VALUE ? GetLastError() : 0;
	free(wpath);
	if (h == INVALID_HANDLE_VALUE)
		return map_open_error(err);     /* a directory: access denied, EIO */
	rc = read_all(h, data, len);
	CloseHandle(h);
	return rc;
}

FILE *plat_fopen(const char *path, const char *mode)
{
	wchar_t *wpath, *wmode;
	FILE *f = NULL;

	if (w32_to_wide(path, &wpath) != TSP8_OK)
		return NULL;
	if (w32_to_wide(mode, &wmode) == TSP8_OK) {
		f = _wfopen(wpath, wmode);
		free(wmode);
	}
	free(wpath);
	return f;
}

int plat_remove(const char *path)
{
	wchar_t *wpath;
	int rc;

	rc = w32_to_wide(path, &wpath);
	if (rc != TSP8_OK)
		return rc;
	rc = DeleteFileW(wpath) ? TSP8_OK : map_open_error(GetLastError());
	free(wpath);
	return rc;
}

static void set_dl_error(const char *what, const char *path, DWORD err)
{
	char text[384];

	w32_error_text(err, text, sizeof(text));
	snprintf(dl_error_text, sizeof(dl_error_text), "%s %s: %s", what, path, text);
}

/* True for "C:\...", "C:/..." and "\\server\..." : absolute paths, for
 * which the loader may search the DLL's own directory for its imports. */
static bool is_absolute(const char *p)
{
	if (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) &&
	    p[1] == ':' && (p[2] == '\\' || p[2] == '/'))
		return true;
	return (p[0] == '\\' || p[0] == '/') && (p[1] == '\\' || p[1] == '/');
}

int plat_dl_open(plat_dl **out, const char *path)
{
	struct plat_dl *dl;
	wchar_t *wpath;
	DWORD old_mode, err;
	bool mode_set;
	int rc;

	if (!out || !path)
		return TSP8_EINVAL;
	rc = w32_to_wide(path, &wpath);
	if (rc != TSP8_OK)
		return rc;
	dl = calloc(1, sizeof(*dl));
	if (!dl) {
		free(wpath);
		return TSP8_ENOMEM;
	}
	/* A broken or missing DLL must give an error code, never a message
	 * box in a service without a desktop. */
	mode_set = SetThreadErrorMode(SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX,
				      &old_mode);
	dl->module = LoadLibraryExW(wpath, NULL,
				    is_absolute(path) ? LOAD_WITH_ALTERED_SEARCH_PATH : 0);
	err = dl->module ? 0 : GetLastError();
	if (mode_set)
		SetThreadErrorMode(old_mode, NULL);
	free(wpath);
	if (!dl->module) {
		set_dl_error("LoadLibrary", path, err);
		free(dl);
		return err == ERROR_NOT_ENOUGH_MEMORY || err == ERROR_OUTOFMEMORY
			? TSP8_ENOMEM : TSP8_ENOTFOUND;
	}
	*out = dl;
	return TSP8_OK;
}

void *plat_dl_sym(plat_dl *dl, const char *name)
{
	FARPROC p;

	if (!dl || !name)
		return NULL;
	p = GetProcAddress(dl->module, name);
	if (!p) {
		set_dl_error("GetProcAddress", name, GetLastError());
		return NULL;
	}
	/* Data and function pointers have the same size on Windows. */
	return (void *)(uintptr_t)p;
}

void plat_dl_close(plat_dl *dl)
{
	if (!dl)
		return;
	FreeLibrary(dl->module);
	free(dl);
}

const char *plat_dl_error(void)
{
	return dl_error_text[0] ? dl_error_text : "no dynamic loader error recorded";
}

int plat_exe_dir(char *buf, size_t len)
{
	DWORD cap = MAX_PATH, n;
	wchar_t *w = NULL, *bigger;
	char *path;
	size_t plen, dirlen;
	char *sep;
	int rc;

	if (!buf || len == 0)
		return TSP8_EINVAL;
	/* The path may be longer than MAX_PATH: grow until it fits. */
	for (;;) {
		bigger = realloc(w, cap * sizeof(*w));
		if (!bigger) {
			free(w);
			return TSP8_ENOMEM;
		}
		w = bigger;
		n = GetModuleFileNameW(NULL, w, cap);
		if (n == 0) {
			free(w);
			return TSP8_EIO;
		}
		if (n < cap)
			break;
		if (cap >= 32768) {
			free(w);
			return TSP8_ELIMIT;
		}
		cap *= 2;
	}
	rc = w32_to_utf8(w, n, &path, &plen);
	free(w);
	if (rc != TSP8_OK)
		return rc;
	sep = strrchr(path, '\\');
	if (!sep)
		sep = strrchr(path, '/');
	if (!sep) {
		free(path);
		return TSP8_EIO;
	}
	dirlen = (size_t)(sep - path);
	/* "C:\x.exe" lives in "C:\", not in "C:" (the drive's current dir). */
	if (dirlen == 2 && path[1] == ':')
		dirlen = 3;
	if (dirlen >= len) {
		free(path);
		return TSP8_ELIMIT;
	}
	memcpy(buf, path, dirlen);
	buf[dirlen] = '\0';
	free(path);
	return TSP8_OK;
}
