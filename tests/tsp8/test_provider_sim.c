/* The provider through its TSPI entry points against pbxsim, the way tapisrv
 * drives it: negotiation, EnumDevices/Init with a non-zero device ID base,
 * caps, lineOpen, an incoming call answered and dropped, lineMakeCall, close
 * with pending requests, garbage arguments, and two full cycles in one
 * process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/platform.h"
#include "pbxsim_proc.h"
#include "tsp8/tapi_abi.h"
#include "tsp8/utf16.h"

#define WAIT_MS 10000
#define LINE_BASE 7
#define MAXEV 1024
#define MAXREQ 64

static const char tree_json[] =
	"{ \"poll_idle_seconds\": 60, \"session_expiry_seconds\": 10, \"pbxs\": [ {"
	"  \"name\": \"master\", \"port\": 0, \"admin_password\": \"pwd\", \"firmware\": \"13r3 test\","
	"  \"objects\": ["
	"   { \"cn\": \"_TAPI_\", \"h323\": \"_TAPI_\", \"password\": \"tapi\","
	"     \"groups\": [ { \"group\": \"tapi\", \"active\": true } ] },"
	"   { \"cn\": \"Alice Meier\", \"dn\": \"Alice\", \"h323\": \"alice\", \"e164\": \"21\","
	"     \"groups\": [ { \"group\": \"tapi\", \"active\": false } ],"
	"     \"devices\": [ { \"hw\": \"HW21\", \"text\": \"IP232\" } ], \"registered\": [ \"HW21\" ] },"
	"   { \"cn\": \"Bernd\", \"h323\": \"bernd\", \"e164\": \"22\","
	"     \"groups\": [ { \"group\": \"tapi\", \"active\": false } ],"
	"     \"devices\": [ { \"hw\": \"HW22\", \"text\": \"IP222\" } ], \"registered\": [ \"HW22\" ] },"
	"   { \"cn\": \"Trunk\", \"h323\": \"trunk\", \"e164\": \"0\", \"type\": \"gw\","
	"     \"groups\": [ { \"group\": \"tapi\", \"active\": false } ] }"
	"  ] } ] }";

struct ev { HTAPILINE ht_line; HTAPICALL ht_call; DWORD msg; DWORD_PTR p1, p2; };

/* TAPI's callbacks carry no user pointer: the fake tapisrv state is
 * file-level (tests only). */
static struct {
	plat_mutex lock;       /* guards everything in this struct */
	plat_cond cond;
	struct ev evs[MAXEV];
	size_t nev;
	unsigned completions[MAXREQ];
	LONG results[MAXREQ];
	uintptr_t next_ht;
	HDRVCALL newcall_hd;   /* hdCall of the last LINE_NEWCALL */
} t;

static atomic_int in_callback, overlap;

static void enter(void)
{
	if (atomic_fetch_add(&in_callback, 1))
		atomic_fetch_add(&overlap, 1);
}

static void CALLBACK line_event(HTAPILINE htLine, HTAPICALL htCall, DWORD msg, DWORD_PTR p1,
				DWORD_PTR p2, DWORD_PTR p3)
{
	(void)p3;
	enter();
	plat_mutex_lock(&t.lock);
	if (msg == (DWORD)LINE_NEWCALL) {
		/* TAPI writes a pointer-sized htCall with high bits set */
		HTAPICALL ht = (HTAPICALL)(uintptr_t)(((uintptr_t)0xdead << 16 << 16) | ++t.next_ht);
		*(HTAPICALL *)p2 = ht;
		t.newcall_hd = (HDRVCALL)p1;
		htCall = ht;
	}
	if (t.nev < MAXEV)
		t.evs[t.nev++] = (struct ev){ htLine, htCall, msg, p1, p2 };
	plat_cond_broadcast(&t.cond);
	plat_mutex_unlock(&t.lock);
	atomic_fetch_sub(&in_callback, 1);
}

