# SPDX-License-Identifier: GPL-2.0
# make bench, inside one boot of the stock 6.12 kernel: configurations
# interleaved round by round, then the throughput ceiling.
. /lib.sh
cd /tmp
ROUNDS=$(sed -n 's/.*ct\.rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
OFF=$(sed -n 's/.*ct\.vmfoff=\([0-9]*\).*/\1/p' /proc/cmdline)
T=/sys/kernel/tracing
KPL=/sys/kernel/debug/kprobes/list
probed() { grep -q ' do_wp_page+0x0' $KPL 2>/dev/null; }
mkdir -p /bin/noevent && mv /bin/cowtrace-noevent.ko /bin/noevent/cowtrace.ko

setup() {
	case $1 in
	kprobe_empty) insmod /bin/kprobe_empty.ko ;;
	ftrace_kprobe_event)
		echo "p:cow do_wp_page addr=+$OFF(%di):x64" >>$T/kprobe_events &&
		echo 'comm == "cowbench"' >$T/events/kprobes/cow/filter &&
		echo 1 >$T/events/kprobes/cow/enable && echo 1 >$T/tracing_on &&
		{ cat $T/trace_pipe >/dev/null & echo $! >aux.pid; } ;;
	bpftrace)
		/usr/bin/bpftrace -e 'kprobe:do_wp_page /comm == "cowbench"/ { printf("%lx\n", ((struct vm_fault *)arg0)->address); }' >/dev/null 2>bpftrace.err &
		echo $! >aux.pid
		n=0
		while ! probed && [ $n -lt 600 ]; do usleep 100000; n=$((n + 1)); done
		probed ;;
	cowtrace)
		insmod /bin/cowtrace.ko filter=cowbench &&
		{ cowtrace >/dev/null 2>&1 & echo $! >aux.pid; } ;;
	cowtrace_filtered_out) insmod /bin/cowtrace.ko filter=nomatch ;;
	cowtrace_no_reader) insmod /bin/cowtrace.ko filter=cowbench ;;
	cowtrace_no_event) insmod /bin/noevent/cowtrace.ko filter=cowbench ;;
	cowtrace_event_on)
		insmod /bin/cowtrace.ko filter=cowbench &&
		echo 1 >$T/events/cowtrace/cow/enable && echo 1 >$T/tracing_on ;;
	esac
}
teardown() {
	[ -f aux.pid ] && { kill "$(cat aux.pid)" 2>/dev/null; wait "$(cat aux.pid)" 2>/dev/null; rm -f aux.pid; }
	case $1 in
	kprobe_empty) rmmod kprobe_empty ;;
	ftrace_kprobe_event)
		echo 0 >$T/events/kprobes/cow/enable
		echo '-:cow' >>$T/kprobe_events ;;
	cowtrace_event_on)
		echo 0 >$T/events/cowtrace/cow/enable
		echo >$T/trace
		rmmod cowtrace ;;
	cowtrace | cowtrace_filtered_out | cowtrace_no_reader | cowtrace_no_event) rmmod cowtrace ;;
	esac
	n=0
	while probed && [ $n -lt 100 ]; do usleep 100000; n=$((n + 1)); done
}

CONFIGS="baseline kprobe_empty ftrace_kprobe_event bpftrace cowtrace cowtrace_filtered_out cowtrace_no_reader cowtrace_no_event cowtrace_event_on"
cowbench -p 256 -r 3 >/dev/null	# warm up
r=1
while [ $r -le "$ROUNDS" ]; do
	for c in $CONFIGS; do
		if ! setup $c; then
			echo "BENCH-ERROR config=$c round=$r"
			[ -s bpftrace.err ] && sed 's/^/# bpftrace: /' bpftrace.err | head -5
			teardown $c
			continue
		fi
		if [ $c != baseline ] && ! probed; then
			echo "BENCH-ERROR config=$c round=$r not probed"
		fi
		ns=$(cowbench -p 2048 -r 5)
		echo "BENCH config=$c round=$r ns=$ns"
		teardown $c
	done
	r=$((r + 1))
done

# The ceiling: records per second taken with the reader following, and
# where loss begins, for 1 and 4 writers, at entries 4096 and 64.
for entries in 4096 64; do
	for w in 1 4; do
		insmod /bin/cowtrace.ko filter=cowbench entries=$entries
		cowtrace -s >follow.out 2>&1 &
		f=$!
		sleep 1
		t0=$(header /proc/cowtrace taken)
		pids=
		i=0
		while [ $i -lt $w ]; do
			cowbench -p 256 -t 2 >/dev/null &
			pids="$pids $!"
			i=$((i + 1))
		done
		wait $pids
		t1=$(header /proc/cowtrace taken)
		sleep 1
		kill -INT $f
		wait $f
		lost=$(sed -n 's/^[0-9]* records, \([0-9]*\) lost$/\1/p' follow.out)
		echo "CEILING entries=$entries writers=$w records=$((t1 - t0)) seconds=2 lost=${lost:-?}"
		rmmod cowtrace
	done
done
