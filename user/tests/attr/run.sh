#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The reader's attribution (-a, --by, -o folded, -w; issue 18), no module:
# a PIE (prog.c) and a shared library of its own (lib.c) write from known
# functions into [heap], [stack], a named anonymous region, the library's
# .data and a private file mapping, and fork a child that writes too; they
# print what each write's record would hold and what it must resolve to,
# check.py makes /proc/cowtrace lines of them, and the reader (with ASan
# and UBSan) resolves them while the processes live, then from its own -w
# recording after they exited, and with a library replaced since. A
# stripped copy resolves through its debug file, found by build-id under
# CT_DEBUGINFO_PATH; hostile ELF files mapped by the program leave the
# reader alive and the record unresolved, counted.
set -u
cd "$(dirname "$0")/../.." || exit 1
S=./tests/cowtrace-san
C="python3 tests/attr/check.py"
T=$(mktemp -d)
pids=
trap 'kill $pids 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export ASAN_OPTIONS=detect_leaks=1
ok() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }

make -s cowtrace tests/cowtrace-san >&2 || { echo "not ok - build the reader"; exit 1; }
CC=${CC:-cc}
$CC -O1 -g -fPIC -shared -o "$T/libctattr.so" tests/attr/lib.c &&
	$CC -O1 -g -fPIE -pie -o "$T/prog" tests/attr/prog.c -L"$T" -lctattr -Wl,-rpath,"$T" &&
	mkdir -p "$T/dbg" "$T/hostile" && cp "$T/prog" "$T/prog-stripped" &&
	objcopy --only-keep-debug "$T/prog" "$T/prog.debug" &&
	strip --strip-all "$T/prog-stripped" &&
	python3 tests/attr/mkhostile.py "$T/libctattr.so" "$T/hostile"
ok $? "build the test program, its library, a stripped copy, hostile ELF files"
# The debug file where libdwfl looks for it by build-id: DIR/.build-id/xx/rest.debug
bid=$(readelf -n "$T/prog" | sed -n 's/.*Build ID: *//p')
mkdir -p "$T/dbg/.build-id/${bid:0:2}" && cp "$T/prog.debug" "$T/dbg/.build-id/${bid:0:2}/${bid:2}.debug"
echo data >"$T/data"

start() {	# PROG OUT ARGS...: run it until READY; its pids in $pids
	local p=$1 o=$2 i
	shift 2
	"$p" "$@" >"$o" &
	pids="$pids $!"
	for i in $(seq 100); do
		grep -q '^READY' "$o" && break
		sleep 0.05
	done
	pids="$pids $(sed -n 's/^CHILD //p' "$o")"
	grep -q '^READY' "$o"
}

start "$T/prog" "$T/out" "$T/data" "$T/hostile/"*
ok $? "the test program runs, forks, and prints its writes"
grep '^SKIP' "$T/out" | sed 's/^/# /'
$C fixture "$T/out" >"$T/fix.txt"

# Live: every record, --by function and region, folded, the unresolved count
$S --no-follow --file "$T/fix.txt" -a -o json -w "$T/rec.txt" >"$T/live.json" 2>"$T/live.err"
ok $? "-a -o json -w on live processes exits 0 (ASan, UBSan)"
$C records "$T/out" "$T/live.json"
$C unresolved "$T/out" "$T/live.err"
for k in function region; do
	$S --no-follow --file "$T/fix.txt" --by $k >"$T/by.$k" 2>/dev/null
	$C by $k "$T/out" "$T/by.$k"
done
$S --no-follow --file "$T/fix.txt" -o folded >"$T/folded" 2>/dev/null
$C folded "$T/out" "$T/folded"
# A positive control of the folded checker: a line of three frames fails it
sed '1s/;/ /' "$T/folded" >"$T/folded.bad"
$C folded "$T/out" "$T/folded.bad" | grep -c '^not ok' >"$T/n"
[ "$(cat "$T/n")" = 1 ]
ok $? "the folded checker fails a line of three frames (control)"
$S --no-follow --file "$T/fix.txt" -a >"$T/live.text" 2>/dev/null &&
	head -1 "$T/live.text" | grep -q ' COMM SYMBOL OBJECT REGION$' &&
	awk 'NR > 1 && NF != 14 { exit 1 }' "$T/live.text"
ok $? "-a text: the column line names SYMBOL OBJECT REGION, 14 fields a record"
$S --no-follow --file "$T/fix.txt" -a -o csv 2>/dev/null | head -1 | grep -q ',comm,sym,obj,region'
ok $? "-a csv: the header row has sym, obj, region"

