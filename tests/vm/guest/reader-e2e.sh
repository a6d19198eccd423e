# SPDX-License-Identifier: GPL-2.0
# The reader (user/cowtrace) against the live module; sourced by e2e.sh.
plan 34

# canon FILE: the records of a text file (/proc/cowtrace, or cowtrace's
# text output) with fields in the JSON key order, mapped by the file's
# column line; stops at an -s table. Fails on a record before any column line.
canon() {
	awk '
	/^# TIMESTAMP / { for (i = 2; i <= NF; i++) col[$i] = i - 1; next }
	/^#/ { next }
	$1 == "TGID" && $2 == "COMM" { exit }
	!("TIMESTAMP" in col) { print "# record before a column line: " $0; bad = 1; exit }
	{
		print $col["TIMESTAMP"], $col["CPU"], $col["PID"], $col["TGID"], $col["ADDRESS"], \
			$col["SIZE"], $col["KIND"], $col["MAP"], $col["RESULT"], $col["IP"], $col["COMM"]
	}
	END { exit bad }' "$1"
}

# json_keys FILE: every line one object with the 11 keys in order
json_keys() {
	test -s "$1" && ! grep -vE '^\{"ts":"[0-9]+\.[0-9]{9}","cpu":[0-9]+,"pid":[0-9]+,"tgid":[0-9]+,"addr":"0x[0-9a-f]+","size":[0-9]+,"kind":"[a-z]+","map":"[a-z]+","result":"[a-z]+","ip":"0x[0-9a-f]+","comm":".*"\}$' "$1"
}

# sumcol FILE TGID NAME: column NAME of TGID's row of the -s table in FILE
sumcol() {
	awk -v tgid="$2" -v name="$3" '
	$1 == "TGID" && $2 == "COMM" { for (i = 1; i <= NF; i++) col[$i] = i; t = 1; next }
	t && $1 == tgid { print $col[name]; exit }' "$1"
}

# -n: follows, ends after exactly five records
reload filter=cow
timeout 30 cowtrace -n 5 >n5.txt 2>n5.err &
r=$!
usleep 500000
cow >/dev/null
wait $r
rc=$?
check "reader -n 5 follows live records and ends after exactly five" \
	test "$rc" = 0 -a "$(grep -cv '^#' n5.txt)" = 5
check "reader text output starts with the module's column line" \
	sh -c "head -1 n5.txt | grep -q '^# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM$'"
grep -v '^#' n5.txt | head -1 | sed 's/^/# /'

# JSON and CSV of a live buffer: the same records as the text, field by
# field (11 fields; under filter=cow every comm is "cow", no escapes)
cow >/dev/null
cat /proc/cowtrace >live.txt
cowtrace --no-follow -o json >live.json 2>live.err
check "reader -o json --no-follow exits 0" test $? = 0
cowtrace --no-follow -o csv >live.csv 2>>live.err
check "reader -o csv --no-follow exits 0" test $? = 0
canon live.txt >want.txt
check "the live file's records map by its column line" test $? = 0
check "JSON: every line has the 11 keys in order" json_keys live.json
sed -e 's/^{//' -e 's/}$//' -e 's/"[a-z]*"://g' -e 's/"//g' -e 's/,/ /g' live.json >got-json.txt
check "JSON: one object per record, every field intact" cmp -s want.txt got-json.txt
[ -s want.txt ] || fail "JSON/CSV comparison had records to compare"
tail -n +2 live.csv | tr -d '\r' | tr , ' ' >got-csv.txt
check "CSV: a header row, then one row per record, every field intact" cmp -s want.txt got-csv.txt
check "CSV header row names the fields" \
	sh -c 'head -1 live.csv | tr -d "\r" | grep -q "^ts,cpu,pid,tgid,addr,size,kind,map,result,ip,comm$"'
first=$(awk '$5 == "0x100000000000" { print $6, $9; exit }' want.txt)
check "the first cow page's record has SIZE 4096 and RESULT copy ($first)" test "$first" = "4096 copy"

