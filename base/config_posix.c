/* The configuration store of base/config.h on top of a REGEDIT4 text file
 * (config_reg_*.c): an in-memory document plus the list of changes not yet
 * committed, which cfg_commit replays onto a fresh copy of the file.
 *
 * Committers in different processes (the provider, tsptray, tapihost) are
 * serialised by an exclusive flock() on "<file>.lock" beside the file, held
 * from the fresh read to the rename: without it two commits could read the
 * same old file and the later rename would drop the other's changes.  The
 * lock file is created on the first commit and never removed (removing it
 * would let two committers lock two different files).  Readers need no
 * lock: they only ever see a whole old or a whole new file.
 *
 * A commit or a reload re-reads the file only when it changed since this
 * handle last read or wrote it (its inode, size or times differ): the
 * provider commits new line IDs in bursts while thousands of lines appear
 * and re-reads the file for TraceLevel changes, and parsing a 10,000-value
 * file each time cost more than the lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/config.h"
#include "base/config_reg.h"
#include "base/error.h"
#include "base/platform.h"
#include "base/platform_priv.h"

#define ROOT_KEY "HKEY_LOCAL_MACHINE\\" CFG_PROVIDER_KEY

/* One cfg_set_* or cfg_delete not yet written to the file. */
struct cfg_change {
	struct cfg_change *next;
	char *key;              /* full key path */
	char *name;
	bool del;
	enum cfg_type type;
	unsigned char *data;
	size_t len;
};

struct cfg {
	char *path;
	plat_mutex lock;        /* guards doc and the pending list */
	struct reg_doc *doc;    /* file content with pending changes applied */
	struct cfg_change *pending;
	struct cfg_change **pending_tail;
	struct stat seen;       /* the file as this handle last read or wrote it */
	bool seen_known;
};

/* Values whose presence makes the file readable by its owner only. */
static const char *const secret_names[] = {
	"admin1", "admin2", "admin1-free", "admin2-free",
};

static char *full_key(const char *subkey)
{
	size_t n = strlen(ROOT_KEY) + (subkey ? strlen(subkey) : 0) + 2;
	char *k = malloc(n);

	if (!k)
		return NULL;
	if (subkey && *subkey)
		snprintf(k, n, "%s\\%s", ROOT_KEY, subkey);
	else
		snprintf(k, n, "%s", ROOT_KEY);
	return k;
}

static void free_change(struct cfg_change *ch)
{
	free(ch->key);
	free(ch->name);
	free(ch->data);
	free(ch);
}

static void clear_pending(struct cfg *c)
{
	struct cfg_change *ch, *next;

	for (ch = c->pending; ch; ch = next) {
		next = ch->next;
		free_change(ch);
	}
	c->pending = NULL;
	c->pending_tail = &c->pending;
}

/* Reads path into a document; a missing file is an empty one. */
static int load(const char *path, struct reg_doc **out, char *errbuf, size_t errlen)
{
	char msg[256];
	char *text;
	size_t len;
	int rc;

	rc = plat_read_file(path, &text, &len);
	if (rc == TSP8_ENOTFOUND)
		return reg_doc_create(out);
	if (rc != TSP8_OK) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "%s: %s", path, tsp8_strerror(rc));
		return rc;
	}
	rc = reg_doc_parse(out, text, len, msg, sizeof(msg));
	free(text);
	if (rc != TSP8_OK && errbuf && errlen)
		snprintf(errbuf, errlen, "%s: %s", path,
			 msg[0] ? msg : tsp8_strerror(rc));
	return rc;
}

static int apply(struct reg_doc *d, const struct cfg_change *ch)
{
	int rc;

	if (!ch->del)
		return reg_doc_set(d, ch->key, ch->name, ch->type, ch->data, ch->len);
	rc = reg_doc_delete(d, ch->key, ch->name);
	return rc == TSP8_ENOTFOUND ? TSP8_OK : rc;
}

/* Reads the file again and puts the pending changes on top. */
static int load_merged(struct cfg *c, struct reg_doc **out, char *errbuf, size_t errlen)
{
	struct cfg_change *ch;
	struct reg_doc *d;
	int rc = load(c->path, &d, errbuf, errlen);

	for (ch = c->pending; rc == TSP8_OK && ch; ch = ch->next)
		if ((rc = apply(d, ch)) != TSP8_OK)
			reg_doc_destroy(d);
	if (rc == TSP8_OK)
		*out = d;
	return rc;
}

