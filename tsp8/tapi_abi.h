/* TAPI / TSPI binary interface used by the provider (tsp8/) and by tapihost.
 *
 * On Windows this is the real SDK surface: <windows.h>, <tapi.h>, <tspi.h>
 * from mingw-w64.  Everywhere else it declares our own equivalents with the
 * same names, the same numeric values and the same memory layout, so that the
 * very same provider sources build natively on Linux and can be loaded by
 * tapihost through dlopen():
 *   - DWORD/LONG are exactly 32 bits (uint32_t/int32_t), never `long`, which
 *     is 64 bits on LP64 and would turn 0x80000048 into a positive value;
 *   - DWORD_PTR/ULONG_PTR and every HDRV and HTAPI handle are pointer sized;
 *   - WCHAR is uint16_t (UTF-16LE), not wchar_t (4 bytes on Linux);
 *   - the LINE* structures are packed to 1 byte, as tapi.h does.
 * The values and layouts were taken from the mingw-w64 10 headers and checked
 * by compiling probes with the i686 and x86_64 cross compilers (see
 * tests/tsp8/test_abi.c and tests/tsp8/test_abi_mingw.sh).
 *
 * Per-version fixed sizes of the variable structures, version numbers and our
 * TAPIPROTOCOL GUIDs are in tsp8/tapi_sizes.h, included at the end.
 */
#ifndef TSP8_TAPI_ABI_H
#define TSP8_TAPI_ABI_H

#ifdef _WIN32

#include <windows.h>
#include <tapi.h>
#include <tspi.h>

/* Exports come from the .def file on Windows. */
#define TSP8_TSPI_VISIBLE

#else /* !_WIN32: our own declarations */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Basic Windows types -------------------------------------------- */
typedef uint32_t DWORD;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef uint16_t WORD;
typedef uint8_t BYTE;
typedef int BOOL;
typedef uintptr_t DWORD_PTR;
typedef uintptr_t ULONG_PTR;
typedef intptr_t LONG_PTR;
typedef uint16_t WCHAR;              /* UTF-16 code unit, not wchar_t */
typedef DWORD *LPDWORD;
typedef WORD *LPWORD;
typedef void *LPVOID;
typedef const void *LPCVOID;
typedef char *LPSTR;
typedef const char *LPCSTR;
typedef WCHAR *LPWSTR;
typedef const WCHAR *LPCWSTR;
typedef void *HANDLE;
typedef struct HWND__ *HWND;
typedef struct HICON__ *HICON;
typedef HICON *LPHICON;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#ifndef MAX_PATH
#define MAX_PATH 260
#endif

/* Calling conventions only matter for 32-bit Windows (__stdcall). */
#define WINAPI
#define CALLBACK
#define PASCAL
#define TSPIAPI

/* If the provider is built with -fvisibility=hidden, the TSPI prototypes
 * below still make its TSPI_* definitions visible to dlsym(). */
#if defined(__GNUC__)
#define TSP8_TSPI_VISIBLE __attribute__((visibility("default")))
#else
#define TSP8_TSPI_VISIBLE
#endif

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
	uint32_t Data1;
	uint16_t Data2;
	uint16_t Data3;
	uint8_t Data4[8];
} GUID;
#endif
typedef GUID *LPGUID;
typedef GUID CLSID;

typedef struct _SYSTEMTIME {
	WORD wYear;
	WORD wMonth;
	WORD wDayOfWeek;
	WORD wDay;
	WORD wHour;
	WORD wMinute;
	WORD wSecond;
	WORD wMilliseconds;
} SYSTEMTIME, *LPSYSTEMTIME;

#ifndef TAPI_CURRENT_VERSION
#define TAPI_CURRENT_VERSION 0x00030001
#endif

/* ---- Handles (tspi.h DECLARE_OPAQUE: pointer sized, opaque) ------------- */
typedef const struct HDRVCALL__ *HDRVCALL;
typedef const struct HDRVLINE__ *HDRVLINE;
typedef const struct HDRVPHONE__ *HDRVPHONE;
typedef const struct HDRVMSPLINE__ *HDRVMSPLINE;
typedef const struct HDRVDIALOGINSTANCE__ *HDRVDIALOGINSTANCE;
typedef const struct HTAPICALL__ *HTAPICALL;
typedef const struct HTAPILINE__ *HTAPILINE;
typedef const struct HTAPIPHONE__ *HTAPIPHONE;
typedef const struct HPROVIDER__ *HPROVIDER;
/* DECLARE_OPAQUE32: plain DWORDs */
typedef DWORD HTAPIDIALOGINSTANCE;
typedef DWORD HTAPIMSPLINE;
typedef DWORD HCALL;
typedef DWORD HLINE;
typedef DWORD HPHONE;

