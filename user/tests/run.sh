#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make -C user check: the reader's tests, no VM. One "ok - "/"not ok - "
# line per test, then "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
R=./cowtrace
F=tests/fixtures
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
res() {
	if [ "$1" -eq 0 ]; then echo "ok - $2"; pass=$((pass + 1)); else echo "not ok - $2"; fail=$((fail + 1)); fi
}
# The "ok - " and "not ok - " lines of a program that checks (a unit test,
# python3), shown and counted, each once. One more "not ok" when it exited
# non-zero with none, or printed another number of them than WANT (when
# given): a crash half way is a failure, not fewer passes.
tally() {	# NAME STATUS OUTPUT [WANT]
	local ok nok
	echo "$3" | grep -E '^(ok|not ok|#) '
	ok=$(echo "$3" | grep -c '^ok - ')
	nok=$(echo "$3" | grep -c '^not ok - ')
	pass=$((pass + ok))
	fail=$((fail + nok))
	if { [ "$2" != 0 ] && [ "$nok" = 0 ]; } || [ "${4:-$((ok + nok))}" != $((ok + nok)) ] ||
	   [ $((ok + nok)) = 0 ]; then
		res 1 "$1 exited $2 after $((ok + nok)) of its ${4:-} checks"
	fi
}

# Unit tests of the parser, escaping, formatting and counters (ASan,
# UBSan), -s at scale and the table under chosen keys (timed, no
# sanitizers).
for t in tests/test_parse tests/test_raw tests/test_table tests/test_metrics tests/test_procs tests/bench_summary tests/bench_table; do
	out=$($t)
	tally "$t" $? "$out"
done
# Fork and exit lines, --forks, --svg, -- COMMAND (tests/forks.sh)
out=$(bash tests/forks.sh)
tally "tests/forks.sh" $? "$out"

# The program on fixture files, output compared.
for m in text json csv; do
	$R --no-follow --file $F/basic.txt -o $m >"$T/$m" 2>"$T/$m.err"
	res $? "-o $m --no-follow on a fixture exits 0"
	cmp -s "$T/$m" "$F/basic.$m.want"
	res $? "-o $m output is as expected"
	[ "$(grep -c 'skipping a malformed line' "$T/$m.err")" = 1 ] &&
		grep -q '^cowtrace: 5 malformed lines skipped$' "$T/$m.err"
	res $? "-o $m: the first malformed line is reported, then the count (5)"
done
grep -q '^# lost 3 events on cpu 0$' "$T/json.err" && ! grep -q '^#' "$T/json"
res $? "-o json: lost lines go to stderr"
for f in reorder headerless; do
	$R --no-follow --file $F/$f.txt -o json 2>/dev/null | cmp -s - "$F/basic.json.want"
	res $? "-o json of $f.txt (fields mapped by its column line, or the 0.2 order) is the same"
done
$R --no-follow --file $F/reorder.txt -o text 2>/dev/null | cmp -s - "$F/basic.text.want"
res $? "-o text of reorder.txt: the module's column line and order, formatted (NODE, unknown, not written)"
printf '# TIMESTAMP CPU PID TGID ADDRESS KIND MAP COMM\n1.000000000 0 1 1 0x1 write anon cow\n' >"$T/old"
$R --no-follow --file "$T/old" >"$T/old.out" 2>"$T/old.err"
[ $? = 0 ] && [ ! -s "$T/old.out" ] && grep -q 'column line that lacks' "$T/old.err"
res $? "a 0.1 column line (no SIZE, RESULT, IP) is reported and its records skipped"

