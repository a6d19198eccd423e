# SPDX-License-Identifier: GPL-2.0
# make check-kunit, inside the debug kernel: the KUnit suite, then the
# end-to-end scenarios, then a kmemleak scan. The host judges the log.
. /lib.sh
cd /tmp
[ -e /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak

if insmod /bin/cowtrace_kunit.ko; then
	r=/sys/kernel/debug/kunit/cowtrace/results
	if [ -r $r ]; then
		sed 's/^/# ktap: /' $r
		# One line per case (4-space indent in KTAP), e.g. "    ok 3 name"
		awk '/^    (not )?ok [0-9]+ / {
			ok = ($1 == "ok"); sub(/^    (not )?ok [0-9]+ /, "")
			print (ok ? "ok" : "not ok") " - kunit " $0 }' $r
		check "KUnit suite cowtrace passed as a whole" grep -q '^ok [0-9]* cowtrace' $r
		check "KUnit: at least 25 cases ran" \
			test "$(grep -cE '^    (not )?ok [0-9]+ ' $r)" -ge 25
	else
		fail "KUnit results in debugfs"
	fi
	rmmod cowtrace_kunit
else
	fail "insmod cowtrace_kunit.ko"
fi

. /bin/e2e.sh

if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 2
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >leaks.txt
	check "kmemleak: no leak after the modules were unloaded" test ! -s leaks.txt
	head -40 leaks.txt | sed 's/^/#   /'
else
	fail "kmemleak is there"
fi
