# SPDX-License-Identifier: GPL-2.0
# A module that dkms built and installed (from a source tree, make dkms, or
# through the cowtrace-dkms package's hooks, make deb), in the kernel it was
# built for: the original experiment. Columns are found
# by the last header line (# TIMESTAMP CPU PID TGID ADDRESS ...), so that the
# check holds for 0.1 (... KIND MAP COMM) and 0.2 (... SIZE KIND MAP RESULT IP COMM).
. /lib.sh
cd /tmp
plan 5
check "modinfo: the installed module's version is $(cat /bin/want-version)" \
	sh -c "strings $KO | grep -qx version=$(cat /bin/want-version)"
check "insmod the installed cowtrace.ko filter=cow" load filter=cow
cow >cow.out
pid=$(writer_pid cow.out)
cat /proc/cowtrace >orig.txt
note "$(grep '^# TIMESTAMP' orig.txt | tail -1)"

# by_header FILE PID: 100 records of PID in the cow range, one per page, in
# address order, KIND write, MAP anon, COMM cow; SIZE 4096 and RESULT copy
# where the format has those columns.
by_header() {
	awk -v pid="$2" -v n=100 '
	function hex(s,   i, c, v) {
		v = 0; s = tolower(substr(s, 3))
		for (i = 1; i <= length(s); i++) {
			c = index("0123456789abcdef", substr(s, i, 1)) - 1
			v = v * 16 + c
		}
		return v
	}
	/^# TIMESTAMP / { delete col; for (i = 2; i <= NF; i++) col[$i] = i - 1; hdr = 1; next }
	/^#/ { next }
	!hdr { print "# a record before the column header"; bad = 1; next }
	$col["PID"] != pid { next }
	{
		a = hex($col["ADDRESS"])
		if (a < 17592186044416 || a >= 17592186044416 + n * 4096) next
		want = 17592186044416 + cnt * 4096
		if (a != want) { printf "# record %d: address %s, want page %d\n", cnt, $col["ADDRESS"], cnt; bad = 1 }
		if ($col["TGID"] != pid || $col["KIND"] != "write" || $col["MAP"] != "anon" ||
		    $col["COMM"] != "cow" || ("SIZE" in col && $col["SIZE"] != 4096) ||
		    ("RESULT" in col && $col["RESULT"] != "copy")) {
			printf "# record %d: bad fields: %s\n", cnt, $0; bad = 1
		}
		cnt++
	}
	END {
		if (!hdr) { print "# no # TIMESTAMP header line"; bad = 1 }
		if (!("ADDRESS" in col) || !("PID" in col) || !("COMM" in col)) { print "# header lacks ADDRESS, PID or COMM"; bad = 1 }
		if (cnt != n) { printf "# %d records in range for pid %s, want %d\n", cnt, pid, n; bad = 1 }
		exit bad
	}' "$1"
}
check "installed module: the original experiment's 100 records, in order" by_header orig.txt "$pid"
# Positive control: the same check must fail for a pid that wrote nothing.
other_pid() { ! by_header orig.txt 1 >/dev/null; }
check "control: the same check fails for a pid that wrote nothing" other_pid
check "rmmod" rmmod cowtrace
