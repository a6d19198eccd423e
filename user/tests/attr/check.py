#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The attribution test's fixture generator and checks (tests/attr/run.sh).

The program (prog.c) prints "W TGID IP ADDRESS SIZE RESULT SYMBOL OBJECT
REGION" per write it made; from those:
  check.py fixture PROG_OUT             /proc/cowtrace text lines, one record per W
  check.py records PROG_OUT JSON        each record's sym, obj, region as expected
  check.py by KEY PROG_OUT TABLE        --by KEY's rows equal the program's counts
  check.py folded PROG_OUT FOLDED       -o folded parses, its bytes sum to the copies
  check.py unresolved PROG_OUT STDERR   "# unresolved: N" counts what could not resolve
Each prints one "ok - ..." or "not ok - ..." line (with NAME from $CHECK_NAME).
"""
import json
import re
import sys
from collections import defaultdict

RESULTS = ["copy", "zero", "reuse", "notify", "split", "fail"]


def writes(path):
    out = []
    for l in open(path):
        f = l.rstrip("\n").split("\t")
        if f[0] == "W":
            out.append(dict(tgid=int(f[1]), ip=f[2], addr=f[3], size=int(f[4]),
                            result=f[5], sym=f[6], obj=f[7], region=f[8]))
    return out


def unresolved(w):
    return w["sym"] in ("-", "?") or w["sym"].startswith("/")


def function(w):
    if unresolved(w):
        return "-"
    return re.sub(r"\+0x[0-9a-f]+$", "", w["sym"])


def say(ok, what, why=""):
    name = (sys.argv[0] and __import__("os").environ.get("CHECK_NAME")) or ""
    print("%s - %s%s" % ("ok" if ok else "not ok", name + ": " if name else "", what))
    if not ok and why:
        print("# " + why)
    return 0 if ok else 1


def fixture(prog):
    print("# cowtrace 0.3.0")
    print("# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM")
    for i, w in enumerate(writes(prog)):
        print("1.%09d 0 %d %d %s %d write anon %s %s ctprog" %
              (i, w["tgid"], w["tgid"], w["addr"], w["size"], w["result"], w["ip"]))
    return 0


def records(prog, out, expect_mismatch=None):
    ws = writes(prog)
    rs = [json.loads(l) for l in open(out) if l.startswith("{")]
    if len(rs) != len(ws):
        return say(False, "records resolved", "%d records for %d writes" % (len(rs), len(ws)))
    bad = []
    for w, r in zip(ws, rs):
        sym = w["sym"]
        obj = w["obj"]
        if expect_mismatch and obj == expect_mismatch:
            obj, sym = obj + " (build-id mismatch)", "-"
        want = dict(sym=None if sym == "-" else sym, obj=None if obj == "-" else obj,
                    region=w["region"])
        got = dict(sym=r.get("sym"), obj=r.get("obj"), region=r.get("region"))
        if sym == "?":          # a hostile file: named, never a symbol of it
            ok = got["obj"] == obj and got["region"] == w["region"] and \
                (got["sym"] is None or got["sym"] == obj + "+0x10")
        else:
            ok = got == want
        if not ok:
            bad.append("ip %s: want %s, got %s" % (w["ip"], want, got))
    return say(not bad, "every record's sym, obj and region (%d records)" % len(ws),
               "; ".join(bad[:4]))


def unescape(field):
    """A table's field as the reader escaped it ('\\' and 3 octal digits), decoded."""
    b = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8) & 0xff]), field.encode())
    return b.decode(errors="surrogateescape")


def table(path, key):
    lines = [[unescape(x) for x in l.split()] for l in open(path) if l.strip()]
    at = [i for i, f in enumerate(lines) if f and f[0] == key.upper()]
    if not at:
        return {}
    head = lines[at[0]]
    rows = {}
    for f in lines[at[0] + 1:]:
        if len(f) != len(head):
            continue
        rows[f[0]] = dict(zip(head, f))
    return rows


def by(key, prog, out):
    want = defaultdict(lambda: defaultdict(int))
    for w in writes(prog):
        k = function(w) if key == "function" else w[key]
        want[k][w["result"].upper()] += 1
        if w["result"] == "copy":
            want[k]["BYTES_COPIED"] += w["size"]
    rows = table(out, key)
    bad = []
    for k, cnt in want.items():
        r = rows.get(k)
        if not r:
            bad.append("no row %s" % k)
            continue
        for c in [x.upper() for x in RESULTS] + ["BYTES_COPIED"]:
            if int(r[c]) != cnt.get(c, 0):
                bad.append("%s %s: %s, want %d" % (k, c, r[c], cnt.get(c, 0)))
    extra = set(rows) - set(want) - {"(total)"}
    if extra:
        bad.append("rows not written: %s" % sorted(extra))
    tot = rows.get("(total)")
    copied = sum(w["size"] for w in writes(prog) if w["result"] == "copy")
    if not tot or int(tot["BYTES_COPIED"]) != copied:
        bad.append("total line %s, want %d bytes" % (tot, copied))
    return say(not bad, "--by %s: %d rows equal the program's counts and bytes" % (key, len(want)),
               "; ".join(bad[:4]))


def folded(prog, out):
    total = 0
    bad = []
    n = 0
    for l in open(out):
        # four frames (a space may be in one: C++ names), the count after the last space
        m = re.fullmatch(r"([^;]+(?:;[^;]+){3}) ([0-9]+)\n", l)
        if not m:
            bad.append("malformed: %r" % l)
            continue
        n += 1
        total += int(m.group(2))
    copied = sum(w["size"] for w in writes(prog) if w["result"] == "copy")
    if total != copied:
        bad.append("total %d, want %d" % (total, copied))
    return say(not bad and n > 0, "-o folded: %d stacks of 4 frames, %d bytes copied" % (n, total),
               "; ".join(bad[:4]))


def unres(prog, err):
    want = sum(1 for w in writes(prog) if unresolved(w))
    got = None
    for l in open(err):
        m = re.match(r"# unresolved: ([0-9]+) records \(", l)
        if m:
            got = int(m.group(1))
    return say(got == want and want > 0, "# unresolved counts %s records, want %d" % (got, want))


def main():
    cmd = sys.argv[1]
    if cmd == "fixture":
        return fixture(sys.argv[2])
    if cmd == "records":
        return records(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    if cmd == "by":
        return by(sys.argv[2], sys.argv[3], sys.argv[4])
    if cmd == "folded":
        return folded(sys.argv[2], sys.argv[3])
    if cmd == "unresolved":
        return unres(sys.argv[2], sys.argv[3])
    print("usage: see the top of check.py", file=sys.stderr)
    return 2


sys.exit(main())