typedef HDRVCALL *LPHDRVCALL;
typedef HDRVLINE *LPHDRVLINE;
typedef HDRVPHONE *LPHDRVPHONE;
typedef HDRVMSPLINE *LPHDRVMSPLINE;
typedef HDRVDIALOGINSTANCE *LPHDRVDIALOGINSTANCE;
typedef HTAPICALL *LPHTAPICALL;
typedef HTAPILINE *LPHTAPILINE;
typedef HTAPIPHONE *LPHTAPIPHONE;
typedef HTAPIDIALOGINSTANCE *LPHTAPIDIALOGINSTANCE;
typedef HTAPIMSPLINE *LPHTAPIMSPLINE;
typedef HPROVIDER *LPHPROVIDER;
typedef HCALL *LPHCALL;
typedef HLINE *LPHLINE;

typedef DWORD DRV_REQUESTID;

/* ---- Callbacks into TAPI (tspi.h) --------------------------------------- */
typedef void (CALLBACK *ASYNC_COMPLETION)(DRV_REQUESTID dwRequestID, LONG lResult);
typedef void (CALLBACK *LINEEVENT)(HTAPILINE htLine, HTAPICALL htCall, DWORD dwMsg,
				   DWORD_PTR dwParam1, DWORD_PTR dwParam2,
				   DWORD_PTR dwParam3);
typedef void (CALLBACK *PHONEEVENT)(HTAPIPHONE htPhone, DWORD dwMsg,
				    DWORD_PTR dwParam1, DWORD_PTR dwParam2,
				    DWORD_PTR dwParam3);
typedef LONG (CALLBACK *TUISPIDLLCALLBACK)(DWORD_PTR dwObjectID, DWORD dwObjectType,
					   LPVOID lpParams, DWORD dwSize);

/* Default packing, like tspi.h (declared after tapi.h's pack(1) region). */
typedef struct tuispicreatedialoginstanceparams_tag {
	DRV_REQUESTID dwRequestID;
	HDRVDIALOGINSTANCE hdDlgInst;
	HTAPIDIALOGINSTANCE htDlgInst;
	LPCWSTR lpszUIDLLName;
	LPVOID lpParams;
	DWORD dwSize;
} TUISPICREATEDIALOGINSTANCEPARAMS, *LPTUISPICREATEDIALOGINSTANCEPARAMS;

/* ---- Structures: tapi.h packs them to 1 byte ---------------------------- */
#pragma pack(push, 1)

typedef struct linedialparams_tag {
	DWORD dwDialPause;
	DWORD dwDialSpeed;
	DWORD dwDigitDuration;
	DWORD dwWaitForDialtone;
} LINEDIALPARAMS, *LPLINEDIALPARAMS;

typedef struct linedevcaps_tag {
	DWORD dwTotalSize;
	DWORD dwNeededSize;
	DWORD dwUsedSize;
	DWORD dwProviderInfoSize;
	DWORD dwProviderInfoOffset;
	DWORD dwSwitchInfoSize;
	DWORD dwSwitchInfoOffset;
	DWORD dwPermanentLineID;
	DWORD dwLineNameSize;
	DWORD dwLineNameOffset;
	DWORD dwStringFormat;
	DWORD dwAddressModes;
	DWORD dwNumAddresses;
	DWORD dwBearerModes;
	DWORD dwMaxRate;
	DWORD dwMediaModes;
	DWORD dwGenerateToneModes;
	DWORD dwGenerateToneMaxNumFreq;
	DWORD dwGenerateDigitModes;
	DWORD dwMonitorToneMaxNumFreq;
	DWORD dwMonitorToneMaxNumEntries;
	DWORD dwMonitorDigitModes;
	DWORD dwGatherDigitsMinTimeout;
	DWORD dwGatherDigitsMaxTimeout;
	DWORD dwMedCtlDigitMaxListSize;
	DWORD dwMedCtlMediaMaxListSize;
	DWORD dwMedCtlToneMaxListSize;
	DWORD dwMedCtlCallStateMaxListSize;
	DWORD dwDevCapFlags;
	DWORD dwMaxNumActiveCalls;
	DWORD dwAnswerMode;
	DWORD dwRingModes;
	DWORD dwLineStates;
	DWORD dwUUIAcceptSize;
	DWORD dwUUIAnswerSize;
	DWORD dwUUIMakeCallSize;
	DWORD dwUUIDropSize;
	DWORD dwUUISendUserUserInfoSize;
	DWORD dwUUICallInfoSize;
	LINEDIALPARAMS MinDialParams;
	LINEDIALPARAMS MaxDialParams;
	LINEDIALPARAMS DefaultDialParams;
	DWORD dwNumTerminals;
	DWORD dwTerminalCapsSize;
	DWORD dwTerminalCapsOffset;
	DWORD dwTerminalTextEntrySize;
	DWORD dwTerminalTextSize;
	DWORD dwTerminalTextOffset;
	DWORD dwDevSpecificSize;
	DWORD dwDevSpecificOffset;
	DWORD dwLineFeatures;            /* 1.4 */
	DWORD dwSettableDevStatus;       /* 2.0 */
	DWORD dwDeviceClassesSize;
	DWORD dwDeviceClassesOffset;
	GUID PermanentLineGuid;          /* 2.2 */
	DWORD dwAddressTypes;            /* 3.0 */
	GUID ProtocolGuid;
	DWORD dwAvailableTracking;
} LINEDEVCAPS, *LPLINEDEVCAPS;

