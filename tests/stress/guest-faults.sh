# SPDX-License-Identifier: GPL-2.0
# make stress on the KCSAN kernel (fault injection), sourced by guest.sh:
# every allocation of insmod, open(), read() and the parameter writes is
# made to fail in turn (failnth: /proc/thread-self/fail-nth, the test task
# only). Each failure must give a clean error, the module must go on
# working, and nothing may leak. Needs /lib.sh, failnth, cow.
. /lib.sh
cd /tmp
plan 12
D=/sys/kernel/debug
check "fault injection: failslab and fail_page_alloc in debugfs" \
	test -d $D/failslab -a -d $D/fail_page_alloc

unload
[ -e $D/kmemleak ] && echo clear >$D/kmemleak
for a in failslab fail_page_alloc; do
	[ -d $D/$a ] || continue
	echo 0 >$D/$a/probability	# only fail-nth injects
	echo -1 >$D/$a/times
	echo 0 >$D/$a/verbose		# no stack dumps in the log
	echo N >$D/$a/ignore-gfp-wait
	echo 32 >$D/$a/stacktrace-depth
done
echo N >$D/fail_page_alloc/ignore-gfp-highmem 2>/dev/null
echo 0 >$D/fail_page_alloc/min-order 2>/dev/null
# range START END: count only allocations with a caller in [START, END)
range() {
	for a in failslab fail_page_alloc; do
		echo "$1" >$D/$a/require-start
		echo "$2" >$D/$a/require-end
	done
}
# Code above the kernel's text is module code (only cowtrace is loaded).
etext=$(awk '$3 == "_etext" { print "0x" $1 }' /proc/kallsyms)
note "fault injection: module code is above _etext=$etext"

# inject LABEL PATH CHECK_INJECTED: run failnth, check its counts
fi_counts=""
inject() {
	out=$(failnth "$2" /bin/cowtrace.ko)
	note "$1: $out"
	n=$(echo "$out" | sed -n 's/.* injected=\([0-9]*\).*/\1/p')
	e=$(echo "$out" | sed -n 's/.* enomem=\([0-9]*\).*/\1/p')
	k=$(echo "$out" | sed -n 's/.* ok=\([0-9]*\).*/\1/p')
	fi_counts="$fi_counts $1=${n:-none}"
	if [ "$3" = some ] && [ "${n:-0}" -eq 0 ]; then
		fail "$1: allocation failures were injected ($out)"
		return
	fi
	check "$1: each injected failure ended in ENOMEM or was done without, nothing broken ($out)" \
		test -n "$n" -a "$((e + k))" = "$n" -a "$(echo "$out" | sed -n 's/.* other=\([0-9]*\) broken=\([0-9]*\).*/\1\2/p')" = 00
}

range "${etext:-0xffffffffffffffff}" 0xffffffffff000000
inject insmod-module insmod some
load filter=nomatch
inject open-module open some
inject read-module read any
inject filter-module filter any
inject pid-module pid any
range 0 0xffffffffffffffff
inject open-all open some
inject read-all read any
inject filter-all filter some
inject pid-all pid some
range 0 0
echo "# figure: fault_injection$fi_counts"

echo cow >$P/filter
cow >cow.out
pid=$(writer_pid cow.out)
cat /proc/cowtrace >fi-orig.txt
check "after the injected failures the original experiment gives its 100 records" \
	range_check fi-orig.txt "$pid" "$pid" cow write anon
unload
if [ -e $D/kmemleak ]; then
	# kmemleak reports only objects older than 5 s
	sleep 6
	echo scan >$D/kmemleak
	echo scan >$D/kmemleak
	cat $D/kmemleak >fi-leaks.txt
	check "kmemleak: no leak after the injected failures" test ! -s fi-leaks.txt
	head -40 fi-leaks.txt | sed 's/^/#   /'
else
	fail "kmemleak is there"
fi
