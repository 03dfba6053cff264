/* PBX tree: PBX sessions -> directory of PBX objects -> lines.  No TAPI
 * types here; tsp8/ turns lines and call events into TAPI.
 *
 * Sessions.  Each configured master (FQDN\n, with its standby
 * StandbyFQDN\n) is a "root".  The root's session reports the objects of the
 * TAPI user's scope (UserInfo).  Registered PBX objects (object "pbx", or
 * the older "node" objects) in that scope are slaves: LocationUrl(loc) on
 * the root gives their URL and the tree opens a session there, with the same
 * credentials, to monitor (UserInitialize) the users whose loc names that
 * slave.  Users without loc are monitored on the root.  Slaves come and go
 * with their registration; the master's standby takes over when the master
 * session is lost, and the master takes over again when it is back.
 *
 * Lines.  One line per object of the scope (PBX objects excepted); with
 * map_devices one line per device of a user (all with the user's address),
 * with map_presence one more line per object that follows the presence.
 * Every line has a permanent ID (lineGUIDs) that is committed to the store
 * before the line is reported.
 *
 * Threading.  Session callbacks arrive on the pbx_io thread, which is the
 * only thread that changes the directory and the lines.  The handler is
 * always called on the pbx_io thread, one call at a time, WITHOUT the tree
 * lock held, so it may call any pbxtree_* function.  Events for one line
 * come in order: added before any other event, removed last.
 */
#ifndef TSP8_PBXTREE_PBXTREE_H
#define TSP8_PBXTREE_PBXTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "soap/pbx_records.h"

/* Session ID of the virtual calls of presence lines (never a PBX's). */
#define PBXTREE_SESSION_VIRTUAL 0xffffffffu

enum pbxtree_line_kind {
	PBXTREE_LINE_OBJECT,    /* a PBX object (MapDevices off, or no devices) */
	PBXTREE_LINE_DEVICE,    /* one device of a user object (MapDevices) */
	PBXTREE_LINE_PRESENCE   /* the presence of an object (MapPresence) */
};

struct cfg;
struct trace;
struct pbx_io;
struct pbxtree;

/* A line as the owner sees it.  Pointers are valid during the callback (or,
 * for pbxtree_get_line, until the next pbxtree call on that copy). */
struct pbxtree_line_info {
	uint32_t id;              /* permanent line ID: the key for everything */
	enum pbxtree_line_kind kind;
	const char *guid;         /* line GUID: object guid [#hw:<hw> | #name:<name> | #presence] */
	const char *name;         /* from LineNamePattern */
	const char *address;      /* TAPI address */
	const char *cn, *dn, *h323, *e164;
	const char *device_hw;    /* DEVICE lines: hardware id ("" otherwise) */
	const char *device_name;  /* DEVICE lines: device name ("" otherwise) */
	const char *pbx_name;     /* PBX serving the line (GatekeeperID; %X) */
	const char *pbx_firmware; /* its firmware version ("" unknown) */
	unsigned pbx_id;          /* that PBX link (0: none); stable while the tree runs */
	bool in_service;          /* served by a PBX session that is up (presence
	                             lines: and the presence is "open") */
};

/* A CallInfo of a line's object. call is valid during the callback only.
 * Presence lines get virtual calls: session_id PBXTREE_SESSION_VIRTUAL,
 * state CONNECT while the activity is on-the-phone, then a del record. */
struct pbxtree_call_event {
	uint32_t line_id;
	unsigned pbx_id;          /* PBX link that reported it */
	unsigned session_id;      /* epoch of that link: call handles are unique per
	                             epoch, and an epoch never comes back */
	const struct pbx_call *call;
};

