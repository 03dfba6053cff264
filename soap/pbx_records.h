/* Plain C records decoded from the PBX SOAP API.  No gSOAP type appears in
 * any soap/ public header: everything above soap/ sees only these.
 *
 * Strings are never NULL: an element that was absent decodes to "".
 * Records returned by the decoder live in one allocation block owned by the
 * result (pbx_poll_free and friends free everything at once).
 */
#ifndef TSP8_SOAP_PBX_RECORDS_H
#define TSP8_SOAP_PBX_RECORDS_H

#include <stdbool.h>
#include <stddef.h>

/* CallInfo.state bits (PBX-centric: 0x80 = call from the PBX to the device) */
#define PBX_CS_PHASE_MASK   0x0f
#define PBX_CS_SETUP        1
#define PBX_CS_SETUP_ACK    2
#define PBX_CS_CALL_PROC    3
#define PBX_CS_ALERT        4
#define PBX_CS_CONNECT      5
#define PBX_CS_DISC_SENT    6
#define PBX_CS_DISC_RECV    7
#define PBX_CS_PARKED       8
#define PBX_CS_OUTBOUND     0x80   /* PBX -> device, i.e. offered to the user */
#define PBX_CS_HOLD         0x100  /* held by this side */
#define PBX_CS_HELD_REMOTE  0x200  /* put on hold by the peer */

struct pbx_group { const char *group; bool active; };
struct pbx_info  { const char *type; int vali; const char *vals; };
struct pbx_no    { const char *type, *cn, *dn, *e164, *h323; };

struct pbx_presence {
	bool present;          /* a <presence> element was there */
	const char *status;    /* "open" / "closed" / "" */
	const char *activity;  /* "on-the-phone", "away", ... / "" */
	const char *note;
};

/* One UserInfo record (pbx10_00). */
struct pbx_user {
	bool active;           /* false once when the object leaves the scope */
	const char *cn, *dn, *type, *e164, *h323, *guid;
	int state;             /* 1 registered, 0 not */
	int channel, alert;
	const char *loc, *node, *object, *nodenum, *domain;
	bool cfg;              /* configuration changed */
	struct pbx_presence presence;
	const struct pbx_group *groups; size_t ngroups;
	const struct pbx_info *info;    size_t ninfo;
};

/* One CallInfo record: one call leg of a UserInitialize'd user. */
struct pbx_call {
	int user;              /* user handle (UserInitialize result) */
	int call;              /* call handle */
	int reg;
	bool active;           /* false once, when the leg is gone */
	int state;             /* PBX_CS_* bits */
	const char *msg;       /* "x-setup", "r-conn", "del", ... */
	const struct pbx_no *nos;    size_t nnos;
	const struct pbx_info *info; size_t ninfo;
};

struct pbx_device { const char *hw, *text; };

/* Decoded Poll answer. */
struct pbx_poll {
	const struct pbx_user *users; size_t nusers;
	const struct pbx_call *calls; size_t ncalls;
	bool dump_end;         /* a UserInfo with empty cn ended the initial dump
	                          (that record is not in users[]) */
};

/* Version() answer. */
struct pbx_version {
	int wsdl_version;
	const char *gatekeeper_id, *location, *firmware, *serial;
};

/* Lookup helpers (return NULL when absent). */
const struct pbx_no   *pbx_call_no(const struct pbx_call *c, const char *type);
const struct pbx_info *pbx_call_info(const struct pbx_call *c, const char *type);
const struct pbx_info *pbx_user_info(const struct pbx_user *u, const char *type);

#endif
