/* Decoders whose results are records (soap/pbx_records.h): Version, Poll,
 * FindUser, UserFindDestination, Calls, Devices.
 *
 * gSOAP's decoded data lives in the codec's context and dies with the next
 * message, so every result is copied into ONE malloc'd block: the result
 * struct first, then record arrays and strings.  The copy runs twice with
 * the same code: a sizing pass (no memory, writes go to scratch records)
 * and a filling pass into the block of exactly that size.  Absent strings
 * become "", invalid UTF-8 is replaced (codec_utf8.c) and NULL array
 * members (xsi:nil) are skipped. */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "soap/soap_internal.h"

/* Bump allocator over the result block; base == NULL: sizing pass. */
struct blk {
	char *base;
	size_t off;
};

static void *blk_take(struct blk *b, size_t size, size_t align)
{
	size_t off = (b->off + align - 1) & ~(align - 1);

	b->off = off + size;
	return b->base ? b->base + off : NULL;
}

/* Array of n records (NULL in the sizing pass or when n == 0). */
static void *blk_array(struct blk *b, size_t n, size_t size, size_t align)
{
	return n ? blk_take(b, n * size, align) : NULL;
}

/* Copy of s in the block (UTF-8 cleaned); "" for absent/empty strings. */
static const char *blk_str(struct blk *b, const char *s)
{
	size_t n;
	char *p;

	if (!s || !*s)
		return "";
	n = codec_utf8_clean_len(s) + 1;
	p = blk_take(b, n, 1);
	if (!p)
		return "";
	codec_utf8_clean(p, s);
	return p;
}

/* Destination slot i of arr, or the scratch record in the sizing pass. */
#define SLOT(arr, i, scratch) ((arr) ? &(arr)[i] : &(scratch))

/* Number of non-NULL members of a gSOAP pointer array. */
static size_t count_items(void *const *items, int size)
{
	size_t n = 0;

	for (int i = 0; items && i < size; i++)
		if (items[i])
			n++;
	return n;
}

#define ITEMS(a) ((a) ? (void *const *)(a)->__ptritem : NULL), ((a) ? (a)->__size : 0)

static bool is_true(const enum xsd__boolean *b)
{
	return b && *b == xsd__boolean__true_;
}

static void copy_infos(struct blk *b, const struct InfoArray *src, const struct pbx_info **out, size_t *nout)
{
	size_t n = count_items(ITEMS(src)), k = 0;
	struct pbx_info *arr = blk_array(b, n, sizeof(*arr), alignof(struct pbx_info)), scratch;

	for (int i = 0; n && i < src->__size; i++) {
		const struct inno__Info *s = src->__ptritem[i];
		struct pbx_info *d;

		if (!s)
			continue;
		d = SLOT(arr, k, scratch);
		k++;
		d->type = blk_str(b, s->type);
		d->vali = s->vali;
		d->vals = blk_str(b, s->vals);
	}
	*out = arr;
	*nout = arr ? n : 0;
}

static void copy_groups(struct blk *b, const struct GroupArray *src, const struct pbx_group **out, size_t *nout)
{
	size_t n = count_items(ITEMS(src)), k = 0;
	struct pbx_group *arr = blk_array(b, n, sizeof(*arr), alignof(struct pbx_group)), scratch;

	for (int i = 0; n && i < src->__size; i++) {
		const struct inno__Group *s = src->__ptritem[i];
		struct pbx_group *d;

		if (!s)
			continue;
		d = SLOT(arr, k, scratch);
		k++;
		d->group = blk_str(b, s->group);
		d->active = s->active == xsd__boolean__true_;
	}
	*out = arr;
	*nout = arr ? n : 0;
}

