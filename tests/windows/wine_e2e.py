#!/usr/bin/env python3
"""End-to-end test of the Windows build under Wine: pbxsim (a Linux process)
<-SOAP-> tsp8.tsp <-TSPI-> tapihost.exe (both under wine64).

The scenario is the one of tests/e2e/test_e2e_basic.c: the lines of the
basic tree are enumerated with their names and numbers, an incoming call
goes OFFERING -> CONNECTED -> DISCONNECTED -> IDLE (driven through pbxsim's
control port), and a lineMakeCall reaches the simulator and is answered and
dropped through TAPI.  Then the provider's trace is checked on the
debugger path (OutputDebugString, as DebugView sees it), which Wine logs
to stderr on its debug channel.

The Wine environment (WINEPREFIX, WINEARCH, WINEDLLOVERRIDES, no DISPLAY)
comes from run-wine-e2e.sh, which also makes sure the prefix exists.

usage: wine_e2e.py --tapihost EXE --pbxsim PROGRAM --tree JSON --workdir DIR
                   [--provider TSP]
Exit status 0 when every check passed; the first failed check is printed
with the last output lines of tapihost and the log file names.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time

WAIT = 30.0          # per awaited event; Wine starts slower than Linux
EXIT_WAIT = 30.0     # tapihost's orderly shutdown
KEY = ("HKEY_LOCAL_MACHINE\\SOFTWARE\\innovaphone\\"
       "innovaphone\u00ae PBX V8 TAPI Service Provider")
# How wineserver writes that key into system.reg (relative to HKLM,
# backslashes doubled, non-ASCII as \x escapes).
KEY_IN_SYSTEM_REG = ("[Software\\\\innovaphone\\\\"
                     "innovaphone\\xae PBX V8 TAPI Service Provider]")
# Wine 8 logs OutputDebugString on the "seh" channel (warn class), newer
# versions on "debugstr": both are enabled, only these lines are read.
WINEDEBUG = "-all,+debugstr,warn+seh"
ODS_MARK = ":OutputDebugString"


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Sim:
    """pbxsim with its stdin kept open (quit ends it) and its control port."""

    def __init__(self, program, tree, log_path):
        self.log = open(log_path, "w")
        self.p = subprocess.Popen([program, "--tree", tree], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=self.log, text=True,
                                  bufsize=1)
        self.urls = {}
        self.control = None
        deadline = time.time() + 10
        while time.time() < deadline:
            line = self.p.stdout.readline()
            if not line:
                break
            words = line.split()
            if len(words) == 3 and words[0] == "PBX":
                self.urls[words[1]] = words[2]
            elif len(words) == 2 and words[0] == "CONTROL":
                host, port = words[1].rsplit(":", 1)
                self.control = (host, int(port))
            elif words == ["READY"]:
                break
        if not (self.control and "master" in self.urls):
            self.p.kill()
            self.p.wait()
            self.log.close()
            raise Failure("pbxsim did not announce its PBX and control port (see %s)" % log_path)
        self.sock = socket.create_connection(self.control, timeout=5)
        self.rfile = self.sock.makefile("r", encoding="utf-8")

    def cmd(self, text):
        """One control command; returns the answer after "ok"."""
        self.sock.sendall((text + "\n").encode())
        answer = self.rfile.readline().rstrip("\n")
        check(answer == "ok" or answer.startswith("ok "),
              "pbxsim refused %r: %r" % (text, answer))
        return answer[3:]

    def stop(self):
        try:
            self.sock.close()
            self.p.stdin.write("quit\n")
            self.p.stdin.close()
            self.p.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.p.kill()
            self.p.wait()
        self.log.close()


class Host:
    """tapihost.exe --json under wine64; every stdout line is kept."""

    def __init__(self, exe, provider, trace_path):
        env = dict(os.environ, WINEDEBUG=WINEDEBUG)
        argv = ["wine", exe, "--json"]
        if provider:
            argv += ["--provider", provider]
        self.trace = open(trace_path, "w")
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.trace, env=env, text=True,
                                  encoding="utf-8", bufsize=1)
        self.lines = []          # raw lines, guarded by cond
        self.cond = threading.Condition()
        self.eof = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\r\n"))
                self.cond.notify_all()
        with self.cond:
            self.eof = True
            self.cond.notify_all()

    def send(self, text):
        self.p.stdin.write(text + "\n")
        self.p.stdin.flush()

    def wait(self, pos, what, **want):
        """First JSON event at or after index pos whose members equal want;
        returns (event, index after it)."""
        deadline = time.time() + WAIT
        with self.cond:
            while True:
                while pos < len(self.lines):
                    line = self.lines[pos]
                    pos += 1
                    try:
                        ev = json.loads(line)
                    except ValueError:
                        continue
                    if all(ev.get(k) == v for k, v in want.items()):
                        return ev, pos
                left = deadline - time.time()
                check(not self.eof, "tapihost ended while waiting for " + what)
                check(left > 0, "timed out waiting for " + what)
                self.cond.wait(left)

    def events(self, **want):
        with self.cond:
            out = []
            for line in self.lines:
                try:
                    ev = json.loads(line)
                except ValueError:
                    continue
                if all(ev.get(k) == v for k, v in want.items()):
                    out.append(ev)
            return out

    def tail(self, n=40):
        with self.cond:
            return "\n".join("tapihost| " + l for l in self.lines[-n:])

    def quit(self):
        """Asks tapihost to end; returns its exit status."""
        try:
            self.send("quit")
            self.p.stdin.close()
        except (OSError, ValueError):
            pass                # tapihost already gone
        try:
            rc = self.p.wait(timeout=EXIT_WAIT)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            rc = None
        self.trace.close()
        return rc


def write_registry(workdir, url):
    """Imports the provider's configuration with regedit and checks that it
    reached the registry file under the key name with the (R) sign."""
    text = ("Windows Registry Editor Version 5.00\r\n\r\n"
            "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\innovaphone]\r\n\r\n"
            "[%s]\r\n"
            "\"TapiUser\"=\"_TAPI_\"\r\n"
            "\"admin2-free\"=\"_TAPI_\"\r\n"
            "\"admin1-free\"=\"tapi\"\r\n"
            "\"LineTimeOut\"=dword:0000000a\r\n\r\n"
            "[%s\\FQDN]\r\n"
            "\"0\"=\"%s\"\r\n\r\n") % (KEY, KEY, url)
    # Version 5 files are UTF-16 with a byte order mark: the (R) sign then
    # does not depend on the code page Wine derives from the Linux locale.
    path = os.path.join(workdir, "tsp8-config.reg")
    with open(path, "wb") as f:
        f.write(b"\xff\xfe" + text.encode("utf-16-le"))
    rc = subprocess.call(["wine", "regedit", "/S", path])
    check(rc == 0, "wine regedit /S %s failed (%d)" % (path, rc))
    # wineserver writes system.reg when it exits: wait for that.
    subprocess.call(["wineserver", "-w"])
    with open(os.path.join(os.environ["WINEPREFIX"], "system.reg"), "rb") as f:
        reg = f.read().decode("latin-1")
    check(KEY_IN_SYSTEM_REG in reg, "system.reg has no key " + KEY_IN_SYSTEM_REG)
    check(url in reg, "system.reg does not hold the PBX URL " + url)


def line_device(host, address, name):
    ev, _ = host.wait(0, "line %s %r" % (address, name),
                      event="line", address=address, name=name)
    check(ev.get("perm", 0) > 0, "line %s has no permanent line ID: %r" % (address, ev))
    return ev["device"]


def scenario(host, sim, pos):
    """The checks of test_e2e_basic.c; pos: index after the start-up lines."""
    # Lines: the TAPI user's group scope (_TAPI_, three users, the trunk).
    anna = line_device(host, "21", "Anna Berg (master)")
    bernd = line_device(host, "22", "Bernd Kr\u00fcger (master)")
    clara = line_device(host, "23", "Clara Diaz (master)")
    check(len({anna, bernd, clara}) == 3, "device IDs not distinct")
    host.wait(0, "the trunk line", event="line", name="Trunk (master)")
    lines = host.events(event="line")
    check(len(lines) == 5, "%d lines instead of 5" % len(lines))
    check(not [l for l in lines if "Outsider" in l.get("name", "")],
          "a line outside the TAPI user's scope")
    print("wine e2e: 5 lines enumerated (Anna %d, Bernd %d, Clara %d)" % (anna, bernd, clara))

    # Incoming call from the trunk to Anna, driven by the simulator.
    simcall = sim.cmd("incoming master 0301234567 21").split()[0]
    ev, pos = host.wait(pos, "OFFERING on Anna", event="LINE_CALLSTATE", device=anna,
                        state="OFFERING")
    check(ev.get("caller") == "0301234567", "caller is %r" % ev.get("caller"))
    sim.cmd("answer " + simcall)
    _, pos = host.wait(pos, "CONNECTED on Anna", event="LINE_CALLSTATE", device=anna,
                       state="CONNECTED")
    sim.cmd("drop %s caller" % simcall)
    _, pos = host.wait(pos, "DISCONNECTED on Anna", event="LINE_CALLSTATE", device=anna,
                       state="DISCONNECTED")
    _, pos = host.wait(pos, "IDLE on Anna", event="LINE_CALLSTATE", device=anna,
                       state="IDLE")
    print("wine e2e: incoming call OFFERING -> CONNECTED -> DISCONNECTED -> IDLE")

    # lineMakeCall from Anna to 22: the simulator gets the call, Bernd's
    # line is offered it and answers through TAPI, Anna drops.
    host.send("makecall %d 22" % anna)
    ev, _ = host.wait(pos, "makecall completion", event="completion",
                      command="makecall")
    check(ev.get("result") == 0, "lineMakeCall completed with %r" % ev.get("result"))
    ev, pos = host.wait(pos, "OFFERING on Bernd", event="LINE_CALLSTATE", device=bernd,
                        state="OFFERING")
    call22 = ev["call"]
    check("22" in sim.cmd("calls"), "the simulator does not list the call to 22")
    mark = pos
    host.send("answer " + call22)
    ev, _ = host.wait(mark, "CONNECTED on Anna", event="LINE_CALLSTATE", device=anna,
                      state="CONNECTED")
    call21 = ev["call"]
    host.wait(mark, "CONNECTED on Bernd", event="LINE_CALLSTATE", device=bernd,
               state="CONNECTED")
    host.send("drop " + call21)
    host.wait(mark, "IDLE on Anna", event="LINE_CALLSTATE", device=anna, state="IDLE",
              call=call21)
    host.wait(mark, "IDLE on Bernd", event="LINE_CALLSTATE", device=bernd, state="IDLE",
              call=call22)
    print("wine e2e: lineMakeCall reached the simulator, answered and dropped")


def check_trace(trace_path):
    """The provider's INFO lines went through OutputDebugString."""
    with open(trace_path, encoding="utf-8", errors="replace") as f:
        ods = [l for l in f if ODS_MARK in l]
    check(ods, "no OutputDebugString output in %s (WINEDEBUG=%s)" % (trace_path, WINEDEBUG))
    wanted = [
        "INFO tsp8: TSP8 ",                           # start, with the version
        "starting, configuration HKEY_LOCAL_MACHINE\\\\SOFTWARE\\\\innovaphone",
        "INFO tsp8: PBX master: session UP",
        "INFO tsp8: line enumeration complete: 5 lines",
        "INFO tsp8: providerShutdown",
    ]
    for w in wanted:
        check(any(w in l for l in ods), "no debugger trace line with %r in %s" % (w, trace_path))
    print("wine e2e: %d trace lines on the debugger path (OutputDebugString)" % len(ods))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tapihost", required=True)
    ap.add_argument("--provider")
    ap.add_argument("--pbxsim", required=True)
    ap.add_argument("--tree", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    for var in ("WINEPREFIX", "WINEARCH"):
        if not os.environ.get(var):
            print("wine_e2e.py: %s is not set (use run-wine-e2e.sh)" % var, file=sys.stderr)
            return 2
    os.makedirs(a.workdir, exist_ok=True)
    sim_log = os.path.join(a.workdir, "pbxsim.log")
    trace_path = os.path.join(a.workdir, "tapihost-stderr.log")
    started = time.time()
    sim = host = None
    rc = None
    try:
        sim = Sim(a.pbxsim, a.tree, sim_log)
        write_registry(a.workdir, sim.urls["master"])
        host = Host(a.tapihost, a.provider, trace_path)
        ev, pos = host.wait(0, "the provider event", event="provider")
        check(ev.get("path", "").endswith("tsp8.tsp"), "provider path %r" % ev.get("path"))
        check(ev.get("lines") == 5, "providerEnumDevices reported %r lines" % ev.get("lines"))
        scenario(host, sim, pos)
        rc = host.quit()
        end = host.events(event="end")
        check(end and end[-1].get("violations") == 0, "tapihost reported TSPI violations: %r" % end)
        check(rc == 0, "tapihost exited with %r" % rc)
        check_trace(trace_path)
    except Failure as e:
        print("wine e2e: FAILED: %s" % e, file=sys.stderr)
        if host:
            print(host.tail(), file=sys.stderr)
        print("logs: %s %s" % (sim_log, trace_path), file=sys.stderr)
        return 1
    finally:
        if host and rc is None:
            host.quit()
        if sim:
            sim.stop()
    print("wine e2e: PASS (%.1f s)" % (time.time() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
