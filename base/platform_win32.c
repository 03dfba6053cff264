/* Windows implementation of the thread, lock, time and processor parts of
 * base/platform.h (files and shared libraries: platform_file_win32.c). */
#include <process.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <windows.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/platform_priv.h"
#include "base/utf16_win32.h"

/* FILETIME of 1970-01-01 00:00 UTC (100 ns units since 1601). */
#define EPOCH_AS_FILETIME 116444736000000000ULL

struct plat_thread {
	HANDLE handle;
};

/* What a new thread needs; owned and freed by the new thread itself, so a
 * detached thread never reads memory its starter has freed. */
struct thread_start {
	void (*fn)(void *arg);
	void *arg;
	wchar_t *name;          /* NULL: no name */
};

/* SetThreadDescription (Windows 10 1607+) is looked up at run time: older
 * systems and this mingw's headers do not have it. */
typedef HRESULT (WINAPI *set_thread_description_fn)(HANDLE, PCWSTR);

int plat_mutex_init(plat_mutex *m)
{
	if (!m)
		return TSP8_EINVAL;
	/* Cannot fail since Windows Vista. */
	InitializeCriticalSection(&m->cs);
	return TSP8_OK;
}

void plat_mutex_destroy(plat_mutex *m)
{
	DeleteCriticalSection(&m->cs);
}

void plat_mutex_lock(plat_mutex *m)
{
	EnterCriticalSection(&m->cs);
}

void plat_mutex_unlock(plat_mutex *m)
{
	LeaveCriticalSection(&m->cs);
}

int plat_cond_init(plat_cond *c)
{
	if (!c)
		return TSP8_EINVAL;
	InitializeConditionVariable(&c->cv);
	return TSP8_OK;
}

void plat_cond_destroy(plat_cond *c)
{
	/* Windows condition variables own no resources. */
	(void)c;
}

void plat_cond_wait(plat_cond *c, plat_mutex *m)
{
	SleepConditionVariableCS(&c->cv, &m->cs, INFINITE);
}

int plat_cond_timedwait(plat_cond *c, plat_mutex *m, uint32_t ms)
{
	uint64_t deadline = plat_now_ms() + ms, now;
	DWORD wait = ms >= INFINITE ? INFINITE - 1 : (DWORD)ms;

	/* The kernel counts the timeout in clock ticks, which may end a
	 * little before our millisecond clock says the time is up: a timeout
	 * is only reported once the full time has passed. */
	for (;;) {
		if (SleepConditionVariableCS(&c->cv, &m->cs, wait))
			return TSP8_OK;
		if (GetLastError() != ERROR_TIMEOUT)
			return TSP8_OK;         /* treated as a spurious wakeup */
		now = plat_now_ms();
		if (now >= deadline)
			return TSP8_ETIMEOUT;
		wait = (DWORD)(deadline - now);
	}
}

void plat_cond_signal(plat_cond *c)
{
	WakeConditionVariable(&c->cv);
}

void plat_cond_broadcast(plat_cond *c)
{
	WakeAllConditionVariable(&c->cv);
}

static void name_thread(const wchar_t *name)
{
	HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
	set_thread_description_fn set;

	if (!k32)
		return;
	/* The cast through FARPROC's generic pointer is how Win32 hands out
	 * typed entry points. */
	set = (set_thread_description_fn)(void (*)(void))GetProcAddress(k32, "SetThreadDescription");
	if (set)
		set(GetCurrentThread(), name);
}

static unsigned __stdcall thread_trampoline(void *p)
{
	struct thread_start st = *(struct thread_start *)p;

	free(p);
	if (st.name) {
		name_thread(st.name);
		free(st.name);
	}
	st.fn(st.arg);
	return 0;
}

