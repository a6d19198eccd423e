#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every suite in turn; ends with "N passed, N failed".
# usage: tests/check.sh [SUITE...]  (default: every suite listed below)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

declare -A suite=(
	[unit]="make -s -j2 -C user check"
	[lint]="bash tests/lint.sh"
	[docs]="bash tests/docs.sh"
	[vm]="bash tests/vm/run.sh"
	[kunit]="bash tests/kunit/run.sh"
	[kcsan]="bash tests/kunit/run.sh kcsan"
	[dkms]="bash tests/dkms/run.sh"
	[deb]="bash tests/deb/run.sh"
	[event]="bash tests/event/run.sh"
	[stress]="bash tests/stress/run.sh"
)
# Suites joined by '+' run side by side (each boots one guest at a time,
# and the machine has two cores); their lines are printed when both ended.
order=(unit docs lint vm event kunit+kcsan dkms+deb stress)
[ $# -gt 0 ] && order=("$@")

# The debug kernels take minutes to build from scratch: start them now,
# niced, in the background while the VM suites run on the other core; the
# suites that boot them wait for them (build-kernel.sh locks the tree).
prebuild=
if [[ " ${order[*]} " =~ [\ +](kunit|kcsan|stress)[\ +] ]]; then
	( nice bash tests/kunit/build-kernel.sh
	  [[ " ${order[*]} " =~ [\ +]kcsan[\ +] ]] && nice bash tests/kunit/build-kernel.sh kcsan
	) >/dev/null 2>&1 &
	prebuild=$!
fi

passed=0 failed=0
log=$(mktemp -d)

# tally SUITE LOG RC SECONDS: its "ok"/"not ok" lines counted, a suite that
# failed without a "not ok" line counted as one failure
tally() {
	local s=$1 out=$2 rc=$3 secs=$4 p f
	p=$(grep -c '^ok - ' "$out")
	f=$(grep -c '^not ok - ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - suite $s exited with status $rc"
		tail -20 "$out" | sed 's/^/#   /'
		f=1
	fi
	echo "=== $s: $p passed, $f failed ($secs s)"
	passed=$((passed + p))
	failed=$((failed + f))
}

for group in "${order[@]}"; do
	IFS=+ read -ra members <<<"$group"
	run=()
	for s in "${members[@]}"; do
		cmd=${suite[$s]:-}
		[ -n "$cmd" ] || { echo "unknown suite $s" >&2; exit 2; }
		script=$(echo "$cmd" | grep -o '[^ ]*\.sh' | head -1)
		[ "$s" = unit ] && script=user/Makefile
		if [ ! -f "$script" ]; then
			# A listed suite that is not there is a failure, not a skip.
			echo "not ok - suite $s: $script is missing"
			failed=$((failed + 1))
			continue
		fi
		run+=("$s")
	done
	if [ ${#run[@]} -eq 1 ]; then
		# Alone: its lines as they come
		s=${run[0]}
		echo "=== $s: ${suite[$s]}"
		start=$SECONDS
		${suite[$s]} 2>&1 | tee "$log/$s" | grep -E --line-buffered '^(ok|not ok) - |^# |^error'
		tally "$s" "$log/$s" "${PIPESTATUS[0]}" $((SECONDS - start))
		continue
	fi
	pids=()
	for s in "${run[@]}"; do
		echo "=== $s: ${suite[$s]} (side by side: $group)"
		( start=$SECONDS
		  ${suite[$s]} >"$log/$s" 2>&1
		  echo "$? $((SECONDS - start))" >"$log/$s.rc" ) &
		pids+=($!)
	done
	wait "${pids[@]}"
	for s in "${run[@]}"; do
		grep -E '^(ok|not ok) - |^# |^error' "$log/$s"
		read -r rc secs <"$log/$s.rc" 2>/dev/null || { rc=1 secs=?; }
		tally "$s" "$log/$s" "$rc" "$secs"
	done
done
rm -rf "$log"
[ -n "$prebuild" ] && wait "$prebuild"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
