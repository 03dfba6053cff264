/* LINEDEVCAPS / LINEADDRESSCAPS (see caps.h). */
#include "tsp8/caps.h"

#include <stdio.h>
#include <string.h>

#include "tsp8/callstate.h"
#include "tsp8/model.h"
#include "tsp8/varstruct.h"

const char *caps_provider_info(void)
{
	return "TSP8 " TSP8_VERSION_STRING;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static uint64_t fnv64(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

void caps_line_guid(const char *text, GUID *out)
{
	uint8_t b[16];
	const char *s = text ? text : "";
	size_t n = strlen(s);
	bool hex = n == 32;
	for (size_t i = 0; hex && i < 32; i++)
		hex = hexval(s[i]) >= 0;
	if (hex) {
		for (int i = 0; i < 16; i++)
			b[i] = (uint8_t)(hexval(s[2 * i]) << 4 | hexval(s[2 * i + 1]));
	} else {
		uint64_t h1 = fnv64(s, 1469598103934665603ull);
		uint64_t h2 = fnv64(s, h1 ^ 0x9e3779b97f4a7c15ull);
		for (int i = 0; i < 8; i++) {
			b[i] = (uint8_t)(h1 >> (8 * i));
			b[8 + i] = (uint8_t)(h2 >> (8 * i));
		}
		b[6] = (uint8_t)((b[6] & 0x0f) | 0x50);  /* name-based */
		b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);  /* RFC 4122 variant */
	}
	out->Data1 = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	out->Data2 = (uint16_t)(b[4] << 8 | b[5]);
	out->Data3 = (uint16_t)(b[6] << 8 | b[7]);
	memcpy(out->Data4, b + 8, 8);
}

static const char *const device_classes[] = { "tapi/line" };

LONG caps_fill_dev(const struct caps_line *cl, DWORD version, LPLINEDEVCAPS caps)
{
	DWORD fixed = tsp8_linedevcaps_size(version);
	DWORD total = caps->dwTotalSize;
	if (total < fixed)
		return (LONG)LINEERR_STRUCTURETOOSMALL;
	LINEDEVCAPS d;
	memset(&d, 0, sizeof(d));
	struct varbuf vb;
	vb_init(&vb, caps, total, fixed);

	char sw[512];
	snprintf(sw, sizeof(sw), "%s%s%s", cl->pbx_name, cl->firmware[0] ? " " : "", cl->firmware);
	DWORD sz, off;
	vb_add_wstr(&vb, caps_provider_info(), false, &sz, &off);
	d.dwProviderInfoSize = sz;
	d.dwProviderInfoOffset = off;
	vb_add_wstr(&vb, sw, true, &sz, &off);
	d.dwSwitchInfoSize = sz;
	d.dwSwitchInfoOffset = off;
	vb_add_wstr(&vb, cl->name, false, &sz, &off);
	d.dwLineNameSize = sz;
	d.dwLineNameOffset = off;
	d.dwPermanentLineID = cl->perm_id;
	d.dwStringFormat = STRINGFORMAT_UNICODE;
	d.dwAddressModes = LINEADDRESSMODE_ADDRESSID;
	d.dwNumAddresses = 1;
	d.dwBearerModes = LINEBEARERMODE_VOICE;
	d.dwMediaModes = LINEMEDIAMODE_INTERACTIVEVOICE;
	d.dwMaxNumActiveCalls = 1;
	d.dwAnswerMode = LINEANSWERMODE_HOLD;
	d.dwRingModes = 1;
	d.dwLineStates = LINEDEVSTATE_CONNECTED | LINEDEVSTATE_DISCONNECTED | LINEDEVSTATE_INSERVICE |
			 LINEDEVSTATE_OUTOFSERVICE | LINEDEVSTATE_CAPSCHANGE;
	d.dwLineFeatures = LINEFEATURE_MAKECALL;
	if (version >= TSP8_TAPI_VERSION_2_0) {
		vb_add_wmulti(&vb, device_classes, 1, &sz, &off);
		d.dwDeviceClassesSize = sz;
		d.dwDeviceClassesOffset = off;
	}
	if (version >= TSP8_TAPI_VERSION_2_2)
		caps_line_guid(cl->guid, &d.PermanentLineGuid);
	if (version >= TSP8_TAPI_VERSION_3_0) {
		static const GUID pstn = TSP8_TAPIPROTOCOL_PSTN_INIT;
		d.dwAddressTypes = LINEADDRESSTYPE_PHONENUMBER;
		d.ProtocolGuid = pstn;
		d.dwAvailableTracking = 0;
	}
	d.dwTotalSize = total;
	d.dwNeededSize = vb.needed;
	d.dwUsedSize = vb.used;
	memcpy(caps, &d, fixed);
	return 0;
}

LONG caps_fill_address(const struct caps_line *cl, DWORD version, LPLINEADDRESSCAPS caps)
{
	DWORD fixed = tsp8_lineaddresscaps_size(version);
	DWORD total = caps->dwTotalSize;
	if (total < fixed)
		return (LONG)LINEERR_STRUCTURETOOSMALL;
	LINEADDRESSCAPS a;
	memset(&a, 0, sizeof(a));
	struct varbuf vb;
	vb_init(&vb, caps, total, fixed);

	a.dwLineDeviceID = cl->device_id;
	DWORD sz, off;
	vb_add_wstr(&vb, cl->address, true, &sz, &off);
	a.dwAddressSize = sz;
	a.dwAddressOffset = off;
	a.dwAddressSharing = LINEADDRESSSHARING_PRIVATE;
	a.dwCallInfoStates = LINECALLINFOSTATE_CALLERID | LINECALLINFOSTATE_CALLEDID |
			     LINECALLINFOSTATE_CONNECTEDID | LINECALLINFOSTATE_ORIGIN |
			     LINECALLINFOSTATE_REASON | LINECALLINFOSTATE_CALLID;
	DWORD ids = LINECALLPARTYID_ADDRESS | LINECALLPARTYID_NAME | LINECALLPARTYID_UNKNOWN;
	a.dwCallerIDFlags = ids;
	a.dwCalledIDFlags = ids;
	a.dwConnectedIDFlags = ids;
	a.dwRedirectionIDFlags = LINECALLPARTYID_UNAVAIL;
	a.dwRedirectingIDFlags = LINECALLPARTYID_UNAVAIL;
	a.dwCallStates = CALLSTATE_ALL;
	a.dwDialToneModes = LINEDIALTONEMODE_NORMAL;
	a.dwDisconnectModes = CALLSTATE_DISCONNECT_MODES;
	a.dwMaxNumActiveCalls = 1;
	a.dwAddrCapFlags = LINEADDRCAPFLAGS_DIALED;
	a.dwCallFeatures = CALLSTATE_FEATURES_ALL;
	a.dwAddressFeatures = LINEADDRFEATURE_MAKECALL;
	if (version >= TSP8_TAPI_VERSION_2_0) {
		vb_add_wmulti(&vb, device_classes, 1, &sz, &off);
		a.dwDeviceClassesSize = sz;
		a.dwDeviceClassesOffset = off;
		a.dwConnectedModes = LINECONNECTEDMODE_ACTIVE | LINECONNECTEDMODE_ACTIVEHELD;
		a.dwOfferingModes = LINEOFFERINGMODE_ACTIVE;
		a.dwAvailableMediaModes = LINEMEDIAMODE_INTERACTIVEVOICE;
	}
	a.dwTotalSize = total;
	a.dwNeededSize = vb.needed;
	a.dwUsedSize = vb.used;
	memcpy(caps, &a, fixed);
	return 0;
}