# -s is --by process: the same rows (TGID, COMM, a count per RESULT, bytes copied)
rows() { awk '$1 == "TGID" { h = 1; next } h && NF > 3 && $1 != "(total)" { print $1, $2, $3, $4, $5, $6, $7, $8, $9 }' | sort; }
$S --no-follow --file tests/fixtures/basic.txt -s 2>/dev/null | rows >"$T/s.rows"
$S --no-follow --file tests/fixtures/basic.txt --by process 2>/dev/null | rows >"$T/by.rows"
[ -s "$T/s.rows" ] && cmp -s "$T/s.rows" "$T/by.rows"
ok $? "--by process has -s's rows ($(wc -l <"$T/s.rows"))"
$S --no-follow --file tests/fixtures/basic.txt --by kind,map,result -o json 2>&1 >/dev/null |
	awk '$1 == "(total)" { t = $10 } $1 != "(total)" && $1 != "KIND" && NF == 11 { s += $10 } END { exit !(t > 0 && s == t) }'
ok $? "--by kind,map,result: the rows' bytes copied add up to the total line"
for bad in pid comm,comm "" process,; do
	$S --no-follow --file tests/fixtures/basic.txt --by "$bad" >/dev/null 2>"$T/err"
	[ $? = 1 ] && grep -q -- '--by wants' "$T/err"
	ok $? "--by '$bad': status 1 and a message"
done

# Every process gone: the recording resolves as they did
kill $pids 2>/dev/null
wait 2>/dev/null
pids=
gone=1
for p in $(cut -f2 "$T/out" | sort -u | grep -E '^[0-9]+$'); do
	for i in $(seq 100); do
		[ -e /proc/$p ] || break
		sleep 0.05
	done
	[ -e /proc/$p ] && gone=0
done
[ $gone = 1 ]
ok $? "every process of the test program exited"
grep -q '^# map ' "$T/rec.txt"
ok $? "-w wrote '# map' lines"
$S --no-follow --file "$T/rec.txt" -a -o json >"$T/rec.json" 2>"$T/rec.err"
ok $? "--file RECORDING -a after the processes exited exits 0"
CHECK_NAME=recording $C records "$T/out" "$T/rec.json"
CHECK_NAME=recording $C unresolved "$T/out" "$T/rec.err"
$S --no-follow --file "$T/rec.txt" --by function >"$T/rec.by" 2>/dev/null
CHECK_NAME=recording $C by function "$T/out" "$T/rec.by"
# Control: the fixture without the maps, its processes gone, resolves nothing
$S --no-follow --file "$T/fix.txt" -a -o json 2>/dev/null | grep -c '"sym":null' >"$T/n"
[ "$(cat "$T/n")" = "$(grep -c '^W' "$T/out")" ]
ok $? "control: without the recording's maps, no record of exited processes resolves"

# A recording never looks at /proc: a PID there now (this shell) stays unknown
stk=$(sed -n 's/^\([0-9a-f]*\)-.*\[stack\]$/\1/p' /proc/$$/maps)
rec_line="2.000000000 0 $$ $$ 0x$stk 4096 write anon copy 0x$stk bash"
{ cat "$T/rec.txt"; echo "$rec_line"; } >"$T/rec2.txt"
$S --no-follow --file "$T/rec2.txt" -a -o json 2>/dev/null | tail -1 | grep -q '"region":null'
ok $? "a recording's process without '# map' lines is not read from /proc (PID reuse)"
{ sed -n 1,2p "$T/fix.txt"; echo "$rec_line"; } >"$T/live2.txt"
$S --no-follow --file "$T/live2.txt" -a -o json 2>/dev/null | tail -1 | grep -q '"region":"\[stack\]"'
ok $? "control: the same record in a file that is not a recording resolves from /proc"

# The library replaced since: named as such, not misread
cp "$T/libctattr.so" "$T/libctattr.so.orig"
printf 'int attr_replaced = 1;\n' | cat tests/attr/lib.c - >"$T/lib2.c"
$CC -O1 -g -fPIC -shared -o "$T/libctattr.so" "$T/lib2.c"
$S --no-follow --file "$T/rec.txt" -a -o json >"$T/mis.json" 2>"$T/mis.err"
CHECK_NAME=replaced $C records "$T/out" "$T/mis.json" "$T/libctattr.so"
grep -q 'build-id mismatch' "$T/mis.err"
ok $? "the replaced library is counted as a build-id mismatch"

# A stripped PIE: symbols from its debug file, found by build-id
cp "$T/libctattr.so.orig" "$T/libctattr.so"
start "$T/prog-stripped" "$T/sout" "$T/data"
ok $? "the stripped copy runs"
$C fixture "$T/sout" >"$T/sfix.txt"
CT_DEBUGINFO_PATH="$T/dbg" $S --no-follow --file "$T/sfix.txt" -a -o json >"$T/s.json" 2>/dev/null
CHECK_NAME=stripped $C records "$T/sout" "$T/s.json"
# Control: without the debug path, its static functions have no symbol
$S --no-follow --file "$T/sfix.txt" -a -o json 2>/dev/null | grep -c "\"sym\":\"$T/prog-stripped+0x" >"$T/n"
[ "$(cat "$T/n")" -ge 4 ]
ok $? "control: without CT_DEBUGINFO_PATH the stripped copy's functions are OBJECT+0xOFF ($(cat "$T/n"))"
kill $pids 2>/dev/null
wait 2>/dev/null
pids=
exit 0
