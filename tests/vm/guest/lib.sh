# SPDX-License-Identifier: GPL-2.0
# Guest-side helpers for the cowtrace end-to-end tests (busybox sh).

P=/sys/module/cowtrace/parameters
BASE=0x100000000000
KO=/bin/cowtrace.ko

pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; }
# check NAME COMMAND...: pass if the command succeeds
check() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}
note() { echo "# $*"; }
# section NAME: an optional section (one a kernel may lack what it needs
# for) ran; the host requires each to have run on some kernel (vm/run.sh)
section() { echo "section $1 ran"; }
# skipped NAME WHY: an optional section did not run, and why
skipped() { note "note: $1 skipped because $2"; }
# mark NAME: a line in the kernel log, which is never cleared: what a step
# logged is what follows its mark (since NAME: the log after the last mark)
mark() { echo "cowtrace-mark $1" >/dev/kmsg; }
since() {
	dmesg | awk -v m="cowtrace-mark $1" '{ l = $0; sub(/^\[[^]]*\] /, "", l) }
		l == m { n = 0; next } { buf[++n] = $0 }
		END { for (i = 1; i <= n; i++) print buf[i] }'
}
# logged NAME PATTERN: the kernel logged PATTERN (grep) after mark NAME
logged() { since "$1" | grep -q "$2"; }
# huge_pages N: reserve N hugetlb pages (0 gives them back); false if the
# kernel has no hugetlbfs or could not find N free 2 MiB blocks
huge_pages() {
	[ -e /proc/sys/vm/nr_hugepages ] && echo "$1" >/proc/sys/vm/nr_hugepages &&
		[ "$(cat /proc/sys/vm/nr_hugepages)" -ge "$1" ]
}
# plan N: this script (or sourced part) runs N checks; the host adds up the
# plan lines and fails the run unless exactly that many ok/not ok lines came.
plan() { echo "plan $1"; }
# await SECONDS COMMAND...: a handshake; retry every 50 ms until it succeeds
await() {
	_t=$(($1 * 20))
	shift
	until "$@"; do
		_t=$((_t - 1))
		[ $_t -gt 0 ] || return 1
		usleep 50000
	done
}
# holds_proc PID: the process has /proc/cowtrace open
holds_proc() { ls -l /proc/$1/fd 2>/dev/null | grep -q ' /proc/cowtrace$'; }

load() { insmod $KO "$@"; }
unload() { rmmod cowtrace 2>/dev/null; true; }
reload() { unload; load "$@"; }

# records FILE: the record lines only
records() { grep -v '^#' "$1"; }
# items FILE: what a ring holds, records and process events (fork, exit)
items() { awk '!/^#/ || /^# (fork|exit) /' "$1"; }
# columns FILE: the header's last line, before any record or event line
columns() { awk '!/^#/ || /^# (fork|exit|lost) / { exit } { h = $0 } END { print h }' "$1"; }

# kver_ge MAJOR MINOR: the running kernel is at least MAJOR.MINOR
kver_ge() {
	set -- "$1" "$2" "$(uname -r | cut -d. -f1)" "$(uname -r | cut -d. -f2)"
	[ "$3" -gt "$1" ] || { [ "$3" -eq "$1" ] && [ "$4" -ge "$2" ]; }
}

# parent_pid OUTFILE: pid printed by cow's "parent pid=P"
parent_pid() { sed -n 's/^parent pid=\([0-9]*\)$/\1/p' "$1" | head -1; }
# writer_pid OUTFILE: pid printed by cow's "writer pid=P tid=T"
writer_pid() { sed -n 's/^writer pid=\([0-9]*\) tid=.*/\1/p' "$1" | head -1; }
writer_tid() { sed -n 's/^writer pid=[0-9]* tid=\([0-9]*\)/\1/p' "$1" | head -1; }

# The columns of a 0.2 record line, by name (the last header line names them).
C_TS=1 C_CPU=2 C_PID=3 C_TGID=4 C_ADDR=5 C_SIZE=6 C_KIND=7 C_MAP=8 C_RESULT=9 C_IP=10 C_COMM=11

# records_of FILE PID: "ADDRESS SIZE KIND MAP RESULT" of each record of
# thread PID in the test range (BASE up to BASE + 4 GiB), in order
records_of() {
	awk -v pid="$2" '!/^#/ && $3 == pid && $5 ~ /^0x10000[0-9a-f]{7}$/ {
		print $5, $6, $7, $8, $9 }' "$1"
}

# pages N STEP SIZE KIND MAP RESULT: the lines records_of prints for N
# pages STEP bytes apart from BASE, each with these fields
pages() {
	i=0
	while [ "$i" -lt "$1" ]; do
		printf '0x%x %s %s %s %s\n' $((BASE + i * $2)) "$3" "$4" "$5" "$6"
		i=$((i + 1))
	done
}

# match FILE PID TGID COMM: the records of thread PID in the test range
# are exactly the lines on stdin, and every record of PID has TGID, COMM,
# 11 fields and a hex IP
match() {
	cat >want.$$
	records_of "$1" "$2" >got.$$
	bad=$(COMM="$4" awk -v pid="$2" -v tgid="$3" '!/^#/ && $3 == pid &&
		($4 != tgid || $11 != ENVIRON["COMM"] || NF != 11 ||
		 $10 !~ /^0x[0-9a-f]+$/) { n++ } END { print n + 0 }' "$1")
	ok=1
	if [ -s want.$$ ] && cmp -s want.$$ got.$$ && [ "$bad" = 0 ]; then
		ok=0
	else
		note "want $(wc -l <want.$$) records, got $(wc -l <got.$$), $bad with bad TGID/COMM/IP"
		diff want.$$ got.$$ | head -12 | sed 's/^/#   /'
	fi
	rm -f want.$$ got.$$
	return $ok
}

# expect NAME FILE PID TGID COMM: check NAME with match, lines on stdin
expect() {
	name=$1
	shift
	if match "$@"; then pass "$name"; else fail "$name"; fi
}

# range_check FILE PID TGID COMM KIND MAP [RESULT]: the original
# experiment's 100 records of 4 KiB, one per page, in order
range_check() {
	pages 100 4096 4096 "$5" "$6" "${7:-copy}" | match "$1" "$2" "$3" "$4"
}

# count_comm FILE COMM: records whose COMM field is COMM
count_comm() { COMM="$2" awk '!/^#/ && $11 == ENVIRON["COMM"] { n++ } END { print n + 0 }' "$1"; }

# header FILE KEY: value of KEY=VALUE in the header lines (first match)
header() { sed -n "s/^# .*\\b$2=\\([^ ]*\\).*/\\1/p" "$1" | head -1; }