static void CALLBACK completion(DRV_REQUESTID id, LONG result)
{
	enter();
	plat_mutex_lock(&t.lock);
	if (id < MAXREQ) {
		t.completions[id]++;
		t.results[id] = result;
	}
	plat_cond_broadcast(&t.cond);
	plat_mutex_unlock(&t.lock);
	atomic_fetch_sub(&in_callback, 1);
}

/* Waits for an event after index *from matching msg/htLine/htCall (0/NULL =
 * any) and p1 (when p1_mask).  Returns its index or -1. */
static long wait_ev(size_t from, DWORD msg, HTAPILINE hl, HTAPICALL hc, DWORD p1)
{
	long found = -1;
	uint64_t until = plat_now_ms() + WAIT_MS;
	plat_mutex_lock(&t.lock);
	for (;;) {
		for (size_t i = from; i < t.nev; i++) {
			const struct ev *e = &t.evs[i];
			if (e->msg == msg && (!hl || e->ht_line == hl) && (!hc || e->ht_call == hc) &&
			    (!p1 || e->p1 == p1)) {
				found = (long)i;
				break;
			}
		}
		uint64_t now = plat_now_ms();
		if (found >= 0 || now >= until)
			break;
		plat_cond_timedwait(&t.cond, &t.lock, (uint32_t)(until - now));
	}
	plat_mutex_unlock(&t.lock);
	return found;
}

static bool wait_completion(DRV_REQUESTID id, LONG *result)
{
	uint64_t until = plat_now_ms() + WAIT_MS;
	plat_mutex_lock(&t.lock);
	while (!t.completions[id] && plat_now_ms() < until)
		plat_cond_timedwait(&t.cond, &t.lock, 100);
	bool ok = t.completions[id] > 0;
	*result = t.results[id];
	plat_mutex_unlock(&t.lock);
	return ok;
}

static size_t nev(void)
{
	plat_mutex_lock(&t.lock);
	size_t n = t.nev;
	plat_mutex_unlock(&t.lock);
	return n;
}

static void wstr(WCHAR *w, size_t n, const char *s)
{
	size_t u = utf8_to_utf16le(s, w, n - 1);
	memset(w + u, 0, sizeof(WCHAR));
}

struct fx {
	struct pbxsim_proc *sim;
	char tree[256], dir[64], cfgpath[96];
};

static void write_config(struct fx *f, unsigned line_timeout)
{
	FILE *fp = fopen(f->cfgpath, "w");
	assert_non_null(fp);
	fprintf(fp, "REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\innovaphone\\innovaphone\xc2\xae PBX V8 TAPI Service Provider]\n"
		"\"TapiUser\"=\"_TAPI_\"\n\"admin2-free\"=\"_TAPI_\"\n\"admin1-free\"=\"tapi\"\n"
		"\"LineTimeOut\"=dword:%08x\n\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\innovaphone\\innovaphone\xc2\xae PBX V8 TAPI Service Provider\\FQDN]\n"
		"\"0\"=\"%s\"\n", line_timeout, pbxsim_url(f->sim, "master"));
	fclose(fp);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	memset(&t, 0, sizeof(t));
	assert_int_equal(plat_mutex_init(&t.lock), 0);
	assert_int_equal(plat_cond_init(&t.cond), 0);
	assert_int_equal(pbxsim_write_temp(f->tree, sizeof(f->tree), tree_json), 0);
	assert_int_equal(pbxsim_start(&f->sim, f->tree, NULL), 0);
	/* mkdtemp template: the name followed by six 'X' */
	snprintf(f->dir, sizeof(f->dir), "/tmp/tsp8-provsim-");
	size_t tl = strlen(f->dir);
	memset(f->dir + tl, 'X', 6);
	f->dir[tl + 6] = '\0';
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->cfgpath, sizeof(f->cfgpath), "%s/tsp8.reg", f->dir);
	write_config(f, 10);
	setenv("TSP8_CONFIG", f->cfgpath, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	pbxsim_stop(f->sim);
	pbxsim_remove_temp(f->tree);
	unlink(f->cfgpath);
	rmdir(f->dir);
	plat_cond_destroy(&t.cond);
	plat_mutex_destroy(&t.lock);
	free(f);
	return 0;
}

