/* pbxsim verbose log. */
#include "simlog.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "sim.h"

static void vlog(const char *fmt, va_list ap)
{
	char text[2048];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	vsnprintf(text, sizeof(text), fmt, ap);
	/* One call per line so lines of concurrent threads do not mix. */
	fprintf(stderr, "[pbxsim %02d:%02d:%02d.%03ld] %s\n", tm.tm_hour, tm.tm_min,
		tm.tm_sec, ts.tv_nsec / 1000000L, text);
}

void sim_log(const struct sim *sim, const char *fmt, ...)
{
	va_list ap;

	if (!sim || !sim->opt.verbose)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void sim_logv(bool verbose, const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}
