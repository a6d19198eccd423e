# SPDX-License-Identifier: GPL-2.0
# make check-kunit, inside the debug kernel: the KUnit suite, then the
# end-to-end scenarios, then a kmemleak scan. The host judges the log.
. /lib.sh
cd /tmp
[ -e /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
# The kmemleak check at the end; the KUnit part plans its own (e2e.sh too).
plan 1

if insmod /bin/cowtrace_kunit.ko; then
	r=/sys/kernel/debug/kunit/cowtrace/results
	if [ -r $r ]; then
		# The suite's own KTAP plan ("    1..N": N cases) but its skipped
		# cases, and two checks
		cases=$(sed -n 's/^    1\.\.\([0-9]*\)$/\1/p' $r | head -1)
		skips=$(grep -cE '^    ok [0-9]+ .* # SKIP' $r)
		plan $((${cases:-0} - skips + 2))
		sed 's/^/# ktap: /' $r
		# One line per case (4-space indent in KTAP), e.g. "    ok 3 name";
		# a skipped case ("ok 3 name # SKIP why") is a note, not a pass
		awk '/^    (not )?ok [0-9]+ / {
			ok = ($1 == "ok"); sub(/^    (not )?ok [0-9]+ /, "")
			if (ok && / # SKIP/) { print "# note: kunit " $0 " (skipped, not passed)"; next }
			print (ok ? "ok" : "not ok") " - kunit " $0 }' $r
		check "KUnit suite cowtrace passed as a whole" grep -q '^ok [0-9]* cowtrace' $r
		check "KUnit: at least 25 cases ran" \
			test "$(grep -cE '^    (not )?ok [0-9]+ ' $r)" -ge 25
	else
		plan 1
		fail "KUnit results in debugfs"
	fi
	rmmod cowtrace_kunit
else
	plan 1
	fail "insmod cowtrace_kunit.ko"
fi

. /bin/e2e.sh

K=/sys/kernel/debug/kmemleak
if [ -e $K ]; then
	# kmemleak reports only objects older than 5 s (MSECS_MIN_AGE): wait
	# past the last unload; an object is reported once its contents were
	# the same in two scans. Its positive control: tests/kunit/warn/leak.c.
	plan 2
	sleep 6
	check "kmemleak: scan" sh -c "echo scan >$K"
	check "kmemleak: second scan" sh -c "echo scan >$K"
	cat $K >leaks.txt
	check "kmemleak: no leak after the modules were unloaded" test ! -s leaks.txt
	head -40 leaks.txt | sed 's/^/#   /'
else
	fail "kmemleak is there"
fi
# Lockdep (and PROVE_RCU) report nothing once off: a DEBUG_LOCKS_WARN_ON
# or an earlier report turns it off, so it must still be on at the end
if [ -r /proc/lockdep_stats ]; then
	plan 1
	check "lockdep still on at the end ($(grep debug_locks /proc/lockdep_stats | tr -s ' '))" \
		grep -Eq '^ *debug_locks: +1$' /proc/lockdep_stats
fi