typedef struct lineaddresscaps_tag {
	DWORD dwTotalSize;
	DWORD dwNeededSize;
	DWORD dwUsedSize;
	DWORD dwLineDeviceID;
	DWORD dwAddressSize;
	DWORD dwAddressOffset;
	DWORD dwDevSpecificSize;
	DWORD dwDevSpecificOffset;
	DWORD dwAddressSharing;
	DWORD dwAddressStates;
	DWORD dwCallInfoStates;
	DWORD dwCallerIDFlags;
	DWORD dwCalledIDFlags;
	DWORD dwConnectedIDFlags;
	DWORD dwRedirectionIDFlags;
	DWORD dwRedirectingIDFlags;
	DWORD dwCallStates;
	DWORD dwDialToneModes;
	DWORD dwBusyModes;
	DWORD dwSpecialInfo;
	DWORD dwDisconnectModes;
	DWORD dwMaxNumActiveCalls;
	DWORD dwMaxNumOnHoldCalls;
	DWORD dwMaxNumOnHoldPendingCalls;
	DWORD dwMaxNumConference;
	DWORD dwMaxNumTransConf;
	DWORD dwAddrCapFlags;
	DWORD dwCallFeatures;
	DWORD dwRemoveFromConfCaps;
	DWORD dwRemoveFromConfState;
	DWORD dwTransferModes;
	DWORD dwParkModes;
	DWORD dwForwardModes;
	DWORD dwMaxForwardEntries;
	DWORD dwMaxSpecificEntries;
	DWORD dwMinFwdNumRings;
	DWORD dwMaxFwdNumRings;
	DWORD dwMaxCallCompletions;
	DWORD dwCallCompletionConds;
	DWORD dwCallCompletionModes;
	DWORD dwNumCompletionMessages;
	DWORD dwCompletionMsgTextEntrySize;
	DWORD dwCompletionMsgTextSize;
	DWORD dwCompletionMsgTextOffset;
	DWORD dwAddressFeatures;
	DWORD dwPredictiveAutoTransferStates;   /* 2.0 */
	DWORD dwNumCallTreatments;
	DWORD dwCallTreatmentListSize;
	DWORD dwCallTreatmentListOffset;
	DWORD dwDeviceClassesSize;
	DWORD dwDeviceClassesOffset;
	DWORD dwMaxCallDataSize;
	DWORD dwCallFeatures2;
	DWORD dwMaxNoAnswerTimeout;
	DWORD dwConnectedModes;
	DWORD dwOfferingModes;
	DWORD dwAvailableMediaModes;
} LINEADDRESSCAPS, *LPLINEADDRESSCAPS;

typedef struct lineaddressstatus_tag {
	DWORD dwTotalSize;
	DWORD dwNeededSize;
	DWORD dwUsedSize;
	DWORD dwNumInUse;
	DWORD dwNumActiveCalls;
	DWORD dwNumOnHoldCalls;
	DWORD dwNumOnHoldPendCalls;
	DWORD dwAddressFeatures;
	DWORD dwNumRingsNoAnswer;
	DWORD dwForwardNumEntries;
	DWORD dwForwardSize;
	DWORD dwForwardOffset;
	DWORD dwTerminalModesSize;
	DWORD dwTerminalModesOffset;
	DWORD dwDevSpecificSize;
	DWORD dwDevSpecificOffset;
} LINEADDRESSSTATUS, *LPLINEADDRESSSTATUS;

