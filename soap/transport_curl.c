/* PBX I/O (pbx_io.h): one thread running libcurl's multi interface for
 * every PBX session of the process.
 *
 * Other threads never touch curl: they put requests, timers and run items
 * into queues under io->lock and wake the thread with curl_multi_wakeup().
 * The I/O thread creates the easy handles, drives curl_multi_poll, and calls
 * every callback with the lock released.
 *
 * Long Poll vs commands (own_connection): requests flagged own_connection
 * (a session's long Poll) take their connections from a separate libcurl
 * connection cache (a CURLSH sharing CURL_LOCK_DATA_CONNECT, used only on
 * this thread).  Commands use the multi handle's own cache.  So a Poll
 * holding its connection for 60 s never counts against the per-host limit
 * of command connections (max_host_connections), and a command never waits
 * for, or reuses, a connection a Poll holds: it takes an idle keep-alive
 * connection of its own cache or opens a new one.  Both caches keep their
 * connections alive between requests (HTTP/1.1 keep-alive, TCP keep-alive).
 *
 * Retries: libcurl itself resends a request once when a reused keep-alive
 * connection turns out to be dead before any byte of the answer arrived
 * (the peer closed it while idle).  A Poll cut that way therefore simply
 * continues on a new connection; a cut after the answer began is reported
 * as TSP8_ECLOSED.
 *
 * libcurl initialisation: curl_global_init is called by every pbx_io_create
 * and paired with curl_global_cleanup in pbx_io_destroy.  It is reference
 * counted and thread-safe since libcurl 7.84 when libcurl reports the
 * "threadsafe" feature; pbx_io_create refuses to run without it.
 */
#include "io_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/sched.h"
#include "base/trace.h"
#include "soap/pbx_rpc.h"

/* Longest sleep in curl_multi_poll without a timer: only a safety net, every
 * submission wakes the thread. */
#define IO_IDLE_WAIT_MS 5000

static void live_unlink(struct pbx_io *io, struct io_req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		io->live = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->prev = r->next = NULL;
	io->stats.active--;
}

/* Calls the completion of a request that has left io->live, then frees it.
 * Runs on the I/O thread (or on the destroying thread after it stopped). */
static void deliver(struct pbx_io *io, struct io_req *r, struct pbx_http_resp *resp)
{
	if (r->started)
		curl_multi_remove_handle(io->multi, r->easy);
	uint64_t now = plat_now_ms();
	resp->elapsed_ms = (uint32_t)(now - r->t0);
	io_req_trace_done(io, r, resp);
	if (r->done)
		r->done(r->arg, resp);
	io_req_recycle_easy(io, r);
	io_req_free(r);
}

static void deliver_canceled(struct pbx_io *io, struct io_req *r)
{
	struct pbx_http_resp resp = {
		.err = TSP8_ECANCELED, .status = 0, .body = "", .body_len = 0,
		.errmsg = "canceled",
	};
	deliver(io, r, &resp);
}

/* A transfer ended (or could not start): report it unless it was canceled
 * meanwhile, in which case the promise of pbx_io_cancel wins. */
static void complete(struct pbx_io *io, struct io_req *r, CURLcode cc, int setup_err)
{
	struct pbx_http_resp resp;
	memset(&resp, 0, sizeof(resp));
	if (setup_err != TSP8_OK) {
		resp.err = setup_err;
		resp.body = "";
		resp.errmsg = r->errbuf[0] ? r->errbuf : tsp8_strerror(setup_err);
	} else {
		io_req_result(r, cc, &resp);
	}
	plat_mutex_lock(&io->lock);
	bool canceled = r->canceled;
	if (canceled)
		io->ncanceled--;
	else if (resp.err != TSP8_OK)
		io->stats.failures++;
	live_unlink(io, r);
	plat_mutex_unlock(&io->lock);
	if (canceled)
		deliver_canceled(io, r);
	else
		deliver(io, r, &resp);
}

