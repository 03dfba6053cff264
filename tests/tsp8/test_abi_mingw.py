#!/usr/bin/env python3
"""Compare tsp8/tapi_abi.h (non-Windows declarations) with mingw-w64's headers.

For every macro in tsp8/tapi_consts.h and every field of every structure in
tsp8/tapi_abi.h, the value / offset compiled natively must equal the one the
mingw cross compiler computes from <tapi.h>/<tspi.h>.  Both sides are only
compiled (gcc -S), never run, so no Wine is needed.

usage: test_abi_mingw.py <source root> <native cc> <mingw cc> [<mingw cc>...]
"""
import os
import re
import subprocess
import sys
import tempfile


def macro_names(path):
    names = []
    for line in open(path, encoding="utf-8"):
        m = re.match(r"#define\s+(\w+)\s+\S", line)
        if m and not m.group(1).startswith("TSP8_"):
            names.append(m.group(1))
    return names


def struct_fields(path):
    """(struct, field) pairs of the packed structures in tapi_abi.h."""
    text = open(path, encoding="utf-8").read()
    pairs = []
    for m in re.finditer(r"typedef struct \w+ \{(.*?)\}\s*(\w+)\s*[,;]", text, re.S):
        body, name = m.group(1), m.group(2)
        if name in ("GUID", "SYSTEMTIME", "TUISPICREATEDIALOGINSTANCEPARAMS"):
            continue
        pairs.append((name, None))
        for f in re.findall(r"\b(\w+)(?:\[\d+\])?;", body):
            pairs.append((name, f))
    return pairs


def probe_source(names, fields, include):
    out = [include, "#include <stddef.h>", "#include <stdint.h>"]
    for n in names:
        out.append("unsigned int M_%s = (unsigned int)(uint32_t)(%s);" % (n, n))
    for s, f in fields:
        if f is None:
            out.append("unsigned int S_%s = sizeof(%s);" % (s, s))
        else:
            out.append("unsigned int O_%s__%s = offsetof(%s, %s);" % (s, f, s, f))
    return "\n".join(out) + "\n"


def compile_values(cc, src, incdir, tmp, tag):
    cpath = os.path.join(tmp, tag + ".c")
    spath = os.path.join(tmp, tag + ".s")
    open(cpath, "w").write(src)
    subprocess.run([cc, "-std=c11", "-S", "-O0", "-fno-zero-initialized-in-bss",
                    "-I", incdir, "-o", spath, cpath], check=True)
    vals, cur = {}, None
    for line in open(spath):
        m = re.match(r"^_?([MSO]_\w+):", line)
        if m:
            cur = m.group(1)
            continue
        if cur:
            m = re.match(r"\s+\.long\s+(-?\d+)", line)
            z = re.match(r"\s+\.(zero|space)\s+4\b", line)
            if m:
                vals[cur] = int(m.group(1)) & 0xFFFFFFFF
                cur = None
            elif z:
                vals[cur] = 0
                cur = None
    return vals


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    root, native, crosses = sys.argv[1], sys.argv[2], sys.argv[3:]
    names = macro_names(os.path.join(root, "tsp8", "tapi_consts.h"))
    fields = struct_fields(os.path.join(root, "tsp8", "tapi_abi.h"))
    if len(names) < 400 or len(fields) < 300:
        print("parser found too little: %d macros, %d fields" % (len(names), len(fields)))
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        ours = compile_values(native, probe_source(names, fields, '#include "tsp8/tapi_abi.h"'),
                              root, tmp, "native")
        bad = 0
        for cc in crosses:
            theirs = compile_values(cc, probe_source(names, fields,
                                                     "#include <windows.h>\n#include <tapi.h>\n#include <tspi.h>"),
                                    root, tmp, os.path.basename(cc))
            for key in sorted(set(ours) | set(theirs)):
                if ours.get(key) != theirs.get(key):
                    print("%s: %s ours=%s mingw=%s" % (cc, key, ours.get(key), theirs.get(key)))
                    bad += 1
        print("compared %d values with %d mingw compiler(s): %d differences"
              % (len(ours), len(crosses), bad))
        return 1 if bad or len(ours) != len(names) + len(fields) else 0


if __name__ == "__main__":
    sys.exit(main())
