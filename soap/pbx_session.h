/* One PBX SOAP session: Version -> Initialize -> Echo check -> monitored
 * users (UserInitialize) -> long Poll loop, plus call-control commands.
 *
 * Runs on the pbx_io thread: every handler callback is called there, in
 * order, one at a time, never under a session lock.  Public functions may be
 * called from any thread.
 *
 * Session loss (HTTP error, SOAP fault, closed connection, Echo 0, a Poll
 * that fails) is reported through h->state(PBX_SESSION_DOWN) and the session
 * is re-established with capped exponential backoff.  Order after a loss:
 * DOWN -> CONNECTING -> h->reset() (the owner forgets what it knew: calls may
 * be gone) -> UP -> Poll and UserInitialize of every monitor -> the UserInfo
 * dump is delivered again -> queued commands.  CallInfos are held back
 * while a UserInitialize is unanswered, so none is lost (UserInfo records
 * are delivered at once).
 */
#ifndef TSP8_SOAP_PBX_SESSION_H
#define TSP8_SOAP_PBX_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include "pbx_records.h"

struct trace;
struct pbx_io;
struct pbx_session;
struct pbx_monitor;

enum pbx_session_state {
	PBX_SESSION_IDLE,        /* created, not started */
	PBX_SESSION_CONNECTING,  /* Version/Initialize in progress */
	PBX_SESSION_UP,          /* Initialize + Echo OK, polling */
	PBX_SESSION_DOWN,        /* lost; retrying after backoff */
	PBX_SESSION_STOPPED      /* pbx_session_stop / destroy */
};
const char *pbx_session_state_name(enum pbx_session_state st);

struct pbx_session_handler {
	/* State change.  err/why explain DOWN (TSP8_EAUTH for 401, ...). */
	void (*state)(void *arg, enum pbx_session_state st, int err, const char *why);
	/* Session re-established after a loss: resynchronise. */
	void (*reset)(void *arg);
	/* A UserInfo record (initial dump and deltas). */
	void (*user)(void *arg, const struct pbx_user *u);
	/* The empty-cn record that ends the initial dump arrived. */
	void (*dump_end)(void *arg);
	/* A CallInfo of a monitored user; cookie = the monitor's cookie. */
	void (*call)(void *arg, void *cookie, const struct pbx_call *c);
	/* A monitor's UserInitialize finished (ok) or failed (err != 0). */
	void (*monitor)(void *arg, void *cookie, int err);
};

struct pbx_session_config {
	const char *url;          /* http(s)://host[:port]/PBX0/user.soap */
	const char *http_user;    /* HTTP basic auth account */
	const char *http_password;
	const char *session_user; /* cn given to Initialize (the TAPI user) */
	const char *appl;         /* informational application name */
	const char *ca_file;      /* NULL = system CAs */
	bool insecure;            /* skip TLS verification (explicit) */
	uint32_t poll_timeout_ms; /* HTTP timeout of Poll (default 70000, min 65000) */
	uint32_t cmd_timeout_ms;  /* other requests (default 15000) */
	uint32_t backoff_min_ms;  /* default 500 */
	uint32_t backoff_max_ms;  /* default 30000 */
	uint32_t slow_call_ms;    /* warn "slow SOAP call performance" above (default 2000) */
	const char *name;         /* for traces, e.g. "master" */
	bool ignore_users;        /* UserInfo records are not needed: Poll answers
	                             are decoded without them (no user/dump_end
	                             callbacks); saves the cost of a big directory */
	struct trace *tr;
	const struct pbx_session_handler *h;
	void *arg;
};

/* Completion of a command: err = TSP8_OK or an error; ret = the "return"
 * value for operations that have one (call handle, ...). */
typedef void (pbx_cmd_fn)(void *arg, int err, int ret);
/* Completion with a string result (LocationUrl). */
typedef void (pbx_str_fn)(void *arg, int err, const char *s);
/* Completion with a user list (FindUser, all pages concatenated). */
typedef void (pbx_users_fn)(void *arg, int err, const struct pbx_user *u, size_t n);
/* Completion with a device list. */
typedef void (pbx_devices_fn)(void *arg, int err, const struct pbx_device *d, size_t n);

int  pbx_session_create(struct pbx_session **out, struct pbx_io *io,
			const struct pbx_session_config *cfg);
int  pbx_session_start(struct pbx_session *s);
/* Sends End (bounded wait), stops retrying; no callbacks after it
 * returns.  Must not be called from the I/O thread... except it may: then it
 * does not wait. */
void pbx_session_stop(struct pbx_session *s);
void pbx_session_destroy(struct pbx_session *s);
enum pbx_session_state pbx_session_get_state(struct pbx_session *s);
const char *pbx_session_url(const struct pbx_session *s);
/* Version() answer of the current connection (firmware, ...): "" if none. */
const char *pbx_session_firmware(struct pbx_session *s);
/* Copies of the last Version() answer: GatekeeperID (the PBX name),
 * Location and FirmwareVersion ("" before the first answer).  Any buffer may
 * be NULL.  Known when the state callback reports UP. */
