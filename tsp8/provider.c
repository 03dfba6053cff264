/* The one provider object of the process (see provider.h). */
#include "tsp8/provider.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/error.h"
#include "base/sched.h"
#include "base/trace.h"
#include "pbxtree/pbxtree.h"
#include "soap/pbx_io.h"
#include "tsp8/call.h"
#include "tsp8/dispatch.h"
#include "tsp8/events.h"
#include "tsp8/handles.h"
#include "tsp8/line.h"
#include "tsp8/linequeue.h"
#include "tsp8/request.h"

/* How often TraceLevel is re-read. */
#define TRACE_POLL_MS 10000u
/* Command connections per PBX (the long Poll has its own): enough to keep
 * a PBX busy with the UserInitialize requests of a start without flooding
 * it (4 left the 10,000 lines of bench/tree_scale waiting on round trips,
 * docs/benchmarks.md); a session may use many connections. */
#define PBX_MAX_CONNECTIONS 8u
/* Longest wait for the workers at shutdown. */
#define SCHED_STOP_WAIT_MS 5000u

/* The single static pointer a DLL needs: tapisrv calls plain functions, so
 * the provider object has to be found from them.  Set in EnumDevices (or
 * Init), cleared in Shutdown. */
static _Atomic(struct provider *) the_provider;

struct provider *provider_get(void)
{
	return atomic_load(&the_provider);
}

struct trace *provider_trace(void)
{
	struct provider *p = provider_get();
	return p ? p->tr : NULL;
}

/* ---- pbxtree handler (pbx_io thread) ------------------------------------ */

static void h_line_added(void *arg, const struct pbxtree_line_info *li)
{
	line_on_added(arg, li);
}

static void h_line_changed(void *arg, const struct pbxtree_line_info *li)
{
	line_on_changed(arg, li);
}

static void h_line_removed(void *arg, uint32_t line_id)
{
	line_on_removed(arg, line_id);
}

static void h_line_service(void *arg, uint32_t line_id, bool in_service)
{
	line_on_service(arg, line_id, in_service);
}

static void h_call(void *arg, const struct pbxtree_call_event *ev)
{
	call_on_event(arg, ev);
}

static void h_session_reset(void *arg, unsigned pbx_id, unsigned session_id)
{
	call_on_reset(arg, pbx_id, session_id);
}

static void h_enum_complete(void *arg)
{
	struct provider *p = arg;
	plat_mutex_lock(&p->lock);
	p->enum_done = true;
	plat_cond_broadcast(&p->cond);
	plat_mutex_unlock(&p->lock);
}

static const struct pbxtree_handler tree_handler = {
	.line_added = h_line_added,
	.line_changed = h_line_changed,
	.line_removed = h_line_removed,
	.line_service = h_line_service,
	.call = h_call,
	.session_reset = h_session_reset,
	.enum_complete = h_enum_complete,
};

static const struct dispatch_ops dispatch_ops = {
	.resolve = ev_resolve,
	.after_newcall = ev_after_newcall,
};

/* ---- TraceLevel polling (pbx_io thread) --------------------------------- */

static void trace_poll(void *arg)
{
	struct provider *p = arg;
	plat_mutex_lock(&p->lock);
	bool stopping = p->stopping;
	plat_mutex_unlock(&p->lock);
	if (stopping)
		return;
	char why[128] = "";
	if (cfg_reload(p->store, why, sizeof(why)) == TSP8_OK) {
		uint32_t lvl = tsp8_config_trace_level(p->store);
		if (lvl != trace_get_level(p->tr)) {
			trace_set_level(p->tr, lvl);
			TRACE(p->tr, TRACE_INFO, "TraceLevel now 0x%08x", lvl);
		}
	} else {
		TRACE(p->tr, TRACE_WARN, "configuration not re-read: %s", why);
	}
	plat_mutex_lock(&p->lock);
	int err = p->stopping ? TSP8_OK : pbx_io_timer(p->io, TRACE_POLL_MS, trace_poll, p, &p->trace_timer);
	plat_mutex_unlock(&p->lock);
	if (err)
		TRACE(p->tr, TRACE_WARN, "TraceLevel polling stopped");
}

/* ---- life cycle --------------------------------------------------------- */

/* ProcessorMask, when the registry sets it, keeps the provider's own threads
 * (workers, PBX I/O, dispatcher) on those processors.  Unlike the reference,
 * which calls SetProcessAffinityMask, the rest of the host process (tapisrv
 * and the other providers in it) is left alone. */
static uint64_t pin_mask(const struct provider *p)
{
	return p->cfg.processor_mask_set ? p->cfg.processor_mask : 0;
}

