/* LINECALLINFO / LINECALLSTATUS queries after call events (see host.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "names.h"
#include "varstruct.h"

#define PART(type, field, str, ver) { #field, offsetof(type, dw##field##Size), str, ver }

static const struct vs_part info_parts[] = {
	PART(LINECALLINFO, CallerID, 1, 0),
	PART(LINECALLINFO, CallerIDName, 1, 0),
	PART(LINECALLINFO, CalledID, 1, 0),
	PART(LINECALLINFO, CalledIDName, 1, 0),
	PART(LINECALLINFO, ConnectedID, 1, 0),
	PART(LINECALLINFO, ConnectedIDName, 1, 0),
	PART(LINECALLINFO, RedirectionID, 1, 0),
	PART(LINECALLINFO, RedirectionIDName, 1, 0),
	PART(LINECALLINFO, RedirectingID, 1, 0),
	PART(LINECALLINFO, RedirectingIDName, 1, 0),
	PART(LINECALLINFO, Display, 0, 0),
	PART(LINECALLINFO, UserUserInfo, 0, 0),
	PART(LINECALLINFO, HighLevelComp, 0, 0),
	PART(LINECALLINFO, LowLevelComp, 0, 0),
	PART(LINECALLINFO, ChargingInfo, 0, 0),
	PART(LINECALLINFO, TerminalModes, 0, 0),
	PART(LINECALLINFO, DevSpecific, 0, 0),
	PART(LINECALLINFO, CallData, 0, TSP8_TAPI_VERSION_2_0),
	PART(LINECALLINFO, SendingFlowspec, 0, TSP8_TAPI_VERSION_2_0),
	PART(LINECALLINFO, ReceivingFlowspec, 0, TSP8_TAPI_VERSION_2_0),
};

static const struct vs_part status_parts[] = {
	PART(LINECALLSTATUS, DevSpecific, 0, 0),
};

struct call_ctx {
	struct tspi *t;
	HDRVCALL hd;
};

static LONG fill_info(void *ctx, void *buf)
{
	struct call_ctx *c = ctx;
	return c->t->lineGetCallInfo(c->hd, buf);
}

static LONG fill_status(void *ctx, void *buf)
{
	struct call_ctx *c = ctx;
	return c->t->lineGetCallStatus(c->hd, buf);
}

static DWORD line_version(struct host *h, DWORD device)
{
	struct line *l = host_line_by_device(h, device);
	return l ? l->version : h->version;
}

static void report_failure(struct host *h, const char *what, LONG rc)
{
	const char *name = names_lineerr_of(rc);
	out_violation(h->out, "%s failed with %s for a live call", what,
		      name ? name : "an unknown code");
}

void callinfo_fetch(struct host *h, const struct call *c, struct call_details *d)
{
	memset(d, 0, sizeof *d);
	DWORD version = line_version(h, c->device);
	struct call_ctx ctx = { h->tspi, c->hd };
	char what[96];
	uint8_t *buf;

	if (h->tspi->lineGetCallInfo) {
		snprintf(what, sizeof what, "TSPI_lineGetCallInfo(%p)", (const void *)c->hd);
		struct vs_request rq = {
			.what = what,
			.fixed = tsp8_linecallinfo_size(version),
			.version = version,
			.parts = info_parts,
			.nparts = sizeof info_parts / sizeof info_parts[0],
			.fill = fill_info,
			.ctx = &ctx,
		};
		LONG rc = vs_get(h->out, &rq, &buf);
		if (rc == 0) {
			d->have_info = true;
			DWORD dev = vs_dword(buf, offsetof(LINECALLINFO, dwLineDeviceID));
			if (dev != c->device)
				out_violation(h->out, "%s dwLineDeviceID %lu, call is on %lu", what,
					      (unsigned long)dev, (unsigned long)c->device);
			vs_string(buf, offsetof(LINECALLINFO, dwCallerIDSize), d->caller, PARTY_MAX);
			vs_string(buf, offsetof(LINECALLINFO, dwCallerIDNameSize), d->caller_name,
				  PARTY_MAX);
			vs_string(buf, offsetof(LINECALLINFO, dwCalledIDSize), d->called, PARTY_MAX);
			vs_string(buf, offsetof(LINECALLINFO, dwCalledIDNameSize), d->called_name,
				  PARTY_MAX);
			vs_string(buf, offsetof(LINECALLINFO, dwConnectedIDSize), d->connected,
				  PARTY_MAX);
			vs_string(buf, offsetof(LINECALLINFO, dwConnectedIDNameSize),
				  d->connected_name, PARTY_MAX);
			d->origin = vs_dword(buf, offsetof(LINECALLINFO, dwOrigin));
			d->reason = vs_dword(buf, offsetof(LINECALLINFO, dwReason));
			d->callid = vs_dword(buf, offsetof(LINECALLINFO, dwCallID));
			d->related_callid = vs_dword(buf, offsetof(LINECALLINFO, dwRelatedCallID));
			free(buf);
		} else {
			report_failure(h, what, rc);
		}
	}
	if (h->tspi->lineGetCallStatus) {
		snprintf(what, sizeof what, "TSPI_lineGetCallStatus(%p)", (const void *)c->hd);
		struct vs_request rq = {
			.what = what,
			.fixed = tsp8_linecallstatus_size(version),
			.version = version,
			.parts = status_parts,
			.nparts = sizeof status_parts / sizeof status_parts[0],
			.fill = fill_status,
			.ctx = &ctx,
		};
		LONG rc = vs_get(h->out, &rq, &buf);
		if (rc == 0) {
			d->have_status = true;
			d->status_state = vs_dword(buf, offsetof(LINECALLSTATUS, dwCallState));
			d->features = vs_dword(buf, offsetof(LINECALLSTATUS, dwCallFeatures));
			free(buf);
		} else {
			report_failure(h, what, rc);
		}
	}
}
