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

# writer_pid OUTFILE: pid printed by cow's "writer pid=P tid=T"
writer_pid() { sed -n 's/^writer pid=\([0-9]*\) tid=.*/\1/p' "$1" | head -1; }
writer_tid() { sed -n 's/^writer pid=[0-9]* tid=\([0-9]*\)/\1/p' "$1" | head -1; }

# range_check FILE PID TGID COMM KIND MAP [N]: exactly N (100) records of
# PID in the cow range, in address order, one per page, with these fields.
range_check() {
	COMM="$4" awk -v pid="$2" -v tgid="$3" -v kind="$5" -v map="$6" \
	    -v n="${7:-100}" '
	function hex(s,   i, c, v) {
		v = 0; s = tolower(substr(s, 3))
		for (i = 1; i <= length(s); i++) {
			c = index("0123456789abcdef", substr(s, i, 1)) - 1
			v = v * 16 + c
		}
		return v
	}
	/^#/ { next }
	$3 != pid { next }
	{
		a = hex($5)
		if (a < 17592186044416 || a >= 17592186044416 + n * 4096) next
		want = 17592186044416 + cnt * 4096
		if (a != want) { printf "# record %d: address %s, want page %d\n", cnt, $5, cnt; bad = 1 }
		if ($4 != tgid || $6 != kind || $7 != map || $8 != ENVIRON["COMM"]) {
			printf "# record %d: bad fields: %s\n", cnt, $0; bad = 1
		}
		cnt++
	}
	END {
		if (cnt != n) { printf "# %d records in range for pid %s, want %d\n", cnt, pid, n; bad = 1 }
		exit bad
	}' "$1"
}

# count_comm FILE COMM: records whose COMM field is COMM
count_comm() { COMM="$2" awk '!/^#/ && $8 == ENVIRON["COMM"] { n++ } END { print n + 0 }' "$1"; }

# header FILE KEY: value of KEY=VALUE in the header lines (first match)
header() { sed -n "s/^# .*\\b$2=\\([^ ]*\\).*/\\1/p" "$1" | head -1; }
