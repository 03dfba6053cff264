#!/usr/bin/env python3
"""Runs tapihost against the scripted mock provider (test_tapihost_mockprov.c)
and checks its start-up sequence, output forms, commands, exit status and
violation detection.

usage: test_tapihost_smoke.py <tapihost> <mock provider library>
"""
import json
import queue
import re
import subprocess
import sys
import threading
import time

TIMEOUT = 10.0


class Host:
    def __init__(self, exe, provider, *extra):
        self.p = subprocess.Popen([exe, "--provider", provider] + list(extra),
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True, bufsize=1)
        self.lines = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def send(self, text):
        self.p.stdin.write(text + "\n")
        self.p.stdin.flush()

    def expect(self, pattern):
        """Next line matching pattern (earlier lines are kept in seen)."""
        deadline = time.time() + TIMEOUT
        rx = re.compile(pattern)
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("timeout waiting for /%s/; seen:\n%s"
                                     % (pattern, "\n".join(self.seen[-30:])))
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError("EOF waiting for /%s/; seen:\n%s"
                                     % (pattern, "\n".join(self.seen[-30:])))
            self.seen.append(line)
            m = rx.search(line)
            if m:
                return m

    def finish(self):
        self.p.stdin.close()
        rc = self.p.wait(timeout=TIMEOUT)
        while True:
            line = self.lines.get(timeout=TIMEOUT)
            if line is None:
                break
            self.seen.append(line)
        return rc


def no_violations(h):
    bad = [l for l in h.seen if "VIOLATION" in l or '"violation"' in l]
    assert not bad, "unexpected violations:\n" + "\n".join(bad)


def scenario_human(exe, prov):
    h = Host(exe, prov)
    h.expect(r"^PROVIDER .*version=0x00030000 lines=2 ")
    h.expect(r'^LINE 7 perm=65536 addr=20 name="Mock Line 0"$')
    h.expect(r'^LINE 8 perm=65537 addr=21 name="Mock Line 1"$')

    h.send("makecall 7 100")
    m = h.expect(r"^ok makecall request=(\d+) call=(0x[0-9a-f]+)$")
    req, call = m.group(1), m.group(2)
    assert int(req) >= 0x70000001, req
    if sys.maxsize > 2**32:
        assert int(call, 16) >> 48 == 0xDEAD, call
    h.expect(r"^COMPLETION request=%s result=0 OK command=makecall$" % req)
    h.expect(r"^LINE_CALLSTATE line=7 call=%s CONNECTED mode=ACTIVE .*caller=0301234567 called=21"
             % call)

    h.send("drop " + call)
    m = h.expect(r"^ok drop request=(\d+) call=%s$" % call)
    h.expect(r"^COMPLETION request=%s result=0 OK command=drop$" % m.group(1))
    h.expect(r"^LINE_CALLSTATE line=7 call=%s DISCONNECTED mode=NORMAL" % call)
    h.expect(r"^LINE_CALLSTATE line=7 call=%s IDLE" % call)
    h.send("calls")
    h.expect(r"^ok calls count=0$")

    h.send("makecall 7 sync")
    h.expect(r"^error LINEERR_INVALADDRESS command=makecall$")
    h.send("makecall 8 fail")
    h.expect(r"^ok makecall ")
    h.expect(r"^COMPLETION request=\d+ result=0x80000048 LINEERR_OPERATIONFAILED command=makecall$")

    h.send("makecall 8 ring")
    m = h.expect(r"^LINE_NEWCALL line=8 call=(0x[0-9a-f]+)$")
    inbound = m.group(1)
    h.expect(r"^LINE_CALLSTATE line=8 call=%s OFFERING mode=ACTIVE .*caller=0301234567" % inbound)
    h.send("answer " + inbound)
    h.expect(r"^ok answer request=\d+ call=%s$" % inbound)
    h.expect(r"^LINE_CALLSTATE line=8 call=%s CONNECTED" % inbound)

    h.send("makecall 7 create")
    h.expect(r"^LINE_CREATE temp=0x2a device=1009$")
    h.expect(r'^LINE 1009 perm=65538 addr=22 name="Mock Line 2"$')
    h.send("lines")
    h.expect(r"^ok lines count=3$")

    h.send("makecall 7 state")
    h.expect(r"^LINE_LINEDEVSTATE line=7 CONNECTED\|INSERVICE$")
    h.expect(r"^LINE_ADDRESSSTATE line=7 address=0 FORWARD$")
    h.send("makecall 7 remove")
    h.expect(r"^LINE_REMOVE line=8$")
    h.send("lines")
    h.expect(r'^LINE 1009 perm=65538 ')
    h.expect(r"^ok lines count=2$")
    h.send("answer " + inbound)
    h.expect(r"^error LINEERR_INVALCALLHANDLE command=answer$")
    h.send("makecall 8 100")
    h.expect(r"^error LINEERR_BADDEVICEID command=makecall$")

    h.send("answer 0x1")
    h.expect(r"^error LINEERR_INVALCALLHANDLE command=answer$")
    h.send("bogus")
    h.expect(r"^error syntax: unknown command 'bogus'$")
    h.send("wait nothing-like-this 50")
    h.expect(r"^error timeout command=wait$")
    h.send("quit")
    h.expect(r"^ok quit$")
    h.expect(r"^END violations=0$")
    rc = h.finish()
    assert rc == 0, rc
    no_violations(h)


