/* pbxsim call engine: calls with two legs, their PBX-centric states and the
 * CallInfo records every state change produces (pbx-soap-api.md §5).
 * A call belongs to a PBX tree; each leg lives on the home PBX of its
 * object (handles count per PBX) and is reported only to sessions on that
 * PBX (or its standby) that UserInitialize'd the object.
 * Every function expects sim->lock held. */
#ifndef PBXSIM_CALLS_H
#define PBXSIM_CALLS_H

#include <stdbool.h>

#include "records.h"
#include "sim.h"

/* state & 0x0F phases and flag bits (§5.1) */
enum {
	CS_SETUP = 1, CS_ALERT = 4, CS_CONN = 5, CS_DISC_SENT = 6, CS_DISC_RECV = 7,
	CS_PARKED = 8,
	CS_PHASE = 0x0F, CS_OUT = 0x80, CS_HOLD = 0x100, CS_HELD = 0x200
};

enum { LEG_CALLER = 0, LEG_CALLEE = 1 };

#define CAUSE_UNALLOCATED 1
#define CAUSE_NORMAL 16
#define CAUSE_NO_ANSWER 19
#define CAUSE_ABSENT 20
#define CAUSE_NONSELECTED 26

#define SIM_LEG_EXTRA 3

struct sim_leg {
	bool used;
	struct sim_pbx *pbx;        /* the PBX the leg lives on (obj's home) */
	int handle;                 /* per-PBX call handle of this leg */
	struct sim_object *obj;     /* the side's object (the trunk for external) */
	char ext[SIM_NUM];          /* trunk legs: the external number */
	char dialled[SIM_NUM];      /* caller legs: what was dialled (peer until
	                             * the callee leg exists) */
	char hw[SIM_NUM];           /* device of this side, "" = none/any */
	unsigned state;
	char msg[SIM_TAG];
	struct sim_no extra[SIM_LEG_EXTRA]; /* sticky No records (leg2, ct, picking) */
	size_t nextra;
	bool peer_set;              /* peer fixed: UserCtComplete, or the party
	                             * that left (kept for the final records) */
	struct sim_no peer;
	char dtmf[SIM_NUM];         /* DTMF sent by this side (UserDTMF) */
	char uui[SIM_STR];          /* last UUI received by this side */
	int last_rc;                /* last remote-control code (UserRc / UserCall) */
};

struct sim_call {
	int id;                     /* control-channel id ("simcall") */
	struct sim_tree *tree;      /* owner */
	struct sim_pbx *pbx;        /* where it was placed (the first leg's PBX) */
	char conf[SIM_GUID];        /* Info conf shared by the legs */
	struct sim_leg leg[2];      /* LEG_CALLER, LEG_CALLEE */
	int cause;                  /* last cause, 0 = none yet */
	struct sim_object *park_obj;/* parked at, NULL when not parked */
	int park_pos;
	struct sim_call *next;
};

/* One-off additions to a reported record. */
struct leg_report_opts {
	const struct sim_no *no;    /* extra No for this record only, or NULL */
	const struct sim_no *xfer;  /* No "xfer", only to user handles with xfer */
	const char *uui;            /* Info uui, or NULL */
};

/* Places a call at pbx (from's home) from `from` (device hw, "" = first registered) to dest_cn
 * (exact cn) or else number (e164/h323/cn, external through the trunk).
 * Forwardings (cfu/cfb) of the destination apply unless no_forward.
 * *simcall and *caller_handle get the ids even when the call failed at
 * once (it is then already released).  TSP8_ENOTFOUND for an unknown cn,
 * TSP8_ESTATE when `from` has no registered device (type ep). */
int calls_place(struct sim_pbx *pbx, struct sim_object *from, const char *hw,
		const char *dest_cn, const char *number, int rc, int *simcall,
		int *caller_handle);
/* A call from external `ext` through the trunk to internal `to`. */
int calls_incoming(struct sim_pbx *pbx, const char *ext, const char *to, int *simcall);

/* Lookups: NULL when absent.  By leg: legs living on pbx (on its primary
 * when pbx is a standby). */
struct sim_call *calls_by_id(struct sim *sim, int id);
struct sim_call *calls_by_leg(struct sim_pbx *pbx, int handle, int *idx);

/* Index of the leg ringing at its device (state 0x8x, phase 1..4), -1. */
int calls_ringing_leg(const struct sim_call *c);

/* Answers leg idx (must be ringing). TSP8_ESTATE otherwise. */
int calls_answer(struct sim_call *c, int idx);
/* The device of leg idx hangs up (cause 0 = normal clearing); the call is
 * freed when both legs are gone. */
int calls_release(struct sim_call *c, int idx, int cause);
/* Leg idx holds / retrieves its peer. */
int calls_hold(struct sim_call *c, int idx, bool hold);

/* Offers call c to `to` at leg slot `slot` (ext: through the trunk to that
 * number; diverting: the object whose forwarding/redirect led here, for a
 * No leg2).  An unreachable destination clears the other leg. */
void calls_offer(struct sim_call *c, int slot, struct sim_object *to, const char *ext,
		 struct sim_object *diverting);
/* Queues rec (a record of leg l) to every user handle monitoring l on
 * the leg's PBX or its standby. */
void calls_route(const struct sim_leg *l, const struct sim_callinfo *rec,
		 const struct leg_report_opts *opt);
/* Reports leg idx with its current state/msg to every monitoring session. */
void calls_report(struct sim_call *c, int idx, const struct leg_report_opts *opt);
/* Sets state and msg of leg idx, logs and reports it. */
void calls_set(struct sim_call *c, int idx, unsigned state, const char *msg,
	       const struct leg_report_opts *opt);
/* Reports the final active=false "del" record of leg idx and frees the leg;
 * frees the call when nothing is left in it.  Returns true when freed. */
bool calls_leg_gone(struct sim_call *c, int idx);
/* Starts a new leg at slot idx (which must be unused) on obj's home. */
struct sim_leg *calls_new_leg(struct sim_call *c, int idx, struct sim_object *obj,
			      const char *hw);
/* Peer No of leg idx as it is reported. */
void calls_peer_no(const struct sim_call *c, int idx, struct sim_no *out);
/* Fills a CallInfo of leg idx for user handle `user` (0 = Calls()). */
void calls_record(const struct sim_call *c, int idx, int user, struct sim_callinfo *out);

/* channel (legs) and alert (ringing legs) of o in the calls of pbx's tree. */
void calls_count(const struct sim_pbx *pbx, const struct sim_object *o, int *channel,
		 int *alert);
/* Emits a UserInfo for o when its channel/alert changed since last time. */
void calls_refresh_counts(struct sim_pbx *pbx, struct sim_object *o);
/* Removes a call from the tree's list and frees it (no records). */
void calls_unlink(struct sim_call *c);
void calls_free_all(struct sim_tree *tree);
/* Clears every call with a leg of o or parked at o (normal clearing). */
void calls_clear_object(struct sim_tree *tree, const struct sim_object *o);

/* Where a call to `to` goes after its forwardings (cfu; cfb when busy);
 * writes the forwarding object to *fwd (NULL when none applied). */
struct sim_object *calls_forward_target(struct sim_pbx *pbx, struct sim_object *to,
					 struct sim_object **fwd, char *ext, size_t extlen);

#endif