void pbx_session_get_version(struct pbx_session *s, char *gk, size_t gklen, char *loc, size_t loclen,
			     char *fw, size_t fwlen);

/* Holds Poll back (on) or lets it go again (off).  Meant for a session
 * whose UserInfo records are not needed (ignore_users) while its monitors are
 * being set up: more of a big directory dump would only slow them down.  The
 * PBX keeps queueing events meanwhile, so nothing is lost, only delayed, and
 * a pause ends by itself after SESS_POLL_PAUSE_MAX_MS (10 s) so that CallInfos
 * never wait longer.  May be called before pbx_session_start; any thread. */
void pbx_session_poll_pause(struct pbx_session *s, bool on);

/* Monitors user cn (UserInitialize xfer=true, disc per flag, hw device or
 * NULL).  Survives session loss: re-initialised automatically.  cookie is
 * handed back with every CallInfo of this user. */
int  pbx_session_monitor_add(struct pbx_session *s, const char *cn, const char *hw,
			     bool disc, void *cookie, struct pbx_monitor **out);
/* Sends UserEnd; no more call callbacks with this cookie afterwards. */
void pbx_session_monitor_remove(struct pbx_session *s, struct pbx_monitor *m);
/* True when the monitor has a valid user handle now. */
bool pbx_session_monitor_ready(struct pbx_session *s, struct pbx_monitor *m);

/* Call control (done may be NULL).  Calls refer to PBX call handles of this
 * session as reported in pbx_call.call. */
int pbx_session_user_call(struct pbx_session *s, struct pbx_monitor *m, const char *cn,
			  const char *e164, const char *h323, int rc, const char *srce164,
			  pbx_cmd_fn *done, void *arg);
int pbx_session_user_clear(struct pbx_session *s, int call, int cause, pbx_cmd_fn *done, void *arg);
int pbx_session_user_connect(struct pbx_session *s, int call, pbx_cmd_fn *done, void *arg);
int pbx_session_user_hold(struct pbx_session *s, int call, bool remote, pbx_cmd_fn *done, void *arg);
int pbx_session_user_retrieve(struct pbx_session *s, int call, pbx_cmd_fn *done, void *arg);
int pbx_session_user_transfer(struct pbx_session *s, int a, int b, pbx_cmd_fn *done, void *arg);
int pbx_session_user_redirect(struct pbx_session *s, int call, const char *cn, const char *e164,
			      const char *h323, int rc, pbx_cmd_fn *done, void *arg);
int pbx_session_user_reroute(struct pbx_session *s, int call, const char *cn, const char *e164,
			     const char *h323, pbx_cmd_fn *done, void *arg);
int pbx_session_user_pickup(struct pbx_session *s, struct pbx_monitor *m, const char *cn,
			    int call, const char *group, pbx_cmd_fn *done, void *arg);
int pbx_session_user_park(struct pbx_session *s, int call, const char *cn, int position,
			  pbx_cmd_fn *done, void *arg);
int pbx_session_user_rc(struct pbx_session *s, int call, int rc, pbx_cmd_fn *done, void *arg);
int pbx_session_user_dtmf(struct pbx_session *s, int call, const char *digits,
			  pbx_cmd_fn *done, void *arg);
int pbx_session_user_uui(struct pbx_session *s, int call, const char *uui,
			 pbx_cmd_fn *done, void *arg);
int pbx_session_user_message(struct pbx_session *s, struct pbx_monitor *m, const char *e164,
			     const char *h323, const char *msg, pbx_cmd_fn *done, void *arg);
int pbx_session_user_ct_complete(struct pbx_session *s, int call, const char *e164,
				 const char *h323, pbx_cmd_fn *done, void *arg);

/* Lookups. */
int pbx_session_find_users(struct pbx_session *s, const char *start_cn, bool nohide,
			   pbx_users_fn *done, void *arg);  /* paged by 50 */
int pbx_session_location_url(struct pbx_session *s, const char *loc, bool tls,
			     pbx_str_fn *done, void *arg);
int pbx_session_devices(struct pbx_session *s, const char *cn, pbx_devices_fn *done, void *arg);
int pbx_session_admin(struct pbx_session *s, const char *xml, pbx_str_fn *done, void *arg);

struct pbx_session_stats {
	uint64_t polls, events, resets, slow_calls;
	uint32_t last_rtt_ms;
	uint32_t inits_peak;      /* most UserInitialize requests in flight at once */
};
void pbx_session_get_stats(struct pbx_session *s, struct pbx_session_stats *out);

#endif
