# SPDX-License-Identifier: GPL-2.0
# make bench, inside one boot of the stock 6.12 kernel: configurations
# interleaved round by round on one CPU, then the throughput ceiling on two.
#
# A configuration's cost per fault is the writer's median fault (each fault
# timed alone by the TSC, which counts emulated instructions under -icount:
# the path every fault takes, hooks included, without the kernel's work now
# and then, whose cost moves with its state; see cowbench.c) plus the CPU
# time its consumer (reader, bpftrace, cat of trace_pipe) spent on those
# records, drain of the last one included (schedstat, not wall time). On one
# CPU nothing runs beside the writer but the consumer, so the consumer's is
# all its work, whenever it happens to wake.
. /lib.sh
cd /tmp
ROUNDS=$(sed -n 's/.*ct\.rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
OFF=$(sed -n 's/.*ct\.vmfoff=\([0-9]*\).*/\1/p' /proc/cmdline)
PAGES=2048
REPEATS=5
FAULTS=$((PAGES * REPEATS))
T=/sys/kernel/tracing
KPL=/sys/kernel/debug/kprobes/list
# do_wp_page hooked by anything: a kprobe, or an ftrace_ops (fprobe, ftrace)
probed() {
	grep -q ' do_wp_page+0x0' $KPL 2>/dev/null ||
		grep -q '^do_wp_page' $T/enabled_functions 2>/dev/null
}
for m in noevent text020; do
	mkdir -p /bin/$m && mv /bin/cowtrace-$m.ko /bin/$m/cowtrace.ko
done

# ns on CPU of every thread of PID
runtime_of() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# A follower in the background: its pid in aux.pid.
follow() { "$@" >/dev/null 2>&1 & echo $! >aux.pid; }

setup() {
	case $1 in
	baseline) insmod /bin/attach.ko via=none ;;
	kprobe_empty) insmod /bin/attach.ko via=kprobe ;;
	attach_kretprobe_marker_exit)
		insmod /bin/attach.ko via=kretprobe marker=ftrace exit_hook=1 ;;
	attach_*_marker*)
		v=${1#attach_}
		m=${v#*_marker}
		m=${m#_}
		insmod /bin/attach.ko via="${v%%_marker*}" marker="${m:-ftrace}" ;;
	attach_*) insmod /bin/attach.ko via="${1#attach_}" ;;
	ftrace_kprobe_event)
		echo "p:cow do_wp_page addr=+$OFF(%di):x64" >>$T/kprobe_events &&
		echo 'comm == "cowbench"' >$T/events/kprobes/cow/filter &&
		echo 1 >$T/events/kprobes/cow/enable && echo 1 >$T/tracing_on &&
		follow cat $T/trace_pipe ;;
	bpftrace)
		/usr/bin/bpftrace -e 'kprobe:do_wp_page /comm == "cowbench"/ { printf("%lx\n", ((struct vm_fault *)arg0)->address); }' >/dev/null 2>bpftrace.err &
		echo $! >aux.pid
		n=0
		while ! probed && [ $n -lt 600 ]; do usleep 100000; n=$((n + 1)); done
		probed ;;
	cowtrace)
		insmod /bin/cowtrace.ko filter=cowbench && follow cowtrace ;;
	cowtrace_text)
		insmod /bin/cowtrace.ko filter=cowbench &&
		follow cowtrace --file /proc/cowtrace ;;
	cowtrace_cat | cowtrace_cat_raw)
		insmod /bin/cowtrace.ko filter=cowbench entries=16384 ;;
	cowtrace_cat_0.2.0)
		insmod /bin/text020/cowtrace.ko filter=cowbench entries=16384 ;;
	cowtrace_filtered_out) insmod /bin/cowtrace.ko filter=nomatch ;;
	cowtrace_tree_out)
		# pid= a process whose tree cowbench is not in, tree=1.
		sleep 100000 &
		echo $! >aux.pid
		insmod /bin/cowtrace.ko pid="$(cat aux.pid)" tree=1 ;;
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
	baseline | kprobe_empty | attach_*) rmmod attach ;;
	ftrace_kprobe_event)
		echo 0 >$T/events/kprobes/cow/enable
		echo '-:cow' >>$T/kprobe_events ;;
	cowtrace_event_on)
		echo 0 >$T/events/cowtrace/cow/enable
		echo >$T/trace
		rmmod cowtrace ;;
	cowtrace*) rmmod cowtrace ;;
	esac
	n=0
	while probed && [ $n -lt 100 ]; do usleep 100000; n=$((n + 1)); done
}

