/* Helpers shared by the base/ tests: temporary directories, small file
 * utilities, and the few platform facts tests need.  test_util.c is
 * portable; test_util_posix.c and test_util_win32.c hold the rest. */
#ifndef TSP8_TESTS_BASE_TEST_UTIL_H
#define TSP8_TESTS_BASE_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Creates a fresh directory under $TMPDIR (or /tmp; Windows: the user's
 * temp directory); malloc'd path. */
char *tu_mkdtemp(void);
/* Removes dir and everything below it; frees nothing. */
void tu_rmtree(const char *dir);
/* Number of entries in dir whose names start with prefix (NULL: any) and
 * end with suffix (NULL: any). */
size_t tu_count_files(const char *dir, const char *prefix, const char *suffix);
/* Full path of the alphabetically first entry of dir whose name starts
 * with prefix; malloc'd, NULL if none. */
char *tu_first_file(const char *dir, const char *prefix);
/* dir + "/" + name, malloc'd. */
char *tu_path(const char *dir, const char *name);
/* Writes text to path (plain, non-atomic); 0 on success. */
int tu_write_file(const char *path, const char *text, size_t len);
/* Whole file as a malloc'd string, NULL if it cannot be read. */
char *tu_read_file(const char *path, size_t *len);
/* Permission bits of path, or -1 when it does not exist.  On Windows the
 * bits say little (see tu_have_file_modes) but -1 still means "missing". */
int tu_file_mode(const char *path);

/* True where files have POSIX permission bits (not on Windows, whose
 * ACLs the mode checks of the tests do not model). */
bool tu_have_file_modes(void);
/* Sets or removes an environment variable of this process. */
void tu_setenv(const char *name, const char *value);
void tu_unsetenv(const char *name);
/* Makes the C library's local time follow $TZ again. */
void tu_tzset(void);
/* Id of this process. */
unsigned long tu_getpid(void);
/* Full path of the running executable; malloc'd, NULL on failure. */
char *tu_exe_path(void);
/* A shared library every system of this kind has, and a function in it. */
void tu_dl_sample(const char **lib, const char **sym);
/* True when writing to a closed socket cannot kill the process (POSIX:
 * SIGPIPE is ignored; Windows has no such signal). */
bool tu_sigpipe_harmless(void);
/* Processors (bit n = processor n < 64) the calling thread may run on. */
uint64_t tu_thread_affinity(void);

#endif