# JSON and CSV against the text output, field by field (python's own json
# and csv modules; the text's fields mapped by its column line).
out=$(python3 - "$T/json" "$T/csv" "$T/text" <<'PY'
import csv, json, re, sys
cols, recs = None, []
for line in open(sys.argv[3], 'rb').read().split(b'\n'):
    if line.startswith(b'# TIMESTAMP'):
        cols = line[2:].decode().split()
    elif line and not line.startswith(b'#'):
        recs.append(dict(zip(cols, line.split())))
def comm(b):
    return b'' if b == b'\\000' else re.sub(rb'\\([0-3][0-7][0-7])', lambda m: bytes([int(m.group(1), 8)]), b)
keys = ['ts', 'cpu', 'pid', 'tgid', 'addr', 'size', 'kind', 'map', 'result', 'ip', 'comm']
def want(r, enc):
    v = [r[c].decode() for c in ('TIMESTAMP', 'CPU', 'PID', 'TGID', 'ADDRESS', 'SIZE', 'KIND', 'MAP', 'RESULT', 'IP')]
    return v + [enc(comm(r['COMM']))]
# JSON: bytes that are not UTF-8 come as \u00XX, the byte's Latin-1 reading.
def js_comm(b):
    s = b.decode('utf-8', 'surrogateescape')
    return ''.join(chr(ord(c) - 0xdc00) if 0xdc80 <= ord(c) <= 0xdcff else c for c in s)
js = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
ok = len(recs) == 14 and len(js) == len(recs)
for j, r in zip(js, recs):
    ok &= list(j.keys()) == keys and isinstance(j['size'], int)
    ok &= [str(j[k]) for k in keys] == want(r, js_comm)
print('ok - JSON parses back with every record intact' if ok else 'not ok - JSON parses back with every record intact')
# CSV: comm as COMM is in text, the file printable ASCII only.
rows = list(csv.reader(open(sys.argv[2], newline='', encoding='ascii')))
ok = rows[0] == keys and len(rows) == len(recs) + 1
for row, r in zip(rows[1:], recs):
    ok &= row == want(r, lambda b: r['COMM'].decode())
print('ok - CSV parses back (RFC 4180) with every record intact' if ok else 'not ok - CSV parses back (RFC 4180) with every record intact')
PY
)
tally "JSON and CSV checked by python3" $? "$out" 2
$R --no-follow --file $F/basic.txt -s >"$T/sum" 2>/dev/null
cmp -s "$T/sum" "$F/basic.summary.want"
res $? "-s summary table is as expected"
# The table bounded: its rows and (other) sum to what the whole table has.
totals() {	# OPTIONS: each column of -s summed over the rows, and their number
	$R --no-follow --file $F/basic.txt -o json -s "$@" 2>&1 >/dev/null |
		awk '/^([0-9]+|-) / && !/ records, / { n++; for (i = 3; i <= 9; i++) s[i] += $i }
		     END { print n, s[3], s[4], s[5], s[6], s[7], s[8], s[9] }'
}
all=$(totals)
two=$(totals --max-rows 2)
[ "${all#* }" = "${two#* }" ] && [ "${two%% *}" = 3 ] && [ "${all%% *}" -gt 3 ] &&
	$R --no-follow --file $F/basic.txt -o json -s --max-rows 2 2>&1 >/dev/null | grep -q '^-        (other)  '
res $? "--max-rows 2: two rows and (other), whose sums are the whole table's ($all; $two)"

# The binary format of /proc/cowtrace_raw: basic.raw, the twin of basic.txt
# that tests/mkraw writes through the uapi structs (each malformed line a
# malformed item).
MK=tests/mkraw
S=tests/cowtrace-san	# the reader with ASan and UBSan
$MK $F/basic.txt "$T/basic.raw"
res $? "tests/mkraw writes the binary twin of basic.txt"
# basic.text.want is written out, as the module's printf format and SPEC's
# COMM escape give each record: not made by the code under test.
$S --no-follow --file "$T/basic.raw" >"$T/raw.text" 2>/dev/null
[ $? = 0 ] && cmp -s "$T/raw.text" "$F/basic.text.want"
res $? "-o text of basic.raw is the module's text of its records, byte for byte"
for m in json csv; do
	$S --no-follow --file "$T/basic.raw" -o $m >"$T/raw.$m" 2>"$T/raw.$m.err"
	[ $? = 0 ] && cmp -s "$T/raw.$m" "$F/basic.$m.want"
	res $? "-o $m of basic.raw is the expected output of basic.txt"
	[ "$(grep -c 'skipping a malformed item: type 7 kind 0' "$T/raw.$m.err")" = 1 ] &&
		grep -q '^cowtrace: 5 malformed items skipped$' "$T/raw.$m.err" &&
		grep -q '^# lost 3 events on cpu 0$' "$T/raw.$m.err" && ! grep -q '^==' "$T/raw.$m.err"
	res $? "-o $m of basic.raw: lost items on stderr, malformed items (type, KIND, MAP, RESULT, shift) reported once, then counted"
