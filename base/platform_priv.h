/* Platform functions used inside base/ only, beside the public ones of
 * base/platform.h.  Each platform file set (*_posix.c, *_win32.c)
 * implements them too.
 */
#ifndef TSP8_BASE_PLATFORM_PRIV_H
#define TSP8_BASE_PLATFORM_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/platform.h"

/* Id of the running process (log file names). */
unsigned long plat_process_id(void);

/* Lets a started thread run on without being joined and frees the thread
 * object; used when a bounded shutdown gives up waiting for a worker. */
void plat_thread_detach(plat_thread *t);

/* plat_write_file_atomic with an explicit permission choice: owner_only
 * gives a file only its owner may read (secrets), otherwise a file everyone
 * may read.  The temporary file is private from its creation on, so secrets
 * are never readable by others, not even for a moment. */
int plat_write_file_atomic_mode(const char *path, const void *data, size_t len,
				bool owner_only);

/* Creates path with the given content only if it does not exist yet, all or
 * nothing (temporary file, flushed, then linked into place).  TSP8_EEXIST
 * when the file exists (someone else was first). */
int plat_create_file_exclusive(const char *path, const void *data, size_t len,
			       bool owner_only);

/* fopen() and remove() for UTF-8 paths (the C runtime's narrow functions
 * use the ANSI code page on Windows).  plat_remove returns TSP8_OK or an
 * error code (TSP8_ENOTFOUND when there was nothing to remove). */
FILE *plat_fopen(const char *path, const char *mode);
int plat_remove(const char *path);

#endif