static void start_submitted(struct pbx_io *io, struct io_req *q)
{
	while (q) {
		struct io_req *r = q;
		q = q->qnext;
		r->qnext = NULL;
		plat_mutex_lock(&io->lock);
		bool canceled = r->canceled;
		plat_mutex_unlock(&io->lock);
		if (canceled) {
			complete(io, r, CURLE_OK, TSP8_OK);
			continue;
		}
		int rc = io_req_setup(io, r);
		if (rc == TSP8_OK) {
			CURLMcode mc = curl_multi_add_handle(io->multi, r->easy);
			if (mc != CURLM_OK) {
				snprintf(r->errbuf, sizeof(r->errbuf), "curl_multi_add_handle: %s",
					 curl_multi_strerror(mc));
				rc = mc == CURLM_OUT_OF_MEMORY ? TSP8_ENOMEM : TSP8_EIO;
			}
		}
		if (rc != TSP8_OK) {
			complete(io, r, CURLE_OK, rc);
			continue;
		}
		r->started = true;
		io_req_trace_start(io, r);
	}
}

/* Removes started requests that pbx_io_cancel flagged and reports them. */
static void reap_canceled(struct pbx_io *io)
{
	struct io_req *reaped = NULL;
	plat_mutex_lock(&io->lock);
	if (io->ncanceled) {
		struct io_req *r = io->live;
		while (r) {
			struct io_req *next = r->next;
			if (r->canceled && r->started) {
				live_unlink(io, r);
				io->ncanceled--;
				r->qnext = reaped;
				reaped = r;
			}
			r = next;
		}
	}
	plat_mutex_unlock(&io->lock);
	while (reaped) {
		struct io_req *r = reaped;
		reaped = r->qnext;
		deliver_canceled(io, r);
	}
}

static void read_finished(struct pbx_io *io)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(io->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct io_req *r = NULL;
		CURLcode cc = msg->data.result;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (r)
			complete(io, r, cc, TSP8_OK);
	}
}

static void run_timers(struct pbx_io *io)
{
	uint64_t now = plat_now_ms();
	struct io_timer *due[32];
	size_t n;
	/* Take at most a batch per loop so that timers armed by callbacks with
	 * 0 ms never starve the network. */
	plat_mutex_lock(&io->lock);
	for (n = 0; n < sizeof(due) / sizeof(due[0]); n++) {
		due[n] = io_heap_pop_due(&io->timers, now);
		if (!due[n])
			break;
	}
	plat_mutex_unlock(&io->lock);
	for (size_t i = 0; i < n; i++) {
		due[i]->fn(due[i]->arg);
		free(due[i]);
	}
}

static void run_items(struct io_run *q)
{
	while (q) {
		struct io_run *it = q;
		q = q->next;
		it->fn(it->arg);
		free(it);
	}
}

static int wait_ms(struct pbx_io *io)
{
	int ms = IO_IDLE_WAIT_MS;
	plat_mutex_lock(&io->lock);
	if (io->submitq || io->runq || io->ncanceled || io->stopping) {
		ms = 0;
	} else {
		struct io_timer *t = io_heap_top(&io->timers);
		if (t) {
			uint64_t now = plat_now_ms();
			uint64_t left = t->due > now ? t->due - now : 0;
			if (left < (uint64_t)ms)
				ms = (int)left;
		}
	}
	plat_mutex_unlock(&io->lock);
	return ms;
}

static void io_thread(void *arg)
{
	struct pbx_io *io = arg;
	atomic_store(&io->thread_id, plat_thread_id());
	TRACE(io->tr, TRACE_THREAD, "pbx_io: I/O thread %lu started", plat_thread_id());
	sched_pin_thread(io->pin_mask, io->tr, "pbx_io");
	for (;;) {
		plat_mutex_lock(&io->lock);
		if (io->stopping) {
			/* Whatever is still queued is canceled by pbx_io_destroy. */
			plat_mutex_unlock(&io->lock);
			break;
		}
		struct io_req *sub = io->submitq;
		struct io_run *runs = io->runq;
		io->submitq = io->submitq_tail = NULL;
		io->runq = io->runq_tail = NULL;
		plat_mutex_unlock(&io->lock);
		start_submitted(io, sub);
		reap_canceled(io);
		int running = 0;
		curl_multi_perform(io->multi, &running);
		read_finished(io);
		run_timers(io);
		run_items(runs);
		int ms = wait_ms(io);
		if (ms > 0) {
			CURLMcode mc = curl_multi_poll(io->multi, NULL, 0, ms, NULL);
			if (mc != CURLM_OK) {
				TRACE(io->tr, TRACE_WARN, "pbx_io: curl_multi_poll: %s",
				      curl_multi_strerror(mc));
				plat_sleep_ms(10);
			}
		}
	}
	TRACE(io->tr, TRACE_THREAD, "pbx_io: I/O thread %lu stopped", plat_thread_id());
	atomic_store(&io->thread_id, ULONG_MAX);
}

