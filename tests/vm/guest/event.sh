# SPDX-License-Identifier: GPL-2.0
# The cowtrace:cow trace event, from tracefs, trace-cmd, perf and bpftrace.
. /lib.sh
cd /tmp
export PATH=/bin:/usr/bin
T=/sys/kernel/tracing
E=$T/events/cowtrace/cow

check "insmod cowtrace.ko filter=cow" load filter=cow
check "the event's format names its fields" \
	sh -c "grep -q 'field:unsigned long addr' $E/format && grep -q 'char result\\[8\\]' $E/format &&
	       grep -q 'print fmt: \"addr=0x%lx size=%lu pid=%d tgid=%d kind=%s map=%s result=%s ip=0x%lx comm=%s\"' $E/format"

# evcount FILE PID: lines of the child's result=copy events at BASE..
evcount() { grep -c "addr=0x1000000[0-9a-f]\\{5\\} size=4096 pid=$2 tgid=$2 kind=write map=anon result=copy ip=0x[0-9a-f]* comm=cow" "$1"; }

# tracefs, raw
echo >$T/trace
echo 1 >$E/enable
cow >c1.out
echo 0 >$E/enable
cat $T/trace >raw.txt
check "tracefs: 100 result=copy events of the fork-then-write child" \
	test "$(evcount raw.txt "$(writer_pid c1.out)")" = 100
grep -m1 'result=copy' raw.txt | sed 's/^/# /'
check "tracefs: the ring's records are the same 100" \
	range_check /proc/cowtrace "$(writer_pid c1.out)" "$(writer_pid c1.out)" cow write anon copy

# trace-cmd
trace-cmd record -q -e cowtrace:cow -o /tmp/tc.dat cow >c2.out 2>tc.err
trace-cmd report -i /tmp/tc.dat >tc.txt 2>>tc.err
check "trace-cmd record/report: 100 result=copy events" \
	test "$(evcount tc.txt "$(writer_pid c2.out)")" = 100
grep -m1 'result=copy' tc.txt | sed 's/^/# /'

# perf, with call stacks
perf record -q -e cowtrace:cow -g -o /tmp/perf.data cow >c3.out 2>perf.err
perf script -i /tmp/perf.data >perf.txt 2>>perf.err
check "perf record -e cowtrace:cow -g, perf script: 100 result=copy events" \
	test "$(evcount perf.txt "$(writer_pid c3.out)")" = 100
check "perf script shows a kernel call stack under the event" \
	grep -q 'do_wp_page\|handle_mm_fault' perf.txt
grep -m1 'result=copy' perf.txt | sed 's/^/# /'
[ -s perf.err ] && head -3 perf.err | sed 's/^/# perf: /'

# bpftrace 0.17: count by result (its LLVM start is slow under TCG)
bpftrace -B line -e 'BEGIN { printf("ready\n"); }
	tracepoint:cowtrace:cow /args->comm == "cow" && args->addr >= 0x100000000000 &&
				 args->addr < 0x100100000000/ { @[args->result] = count(); }' \
	>bt.out 2>bt.err &
bt=$!
i=0
while ! grep -q '^ready' bt.out 2>/dev/null && [ $i -lt 3000 ] && kill -0 $bt 2>/dev/null; do
	usleep 100000
	i=$((i + 1))
done
note "bpftrace ready after $((i / 10)) s"
cow -R >c4.out
kill -INT $bt
i=0
while kill -0 $bt 2>/dev/null && [ $i -lt 600 ]; do
	usleep 100000
	i=$((i + 1))
done
kill -9 $bt 2>/dev/null
wait $bt
sed 's/^/# bpftrace: /' bt.out
check "bpftrace: @[copy] counts the child's 100 copies" grep -q '^@\[copy\]: 100$' bt.out
check "bpftrace: @[reuse] counts the parent's 100 reuses" grep -q '^@\[reuse\]: 100$' bt.out
[ -s bt.err ] && head -3 bt.err | sed 's/^/# bpftrace: /'
unload