int plat_thread_start(plat_thread **out, void (*fn)(void *arg), void *arg,
		      const char *name)
{
	struct plat_thread *t;
	struct thread_start *st;
	uintptr_t h;

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
	/* A name that does not convert is only a cosmetic loss. */
	if (name && *name && w32_to_wide(name, &st->name) != TSP8_OK)
		st->name = NULL;
	/* _beginthreadex, not CreateThread: the C runtime sets up its
	 * per-thread data (errno, strtok, locale) for the new thread. */
	h = _beginthreadex(NULL, 0, thread_trampoline, st, 0, NULL);
	if (h == 0) {
		free(st->name);
		free(st);
		free(t);
		return TSP8_ENOMEM;
	}
	t->handle = (HANDLE)h;
	*out = t;
	return TSP8_OK;
}

void plat_thread_join(plat_thread *t)
{
	if (!t)
		return;
	WaitForSingleObject(t->handle, INFINITE);
	CloseHandle(t->handle);
	free(t);
}

void plat_thread_detach(plat_thread *t)
{
	if (!t)
		return;
	/* Closing the handle does not stop the thread; it only lets its
	 * kernel object go when it ends. */
	CloseHandle(t->handle);
	free(t);
}

unsigned long plat_thread_id(void)
{
	return (unsigned long)GetCurrentThreadId();
}

unsigned long plat_process_id(void)
{
	return (unsigned long)GetCurrentProcessId();
}

uint64_t plat_now_ms(void)
{
	LARGE_INTEGER count, freq;
	uint64_t c, f;

	/* The performance counter has sub-millisecond resolution (the tick
	 * count only 10-16 ms) and never jumps with the wall clock.  Its
	 * frequency is fixed at boot, so asking each time costs little and
	 * needs no cached global. */
	if (!QueryPerformanceCounter(&count) || !QueryPerformanceFrequency(&freq) ||
	    freq.QuadPart <= 0)
		return GetTickCount64();
	c = (uint64_t)count.QuadPart;
	f = (uint64_t)freq.QuadPart;
	/* split to avoid overflowing c * 1000 */
	return (c / f) * 1000u + (c % f) * 1000u / f;
}

uint64_t plat_wallclock_ms(void)
{
	FILETIME ft;
	uint64_t t;

	GetSystemTimeAsFileTime(&ft);
	t = ((uint64_t)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
	return t < EPOCH_AS_FILETIME ? 0 : (t - EPOCH_AS_FILETIME) / 10000u;
}

void plat_localtime(uint64_t wall_ms, struct plat_tm *out)
{
	__time64_t secs = (__time64_t)(wall_ms / 1000u);
	struct tm tm;

	memset(out, 0, sizeof(*out));
	/* The C runtime's conversion honours TZ like POSIX does, and uses
	 * the system's time zone when TZ is not set (a service). */
	if (_localtime64_s(&tm, &secs) != 0)
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
	Sleep(ms >= INFINITE ? INFINITE - 1 : (DWORD)ms);
}

unsigned plat_cpu_count(uint64_t mask)
{
	DWORD_PTR proc = 0, sys = 0;
	uint64_t usable;
	unsigned n, count = 0;
	SYSTEM_INFO si;

	if (GetProcessAffinityMask(GetCurrentProcess(), &proc, &sys) && proc != 0) {
		usable = (uint64_t)proc;
	} else {
		GetSystemInfo(&si);
		n = si.dwNumberOfProcessors;
		usable = n >= 64 ? UINT64_MAX : (UINT64_C(1) << n) - 1;
	}
	if (mask != 0)
		usable &= mask;
	for (n = 0; n < 64; n++)
		if ((usable >> n) & 1u)
			count++;
	return count ? count : 1;
}

int plat_thread_pin(uint64_t mask)
{
	DWORD_PTR proc = 0, sys = 0;

	if (!GetProcessAffinityMask(GetCurrentProcess(), &proc, &sys))
		return TSP8_EIO;
	DWORD_PTR want = proc & (DWORD_PTR)mask;
	if (mask == 0)
		want = proc;
	if (want == 0)
		return TSP8_EINVAL;
	return SetThreadAffinityMask(GetCurrentThread(), want) != 0 ? TSP8_OK : TSP8_EIO;
}

int plat_global_init(void)
{
	/* Nothing process-wide is needed below the socket layer on Windows:
	 * there is no SIGPIPE, and base/ opens no sockets (Winsock is set up
	 * by the transport that uses it). */
	return TSP8_OK;
}
