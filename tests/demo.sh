#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot a throwaway VM on a stock Debian kernel, load
# "cowtrace filter=cow", run the fork-then-write program cow (100 pages at
# 0x100000000000) and show what the reader prints.
set -u
. "$(dirname "$0")/vm/lib.sh"

label=${DEMO_KERNEL:-6.12}
ct_host_setup
work="$CT_WORK/demo"
mkdir -p "$work"
rel=$(ct_stock_kernels | awk -v l="$label" '$1 == l { print $2 }')
[ -n "$rel" ] || ct_die "unknown kernel $label"
ct_log "kernel $rel: headers, vmlinuz"
vmlinuz=$(ct_kernel_install "$rel") || exit 1
ct_log "building the module and the reader"
ct_build_module "/lib/modules/$rel/build" "$work/build"
ct_build_progs "$work/progs"
ct_initramfs "$work/initrd.gz" "$CT_ROOT/tests/vm/guest/demo.sh" \
	"$work/build/module/cowtrace.ko" "$work"/progs/*
ct_log "booting $rel in QEMU (TCG)"
ct_boot "$vmlinuz" "$work/initrd.gz" "$work/console.log" 2 1G
sed -n '/^CT-DEMO-BEGIN/,/^CT-DEMO-END/p' "$work/console.log" | tr -d '\r' |
	grep -v '^CT-DEMO-'
grep -aq '^CT-DEMO-END' "$work/console.log" ||
	{ tail -30 "$work/console.log"; ct_die "the demo VM did not finish; log: $work/console.log"; }