# --metrics of the same buffer: the copy counter is the text's copy records
cowtrace --no-follow --metrics /tmp/cowtrace.prom >/dev/null 2>m.err
check "reader --metrics --no-follow exits 0" test $? = 0
ncopy=$(awk '$9 == "copy" && $11 == "cow"' want.txt | wc -l)
check "metrics: cowtrace_records_total{comm=\"cow\",result=\"copy\"} is $ncopy" \
	grep -qx "cowtrace_records_total{comm=\"cow\",result=\"copy\"} $ncopy" /tmp/cowtrace.prom
check "metrics: the missed counter is there" grep -q '^cowtrace_missed_records_total [0-9]' /tmp/cowtrace.prom
check "metrics: the lost counter is there" grep -q '^cowtrace_lost_records_total [0-9]' /tmp/cowtrace.prom

# -p and -c filters, each with a positive control
spid=$(awk '$5 == "0x100000000000" { print $4; exit }' want.txt)
cowtrace --no-follow -p "$spid" >p.txt
np=$(canon p.txt | wc -l)
nother=$(canon p.txt | awk -v t="$spid" '$4 != t' | wc -l)
check "reader -p TGID shows only that process ($np records)" \
	test -n "$spid" -a "$np" -gt 0 -a "$nother" = 0
cowtrace --no-follow -c cow >c1.txt
check "reader -c cow (positive control) shows the records of cow" \
	test "$(grep -cv '^#' c1.txt)" -gt 0
cowtrace --no-follow -c nosuchcomm >c.txt
rc=$?
check "reader -c nosuchcomm exits 0 and shows none of them" test "$rc" = 0 -a "$(grep -cv '^#' c.txt)" = 0

# The binary file, which the reader reads by default, against the text
# file given with --file: the same held records (nothing runs cow now),
# the same output
check "/proc/cowtrace_raw is there, mode 0400" \
	test "$(stat -c %a /proc/cowtrace_raw 2>&1)" = 400
cowtrace --no-follow -o json >raw.json 2>raw.err
rc=$?
cowtrace --no-follow -o json --file /proc/cowtrace >text.json 2>text.err
rc2=$?
check "reader -o json via /proc/cowtrace_raw and via --file /proc/cowtrace: both exit 0, nothing on stderr" \
	sh -c "test $rc = 0 -a $rc2 = 0 && ! test -s raw.err && ! test -s text.err"
check "JSON via the binary file is the JSON via the text file ($(wc -l <raw.json) records)" \
	sh -c 'test -s raw.json && cmp -s raw.json text.json'
cowtrace --no-follow --file /proc/cowtrace_raw -o json >raw2.json 2>&1
check "--file /proc/cowtrace_raw is read as binary: the same JSON" cmp -s raw.json raw2.json
cowtrace --no-follow -s >raw.txt 2>&1
cowtrace --no-follow -s --file /proc/cowtrace >text.txt 2>&1
# the module's line format, written by the reader for a binary record
nrec=$(canon raw.txt | wc -l)
check "text and -s via the binary file: byte for byte as via the text file ($nrec records)" \
	sh -c "test $nrec -gt 0 && grep -q '^TGID ' raw.txt && cmp -s raw.txt text.txt"
# missed, made non-zero: 200 writers wait in hugetlb_fault at once (hugepark:
# a missing hugetlb page whose userfaultfd handler answers once all are
# there), more than the kretprobe's instances (maxactive: max(64, 16 x
# possible CPUs), 64 in these VMs); the probe counts each writer it had no
# instance for as missed. The filter must pass them: a filtered-out fault
# gives its instance back. (Writers waiting for userfaultfd-wp in
# do_wp_page hold none: the module counts them at entry, see holes.sh.)
echo hugepark >$P/filter
urc=77
huge_pages 1 && { hugepark 200 >ut.out 2>&1; urc=$?; }
huge_pages 0
echo cow >$P/filter
hmissed=$(sed -n 's/^#.* missed=\([0-9]*\).*/\1/p' /proc/cowtrace | head -1)
cowtrace --no-follow --metrics /tmp/raw.prom >/dev/null 2>&1
if [ $urc = 77 ]; then
	skipped missed-control "the kernel has no hugetlb page or userfaultfd on hugetlb ($(cat ut.out 2>/dev/null))"
	check "metrics via the binary file: missed is the header's ($hmissed)" \
		grep -qx "cowtrace_missed_records_total $hmissed" /tmp/raw.prom
