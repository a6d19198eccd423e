#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The reader's process options on fixtures, no VM: fork and exit lines
# through every output, --forks against what the generator computed from
# its scenario, --svg checked by xmllint, rsvg-convert and python's XML
# parser, and -- COMMAND's tree and exit status on a FIFO fed here.
# One "ok - "/"not ok - " line per check; run from user/ (tests/run.sh).
set -u
cd "$(dirname "$0")/.." || exit 1
R=./cowtrace
S=tests/cowtrace-san	# the reader with ASan and UBSan
MK=tests/mkraw
T=$(mktemp -d)
trap 'exec 7>&- 2>/dev/null; rm -rf "$T"' EXIT
res() {
	if [ "$1" -eq 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fi
}

# A tree with a grandchild that renames itself and outlives its parent,
# pid reuse, a lost exit line, an unrelated process; and what --forks
# must print, from the generator's own sums over each child's life.
python3 tests/mkforks.py "$T/f.txt" "$T/want" "$T/top2"
res $? "mkforks.py writes the fixture and its expected rows"
nf=$(grep -c '^# fork ' "$T/f.txt")
ne=$(grep -c '^# exit ' "$T/f.txt")
$MK "$T/f.txt" "$T/f.raw"
for f in f.txt f.raw; do
	$S --no-follow --file "$T/$f" --forks -o csv >/dev/null 2>"$T/rows.$f"
	rc=$?
	awk 'NR > 1 && !/ forks$/ { print $1, $3, $4, $6, $7, $8, $9 }' "$T/rows.$f" >"$T/got.$f"
	[ $rc = 0 ] && [ -s "$T/want" ] && cmp -s "$T/want" "$T/got.$f" &&
		grep -q "^$(wc -l <"$T/want") forks$" "$T/rows.$f" && ! grep -q 'Sanitizer\|runtime error' "$T/rows.$f"
	res $? "--forks of $f ($(wc -l <"$T/want") forks): each row's parent, child, comm, life and bytes as the generator computed"
	[ $rc = 0 ] || cat "$T/rows.$f"
	cmp -s "$T/want" "$T/got.$f" || diff "$T/want" "$T/got.$f" | sed 's/^/# /'
done
# Positive control: the comparison sees a wrong byte count.
sed '1s/ [0-9]*$/ 1/' "$T/want" | cmp -s - "$T/got.f.txt"
[ $? = 1 ]
res $? "control: a row with another sum is told apart"

# Fork and exit lines through the outputs.
$S --no-follow --file "$T/f.txt" >"$T/text" 2>"$T/text.err"
[ $? = 0 ] && [ "$(grep -c '^# fork ' "$T/text")" = "$nf" ] && [ "$(grep -c '^# exit ' "$T/text")" = "$ne" ] &&
	[ "$(grep -vc '^#' "$T/text")" = "$(grep -vc '^#' "$T/f.txt")" ] && [ ! -s "$T/text.err" ]
res $? "text: the $nf fork and $ne exit lines are passed through with the records"
# Each is written as the module writes it: fields one space apart.
diff <(grep '^# \(fork\|exit\) ' "$T/f.txt") <(grep '^# \(fork\|exit\) ' "$T/text") >/dev/null
res $? "text: fork and exit lines as in the input, in their place"
$R --no-follow --file "$T/f.raw" | cmp -s - "$T/text"
res $? "the binary twin prints the same text"
$S --no-follow --file "$T/f.txt" -o json >"$T/json" 2>/dev/null
out=$(python3 - "$T/json" "$(grep -vc '^#' "$T/f.txt")" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
keys = ['ts', 'cpu', 'pid', 'tgid', 'addr', 'size', 'kind', 'map', 'result', 'ip', 'comm']
ok = all(list(o.keys()) == keys for o in objs) and len(objs) == int(sys.argv[2])
print(('ok' if ok else 'not ok') + ' - json: one object per record (%d), each with the record keys: events are not records' % len(objs))
PY
)
echo "$out"
$R --no-follow --file "$T/f.txt" -o csv | grep -c '^[0-9]' >"$T/ncsv"
[ "$(cat "$T/ncsv")" = "$(grep -vc '^#' "$T/f.txt")" ] && ! $R --no-follow --file "$T/f.txt" -o csv | grep -q 'fork\|exit'
res $? "csv: records only, no events"

# --svg: valid XML, rendered, the two largest processes named in its text.
$S --no-follow --file "$T/f.txt" --svg "$T/x.svg" -o csv >/dev/null 2>"$T/svg.err"
# (stderr: what attribution could not resolve, for processes long gone)
[ $? = 0 ] && [ -s "$T/x.svg" ] && ! grep -q 'Sanitizer\|runtime error\|cannot' "$T/svg.err" &&
	[ ! -e "$T/x.svg.tmp" ]
res $? "--svg PATH writes the file, nothing left aside"
xmllint --noout "$T/x.svg" 2>"$T/xmllint"
res $? "xmllint: the SVG is well-formed XML$(head -c 200 "$T/xmllint")"
printf '<svg><text>a & b</text></svg>' >"$T/bad.svg"
! xmllint --noout "$T/bad.svg" 2>/dev/null
res $? "control: xmllint refuses a bare &"
rsvg-convert -w 1200 -o "$T/x.png" "$T/x.svg" 2>"$T/rsvg" && [ "$(head -c 8 "$T/x.png" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ]
res $? "rsvg-convert renders it to a 1200 px PNG"
out=$(python3 - "$T/x.svg" "$T/top2" <<'PY'
import re, sys
import xml.etree.ElementTree as ET
ns = '{http://www.w3.org/2000/svg}'
root = ET.parse(sys.argv[1]).getroot()
texts = [''.join(t.itertext()) for t in root.iter(ns + 'text')]
styles = list(root.iter(ns + 'style'))
ok = True
for line in open(sys.argv[2]):
    comm, tgid, b = line.split()
    # the label: the comm as the reader writes it in text, decoded where
    # it is valid UTF-8 (these two are ASCII), and its TGID
    name = re.sub(r'\\([0-3][0-7][0-7])', lambda m: chr(int(m.group(1), 8)), comm)
    hit = any(t.startswith('%s (%s)' % (name, tgid)) for t in texts)
    print(('ok' if hit else 'not ok') + ' - svg text names "%s (%s)", one of the two largest' % (name, tgid))
    ok &= hit
print(('ok' if len(styles) == 1 and not root.findall('.//*[@style]') else 'not ok') +
      ' - svg: one <style> block, no style attributes')
want = ['cowtrace: copy-on-write', 'bytes copied (', 'time since the process', '(b) Where', 'all']
print(('ok' if all(any(t.startswith(w) for t in texts) for w in want) else 'not ok') +
      ' - svg: title, axis labels with units, flame graph present as text')
print(('ok' if not any(t.startswith('nobody (9999)') for t in texts) else 'not ok') +
      ' - control: a process that is not there is not found')
PY
)
echo "$out"

# -- COMMAND on a FIFO fed here, held open (follow mode, as /proc).
mkfifo "$T/fifo"
exec 7<>"$T/fifo"
cmdrun() {	# WANT COMMAND...: status of cowtrace -- COMMAND
	local want=$1 rc
	shift
	timeout 20 $S --file "$T/fifo" -- "$@" >"$T/cmd.out" 2>"$T/cmd.err" 7>&-
	rc=$?
	[ $rc = "$want" ] && grep -q ' records, 0 lost$' "$T/cmd.out" && ! grep -q 'Sanitizer\|runtime error' "$T/cmd.err"
	res $? "-- $* exits $rc ($want wanted), -s printed by default"
}
cmdrun 0 true
cmdrun 3 sh -c 'exit 3'
cmdrun 137 sh -c 'kill -9 $$'
timeout 20 $R --file "$T/fifo" -- /nonexistent/cmd >/dev/null 2>"$T/cmd.err" 7>&-
[ $? = 127 ] && grep -q 'cannot run /nonexistent/cmd' "$T/cmd.err"
res $? "-- a command that cannot run: status 127 and says so"
$R --file "$T/fifo" --no-follow -- true >/dev/null 2>&1 7>&-
[ $? = 1 ]
res $? "--no-follow with -- COMMAND is a usage error"

# The tree: the command's records, its child's (a fork line of it), its
# grandchild's; not those of a process outside it, nor a child's after
# its exit (the pid may be reused).
timeout 20 $S --file "$T/fifo" -o text -- sh -c 'echo $$ >'"$T/pid"'; sleep 1.5' >"$T/tree" 2>"$T/tree.err" 7>&- &
p=$!
for i in $(seq 50); do [ -s "$T/pid" ] && break; sleep 0.1; done
c=$(cat "$T/pid")
r() { echo "1.$1 0 $2 $2 0x1000 4096 write anon copy 0x1 $3"; }
{
	r 000000001 $c cmd
	r 000000002 77777 outside
	echo "# fork 1.000000003 0 $c $c 77778 cmd"
	r 000000004 77778 child
	echo "# fork 1.000000005 0 77778 77778 77779 child"
	r 000000006 77779 grandchild
	echo "# exit 1.000000007 0 77778 child"
	r 000000008 77778 reused
	echo "# fork 1.000000009 0 77777 77777 77780 outside"
	r 000000010 77780 outsidechild
} >&7
wait $p
rc=$?
got=$(grep -v '^#' "$T/tree" | awk '{ print $NF }' | tr '\n' ' ')
[ $rc = 0 ] && [ "$got" = "cmd child grandchild " ] &&
	[ "$(grep -c '^# fork ' "$T/tree")" = 2 ] && [ "$(grep -c '^# exit ' "$T/tree")" = 1 ]
res $? "-- COMMAND follows its tree through fork lines, at any depth, and nothing else (got: $got)"

# -a -- COMMAND without -o: the tables only, no record line (nor a bare
# SYMBOL OBJECT REGION tail); with -o text, the records (positive control).
for o in "" "-o text"; do
	rm -f "$T/pid2"
	timeout 20 $S --file "$T/fifo" -a $o -- sh -c 'echo $$ >'"$T/pid2"'; sleep 1' >"$T/a$o" 2>/dev/null 7>&- &
	p=$!
	for i in $(seq 50); do [ -s "$T/pid2" ] && break; sleep 0.1; done
	r 000000011 "$(cat "$T/pid2")" cmd >&7
	wait $p
done
[ "$(grep -vc '^#\|^TGID\|^[0-9]* records\|^[0-9]* *cmd ' "$T/a")" = 0 ] &&
	[ "$(grep -c ' cmd - - -$' "$T/a-o text")" = 1 ]
res $? "-a -- COMMAND prints the tables only; with -o text, the annotated record"

# A SIGTERM to the reader alone goes on to the command; it ends, then the
# reader, with the command's status.
timeout 20 $S --file "$T/fifo" -- sleep 30 >"$T/term" 2>&1 7>&- &
p=$!
sleep 0.5
start=$(date +%s%N)
kill -TERM $p
wait $p
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc = 143 ] && [ $ms -lt 2000 ] && grep -q ' records, 0 lost$' "$T/term"
res $? "SIGTERM to the reader reaches the command: status $rc (143 wanted), in $ms ms, -s printed"
exec 7>&-
