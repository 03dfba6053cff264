/* PBX SOAP messages: requests serialized into memory and responses parsed
 * from memory with the gSOAP stubs generated from wsdl/pbx10_00.wsdl.
 * gSOAP performs no I/O here; the transport is pbx_io (libcurl).
 *
 * Parsing is order-independent, ignores unknown elements and accepts any
 * member element name inside SOAP-encoded arrays.  Malformed input yields
 * TSP8_EPROTO (never a crash); a SOAP Fault yields TSP8_EFAULT with the
 * faultstring in err->msg.
 */
#ifndef TSP8_SOAP_PBX_RPC_H
#define TSP8_SOAP_PBX_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include "pbx_records.h"

enum pbx_op {
	PBX_OP_VERSION, PBX_OP_INITIALIZE, PBX_OP_ECHO, PBX_OP_END, PBX_OP_POLL,
	PBX_OP_USER_INITIALIZE, PBX_OP_USER_END, PBX_OP_USER_CALL,
	PBX_OP_USER_CLEAR, PBX_OP_USER_CONNECT, PBX_OP_USER_HOLD,
	PBX_OP_USER_RETRIEVE, PBX_OP_USER_TRANSFER, PBX_OP_USER_CT_COMPLETE,
	PBX_OP_USER_REDIRECT, PBX_OP_USER_REROUTE, PBX_OP_USER_PICKUP,
	PBX_OP_USER_PARK, PBX_OP_USER_RC, PBX_OP_USER_DTMF, PBX_OP_USER_UUI,
	PBX_OP_USER_MESSAGE, PBX_OP_USER_LOCAL_NUM, PBX_OP_USER_FIND_DESTINATION,
	PBX_OP_FIND_USER, PBX_OP_LOCATION_URL, PBX_OP_DEVICES, PBX_OP_CALLS,
	PBX_OP_SET_PRESENCE, PBX_OP_ADMIN,
	PBX_OP_COUNT
};

/* Operation name as on the wire ("UserInitialize"). */
const char *pbx_op_name(enum pbx_op op);
/* SOAPAction value for op ("http://innovaphone.com/pbx#Poll"; UserEnd's
 * capeconnect quirk included). */
const char *pbx_op_action(enum pbx_op op);

/* A serialized request. */
struct pbx_msg {
	enum pbx_op op;
	char *body;            /* malloc'd XML, NUL-terminated */
	size_t len;
};
void pbx_msg_free(struct pbx_msg *m);   /* frees body; m itself is the caller's */

struct pbx_err { char msg[256]; };

/* A codec owns one reusable gSOAP context (allocating one per message would
 * dominate the cost).  Not thread-safe: one codec per thread of use (each
 * session has its own, used on the I/O thread).  Results returned by the
 * pbx_dec_* functions are independent of the codec (they are copied into
 * their own block) and may outlive it. */
struct pbx_codec;
int  pbx_codec_create(struct pbx_codec **out);
void pbx_codec_destroy(struct pbx_codec *cx);

/* --- requests (all return TSP8_OK or an error code) --- */
int pbx_enc_version(struct pbx_codec *cx, struct pbx_msg *m);
int pbx_enc_initialize(struct pbx_codec *cx, struct pbx_msg *m, const char *user, const char *appl);
int pbx_enc_echo(struct pbx_codec *cx, struct pbx_msg *m, int session, int key);
int pbx_enc_end(struct pbx_codec *cx, struct pbx_msg *m, int session);
int pbx_enc_poll(struct pbx_codec *cx, struct pbx_msg *m, int session);
int pbx_enc_user_initialize(struct pbx_codec *cx, struct pbx_msg *m, int session, const char *user,
			    bool xfer, bool disc, const char *hw);
int pbx_enc_user_end(struct pbx_codec *cx, struct pbx_msg *m, int user);
int pbx_enc_user_call(struct pbx_codec *cx, struct pbx_msg *m, int user, const char *cn, const char *e164,
		      const char *h323, int rc, const char *srce164);
int pbx_enc_user_clear(struct pbx_codec *cx, struct pbx_msg *m, int call, int cause);
int pbx_enc_user_connect(struct pbx_codec *cx, struct pbx_msg *m, int call);
int pbx_enc_user_hold(struct pbx_codec *cx, struct pbx_msg *m, int call, bool remote);
int pbx_enc_user_retrieve(struct pbx_codec *cx, struct pbx_msg *m, int call);
int pbx_enc_user_transfer(struct pbx_codec *cx, struct pbx_msg *m, int a, int b);
int pbx_enc_user_ct_complete(struct pbx_codec *cx, struct pbx_msg *m, int call, const char *e164, const char *h323);
int pbx_enc_user_redirect(struct pbx_codec *cx, struct pbx_msg *m, int call, const char *cn, const char *e164,
			  const char *h323, int rc);