static void provider_free(struct provider *p)
{
	if (!p)
		return;
	if (p->tree) {
		pbxtree_stop(p->tree);
		pbxtree_destroy(p->tree);
	}
	plat_mutex_lock(&p->lock);
	p->stopping = true;
	uint64_t timer = p->trace_timer;
	plat_mutex_unlock(&p->lock);
	/* no pbxtree callbacks any more: the queued work goes, running work
	 * finishes (it may still post to the dispatcher) */
	lq_destroy_all(p);
	if (p->sched) {
		struct sched_stats ss;
		sched_get_stats(p->sched, &ss);
		TRACE(p->tr, TRACE_THREAD, "workers: %lu items, at most %u threads of %u, limit hit %lu times",
		      (unsigned long)ss.executed, ss.peak_threads, ss.limit, (unsigned long)ss.limit_hits);
		sched_destroy(p->sched, SCHED_STOP_WAIT_MS);
		p->sched = NULL;
	}
	if (p->io) {
		pbx_io_timer_cancel(p->io, timer);
		pbx_io_destroy(p->io);
	}
	/* after the tree and the I/O thread: nobody posts any more */
	dispatch_destroy(p->disp);
	requests_destroy(p->reqs);
	while (p->lines) {
		struct line *l = p->lines;
		p->lines = l->next;
		line_free(l);
	}
	handles_destroy(p->handles);
	line_index_free(p);
	free(p->dead_epochs);
	TRACE(p->tr, TRACE_INFO, "provider stopped");
	trace_destroy(p->tr);
	if (p->store)
		cfg_close(p->store);
	plat_cond_destroy(&p->cond);
	plat_mutex_destroy(&p->lock);
	memset(&p->cfg, 0, sizeof(p->cfg));   /* the password */
	free(p);
}

/* Writes each line of notes as a warning. */
static void trace_notes(struct trace *tr, const char *notes)
{
	while (notes && *notes) {
		const char *nl = strchr(notes, '\n');
		int n = nl ? (int)(nl - notes) : (int)strlen(notes);
		if (n > 0)
			TRACE(tr, TRACE_WARN, "%.*s", n, notes);
		notes = nl ? nl + 1 : NULL;
	}
}

/* Builds the provider from the configuration.  A bad configuration is not
 * fatal: the provider then has no PBX tree and no lines, and the trace says
 * why. */
static int provider_create(struct provider **out)
{
	struct provider *p = calloc(1, sizeof(*p));
	if (!p)
		return TSP8_ENOMEM;
	int err = plat_mutex_init(&p->lock);
	if (err) {
		free(p);
		return err;
	}
	err = plat_cond_init(&p->cond);
	if (err) {
		plat_mutex_destroy(&p->lock);
		free(p);
		return err;
	}
	plat_global_init();

	char why[256] = "", notes[1024] = "";
	int cerr = cfg_open(&p->store, NULL, why, sizeof(why));
	if (cerr)
		p->store = NULL;
	tsp8_config_read(p->store, &p->cfg, notes, sizeof(notes));

	struct trace_config tc = {
		.name = "tsp8",
		.level = p->cfg.trace_level,
		.to_stderr = true,
		.to_syslog = false,
		.to_debugger = true,
		.file_enabled = p->cfg.do_trace_file && p->cfg.log_dir[0],
		.log_dir = p->cfg.log_dir[0] ? p->cfg.log_dir : NULL,
		.num_log_files = p->cfg.num_log_files,
		.keep_log_files = p->cfg.keep_log_files,
	};
	err = trace_create(&p->tr, &tc);
	if (err)
		p->tr = NULL;   /* run without trace rather than not at all */
	TRACE(p->tr, TRACE_INFO, "%s starting, configuration %s", "TSP8 " TSP8_VERSION_STRING,
	      p->store ? cfg_path(p->store) : "(none)");
	if (cerr)
		TRACE(p->tr, TRACE_WARN, "configuration not readable: %s %s", tsp8_strerror(cerr), why);
	trace_notes(p->tr, notes);

	err = handles_create(&p->handles);
	if (!err)
		err = line_index_init(p);
	if (!err)
		err = dispatch_create(&p->disp, &dispatch_ops, p, p->tr, pin_mask(p));
	if (!err)
		err = requests_create(&p->reqs, p->disp, p->tr);
	if (!err) {
		struct sched_config sc = {
			.per_cpu = p->cfg.activities_per_cpu,
			.cpu_mask = p->cfg.processor_mask,
			.pin = p->cfg.processor_mask_set,
			.tr = p->tr,
		};
		err = sched_create(&p->sched, &sc);
	}
	if (!err) {
		struct pbx_io_config ioc = { .tr = p->tr, .max_host_connections = PBX_MAX_CONNECTIONS,
					     .pin_mask = pin_mask(p) };
		err = pbx_io_create(&p->io, &ioc);
	}
	if (err) {
		TRACE(p->tr, TRACE_WARN, "provider not started: %s", tsp8_strerror(err));
		provider_free(p);
		return err;
	}
	plat_mutex_lock(&p->lock);
	err = p->store ? pbx_io_timer(p->io, TRACE_POLL_MS, trace_poll, p, &p->trace_timer) : TSP8_OK;
	plat_mutex_unlock(&p->lock);
	if (err)
		TRACE(p->tr, TRACE_WARN, "TraceLevel polling not started");

	struct pbxtree_root_cfg roots[TSP8_CFG_MAX_MASTERS];
	for (size_t i = 0; i < p->cfg.nmasters; i++) {
		roots[i].master = p->cfg.masters[i].master;
		roots[i].standby = p->cfg.masters[i].standby;
	}
	struct pbxtree_config tc2 = {
		.roots = roots,
		.nroots = p->cfg.nmasters,
		.http_user = p->cfg.account,
		.http_password = p->cfg.password,
		.tapi_user = p->cfg.tapi_user,
		.ca_file = p->cfg.ca_file[0] ? p->cfg.ca_file : NULL,
		.insecure = p->cfg.tls_insecure,
		.line_name_pattern = p->cfg.pattern,
		.pure_node_extensions = p->cfg.pure_node_extensions,
		.no_special_disconnect = p->cfg.no_special_disconnect,
		.appl = "TSP8",
		.no_slaves = p->cfg.no_slaves,
		.map_devices = p->cfg.map_devices,
		.map_presence = p->cfg.map_presence,
		.use_name_for_device_guid = p->cfg.use_name_for_device_guid,
		.slow_call_ms = p->cfg.slow_soap_call_ms,
		/* the same handle: a cfg is thread-safe, a reload keeps its
		 * pending IDs, and one parsed copy of a file with 10,000 IDs is
		 * enough */
		.ids_store = p->store,
		.sched = p->sched,
		.io = p->io,
		.tr = p->tr,
		.h = &tree_handler,
		.arg = p,
	};
	if (!p->cfg.nmasters)
		TRACE(p->tr, TRACE_WARN, "no PBX master configured (FQDN): no lines");
	else if (pbxtree_create(&p->tree, &tc2) != TSP8_OK)
		p->tree = NULL;   /* the tree traced why */
	if (p->tree && pbxtree_start(p->tree) != TSP8_OK) {
		pbxtree_destroy(p->tree);
		p->tree = NULL;
	}
	if (!p->tree) {
		/* nothing will ever be enumerated */
		p->enum_done = true;
	}
	*out = p;
	return TSP8_OK;
}

