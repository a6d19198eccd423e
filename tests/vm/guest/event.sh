# SPDX-License-Identifier: GPL-2.0
# The cowtrace:cow trace event, from tracefs, trace-cmd, perf and bpftrace.
. /lib.sh
cd /tmp
export PATH=/bin:/usr/bin
T=/sys/kernel/tracing
plan 10
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
# Below the event: the kretprobe's return trampoline (5.10 cannot unwind
# past it; on arm64 6.12 the first kernel frames are the BRK handler's
# __kretprobe_trampoline_handler) or the fault path itself.
check "perf script shows a kernel call stack under the event" \
	grep -q 'do_wp_page\|handle_mm_fault\|kretprobe_trampoline' perf.txt
grep -m1 -A6 'result=copy' perf.txt | sed 's/^/# perf: /'
grep -m1 'result=copy' perf.txt | sed 's/^/# /'
[ -s perf.err ] && head -3 perf.err | sed 's/^/# perf: /'

# bpftrace 0.17: count by result. bpftrace runs the fork-then-write itself
# (-c): it starts the command once its probes are attached and prints the
# map when the command exits, so neither a readiness poll nor a SIGINT that
# a loaded machine could deliver late stands in for a handshake. A timeout
# bounds it (its LLVM start is slow under TCG). bpftrace wants an ELF to
# run, so cow's own lines go to bt.out too.
[ -d /kheaders ] && export BPFTRACE_KERNEL_SOURCE=/kheaders
exec 3</proc/cowtrace
cat <&3 >/dev/null	# the ring's records from before this run
start=$(cut -d. -f1 /proc/uptime)
timeout -s KILL 300 bpftrace -B line -c "$(command -v cow) -R" -e 'tracepoint:cowtrace:cow /args->comm == "cow" &&
	args->addr >= 0x100000000000 && args->addr < 0x100100000000/ { @[args->result] = count(); }' \
	>bt.out 2>bt.err
rc=$?
note "bpftrace ran for $(($(cut -d. -f1 /proc/uptime) - start)) s"
check "bpftrace -c ran the fork-then-write and exited 0" test "$rc" = 0
sed 's/^/# bpftrace: /' bt.out
# The ring's decisions for the same run, counted the same way.
cat <&3 >c4.txt
exec 3<&-
awk '!/^#/ && $11 == "cow" && $5 ~ /^0x10000[0-9a-f]{7}$/ { n[$9]++ }
	END { for (r in n) printf "@[%s]: %d\n", r, n[r] }' c4.txt | sort >ring.cnt
grep '^@\[' bt.out | sort >bt.cnt
check "bpftrace: @[result] counts equal the ring's records of the same run" \
	sh -c 'test -s bt.cnt && cmp -s ring.cnt bt.cnt'
check "bpftrace: positive control, @[copy] counts at least the child's 100 copies" \
	test "$(sed -n 's/^@\[copy\]: //p' bt.cnt)" -ge 100
[ -s bt.err ] && head -3 bt.err | sed 's/^/# bpftrace: /'
unload
