/* Signals and environment (see sys.h). */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L   /* setenv */
#endif

#include "sys.h"

#include <signal.h>
#include <stdlib.h>

#include "base/error.h"

/* Set from the signal handler, read by the main loop: a signal handler can
 * only communicate through such a static flag. */
static volatile sig_atomic_t g_signalled;

static void on_signal(int sig)
{
	(void)sig;
	g_signalled = 1;
}

void sys_install_signals(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
#ifdef SIGPIPE
	signal(SIGPIPE, SIG_IGN);
#endif
}

bool sys_signalled(void)
{
	return g_signalled != 0;
}

int sys_setenv(const char *name, const char *value)
{
#ifdef _WIN32
	return _putenv_s(name, value) == 0 ? TSP8_OK : TSP8_EIO;
#else
	return setenv(name, value, 1) == 0 ? TSP8_OK : TSP8_EIO;
#endif
}

const char *sys_provider_file_name(void)
{
#ifdef _WIN32
	return "tsp8.tsp";
#else
	return "libtsp8.so";
#endif
}
