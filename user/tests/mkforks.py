#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""mkforks: a text fixture of a process tree with fork and exit lines, and
what --forks must say of it, computed here from the scenario itself (bytes
summed over each child's life window), not from the reader.

mkforks.py OUT.txt WANT.rows TOP2 [SEED]
  OUT.txt    the fixture, in the format of /proc/cowtrace (0.3)
  WANT.rows  one line per fork, in fork order:
             PARENT CHILD CHILD_COMM LIVED PARENT_BYTES CHILD_BYTES SUM
             (LIVED: seconds with 9 decimals, 'running', or '<=S' when its pid
             was reused before its exit line came)
  TOP2       the escaped comm and TGID of the two processes that copied most
"""
import random, sys

out, want, top2 = sys.argv[1:4]
rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 19)
NS = 10**9

def esc(b):
    if not b:
        return '\\000'
    return ''.join(chr(c) if 0x21 <= c <= 0x7e and c != 0x5c else '\\%03o' % c for c in b)

# The scenario: (tgid, comm at fork, parent, fork time, exit time or None,
# a new comm the child takes, and when). Times in ms.
procs = {}
events = []   # (ns, line-kind, fields)
def proc(key, tgid, comm, parent, t0, t1, rename=None):
    procs[key] = dict(tgid=tgid, comm=comm, parent=parent, t0=t0, t1=t1, rename=rename)

proc('P', 100, b'server', None, 0, None)                   # forked before: no fork line
proc('A', 101, b'server', 'P', 1000, 3000, (b'worker', 1050))
proc('G', 102, b'worker', 'A', 1200, 3500, (b'grand child\xff', 1300))  # outlives A
proc('D', 104, b'server', 'P', 1100, None)                 # its exit line lost
proc('B', 103, b'server', 'P', 1500, 2000)
proc('C', 103, b'server', 'P', 2500, None)                 # B's pid again: running at the end
proc('D2', 104, b'server', 'P', 2800, 2900)                # D's pid again
proc('X', 200, b'other&<tree>', None, 0, None)             # no fork line: never a row
END = 4000

def comm_at(p, t):
    if p['rename'] and t >= p['rename'][1]:
        return p['rename'][0]
    return p['comm']

def live(p, t):
    nxt = [q for q in procs.values() if q['tgid'] == p['tgid'] and q['t0'] > p['t0']]
    end = p['t1'] if p['t1'] is not None else min([q['t0'] for q in nxt] + [END])
    return p['t0'] <= t < end

lines = []
for k, p in procs.items():
    if p['parent']:
        q = procs[p['parent']]
        lines.append((p['t0'] * 10**6, 'fork', '# fork %d.%09d %d %d %d %d %s' % (
            p['t0'] // 1000, p['t0'] % 1000 * 10**6, rnd.randrange(4), q['tgid'] + 5, q['tgid'],
            p['tgid'], esc(comm_at(q, p['t0'])))))
    if p['t1'] is not None:
        lines.append((p['t1'] * 10**6, 'exit', '# exit %d.%09d %d %d %s' % (
            p['t1'] // 1000, p['t1'] % 1000 * 10**6, rnd.randrange(4), p['tgid'], esc(comm_at(p, p['t1'])))))
# Records at times that are never an event's: ms + 1..999999 ns.
recs = []
for k, p in procs.items():
    n = {'P': 300, 'X': 400, 'A': 120, 'G': 90, 'C': 60}.get(k, 25)
    for _ in range(n):
        t = rnd.randrange(p['t0'], END)
        if not live(p, t):
            continue
        ns = t * 10**6 + rnd.randrange(1, 10**6)
        size = rnd.choice([4096] * 20 + [2097152])
        result = rnd.choice(['copy'] * 6 + ['reuse', 'zero', 'notify', 'fail'])
        recs.append((ns, p, size, result))
        lines.append((ns, 'rec', '%d.%09d %d %d %d 0x%x %d write anon %s 0x401000 %s' % (
            ns // NS, ns % NS, rnd.randrange(4), p['tgid'] + rnd.choice([0, 0, 0, 7]), p['tgid'],
            0x7f0000000000 + rnd.randrange(1 << 20) * 4096, size, result, esc(comm_at(p, t)))))
lines.sort(key=lambda l: l[0])
with open(out, 'w') as f:
    f.write('# cowtrace 0.3.0\n# cpus=4 entries=4096\n# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM\n')
    for l in lines:
        f.write(l[2] + '\n')

def copied(p, a, b):
    return sum(s for ns, q, s, r in recs if q is p and r == 'copy' and a <= ns < b)

rows = []
for k, p in sorted(procs.items(), key=lambda kp: kp[1]['t0']):
    if not p['parent']:
        continue
    q = procs[p['parent']]
    a = p['t0'] * 10**6
    reused = [o['t0'] for o in procs.values() if o['tgid'] == p['tgid'] and o['t0'] > p['t0']]
    if p['t1'] is not None:
        b, lived = p['t1'] * 10**6, '%d.%09d' % divmod(p['t1'] * 10**6 - a, NS)
    elif reused:
        b, lived = min(reused) * 10**6, '<=%d.%09d' % divmod(min(reused) * 10**6 - a, NS)
    else:
        b, lived = 1 << 62, 'running'
    last = [r for r in recs if r[1] is p and r[0] < b]
    cc = esc(comm_at(p, max(r[0] for r in last) // 10**6)) if last else esc(comm_at(q, p['t0']))
    pb, cb = copied(q, a, b), copied(p, a, b)
    rows.append('%d %d %s %s %d %d %d' % (q['tgid'], p['tgid'], cc, lived, pb, cb, pb + cb))
with open(want, 'w') as f:
    f.write('\n'.join(rows) + '\n')
tot = {}
for ns, p, s, r in recs:
    if r == 'copy':
        key = (p['tgid'], id(p))
        tot.setdefault(key, [0, p])[0] += s
top = sorted(tot.values(), key=lambda v: -v[0])[:2]
with open(top2, 'w') as f:
    for b, p in top:
        f.write('%s %d %d\n' % (esc(comm_at(p, END)), p['tgid'], b))
