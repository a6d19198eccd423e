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

run_one() {	# run_one LABEL VMLINUZ KDIR SECONDS [APPEND...]: returns failures
	local label=$1 vmlinuz=$2 kdir=$3 secs=$4
	shift 4
	ct_build_module "$kdir" "$work/build-$label"
	ct_initramfs "$work/initrd-$label.gz" "$CT_ROOT/tests/stress/guest.sh" \
		"$work/build-$label/module/cowtrace.ko" "$work"/progs/* \
		"$CT_ROOT/tests/stress/guest-unload.sh" "$CT_ROOT/tests/stress/guest-faults.sh"
	ct_log "stress on $label ($secs s load phases)"
	ct_boot "$vmlinuz" "$work/initrd-$label.gz" "$work/console-$label.log" 4 1G \
		"ct.secs=$secs" "$@"
	grep -a '^# figure:' "$work/console-$label.log" | tr -d '\r' >"$work/figures-$label"
	ct_judge "$work/console-$label.log" "stress $label"
}

# stress_kernel stock|debug|kcsan: one kernel's run (ct_lanes runs two at
# once: each guest's vCPUs share one core)
stress_kernel() {
	local rel vmlinuz kdir
	case $1 in
	stock)
		rel=$(ct_stock_kernels | awk '$1 == "6.12" { print $2 }')
		vmlinuz=$(ct_kernel_install "$rel") || return 1
		run_one 6.12 "$vmlinuz" "/lib/modules/$rel/build" 20
		;;
	debug)
		if [ ! -x "$CT_ROOT/tests/kunit/build-kernel.sh" ]; then
			# Asked for, so not a silent skip: a run that did not happen fails.
			echo "# note: stress debug skipped because tests/kunit/build-kernel.sh is missing"
			echo "not ok - [stress debug] the debug kernel's builder is there"
			return 1
		fi
		kdir=$("$CT_ROOT/tests/kunit/build-kernel.sh" | tail -1)
		if [ ! -f "$kdir/arch/x86/boot/bzImage" ]; then
			echo "not ok - [stress debug] debug kernel built"
			return 1
		fi
		# KASAN and lockdep under TCG: about twice as long
		CT_QEMU_TIMEOUT=$((CT_QEMU_TIMEOUT * 2)) \
			run_one debug "$kdir/arch/x86/boot/bzImage" "$kdir" 10
		;;
	kcsan)
		kdir=$("$CT_ROOT/tests/kunit/build-kernel.sh" kcsan | tail -1)
		if [ ! -f "$kdir/arch/x86/boot/bzImage" ]; then
			echo "not ok - [stress kcsan] KCSAN kernel built"
			return 1
		fi
		# KCSAN's watchpoint delays under TCG: about three times as long
		CT_QEMU_TIMEOUT=$((CT_QEMU_TIMEOUT * 3)) \
			run_one kcsan "$kdir/arch/x86/boot/bzImage" "$kdir" 10 ct.faults=1
		;;
	*)
		echo "not ok - stress: no kernel named $1 (stock, debug, kcsan)"
		return 1
		;;
	esac
}

# shellcheck disable=SC2086
ct_lanes "$work/lane" stress_kernel $want
