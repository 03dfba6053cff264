/* Rotating log files of the trace: naming, rotation by hour and size,
 * removal of this instance's old files (see trace_file.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/platform_priv.h"
#include "base/trace_file.h"

struct trace_file {
	char *dir;
	char *prefix;
	unsigned num_files;
	unsigned keep;
	uint64_t max_bytes;
	unsigned long pid;
	unsigned seq;           /* number of the next file */

	FILE *fp;               /* current file or NULL */
	uint64_t size;          /* bytes in the current file */
	int64_t hour;           /* local hour of the current file (hour_key) */
	int64_t failed_hour;    /* hour of the last failed open, or -1 */

	char **names;           /* files we created, oldest first */
	size_t count, cap;
};

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* One number per local hour: changes exactly when a new file is due. */
static int64_t hour_key(const struct plat_tm *tm)
{
	return (((int64_t)tm->year * 100 + tm->mon) * 100 + tm->day) * 100 + tm->hour;
}

int trace_file_create(struct trace_file **out, const struct trace_file_config *cfg)
{
	struct trace_file *f;

	if (!out || !cfg || !cfg->dir || !*cfg->dir)
		return TSP8_EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return TSP8_ENOMEM;
	f->dir = dup_str(cfg->dir);
	f->prefix = dup_str(cfg->prefix ? cfg->prefix : "tsp8");
	if (!f->dir || !f->prefix) {
		free(f->dir);
		free(f->prefix);
		free(f);
		return TSP8_ENOMEM;
	}
	f->num_files = cfg->num_files ? cfg->num_files : TRACE_FILE_NUM_DEFAULT;
	f->keep = cfg->keep > TRACE_FILE_KEEP_ALL ? TRACE_FILE_KEEP_ALL : cfg->keep;
	f->max_bytes = cfg->max_bytes ? cfg->max_bytes : TRACE_FILE_MAX_BYTES_DEFAULT;
	f->pid = plat_process_id();
	f->hour = -1;
	f->failed_hour = -1;
	*out = f;
	return TSP8_OK;
}

/* Removes our oldest files until at most keep_n remain. */
static void prune(struct trace_file *f, size_t keep_n)
{
	size_t drop, i;

	if (f->count <= keep_n)
		return;
	drop = f->count - keep_n;
	for (i = 0; i < drop; i++) {
		plat_remove(f->names[i]);
		free(f->names[i]);
	}
	memmove(f->names, f->names + drop, keep_n * sizeof(f->names[0]));
	f->count = keep_n;
}

static int remember(struct trace_file *f, char *name)
{
	if (f->count == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		char **n = realloc(f->names, cap * sizeof(*n));

		if (!n)
			return TSP8_ENOMEM;
		f->names = n;
		f->cap = cap;
	}
	f->names[f->count++] = name;
	return TSP8_OK;
}

static int open_next(struct trace_file *f, const struct plat_tm *tm, int64_t hour)
{
	size_t len = strlen(f->dir) + strlen(f->prefix) + 64;
	char *name = malloc(len);

	if (!name)
		return TSP8_ENOMEM;
	snprintf(name, len, "%s/%s-%04d%02d%02d-%02d%02d%02d-%lu-%u.log",
		 f->dir, f->prefix, tm->year, tm->mon, tm->day,
		 tm->hour, tm->min, tm->sec, f->pid, f->seq);
	/* Append mode never clobbers a file that happens to have this name;
	 * binary mode keeps lines ending in "\n" on Windows too. */
	f->fp = plat_fopen(name, "ab");
	if (!f->fp) {
		free(name);
		f->failed_hour = hour;
		return TSP8_EIO;
	}
	if (remember(f, name) != TSP8_OK) {
		/* Without its name we could never remove it: do not use it. */
		fclose(f->fp);
		f->fp = NULL;
		plat_remove(name);
		free(name);
		return TSP8_ENOMEM;
	}
	f->seq++;
	f->size = 0;
	f->hour = hour;
	f->failed_hour = -1;
	if (f->keep != TRACE_FILE_KEEP_ALL)
		prune(f, f->num_files);
	return TSP8_OK;
}

int trace_file_write(struct trace_file *f, uint64_t wall_ms, const char *line, size_t len)
{
	struct plat_tm tm;
	int64_t hour;
	int rc;

	if (!f || (!line && len > 0))
		return TSP8_EINVAL;
	plat_localtime(wall_ms, &tm);
	hour = hour_key(&tm);
	if (f->fp && (hour != f->hour ||
		      (f->size > 0 && f->size + len + 1 > f->max_bytes)))
		trace_file_close_current(f);
	if (!f->fp) {
		if (hour == f->failed_hour)
			return TSP8_EIO;
		rc = open_next(f, &tm, hour);
		if (rc != TSP8_OK)
			return rc;
	}
	if ((len > 0 && fwrite(line, 1, len, f->fp) != len) ||
	    fputc('\n', f->fp) == EOF || fflush(f->fp) != 0) {
		trace_file_close_current(f);
		f->failed_hour = hour;
		return TSP8_EIO;
	}
	f->size += len + 1;
	return TSP8_OK;
}

void trace_file_close_current(struct trace_file *f)
{
	if (f && f->fp) {
		fclose(f->fp);
		f->fp = NULL;
	}
}

size_t trace_file_count(const struct trace_file *f)
{
	return f ? f->count : 0;
}

const char *trace_file_current(const struct trace_file *f)
{
	return f && f->fp && f->count ? f->names[f->count - 1] : NULL;
}

void trace_file_destroy(struct trace_file *f)
{
	size_t i;

	if (!f)
		return;
	trace_file_close_current(f);
	if (f->keep == TRACE_FILE_KEEP_NONE)
		prune(f, 0);
	else if (f->keep == TRACE_FILE_KEEP_LAST)
		prune(f, f->num_files);
	for (i = 0; i < f->count; i++)
		free(f->names[i]);
	free(f->names);
	free(f->dir);
	free(f->prefix);
	free(f);
}