/* True when the file is still the one this handle last read or wrote: then
 * c->doc (that file plus the pending changes) is what a fresh read would
 * give.  The identity is always taken before the file is read, so a file
 * replaced meanwhile only costs one read too many, never a stale doc. */
static bool unchanged_since_seen(const struct cfg *c)
{
	struct stat now;
	if (!c->seen_known || stat(c->path, &now) != 0)
		return false;
	const struct stat *w = &c->seen;
	return now.st_dev == w->st_dev && now.st_ino == w->st_ino && now.st_size == w->st_size &&
	       now.st_mtim.tv_sec == w->st_mtim.tv_sec && now.st_mtim.tv_nsec == w->st_mtim.tv_nsec &&
	       now.st_ctim.tv_sec == w->st_ctim.tv_sec && now.st_ctim.tv_nsec == w->st_ctim.tv_nsec;
}

int cfg_open(struct cfg **out, const char *path, char *errbuf, size_t errlen)
{
	struct cfg *c;
	const char *env;
	int rc;

	if (!out)
		return TSP8_EINVAL;
	if (!path || !*path) {
		env = getenv("TSP8_CONFIG");
		path = env && *env ? env : CFG_DEFAULT_PATH;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return TSP8_ENOMEM;
	c->pending_tail = &c->pending;
	c->path = malloc(strlen(path) + 1);
	if (!c->path) {
		free(c);
		return TSP8_ENOMEM;
	}
	strcpy(c->path, path);
	c->seen_known = stat(c->path, &c->seen) == 0;   /* before the read: see above */
	rc = load(c->path, &c->doc, errbuf, errlen);
	if (rc == TSP8_OK && (rc = plat_mutex_init(&c->lock)) != TSP8_OK)
		reg_doc_destroy(c->doc);
	if (rc != TSP8_OK) {
		free(c->path);
		free(c);
		return rc;
	}
	*out = c;
	return TSP8_OK;
}

void cfg_close(struct cfg *c)
{
	if (!c)
		return;
	clear_pending(c);
	reg_doc_destroy(c->doc);
	plat_mutex_destroy(&c->lock);
	free(c->path);
	free(c);
}

const char *cfg_path(const struct cfg *c)
{
	return c ? c->path : "";
}

int cfg_reload(struct cfg *c, char *errbuf, size_t errlen)
{
	struct reg_doc *d;
	int rc;

	if (!c)
		return TSP8_EINVAL;
	plat_mutex_lock(&c->lock);
	if (unchanged_since_seen(c)) {
		plat_mutex_unlock(&c->lock);
		return TSP8_OK;
	}
	struct stat before;
	bool known = stat(c->path, &before) == 0;
	rc = load_merged(c, &d, errbuf, errlen);
	if (rc == TSP8_OK) {
		reg_doc_destroy(c->doc);
		c->doc = d;
		c->seen = before;
		c->seen_known = known;
	}
	plat_mutex_unlock(&c->lock);
	return rc;
}

/* Looks a value up (the caller holds the lock and copies the data out
 * before unlocking).  want: the type the caller asks for; another type is
 * TSP8_EINVAL.  *key_out is the full key path, for the caller to free. */
static int get_value(struct cfg *c, const char *subkey, const char *name,
		     enum cfg_type want, const void **data, size_t *len,
		     char **key_out)
{
	int type, rc;
	char *key;

	if (!name)
		return TSP8_EINVAL;
	key = full_key(subkey);
	if (!key)
		return TSP8_ENOMEM;
	rc = reg_doc_get(c->doc, key, name, &type, data, len);
	if (rc == TSP8_OK && type != (int)want)
		rc = TSP8_EINVAL;
	*key_out = key;
	return rc;
}

int cfg_get_dword(struct cfg *c, const char *subkey, const char *name, uint32_t *out)
{
	const void *data;
	size_t len;
	char *key = NULL;
	int rc;

	if (!c || !out)
		return TSP8_EINVAL;
	plat_mutex_lock(&c->lock);
	rc = get_value(c, subkey, name, CFG_DWORD, &data, &len, &key);
	if (rc == TSP8_OK)
		memcpy(out, data, sizeof(*out));
	plat_mutex_unlock(&c->lock);
	free(key);
	return rc;
}

int cfg_get_string(struct cfg *c, const char *subkey, const char *name, char *buf, size_t len)
{
	const void *data;
	size_t vlen;
	char *key = NULL;
	int rc;

	if (!c || !buf || len == 0)
		return TSP8_EINVAL;
	plat_mutex_lock(&c->lock);
	rc = get_value(c, subkey, name, CFG_SZ, &data, &vlen, &key);
	if (rc == TSP8_OK && vlen + 1 > len)
		rc = TSP8_ELIMIT;
	if (rc == TSP8_OK)
		memcpy(buf, data, vlen + 1);
	else
		buf[0] = '\0';
	plat_mutex_unlock(&c->lock);
	free(key);
	return rc;
}

int cfg_get_binary(struct cfg *c, const char *subkey, const char *name, void *buf, size_t *len)
{
	const void *data;
	size_t vlen;
	char *key = NULL;
	int rc;

	if (!c || !len || (!buf && *len > 0))
		return TSP8_EINVAL;
	plat_mutex_lock(&c->lock);
	rc = get_value(c, subkey, name, CFG_BINARY, &data, &vlen, &key);
	if (rc == TSP8_OK) {
		if (vlen > *len)
			rc = TSP8_ELIMIT;
		else if (vlen)
			memcpy(buf, data, vlen);
		*len = vlen;
	}
	plat_mutex_unlock(&c->lock);
	free(key);
	return rc;
}

uint32_t cfg_dword_or(struct cfg *c, const char *subkey, const char *name, uint32_t def)
{
	uint32_t v;

	return cfg_get_dword(c, subkey, name, &v) == TSP8_OK ? v : def;
}

/* A copy of one value, so that the enumeration callback runs unlocked. */
struct enum_entry {
	char *name;
	int type;
	unsigned char *data;
	size_t len;
};

struct enum_snapshot {
	struct enum_entry *v;
	size_t n, cap;
	int rc;
};

static int snapshot_value(void *arg, const char *name, int type, const void *data, size_t len)
{
	struct enum_snapshot *s = arg;
	struct enum_entry *e;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct enum_entry *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return s->rc = TSP8_ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	e = &s->v[s->n];
	e->name = malloc(strlen(name) + 1);
	e->data = malloc(len + 1);      /* +1: strings keep their NUL */
	if (!e->name || !e->data) {
		free(e->name);
		free(e->data);
		return s->rc = TSP8_ENOMEM;
	}
	strcpy(e->name, name);
	memcpy(e->data, data, len + (type == CFG_SZ ? 1 : 0));
	e->type = type;
	e->len = len;
	s->n++;
	return 0;
}

int cfg_enum(struct cfg *c, const char *subkey, cfg_value_fn *fn, void *arg)
{
	struct enum_snapshot s = { 0 };
	size_t i;
	char *key;
	int rc = 0;

	if (!c || !fn)
		return TSP8_EINVAL;
	key = full_key(subkey);
	if (!key)
		return TSP8_ENOMEM;
	plat_mutex_lock(&c->lock);
	reg_doc_enum(c->doc, key, snapshot_value, &s);
	plat_mutex_unlock(&c->lock);
	free(key);
	if (s.rc != 0)
		rc = s.rc;
	for (i = 0; rc == 0 && i < s.n; i++)
		rc = fn(arg, s.v[i].name, (enum cfg_type)s.v[i].type, s.v[i].data, s.v[i].len);
	for (i = 0; i < s.n; i++) {
		free(s.v[i].name);
		free(s.v[i].data);
	}
	free(s.v);
	return rc;
}

/* Applies a change to the document and remembers it for cfg_commit. */
static int change(struct cfg *c, const char *subkey, const char *name, bool del,
		  enum cfg_type type, const void *data, size_t len)
{
	struct cfg_change *ch;
	int rc;

	if (!c || !name || (!data && len > 0))
		return TSP8_EINVAL;
	ch = calloc(1, sizeof(*ch));
	if (!ch)
		return TSP8_ENOMEM;
	ch->key = full_key(subkey);
	ch->name = malloc(strlen(name) + 1);
	ch->data = malloc(len + 1);
	if (!ch->key || !ch->name || !ch->data) {
		free_change(ch);
		return TSP8_ENOMEM;
	}
	strcpy(ch->name, name);
	if (len)
		memcpy(ch->data, data, len);
	ch->len = len;
	ch->type = type;
	ch->del = del;

	plat_mutex_lock(&c->lock);
	rc = del ? reg_doc_delete(c->doc, ch->key, ch->name) : apply(c->doc, ch);
	if (rc == TSP8_OK) {
		*c->pending_tail = ch;
		c->pending_tail = &ch->next;
		ch = NULL;
	}
	plat_mutex_unlock(&c->lock);
	if (ch)
		free_change(ch);
	return rc;
}

int cfg_set_dword(struct cfg *c, const char *subkey, const char *name, uint32_t v)
{
	return change(c, subkey, name, false, CFG_DWORD, &v, sizeof(v));
}

int cfg_set_string(struct cfg *c, const char *subkey, const char *name, const char *v)
{
	if (!v)
		return TSP8_EINVAL;
	return change(c, subkey, name, false, CFG_SZ, v, strlen(v));
}

int cfg_set_binary(struct cfg *c, const char *subkey, const char *name, const void *v, size_t len)
{
	return change(c, subkey, name, false, CFG_BINARY, v, len);
}

int cfg_delete(struct cfg *c, const char *subkey, const char *name)
{
	return change(c, subkey, name, true, CFG_BINARY, NULL, 0);
}

static bool has_secrets(const struct reg_doc *d)
{
	size_t i;

	for (i = 0; i < sizeof(secret_names) / sizeof(secret_names[0]); i++)
		if (reg_doc_get(d, ROOT_KEY, secret_names[i], NULL, NULL, NULL) == TSP8_OK)
			return true;
	return false;
}

/* Takes the commit lock of path: *fd_out is the locked descriptor, to be
 * closed (which releases the lock) after the rename. */
static int lock_commit(const char *path, int *fd_out)
{
	size_t n = strlen(path) + sizeof(".lock");
	char *name = malloc(n);
	int fd, err;

	if (!name)
		return TSP8_ENOMEM;
	snprintf(name, n, "%s.lock", path);
	fd = open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EACCES)
		fd = open(name, O_RDONLY | O_CLOEXEC);  /* flock needs no write access */
	err = errno;
	free(name);
	if (fd < 0)
		return err == ENOENT || err == ENOTDIR ? TSP8_ENOTFOUND : TSP8_EIO;
	/* flock, not fcntl: its lock belongs to this open file, so two cfg
	 * objects of one process exclude each other too, and closing another
	 * descriptor of the file does not drop it. */
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			close(fd);
			return TSP8_EIO;
		}
	}
	*fd_out = fd;
	return TSP8_OK;
}

