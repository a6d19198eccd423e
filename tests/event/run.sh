#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The cowtrace:cow trace event as perf, trace-cmd and bpftrace users see it:
# the host's Debian tools, with their libraries, in the guest.
# usage: tests/event/run.sh [LABEL...]   (default: every x86 kernel)
set -u
. "$(dirname "$0")/../vm/lib.sh"

ct_host_setup
ct_need_pkgs linux-perf trace-cmd bpftrace
want=("$@")
work="$CT_WORK/event"
mkdir -p "$work"
ct_build_progs "$work/progs"
rm -rf "$work/root"
ct_stage_tools "$work/root" /usr/bin/perf /usr/bin/trace-cmd /usr/bin/bpftrace
fails=0
while read -r label rel; do
	if [ ${#want[@]} -gt 0 ] && [[ " ${want[*]} " != *" $label "* ]]; then
		continue
	fi
	vmlinuz=$(ct_kernel_install "$rel") || exit 1
	ct_build_module "/lib/modules/$rel/build" "$work/build-$rel"
	CT_ROOTFS="$work/root" ct_initramfs "$work/initrd-$label" \
		"$CT_ROOT/tests/vm/guest/event.sh" \
		"$work/build-$rel/module/cowtrace.ko" "$work"/progs/*
	ct_log "booting $label with perf, trace-cmd and bpftrace"
	ct_boot "$vmlinuz" "$work/initrd-$label" "$work/console-$label.log" 2 2G
	ct_judge "$work/console-$label.log" "event $label"
	fails=$((fails + $?))
done < <(ct_stock_kernels)
exit $((fails > 0))
