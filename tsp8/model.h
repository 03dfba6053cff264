/* The provider's object model: the one provider object, its lines and their
 * calls.  Only tsp8/ sees it.
 *
 * Locking: provider->lock (the "model lock") guards every line, every call,
 * the handle table and the request table.  It is never held while calling
 * TAPI (only the dispatcher thread does that, without it) nor while calling
 * into pbxtree (whose handler calls us on the pbx_io thread without its own
 * lock).  Lock order: model lock -> dispatcher queue lock.
 */
#ifndef TSP8_TSP8_MODEL_H
#define TSP8_TSP8_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/platform.h"
#include "soap/pbx_records.h"
#include "tsp8/config.h"
#include "tsp8/tapi_abi.h"

struct cfg;
struct trace;
struct pbx_io;
struct pbxtree;
struct dispatch;
struct handles;
struct requests;
struct line;
struct sched;
struct sched_queue;
struct pbxq;

/* Hash buckets of the line indexes (power of two). */
#define LINE_BUCKETS 4096u

#ifndef TSP8_VERSION_STRING
#define TSP8_VERSION_STRING "0.0.0"
#endif

/* Delay after lineOpen before events of that line are delivered, so that
 * tapisrv has registered htLine (no LINE_NEWCALL "inside" lineOpen). */
#define LINE_OPEN_SETTLE_MS 100u

struct party {
	char *number;   /* e164, else h323 ("" unknown) */
	char *name;     /* dn, else cn ("" unknown) */
};

/* A PBX CallInfo that arrived before the UserCall answer that would tell
 * whether it is the leg of a pending lineMakeCall. */
struct legbuf {
	struct pbx_call *c;        /* deep copy (legcopy.h) */
	unsigned pbx_id;
	unsigned session_id;
	struct legbuf *next;
};

struct call {
	struct line *line;
	uintptr_t hd;              /* our hdCall; 0 while TAPI has no handle */
	HTAPICALL ht;              /* TAPI's handle (written by TAPI at NEWCALL) */
	unsigned pbx_id;           /* PBX link of the leg (pbxtree) */
	unsigned session_id;       /* its epoch (PBXTREE_SESSION_VIRTUAL: presence) */
	int pbx_call;              /* PBX call handle, 0 until known */
	bool pbx_gone;             /* the PBX leg has ended */
	bool made;                 /* created by lineMakeCall */
	bool makecall_pending;     /* its UserCall answer is outstanding */
	DRV_REQUESTID makecall_req;
	bool newcall_pending;      /* LINE_NEWCALL queued, not delivered */
	bool visible;              /* TAPI knows the call: events may be posted */
	bool closed;               /* lineCloseCall done: hidden until the leg ends */
	unsigned closing;          /* close paths waiting for the dispatcher: keep */
	bool inbound;              /* offered to the line (the peer is the caller) */
	DWORD state, mode;         /* 0 before the first state */
	uint64_t state_wall_ms;    /* when the state was entered */
	DWORD origin, reason, call_id;
	struct party caller, called, connected;
	struct legbuf *buffered;   /* made calls: legs seen before the answer */
	struct call *next;         /* in line->calls */
};

struct line {
	uint32_t perm_id;          /* permanent line ID = pbxtree line ID */
	char *guid, *name, *address, *pbx_name, *firmware;
	unsigned pbx_id;           /* PBX link serving the line (0: none) */
	struct sched_queue *q;     /* its call events and requests, in order
	                              (created on first use) */
	bool in_service;
	bool removed;              /* left the scope (LINE_REMOVE) */
	int enum_index;            /* index at EnumDevices, -1 for later lines */
	bool bound;                /* device_id is valid */
	DWORD device_id;
	bool create_sent;          /* LINE_CREATE posted, CreateLineDevice due */
	uintptr_t hd;              /* our hdLine while open, else 0 */
	HTAPILINE ht;
	LINEEVENT proc;
	DWORD version;             /* negotiated at lineOpen */
	uint64_t ready_ms;         /* events not delivered before (plat_now_ms) */
	DWORD media_modes, line_states, addr_states;
	struct call *calls;
	struct line *next;         /* in provider order */
	struct line *hnext_perm;   /* provider->perm_buckets */
	struct line *hnext_dev;    /* provider->dev_buckets (while bound) */
};

struct provider {
	struct tsp8_config cfg;
	struct cfg *store;         /* settings (TraceLevel polling on pbx_io) */
	struct trace *tr;
	struct pbx_io *io;
	struct pbxtree *tree;
	struct dispatch *disp;
	struct sched *sched;       /* worker pool: line and PBX queues */
	DWORD perm_provider_id;
	HPROVIDER hprovider;
	LINEEVENT line_create_proc;
	uint64_t trace_timer;      /* pbx_io timer ID */

	/* Guards everything below and every line and call. */
	plat_mutex lock;
	/* Signalled (under lock) when the first enumeration completed. */
	plat_cond cond;
	ASYNC_COMPLETION completion;
	DWORD line_base;
	bool initialized;          /* providerInit done */
	bool stopping;             /* providerShutdown began */
	bool enum_done;            /* pbxtree reported enumeration complete */
	bool enum_fixed;           /* EnumDevices fixed the initial lines */
	size_t enum_count;
	struct line *lines;        /* enumeration order, later lines appended */
	struct line *lines_tail;
	struct line **perm_buckets;   /* lines by perm_id (removed ones too) */
	struct line **dev_buckets;    /* bound lines by device_id */
	struct pbxq *pbxqs;        /* one queue per PBX link (linequeue.c) */
	unsigned *dead_epochs;     /* session epochs that ended (pbxtree) */
	size_t ndead, capdead;
	struct handles *handles;
	struct requests *reqs;
};

/* provider.c: the single provider object of the process (NULL outside
 * EnumDevices..Shutdown). */
struct provider *provider_get(void);
/* True when the PBX link of the line is up. */
static inline bool line_link_up(const struct line *l)
{
	return l->in_service;
}

#endif