struct pbxtree_handler {
	void (*line_added)(void *arg, const struct pbxtree_line_info *li);
	/* name, address, PBX link or other data changed.  When pbx_id changed,
	 * the calls the line had on its previous link are over. */
	void (*line_changed)(void *arg, const struct pbxtree_line_info *li);
	/* the object (or device) left the scope; no more events for line_id */
	void (*line_removed)(void *arg, uint32_t line_id);
	/* the PBX link of the line went down / came back (presence lines:
	 * also presence open / not open) */
	void (*line_service)(void *arg, uint32_t line_id, bool in_service);
	void (*call)(void *arg, const struct pbxtree_call_event *ev);
	/* The epoch session_id of PBX link pbx_id ended (session lost and
	 * re-established, slave dropped, standby switch): every call reported
	 * with it is over. */
	void (*session_reset)(void *arg, unsigned pbx_id, unsigned session_id);
	/* the first complete enumeration: every root reported its scope (or
	 * could not be reached on master nor standby), every registered slave
	 * answered (or failed) once, device lists are read, the permanent IDs
	 * are committed and every line's first UserInitialize on a link that is
	 * up has answered, so calls from now on are seen.  Called once. */
	void (*enum_complete)(void *arg);
};

/* One configured master and its standby. */
struct pbxtree_root_cfg {
	const char *master;          /* FQDN value: host, host:port or URL */
	const char *standby;         /* StandbyFQDN value (NULL/"": none) */
};

struct pbxtree_config {
	/* roots[0] is the dialog's master; more are unrelated masters.  When
	 * nroots is 0, master/standby below are the only root. */
	const struct pbxtree_root_cfg *roots;
	size_t nroots;
	const char *master;
	const char *standby;
	const char *http_user;       /* PBX account */
	const char *http_password;   /* PBX password */
	const char *tapi_user;       /* cn of the TAPI user */
	const char *ca_file;         /* TLS CA bundle (NULL: system) */
	bool insecure;               /* skip TLS verification */
	const char *line_name_pattern; /* NULL/"": "%C (%x)" */
	bool pure_node_extensions;
	bool no_special_disconnect;  /* UserInitialize disc=false */
	const char *appl;            /* Initialize appl (NULL: "TSP8") */
	bool no_slaves;              /* NoSlaves: no slave discovery */
	bool map_devices;            /* MapDevices */
	bool map_presence;           /* MapPresence */
	bool use_name_for_device_guid; /* UseNameForDeviceGuid */
	uint32_t slow_call_ms;       /* SlowSoapCallMs: "slow SOAP call performance"
	                                above (0: soap/'s default, 2000 ms) */
	/* Store for the lineGUIDs map, used exclusively by the tree (NULL:
	 * permanent IDs only live in memory). Not owned. */
	struct cfg *ids_store;
	/* Worker pool for the lineGUIDs file writes (NULL: they run on the
	 * pbx_io thread).  Not owned; must outlive the tree. */
	struct sched *sched;
	struct pbx_io *io;           /* not owned */
	struct trace *tr;            /* may be NULL */
	const struct pbxtree_handler *h;
	void *arg;
};

/* Validates the configuration (master and standby addresses, TAPI user,
 * handler) and loads the permanent line IDs.  Nothing runs before
 * pbxtree_start.  TSP8_EINVAL with a WARN trace naming the bad value. */
int  pbxtree_create(struct pbxtree **out, const struct pbxtree_config *cfg);
/* Opens the sessions of the masters. */
int  pbxtree_start(struct pbxtree *t);
/* Stops the sessions (bounded waits), writes permanent IDs still pending;
 * call operations still pending are completed with TSP8_ECANCELED.  No
 * handler call after it returns.  Must not be called on the pbx_io thread. */
void pbxtree_stop(struct pbxtree *t);
/* Stops if needed and frees. */
void pbxtree_destroy(struct pbxtree *t);

/* Normalised SOAP URL of the (first) master. */
const char *pbxtree_master_url(const struct pbxtree *t);

/* Numbers for benchmarks and diagnostics. */
struct pbxtree_stats {
	size_t lines, objects, sessions, sessions_up, slaves, ids_pending;
};
void pbxtree_get_stats(struct pbxtree *t, struct pbxtree_stats *out);

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
/* UserClear(call, cause).  Virtual calls (PBXTREE_SESSION_VIRTUAL) cannot
 * be controlled: TSP8_EUNSUPPORTED at once. */
int pbxtree_clear_call(struct pbxtree *t, unsigned session_id, int call, int cause,
		       pbxtree_done_fn *done, void *arg);
/* UserConnect(call): answer. */
int pbxtree_connect_call(struct pbxtree *t, unsigned session_id, int call,
			 pbxtree_done_fn *done, void *arg);

/* True when dest would be sent as an e164 number. */
bool pbxtree_dest_is_number(const char *dest);

#endif
