#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-vm: the end-to-end scenarios in QEMU on the stock Debian kernels.
# usage: tests/vm/run.sh [LABEL...]   (labels: 6.1 6.12 6.12-rt; default all)
set -u
. "$(dirname "$0")/lib.sh"

ct_host_setup
want=("$@")
work="$CT_WORK/e2e"
mkdir -p "$work"
ct_build_progs "$work/progs"
fails=0
while read -r label rel; do
	if [ ${#want[@]} -gt 0 ] && [[ " ${want[*]} " != *" $label "* ]]; then
		continue
	fi
	ct_log "kernel $label: $rel"
	vmlinuz=$(ct_kernel_install "$rel") || exit 1
	ct_build_module "/lib/modules/$rel/build" "$work/build-$rel"
	extra=()
	[ -f "$CT_ROOT/tests/vm/guest/reader-e2e.sh" ] && extra+=("$CT_ROOT/tests/vm/guest/reader-e2e.sh")
	ct_initramfs "$work/initrd-$label.gz" "$CT_ROOT/tests/vm/guest/e2e.sh" \
		"$work/build-$rel/module/cowtrace.ko" "$work"/progs/* "${extra[@]}"
	ct_log "booting $label"
	ct_boot "$vmlinuz" "$work/initrd-$label.gz" "$work/console-$label.log" 2 1G
	ct_judge "$work/console-$label.log" "$label"
	fails=$((fails + $?))
done < <(ct_stock_kernels)
exit $((fails > 0))