static void copy_nos(struct blk *b, const struct NoArray *src, const struct pbx_no **out, size_t *nout)
{
	size_t n = count_items(ITEMS(src)), k = 0;
	struct pbx_no *arr = blk_array(b, n, sizeof(*arr), alignof(struct pbx_no)), scratch;

	for (int i = 0; n && i < src->__size; i++) {
		const struct inno__No *s = src->__ptritem[i];
		struct pbx_no *d;

		if (!s)
			continue;
		d = SLOT(arr, k, scratch);
		k++;
		d->type = blk_str(b, s->type);
		d->cn = blk_str(b, s->cn);
		d->dn = blk_str(b, s->dn);
		d->e164 = blk_str(b, s->e164);
		d->h323 = blk_str(b, s->h323);
	}
	*out = arr;
	*nout = arr ? n : 0;
}

static void copy_user(struct blk *b, struct pbx_user *d, const struct inno__UserInfo *s)
{
	d->active = s->active == xsd__boolean__true_;
	d->cn = blk_str(b, s->cn);
	d->dn = blk_str(b, s->dn);
	d->type = blk_str(b, s->type);
	d->e164 = blk_str(b, s->e164);
	d->h323 = blk_str(b, s->h323);
	d->guid = blk_str(b, s->guid);
	d->state = s->state;
	d->channel = s->channel;
	d->alert = s->alert;
	d->loc = blk_str(b, s->loc);
	d->node = blk_str(b, s->node);
	d->object = blk_str(b, s->object);
	d->nodenum = blk_str(b, s->nodenum);
	d->domain = blk_str(b, s->domain);
	d->cfg = is_true(s->cfg);
	d->presence.present = s->presence != NULL;
	d->presence.status = blk_str(b, s->presence ? s->presence->status : NULL);
	d->presence.activity = blk_str(b, s->presence ? s->presence->activity : NULL);
	d->presence.note = blk_str(b, s->presence ? s->presence->note : NULL);
	copy_groups(b, s->groups, &d->groups, &d->ngroups);
	copy_infos(b, s->info, &d->info, &d->ninfo);
}

static void copy_call(struct blk *b, struct pbx_call *d, const struct inno__CallInfo *s)
{
	d->user = s->user;
	d->call = s->call;
	d->reg = s->reg;
	d->active = s->active == xsd__boolean__true_;
	d->state = s->state;
	d->msg = blk_str(b, s->msg);
	copy_nos(b, s->No, &d->nos, &d->nnos);
	copy_infos(b, s->info, &d->info, &d->ninfo);
}

/* Is this UserInfo the empty-cn record that ends the initial dump? */
static bool is_dump_end(const struct inno__UserInfo *u)
{
	return !u->cn || !*u->cn;
}

/* Copies the users of src; with split_dump_end, empty-cn records are left
 * out and reported through *dump_end instead. */
static void copy_users(struct blk *b, const struct UserInfoArray *src, bool split_dump_end,
		       const struct pbx_user **out, size_t *nout, bool *dump_end)
{
	size_t n = 0, k = 0;
	struct pbx_user *arr, scratch;

	for (int i = 0; src && i < src->__size; i++) {
		const struct inno__UserInfo *u = src->__ptritem[i];

		if (!u)
			continue;
		if (split_dump_end && is_dump_end(u))
			*dump_end = true;
		else
			n++;
	}
	arr = blk_array(b, n, sizeof(*arr), alignof(struct pbx_user));
	for (int i = 0; n && i < src->__size; i++) {
		const struct inno__UserInfo *u = src->__ptritem[i];

		if (!u || (split_dump_end && is_dump_end(u)))
			continue;
		copy_user(b, SLOT(arr, k, scratch), u);
		k++;
	}
	*out = arr;
	*nout = arr ? n : 0;
}

static void copy_calls(struct blk *b, const struct CallInfoArray *src, const struct pbx_call **out, size_t *nout)
{
	size_t n = count_items(ITEMS(src)), k = 0;
	struct pbx_call *arr = blk_array(b, n, sizeof(*arr), alignof(struct pbx_call)), scratch;

	for (int i = 0; n && i < src->__size; i++) {
		if (!src->__ptritem[i])
			continue;
		copy_call(b, SLOT(arr, k, scratch), src->__ptritem[i]);
		k++;
	}
	*out = arr;
	*nout = arr ? n : 0;
}