# The consumer's CPU time per fault for the records of one cowbench run
# (the fault loop's and, a few, the forks' own CoW faults): a follower's
# runtime over the run, or a cat of the file after it.
consumer_ns() {
	case $1 in
	cowtrace_cat | cowtrace_cat_0.2.0) f=/proc/cowtrace ;;
	cowtrace_cat_raw) f=/proc/cowtrace_raw ;;
	*) echo "$a0 $a1 $FAULTS" | awk '{ printf "%.1f\n", ($2 - $1) / $3 }'; return ;;
	esac
	ns=$(cowbench -c $f | sed -n 's/^ns=\([0-9]*\).*/\1/p')
	echo "${ns:-0} $FAULTS" | awk '{ printf "%.1f\n", $1 / $2 }'
}

CONFIGS="baseline kprobe_empty attach_ftrace attach_ftrace_marker attach_ftrace_marker_ftrace_guarded attach_fprobe attach_kretprobe attach_kretprobe_marker attach_kretprobe_marker_kprobe attach_kretprobe_marker_exit ftrace_kprobe_event bpftrace cowtrace cowtrace_text cowtrace_cat cowtrace_cat_raw cowtrace_cat_0.2.0 cowtrace_filtered_out cowtrace_tree_out cowtrace_no_reader cowtrace_no_event cowtrace_event_on"
# ct.configs=A,B: only these (a quick look at a few; not for the results)
only=$(sed -n 's/.*ct\.configs=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
[ -n "$only" ] && CONFIGS=$only
# A fixed size for the per-CPU page lists: left to auto-tune (6.7+), they
# change size with the history of frees, and a CoW fault's allocation with
# them, by some hundreds of ns from one round to the next.
echo 8 >/proc/sys/vm/percpu_pagelist_high_fraction
# One CPU for the per-fault figures (see the top of this file).
echo 0 >/sys/devices/system/cpu/cpu1/online
echo "# cpus online: $(grep -c ^processor /proc/cpuinfo)"
# Round 0 warms up and is not reported: the first runs after boot, and
# the first load of each module, leave the kernel's caches in another state
# than the rounds after (a few percent either way).
r=0
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
		# What each configuration hooks, once: FTRACE marks a kprobe
		# on an ftrace site, no mark a breakpoint.
		[ $r = 1 ] && [ -r $KPL ] && sed "s/^/# $c: /" $KPL
		a0=0 a1=0
		[ -f aux.pid ] && a0=$(runtime_of "$(cat aux.pid)")
		read -r w wm <<EOF
$(cowbench -p $PAGES -r $REPEATS)
EOF
		# Let the consumer drain the last record: wakes come within
		# tens of ms; its idle time costs nothing here.
		usleep 300000
		[ -f aux.pid ] && a1=$(runtime_of "$(cat aux.pid)")
		cns=$(consumer_ns $c)
		tag=BENCH
		[ $r = 0 ] && tag=WARMUP
		echo "$tag config=$c round=$r writer=$w writer_mean=$wm consumer=$cns held=$(header /proc/cowtrace held) ns=$(echo "$w $cns" | awk '{ print $1 + $2 }')"
		teardown $c
	done
	r=$((r + 1))
done

# Forks: a fork, the child's exit and the wait, the median of 200, without
# the module, with it recording cowbench (a fork and an exit line each),
# and with a filter that matches nothing; interleaved round by round.
r=1
while [ $r -le "$ROUNDS" ]; do
	echo "FORK config=fork_baseline round=$r ns=$(cowbench -f 200)"
	insmod /bin/cowtrace.ko filter=cowbench
	echo "FORK config=fork_recorded round=$r ns=$(cowbench -f 200) lines=$(grep -c '^# fork ' /proc/cowtrace)"
	rmmod cowtrace
	insmod /bin/cowtrace.ko filter=nomatch
	echo "FORK config=fork_filtered_out round=$r ns=$(cowbench -f 200)"
	rmmod cowtrace
	r=$((r + 1))
done

# The ceiling, on two CPUs: records per second taken with the reader
# following, and where loss begins, for 1 to 16 writers at entries 4096,
# and at entries 64.
echo 1 >/sys/devices/system/cpu/cpu1/online
echo "# cpus online: $(grep -c ^processor /proc/cpuinfo)"
for entries in 4096 64; do
	for w in 1 4 16; do
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

# Latency: from a fault to its line out of the reader's pipe, the reader
# waiting in poll() with no other record arriving (the worst case for
# kernel-batched wake-ups). The faulting program has a comm of its own, so
# that the consumer (cowbench -l) starting up records nothing.
cp /bin/cowbench /tmp/cowlat
i=1
while [ $i -le 5 ]; do
	insmod /bin/cowtrace.ko filter=cowlat
	cowtrace -n 1 | cowbench -l >lat.out &
	f=$!
	sleep 1
	/tmp/cowlat -p 1 -r 1 >/dev/null
	wait $f
	echo "LATENCY round=$i ms=$(head -1 lat.out)"
	rmmod cowtrace
	i=$((i + 1))
done
