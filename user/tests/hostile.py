#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""
Hostile --file input: control sequences (ESC, CSI, OSC, DCS), C1 bytes
(0x9b, 0x9d, 0x9c, and U+009B in UTF-8), DEL, CR and BS in every column,
in a column the reader does not know, in header, lost and malformed lines,
as text and as the binary twin. Whatever the mode, nothing below 0x20 but
the newline (and CSV's CR before it), no DEL and no byte 0x80-0x9f may
reach stdout, stderr or the metrics file; and the records are all there.

hostile.py READER MKRAW TMPDIR: one "ok - " / "not ok - " line per check.
"""
import csv
import io
import json
import os
import re
import subprocess
import sys

R, MK, T = sys.argv[1:4]
H = b'\x1b]0;pwned\x07\x1b[2J\x1bP+q\x1b\\\x9b1m\x9d0;x\x9c\x7f\xc2\x9b\r\x08'
COLS = b'TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM NOTE'.split()
GOOD = b'1.000000000 0 100 100 0x1000 4096 write anon copy 0x401a2b plain x'.split()
# Comms as the file writes them (COMM's escape) and as their bytes.
COMMS = [rb'\033]0;pwned\007', rb'\2331m\2350;x\234\177\033[2J',
         rb'\302\2332J\303\251\015', b'plain']


def comm_bytes(f):
    return re.sub(rb'\\([0-3][0-7][0-7])', lambda m: bytes([int(m.group(1), 8)]), f)


def record(i, comm, note):
    f = list(GOOD)
    f[3] = f[2] = b'%d' % (100 + i)
    f[10], f[11] = comm, note
    return b' '.join(f)


lines = [b'# cowtrace 0.3.0', b'# filter=' + H + b' pid=0 missed=1',
         b'# ' + b' '.join(COLS), b'# ' + H, b'#' + H + b'x 1']
lines += [record(i, c, H) for i, c in enumerate(COMMS)]
bad = []
for col in range(len(COLS) - 1):	# NOTE is any bytes: not malformed
    f = list(GOOD)
    f[col] = H
    bad.append(b' '.join(f))
bad += [b'# lost ' + H + b' events on cpu 0', H]
text = b'\n'.join(lines + bad) + b'\n'
open(os.path.join(T, 'hostile.txt'), 'wb').write(text)
raw = os.path.join(T, 'hostile.raw')
subprocess.run([MK, os.path.join(T, 'hostile.txt'), raw], check=True)

checks = []


def check(ok, name):
    checks.append(ok)
    print('%s - %s' % ('ok' if ok else 'not ok', name))


def unsafe(b, crlf=False):
    """The offset of the first byte a terminal could act on, or -1."""
    for i, c in enumerate(b):
        if c == 0x0a or (crlf and c == 0x0d and b[i + 1:i + 2] == b'\n'):
            continue
        if c < 0x20 or c == 0x7f or 0x80 <= c <= 0x9f:
            return i
    return -1


def run(path, *opts):
    p = subprocess.run([R, '--no-follow', '--file', path] + list(opts),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr


def js_comm(b):
    s = b.decode('utf-8', 'surrogateescape')
    return ''.join(chr(ord(c) - 0xdc00) if 0xdc80 <= ord(c) <= 0xdcff else c for c in s)


for src, path in (('text', os.path.join(T, 'hostile.txt')), ('binary', raw)):
    for mode in ('text', 'json', 'csv', 'text -s', 'json -s'):
        opts = mode.split()
        prom = os.path.join(T, 'hostile.prom')
        rc, out, err = run(path, '-o', opts[0], *opts[1:], '--metrics', prom)
        m = open(prom, 'rb').read()
        where = [(n, unsafe(b, crlf=(n == 'stdout' and opts[0] == 'csv')), b)
                 for n, b in (('stdout', out), ('stderr', err), ('metrics', m))]
        first = [(n, i, b[max(0, i - 20):i + 20]) for n, i, b in where if i >= 0]
        check(rc == 0 and not first,
              '%s file, -o %s: nothing a terminal acts on in stdout, stderr or the metrics file%s'
              % (src, mode, ' (%s at %d: %r)' % first[0] if first else ''))
        # Positive controls: every record printed, its comm intact.
        ok = True
        if opts[0] == 'text':
            recs = [l.split() for l in out.split(b'\n') if l[:1].isdigit() and b'records,' not in l]
            recs = [r for r in recs if len(r) == 11]
            ok = [r[10] for r in recs] == COMMS
            ok &= out.startswith(b'# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM\n')
            if len(opts) > 1:
                ok &= b'\n4 records, 0 lost\n' in out
        elif opts[0] == 'json':
            try:
                objs = [json.loads(l) for l in out.decode('utf-8').splitlines()]
            except ValueError:
                objs = []
            ok = [o['comm'] for o in objs] == [js_comm(comm_bytes(c)) for c in COMMS]
        else:
            rows = list(csv.reader(io.StringIO(out.decode('latin-1'), newline='')))
            ok = [r[10].encode() for r in rows[1:]] == COMMS and len(rows[0]) == 11
        if src == 'text':
            ok &= b'cowtrace: skipping a malformed line: ' in err
            ok &= b'cowtrace: %d malformed lines skipped' % len(bad) in err
        else:
            ok &= b'cowtrace: skipping a malformed item: type 7' in err
        check(ok, '%s file, -o %s: the 4 records are printed, comms intact, the malformed ones reported' % (src, mode))

# The malformed line that is shown: each column's in turn, escaped.
worst = []
for i, b in enumerate(bad):
    path = os.path.join(T, 'bad%d.txt' % i)
    open(path, 'wb').write(b'\n'.join(lines[:3] + [b]) + b'\n')
    rc, out, err = run(path)
    shown = re.search(rb'skipping a malformed line: (.*)\n', err)
    if rc or unsafe(out) >= 0 or unsafe(err) >= 0 or not shown or \
       rb'\033]0;pwned\007\033[2J' not in shown.group(1):
        worst.append((i, err))
check(not worst, 'a malformed line with them in each column (%d) is shown escaped, as \\033]0;pwned\\007...%s'
      % (len(bad), ' (%r)' % (worst[0],) if worst else ''))
sys.exit(0 if all(checks) else 1)