static void copy_devices(struct blk *b, const struct DeviceArray *src, const struct pbx_device **out,
			 size_t *nout)
{
	size_t n = count_items(ITEMS(src)), k = 0;
	struct pbx_device *arr = blk_array(b, n, sizeof(*arr), alignof(struct pbx_device)), scratch;

	for (int i = 0; n && i < src->__size; i++) {
		const struct inno__Device *s = src->__ptritem[i];
		struct pbx_device *d;

		if (!s)
			continue;
		d = SLOT(arr, k, scratch);
		k++;
		d->hw = blk_str(b, s->hw);
		d->text = blk_str(b, s->text);
	}
	*out = arr;
	*nout = arr ? n : 0;
}

/* Runs fill(b, result, src) in a sizing pass, allocates the block, runs it
 * again to fill.  The result struct sits at the start of the block. */
typedef void (*fill_fn)(struct blk *b, void *result, const void *src);

static int build_block(size_t result_size, size_t result_align, fill_fn fill, const void *src, void **out)
{
	struct blk b = { NULL, 0 };
	void *scratch, *result;

	scratch = calloc(1, result_size);
	if (!scratch)
		return TSP8_ENOMEM;
	blk_take(&b, result_size, result_align);
	fill(&b, scratch, src);
	free(scratch);
	b.base = calloc(1, b.off ? b.off : 1);
	if (!b.base)
		return TSP8_ENOMEM;
	b.off = 0;
	result = blk_take(&b, result_size, result_align);
	fill(&b, result, src);
	*out = result;
	return TSP8_OK;
}

/* --- per-result fill functions --- */

static void fill_version(struct blk *b, void *result, const void *src)
{
	struct pbx_version *d = &((struct pbx_version_result *)result)->v;
	const struct inno__VersionResponse *s = src;

	d->wsdl_version = s->WSDLVersion;
	d->gatekeeper_id = blk_str(b, s->GatekeeperID);
	d->location = blk_str(b, s->Location);
	d->firmware = blk_str(b, s->FirmwareVersion);
	d->serial = blk_str(b, s->SerialNumber);
}

static void fill_poll(struct blk *b, void *result, const void *src)
{
	struct pbx_poll *d = &((struct pbx_poll_result *)result)->p;
	const struct inno__AnyInfo *s = ((const struct inno__PollResponse *)src)->return_;

	d->dump_end = false;
	copy_users(b, s ? s->user : NULL, true, &d->users, &d->nusers, &d->dump_end);
	copy_calls(b, s ? s->call : NULL, &d->calls, &d->ncalls);
}

static void fill_find_user(struct blk *b, void *result, const void *src)
{
	struct pbx_users_result *d = result;
	const struct inno__FindUserResponse *s = src;

	d->incomplete = false;
	copy_users(b, s->return_, false, &d->users, &d->nusers, NULL);
}

static void fill_find_destination(struct blk *b, void *result, const void *src)
{
	struct pbx_users_result *d = result;
	const struct inno__UserFindDestinationResponse *s = src;
	struct pbx_user *u, scratch;

	d->incomplete = s->return_ == xsd__boolean__true_;
	d->users = NULL;
	d->nusers = 0;
	if (!s->user)
		return;
	u = blk_array(b, 1, sizeof(*u), alignof(struct pbx_user));
	copy_user(b, u ? u : &scratch, s->user);
	d->users = u;
	d->nusers = u ? 1 : 0;
}

static void fill_calls(struct blk *b, void *result, const void *src)
{
	struct pbx_calls_result *d = result;

	copy_calls(b, ((const struct inno__CallsResponse *)src)->return_, &d->calls, &d->ncalls);
}

static void fill_devices(struct blk *b, void *result, const void *src)
{
	struct pbx_devices_result *d = result;

	copy_devices(b, ((const struct inno__DevicesResponse *)src)->return_, &d->devices, &d->ndevices);
}

/* Receives one response with get_expr, copies it with fill into a new block
 * published in *out, and releases gSOAP's data in every case. */