/* Creates the provider if there is none. */
static struct provider *provider_ensure(void)
{
	struct provider *p = provider_get();
	if (p)
		return p;
	if (provider_create(&p) != TSP8_OK)
		return NULL;
	atomic_store(&the_provider, p);
	return p;
}

LONG provider_enum_devices(DWORD perm_provider_id, HPROVIDER hprovider, LINEEVENT create_proc,
			   DWORD *nlines)
{
	struct provider *p = provider_ensure();
	if (!p)
		return (LONG)LINEERR_NOMEM;
	plat_mutex_lock(&p->lock);
	p->perm_provider_id = perm_provider_id;
	p->hprovider = hprovider;
	p->line_create_proc = create_proc;
	uint64_t until = plat_now_ms() + (uint64_t)p->cfg.line_timeout_s * 1000u;
	while (!p->enum_done) {
		uint64_t now = plat_now_ms();
		if (now >= until)
			break;
		uint64_t left = until - now;
		plat_cond_timedwait(&p->cond, &p->lock, left > 1000 ? 1000u : (uint32_t)left);
	}
	bool complete = p->enum_done;
	size_t n = line_fix_enumeration(p);
	plat_mutex_unlock(&p->lock);
	if (!complete)
		TRACE(p->tr, TRACE_WARN, "line enumeration not complete after LineTimeOut %u s: %lu lines now, "
		      "more follow with LINE_CREATE", p->cfg.line_timeout_s, (unsigned long)n);
	TRACE(p->tr, TRACE_INFO, "providerEnumDevices: %lu lines", (unsigned long)n);
	*nlines = (DWORD)n;
	return 0;
}

LONG provider_init(DWORD perm_provider_id, DWORD line_base, DWORD_PTR nlines,
		   ASYNC_COMPLETION completion)
{
	struct provider *p = provider_ensure();
	if (!p)
		return (LONG)LINEERR_NOMEM;
	plat_mutex_lock(&p->lock);
	if (p->initialized) {
		/* a second init without shutdown: tolerated */
		plat_mutex_unlock(&p->lock);
		TRACE(p->tr, TRACE_WARN, "providerInit called twice");
		return 0;
	}
	size_t n = line_fix_enumeration(p);
	if (nlines < n)
		TRACE(p->tr, TRACE_WARN, "providerInit: TAPI took %lu of %lu lines; the rest follow with LINE_CREATE",
		      (unsigned long)nlines, (unsigned long)n);
	/* lines beyond what TAPI accepted are announced like new ones */
	for (struct line *l = p->lines; l; l = l->next)
		if (l->enum_index >= 0 && (size_t)l->enum_index >= nlines)
			l->enum_index = -1;
	p->perm_provider_id = perm_provider_id;
	p->line_base = line_base;
	p->completion = completion;
	p->initialized = true;
	line_bind_initial(p);
	plat_mutex_unlock(&p->lock);
	TRACE(p->tr, TRACE_INFO, "providerInit: provider %u, line device IDs from %u", (unsigned)perm_provider_id,
	      (unsigned)line_base);
	return 0;
}

LONG provider_shutdown(void)
{
	struct provider *p = atomic_exchange(&the_provider, NULL);
	if (!p)
		return 0;
	TRACE(p->tr, TRACE_INFO, "providerShutdown");
	provider_free(p);
	return 0;
}
