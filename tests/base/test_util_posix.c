/* POSIX parts of the test helpers (see test_util.h). */
#define _GNU_SOURCE
#include <ftw.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "test_util.h"

char *tu_mkdtemp(void)
{
	const char *base = getenv("TMPDIR");
	char *p;

	if (!base || !*base)
		base = "/tmp";
	/* mkdtemp replaces the six trailing placeholder letters */
	if (asprintf(&p, "%s/tsp8-base-%06d", base, 0) < 0)
		return NULL;
	memset(p + strlen(p) - 6, 'X', 6);
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void tu_rmtree(const char *dir)
{
	if (dir)
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int tu_file_mode(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -1;
	return (int)(st.st_mode & 07777);
}

bool tu_have_file_modes(void)
{
	return true;
}

void tu_setenv(const char *name, const char *value)
{
	setenv(name, value, 1);
}

void tu_unsetenv(const char *name)
{
	unsetenv(name);
}

void tu_tzset(void)
{
	tzset();
}

unsigned long tu_getpid(void)
{
	return (unsigned long)getpid();
}

char *tu_exe_path(void)
{
	char *p = calloc(1, 4096);
	ssize_t n;

	if (!p)
		return NULL;
	n = readlink("/proc/self/exe", p, 4095);
	if (n <= 0) {
		free(p);
		return NULL;
	}
	return p;
}

void tu_dl_sample(const char **lib, const char **sym)
{
	*lib = "libm.so.6";
	*sym = "cos";
}

bool tu_sigpipe_harmless(void)
{
	struct sigaction sa;

	return sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN;
}

uint64_t tu_thread_affinity(void)
{
	cpu_set_t set;
	uint64_t m = 0;

	CPU_ZERO(&set);
	if (pthread_getaffinity_np(pthread_self(), sizeof(set), &set) != 0)
		return 0;
	for (unsigned n = 0; n < 64 && n < CPU_SETSIZE; n++)
		if (CPU_ISSET(n, &set))
			m |= UINT64_C(1) << n;
	return m;
}