/* Interrupts the I/O thread's curl_multi_poll.  Not needed on the I/O
 * thread itself: it runs everything it queued from callbacks before it
 * computes its next wait (wait_ms), and the wakeup costs two system calls
 * (a write now, a read in curl_multi_poll) per request a callback sends. */
static void wake(struct pbx_io *io)
{
	if (!pbx_io_on_thread(io))
		curl_multi_wakeup(io->multi);
}

int pbx_io_create(struct pbx_io **out, const struct pbx_io_config *cfg)
{
	if (!out)
		return TSP8_EINVAL;
	struct trace *tr = cfg ? cfg->tr : NULL;
	const curl_version_info_data *vi = curl_version_info(CURLVERSION_NOW);
	if (!vi || !(vi->features & CURL_VERSION_THREADSAFE)) {
		TRACE(tr, TRACE_WARN, "pbx_io: libcurl %s lacks the threadsafe feature "
		      "(curl_global_init would not be safe); need libcurl >= 7.84",
		      vi ? vi->version : "?");
		return TSP8_EUNSUPPORTED;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return TSP8_EIO;

	int rc = TSP8_ENOMEM;
	struct pbx_io *io = calloc(1, sizeof(*io));
	if (!io)
		goto fail_global;
	io->tr = tr;
	io->next_id = 1;
	atomic_init(&io->thread_id, ULONG_MAX);
	rc = plat_mutex_init(&io->lock);
	if (rc != TSP8_OK)
		goto fail_io;
	rc = TSP8_ENOMEM;
	io->multi = curl_multi_init();
	io->poll_share = curl_share_init();
	if (!io->multi || !io->poll_share || pbx_codec_create(&io->codec) != TSP8_OK)
		goto fail_curl;
	if (curl_share_setopt(io->poll_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT)
	    != CURLSHE_OK) {
		rc = TSP8_EUNSUPPORTED;
		goto fail_curl;
	}
	if (cfg)
		io->pin_mask = cfg->pin_mask;
	if (cfg && cfg->max_host_connections)
		curl_multi_setopt(io->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
				  (long)cfg->max_host_connections);
	rc = plat_thread_start(&io->thread, io_thread, io, "pbx_io");
	if (rc != TSP8_OK)
		goto fail_curl;
	*out = io;
	return TSP8_OK;

fail_curl:
	pbx_codec_destroy(io->codec);
	if (io->poll_share)
		curl_share_cleanup(io->poll_share);
	if (io->multi)
		curl_multi_cleanup(io->multi);
	plat_mutex_destroy(&io->lock);
fail_io:
	free(io);
fail_global:
	curl_global_cleanup();
	return rc;
}

void pbx_io_destroy(struct pbx_io *io)
{
	if (!io)
		return;
	plat_mutex_lock(&io->lock);
	io->stopping = true;
	plat_mutex_unlock(&io->lock);
	wake(io);
	plat_thread_join(io->thread);

	/* The thread is gone: everything left is canceled here, on this
	 * thread.  Callbacks may try to submit more; that fails with
	 * TSP8_ESHUTDOWN because stopping is set. */
	plat_mutex_lock(&io->lock);
	struct io_req *left = io->live;
	io->live = NULL;
	io->submitq = io->submitq_tail = NULL;
	io->ncanceled = 0;
	io->stats.active = 0;
	struct io_run *runs = io->runq;
	io->runq = io->runq_tail = NULL;
	io_heap_clear(&io->timers);
	plat_mutex_unlock(&io->lock);
	while (left) {
		struct io_req *r = left;
		left = r->next;
		r->prev = r->next = NULL;
		deliver_canceled(io, r);
	}
	while (runs) {
		struct io_run *it = runs;
		runs = it->next;
		free(it);
	}
	io_easy_pool_free(io);
	curl_multi_cleanup(io->multi);
	curl_share_cleanup(io->poll_share);
	pbx_codec_destroy(io->codec);
	plat_mutex_destroy(&io->lock);
	free(io);
	curl_global_cleanup();
}

struct pbx_codec *pbx_io_codec(struct pbx_io *io)
{
	return io->codec;
}

int pbx_io_request(struct pbx_io *io, const struct pbx_http_req *req,
		   pbx_http_done_fn *done, void *arg, uint64_t *id)
{
	if (!io || !req || !done)
		return TSP8_EINVAL;
	struct io_req *r;
	int rc = io_req_new(&r, req);
	if (rc != TSP8_OK)
		return rc;
	r->io = io;
	r->done = done;
	r->arg = arg;
	r->t0 = plat_now_ms();
	plat_mutex_lock(&io->lock);
	if (io->stopping) {
		plat_mutex_unlock(&io->lock);
		io_req_free(r);
		return TSP8_ESHUTDOWN;
	}
	r->id = io->next_id++;
	r->next = io->live;
	if (io->live)
		io->live->prev = r;
	io->live = r;
	if (io->submitq_tail)
		io->submitq_tail->qnext = r;
	else
		io->submitq = r;
	io->submitq_tail = r;
	io->stats.requests++;
	io->stats.active++;
	if (id)
		*id = r->id;
	plat_mutex_unlock(&io->lock);
	wake(io);
	return TSP8_OK;
}

int pbx_io_cancel(struct pbx_io *io, uint64_t id)
{
	if (!io)
		return TSP8_EINVAL;
	int rc = TSP8_ENOTFOUND;
	plat_mutex_lock(&io->lock);
	for (struct io_req *r = io->live; r; r = r->next) {
		if (r->id != id)
			continue;
		if (!r->canceled) {
			r->canceled = true;
			io->ncanceled++;
		}
		rc = TSP8_OK;
		break;
	}
	plat_mutex_unlock(&io->lock);
	if (rc == TSP8_OK)
		wake(io);
	return rc;
}

int pbx_io_timer(struct pbx_io *io, uint32_t ms, pbx_io_fn *fn, void *arg, uint64_t *id)
{
	if (!io || !fn)
		return TSP8_EINVAL;
	struct io_timer *t = calloc(1, sizeof(*t));
	if (!t)
		return TSP8_ENOMEM;
	t->fn = fn;
	t->arg = arg;
	t->due = plat_now_ms() + ms;
	plat_mutex_lock(&io->lock);
	int rc = io->stopping ? TSP8_ESHUTDOWN : TSP8_OK;
	if (rc == TSP8_OK) {
		t->id = io->next_id;
		rc = io_heap_push(&io->timers, t);
		if (rc == TSP8_OK) {
			io->next_id++;
			if (id)
				*id = t->id;
		}
	}
	plat_mutex_unlock(&io->lock);
	if (rc != TSP8_OK) {
		free(t);
		return rc;
	}
	wake(io);
	return TSP8_OK;
}

int pbx_io_timer_cancel(struct pbx_io *io, uint64_t id)
{
	if (!io)
		return TSP8_EINVAL;
	plat_mutex_lock(&io->lock);
	struct io_timer *t = io_heap_remove_id(&io->timers, id);
	plat_mutex_unlock(&io->lock);
	if (!t)
		return TSP8_ENOTFOUND;
	free(t);
	return TSP8_OK;
}

int pbx_io_run(struct pbx_io *io, pbx_io_fn *fn, void *arg)
{
	if (!io || !fn)
		return TSP8_EINVAL;
	struct io_run *it = calloc(1, sizeof(*it));
	if (!it)
		return TSP8_ENOMEM;
	it->fn = fn;
	it->arg = arg;
	plat_mutex_lock(&io->lock);
	if (io->stopping) {
		plat_mutex_unlock(&io->lock);
		free(it);
		return TSP8_ESHUTDOWN;
	}
	if (io->runq_tail)
		io->runq_tail->next = it;
	else
		io->runq = it;
	io->runq_tail = it;
	plat_mutex_unlock(&io->lock);
	wake(io);
	return TSP8_OK;
}

bool pbx_io_on_thread(struct pbx_io *io)
{
	return io && atomic_load(&io->thread_id) == plat_thread_id();
}

void pbx_io_get_stats(struct pbx_io *io, struct pbx_io_stats *out)
{
	if (!io || !out)
		return;
	plat_mutex_lock(&io->lock);
	*out = io->stats;
	plat_mutex_unlock(&io->lock);
}
