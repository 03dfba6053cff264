/* Decoding of TAPI numbers into names (see names.h). */
#include "names.h"

#include <stdio.h>
#include <string.h>

#include "sbuf.h"

static const struct flag_name msg_names[] = {
	{ LINE_ADDRESSSTATE, "LINE_ADDRESSSTATE" },
	{ LINE_CALLINFO, "LINE_CALLINFO" },
	{ LINE_CALLSTATE, "LINE_CALLSTATE" },
	{ LINE_CLOSE, "LINE_CLOSE" },
	{ LINE_DEVSPECIFIC, "LINE_DEVSPECIFIC" },
	{ LINE_DEVSPECIFICFEATURE, "LINE_DEVSPECIFICFEATURE" },
	{ LINE_GATHERDIGITS, "LINE_GATHERDIGITS" },
	{ LINE_GENERATE, "LINE_GENERATE" },
	{ LINE_LINEDEVSTATE, "LINE_LINEDEVSTATE" },
	{ LINE_MONITORDIGITS, "LINE_MONITORDIGITS" },
	{ LINE_MONITORMEDIA, "LINE_MONITORMEDIA" },
	{ LINE_MONITORTONE, "LINE_MONITORTONE" },
	{ LINE_REPLY, "LINE_REPLY" },
	{ LINE_REQUEST, "LINE_REQUEST" },
	{ LINE_CREATE, "LINE_CREATE" },
	{ LINE_AGENTSPECIFIC, "LINE_AGENTSPECIFIC" },
	{ LINE_AGENTSTATUS, "LINE_AGENTSTATUS" },
	{ LINE_APPNEWCALL, "LINE_APPNEWCALL" },
	{ LINE_PROXYREQUEST, "LINE_PROXYREQUEST" },
	{ LINE_REMOVE, "LINE_REMOVE" },
	{ LINE_AGENTSESSIONSTATUS, "LINE_AGENTSESSIONSTATUS" },
	{ LINE_QUEUESTATUS, "LINE_QUEUESTATUS" },
	{ LINE_AGENTSTATUSEX, "LINE_AGENTSTATUSEX" },
	{ LINE_GROUPSTATUS, "LINE_GROUPSTATUS" },
	{ LINE_PROXYSTATUS, "LINE_PROXYSTATUS" },
	{ LINE_APPNEWCALLHUB, "LINE_APPNEWCALLHUB" },
	{ LINE_CALLHUBCLOSE, "LINE_CALLHUBCLOSE" },
	{ LINE_DEVSPECIFICEX, "LINE_DEVSPECIFICEX" },
	{ LINE_NEWCALL, "LINE_NEWCALL" },
	{ LINE_CALLDEVSPECIFIC, "LINE_CALLDEVSPECIFIC" },
	{ LINE_CALLDEVSPECIFICFEATURE, "LINE_CALLDEVSPECIFICFEATURE" },
	{ LINE_CREATEDIALOGINSTANCE, "LINE_CREATEDIALOGINSTANCE" },
	{ LINE_SENDDIALOGINSTANCEDATA, "LINE_SENDDIALOGINSTANCEDATA" },
	{ LINE_SENDMSPDATA, "LINE_SENDMSPDATA" },
	{ LINE_QOSINFO, "LINE_QOSINFO" },
	{ 0, NULL }
};

const char *names_lookup(const struct flag_name *tab, DWORD value)
{
	for (; tab->name; tab++)
		if (tab->value == value)
			return tab->name;
	return NULL;
}

const char *names_msg(DWORD msg)
{
	return names_lookup(msg_names, msg);
}

const char *names_lineerr_of(LONG result)
{
	if (result == 0)
		return "OK";
	return names_lookup(names_lineerr, (DWORD)result);
}

const char *names_flags(char *buf, size_t cap, DWORD bits, const struct flag_name *tab)
{
	struct sbuf b;
	if (cap == 0)
		return buf;
	sb_init(&b, buf, cap);
	if (bits == 0) {
		sb_putc(&b, '0');
		return buf;
	}
	DWORD rest = bits;
	for (; tab->name; tab++) {
		/* Single-bit entries only: multi-bit values would double count. */
		DWORD v = tab->value;
		if (v == 0 || (v & (v - 1)) != 0 || !(rest & v))
			continue;
		if (b.len)
			sb_putc(&b, '|');
		sb_puts(&b, tab->name);
		rest &= ~v;
	}
	if (rest) {
		if (b.len)
			sb_putc(&b, '|');
		sb_printf(&b, "0x%x", (unsigned)rest);
	}
	return buf;
}

const struct flag_name *names_callstate_modes(DWORD state)
{
	switch (state) {
	case LINECALLSTATE_OFFERING: return names_offeringmode;
	case LINECALLSTATE_DIALTONE: return names_dialtonemode;
	case LINECALLSTATE_BUSY: return names_busymode;
	case LINECALLSTATE_SPECIALINFO: return names_specialinfo;
	case LINECALLSTATE_CONNECTED: return names_connectedmode;
	case LINECALLSTATE_DISCONNECTED: return names_disconnectmode;
	default: return NULL;
	}
}
