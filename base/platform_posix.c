/* POSIX implementation of the thread, lock, time and processor parts of
 * base/platform.h (files and shared libraries: platform_file_posix.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/platform_priv.h"

struct plat_thread {
	pthread_t tid;
};

/* What a new thread needs; owned and freed by the new thread itself, so a
 * detached thread never reads memory its starter has freed. */
struct thread_start {
	void (*fn)(void *arg);
	void *arg;
	char name[16];          /* pthread names are limited to 15 chars */
};

int plat_mutex_init(plat_mutex *m)
{
	if (!m)
		return TSP8_EINVAL;
	return pthread_mutex_init(&m->m, NULL) == 0 ? TSP8_OK : TSP8_ENOMEM;
}

void plat_mutex_destroy(plat_mutex *m)
{
	pthread_mutex_destroy(&m->m);
}

void plat_mutex_lock(plat_mutex *m)
{
	pthread_mutex_lock(&m->m);
}

void plat_mutex_unlock(plat_mutex *m)
{
	pthread_mutex_unlock(&m->m);
}

int plat_cond_init(plat_cond *c)
{
	pthread_condattr_t attr;
	int rc;

	if (!c)
		return TSP8_EINVAL;
	if (pthread_condattr_init(&attr) != 0)
		return TSP8_ENOMEM;
	/* Timed waits must not jump when someone sets the wall clock. */
	rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(&c->c, &attr);
	pthread_condattr_destroy(&attr);
	return rc == 0 ? TSP8_OK : TSP8_ENOMEM;
}

void plat_cond_destroy(plat_cond *c)
{
	pthread_cond_destroy(&c->c);
}

void plat_cond_wait(plat_cond *c, plat_mutex *m)
{
	pthread_cond_wait(&c->c, &m->m);
}

int plat_cond_timedwait(plat_cond *c, plat_mutex *m, uint32_t ms)
{
	struct timespec ts;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	rc = pthread_cond_timedwait(&c->c, &m->m, &ts);
	return rc == ETIMEDOUT ? TSP8_ETIMEOUT : TSP8_OK;
}

void plat_cond_signal(plat_cond *c)
{
	pthread_cond_signal(&c->c);
}

void plat_cond_broadcast(plat_cond *c)
{
	pthread_cond_broadcast(&c->c);
}

static void *thread_trampoline(void *p)
{
	struct thread_start st = *(struct thread_start *)p;

	free(p);
	if (st.name[0])
		pthread_setname_np(pthread_self(), st.name);
	st.fn(st.arg);
	return NULL;
}

int plat_thread_start(plat_thread **out, void (*fn)(void *arg), void *arg,
		      const char *name)
{
	struct plat_thread *t;
	struct thread_start *st;

	if (!out || !fn)
		return TSP8_EINVAL;
	t = calloc(1, sizeof(*t));
	st = calloc(1, sizeof(*st));
	if (!t || !st) {
		free(t);
		free(st);
		return TSP8_ENOMEM;
	}
	st->fn = fn;
	st->arg = arg;
	if (name) {
		strncpy(st->name, name, sizeof(st->name) - 1);
		st->name[sizeof(st->name) - 1] = '\0';
	}
	if (pthread_create(&t->tid, NULL, thread_trampoline, st) != 0) {
		free(st);
		free(t);
		return TSP8_ENOMEM;
	}
	*out = t;
	return TSP8_OK;
}

void plat_thread_join(plat_thread *t)
{
	if (!t)
		return;
	pthread_join(t->tid, NULL);
	free(t);
}

void plat_thread_detach(plat_thread *t)
{
	if (!t)
		return;
	pthread_detach(t->tid);
	free(t);
}

unsigned long plat_thread_id(void)
{
	/* The kernel's thread id: small, and the same number ps/top/gdb show. */
	return (unsigned long)syscall(SYS_gettid);
}

unsigned long plat_process_id(void)
{
	return (unsigned long)getpid();
}

uint64_t plat_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t plat_wallclock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void plat_localtime(uint64_t wall_ms, struct plat_tm *out)
{
	time_t secs = (time_t)(wall_ms / 1000u);
	struct tm tm;

	memset(out, 0, sizeof(*out));
	if (!localtime_r(&secs, &tm))
		return;
	out->year = tm.tm_year + 1900;
	out->mon = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	out->hour = tm.tm_hour;
	out->min = tm.tm_min;
	out->sec = tm.tm_sec;
	out->msec = (int)(wall_ms % 1000u);
}

void plat_sleep_ms(uint32_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* True when processor n is selected by mask (0 selects all; bits only
 * reach processor 63, so higher ones count only with mask 0). */
static int cpu_in_mask(unsigned n, uint64_t mask)
{
	if (mask == 0)
		return 1;
	return n < 64 && ((mask >> n) & 1u);
}

unsigned plat_cpu_count(uint64_t mask)
{
	cpu_set_t set;
	unsigned n, count = 0;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		for (n = 0; n < CPU_SETSIZE; n++)
			if (CPU_ISSET(n, &set) && cpu_in_mask(n, mask))
				count++;
	} else {
		long online = sysconf(_SC_NPROCESSORS_ONLN);

		for (n = 0; online > 0 && n < (unsigned long)online; n++)
			if (cpu_in_mask(n, mask))
				count++;
	}
	return count ? count : 1;
}

int plat_thread_pin(uint64_t mask)
{
	cpu_set_t allowed, want;
	unsigned n, count = 0;

	/* the main thread's set stands for the process's (Linux has no other) */
	if (sched_getaffinity(getpid(), sizeof(allowed), &allowed) != 0)
		return TSP8_EIO;
	CPU_ZERO(&want);
	for (n = 0; n < CPU_SETSIZE && n < 64; n++) {
		if (CPU_ISSET(n, &allowed) && cpu_in_mask(n, mask)) {
			CPU_SET(n, &want);
			count++;
		}
	}
	if (count == 0)
		return TSP8_EINVAL;
	return pthread_setaffinity_np(pthread_self(), sizeof(want), &want) == 0 ? TSP8_OK : TSP8_EIO;
}

int plat_global_init(void)
{
	struct sigaction old, ign;

	/* A peer closing a socket must give an error code, not kill the
	 * process.  Setting the disposition again is harmless, so repeated
	 * calls need no once-flag; a handler the program installed itself is
	 * left alone. */
	if (sigaction(SIGPIPE, NULL, &old) != 0)
		return TSP8_EIO;
	if (old.sa_handler != SIG_DFL)
		return TSP8_OK;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	return sigaction(SIGPIPE, &ign, NULL) == 0 ? TSP8_OK : TSP8_EIO;
}
