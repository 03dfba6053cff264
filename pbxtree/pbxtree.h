/* PBX tree: PBX sessions -> directory of PBX objects -> lines.  No TAPI
 * types here; tsp8/ turns lines and call events into TAPI.
 *
 * Now: one session to the master; every object in the TAPI user's scope
 * (UserInfo active=true) is one line, monitored with UserInitialize.  The
 * design leaves room for slaves/standby (session_id in every call event,
 * per-line service state), device and presence lines (line GUID != object
 * GUID, several lines per object).
 *
 * Threading.  Session callbacks arrive on the pbx_io thread, which is the
 * only thread that changes the directory and the lines.  tree->lock (see
 * tree_internal.h) guards them so that other threads (call control entry
 * points, pbxtree_get_line) can read them.  The handler is always called on
 * the pbx_io thread, one call at a time, WITHOUT the tree lock held, so it
 * may call any pbxtree_* function.  Events for one line come in order: added
 * before any call event, removed last.
 */
#ifndef TSP8_PBXTREE_PBXTREE_H
#define TSP8_PBXTREE_PBXTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "soap/pbx_records.h"

struct cfg;
struct trace;
struct pbx_io;
struct pbxtree;

/* A line as the owner sees it.  Pointers are valid during the callback (or,
 * for pbxtree_get_line, until the next pbxtree call on that copy). */
struct pbxtree_line_info {
	uint32_t id;              /* permanent line ID: the key for everything */
	const char *guid;         /* line GUID (object guid now) */
	const char *name;         /* from LineNamePattern */
	const char *address;      /* TAPI address */
	const char *cn, *dn, *h323, *e164;
	const char *pbx_name;     /* PBX reporting the object (GatekeeperID) */
	const char *pbx_firmware; /* its firmware version ("" unknown) */
	unsigned session_id;      /* PBX session of the line */
	bool in_service;          /* its PBX session is up */
};

/* A CallInfo of a line's object. call is valid during the callback only. */
struct pbxtree_call_event {
	uint32_t line_id;
	unsigned session_id;      /* call handles are unique per session */
	const struct pbx_call *call;
};

struct pbxtree_handler {
	void (*line_added)(void *arg, const struct pbxtree_line_info *li);
	/* name, address, or other data changed */
	void (*line_changed)(void *arg, const struct pbxtree_line_info *li);
	/* the object left the scope; no more events for line_id */
	void (*line_removed)(void *arg, uint32_t line_id);
	/* the PBX link of the line went down / came back */
	void (*line_service)(void *arg, uint32_t line_id, bool in_service);
	void (*call)(void *arg, const struct pbxtree_call_event *ev);
	/* session_id was re-established after a loss: the call handles it
	 * reported before are gone (calls must be ended); the lines are
	 * re-synchronised from a new dump. */
	void (*session_reset)(void *arg, unsigned session_id);
	/* the first complete enumeration: every object of the scope has been
	 * reported (dump end received), the PBX name is known (or its
	 * Version() request failed) and every line's UserInitialize has
	 * answered (or failed), so calls from now on are seen.  Called once. */
	void (*enum_complete)(void *arg);
};

struct pbxtree_config {
	const char *master;          /* FQDN value: host, host:port or URL */
	const char *standby;         /* StandbyFQDN value (kept for later) */
	const char *http_user;       /* PBX account */
	const char *http_password;   /* PBX password */
	const char *tapi_user;       /* cn of the TAPI user */
	const char *ca_file;         /* TLS CA bundle (NULL: system) */
	bool insecure;               /* skip TLS verification */
	const char *line_name_pattern; /* NULL/"": "%C (%x)" */
	bool pure_node_extensions;
	bool no_special_disconnect;  /* UserInitialize disc=false */
	const char *appl;            /* Initialize appl (NULL: "TSP8") */
	/* Store for the lineGUIDs map, used exclusively by the tree (NULL:
	 * permanent IDs only live in memory). Not owned. */
	struct cfg *ids_store;
	struct pbx_io *io;           /* not owned */
	struct trace *tr;            /* may be NULL */
	const struct pbxtree_handler *h;
	void *arg;
};

/* Validates the configuration (master address, TAPI user, handler) and loads
 * the permanent line IDs.  Nothing runs before pbxtree_start.  TSP8_EINVAL
 * with a WARN trace naming the bad value. */
int  pbxtree_create(struct pbxtree **out, const struct pbxtree_config *cfg);
/* Opens the master session. */
int  pbxtree_start(struct pbxtree *t);
/* Stops the sessions (bounded waits); call operations still pending are
 * completed with TSP8_ECANCELED.  No handler call after it returns.  Must
 * not be called on the pbx_io thread. */
void pbxtree_stop(struct pbxtree *t);
/* Stops if needed and frees. */
void pbxtree_destroy(struct pbxtree *t);

/* Normalised SOAP URL of the master. */
const char *pbxtree_master_url(const struct pbxtree *t);

/* Copy of a line's data (strings copied into buf).  TSP8_ENOTFOUND,
 * TSP8_ELIMIT when buf is too small. */
int  pbxtree_get_line(struct pbxtree *t, uint32_t line_id, struct pbxtree_line_info *out,
		      char *buf, size_t buflen);

/* --- call control ---------------------------------------------------------
 * Each returns TSP8_OK and later calls done exactly once on the pbx_io thread
 * (err TSP8_OK, a session error, TSP8_ENOTFOUND for a line that is gone,
 * TSP8_EREFUSED when the PBX returned 0 for UserCall, TSP8_ECANCELED at
 * stop), or returns an error and never calls done. */
typedef void (pbxtree_done_fn)(void *arg, int err, unsigned session_id, int call);

/* UserCall on the line's monitor: dest is sent as e164 when it consists of
 * digits, '*', '#' (optionally a leading '+'), as h323 otherwise.  On
 * success done gets the new leg's session ID and call handle. */
int pbxtree_make_call(struct pbxtree *t, uint32_t line_id, const char *dest,
		      pbxtree_done_fn *done, void *arg);
/* UserClear(call, cause). */
int pbxtree_clear_call(struct pbxtree *t, unsigned session_id, int call, int cause,
		       pbxtree_done_fn *done, void *arg);
/* UserConnect(call): answer. */
int pbxtree_connect_call(struct pbxtree *t, unsigned session_id, int call,
			 pbxtree_done_fn *done, void *arg);

/* True when dest would be sent as an e164 number. */
bool pbxtree_dest_is_number(const char *dest);

#endif
