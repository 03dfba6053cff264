/* POSIX implementation of the file, shared library and executable path
 * parts of base/platform.h and base/platform_priv.h. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "base/platform.h"
#include "base/platform_priv.h"

/* Biggest file plat_read_file accepts: configuration and key files are
 * tiny, so anything this large is a mistake, not data. */
#define READ_FILE_MAX (64u * 1024u * 1024u)

struct plat_dl {
	void *handle;
};

static int write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return TSP8_EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	return TSP8_OK;
}

/* Flushes the directory holding path, so that a rename or link into it
 * survives a power loss. */
static int sync_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	size_t n;
	int fd, rc = TSP8_OK;

	if (!slash) {
		strcpy(dir, ".");
	} else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= sizeof(dir))
			return TSP8_ELIMIT;
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return TSP8_EIO;
	/* Some file systems cannot sync a directory (EINVAL): nothing more
	 * can be done there, and the data itself is already on disk. */
	if (fsync(fd) != 0 && errno != EINVAL)
		rc = TSP8_EIO;
	close(fd);
	return rc;
}

/* Writes data to a new private temporary file beside path, flushed to disk
 * and given its final permissions.  tmp receives the file's name. */
static int write_temp(const char *path, const void *data, size_t len,
		      bool owner_only, char *tmp, size_t tmplen)
{
	size_t n = strlen(path);
	int fd, rc;

	/* "<path>.tmp" plus the six placeholder letters mkostemp replaces */
	if (n + 4 + 6 + 1 > tmplen)
		return TSP8_ELIMIT;
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp", 4);
	memset(tmp + n + 4, 'X', 6);
	tmp[n + 10] = '\0';
	fd = mkostemp(tmp, O_CLOEXEC);      /* created with mode 0600 */
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? TSP8_ENOTFOUND : TSP8_EIO;
	rc = write_all(fd, data, len);
	if (rc == TSP8_OK && fsync(fd) != 0)
		rc = TSP8_EIO;
	if (rc == TSP8_OK && fchmod(fd, owner_only ? 0600 : 0644) != 0)
		rc = TSP8_EIO;
	if (close(fd) != 0 && rc == TSP8_OK)
		rc = TSP8_EIO;
	if (rc != TSP8_OK)
		unlink(tmp);
	return rc;
}

static int check_write_args(const char *path, const void *data, size_t len)
{
	if (!path || !*path || (!data && len > 0))
		return TSP8_EINVAL;
	return TSP8_OK;
}

int plat_write_file_atomic_mode(const char *path, const void *data, size_t len,
				bool owner_only)
{
	char tmp[PATH_MAX];
	int rc = check_write_args(path, data, len);

	if (rc != TSP8_OK)
		return rc;
	rc = write_temp(path, data, len, owner_only, tmp, sizeof(tmp));
	if (rc != TSP8_OK)
		return rc;
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return TSP8_EIO;
	}
	return sync_parent_dir(path);
}

int plat_write_file_atomic(const char *path, const void *data, size_t len)
{
	return plat_write_file_atomic_mode(path, data, len, false);
}

int plat_create_file_exclusive(const char *path, const void *data, size_t len,
			       bool owner_only)
{
	char tmp[PATH_MAX];
	int rc = check_write_args(path, data, len), err;

	if (rc != TSP8_OK)
		return rc;
	rc = write_temp(path, data, len, owner_only, tmp, sizeof(tmp));
	if (rc != TSP8_OK)
		return rc;
	/* link() fails when path exists, unlike rename(): the first creator
	 * wins and nobody ever sees a half-written file. */
	err = link(tmp, path) == 0 ? 0 : errno;
	unlink(tmp);
	if (err == EEXIST)
		return TSP8_EEXIST;
	if (err != 0)
		return TSP8_EIO;
	return sync_parent_dir(path);
}

int plat_read_file(const char *path, char **data, size_t *len)
{
	struct stat st;
	size_t cap, used = 0;
	char *buf, *bigger;
	int fd;

	if (!path || !data)
		return TSP8_EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? TSP8_ENOTFOUND : TSP8_EIO;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return TSP8_EIO;
	}
	if ((uint64_t)st.st_size > READ_FILE_MAX) {
		close(fd);
		return TSP8_ELIMIT;
	}
	cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return TSP8_ENOMEM;
	}
	for (;;) {
		ssize_t n;

		if (used + 1 == cap) {  /* the file grew while we read it */
			if (cap > READ_FILE_MAX)
				goto too_big;
			bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				close(fd);
				return TSP8_ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + used, cap - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			close(fd);
			return TSP8_EIO;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	*data = buf;
	if (len)
		*len = used;
	return TSP8_OK;

too_big:
	free(buf);
	close(fd);
	return TSP8_ELIMIT;
}

FILE *plat_fopen(const char *path, const char *mode)
{
	if (!path || !mode)
		return NULL;
	return fopen(path, mode);
}

int plat_remove(const char *path)
{
	if (!path)
		return TSP8_EINVAL;
	if (unlink(path) == 0)
		return TSP8_OK;
	return errno == ENOENT || errno == ENOTDIR ? TSP8_ENOTFOUND : TSP8_EIO;
}

int plat_dl_open(plat_dl **out, const char *path)
{
	struct plat_dl *dl;

	if (!out || !path)
		return TSP8_EINVAL;
	dl = calloc(1, sizeof(*dl));
	if (!dl)
		return TSP8_ENOMEM;
	dl->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl->handle) {
		free(dl);
		return TSP8_ENOTFOUND;
	}
	*out = dl;
	return TSP8_OK;
}

void *plat_dl_sym(plat_dl *dl, const char *name)
{
	if (!dl || !name)
		return NULL;
	return dlsym(dl->handle, name);
}

void plat_dl_close(plat_dl *dl)
{
	if (!dl)
		return;
	dlclose(dl->handle);
	free(dl);
}

const char *plat_dl_error(void)
{
	/* dlerror() keeps its message per thread and clears it when read. */
	const char *msg = dlerror();

	return msg ? msg : "no dynamic loader error recorded";
}

int plat_exe_dir(char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	char *slash;
	size_t dirlen;

	if (!buf || len == 0)
		return TSP8_EINVAL;
	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0)
		return TSP8_EIO;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (!slash)
		return TSP8_EIO;
	dirlen = slash == path ? 1 : (size_t)(slash - path);
	if (dirlen >= len)
		return TSP8_ELIMIT;
	memcpy(buf, path, dirlen);
	buf[dirlen] = '\0';
	return TSP8_OK;
}