int pbx_enc_user_reroute(struct pbx_codec *cx, struct pbx_msg *m, int call, const char *cn, const char *e164,
			 const char *h323);
int pbx_enc_user_pickup(struct pbx_codec *cx, struct pbx_msg *m, int user, const char *cn, int call,
			const char *group);
int pbx_enc_user_park(struct pbx_codec *cx, struct pbx_msg *m, int call, const char *cn, int position);
int pbx_enc_user_rc(struct pbx_codec *cx, struct pbx_msg *m, int call, int rc);
int pbx_enc_user_dtmf(struct pbx_codec *cx, struct pbx_msg *m, int call, bool recv, const char *dtmf);
int pbx_enc_user_uui(struct pbx_codec *cx, struct pbx_msg *m, int call, bool recv, const char *uui);
int pbx_enc_user_message(struct pbx_codec *cx, struct pbx_msg *m, int user, const char *e164, const char *h323,
			 const char *msg, const char *src_e164, const char *src_h323);
int pbx_enc_user_local_num(struct pbx_codec *cx, struct pbx_msg *m, int user, const char *num);
int pbx_enc_user_find_destination(struct pbx_codec *cx, struct pbx_msg *m, int user, const char *e164,
				  const char *h323);
int pbx_enc_find_user(struct pbx_codec *cx, struct pbx_msg *m, const char *cn, const char *h323,
		      const char *e164, int count, bool next, bool nohide);
int pbx_enc_location_url(struct pbx_codec *cx, struct pbx_msg *m, const char *loc, bool tls);
int pbx_enc_devices(struct pbx_codec *cx, struct pbx_msg *m, int session, const char *user);
int pbx_enc_calls(struct pbx_codec *cx, struct pbx_msg *m, int session, const char *user);
int pbx_enc_set_presence(struct pbx_codec *cx, struct pbx_msg *m, const struct pbx_presence *p, bool im,
			 const char *contact, const char *guid, const char *h323);
int pbx_enc_admin(struct pbx_codec *cx, struct pbx_msg *m, const char *xml);

/* --- responses --- */
/* Checks that xml is the response of op (or a Fault) and extracts nothing. */
int pbx_dec_void(struct pbx_codec *cx, const char *xml, size_t len, enum pbx_op op, struct pbx_err *err);
/* Integer "return" part: Echo, UserInitialize, UserCall, UserPickup, UserPark,
 * UserMessage, SetPresence. */
int pbx_dec_int(struct pbx_codec *cx, const char *xml, size_t len, enum pbx_op op, int *ret, struct pbx_err *err);
/* Boolean "return": UserRedirect, UserReroute. */
int pbx_dec_bool(struct pbx_codec *cx, const char *xml, size_t len, enum pbx_op op, bool *ret, struct pbx_err *err);
/* String "return": LocationUrl, Admin, UserLocalNum (malloc'd). */
int pbx_dec_string(struct pbx_codec *cx, const char *xml, size_t len, enum pbx_op op, char **ret, struct pbx_err *err);
int pbx_dec_initialize(struct pbx_codec *cx, const char *xml, size_t len, int *session, int *key, struct pbx_err *err);

/* Results with records are allocated as one block; free with the matching
 * *_free (NULL allowed). */
struct pbx_version_result { struct pbx_version v; };
int  pbx_dec_version(struct pbx_codec *cx, const char *xml, size_t len, struct pbx_version_result **out, struct pbx_err *err);
void pbx_version_free(struct pbx_version_result *r);

struct pbx_poll_result { struct pbx_poll p; };
int  pbx_dec_poll(struct pbx_codec *cx, const char *xml, size_t len, struct pbx_poll_result **out, struct pbx_err *err);
void pbx_poll_free(struct pbx_poll_result *r);

/* FindUser (UserInfoArray) and UserFindDestination (incomplete flag + user). */
struct pbx_users_result { const struct pbx_user *users; size_t nusers; bool incomplete; };
int  pbx_dec_find_user(struct pbx_codec *cx, const char *xml, size_t len, struct pbx_users_result **out, struct pbx_err *err);
int  pbx_dec_user_find_destination(struct pbx_codec *cx, const char *xml, size_t len, struct pbx_users_result **out,
				   struct pbx_err *err);
void pbx_users_free(struct pbx_users_result *r);

struct pbx_calls_result { const struct pbx_call *calls; size_t ncalls; };
int  pbx_dec_calls(struct pbx_codec *cx, const char *xml, size_t len, struct pbx_calls_result **out, struct pbx_err *err);
void pbx_calls_free(struct pbx_calls_result *r);

struct pbx_devices_result { const struct pbx_device *devices; size_t ndevices; };
int  pbx_dec_devices(struct pbx_codec *cx, const char *xml, size_t len, struct pbx_devices_result **out, struct pbx_err *err);
void pbx_devices_free(struct pbx_devices_result *r);

#endif
