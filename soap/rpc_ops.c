/* Names and SOAPAction values of the PBX operations (pbx10_00). */
#include "soap/pbx_rpc.h"

#define PBX_ACTION(op) "http://innovaphone.com/pbx#" op

struct op_desc { const char *name, *action; };

/* Indexed by enum pbx_op.  UserEnd keeps the odd SOAPAction of the PBX's own
 * WSDL; its body namespace quirk (and Echo's) is handled by the generated
 * innob__ functions. */
static const struct op_desc op_table[PBX_OP_COUNT] = {
	[PBX_OP_VERSION]               = { "Version", PBX_ACTION("Version") },
	[PBX_OP_INITIALIZE]            = { "Initialize", PBX_ACTION("Initialize") },
	[PBX_OP_ECHO]                  = { "Echo", PBX_ACTION("Echo") },
	[PBX_OP_END]                   = { "End", PBX_ACTION("End") },
	[PBX_OP_POLL]                  = { "Poll", PBX_ACTION("Poll") },
	[PBX_OP_USER_INITIALIZE]       = { "UserInitialize", PBX_ACTION("UserInitialize") },
	[PBX_OP_USER_END]              = { "UserEnd", "capeconnect:pbx:pbxPortType#UserEnd" },
	[PBX_OP_USER_CALL]             = { "UserCall", PBX_ACTION("UserCall") },
	[PBX_OP_USER_CLEAR]            = { "UserClear", PBX_ACTION("UserClear") },
	[PBX_OP_USER_CONNECT]          = { "UserConnect", PBX_ACTION("UserConnect") },
	[PBX_OP_USER_HOLD]             = { "UserHold", PBX_ACTION("UserHold") },
	[PBX_OP_USER_RETRIEVE]         = { "UserRetrieve", PBX_ACTION("UserRetrieve") },
	[PBX_OP_USER_TRANSFER]         = { "UserTransfer", PBX_ACTION("UserTransfer") },
	[PBX_OP_USER_CT_COMPLETE]      = { "UserCtComplete", PBX_ACTION("UserCtComplete") },
	[PBX_OP_USER_REDIRECT]         = { "UserRedirect", PBX_ACTION("UserRedirect") },
	[PBX_OP_USER_REROUTE]          = { "UserReroute", PBX_ACTION("UserReroute") },
	[PBX_OP_USER_PICKUP]           = { "UserPickup", PBX_ACTION("UserPickup") },
	[PBX_OP_USER_PARK]             = { "UserPark", PBX_ACTION("UserPark") },
	[PBX_OP_USER_RC]               = { "UserRc", PBX_ACTION("UserRc") },
	[PBX_OP_USER_DTMF]             = { "UserDTMF", PBX_ACTION("UserDTMF") },
	[PBX_OP_USER_UUI]              = { "UserUUI", PBX_ACTION("UserUUI") },
	[PBX_OP_USER_MESSAGE]          = { "UserMessage", PBX_ACTION("UserMessage") },
	[PBX_OP_USER_LOCAL_NUM]        = { "UserLocalNum", PBX_ACTION("UserLocalNum") },
	[PBX_OP_USER_FIND_DESTINATION] = { "UserFindDestination", PBX_ACTION("UserFindDestination") },
	[PBX_OP_FIND_USER]             = { "FindUser", PBX_ACTION("FindUser") },
	[PBX_OP_LOCATION_URL]          = { "LocationUrl", PBX_ACTION("LocationUrl") },
	[PBX_OP_DEVICES]               = { "Devices", PBX_ACTION("Devices") },
	[PBX_OP_CALLS]                 = { "Calls", PBX_ACTION("Calls") },
	[PBX_OP_SET_PRESENCE]          = { "SetPresence", PBX_ACTION("SetPresence") },
	[PBX_OP_ADMIN]                 = { "Admin", PBX_ACTION("Admin") },
};

const char *pbx_op_name(enum pbx_op op)
{
	if ((unsigned)op >= PBX_OP_COUNT)
		return "?";
	return op_table[op].name;
}

const char *pbx_op_action(enum pbx_op op)
{
	if ((unsigned)op >= PBX_OP_COUNT)
		return "";
	return op_table[op].action;
}
