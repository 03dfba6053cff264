/* Platform layer: threads, locks, condition variables, time, files.
 *
 * This header and base/<name>_posix.c, base/<name>_win32.c are the only
 * places with platform #ifdefs.  Everything else uses these wrappers.  Atomics: use C11
 * <stdatomic.h> directly (gcc and mingw-w64 both provide it).
 */
#ifndef TSP8_BASE_PLATFORM_H
#define TSP8_BASE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef _WIN32
#include <windows.h>
typedef struct { CRITICAL_SECTION cs; } plat_mutex;
typedef struct { CONDITION_VARIABLE cv; } plat_cond;
#else
#include <pthread.h>
typedef struct { pthread_mutex_t m; } plat_mutex;
typedef struct { pthread_cond_t c; } plat_cond;   /* uses CLOCK_MONOTONIC */
#endif

typedef struct plat_thread plat_thread;

/* Mutex (non-recursive). init returns TSP8_OK or an error code. */
int  plat_mutex_init(plat_mutex *m);
void plat_mutex_destroy(plat_mutex *m);
void plat_mutex_lock(plat_mutex *m);
void plat_mutex_unlock(plat_mutex *m);

/* Condition variable bound to plat_mutex. */
int  plat_cond_init(plat_cond *c);
void plat_cond_destroy(plat_cond *c);
void plat_cond_wait(plat_cond *c, plat_mutex *m);
/* Waits at most ms milliseconds: TSP8_OK when signalled (or spuriously
 * woken), TSP8_ETIMEOUT when the time ran out. */
int  plat_cond_timedwait(plat_cond *c, plat_mutex *m, uint32_t ms);
void plat_cond_signal(plat_cond *c);
void plat_cond_broadcast(plat_cond *c);

/* Starts fn(arg) on a new thread.  name is for traces/debuggers (may be
 * truncated).  The thread must be joined with plat_thread_join exactly once. */
int  plat_thread_start(plat_thread **out, void (*fn)(void *arg), void *arg,
		       const char *name);
/* Joins and frees the thread object. */
void plat_thread_join(plat_thread *t);
/* Small integer id of the calling thread, for traces. */
unsigned long plat_thread_id(void);

/* Monotonic milliseconds since an arbitrary origin. */
uint64_t plat_now_ms(void);
/* Wall clock: milliseconds since 1970-01-01 UTC. */
uint64_t plat_wallclock_ms(void);
/* Local time broken down, for trace prefixes and log file names. */
struct plat_tm { int year, mon, day, hour, min, sec, msec; };
void plat_localtime(uint64_t wall_ms, struct plat_tm *out);
void plat_sleep_ms(uint32_t ms);

/* Number of processors usable by this process, restricted to mask
 * (bit n = processor n; 0 means "all").  Always >= 1. */
unsigned plat_cpu_count(uint64_t mask);
/* Restricts the calling thread to the processors of mask (bit n =
 * processor n) that the process may use: ProcessorMask for the provider's
 * own threads.  TSP8_EINVAL when that leaves none (nothing changes),
 * TSP8_EIO when the system refuses. */
int plat_thread_pin(uint64_t mask);

/* Writes len bytes to path atomically: the data goes to a temporary file in
 * the same directory, is flushed to disk, then renamed over path.  A crash at
 * any point leaves either the old or the new content. */
int plat_write_file_atomic(const char *path, const void *data, size_t len);
/* Reads a whole file into a malloc'd, NUL-terminated buffer. */
int plat_read_file(const char *path, char **data, size_t *len);

/* Shared libraries (the provider DLL / .so).  plat_dl_error gives the
 * loader's message for the last failure on this thread. */
typedef struct plat_dl plat_dl;
int   plat_dl_open(plat_dl **out, const char *path);
void *plat_dl_sym(plat_dl *dl, const char *name);
void  plat_dl_close(plat_dl *dl);
const char *plat_dl_error(void);
/* Full path of the running executable's directory (for defaults such as
 * "the provider beside tapihost"). */
int plat_exe_dir(char *buf, size_t len);

/* Process-wide one-time initialisation of networking libraries etc.
 * Safe to call more than once. */
int plat_global_init(void);

#endif