/* Device ID of the line named name, 0 if none. */
static DWORD device_of(DWORD n, const char *name)
{
	for (DWORD d = LINE_BASE; d < LINE_BASE + n; d++) {
		unsigned char buf[2048];
		memset(buf, 0, sizeof(buf));
		LPLINEDEVCAPS caps = (LPLINEDEVCAPS)buf;
		caps->dwTotalSize = sizeof(buf);
		assert_int_equal(TSPI_lineGetDevCaps(d, 0x00030000, 0, caps), 0);
		char text[256];
		assert_int_equal(utf16_to_utf8((LPCWSTR)(buf + caps->dwLineNameOffset), caps->dwLineNameSize / 2,
					       text, sizeof(text)), 0);
		if (strcmp(text, name) == 0)
			return d;
	}
	return 0;
}

static void garbage_arguments(DWORD alice_dev)
{
	HDRVLINE bad_line = (HDRVLINE)(uintptr_t)0x12345678;
	HDRVCALL bad_call = (HDRVCALL)(uintptr_t)0xdeadbeef;
	DWORD v;
	unsigned char buf[512];
	memset(buf, 0, sizeof(buf));
	assert_int_equal(TSPI_lineNegotiateTSPIVersion(999, 0x00020000, 0x00030000, &v), (LONG)LINEERR_BADDEVICEID);
	assert_int_equal(TSPI_lineNegotiateTSPIVersion(alice_dev, 0x00010003, 0x00010004, &v),
			 (LONG)LINEERR_INCOMPATIBLEAPIVERSION);
	assert_int_equal(TSPI_lineNegotiateTSPIVersion(alice_dev, 0x00020000, 0x00030001, NULL),
			 (LONG)LINEERR_INVALPOINTER);
	assert_int_equal(TSPI_lineNegotiateTSPIVersion(alice_dev, 0x00020000, 0x00030001, &v), 0);
	assert_int_equal(v, 0x00030000);
	LPLINEDEVCAPS caps = (LPLINEDEVCAPS)buf;
	caps->dwTotalSize = 100;
	assert_int_equal(TSPI_lineGetDevCaps(alice_dev, 0x00030000, 0, caps), (LONG)LINEERR_STRUCTURETOOSMALL);
	caps->dwTotalSize = sizeof(buf);
	assert_int_equal(TSPI_lineGetDevCaps(999, 0x00030000, 0, caps), (LONG)LINEERR_BADDEVICEID);
	assert_int_equal(TSPI_lineGetDevCaps(alice_dev, 0x00030000, 1, caps), (LONG)LINEERR_INCOMPATIBLEEXTVERSION);
	assert_int_equal(TSPI_lineGetDevCaps(alice_dev, 0x00030000, 0, NULL), (LONG)LINEERR_INVALPOINTER);
	assert_int_equal(TSPI_lineGetAddressCaps(alice_dev, 1, 0x00030000, 0, (LPLINEADDRESSCAPS)buf),
			 (LONG)LINEERR_INVALADDRESSID);
	assert_int_equal(TSPI_lineClose(bad_line), (LONG)LINEERR_INVALLINEHANDLE);
	assert_int_equal(TSPI_lineClose(NULL), (LONG)LINEERR_INVALLINEHANDLE);
	HDRVCALL hd;
	WCHAR dest[16];
	wstr(dest, 16, "22");
	assert_int_equal(TSPI_lineMakeCall(1, bad_line, NULL, &hd, dest, 0, NULL), (LONG)LINEERR_INVALLINEHANDLE);
	assert_int_equal(TSPI_lineDrop(2, bad_call, NULL, 0), (LONG)LINEERR_INVALCALLHANDLE);
	assert_int_equal(TSPI_lineAnswer(3, bad_call, NULL, 0), (LONG)LINEERR_INVALCALLHANDLE);
	assert_int_equal(TSPI_lineCloseCall(bad_call), 0);   /* never fails */
	assert_int_equal(TSPI_lineGetCallInfo(bad_call, (LPLINECALLINFO)buf), (LONG)LINEERR_INVALCALLHANDLE);
	assert_int_equal(TSPI_lineGetCallStatus(bad_call, (LPLINECALLSTATUS)buf), (LONG)LINEERR_INVALCALLHANDLE);
	assert_int_equal(TSPI_lineGetLineDevStatus(bad_line, (LPLINEDEVSTATUS)buf), (LONG)LINEERR_INVALLINEHANDLE);
	assert_int_equal(TSPI_lineGetNumAddressIDs(bad_line, &v), (LONG)LINEERR_INVALLINEHANDLE);
	assert_int_equal(TSPI_lineOpen(999, NULL, (LPHDRVLINE)&hd, 0x00030000, line_event), (LONG)LINEERR_BADDEVICEID);
	assert_int_equal(TSPI_lineOpen(alice_dev, NULL, NULL, 0x00030000, line_event), (LONG)LINEERR_INVALPOINTER);
	assert_int_equal(TSPI_providerCreateLineDevice(0x99999999, 100), (LONG)LINEERR_NODEVICE);
	/* none of these may complete anything */
	plat_mutex_lock(&t.lock);
	for (int i = 0; i < 4; i++)
		assert_int_equal(t.completions[i], 0);
	plat_mutex_unlock(&t.lock);
}