typedef struct linecallhubtrackinginfo_tag {
	DWORD dwTotalSize;
	DWORD dwNeededSize;
	DWORD dwUsedSize;
	DWORD dwAvailableTracking;
	DWORD dwCurrentTracking;
} LINECALLHUBTRACKINGINFO, *LPLINECALLHUBTRACKINGINFO;

typedef struct linecallinfo_tag {
	DWORD dwTotalSize;
	DWORD dwNeededSize;
	DWORD dwUsedSize;
	HLINE hLine;
	DWORD dwLineDeviceID;
	DWORD dwAddressID;
	DWORD dwBearerMode;
	DWORD dwRate;
	DWORD dwMediaMode;
	DWORD dwAppSpecific;
	DWORD dwCallID;
	DWORD dwRelatedCallID;
	DWORD dwCallParamFlags;
	DWORD dwCallStates;
	DWORD dwMonitorDigitModes;
	DWORD dwMonitorMediaModes;
	LINEDIALPARAMS DialParams;
	DWORD dwOrigin;
	DWORD dwReason;
	DWORD dwCompletionID;
	DWORD dwNumOwners;
	DWORD dwNumMonitors;
	DWORD dwCountryCode;
	DWORD dwTrunk;
	DWORD dwCallerIDFlags;
	DWORD dwCallerIDSize;
	DWORD dwCallerIDOffset;
	DWORD dwCallerIDNameSize;
	DWORD dwCallerIDNameOffset;
	DWORD dwCalledIDFlags;
	DWORD dwCalledIDSize;
	DWORD dwCalledIDOffset;
	DWORD dwCalledIDNameSize;
	DWORD dwCalledIDNameOffset;
	DWORD dwConnectedIDFlags;
	DWORD dwConnectedIDSize;
	DWORD dwConnectedIDOffset;
	DWORD dwConnectedIDNameSize;
	DWORD dwConnectedIDNameOffset;
	DWORD dwRedirectionIDFlags;
	DWORD dwRedirectionIDSize;
	DWORD dwRedirectionIDOffset;
	DWORD dwRedirectionIDNameSize;
	DWORD dwRedirectionIDNameOffset;
	DWORD dwRedirectingIDFlags;
	DWORD dwRedirectingIDSize;
	DWORD dwRedirectingIDOffset;
	DWORD dwRedirectingIDNameSize;
	DWORD dwRedirectingIDNameOffset;
	DWORD dwAppNameSize;
	DWORD dwAppNameOffset;
	DWORD dwDisplayableAddressSize;
	DWORD dwDisplayableAddressOffset;
	DWORD dwCalledPartySize;
	DWORD dwCalledPartyOffset;
	DWORD dwCommentSize;
	DWORD dwCommentOffset;
	DWORD dwDisplaySize;
	DWORD dwDisplayOffset;
	DWORD dwUserUserInfoSize;
	DWORD dwUserUserInfoOffset;
	DWORD dwHighLevelCompSize;
	DWORD dwHighLevelCompOffset;
	DWORD dwLowLevelCompSize;
	DWORD dwLowLevelCompOffset;
	DWORD dwChargingInfoSize;
	DWORD dwChargingInfoOffset;
	DWORD dwTerminalModesSize;
	DWORD dwTerminalModesOffset;
	DWORD dwDevSpecificSize;
	DWORD dwDevSpecificOffset;
	DWORD dwCallTreatment;             /* 2.0 */
	DWORD dwCallDataSize;
	DWORD dwCallDataOffset;
	DWORD dwSendingFlowspecSize;
	DWORD dwSendingFlowspecOffset;
	DWORD dwReceivingFlowspecSize;
	DWORD dwReceivingFlowspecOffset;
	DWORD dwCallerIDAddressType;       /* 3.0 */
	DWORD dwCalledIDAddressType;
	DWORD dwConnectedIDAddressType;
	DWORD dwRedirectionIDAddressType;
	DWORD dwRedirectingIDAddressType;
} LINECALLINFO, *LPLINECALLINFO;

