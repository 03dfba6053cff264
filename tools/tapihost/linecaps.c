/* Reading LINEDEVCAPS / LINEADDRESSCAPS for a line, as tapisrv does when an
 * application asks for them (negotiated version size, grow on Needed). */
#include <stdio.h>
#include <stdlib.h>

#include "host.h"
#include "names.h"
#include "varstruct.h"

#define PART(type, field, str, ver) { #field, offsetof(type, dw##field##Size), str, ver }

static const struct vs_part devcaps_parts[] = {
	PART(LINEDEVCAPS, ProviderInfo, 1, 0),
	PART(LINEDEVCAPS, SwitchInfo, 1, 0),
	PART(LINEDEVCAPS, LineName, 1, 0),
	PART(LINEDEVCAPS, TerminalCaps, 0, 0),
	PART(LINEDEVCAPS, TerminalText, 0, 0),
	PART(LINEDEVCAPS, DevSpecific, 0, 0),
	PART(LINEDEVCAPS, DeviceClasses, 1, TSP8_TAPI_VERSION_2_0),
};

static const struct vs_part addrcaps_parts[] = {
	PART(LINEADDRESSCAPS, Address, 1, 0),
	PART(LINEADDRESSCAPS, DevSpecific, 0, 0),
	PART(LINEADDRESSCAPS, CompletionMsgText, 0, 0),
	PART(LINEADDRESSCAPS, CallTreatmentList, 0, TSP8_TAPI_VERSION_2_0),
	PART(LINEADDRESSCAPS, DeviceClasses, 1, TSP8_TAPI_VERSION_2_0),
};

struct caps_ctx {
	struct tspi *t;
	DWORD device;
	DWORD version;
};

static LONG fill_devcaps(void *ctx, void *buf)
{
	struct caps_ctx *c = ctx;
	return c->t->lineGetDevCaps(c->device, c->version, 0, buf);
}

static LONG fill_addrcaps(void *ctx, void *buf)
{
	struct caps_ctx *c = ctx;
	return c->t->lineGetAddressCaps(c->device, 0, c->version, 0, buf);
}

LONG linecaps_read(struct host *h, struct line *l)
{
	char what[96];
	struct caps_ctx ctx = { h->tspi, l->device, l->version };
	snprintf(what, sizeof what, "TSPI_lineGetDevCaps(%lu)", (unsigned long)l->device);
	struct vs_request rq = {
		.what = what,
		.fixed = tsp8_linedevcaps_size(l->version),
		.version = l->version,
		.prefill_needed_used = 1,
		.parts = devcaps_parts,
		.nparts = sizeof devcaps_parts / sizeof devcaps_parts[0],
		.fill = fill_devcaps,
		.ctx = &ctx,
	};
	uint8_t *buf;
	LONG rc = vs_get(h->out, &rq, &buf);
	if (rc != 0)
		return rc;
	l->perm = vs_dword(buf, offsetof(LINEDEVCAPS, dwPermanentLineID));
	char text[HOST_TEXT_MAX];
	vs_string(buf, offsetof(LINEDEVCAPS, dwLineNameSize), text, sizeof text);
	host_line_set_text(&l->name, text);
	DWORD fmt = vs_dword(buf, offsetof(LINEDEVCAPS, dwStringFormat));
	DWORD naddr = vs_dword(buf, offsetof(LINEDEVCAPS, dwNumAddresses));
	free(buf);
	if (fmt != STRINGFORMAT_UNICODE)
		out_violation(h->out, "%s dwStringFormat %lu, expected STRINGFORMAT_UNICODE", what,
			      (unsigned long)fmt);
	if (naddr == 0)
		out_violation(h->out, "%s dwNumAddresses is 0", what);

	host_line_set_text(&l->addr, "");
	if (!h->tspi->lineGetAddressCaps || naddr == 0)
		return 0;
	snprintf(what, sizeof what, "TSPI_lineGetAddressCaps(%lu, 0)", (unsigned long)l->device);
	struct vs_request arq = {
		.what = what,
		.fixed = tsp8_lineaddresscaps_size(l->version),
		.version = l->version,
		.prefill_needed_used = 0,
		.parts = addrcaps_parts,
		.nparts = sizeof addrcaps_parts / sizeof addrcaps_parts[0],
		.fill = fill_addrcaps,
		.ctx = &ctx,
	};
	rc = vs_get(h->out, &arq, &buf);
	if (rc != 0) {
		out_violation(h->out, "%s failed with %s", what,
			      names_lineerr_of(rc) ? names_lineerr_of(rc) : "an unknown code");
		return 0;
	}
	DWORD dev = vs_dword(buf, offsetof(LINEADDRESSCAPS, dwLineDeviceID));
	if (dev != l->device)
		out_violation(h->out, "%s dwLineDeviceID is %lu", what, (unsigned long)dev);
	vs_string(buf, offsetof(LINEADDRESSCAPS, dwAddressSize), text, sizeof text);
	host_line_set_text(&l->addr, text);
	free(buf);
	return 0;
}
