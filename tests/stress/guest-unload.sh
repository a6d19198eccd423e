# SPDX-License-Identifier: GPL-2.0
# make stress, inside the guest, sourced by guest.sh (or run on its own):
# rmmod with a reader of every kind waiting, and read() bounded under a
# storm. Needs /lib.sh, waiter, storm.
. /lib.sh
cd /tmp

# The kinds of readers rmmod must not wait for. "stopped-*": SIGSTOPped in
# place. Those marked + must see their wait end when the module goes away
# (epoll-pri need not: epoll re-polls after the file is gone and proc then
# answers IN/OUT only, and a stopped poll() restarts after the removal).
# "raw:*": the same reader of /proc/cowtrace_raw, which shares the code.
UNLOAD_KINDS="poll-in+ poll-pri+ poll-out+ poll-0+ select-in+ select-ex+
select-out+ epoll-in+ epoll-pri epoll-et+ read+ idle stopped-poll-pri
stopped-select-ex stopped-idle raw:poll-in+ raw:select-ex+ raw:epoll-et+
raw:read+ raw:stopped-poll-pri"
set -- $UNLOAD_KINDS
plan $(($# * 3 + 6))

unload_storms() {	# one storm per CPU, until killed
	[ -e /tmp/data ] || dd if=/dev/zero of=/tmp/data bs=4096 count=32 2>/dev/null
	for c in a b c d; do
		storm -t 3600 -c storm-$c -f /tmp/data >/dev/null 2>&1 &
	done
}
# state PID: the process state letter (R, S, T, Z...), or "gone"
state() { sed -n 's/^[0-9]* ([^)]*) \(.\).*/\1/p' /proc/$1/stat 2>/dev/null || true; }
is_state() { case "$(state "$1")" in [$2]) return 0 ;; esac; return 1; }
gone_or_zombie() { case "$(state "$1")" in Z|'') return 0 ;; esac; return 1; }

unload
# The baseline: rmmod with no reader, the median of three. A slow kernel
# (KASAN, KCSAN under TCG) takes long for reasons of its own; what a reader
# may add to it is at most 1 s.
for i in 1 2 3; do
	load filter=nomatch
	waiter time 20000 rmmod cowtrace
done >base.out
base=$(sed -n 's/^ms=\([0-9]*\) rc=0$/\1/p' base.out | sort -n | sed -n 2p)
check "rmmod with no reader, the baseline: succeeds ($(tr '\n' ' ' <base.out))" test -n "$base"
base=${base:-0}
max_ms=0 figure=""
for k in $UNLOAD_KINDS; do
	must_wake=false
	case "$k" in *+) must_wake=true; k=${k%+} ;; esac
	file=/proc/cowtrace
	case "$k" in raw:*) file=/proc/cowtrace_raw ;; esac
	way=${k#raw:}
	kind=${way#stopped-}
	load filter=nomatch	# nothing is recorded: the waiters stay asleep
	rm -f ready.$k w.$k
	CT_FILE=$file waiter "$kind" /tmp/ready.$k >w.$k 2>&1 &
	wp=$!
	want=S
	[ "$kind" = read ] && want=RS
	if [ "$way" != "$kind" ]; then
		await 10 test -e ready.$k && await 10 is_state $wp "$want"
		kill -STOP $wp
		want=T
	fi
	await 10 test -e ready.$k && await 10 is_state $wp "$want"
	check "rmmod with a $k reader: the reader is in place (state $(state $wp), wchan $(cat /proc/$wp/wchan 2>/dev/null))" \
		is_state $wp "$want"
	out=$(waiter time 5000 rmmod cowtrace)
	ms=${out#ms=}
	ms=${ms%% *}
	check "rmmod with a $k reader: succeeds within 1 s of the baseline ($out, baseline $base ms)" \
		test "$out" = "ms=$ms rc=0" -a "$((ms - base))" -lt 1000
	[ "$ms" -gt "$max_ms" ] && max_ms=$ms
	figure="$figure $k=$ms"
	if $must_wake; then
		await 5 grep -q '^read=' w.$k
		check "rmmod with a $k reader: its wait ended, read() then fails ($(tr '\n' ' ' <w.$k))" \
			grep -q '^read=-5$' w.$k
	else
		kill -CONT $wp
		kill -9 $wp
		await 5 gone_or_zombie $wp
		check "rmmod with a $k reader: the reader can be killed after" gone_or_zombie $wp
	fi
	kill -9 $wp 2>/dev/null
	wait $wp 2>/dev/null
	if grep -q '^cowtrace ' /proc/modules; then
		note "cowtrace still loaded after the $k test; forcing it out"
		waiter time 5000 rmmod cowtrace >/dev/null
	fi
done
echo "# figure: unload_ms_baseline=$base unload_ms_max=$max_ms unload_ms$figure"

# --- read() does a bounded amount of work, and SIGKILL ends a reader ---------
load entries=65536
unload_storms
# Handshake: enough held that a 64 MiB read could go on for long.
# (the header only: awk stops at its counters line; reading all of it is
# slow in the debug kernels)
held() { awk '/^# taken=/ { sub(/.* held=/, ""); print $1 + 0; exit }' /proc/cowtrace; }
held_enough() { test "$(held)" -ge 40000; }
await 120 held_enough
held=$(held)
check "read() bound: the storm filled the rings (held=$held)" test "${held:-0}" -ge 40000
waiter bigread 64 >big.out 2>&1 &
bp=$!
await 30 grep -q '^bytes=' big.out
out=$(head -1 big.out)
bytes=${out#bytes=}
bytes=${bytes%% *}
rms=$(echo "$out" | sed -n 's/.* ms=\([0-9]*\).*/\1/p')
sms=${out##*small_ms=}
# The debug kernels under TCG are slow whatever the size: there the big
# read() may take as long as three 128 KiB ones.
check "read() bound: one 64 MiB read() under a storm returns within 1 s, or 3 128 KiB reads ($out)" \
	test "${rms:-99999}" -lt 1000 -o "${rms:-99999}" -le "$((3 * ${sms:-0}))"
# 128 KiB, plus what the last fill had formatted before the budget ran out
check "read() bound: it returned 128 KiB to 132 KiB, not 64 MiB" \
	test "${bytes:-0}" -ge 131072 -a "${bytes:-0}" -le 135168
# progress: the bytes it read after the big read() grow between two looks
read_total() { sed -n 's/^total=//p' big.out | tail -1; }
t1=$(read_total)
grew() { test "$(read_total)" -gt "${t1:-0}"; }
await 10 grew
check "read() bound: the reader goes on reading (bytes read since: ${t1:-0} -> $(read_total))" grew
kill -9 $bp
await 1 gone_or_zombie $bp
check "read() bound: SIGKILL ends a reader within 1 s" gone_or_zombie $bp
wait $bp 2>/dev/null
kill $(pidof storm) 2>/dev/null
while pidof storm >/dev/null; do usleep 100000; done
unload
echo "# figure: bigread_bytes=$bytes bigread_ms=$rms read_128k_ms=$sms"
