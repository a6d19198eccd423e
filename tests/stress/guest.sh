# SPDX-License-Identifier: GPL-2.0
# make stress, inside the guest: load, exact accounting, reload under fire,
# CPU hotplug, killed readers, low memory, hostile input; then the original
# experiment once more, and rmmod/read() with every kind of reader
# (guest-unload.sh). The host judges the kernel log.
. /lib.sh
cd /tmp
# 35 here, 10 printed by hostile, 1 by comms; 2 more with the reader (D)
plan $((46 + $([ -x /bin/cowtrace ] && echo 2 || echo 0)))
SECS=$(sed -n 's/.*ct\.secs=\([0-9]*\).*/\1/p' /proc/cmdline)
SECS=${SECS:-20}
NCPU=$(nproc)
dd if=/dev/zero of=/tmp/data bs=4096 count=32 2>/dev/null
inputs=0
note "stress: $NCPU cpus, $SECS s per load phase"

storms() {	# storms SECONDS: one storm per CPU, four comms
	for c in a b c d; do
		storm -t "$1" -c storm-$c -f /tmp/data >>storms.out 2>&1 &
	done
}
readers() {	# readers STOPFILE: cat loop, follower, few-bytes reader
	(while [ ! -e "$1" ]; do cat /proc/cowtrace >/dev/null 2>&1; done) &
	(while [ ! -e "$1" ]; do dd if=/proc/cowtrace of=/dev/null bs=7 2>/dev/null; done) &
	if [ -x /bin/cowtrace ]; then
		(while [ ! -e "$1" ]; do cowtrace -o json >/dev/null 2>&1; done) &
	fi
}

# --- A: load with exact accounting, filters changing at run time ------------
reload filter=storm-a entries=16
rm -f stop.a storms.out
acct /tmp/stop.a 1000000 >acct.out 2>&1 &
acctpid=$!
await 30 holds_proc $acctpid
readers /tmp/stop.a
storms "$SECS"
t0=$(date +%s)
(
	end=$(( $(date +%s) + SECS ))
	while [ "$(date +%s)" -lt "$end" ]; do
		echo storm-b >$P/filter; usleep 300000
		echo >$P/filter; usleep 300000
		echo $$ >$P/pid; usleep 200000
		echo 0 >$P/pid; echo storm-a >$P/filter; usleep 300000
	done
) &
changer=$!
wait $changer
while pidof storm >/dev/null; do usleep 100000; done
load_secs=$(( $(date +%s) - t0 ))
echo nomatch >$P/filter	# recording stops: taken is final
touch stop.a
wait $acctpid
rc=$?
cat acct.out | sed 's/^/# /'
check "exact accounting: read + lost = held at open + taken since, all lines parse, per-CPU order" test $rc = 0
a_read=$(sed -n 's/.*read=\([0-9]*\).*/\1/p' acct.out)
a_lost=$(sed -n 's/.*lost=\([0-9]*\).*/\1/p' acct.out)
a_taken=$(sed -n 's/.*taken1=\([0-9]*\).*/\1/p' acct.out)
check "the load recorded events" test "${a_taken:-0}" -gt 1000
check "the slow reader fell behind and was told how much it lost" test "${a_lost:-0}" -gt 0
faults=$(awk '{ sub("faults=", "", $4); n += $4 } END { print n + 0 }' storms.out)
note "storms: $(wc -l <storms.out) runs, $faults CoW writes"
sleep 1

# --- B: rmmod/insmod in a loop while storms and readers run -------------------
unload
rm -f stop.b
readers /tmp/stop.b
storms 3600
cycles=0 bad=0
i=0
while [ $i -lt 25 ]; do
	if [ $((i % 2)) = 0 ]; then load filter=storm-a; else load entries=64; fi || bad=$((bad + 1))
	(pollwait 10 1000 >/dev/null 2>&1 &)
	usleep 200000
	rmmod cowtrace || bad=$((bad + 1))
	i=$((i + 1))
	[ $bad = 0 ] && cycles=$i
done
check "25 rmmod/insmod cycles under storms and readers" test $bad = 0
note "reload cycles survived: $cycles"

# --- C: CPU hotplug while recording -------------------------------------------
load filter=storm-b
before=$(header /proc/cowtrace taken)
hbad=0
for round in 1 2 3; do
	c=1
	while [ $c -lt "$NCPU" ]; do
		echo 0 >/sys/devices/system/cpu/cpu$c/online || hbad=$((hbad + 1))
		usleep 300000
		echo 1 >/sys/devices/system/cpu/cpu$c/online || hbad=$((hbad + 1))
		c=$((c + 1))
	done