else
	section missed-control
	check "metrics via the binary file: missed is the header's, which 200 writers waiting at once made non-zero ($hmissed, $(cat ut.out))" \
		sh -c "test $urc = 0 && test '${hmissed:-0}' -gt 0 && grep -qx 'cowtrace_missed_records_total $hmissed' /tmp/raw.prom"
fi
# positive control: the comparison sees records that are not in both
# (last here: the checks above compare with want.txt, this buffer's records)
cow >/dev/null
cowtrace --no-follow -o json >raw3.json 2>/dev/null
n0=$(wc -l <text.json)
check "control: after another cow run the binary file has more records ($n0 -> $(wc -l <raw3.json)), the first $n0 as before" \
	sh -c "test $(wc -l <raw3.json) -gt $n0 && ! cmp -s raw3.json text.json && head -n $n0 raw3.json | cmp -s - text.json"

# -s of a live run: the writer's row counts its copy records and the bytes
# copied. The writer also takes CoW faults outside the 100 pages (its stack,
# libc data after fork), so its row is compared with its records in the
# reader's own text output, and the 100 pages are checked there.
reload filter=cow
cowtrace -s >s.txt 2>s.err &
r=$!
usleep 500000
cow >s-cow.out
usleep 500000
kill -INT $r
wait $r
rc=$?
check "reader -s ends with status 0 on SIGINT" test "$rc" = 0
wpid=$(writer_pid s-cow.out)
canon s.txt >s-recs.txt
pages=$(awk -v t="$wpid" '$4 == t && $9 == "copy" && $6 == 4096 && $5 ~ /^0x1000000[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]$/' s-recs.txt | wc -l)
check "the writer has 100 copy records of 4096 bytes on its pages (409600 bytes)" test "$pages" = 100
tcopy=$(awk -v t="$wpid" '$4 == t && $9 == "copy" { n++ } END { print n + 0 }' s-recs.txt)
tbytes=$(awk -v t="$wpid" '$4 == t && $9 == "copy" { b += $6 } END { printf "%d\n", b }' s-recs.txt)
copy=$(sumcol s.txt "$wpid" COPY)
bytes=$(sumcol s.txt "$wpid" BYTES_COPIED)
note "-s row of the writer $wpid: COPY=$copy BYTES_COPIED=$bytes; its copy records: $tcopy, $tbytes bytes"
check "-s: the writer's COPY is its copy records (at least the 100 pages)" \
	test -n "$copy" -a "$copy" = "$tcopy" -a "${copy:-0}" -ge 100
check "-s: the writer's BYTES_COPIED is their SIZE summed (at least 409600)" \
	test -n "$bytes" -a "$bytes" = "$tbytes" -a "${bytes:-0}" -ge 409600
check "-s: the table ends with the records and lost line" \
	grep -q '^[0-9][0-9]* records, [0-9][0-9]* lost$' s.txt

# the module goes away while following: status 2 and a message
cowtrace >/dev/null 2>gone.err &
r=$!
usleep 500000
rmmod cowtrace
wait $r
rc=$?
check "reader exits 2 when the module goes away while following" test "$rc" = 2
check "and says the module went away" grep -qi 'unload\|went away\|gone\|removed' gone.err
cowtrace --no-follow >/dev/null 2>nomod.err
rc=$?
check "reader without the module: status 1" test "$rc" = 1
check "reader without the module says to load it" grep -qi 'insmod\|modprobe\|load' nomod.err
load filter=cow
runas 65534 65534 cowtrace --no-follow >/dev/null 2>perm.err
rc=$?
check "reader as non-root: status 1, says to run as root" \
	sh -c "test $rc = 1 && grep -qi root perm.err"
unload
