# SPDX-License-Identifier: GPL-2.0
# The kernel-log check's positive control (ct_control in tests/vm/lib.sh),
# inside any test kernel: warn.ko's WARN_ON (and, in the debug kernel, its
# lockdep and RCU splats); in a kernel with kmemleak, leak.ko's leaks. The
# host checks that ct_judge fails this run with each report.
. /lib.sh
cd /tmp
plan 2
# Lockdep must be on for its report: a silent DEBUG_LOCKS_WARN_ON turns it off
[ -r /proc/lockdep_stats ] && note "before warn.ko: $(grep debug_locks /proc/lockdep_stats)"
check "insmod warn.ko" insmod /bin/warn.ko
check "rmmod warn" rmmod warn
K=/sys/kernel/debug/kmemleak
if [ -e $K ]; then
	plan 4
	check "insmod leak.ko" insmod /bin/leak.ko
	# kmemleak reports only objects older than 5 s (MSECS_MIN_AGE), and an
	# object only once its contents were the same in two scans.
	sleep 6
	check "kmemleak: scan" sh -c "echo scan >$K"
	check "kmemleak: second scan" sh -c "echo scan >$K"
	cat $K >leaks.txt
	# (by size: leak_one's kmalloc is a tail call, so the backtrace names
	# leak_init, whose init text is freed by now)
	check "kmemleak lists leak.ko's objects" grep -q '^unreferenced object .* (size 512):' leaks.txt
	head -20 leaks.txt | sed 's/^/#   /'
fi
