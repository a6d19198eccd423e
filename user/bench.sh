#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The reader's throughput (a benchmark, not a test): --no-follow over a
# file of 1,000,000 records in text (as /proc/cowtrace gives them) and its
# binary twin (as /proc/cowtrace_raw does, written by tests/mkraw), against
# cat of the same file, in one run.
set -u
cd "$(dirname "$0")" || exit 1
make -s cowtrace tests/mkraw || exit 1
f=$(mktemp)
trap 'rm -f "$f" "$f.raw"' EXIT
awk 'BEGIN {
	print "# cowtrace 0.3.0"
	print "# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM"
	split("copy reuse copy notify copy zero", res, " ")
	for (i = 0; i < 1000000; i++)
		printf "%d.%09d %-3d %-7d %-7d 0x%-12x %-7d %-7s %-6s %-6s 0x%x %s\n", 5 + i / 100000, (i * 7919) % 1000000000,
			i % 4, 1000 + i % 50, 1000 + i % 50, 17592186044416 + (i % 100) * 4096, (i % 97 ? 4096 : 2097152),
			"write", (i % 3 ? "anon" : "file"), res[1 + i % 6], 4201003 + i % 7, (i % 5 ? "cow" : "a\\040b")
}' >"$f"
tests/mkraw "$f" "$f.raw" || exit 1
t() { local s=$(date +%s%N); "$@" >/dev/null; echo $(( ($(date +%s%N) - s) / 1000000 )); }
for in in text binary; do
	src=$f
	[ $in = binary ] && src=$f.raw
	for mode in text json csv; do
		best_r=999999 best_c=999999
		for _ in 1 2 3; do
			r=$(t ./cowtrace --no-follow --file "$src" -o $mode)
			c=$(t cat "$src")
			[ "$r" -lt "$best_r" ] && best_r=$r
			[ "$c" -lt "$best_c" ] && best_c=$c
		done
		echo "$in -o $mode: $best_r ms for 1,000,000 records = $((1000000000 / (best_r > 0 ? best_r : 1))) lines/s; cat: $best_c ms; ratio $(awk -v a="$best_r" -v b="$best_c" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 1) }')x"
	done
done
