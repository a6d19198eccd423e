#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every suite in turn; ends with "N passed, N failed".
# usage: tests/check.sh [SUITE...]  (default: every suite listed below)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

declare -A suite=(
	[unit]="make -s -C user check"
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
order=(unit docs lint vm event kunit kcsan dkms deb stress)
[ $# -gt 0 ] && order=("$@")

# The debug kernels take minutes to build from scratch: start them now,
# niced, in the background while the VM suites run on the other core; the
# suites that boot them wait for them (build-kernel.sh locks the tree).
prebuild=
if [[ " ${order[*]} " == *" kunit "* || " ${order[*]} " == *" kcsan "* ||
      " ${order[*]} " == *" stress "* ]]; then
	( nice bash tests/kunit/build-kernel.sh
	  [[ " ${order[*]} " == *" kcsan "* ]] && nice bash tests/kunit/build-kernel.sh kcsan
	) >/dev/null 2>&1 &
	prebuild=$!
fi

passed=0 failed=0
log=$(mktemp)
for s in "${order[@]}"; do
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
	echo "=== $s: $cmd"
	start=$SECONDS
	$cmd 2>&1 | tee "$log" | grep -E --line-buffered '^(ok|not ok) - |^# |^error'
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - suite $s exited with status $rc"
		tail -20 "$log" | sed 's/^/#   /'
		f=1
	fi
	echo "=== $s: $p passed, $f failed ($((SECONDS - start)) s)"
	passed=$((passed + p))
	failed=$((failed + f))
done
rm -f "$log"
[ -n "$prebuild" ] && wait "$prebuild"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
