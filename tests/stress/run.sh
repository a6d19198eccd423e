#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make stress: load and fault tests in QEMU with 4 vCPUs, on the stock 6.12
# kernel, on the debug kernel (lockdep, KASAN, kmemleak) and on the KCSAN
# kernel (lockdep, KCSAN, kmemleak, allocation-failure injection).
# usage: tests/stress/run.sh [stock|debug|kcsan]...
set -u
. "$(dirname "$0")/../vm/lib.sh"

ct_host_setup
# The KCSAN run takes 20 to 30 minutes under TCG: run it by name
# (tests/stress/run.sh kcsan); make check runs the KCSAN kernel through
# the kcsan suite (KUnit and the end-to-end tests) instead.
want=${*:-stock debug}
work="$CT_WORK/stress"
mkdir -p "$work"
ct_build_progs "$work/progs"
fails=0

run_one() {	# run_one LABEL VMLINUZ KDIR SECONDS [APPEND...]
	local label=$1 vmlinuz=$2 kdir=$3 secs=$4
	shift 4
	ct_build_module "$kdir" "$work/build-$label"
	ct_initramfs "$work/initrd-$label.gz" "$CT_ROOT/tests/stress/guest.sh" \
		"$work/build-$label/module/cowtrace.ko" "$work"/progs/* \
		"$CT_ROOT/tests/stress/guest-unload.sh" "$CT_ROOT/tests/stress/guest-faults.sh"
	ct_log "stress on $label ($secs s load phases)"
	ct_boot "$vmlinuz" "$work/initrd-$label.gz" "$work/console-$label.log" 4 1G \
		"ct.secs=$secs" "$@"
	ct_judge "$work/console-$label.log" "stress $label"
	fails=$((fails + $?))
	grep -a '^# figure:' "$work/console-$label.log" | tr -d '\r' >"$work/figures-$label"
}

if [[ " $want " == *" stock "* ]]; then
	rel=$(ct_stock_kernels | awk '$1 == "6.12" { print $2 }')
	vmlinuz=$(ct_kernel_install "$rel") || exit 1
	run_one 6.12 "$vmlinuz" "/lib/modules/$rel/build" 20
fi
if [[ " $want " == *" debug "* ]] && [ ! -x "$CT_ROOT/tests/kunit/build-kernel.sh" ]; then
	# Asked for, so not a silent skip: a run that did not happen fails.
	echo "# note: stress debug skipped because tests/kunit/build-kernel.sh is missing"
	echo "not ok - [stress debug] the debug kernel's builder is there"
	fails=$((fails + 1))
elif [[ " $want " == *" debug "* ]]; then
	kdir=$("$CT_ROOT/tests/kunit/build-kernel.sh" | tail -1)
	if [ -f "$kdir/arch/x86/boot/bzImage" ]; then
		# KASAN and lockdep under TCG: about twice as long
		CT_QEMU_TIMEOUT=$((CT_QEMU_TIMEOUT * 2)) \
			run_one debug "$kdir/arch/x86/boot/bzImage" "$kdir" 10
	else
		echo "not ok - [stress debug] debug kernel built"
		fails=$((fails + 1))
	fi
fi
if [[ " $want " == *" kcsan "* ]]; then
	kdir=$("$CT_ROOT/tests/kunit/build-kernel.sh" kcsan | tail -1)
	if [ -f "$kdir/arch/x86/boot/bzImage" ]; then
		# KCSAN's watchpoint delays under TCG: about three times as long
		CT_QEMU_TIMEOUT=$((CT_QEMU_TIMEOUT * 3)) \
			run_one kcsan "$kdir/arch/x86/boot/bzImage" "$kdir" 10 ct.faults=1
	else
		echo "not ok - [stress kcsan] KCSAN kernel built"
		fails=$((fails + 1))
	fi
fi
exit $((fails > 0))