static void one_cycle(struct fx *f, DRV_REQUESTID req0)
{
	DWORD v = 0, nlines = 0, nphones = 1;
	assert_int_equal(TSPI_lineNegotiateTSPIVersion(INITIALIZE_NEGOTIATION, 0x00010004, 0x00030001, &v), 0);
	assert_int_equal(v, 0x00030000);
	assert_int_equal(TSPI_providerEnumDevices(4, &nlines, &nphones, (HPROVIDER)(uintptr_t)0x4711, line_event,
						  NULL), 0);
	assert_int_equal(nlines, 4);
	assert_int_equal(nphones, 0);
	DWORD opts = 0;
	assert_int_equal(TSPI_providerInit(0x00030000, 4, LINE_BASE, 0, nlines, 0, completion, &opts), 0);
	DWORD alice = device_of(nlines, "Alice Meier (master)");
	DWORD bernd = device_of(nlines, "Bernd (master)");
	assert_true(alice && bernd);
	garbage_arguments(alice);

	HTAPILINE ht_alice = (HTAPILINE)(uintptr_t)0x10301;
	HDRVLINE hd_alice;
	assert_int_equal(TSPI_lineOpen(alice, ht_alice, &hd_alice, 0x00030000, line_event), 0);
	assert_int_equal(TSPI_lineOpen(alice, ht_alice, &hd_alice, 0x00030000, line_event), (LONG)LINEERR_ALLOCATED);
	DWORD na = 0;
	assert_int_equal(TSPI_lineGetNumAddressIDs(hd_alice, &na), 0);
	assert_int_equal(na, 1);

	/* dial modifiers are refused synchronously: no completion follows */
	HDRVCALL hd;
	WCHAR dest[32];
	wstr(dest, 32, "22W1");
	assert_int_equal(TSPI_lineMakeCall(req0, hd_alice, NULL, &hd, dest, 0, NULL), (LONG)LINEERR_DIALDIALTONE);

	/* incoming call: NEWCALL, OFFERING, answer, CONNECTED, drop, IDLE */
	size_t mark = nev();
	char reply[256];
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "incoming master 0301234567 21"), 0);
	long i = wait_ev(mark, (DWORD)LINE_NEWCALL, ht_alice, NULL, 0);
	assert_true(i >= 0);
	plat_mutex_lock(&t.lock);
	HTAPICALL ht_in = t.evs[i].ht_call;
	HDRVCALL hd_in = t.newcall_hd;
	plat_mutex_unlock(&t.lock);
	assert_true(wait_ev((size_t)i, LINE_CALLSTATE, ht_alice, ht_in, LINECALLSTATE_OFFERING) > i);
	unsigned char buf[2048];
	memset(buf, 0, sizeof(buf));
	LPLINECALLINFO ci = (LPLINECALLINFO)buf;
	ci->dwTotalSize = sizeof(buf);
	assert_int_equal(TSPI_lineGetCallInfo(hd_in, ci), 0);
	char caller[64];
	assert_int_equal(utf16_to_utf8((LPCWSTR)(buf + ci->dwCallerIDOffset), ci->dwCallerIDSize / 2, caller,
				       sizeof(caller)), 0);
	assert_string_equal(caller, "0301234567");
	assert_int_equal(ci->dwLineDeviceID, alice);
	/* dropping... no: answer it */
	LONG rc = TSPI_lineAnswer(req0 + 1, hd_in, NULL, 0);
	assert_int_equal(rc, (LONG)(req0 + 1));
	LONG res;
	assert_true(wait_completion(req0 + 1, &res));
	assert_int_equal(res, 0);
	assert_true(wait_ev((size_t)i, LINE_CALLSTATE, ht_alice, ht_in, LINECALLSTATE_CONNECTED) > i);
	/* answering a connected call is refused */
	assert_int_equal(TSPI_lineAnswer(req0 + 2, hd_in, NULL, 0), (LONG)LINEERR_INVALCALLSTATE);
	assert_int_equal(TSPI_lineDrop(req0 + 3, hd_in, NULL, 0), (LONG)(req0 + 3));
	assert_true(wait_completion(req0 + 3, &res));
	assert_int_equal(res, 0);
	long idle = wait_ev((size_t)i, LINE_CALLSTATE, ht_alice, ht_in, LINECALLSTATE_IDLE);
	assert_true(idle > i);
	/* no LINE_CALLINFO after IDLE */
	plat_sleep_ms(100);
	plat_mutex_lock(&t.lock);
	for (size_t k = (size_t)idle + 1; k < t.nev; k++)
		assert_false(t.evs[k].ht_call == ht_in);
	plat_mutex_unlock(&t.lock);
	assert_int_equal(TSPI_lineCloseCall(hd_in), 0);
	assert_int_equal(TSPI_lineGetCallInfo(hd_in, ci), (LONG)LINEERR_INVALCALLHANDLE);   /* stale */

	/* lineMakeCall: completion 0, then states with TAPI's htCall, no NEWCALL */
	HTAPICALL ht_out = (HTAPICALL)(uintptr_t)0x20001;
	wstr(dest, 32, "T22");
	mark = nev();
	rc = TSPI_lineMakeCall(req0 + 4, hd_alice, ht_out, &hd, dest, 0, NULL);
	assert_int_equal(rc, (LONG)(req0 + 4));
	assert_true(hd != NULL);
	assert_true(wait_completion(req0 + 4, &res));
	assert_int_equal(res, 0);
	assert_true(wait_ev(mark, LINE_CALLSTATE, ht_alice, ht_out, LINECALLSTATE_RINGBACK) >= 0);
	plat_mutex_lock(&t.lock);
	for (size_t k = mark; k < t.nev; k++)
		assert_false(t.evs[k].msg == (DWORD)LINE_NEWCALL && t.evs[k].ht_line == ht_alice);
	plat_mutex_unlock(&t.lock);

	/* a second makecall, then lineClose at once: every request completes
	 * exactly once and nothing arrives for the line after lineClose */
	HTAPICALL ht_out2 = (HTAPICALL)(uintptr_t)0x20002;
	HDRVCALL hd2;
	wstr(dest, 32, "bernd");
	rc = TSPI_lineMakeCall(req0 + 5, hd_alice, ht_out2, &hd2, dest, 0, NULL);
	assert_int_equal(rc, (LONG)(req0 + 5));
	assert_int_equal(TSPI_lineClose(hd_alice), 0);
	size_t after_close = nev();
	assert_true(wait_completion(req0 + 5, &res));
	assert_true(res == 0 || res == (LONG)LINEERR_OPERATIONFAILED);
	TSPI_lineCloseCall(hd);
	TSPI_lineCloseCall(hd2);
	/* clear the calls at the PBX: no events may reach the closed line */
	assert_int_equal(pbxsim_cmd(f->sim, reply, sizeof(reply), "calls"), 0);
	plat_sleep_ms(300);
	plat_mutex_lock(&t.lock);
	for (size_t k = after_close; k < t.nev; k++)
		assert_false(t.evs[k].ht_line == ht_alice);
	for (DRV_REQUESTID r = req0; r <= req0 + 5; r++)
		assert_true(t.completions[r] <= 1);
	assert_int_equal(t.completions[req0], 0);       /* synchronous failure */
	assert_int_equal(t.completions[req0 + 2], 0);
	plat_mutex_unlock(&t.lock);
	assert_int_equal(TSPI_lineClose(hd_alice), (LONG)LINEERR_INVALLINEHANDLE);   /* stale */

	assert_int_equal(TSPI_providerShutdown(0x00030000, 4), 0);
	assert_int_equal(atomic_load(&overlap), 0);
}

