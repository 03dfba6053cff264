/* REGEDIT4 document model: sections, values, the lookup index, and the
 * get/set/delete/enum operations of config_reg.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/config_reg_impl.h"
#include "base/error.h"

int reg_buf_add(struct reg_buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *q;

		while (cap < b->n + n + 1)
			cap *= 2;
		q = realloc(b->p, cap);
		if (!q)
			return TSP8_ENOMEM;
		b->p = q;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return TSP8_OK;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Length of a key path without its trailing backslashes. */
static size_t key_len(const char *k)
{
	size_t n = strlen(k);

	while (n > 0 && k[n - 1] == '\\')
		n--;
	return n;
}

bool reg_key_equal(const char *a, const char *b)
{
	size_t na, nb, i;

	if (!a || !b)
		return false;
	na = key_len(a);
	nb = key_len(b);
	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/* "key\1name", both folded to lower case: equal for equal registry names. */
static char *fold(const char *key, const char *name)
{
	size_t nk = key_len(key), nn = strlen(name), i;
	char *s = malloc(nk + nn + 2);

	if (!s)
		return NULL;
	for (i = 0; i < nk; i++)
		s[i] = lower(key[i]);
	s[nk] = '\1';
	for (i = 0; i < nn; i++)
		s[nk + 1 + i] = lower(name[i]);
	s[nk + 1 + nn] = '\0';
	return s;
}

static size_t hash(const char *s)
{
	uint32_t h = 2166136261u;   /* FNV-1a */

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static struct reg_item **index_slot(const struct reg_doc *d, const char *hkey)
{
	struct reg_item **p;

	if (!d->nbuckets)
		return NULL;
	for (p = &d->buckets[hash(hkey) % d->nbuckets]; *p; p = &(*p)->hnext)
		if (strcmp((*p)->hkey, hkey) == 0)
			return p;
	return NULL;
}

static int index_grow(struct reg_doc *d)
{
	size_t nb = d->nbuckets ? d->nbuckets * 4 : 64, i;
	struct reg_item **b = calloc(nb, sizeof(*b));

	if (!b)
		return TSP8_ENOMEM;
	for (i = 0; i < d->nbuckets; i++) {
		struct reg_item *it = d->buckets[i], *next;

		for (; it; it = next) {
			size_t h = hash(it->hkey) % nb;

			next = it->hnext;
			it->hnext = b[h];
			b[h] = it;
		}
	}
	free(d->buckets);
	d->buckets = b;
	d->nbuckets = nb;
	return TSP8_OK;
}

static void index_remove(struct reg_doc *d, struct reg_item *it)
{
	struct reg_item **p = it->hkey ? index_slot(d, it->hkey) : NULL;

	if (p && *p == it) {
		*p = it->hnext;
		d->nindexed--;
	}
	free(it->hkey);
	it->hkey = NULL;
	it->hnext = NULL;
}

int reg_index_value(struct reg_doc *d, struct reg_item *it)
{
	struct reg_item **p;
	char *hkey;

	if (it->type == REG_TYPE_OTHER || !it->sec->key || it->sec->deletion)
		return TSP8_OK;         /* never looked up */
	hkey = fold(it->sec->key, it->name);
	if (!hkey)
		return TSP8_ENOMEM;
	if ((d->nindexed + 1) > d->nbuckets * 2 && index_grow(d) != TSP8_OK) {
		free(hkey);
		return TSP8_ENOMEM;
	}
	p = index_slot(d, hkey);
	if (p) {
		(*p)->hidden = true;
		index_remove(d, *p);
	}
	it->hkey = hkey;
	p = &d->buckets[hash(hkey) % d->nbuckets];
	it->hnext = *p;
	*p = it;
	d->nindexed++;
	return TSP8_OK;
}

void reg_item_free(struct reg_item *it)
{
	if (!it)
		return;
	free(it->raw);
	free(it->name);
	free(it->data);
	free(it->comment);
	free(it->hkey);
	free(it);
}

static int grow(void **arr, size_t *cap, size_t count, size_t elem)
{
	void *n;
	size_t c;

	if (count < *cap)
		return TSP8_OK;
	c = *cap ? *cap * 2 : 8;
	n = realloc(*arr, c * elem);
	if (!n)
		return TSP8_ENOMEM;
	*arr = n;
	*cap = c;
	return TSP8_OK;
}

static int section_insert(struct reg_section *s, size_t pos, struct reg_item *it)
{
	if (grow((void **)&s->items, &s->cap, s->count, sizeof(*s->items)) != TSP8_OK)
		return TSP8_ENOMEM;
	memmove(s->items + pos + 1, s->items + pos, (s->count - pos) * sizeof(*s->items));
	s->items[pos] = it;
	s->count++;
	it->sec = s;
	return TSP8_OK;
}

int reg_section_append(struct reg_section *s, struct reg_item *it)
{
	return section_insert(s, s->count, it);
}

int reg_section_add(struct reg_doc *d, struct reg_section **out, char *header_raw,
		    char *key, bool deletion)
{
	struct reg_section *s;

	if (grow((void **)&d->secs, &d->capsecs, d->nsecs, sizeof(*d->secs)) != TSP8_OK)
		return TSP8_ENOMEM;
	s = calloc(1, sizeof(*s));
	if (!s)
		return TSP8_ENOMEM;
	s->header_raw = header_raw;
	s->key = key;
	s->deletion = deletion;
	d->secs[d->nsecs++] = s;
	*out = s;
	return TSP8_OK;
}

static void section_clear(struct reg_section *s)
{
	size_t i;

	for (i = 0; i < s->count; i++)
		reg_item_free(s->items[i]);
	free(s->items);
	free(s->header_raw);
	free(s->key);
}

int reg_doc_create(struct reg_doc **out)
{
	struct reg_doc *d;

	if (!out)
		return TSP8_EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return TSP8_ENOMEM;
	*out = d;
	return TSP8_OK;
}

void reg_doc_destroy(struct reg_doc *d)
{
	size_t i;

	if (!d)
		return;
	section_clear(&d->pre);
	for (i = 0; i < d->nsecs; i++) {
		section_clear(d->secs[i]);
		free(d->secs[i]);
	}
	free(d->secs);
	free(d->buckets);
	free(d->header);
	free(d);
}

static const struct reg_item *find_visible(const struct reg_doc *d, const char *key,
					   const char *name)
{
	char *hkey = fold(key, name);
	struct reg_item **p;

	if (!hkey)
		return NULL;
	p = index_slot(d, hkey);
	free(hkey);
	return p ? *p : NULL;
}

int reg_doc_get(const struct reg_doc *d, const char *key, const char *name,
		int *type, const void **data, size_t *len)
{
	const struct reg_item *it;

	if (!d || !key || !name)
		return TSP8_EINVAL;
	it = find_visible(d, key, name);
	if (!it)
		return TSP8_ENOTFOUND;
	if (type)
		*type = it->type;
	if (data)
		*data = it->data;
	if (len)
		*len = it->len;
	return TSP8_OK;
}

/* Key paths, names and strings must fit on one line of the file. */
static bool printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return false;
	return true;
}

/* True when the value, written out, stays within what the parser reads
 * back (REG_LINE_MAX per line, REG_VALUE_MAX per hex list), even if every
 * character needs escaping. */
static bool fits_file(const char *key, const char *name, enum cfg_type type, size_t len)
{
	size_t head = 2 * strlen(name) + 16;

	if (strlen(key) + 4 > REG_LINE_MAX || head > REG_LINE_MAX)
		return false;
	if (type == CFG_SZ)
		return len <= (REG_LINE_MAX - head) / 2;
	if (type == CFG_BINARY)
		return len <= (REG_VALUE_MAX - head) / 3;
	return true;
}

static bool blank_line(const struct reg_item *it)
{
	const char *p;

	if (it->kind != REG_ITEM_LINE)
		return false;
	for (p = it->raw; *p; p++)
		if (*p != ' ' && *p != '\t')
			return false;
	return true;
}

/* Appends an empty line to the last section (or preamble) unless it already
 * ends with one, so that a new section is set apart like regedit does. */
static int separate_last(struct reg_doc *d)
{
	struct reg_section *s = d->nsecs ? d->secs[d->nsecs - 1] : &d->pre;
	struct reg_item *it;

	if (s->count && blank_line(s->items[s->count - 1]))
		return TSP8_OK;
	it = calloc(1, sizeof(*it));
	if (!it || !(it->raw = calloc(1, 1))) {
		free(it);
		return TSP8_ENOMEM;
	}
	it->kind = REG_ITEM_LINE;
	if (reg_section_append(s, it) != TSP8_OK) {
		reg_item_free(it);
		return TSP8_ENOMEM;
	}
	return TSP8_OK;
}

static struct reg_section *last_section(struct reg_doc *d, const char *key)
{
	size_t i;

	for (i = d->nsecs; i-- > 0;)
		if (!d->secs[i]->deletion && reg_key_equal(d->secs[i]->key, key))
			return d->secs[i];
	return NULL;
}

static int new_section(struct reg_doc *d, const char *key, struct reg_section **out)
{
	size_t n = key_len(key);
	char *k = malloc(n + 1);
	int rc;

	if (!k)
		return TSP8_ENOMEM;
	memcpy(k, key, n);
	k[n] = '\0';
	rc = separate_last(d);
	if (rc == TSP8_OK)
		rc = reg_section_add(d, out, NULL, k, false);
	if (rc != TSP8_OK)
		free(k);
	return rc;
}

/* Where a new value goes: after the section's last value, or before its
 * trailing blank lines when it has none. */
static size_t insert_pos(const struct reg_section *s)
{
	size_t i;

	for (i = s->count; i-- > 0;)
		if (s->items[i]->kind == REG_ITEM_VALUE)
			return i + 1;
	for (i = s->count; i > 0 && blank_line(s->items[i - 1]); i--)
		;
	return i;
}

static int copy_data(const void *data, size_t len, unsigned char **out)
{
	/* One spare byte: strings stay NUL-terminated; never malloc(0). */
	unsigned char *p = malloc(len + 1);

	if (!p)
		return TSP8_ENOMEM;
	if (len)
		memcpy(p, data, len);
	p[len] = '\0';
	*out = p;
	return TSP8_OK;
}

int reg_doc_set(struct reg_doc *d, const char *key, const char *name,
		enum cfg_type type, const void *data, size_t len)
{
	struct reg_item *it;
	struct reg_section *s;
	unsigned char *copy;
	int rc;

	if (!d || !key || key_len(key) == 0 || !name || (!data && len > 0) ||
	    !printable(key, strlen(key)) || !printable(name, strlen(name)))
		return TSP8_EINVAL;
	if ((type == CFG_DWORD && len != 4) ||
	    (type == CFG_SZ && len > 0 && (memchr(data, '\0', len) || !printable(data, len))) ||
	    (type != CFG_SZ && type != CFG_DWORD && type != CFG_BINARY) ||
	    !fits_file(key, name, type, len))
		return TSP8_EINVAL;
	rc = copy_data(data, len, &copy);
	if (rc != TSP8_OK)
		return rc;

	it = (struct reg_item *)find_visible(d, key, name);
	if (it) {               /* change in place: keeps position and comment */
		free(it->raw);
		it->raw = NULL;
		free(it->data);
		it->data = copy;
		it->len = len;
		it->type = type;
		return TSP8_OK;
	}

	it = calloc(1, sizeof(*it));
	if (!it || !(it->name = malloc(strlen(name) + 1))) {
		free(it);
		free(copy);
		return TSP8_ENOMEM;
	}
	strcpy(it->name, name);
	it->kind = REG_ITEM_VALUE;
	it->type = type;
	it->data = copy;
	it->len = len;
	s = last_section(d, key);
	rc = s ? TSP8_OK : new_section(d, key, &s);
	if (rc == TSP8_OK) {
		it->sec = s;    /* no visible value of this name: hides nothing */
		rc = reg_index_value(d, it);
	}
	if (rc == TSP8_OK) {
		rc = section_insert(s, insert_pos(s), it);
		if (rc != TSP8_OK)
			index_remove(d, it);
	}
	if (rc != TSP8_OK)
		reg_item_free(it);
	return rc;
}

static bool name_equal(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (lower(*a) != lower(*b))
			return false;
	return *a == *b;
}

int reg_doc_delete(struct reg_doc *d, const char *key, const char *name)
{
	struct reg_item *it;
	size_t i, j, k;

	if (!d || !key || !name)
		return TSP8_EINVAL;
	it = (struct reg_item *)find_visible(d, key, name);
	if (!it)
		return TSP8_ENOTFOUND;
	index_remove(d, it);
	/* Hidden lines of the same name go too: they would reappear when the
	 * file is read again. */
	for (i = 0; i < d->nsecs; i++) {
		struct reg_section *s = d->secs[i];

		if (s->deletion || !reg_key_equal(s->key, key))
			continue;
		for (j = k = 0; j < s->count; j++) {
			struct reg_item *v = s->items[j];

			if (v->kind == REG_ITEM_VALUE && name_equal(v->name, name)) {
				if (v->hkey)
					index_remove(d, v);
				reg_item_free(v);
			} else {
				s->items[k++] = v;
			}
		}
		s->count = k;
	}
	return TSP8_OK;
}

int reg_doc_enum(const struct reg_doc *d, const char *key, reg_value_fn *fn, void *arg)
{
	size_t i, j;
	int rc;

	if (!d || !key || !fn)
		return TSP8_EINVAL;
	for (i = 0; i < d->nsecs; i++) {
		const struct reg_section *s = d->secs[i];

		if (s->deletion || !reg_key_equal(s->key, key))
			continue;
		for (j = 0; j < s->count; j++) {
			const struct reg_item *v = s->items[j];

			if (v->kind != REG_ITEM_VALUE || v->hidden || v->type == REG_TYPE_OTHER)
				continue;
			rc = fn(arg, v->name, v->type, v->data, v->len);
			if (rc != 0)
				return rc;
		}
	}
	return TSP8_OK;
}