def scenario_json_violation(exe, prov):
    h = Host(exe, prov, "--json")
    h.send("makecall 7 dup")
    h.send("quit")
    rc = h.finish()
    assert rc == 3, rc
    events = [json.loads(l) for l in h.seen]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "provider" and kinds[-1] == "end", kinds
    lines = [e for e in events if e["event"] == "line"]
    assert lines[0] == {"event": "line", "device": 7, "perm": 65536, "address": "20",
                        "name": "Mock Line 0"}, lines[0]
    assert any(e["event"] == "violation" and "completed 2 times" in e["what"] for e in events)
    comps = [e for e in events if e["event"] == "completion"]
    assert comps and comps[0]["result"] == 0 and isinstance(comps[0]["request"], int)
    states = [e for e in events if e["event"] == "LINE_CALLSTATE"]
    assert states[-1]["state"] == "CONNECTED" and states[-1]["caller"] == "0301234567"
    assert events[-1]["violations"] == 1


def scenario_refused_newcall(exe, prov):
    h = Host(exe, prov, "--refuse-newcalls", "1")
    h.send("makecall 8 ring")
    h.expect(r"^LINE_NEWCALL line=8 refused=yes$")
    h.send("quit")
    rc = h.finish()
    # The mock keeps reporting the refused call: tapihost must flag it.
    assert rc == 3, rc
    assert any("unknown htCall 0x0" in l for l in h.seen), h.seen


def scenario_seconds(exe, prov):
    start = time.time()
    p = subprocess.run([exe, "--provider", prov, "--seconds", "1"], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=TIMEOUT)
    took = time.time() - start
    assert p.returncode == 0, p
    assert 0.9 <= took < 5, took
    assert p.stdout.splitlines()[-1] == "END violations=0", p.stdout


def scenario_errors(exe, prov):
    p = subprocess.run([exe, "--provider", prov + ".missing"], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=TIMEOUT)
    assert p.returncode == 1 and p.stdout.startswith("FATAL cannot load"), p
    p = subprocess.run([exe, "--frobnicate"], capture_output=True, text=True, timeout=TIMEOUT)
    assert p.returncode == 2 and "unknown argument" in p.stderr, p


def main():
    exe, prov = sys.argv[1], sys.argv[2]
    for scenario in (scenario_human, scenario_json_violation, scenario_refused_newcall,
                     scenario_seconds, scenario_errors):
        scenario(exe, prov)
        print("ok", scenario.__name__)
    return 0


if __name__ == "__main__":
    sys.exit(main())