done
taken_above() { test "$(header /proc/cowtrace taken)" -gt "$1"; }
await 30 taken_above "$before"
after=$(header /proc/cowtrace taken)
check "CPU hotplug: more than one CPU to take offline" test "$NCPU" -gt 1
check "CPU hotplug: every CPU offline and back" test $hbad = 0
check "CPU hotplug: recording went on ($before -> $after)" test "$after" -gt "$before"
echo nomatch >$P/filter	# recording stops, so the counters hold still
touch stop.c
acct /tmp/stop.c >acct2.out 2>&1
check "after hotplug every line parses, per-CPU order holds" test $? = 0

# --- D: readers killed mid-read, stopped reader at rmmod ----------------------
dd if=/proc/cowtrace of=/dev/null bs=1 2>/dev/null &
k=$!
await 10 holds_proc $k
kill -9 $k 2>/dev/null
wait $k 2>/dev/null
check "a reader killed mid-read leaves the file readable" sh -c 'cat /proc/cowtrace >/dev/null'
if [ -x /bin/cowtrace ]; then
	cowtrace >/dev/null 2>follow.err &
	f=$!
	await 10 holds_proc $f
	kill -STOP $f
	check "rmmod while a stopped reader follows" rmmod cowtrace
	kill -CONT $f
	wait $f
	check "the follower exits 2 when the module goes away" test $? = 2
else
	rmmod cowtrace
fi
touch stop.b
kill $(pidof storm) 2>/dev/null
while pidof storm >/dev/null; do usleep 100000; done
sleep 1

# --- E: low memory: a large entries that cannot be allocated -------------------
mkdir -p /mnt/fill
mount -t tmpfs -o size=100% tmpfs /mnt/fill
avail=$(awk '/MemAvailable/ { print int($2 / 1024) }' /proc/meminfo)
need=$((64 * NCPU))
fill=$((avail - need / 2))
fallocate -l ${fill}m /mnt/fill/x 2>/dev/null || dd if=/dev/zero of=/mnt/fill/x bs=1M count=$fill 2>/dev/null
note "low memory: ${avail} MiB available, filled ${fill} MiB, entries=1048576 needs ${need} MiB"
out=$(insmod $KO entries=1048576 2>&1)
rc=$?
check "entries=1048576 with memory short: load fails" test $rc != 0
check "entries=1048576 with memory short: nothing left" sh -c '! test -e /proc/cowtrace && ! grep -q "^cowtrace " /proc/modules'
check "entries=1048576 with memory short: no OOM kill" sh -c '! dmesg | grep -q "Out of memory"'
rm -f /mnt/fill/x
umount /mnt/fill
check "entries=1048576 loads once memory is back" load entries=1048576
unload

# --- F: hostile input -----------------------------------------------------------
load filter=nomatch
check "hostile use of /proc/cowtrace" hostile
inputs=$((inputs + 10))
unload
for p in filter=0123456789abcdef filter=0123456789abcdefghijklmnopqrstuvwxyz \
	 pid=-1 pid=-2147483648 pid=abc pid=0x10 pid=4194305 pid=99999999999999999999 \
	 pid= entries=0 entries=15 entries=17 entries=4095 entries=2097152 \
	 entries=-4096 entries=4096x entries=99999999999999999999 entries=; do
	inputs=$((inputs + 1))
	insmod $KO "$p" 2>/dev/null && { fail "bad load parameter $p accepted"; rmmod cowtrace; continue; }
	if [ -e /proc/cowtrace ] || grep -q '^cowtrace ' /proc/modules; then
		fail "bad load parameter $p left something behind"
	else
		pass "bad load parameter $p refused, nothing left"
	fi
done
load filter=keep pid=0
for v in 0123456789abcdef 'a
b' "$(printf 'x\ny\n')"; do
	inputs=$((inputs + 1))
	printf '%s' "$v" >$P/filter 2>/dev/null && fail "bad run-time filter accepted"
done
for v in -1 abc 0x10 4194305 99999999999999999999 '' ' '; do
	inputs=$((inputs + 1))
	echo "$v" >$P/pid 2>/dev/null && fail "bad run-time pid '$v' accepted"
done
check "rejected run-time values changed nothing" test "$(cat $P/filter) $(cat $P/pid)" = "keep 0"
echo >$P/filter
check "comms of every byte value, decoded back" comms
inputs=$((inputs + 256))
unload

# --- G: the original experiment still holds ------------------------------------
load filter=cow
cow >cow.out
pid=$(writer_pid cow.out)
cat /proc/cowtrace >orig.txt
check "after all that: the original experiment gives its 100 records" \
	range_check orig.txt "$pid" "$pid" cow write anon
unload
echo "# figure: events=$a_taken read=$a_read lost=$a_lost cow_writes=$faults load_seconds=$load_secs reload_cycles=$cycles hotplug_ops=$((3 * 2 * (NCPU - 1))) hostile_inputs=$inputs"

. /bin/guest-unload.sh
# The KCSAN kernel has fault injection: the host asks for that part.
if grep -q 'ct\.faults=1' /proc/cmdline; then
	. /bin/guest-faults.sh
fi