#define DECODE_BLOCK(cx, xml, len, op, err, out, type, resp, get_expr, fill) \
	do { \
		void *block_; \
		int rc_; \
		if (err) \
			(err)->msg[0] = '\0'; \
		if (!(cx) || !(out)) \
			return codec_fail((err), TSP8_EINVAL, "invalid argument"); \
		rc_ = codec_recv_begin((cx), (xml), (len), (op), (err)); \
		if (rc_ == TSP8_OK) { \
			(void)(get_expr); \
			rc_ = codec_recv_end((cx), (err)); \
		} \
		if (rc_ == TSP8_OK) { \
			rc_ = build_block(sizeof(type), alignof(type), (fill), &(resp), &block_); \
			if (rc_ != TSP8_OK) \
				codec_fail((err), rc_, "out of memory"); \
		} \
		codec_recv_release(cx); \
		if (rc_ == TSP8_OK) \
			*(out) = block_; \
		return rc_; \
	} while (0)

int pbx_dec_version(struct pbx_codec *cx, const char *xml, size_t len, struct pbx_version_result **out,
		    struct pbx_err *err)
{
	struct inno__VersionResponse r;

	DECODE_BLOCK(cx, xml, len, PBX_OP_VERSION, err, out, struct pbx_version_result, r,
		     soap_get_inno__VersionResponse(cx->soap, &r, "", NULL), fill_version);
}

int pbx_dec_poll(struct pbx_codec *cx, const char *xml, size_t len, struct pbx_poll_result **out,
		 struct pbx_err *err)
{
	struct inno__PollResponse r;

	DECODE_BLOCK(cx, xml, len, PBX_OP_POLL, err, out, struct pbx_poll_result, r,
		     soap_get_inno__PollResponse(cx->soap, &r, "", NULL), fill_poll);
}

int pbx_dec_find_user(struct pbx_codec *cx, const char *xml, size_t len, struct pbx_users_result **out,
		      struct pbx_err *err)
{
	struct inno__FindUserResponse r;

	DECODE_BLOCK(cx, xml, len, PBX_OP_FIND_USER, err, out, struct pbx_users_result, r,
		     soap_get_inno__FindUserResponse(cx->soap, &r, "", NULL), fill_find_user);
}

int pbx_dec_user_find_destination(struct pbx_codec *cx, const char *xml, size_t len,
				  struct pbx_users_result **out, struct pbx_err *err)
{
	struct inno__UserFindDestinationResponse r;

	DECODE_BLOCK(cx, xml, len, PBX_OP_USER_FIND_DESTINATION, err, out, struct pbx_users_result, r,
		     soap_get_inno__UserFindDestinationResponse(cx->soap, &r, "", NULL), fill_find_destination);
}

int pbx_dec_calls(struct pbx_codec *cx, const char *xml, size_t len, struct pbx_calls_result **out,
		  struct pbx_err *err)
{
	struct inno__CallsResponse r;

	DECODE_BLOCK(cx, xml, len, PBX_OP_CALLS, err, out, struct pbx_calls_result, r,
		     soap_get_inno__CallsResponse(cx->soap, &r, "", NULL), fill_calls);
}

int pbx_dec_devices(struct pbx_codec *cx, const char *xml, size_t len, struct pbx_devices_result **out,
		    struct pbx_err *err)
{
	struct inno__DevicesResponse r;

	DECODE_BLOCK(cx, xml, len, PBX_OP_DEVICES, err, out, struct pbx_devices_result, r,
		     soap_get_inno__DevicesResponse(cx->soap, &r, "", NULL), fill_devices);
}

/* The whole result is one block: freeing its start frees everything. */
void pbx_version_free(struct pbx_version_result *r) { free(r); }
void pbx_poll_free(struct pbx_poll_result *r) { free(r); }
void pbx_users_free(struct pbx_users_result *r) { free(r); }
void pbx_calls_free(struct pbx_calls_result *r) { free(r); }
void pbx_devices_free(struct pbx_devices_result *r) { free(r); }