typedef struct linecallparams_tag {
	DWORD dwTotalSize;
	DWORD dwBearerMode;
	DWORD dwMinRate;
	DWORD dwMaxRate;
	DWORD dwMediaMode;
	DWORD dwCallParamFlags;
	DWORD dwAddressMode;
	DWORD dwAddressID;
	LINEDIALPARAMS DialParams;
	DWORD dwOrigAddressSize;
	DWORD dwOrigAddressOffset;
	DWORD dwDisplayableAddressSize;
	DWORD dwDisplayableAddressOffset;
	DWORD dwCalledPartySize;
	DWORD dwCalledPartyOffset;
	DWORD dwCommentSize;
	DWORD dwCommentOffset;
	DWORD dwUserUserInfoSize;
	DWORD dwUserUserInfoOffset;
	DWORD dwHighLevelCompSize;
	DWORD dwHighLevelCompOffset;
	DWORD dwLowLevelCompSize;
	DWORD dwLowLevelCompOffset;
	DWORD dwDevSpecificSize;
	DWORD dwDevSpecificOffset;
	DWORD dwPredictiveAutoTransferStates;   /* 2.0 */
	DWORD dwTargetAddressSize;
	DWORD dwTargetAddressOffset;
	DWORD dwSendingFlowspecSize;
	DWORD dwSendingFlowspecOffset;
	DWORD dwReceivingFlowspecSize;
	DWORD dwReceivingFlowspecOffset;
	DWORD dwDeviceClassSize;
	DWORD dwDeviceClassOffset;
	DWORD dwDeviceConfigSize;
	DWORD dwDeviceConfigOffset;
	DWORD dwCallDataSize;
	DWORD dwCallDataOffset;
	DWORD dwNoAnswerTimeout;
	DWORD dwCallingPartyIDSize;
	DWORD dwCallingPartyIDOffset;
	DWORD dwAddressType;                    /* 3.0 */
} LINECALLPARAMS, *LPLINECALLPARAMS;

typedef struct linecallstatus_tag {
	DWORD dwTotalSize;
	DWORD dwNeededSize;
	DWORD dwUsedSize;
	DWORD dwCallState;
	DWORD dwCallStateMode;
	DWORD dwCallPrivilege;
	DWORD dwCallFeatures;
	DWORD dwDevSpecificSize;
	DWORD dwDevSpecificOffset;
	DWORD dwCallFeatures2;             /* 2.0 */
	SYSTEMTIME tStateEntryTime;
} LINECALLSTATUS, *LPLINECALLSTATUS;

typedef struct linedevstatus_tag {
	DWORD dwTotalSize;
	DWORD dwNeededSize;
	DWORD dwUsedSize;
	DWORD dwNumOpens;
	DWORD dwOpenMediaModes;
	DWORD dwNumActiveCalls;
	DWORD dwNumOnHoldCalls;
	DWORD dwNumOnHoldPendCalls;
	DWORD dwLineFeatures;
	DWORD dwNumCallCompletions;
	DWORD dwRingMode;
	DWORD dwSignalLevel;
	DWORD dwBatteryLevel;
	DWORD dwRoamMode;
	DWORD dwDevStatusFlags;
	DWORD dwTerminalModesSize;
	DWORD dwTerminalModesOffset;
	DWORD dwDevSpecificSize;
	DWORD dwDevSpecificOffset;
	DWORD dwAvailableMediaModes;       /* 2.0 */
	DWORD dwAppInfoSize;
	DWORD dwAppInfoOffset;
} LINEDEVSTATUS, *LPLINEDEVSTATUS;

typedef struct lineappinfo_tag {
	DWORD dwMachineNameSize;
	DWORD dwMachineNameOffset;
	DWORD dwUserNameSize;
	DWORD dwUserNameOffset;
	DWORD dwModuleFilenameSize;
	DWORD dwModuleFilenameOffset;
	DWORD dwFriendlyNameSize;
	DWORD dwFriendlyNameOffset;
	DWORD dwMediaModes;
	DWORD dwAddressID;
} LINEAPPINFO, *LPLINEAPPINFO;

typedef struct lineextensionid_tag {
	DWORD dwExtensionID0;
	DWORD dwExtensionID1;
	DWORD dwExtensionID2;
	DWORD dwExtensionID3;
} LINEEXTENSIONID, *LPLINEEXTENSIONID;

/* 3.1 layout.  Below 3.1 an entry is 24 bytes (no address types): parse
 * LINEFORWARDLIST with TSP8_LINEFORWARD_SIZE_30 as stride (tapi_sizes.h). */
typedef struct lineforward_tag {
	DWORD dwForwardMode;
	DWORD dwCallerAddressSize;
	DWORD dwCallerAddressOffset;
	DWORD dwDestCountryCode;
	DWORD dwDestAddressSize;
	DWORD dwDestAddressOffset;
	DWORD dwCallerAddressType;         /* 3.1 */
	DWORD dwDestAddressType;           /* 3.1 */
} LINEFORWARD, *LPLINEFORWARD;

