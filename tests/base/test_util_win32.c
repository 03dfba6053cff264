/* Windows parts of the test helpers (see test_util.h). */
#include <direct.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <windows.h>

#include "test_util.h"

char *tu_mkdtemp(void)
{
	char base[MAX_PATH + 1], *p;
	DWORD n = GetTempPathA(sizeof(base), base);
	LARGE_INTEGER stamp;
	size_t cap;
	int i;

	if (n == 0 || n >= sizeof(base))
		return NULL;
	while (n > 0 && (base[n - 1] == '\\' || base[n - 1] == '/'))
		base[--n] = '\0';
	cap = n + 64;
	p = malloc(cap);
	if (!p)
		return NULL;
	/* CreateDirectory fails on an existing name: try others until one
	 * is ours alone. */
	for (i = 0; i < 100; i++) {
		QueryPerformanceCounter(&stamp);
		snprintf(p, cap, "%s/tsp8-base-%lu-%lx-%d", base, GetCurrentProcessId(),
			 (unsigned long)(stamp.QuadPart & 0xffffffff), i);
		if (CreateDirectoryA(p, NULL))
			return p;
		if (GetLastError() != ERROR_ALREADY_EXISTS)
			break;
	}
	free(p);
	return NULL;
}

void tu_rmtree(const char *dir)
{
	WIN32_FIND_DATAA fd;
	char *pattern, *child;
	HANDLE h;
	size_t n;

	if (!dir)
		return;
	n = strlen(dir) + 3;
	pattern = malloc(n);
	if (!pattern)
		return;
	snprintf(pattern, n, "%s/*", dir);
	h = FindFirstFileA(pattern, &fd);
	free(pattern);
	if (h != INVALID_HANDLE_VALUE) {
		do {
			if (!strcmp(fd.cFileName, ".") || !strcmp(fd.cFileName, ".."))
				continue;
			n = strlen(dir) + strlen(fd.cFileName) + 2;
			child = malloc(n);
			if (!child)
				continue;
			snprintf(child, n, "%s/%s", dir, fd.cFileName);
			if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
				tu_rmtree(child);
			else
				DeleteFileA(child);
			free(child);
		} while (FindNextFileA(h, &fd));
		FindClose(h);
	}
	RemoveDirectoryA(dir);
}

int tu_file_mode(const char *path)
{
	struct _stat st;

	if (_stat(path, &st) != 0)
		return -1;
	return (int)(st.st_mode & 0777);
}

bool tu_have_file_modes(void)
{
	return false;
}

void tu_setenv(const char *name, const char *value)
{
	_putenv_s(name, value);
}

void tu_unsetenv(const char *name)
{
	/* An empty value removes the variable from the C runtime's copy. */
	_putenv_s(name, "");
	SetEnvironmentVariableA(name, NULL);
}

void tu_tzset(void)
{
	_tzset();
}

unsigned long tu_getpid(void)
{
	return (unsigned long)GetCurrentProcessId();
}

char *tu_exe_path(void)
{
	char *p = calloc(1, 4096);
	DWORD n;

	if (!p)
		return NULL;
	n = GetModuleFileNameA(NULL, p, 4095);
	if (n == 0 || n >= 4095) {
		free(p);
		return NULL;
	}
	return p;
}

void tu_dl_sample(const char **lib, const char **sym)
{
	*lib = "kernel32.dll";
	*sym = "GetTickCount";
}

bool tu_sigpipe_harmless(void)
{
	return true;
}

uint64_t tu_thread_affinity(void)
{
	DWORD_PTR proc = 0, sys = 0;

	/* Windows only tells the old mask when a new one is set: set the
	 * process's, read the old one, put it back. */
	if (!GetProcessAffinityMask(GetCurrentProcess(), &proc, &sys))
		return 0;
	DWORD_PTR old = SetThreadAffinityMask(GetCurrentThread(), proc);
	if (old)
		SetThreadAffinityMask(GetCurrentThread(), old);
	return (uint64_t)old;
}
