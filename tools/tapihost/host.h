/* tapihost: the tapisrv stand-in.  Shared state of the program.
 *
 * Threads and ownership: the tables below (lines, calls, requests) are used
 * by one thread at a time: the main thread during start-up and shutdown,
 * the processing thread (dispatch.c) in between.  The hand-over happens by
 * starting and joining that thread, so the tables need no lock.  The stdin
 * thread only parses commands and queues them (stdin_reader.c).
 */
#ifndef TAPIHOST_HOST_H
#define TAPIHOST_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "base/platform.h"
#include "cmd.h"
#include "evq.h"
#include "loader.h"
#include "opts.h"
#include "out.h"
#include "tsp8/tapi_abi.h"

#define HOST_TEXT_MAX 1024   /* longest line name / address kept */
#define HOST_FIRST_REQUEST 0x70000001u  /* large, still positive as LONG */

struct line {
	DWORD device;           /* TAPI device ID */
	DWORD perm;             /* dwPermanentLineID */
	DWORD version;          /* negotiated TSPI version */
	HTAPILINE ht;           /* our fake htLine */
	HDRVLINE hd;            /* the provider's handle (valid while open) */
	bool open;
	bool closing;           /* lineClose returned, its marker not yet seen */
	bool closed;            /* every event queued before lineClose is done */
	bool gone;              /* removed (LINE_REMOVE) or closed for good */
	char *addr;             /* owned, NULL until the caps were read */
	char *name;             /* owned, NULL until the caps were read */
};

struct call {
	struct call *next;
	HTAPICALL ht;
	HDRVCALL hd;
	DWORD device;
	DWORD state;            /* last LINE_CALLSTATE, 0 before the first */
	bool announced;         /* LINE_NEWCALL seen, first LINE_CALLSTATE pending */
	bool pending_make;      /* lineMakeCall not yet completed successfully */
	bool closed;            /* lineCloseCall done; kept until its marker */
	DRV_REQUESTID make_request;
};

enum req_state { REQ_CALLING, REQ_ACCEPTED, REQ_SYNC_FAILED };

struct request {
	struct request *next;
	DRV_REQUESTID id;
	enum cmd_kind cmd;
	HTAPICALL call;         /* the call it acts on, NULL if none */
	DWORD device;
	enum req_state state;
	unsigned completions;
	bool overdue;           /* already reported as not completed in time */
	LONG result;
};

struct host {
	const struct opts *opts;
	struct out *out;        /* borrowed */
	struct evq *q;          /* owned */
	struct tspi *tspi;      /* owned while loaded */
	char provider_path[1024];

	DWORD version;          /* negotiated with INITIALIZE_NEGOTIATION */
	DWORD num_lines, num_phones;
	HPROVIDER hprov;
	bool initialized;       /* providerInit succeeded */
	bool stopping;          /* host_stop running: no new lines */

	struct line *lines;     /* array, nlines used of cap */
	size_t nlines, cap;
	DWORD max_device;       /* highest device ID in lines (valid when nlines > 0) */
	struct call *calls;
	struct request *reqs;

	DRV_REQUESTID next_request;
	DWORD next_dynamic_device;
	uint64_t htline_seq;

	plat_mutex quit_lock;   /* guards quit */
	plat_cond quit_cond;    /* signalled when quit is set */
	bool quit;
};

int host_create(struct host **out, const struct opts *opts, struct out *o);
void host_destroy(struct host *h);

/* Loads the provider and runs tapisrv's start-up sequence.  TSP8_OK, or an
 * error after printing why (the caller exits with status 1). */
int host_start(struct host *h, const char *provider_path);
/* Closes calls and lines, shuts the provider down and unloads it; reports
 * pending requests.  Processes the events that arrive meanwhile. */
void host_stop(struct host *h);

/* Asks the main thread to shut down (quit command, stdin EOF). */
void host_request_quit(struct host *h);
/* Waits up to ms for a quit request; true if one came. */
bool host_wait_quit(struct host *h, uint32_t ms);

/* --- lines (host.c) --- */
struct line *host_line_by_device(struct host *h, DWORD device);
struct line *host_line_by_ht(struct host *h, HTAPILINE ht);
/* Replaces *dst (owned) by a copy of src; keeps the old text when out of
 * memory. */
void host_line_set_text(char **dst, const char *src);
/* Negotiates, reads caps, prints the LINE record and opens the line. */
int host_line_add(struct host *h, DWORD device);
/* lineCloseCall for its calls, then lineClose; keeps the entry. */
void host_line_close(struct host *h, struct line *l);
void host_print_line(struct host *h, const struct line *l, const char *hname);

/* --- line capabilities (linecaps.c) --- */
/* Reads LINEDEVCAPS and address 0's LINEADDRESSCAPS into l (perm, addr,
 * name).  Returns 0 or the provider's LINEERR. */
LONG linecaps_read(struct host *h, struct line *l);

/* --- calls and requests (calls.c) --- */
struct call *calls_find(struct host *h, HTAPICALL ht);
struct call *calls_add(struct host *h, HTAPICALL ht, HDRVCALL hd, DWORD device);
/* TSPI_lineCloseCall (if exported); the entry stays as "closed" until the
 * marker queued behind it is processed (calls_forget). */
void calls_close(struct host *h, struct call *c);
void calls_forget(struct host *h, HTAPICALL ht);
/* Frees every entry (end of run). */
void calls_free_all(struct host *h);
/* Closes every call of a device. */
void calls_close_device(struct host *h, DWORD device);
struct request *requests_begin(struct host *h, enum cmd_kind cmd, HTAPICALL call, DWORD device);
/* Records what the async TSPI function returned; checks it. */
void requests_returned(struct host *h, struct request *r, LONG ret);
/* Handles an ASYNC_COMPLETION. */
void requests_completed(struct host *h, DRV_REQUESTID id, LONG result);
/* EV_CHECK: requests on htCall that are still open are violations. */
void requests_check_closed(struct host *h, HTAPICALL ht);
/* Reports requests never completed; frees the table. */
void requests_finish(struct host *h);

/* --- event processing (dispatch.c) --- */
/* Handles one queued event; returns false for EV_STOP. */
bool dispatch_event(struct host *h, struct ev *e);
/* Handles everything queued right now (used during start-up/shutdown). */
void dispatch_drain(struct host *h);
/* Processing thread body: runs until EV_STOP. */
void dispatch_thread(void *arg);

/* --- call details (callinfo.c) --- */
#define PARTY_MAX 128
struct call_details {
	bool have_info, have_status;
	char caller[PARTY_MAX], caller_name[PARTY_MAX];
	char called[PARTY_MAX], called_name[PARTY_MAX];
	char connected[PARTY_MAX], connected_name[PARTY_MAX];
	DWORD origin, reason, callid, related_callid;
	DWORD status_state, features;
};
/* Asks the provider for LINECALLINFO and LINECALLSTATUS, as an application
 * does after a call event; checks both answers. */
void callinfo_fetch(struct host *h, const struct call *c, struct call_details *d);

/* --- commands (commands.c) --- */
void commands_run(struct host *h, const struct cmd *c);

/* Prints a completion/reply style error: "error <reason>". */
void host_reply_error(struct host *h, const char *command, const char *reason);

#endif