done
same() {	# OPTIONS: basic.raw and basic.txt give the same output
	$S --no-follow --file "$T/basic.raw" "$@" >"$T/r.out" 2>/dev/null &&
		$R --no-follow --file $F/basic.txt "$@" >"$T/t.out" 2>/dev/null &&
		[ -s "$T/r.out" ] && cmp -s "$T/r.out" "$T/t.out"
	res $? "$*: basic.raw and its text twin basic.txt give the same output"
}
same -o text
same -o json
same -o csv
same -s
same -o csv -s
same -p 204
same -c 'a b\c'
same -n 4
python3 -c '
import os, sys, time
d = open(sys.argv[1], "rb").read()
for i in range(0, len(d), 5):
    os.write(1, d[i:i + 5])
    time.sleep(0.0002)
' "$T/basic.raw" | $S --file /dev/stdin -o json >"$T/rawcut" 2>/dev/null
[ $? = 0 ] && cmp -s "$T/rawcut" $F/basic.json.want
res $? "the header and items cut across reads (5-byte writes) decode as whole"
$MK --record-size 200 $F/basic.txt "$T/r200.raw" &&
	$S --no-follow --file "$T/r200.raw" -o json 2>/dev/null | cmp -s - $F/basic.json.want
res $? "record_size 200: the appended bytes (0xa5) are skipped"
$MK --header-size 4096 $F/basic.txt "$T/h4k.raw" &&
	$S --no-follow --file "$T/h4k.raw" -o json 2>/dev/null | cmp -s - $F/basic.json.want
res $? "header_size 4096 (a header that grew): the rest of it is skipped"
$S --no-follow --file "$T/basic.raw" --metrics "$T/raw.prom" >/dev/null 2>&1 &&
	grep -qx 'cowtrace_missed_records_total 7' "$T/raw.prom" &&
	grep -qx 'cowtrace_lost_records_total 5' "$T/raw.prom"
res $? "--metrics of basic.raw: missed 7 from its header, lost 5"