typedef struct lineforwardlist_tag {
	DWORD dwTotalSize;
	DWORD dwNumEntries;
	LINEFORWARD ForwardList[1];
} LINEFORWARDLIST, *LPLINEFORWARDLIST;

typedef struct linegeneratetone_tag {
	DWORD dwFrequency;
	DWORD dwCadenceOn;
	DWORD dwCadenceOff;
	DWORD dwVolume;
} LINEGENERATETONE, *LPLINEGENERATETONE;

typedef struct linemonitortone_tag {
	DWORD dwAppSpecific;
	DWORD dwDuration;
	DWORD dwFrequency1;
	DWORD dwFrequency2;
	DWORD dwFrequency3;
} LINEMONITORTONE, *LPLINEMONITORTONE;

typedef struct varstring_tag {
	DWORD dwTotalSize;
	DWORD dwNeededSize;
	DWORD dwUsedSize;
	DWORD dwStringFormat;
	DWORD dwStringSize;
	DWORD dwStringOffset;
} VARSTRING, *LPVARSTRING;

#pragma pack(pop)

#define TSP8_TAPI_ABI_OWN_DECLS 1
#include "tsp8/tapi_consts.h"

/* ---- TSPI entry points (tspi.h).  All return 0 / a request ID / LINEERR. */
#define TSP8_TSPI_DECL(name) TSP8_TSPI_VISIBLE LONG TSPIAPI name
TSP8_TSPI_DECL(TSPI_lineAnswer)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, LPCSTR lpsUserUserInfo, DWORD dwSize);
TSP8_TSPI_DECL(TSPI_lineBlindTransfer)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, LPCWSTR lpszDestAddress, DWORD dwCountryCode);
TSP8_TSPI_DECL(TSPI_lineClose)(HDRVLINE hdLine);
TSP8_TSPI_DECL(TSPI_lineCloseCall)(HDRVCALL hdCall);
TSP8_TSPI_DECL(TSPI_lineCompleteTransfer)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, HDRVCALL hdConsultCall, HTAPICALL htConfCall, LPHDRVCALL lphdConfCall, DWORD dwTransferMode);
TSP8_TSPI_DECL(TSPI_lineDevSpecific)(DRV_REQUESTID dwRequestID, HDRVLINE hdLine, DWORD dwAddressID, HDRVCALL hdCall, LPVOID lpParams, DWORD dwSize);
TSP8_TSPI_DECL(TSPI_lineDevSpecificFeature)(DRV_REQUESTID dwRequestID, HDRVLINE hdLine, DWORD dwFeature, LPVOID lpParams, DWORD dwSize);
TSP8_TSPI_DECL(TSPI_lineDial)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, LPCWSTR lpszDestAddress, DWORD dwCountryCode);
TSP8_TSPI_DECL(TSPI_lineDrop)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, LPCSTR lpsUserUserInfo, DWORD dwSize);
TSP8_TSPI_DECL(TSPI_lineForward)(DRV_REQUESTID dwRequestID, HDRVLINE hdLine, DWORD bAllAddresses, DWORD dwAddressID, LPLINEFORWARDLIST const lpForwardList, DWORD dwNumRingsNoAnswer, HTAPICALL htConsultCall, LPHDRVCALL lphdConsultCall, LPLINECALLPARAMS const lpCallParams);
TSP8_TSPI_DECL(TSPI_lineGenerateDigits)(HDRVCALL hdCall, DWORD dwEndToEndID, DWORD dwDigitMode, LPCWSTR lpszDigits, DWORD dwDuration);
TSP8_TSPI_DECL(TSPI_lineGetAddressCaps)(DWORD dwDeviceID, DWORD dwAddressID, DWORD dwTSPIVersion, DWORD dwExtVersion, LPLINEADDRESSCAPS lpAddressCaps);
TSP8_TSPI_DECL(TSPI_lineGetAddressID)(HDRVLINE hdLine, LPDWORD lpdwAddressID, DWORD dwAddressMode, LPCWSTR lpsAddress, DWORD dwSize);
TSP8_TSPI_DECL(TSPI_lineGetAddressStatus)(HDRVLINE hdLine, DWORD dwAddressID, LPLINEADDRESSSTATUS lpAddressStatus);
TSP8_TSPI_DECL(TSPI_lineGetCallAddressID)(HDRVCALL hdCall, LPDWORD lpdwAddressID);
TSP8_TSPI_DECL(TSPI_lineGetCallHubTracking)(HDRVLINE hdLine, LPLINECALLHUBTRACKINGINFO lpTrackingInfo);
TSP8_TSPI_DECL(TSPI_lineGetCallIDs)(HDRVCALL hdCall, LPDWORD lpdwAddressID, LPDWORD lpdwCallID, LPDWORD lpdwRelatedCallID);
TSP8_TSPI_DECL(TSPI_lineGetCallInfo)(HDRVCALL hdCall, LPLINECALLINFO lpCallInfo);
TSP8_TSPI_DECL(TSPI_lineGetCallStatus)(HDRVCALL hdCall, LPLINECALLSTATUS lpCallStatus);
TSP8_TSPI_DECL(TSPI_lineGetDevCaps)(DWORD dwDeviceID, DWORD dwTSPIVersion, DWORD dwExtVersion, LPLINEDEVCAPS lpLineDevCaps);
TSP8_TSPI_DECL(TSPI_lineGetExtensionID)(DWORD dwDeviceID, DWORD dwTSPIVersion, LPLINEEXTENSIONID lpExtensionID);
TSP8_TSPI_DECL(TSPI_lineGetID)(HDRVLINE hdLine, DWORD dwAddressID, HDRVCALL hdCall, DWORD dwSelect, LPVARSTRING lpDeviceID, LPCWSTR lpszDeviceClass, HANDLE hTargetProcess);
TSP8_TSPI_DECL(TSPI_lineGetLineDevStatus)(HDRVLINE hdLine, LPLINEDEVSTATUS lpLineDevStatus);
TSP8_TSPI_DECL(TSPI_lineGetNumAddressIDs)(HDRVLINE hdLine, LPDWORD lpdwNumAddressIDs);
TSP8_TSPI_DECL(TSPI_lineHold)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall);
TSP8_TSPI_DECL(TSPI_lineMakeCall)(DRV_REQUESTID dwRequestID, HDRVLINE hdLine, HTAPICALL htCall, LPHDRVCALL lphdCall, LPCWSTR lpszDestAddress, DWORD dwCountryCode, LPLINECALLPARAMS const lpCallParams);
TSP8_TSPI_DECL(TSPI_lineNegotiateExtVersion)(DWORD dwDeviceID, DWORD dwTSPIVersion, DWORD dwLowVersion, DWORD dwHighVersion, LPDWORD lpdwExtVersion);
TSP8_TSPI_DECL(TSPI_lineNegotiateTSPIVersion)(DWORD dwDeviceID, DWORD dwLowVersion, DWORD dwHighVersion, LPDWORD lpdwTSPIVersion);
TSP8_TSPI_DECL(TSPI_lineOpen)(DWORD dwDeviceID, HTAPILINE htLine, LPHDRVLINE lphdLine, DWORD dwTSPIVersion, LINEEVENT lpfnEventProc);
TSP8_TSPI_DECL(TSPI_linePark)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, DWORD dwParkMode, LPCWSTR lpszDirAddress, LPVARSTRING lpNonDirAddress);
TSP8_TSPI_DECL(TSPI_linePickup)(DRV_REQUESTID dwRequestID, HDRVLINE hdLine, DWORD dwAddressID, HTAPICALL htCall, LPHDRVCALL lphdCall, LPCWSTR lpszDestAddress, LPCWSTR lpszGroupID);
TSP8_TSPI_DECL(TSPI_lineRedirect)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, LPCWSTR lpszDestAddress, DWORD dwCountryCode);
TSP8_TSPI_DECL(TSPI_lineSelectExtVersion)(HDRVLINE hdLine, DWORD dwExtVersion);
TSP8_TSPI_DECL(TSPI_lineSendUserUserInfo)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, LPCSTR lpsUserUserInfo, DWORD dwSize);
TSP8_TSPI_DECL(TSPI_lineSetAppSpecific)(HDRVCALL hdCall, DWORD dwAppSpecific);
TSP8_TSPI_DECL(TSPI_lineSetCallData)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, LPVOID lpCallData, DWORD dwSize);
TSP8_TSPI_DECL(TSPI_lineSetCallHubTracking)(HDRVLINE hdLine, LPLINECALLHUBTRACKINGINFO lpTrackingInfo);
TSP8_TSPI_DECL(TSPI_lineSetCallParams)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, DWORD dwBearerMode, DWORD dwMinRate, DWORD dwMaxRate, LPLINEDIALPARAMS const lpDialParams);
TSP8_TSPI_DECL(TSPI_lineSetCurrentLocation)(DWORD dwLocation);
TSP8_TSPI_DECL(TSPI_lineSetDefaultMediaDetection)(HDRVLINE hdLine, DWORD dwMediaModes);
TSP8_TSPI_DECL(TSPI_lineSetMediaMode)(HDRVCALL hdCall, DWORD dwMediaMode);
TSP8_TSPI_DECL(TSPI_lineSetStatusMessages)(HDRVLINE hdLine, DWORD dwLineStates, DWORD dwAddressStates);
TSP8_TSPI_DECL(TSPI_lineSetupTransfer)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall, HTAPICALL htConsultCall, LPHDRVCALL lphdConsultCall, LPLINECALLPARAMS const lpCallParams);
TSP8_TSPI_DECL(TSPI_lineSwapHold)(DRV_REQUESTID dwRequestID, HDRVCALL hdActiveCall, HDRVCALL hdHeldCall);
TSP8_TSPI_DECL(TSPI_lineUnhold)(DRV_REQUESTID dwRequestID, HDRVCALL hdCall);
TSP8_TSPI_DECL(TSPI_lineUnpark)(DRV_REQUESTID dwRequestID, HDRVLINE hdLine, DWORD dwAddressID, HTAPICALL htCall, LPHDRVCALL lphdCall, LPCWSTR lpszDestAddress);
TSP8_TSPI_DECL(TSPI_providerConfig)(HWND hwndOwner, DWORD dwPermanentProviderID);
TSP8_TSPI_DECL(TSPI_providerCreateLineDevice)(DWORD_PTR dwTempID, DWORD dwDeviceID);
TSP8_TSPI_DECL(TSPI_providerEnumDevices)(DWORD dwPermanentProviderID, LPDWORD lpdwNumLines, LPDWORD lpdwNumPhones, HPROVIDER hProvider, LINEEVENT lpfnLineCreateProc, PHONEEVENT lpfnPhoneCreateProc);
TSP8_TSPI_DECL(TSPI_providerFreeDialogInstance)(HDRVDIALOGINSTANCE hdDlgInst);
TSP8_TSPI_DECL(TSPI_providerGenericDialogData)(DWORD_PTR dwObjectID, DWORD dwObjectType, LPVOID lpParams, DWORD dwSize);
TSP8_TSPI_DECL(TSPI_providerInit)(DWORD dwTSPIVersion, DWORD dwPermanentProviderID, DWORD dwLineDeviceIDBase, DWORD dwPhoneDeviceIDBase, DWORD_PTR dwNumLines, DWORD_PTR dwNumPhones, ASYNC_COMPLETION lpfnCompletionProc, LPDWORD lpdwTSPIOptions);
TSP8_TSPI_DECL(TSPI_providerInstall)(HWND hwndOwner, DWORD dwPermanentProviderID);
TSP8_TSPI_DECL(TSPI_providerRemove)(HWND hwndOwner, DWORD dwPermanentProviderID);
TSP8_TSPI_DECL(TSPI_providerShutdown)(DWORD dwTSPIVersion, DWORD dwPermanentProviderID);
TSP8_TSPI_DECL(TSPI_providerUIIdentify)(LPWSTR lpszUIDLLName);
TSP8_TSPI_DECL(TUISPI_lineConfigDialog)(TUISPIDLLCALLBACK lpfnUIDLLCallback, DWORD dwDeviceID, HWND hwndOwner, LPCWSTR lpszDeviceClass);
TSP8_TSPI_DECL(TUISPI_providerConfig)(TUISPIDLLCALLBACK lpfnUIDLLCallback, HWND hwndOwner, DWORD dwPermanentProviderID);
TSP8_TSPI_DECL(TUISPI_providerGenericDialogData)(HTAPIDIALOGINSTANCE htDlgInst, LPVOID lpParams, DWORD dwSize);
TSP8_TSPI_DECL(TUISPI_providerInstall)(TUISPIDLLCALLBACK lpfnUIDLLCallback, HWND hwndOwner, DWORD dwPermanentProviderID);
TSP8_TSPI_DECL(TUISPI_providerRemove)(TUISPIDLLCALLBACK lpfnUIDLLCallback, HWND hwndOwner, DWORD dwPermanentProviderID);
#undef TSP8_TSPI_DECL

#ifdef __cplusplus
}
#endif

#endif /* _WIN32 */

#include "tsp8/tapi_sizes.h"

#endif