static void test_two_cycles(void **state)
{
	struct fx *f = *state;
	one_cycle(f, 10);
	/* make the calls of the first cycle go away at the PBX */
	char reply[512];
	for (int id = 1; id < 10; id++)
		pbxsim_cmd(f->sim, reply, sizeof(reply), "drop %d caller", id);
	one_cycle(f, 30);
	/* after shutdown, entry points fail cleanly */
	DWORD v;
	assert_int_equal(TSPI_lineNegotiateTSPIVersion(LINE_BASE, 0x00020000, 0x00030000, &v),
			 (LONG)LINEERR_BADDEVICEID);
	assert_int_equal(TSPI_lineClose((HDRVLINE)(uintptr_t)1), (LONG)LINEERR_INVALLINEHANDLE);
}

/* Lines found after EnumDevices returned (LineTimeOut 0): LINE_CREATE
 * through the create proc, providerCreateLineDevice with non-contiguous IDs,
 * then usable like the others; the status calls and lineGetID on one. */
static void test_line_create(void **state)
{
	struct fx *f = *state;
	write_config(f, 0);
	DWORD nlines = 99, nphones, v;
	HPROVIDER hprov = (HPROVIDER)(uintptr_t)0x4711;
	assert_int_equal(TSPI_lineNegotiateTSPIVersion(INITIALIZE_NEGOTIATION, 0x00020000, 0x00030000, &v), 0);
	assert_int_equal(TSPI_providerEnumDevices(4, &nlines, &nphones, hprov, line_event, NULL), 0);
	assert_true(nlines < 4);
	DWORD opts = 0;
	assert_int_equal(TSPI_providerInit(0x00030000, 4, LINE_BASE, 0, nlines, 0, completion, &opts), 0);
	/* the others come as LINE_CREATE with htLine 0 and p1 = hProvider */
	DWORD created = 0, next_id = 100;
	size_t from = 0;
	while (nlines + created < 4) {
		long i = wait_ev(from, LINE_CREATE, NULL, NULL, 0);
		assert_true(i >= 0);
		plat_mutex_lock(&t.lock);
		struct ev e = t.evs[i];
		plat_mutex_unlock(&t.lock);
		assert_null(e.ht_line);
		assert_true(e.p1 == (DWORD_PTR)hprov);
		assert_int_equal(TSPI_providerCreateLineDevice(e.p2, next_id), 0);
		assert_int_equal(TSPI_providerCreateLineDevice(e.p2, next_id + 1), (LONG)LINEERR_NODEVICE);
		next_id += 3;   /* not contiguous */
		created++;
		from = (size_t)i + 1;
	}
	unsigned char buf[2048];
	memset(buf, 0, sizeof(buf));
	LPLINEDEVCAPS caps = (LPLINEDEVCAPS)buf;
	caps->dwTotalSize = sizeof(buf);
	assert_int_equal(TSPI_lineGetDevCaps(100, 0x00020000, 0, caps), 0);
	assert_true(caps->dwPermanentLineID >= 0x00010001);
	assert_int_equal(TSPI_lineNegotiateTSPIVersion(100, 0x00020000, 0x00030000, &v), 0);
	HDRVLINE hd;
	HTAPILINE ht = (HTAPILINE)(uintptr_t)0x10400;
	assert_int_equal(TSPI_lineOpen(100, ht, &hd, 0x00020000, line_event), 0);

	memset(buf, 0, sizeof(buf));
	LPVARSTRING vs = (LPVARSTRING)buf;
	vs->dwTotalSize = sizeof(VARSTRING) + 4;
	WCHAR cls[16];
	wstr(cls, 16, "tapi/line");
	assert_int_equal(TSPI_lineGetID(hd, 0, NULL, LINECALLSELECT_LINE, vs, cls, NULL), 0);
	assert_int_equal(vs->dwStringFormat, STRINGFORMAT_BINARY);
	assert_int_equal(vs->dwStringSize, 4);
	DWORD dev;
	memcpy(&dev, buf + vs->dwStringOffset, 4);
	assert_int_equal(dev, 100);
	wstr(cls, 16, "wave/in");
	assert_int_equal(TSPI_lineGetID(hd, 0, NULL, LINECALLSELECT_LINE, vs, cls, NULL),
			 (LONG)LINEERR_INVALDEVICECLASS);
	vs->dwTotalSize = 20;
	wstr(cls, 16, "tapi/line");
	assert_int_equal(TSPI_lineGetID(hd, 0, NULL, LINECALLSELECT_LINE, vs, cls, NULL),
			 (LONG)LINEERR_STRUCTURETOOSMALL);

	memset(buf, 0, sizeof(buf));
	LPLINEDEVSTATUS ds = (LPLINEDEVSTATUS)buf;
	ds->dwTotalSize = sizeof(buf);
	assert_int_equal(TSPI_lineGetLineDevStatus(hd, ds), 0);
	assert_int_equal(ds->dwDevStatusFlags, LINEDEVSTATUSFLAGS_CONNECTED | LINEDEVSTATUSFLAGS_INSERVICE);
	LPLINEADDRESSSTATUS as = (LPLINEADDRESSSTATUS)buf;
	as->dwTotalSize = sizeof(buf);
	assert_int_equal(TSPI_lineGetAddressStatus(hd, 0, as), 0);
	assert_int_equal(as->dwAddressFeatures, LINEADDRFEATURE_MAKECALL);
	assert_int_equal(TSPI_lineSetDefaultMediaDetection(hd, LINEMEDIAMODE_INTERACTIVEVOICE), 0);
	assert_int_equal(TSPI_lineSetStatusMessages(hd, 0xffffffff, 0), 0);
	LINEEXTENSIONID ext;
	assert_int_equal(TSPI_lineGetExtensionID(100, 0x00020000, &ext), 0);
	assert_int_equal(ext.dwExtensionID0 | ext.dwExtensionID1 | ext.dwExtensionID2 | ext.dwExtensionID3, 0);
	assert_int_equal(TSPI_lineClose(hd), 0);
	assert_int_equal(TSPI_providerShutdown(0x00030000, 4), 0);
	assert_int_equal(atomic_load(&overlap), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_cycles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_create, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