int cfg_commit(struct cfg *c)
{
	int lock_fd = -1;
	struct reg_doc *d;
	char *text;
	size_t len;
	int rc;

	if (!c)
		return TSP8_EINVAL;
	plat_mutex_lock(&c->lock);
	if (!c->pending) {
		plat_mutex_unlock(&c->lock);
		return TSP8_OK;
	}
	/* Someone else (tsptray, another process) may have written the file
	 * since we read it: merge onto what is there now, with other
	 * committers locked out until our rename.  A file that no longer
	 * parses is not overwritten. */
	rc = lock_commit(c->path, &lock_fd);
	bool reuse = rc == TSP8_OK && unchanged_since_seen(c);
	if (reuse)
		d = c->doc;   /* already the file plus the pending changes */
	else if (rc == TSP8_OK)
		rc = load_merged(c, &d, NULL, 0);
	if (rc == TSP8_OK) {
		rc = reg_doc_write(d, &text, &len);
		if (rc == TSP8_OK) {
			rc = plat_write_file_atomic_mode(c->path, text, len, has_secrets(d));
			free(text);
		}
		/* under the commit lock: the file stat sees is the one written */
		c->seen_known = rc == TSP8_OK && stat(c->path, &c->seen) == 0;
		if (rc == TSP8_OK) {
			if (!reuse)
				reg_doc_destroy(c->doc);
			c->doc = d;
			clear_pending(c);
		} else if (!reuse) {
			reg_doc_destroy(d);
		}
	}
	if (lock_fd >= 0)
		close(lock_fd);
	plat_mutex_unlock(&c->lock);
	return rc;
}
