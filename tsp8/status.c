/* Call and line status structures (see status.h).  They are filled with the
 * model lock held: only memory writes into TAPI's buffer, no callouts. */
#include "tsp8/status.h"

#include <string.h>

#include "tsp8/call.h"
#include "tsp8/callstate.h"
#include "tsp8/line.h"
#include "tsp8/varstruct.h"

DWORD status_party_flags(const char *number, const char *name)
{
	DWORD f = 0;
	if (number && number[0])
		f |= LINECALLPARTYID_ADDRESS;
	if (name && name[0])
		f |= LINECALLPARTYID_NAME;
	return f ? f : LINECALLPARTYID_UNKNOWN;
}

/* Adds number and name of a party; returns its flags. */
static DWORD add_party(struct varbuf *vb, const struct party *pt, DWORD *nsz, DWORD *noff, DWORD *msz,
		       DWORD *moff)
{
	vb_add_wstr(vb, pt->number, true, nsz, noff);
	vb_add_wstr(vb, pt->name, true, msz, moff);
	return status_party_flags(pt->number, pt->name);
}

LONG status_call_info(struct provider *p, HDRVCALL hd, LPLINECALLINFO ci)
{
	LONG rc = 0;
	plat_mutex_lock(&p->lock);
	struct call *c = call_by_handle(p, hd);
	if (!c) {
		rc = (LONG)LINEERR_INVALCALLHANDLE;
		goto out;
	}
	DWORD version = c->line->version;
	DWORD fixed = tsp8_linecallinfo_size(version);
	DWORD total = ci->dwTotalSize;
	if (total < fixed) {
		rc = (LONG)LINEERR_STRUCTURETOOSMALL;
		goto out;
	}
	LINECALLINFO x;
	memset(&x, 0, sizeof(x));
	/* fields TAPI owns keep what TAPI put there */
	x.hLine = ci->hLine;
	x.dwMonitorDigitModes = ci->dwMonitorDigitModes;
	x.dwMonitorMediaModes = ci->dwMonitorMediaModes;
	x.dwNumOwners = ci->dwNumOwners;
	x.dwNumMonitors = ci->dwNumMonitors;

	struct varbuf vb;
	vb_init(&vb, ci, total, fixed);
	x.dwLineDeviceID = c->line->device_id;
	x.dwAddressID = 0;
	x.dwBearerMode = LINEBEARERMODE_VOICE;
	x.dwMediaMode = LINEMEDIAMODE_INTERACTIVEVOICE;
	x.dwCallID = c->call_id;
	x.dwRelatedCallID = 0;
	x.dwCallStates = CALLSTATE_ALL;
	x.dwOrigin = c->origin;
	x.dwReason = c->reason;
	x.dwTrunk = 0xffffffffu;   /* unknown */
	DWORD s1, o1, s2, o2;
	x.dwCallerIDFlags = add_party(&vb, &c->caller, &s1, &o1, &s2, &o2);
	x.dwCallerIDSize = s1;
	x.dwCallerIDOffset = o1;
	x.dwCallerIDNameSize = s2;
	x.dwCallerIDNameOffset = o2;
	x.dwCalledIDFlags = add_party(&vb, &c->called, &s1, &o1, &s2, &o2);
	x.dwCalledIDSize = s1;
	x.dwCalledIDOffset = o1;
	x.dwCalledIDNameSize = s2;
	x.dwCalledIDNameOffset = o2;
	x.dwConnectedIDFlags = add_party(&vb, &c->connected, &s1, &o1, &s2, &o2);
	x.dwConnectedIDSize = s1;
	x.dwConnectedIDOffset = o1;
	x.dwConnectedIDNameSize = s2;
	x.dwConnectedIDNameOffset = o2;
	x.dwRedirectionIDFlags = LINECALLPARTYID_UNAVAIL;
	x.dwRedirectingIDFlags = LINECALLPARTYID_UNAVAIL;
	if (version >= TSP8_TAPI_VERSION_3_0) {
		x.dwCallerIDAddressType = LINEADDRESSTYPE_PHONENUMBER;
		x.dwCalledIDAddressType = LINEADDRESSTYPE_PHONENUMBER;
		x.dwConnectedIDAddressType = LINEADDRESSTYPE_PHONENUMBER;
		x.dwRedirectionIDAddressType = LINEADDRESSTYPE_PHONENUMBER;
		x.dwRedirectingIDAddressType = LINEADDRESSTYPE_PHONENUMBER;
	}
	x.dwTotalSize = total;
	x.dwNeededSize = vb.needed;
	x.dwUsedSize = vb.used;
	memcpy(ci, &x, fixed);
out:
	plat_mutex_unlock(&p->lock);
	return rc;
}

static void to_systemtime(uint64_t wall_ms, SYSTEMTIME *st)
{
	struct plat_tm tm;
	plat_localtime(wall_ms, &tm);
	memset(st, 0, sizeof(*st));
	st->wYear = (WORD)tm.year;
	st->wMonth = (WORD)tm.mon;
	st->wDay = (WORD)tm.day;
	st->wHour = (WORD)tm.hour;
	st->wMinute = (WORD)tm.min;
	st->wSecond = (WORD)tm.sec;
	st->wMilliseconds = (WORD)tm.msec;
}