# Hostile binary files, read by the sanitized reader: a clear message, the
# status, and no sanitizer report.
hostile() {	# NAME STATUS PATTERN FILE
	$S --no-follow --file "$4" -o json >"$T/h.out" 2>"$T/h.err"
	local rc=$?
	[ $rc = "$2" ] && grep -q -- "$3" "$T/h.err" && ! grep -q 'Sanitizer\|runtime error' "$T/h.err"
	res $? "hostile binary file, $1: status $rc, $(grep -v '^#' "$T/h.err" | head -1)"
}
$MK --version 3 $F/basic.txt "$T/v3.raw"
hostile "version 3" 1 'version 3; this reader reads versions 1 to 2' "$T/v3.raw"
$MK --version 0 $F/basic.txt "$T/v0.raw"
hostile "version 0" 1 'version 0;' "$T/v0.raw"
head -c 40 "$T/basic.raw" >"$T/short.raw"
hostile "40 bytes of the header" 1 'ends inside its header (40 of 72 bytes)' "$T/short.raw"
head -c 80 "$T/basic.raw" >"$T/short2.raw"
hostile "taken[] cut" 1 'ends inside its header (80 of 88 bytes)' "$T/short2.raw"
$MK --header-size 16 $F/basic.txt "$T/hs16.raw"
hostile "header_size 16" 1 'header size 16 does not fit 2 CPUs' "$T/hs16.raw"
$MK --header-size 0xffffffff $F/basic.txt "$T/hsbig.raw"
hostile "header_size 4 GiB" 1 'header size 4294967295 does not fit' "$T/hsbig.raw"
$MK --record-size 63 $F/basic.txt "$T/rs63.raw"
hostile "record_size 63" 1 'record size 63 is smaller than a record (64 bytes)' "$T/rs63.raw"
$MK --record-size 0 $F/basic.txt "$T/rs0.raw"
hostile "record_size 0" 1 'record size 0 is smaller' "$T/rs0.raw"
head -c $((88 + 3 * 64 + 10)) "$T/basic.raw" >"$T/trunc.raw"
hostile "a truncated last item" 0 'skipping a truncated item at the end: 10 of 64 bytes' "$T/trunc.raw"
[ "$(wc -l <"$T/h.out")" = 3 ]
res $? "the three records before the truncated item are printed"
{ head -c 88 "$T/basic.raw"; head -c 640000 /dev/urandom; } >"$T/noise.raw"
hostile "10,000 items of random bytes" 0 'malformed items skipped' "$T/noise.raw"
$MK --magic 0x12345678 $F/basic.txt "$T/magic.raw"
hostile "another magic (read as text)" 0 'skipping a malformed line' "$T/magic.raw"
printf 'cow' >"$T/3bytes"
hostile "3 bytes (read as text)" 0 'skipping a malformed line: cow' "$T/3bytes"

# Hostile text and binary files: control sequences in every column, in
# every mode, and a positive control that the records are all there.
out=$(python3 tests/hostile.py $S $MK "$T")
tally "hostile --file input, checked by python3" $? "$out" 21

# Lines cut anywhere by read(): the fixture through a pipe, 5 bytes a write
python3 -c '
import os, sys, time
d = open(sys.argv[1], "rb").read() + b"x" * 18000 + b"\n"
for i in range(0, len(d), 5):
    os.write(1, d[i:i + 5])
    time.sleep(0.0002)
' $F/basic.txt | $R --file /dev/stdin -o json >"$T/cut" 2>"$T/cut.err"
[ $? = 0 ] && cmp -s "$T/cut" $F/basic.json.want && grep -q '^cowtrace: 6 malformed lines skipped$' "$T/cut.err"
res $? "lines cut across reads (5-byte writes) parse as whole, an 18000-byte one is malformed"

# Filters and limits
[ "$($R --no-follow --file $F/basic.txt -p 204 2>/dev/null | grep -vc '^#')" = 3 ]
res $? "-p 204 keeps that TGID's 3 records"
[ "$($R --no-follow --file $F/basic.txt -c 'a b\c' 2>/dev/null | grep -vc '^#')" = 1 ]
res $? "-c matches the decoded comm"
[ "$($R --no-follow --file $F/basic.txt -c "$(printf 'x"}\ny')" 2>/dev/null | grep -vc '^#')" = 1 ]
res $? "-c matches a comm with a newline"
[ "$($R --no-follow --file $F/basic.txt -n 2 2>/dev/null | grep -vc '^#')" = 2 ]
res $? "-n 2 stops after two records"

