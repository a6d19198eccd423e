#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo [DEMO_KERNEL=LABEL]: boot a throwaway VM on a kernel of the
# matrix (CT_MATRIX in vm/lib.sh; default 6.12), load
# "cowtrace filter=cow", run the fork-then-write program cow (100 pages at
# 0x100000000000) and show what the reader prints: the records with where
# they came from, the cost of the fork, the table of functions and regions,
# and the SVG picture (written beside the console log).
set -u
. "$(dirname "$0")/vm/lib.sh"

label=${DEMO_KERNEL:-6.12}
ct_host_setup
work="$CT_WORK/demo"
mkdir -p "$work"
ct_log "kernel $label: resolving, headers, vmlinuz"
ct_kernel "$label"
ct_log "building the module and the reader for $CT_K_REL ($CT_K_ARCH)"
ct_build_module "$CT_K_KDIR" "$work/build"
ct_build_progs "$work/progs-$CT_K_ARCH"
ct_initramfs "$work/initrd.gz" "$CT_ROOT/tests/vm/guest/demo.sh" \
	"$work/build/module/cowtrace.ko" "$work/progs-$CT_K_ARCH"/*
ct_log "booting $CT_K_REL in QEMU (TCG)"
ct_boot "$CT_K_VMLINUZ" "$work/initrd.gz" "$work/console.log" 2 1G
sed -n '/^CT-DEMO-BEGIN/,/^CT-DEMO-END/p' "$work/console.log" | tr -d '\r' |
	grep -v '^CT-DEMO-'
grep -aq '^CT-DEMO-END' "$work/console.log" ||
	{ tail -30 "$work/console.log"; ct_die "the demo VM did not finish; log: $work/console.log"; }
# The picture the reader drew in the guest (--svg), out through the console.
if grep -aq '^CT-SVG-END' "$work/console.log"; then
	sed -n '/^CT-SVG-BEGIN/,/^CT-SVG-END/p' "$work/console.log" | tr -d '\r' |
		grep -v '^CT-SVG-' >"$work/cow.svg"
	ct_log "wrote $work/cow.svg: bytes copied over time per process, and where (open it in a browser)"
fi