LONG status_call_status(struct provider *p, HDRVCALL hd, LPLINECALLSTATUS cs)
{
	LONG rc = 0;
	plat_mutex_lock(&p->lock);
	struct call *c = call_by_handle(p, hd);
	if (!c) {
		rc = (LONG)LINEERR_INVALCALLHANDLE;
		goto out;
	}
	DWORD version = c->line->version;
	DWORD fixed = tsp8_linecallstatus_size(version);
	DWORD total = cs->dwTotalSize;
	if (total < fixed) {
		rc = (LONG)LINEERR_STRUCTURETOOSMALL;
		goto out;
	}
	LINECALLSTATUS x;
	memset(&x, 0, sizeof(x));
	x.dwCallPrivilege = cs->dwCallPrivilege;   /* TAPI's */
	DWORD state = c->state ? c->state : LINECALLSTATE_UNKNOWN;
	x.dwCallState = state;
	x.dwCallStateMode = c->mode;
	x.dwCallFeatures = c->pbx_call ? callstate_features(state, c->line->in_service) : 0;
	if (version >= TSP8_TAPI_VERSION_2_0) {
		SYSTEMTIME st;
		to_systemtime(c->state_wall_ms ? c->state_wall_ms : plat_wallclock_ms(), &st);
		x.tStateEntryTime = st;
	}
	x.dwTotalSize = total;
	x.dwNeededSize = fixed;
	x.dwUsedSize = fixed;
	memcpy(cs, &x, fixed);
out:
	plat_mutex_unlock(&p->lock);
	return rc;
}

/* Counts the calls of l that TAPI knows, by kind. */
static void count_calls(const struct line *l, DWORD *active, DWORD *held)
{
	*active = *held = 0;
	for (const struct call *c = l->calls; c; c = c->next) {
		if (!c->hd || !c->state || c->state == LINECALLSTATE_IDLE)
			continue;
		if (c->state == LINECALLSTATE_ONHOLD)
			(*held)++;
		else
			(*active)++;
	}
}

LONG status_line_dev(struct provider *p, HDRVLINE hd, LPLINEDEVSTATUS ds)
{
	LONG rc = 0;
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_handle(p, hd);
	if (!l) {
		rc = (LONG)LINEERR_INVALLINEHANDLE;
		goto out;
	}
	DWORD fixed = tsp8_linedevstatus_size(l->version);
	DWORD total = ds->dwTotalSize;
	if (total < fixed) {
		rc = (LONG)LINEERR_STRUCTURETOOSMALL;
		goto out;
	}
	LINEDEVSTATUS x;
	memset(&x, 0, sizeof(x));
	x.dwNumOpens = ds->dwNumOpens;               /* TAPI's */
	x.dwOpenMediaModes = ds->dwOpenMediaModes;   /* TAPI's */
	DWORD active, held;
	count_calls(l, &active, &held);
	x.dwNumActiveCalls = active;
	x.dwNumOnHoldCalls = held;
	x.dwLineFeatures = l->in_service ? LINEFEATURE_MAKECALL : 0;
	x.dwSignalLevel = 0xffff;
	x.dwBatteryLevel = 0xffff;
	x.dwRoamMode = LINEROAMMODE_UNAVAIL;
	x.dwDevStatusFlags = l->in_service ? (LINEDEVSTATUSFLAGS_CONNECTED | LINEDEVSTATUSFLAGS_INSERVICE) : 0;
	if (l->version >= TSP8_TAPI_VERSION_2_0) {
		x.dwAvailableMediaModes = LINEMEDIAMODE_INTERACTIVEVOICE;
		x.dwAppInfoSize = ds->dwAppInfoSize;     /* TAPI's */
		x.dwAppInfoOffset = ds->dwAppInfoOffset;
	}
	x.dwTotalSize = total;
	x.dwNeededSize = fixed;
	x.dwUsedSize = fixed;
	memcpy(ds, &x, fixed);
out:
	plat_mutex_unlock(&p->lock);
	return rc;
}

LONG status_address(struct provider *p, HDRVLINE hd, DWORD address_id, LPLINEADDRESSSTATUS as)
{
	LONG rc = 0;
	plat_mutex_lock(&p->lock);
	struct line *l = line_by_handle(p, hd);
	if (!l) {
		rc = (LONG)LINEERR_INVALLINEHANDLE;
		goto out;
	}
	if (address_id != 0) {
		rc = (LONG)LINEERR_INVALADDRESSID;
		goto out;
	}
	DWORD fixed = TSP8_LINEADDRESSSTATUS_SIZE;
	DWORD total = as->dwTotalSize;
	if (total < fixed) {
		rc = (LONG)LINEERR_STRUCTURETOOSMALL;
		goto out;
	}
	LINEADDRESSSTATUS x;
	memset(&x, 0, sizeof(x));
	DWORD active, held;
	count_calls(l, &active, &held);
	x.dwNumInUse = (active || held) ? 1 : 0;
	x.dwNumActiveCalls = active;
	x.dwNumOnHoldCalls = held;
	x.dwAddressFeatures = l->in_service ? LINEADDRFEATURE_MAKECALL : 0;
	x.dwTotalSize = total;
	x.dwNeededSize = fixed;
	x.dwUsedSize = fixed;
	memcpy(as, &x, fixed);
out:
	plat_mutex_unlock(&p->lock);
	return rc;
}