# Follow mode on a growing file, -t ends it
cp $F/basic.txt "$T/grow"
( sleep 0.5; echo '9.000000000 0 300 300 0x5000 4096 write anon copy 0x1 late' >>"$T/grow" ) &
start=$(date +%s%N)
$R --file "$T/grow" -t 1.5 -c late >"$T/follow" 2>/dev/null
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc = 0 ] && grep -q ' late$' "$T/follow" && [ $ms -ge 1400 ] && [ $ms -lt 4000 ]
res $? "follows a growing file and -t 1.5 ends it (${ms} ms)"
$R --file "$T/grow" -n 1 -c late >/dev/null 2>&1
res $? "-n 1 in follow mode ends on the first match"
# ... and a growing binary file, its new item written in two parts
{ cat $F/basic.txt; echo '9.000000000 0 300 300 0x5000 4096 write anon copy 0x1 late'; } >"$T/grow2.txt"
$MK "$T/grow2.txt" "$T/grow2.raw"
cp "$T/basic.raw" "$T/grow.raw"
( sleep 0.5; tail -c 64 "$T/grow2.raw" | head -c 30 >>"$T/grow.raw"
  sleep 0.5; tail -c 34 "$T/grow2.raw" >>"$T/grow.raw" ) &
$S --file "$T/grow.raw" -t 2 -c late -o json >"$T/follow.raw" 2>"$T/follow.raw.err"
rc=$?
wait
[ $rc = 0 ] && grep -q '"comm":"late"}$' "$T/follow.raw" && [ "$(wc -l <"$T/follow.raw")" = 1 ] &&
	! grep -q 'truncated\|Sanitizer\|runtime error' "$T/follow.raw.err"
res $? "follows a growing binary file; an item written in two parts is read whole"

# Deadlines and signals, on fake streams: a pipe that never pauses (yes),
# one that trickles (a line every 10 ms), and an idle FIFO held open here.
# Each timed case gets up to 3 tries: this machine is shared and a loaded
# scheduler can delay any process; a broken deadline fails all three.
rec=$(sed -n 8p $F/basic.txt)
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
within() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
tries() { local i; for i in 1 2 3; do "$@" && return 0; done; return 1; }
steady() {
	local start=$(date +%s%N)
	yes "$rec" | $R --file /dev/stdin -t 1 >/dev/null 2>&1
	ms=$(ms_since $start)
	within $ms 800 1200
}
tries steady
res $? "-t 1 under a stream that never pauses ends in 1 s +- 0.2 (${ms} ms)"
trickle() {
	local start=$(date +%s%N)
	(while echo "$rec"; do sleep 0.01; done) 2>/dev/null | $R --file /dev/stdin -t 1 >"$T/trickle" 2>&1
	ms=$(ms_since $start)
	within $ms 800 1200 && [ "$(grep -c . "$T/trickle")" -gt 10 ]
}
tries trickle
res $? "-t 1 under a trickling stream ends in 1 s +- 0.2 (${ms} ms, $(grep -c . "$T/trickle") records)"
count5() {
	local start=$(date +%s%N)
	yes "$rec" | $R --file /dev/stdin -n 5 -o json >"$T/n5" 2>&1
	ms=$(ms_since $start)
	[ "$(grep -c '^{' "$T/n5")" = 5 ] && [ "$(wc -l <"$T/n5")" = 5 ] && [ $ms -lt 500 ]
}
tries count5
res $? "-n 5 under a stream that never pauses ends after exactly 5 (${ms} ms)"

mkfifo "$T/fifo"
exec 7<>"$T/fifo"	# a writer that stays: the FIFO is idle, not at its end
idle() {
	echo "$rec" >&7
	local start=$(date +%s%N)
	$R --file "$T/fifo" -t 1 >"$T/idle" 2>&1 7>&-
	ms=$(ms_since $start)
	within $ms 800 1200 && [ "$(grep -c . "$T/idle")" = 1 ]
}
tries idle
res $? "-t 1 on an idle FIFO ends in 1 s +- 0.2 (${ms} ms)"
signalled() {
	local p start rc
	echo "$rec" >&7
	$R --file "$T/fifo" -s >"$T/sig" 2>&1 7>&- &
	p=$!
	sleep 0.5
	start=$(date +%s%N)
	kill -"$1" $p
	wait $p
	rc=$?
	ms=$(ms_since $start)
	[ $rc = 0 ] && [ $ms -lt 200 ] && grep -q '^1 records, 0 lost$' "$T/sig"
}
for sig in INT TERM HUP; do
	tries signalled $sig
	res $? "SIG$sig while idle ends at once (${ms} ms), status 0, -s printed"
done
$R --file "$T/fifo" -t 3000000 >/dev/null 2>"$T/huge" 7>&- &
p=$!
$R --file "$T/fifo" -t 1e300 >/dev/null 2>>"$T/huge" &
p2=$!
sleep 0.5
ok=0
kill -0 $p 2>/dev/null && kill -0 $p2 2>/dev/null || ok=1
n=$(for f in /proc/$p/fd/*; do [ "$(readlink "$f")" = "$T/fifo" ] && basename "$f"; done)
flags=$(awk '/^flags:/ { print $2 }' "/proc/$p/fdinfo/$n" 2>/dev/null)
kill -INT $p $p2
wait $p || ok=1
wait $p2 || ok=1
[ $ok = 0 ] && [ ! -s "$T/huge" ]
res $? "-t 3000000 (35 days) and -t 1e300 are accepted and do not end early"
[ -n "$flags" ] && (( 8#$flags & 8#2000000 ))
res $? "the input is opened O_CLOEXEC (flags $flags)"
exec 7>&-

# A regular file being followed: idle in the 200 ms look-again sleep
following() {
	local p start rc
	$R --file "$T/grow" -s >"$T/int" 2>&1 &
	p=$!
	sleep 0.5
	start=$(date +%s%N)
	kill -INT $p
	wait $p
	rc=$?
	ms=$(ms_since $start)
	[ $rc = 0 ] && [ $ms -lt 200 ] && grep -q 'records, 5 lost' "$T/int"
}
tries following
res $? "SIGINT while following a regular file ends at once (${ms} ms) with the summary"

# --metrics: promtool's verdict, and the counters against the fixture (its
# records as the reader's CSV gives them, comms escaped as in text).
# promtool comes from Debian's prometheus package, extracted rather than
# installed: installing it would start a Prometheus server on the machine.
promtool=$(command -v promtool)
if [ -z "$promtool" ]; then
	pt=${CT_CACHE:-/var/cache/cowtrace}/promtool
	mkdir -p "$pt" 2>/dev/null && [ -w "$pt" ] || pt=$T/promtool
	mkdir -p "$pt"
	if [ ! -x "$pt/usr/bin/promtool" ]; then
		get() { (cd "$pt" && apt-get -o DPkg::Lock::Timeout=900 download prometheus) >/dev/null 2>&1; }
		get || { apt-get -o DPkg::Lock::Timeout=900 update >/dev/null 2>&1 && get; }
		dpkg-deb -x "$pt"/prometheus_*.deb "$pt" 2>/dev/null
		rm -f "$pt"/prometheus_*.deb
	fi
	promtool=$pt/usr/bin/promtool
fi
# Missing, it would fail the checks below with 127, and pass the control.
"$promtool" --version >/dev/null 2>&1
res $? "promtool runs (${promtool:-not found}; from Debian's prometheus package)"
mkdir -p "$T/node-exporter"
M=$T/node-exporter/cowtrace.prom
$R --no-follow --file $F/basic.txt -o csv --metrics "$M" >"$T/m.csv" 2>/dev/null
res $? "--metrics PATH --no-follow exits 0"
for n in 64 3; do
	[ $n = 3 ] && $R --no-follow --file $F/basic.txt -o csv --metrics "$M" --metrics-comms 3 >/dev/null 2>&1
	out=$("$promtool" check metrics <"$M" 2>&1)
	res $? "promtool check metrics accepts the file of hostile comms (--metrics-comms $n)${out:+: $out}"
	out=$(python3 - "$T/m.csv" "$M" $n <<'PY'
import csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='ascii')))
bound = int(sys.argv[3])
want, comms = {}, []
for r in rows:
    # CSV has the comm as COMM is in text: its bytes again
    c = r['comm'].encode()
    c = b'' if c == b'\\000' else re.sub(rb'\\([0-3][0-7][0-7])', lambda m: bytes([int(m.group(1), 8)]), c)
    if c not in comms and len(comms) < bound:
        comms.append(c)
    key = c if c in comms else b'other'
    for m, v in (('records', 1), ('bytes', int(r['size']))):
        k = (m, key, r['result'])
        want[k] = want.get(k, 0) + v
text = open(sys.argv[2], 'rb').read()
text.decode('utf-8')  # every label value is UTF-8
got = {}
for line in text.decode('utf-8').split('\n'):
    m = re.match(r'^cowtrace_(records|bytes)_total\{comm="((?:[^"\\]|\\.)*)",result="([a-z]+)"\} (\d+)$', line)
    if not m:
        continue
    # the text format's escape, then \xHH: the comm's bytes again
    v = re.sub(r'\\(.)', lambda e: {'\\': '\\', '"': '"', 'n': '\n'}[e.group(1)], m.group(2))
    b = re.sub(rb'\\x([0-9a-f]{2})', lambda e: bytes([int(e.group(1), 16)]), v.encode('utf-8'))
    if int(m.group(4)):
        got[(m.group(1), b, m.group(3))] = int(m.group(4))
ok = got == want and len(want) > 10
ok &= b'\ncowtrace_lost_records_total 5\n' in text and b'\ncowtrace_missed_records_total 7\n' in text
labels = len({k[1] for k in got})
print(('ok' if ok else 'not ok') + ' - --metrics-comms %d: the counters equal the fixture\'s records, per comm and RESULT (%d comm labels), lost 5, missed 7' % (bound, labels))
if not ok:
    print('# want', sorted(want.items()), '\n# got ', sorted(got.items()))
PY
)
	tally "--metrics-comms $n: the values checked by python3" $? "$out" 1
done
# Status 1 is its verdict on a file it could not parse (lint problems
# give 3, a promtool that cannot run 126 or 127).
printf '# TYPE cowtrace_records_total counter\ncowtrace_records_total{comm="\377"} 1\n' |
	"$promtool" check metrics >/dev/null 2>"$T/pt.err"
rc=$?
[ $rc = 1 ] && grep -q 'invalid label value' "$T/pt.err"
res $? "promtool (control) rejects a label value that is not UTF-8 (status $rc, 1 wanted)"
[ "$(stat -c %a "$M")" = 644 ] && [ "$(ls "$T/node-exporter")" = cowtrace.prom ]
res $? "the metrics file is mode 0644 and no temporary file is left"
$R --no-follow --file $F/basic.txt --metrics "$T/nosuchdir/x.prom" >/dev/null 2>"$T/merr"
[ $? = 1 ] && grep -q 'cannot write the metrics file.*nosuchdir' "$T/merr"
res $? "an unwritable --metrics path: status 1 at once, and says which"

# --metrics while following: rewritten every interval, missed refreshed
# from a fresh open of the file's header, text or binary.
# follow_metrics FILE COMMAND...: follow FILE, run COMMAND after 0.6 s;
# $a and $b: the copy records of cow and missed, before and after it.
counters() {
	echo "$(sed -n 's/^cowtrace_records_total{comm="cow",result="copy"} //p' "$M")" \
		"$(sed -n 's/^cowtrace_missed_records_total //p' "$M")"
}
follow_metrics() {
	local f=$1 p
	shift
	$R --file "$f" --metrics "$M" --metrics-interval 0.2 >/dev/null 2>&1 &
	p=$!
	sleep 0.6
	a=$(counters)
	"$@"
	sleep 0.8
	b=$(counters)
	kill -TERM $p
	wait $p
}
sed 's/missed=7/missed=7 /' $F/basic.txt >"$T/follow.txt"
grow_text() {
	echo '9.000000000 0 300 300 0x5000 4096 write anon copy 0x1 cow' >>"$T/follow.txt"
	sed -i 's/missed=7 /missed=12/' "$T/follow.txt"
}
follow_metrics "$T/follow.txt" grow_text
[ $? = 0 ] && [ "$a" = "2 7" ] && [ "$b" = "3 12" ]
res $? "while following, the file is rewritten each interval (copy and missed: $a, then $b)"
sed 's/missed=12/missed=7/' "$T/follow.txt" >"$T/follow7.txt"
$MK "$T/follow7.txt" "$T/follow7.raw" && $MK "$T/follow.txt" "$T/follow12.raw"
head -c -64 "$T/follow7.raw" >"$T/follow-r.raw"
follow_metrics "$T/follow-r.raw" dd if="$T/follow12.raw" of="$T/follow-r.raw" conv=notrunc status=none
[ $? = 0 ] && [ "$a" = "2 7" ] && [ "$b" = "3 12" ]
res $? "following a binary file, missed comes from a fresh open's header (copy and missed: $a, then $b)"

# Output errors: a clear message and status 1
$R --no-follow --file $F/basic.txt >/dev/full 2>"$T/full"
rc=$?
[ $rc = 1 ] && grep -q 'No space left on device' "$T/full"
res $? "output to a full device: status $rc and says so"
yes "$rec" | head -100000 >"$T/big"
$R --no-follow --file "$T/big" 2>"$T/pipe.err" | head -1 >/dev/null
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] && [ ! -s "$T/pipe.err" ]
res $? "output to a closed pipe (| head): a quiet end, status $rc"

# Errors and usage
$R --file /nonexistent/x --no-follow >/dev/null 2>"$T/err"
[ $? = 1 ] && grep -q 'nonexistent' "$T/err"
res $? "a missing file: status 1 and a message"
if [ ! -e /proc/cowtrace ]; then
	$R --no-follow >/dev/null 2>"$T/err"
	[ $? = 1 ] && grep -q 'load the module' "$T/err"
	res $? "no /proc/cowtrace: status 1, says to load the module"
fi
for bad in "-p abc" "-p -1" "-p 0" "-n 0" "-n x" "-t 0" "-t -1" "-t nan" "-t 1x" "-o xml" "--metrics-interval 0" "--metrics-comms -1" "--metrics-comms 100001" "--metrics-comms x" "--max-rows 0" "--max-rows 16777217" "--max-rows x" "-c 0123456789abcdef" "--bogus" "extra"; do
	# shellcheck disable=SC2086
	$R $bad --no-follow --file $F/basic.txt >/dev/null 2>"$T/err"
	[ $? = 1 ] && [ -s "$T/err" ]
	res $? "usage error '$bad': status 1 and a message"
done
$R -h | grep -q -- '--no-follow'
res $? "-h prints the usage"
[ "$($R --version)" = "cowtrace $(sed -n 's/^#define COWTRACE_VERSION "\(.*\)"/\1/p' ../module/version.h)" ]
res $? "--version prints the module's version"

# The libFuzzer target, bounded (make fuzz runs it longer)
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
	out=$(bash fuzz/run.sh "${FUZZ_SECONDS:-30}" 2>&1)
	rc=$?
	echo "$out" | grep -E '^#' | tail -3
	res $rc "libFuzzer (ASan, UBSan) on the line parser and the binary decoder for ${FUZZ_SECONDS:-30} s"
fi

# ---- The attribution (-a, --by, -o folded, -w; issue 18) ----
out=$(tests/test_attr)
tally tests/test_attr $? "$out"
out=$(bash tests/attr/run.sh)
tally tests/attr/run.sh $? "$out"
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
	out=$(bash fuzz/run_symbols.sh "${FUZZ_SECONDS_SYMBOLS:-10}" 2>&1)
	rc=$?
	echo "$out" | grep -E '^#' | tail -3
	res $rc "libFuzzer (ASan, UBSan) on the symbolizer, hostile ELF files, for ${FUZZ_SECONDS_SYMBOLS:-10} s"
fi
# ---- end of the attribution ----

echo "$pass passed, $fail failed"
[ $fail = 0 ]
