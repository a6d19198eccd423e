#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The cowtrace:cow trace event as perf, trace-cmd and bpftrace users see it:
# the host's Debian tools, with their libraries, in the guest, on every x86
# kernel of the matrix (the tools are amd64 binaries).
# usage: tests/event/run.sh [LABEL...]   (default: every amd64 label)
set -u
. "$(dirname "$0")/../vm/lib.sh"

ct_host_setup
ct_need_pkgs linux-perf trace-cmd bpftrace
labels=("$@")
[ ${#labels[@]} -gt 0 ] ||
	mapfile -t labels < <(ct_labels | while read -r l; do
		[ "$(ct_row "$l" | awk '{ print $1 }')" = amd64 ] && echo "$l"; done)
work="$CT_WORK/event"
mkdir -p "$work"
ct_build_progs "$work/progs"
rm -rf "$work/root"
ct_stage_tools "$work/root" /usr/bin/perf /usr/bin/trace-cmd /usr/bin/bpftrace
fails=0
for label in "${labels[@]}"; do
	if ! (ct_kernel "$label" && echo "$CT_K_REL $CT_K_KDIR $CT_K_VMLINUZ" >"$work/kernel-$label"); then
		echo "not ok - [event $label] kernel resolved and installed"
		fails=$((fails + 1))
		continue
	fi
	read -r rel kdir vmlinuz <"$work/kernel-$label"
	ct_build_module "$kdir" "$work/build-$label"
	# Without module BTF (before 5.11), bpftrace compiles the event's
	# struct with clang and needs the kernel's headers.
	root="$work/root"
	if ! readelf -S "$work/build-$label/module/cowtrace.ko" | grep -q '\.BTF'; then
		root="$work/root-$label"
		rm -rf "$root" && cp -al "$work/root" "$root"
		real=$(readlink -f "$kdir")
		for d in "${real%-amd64}-common" "$real"; do
			for sub in include arch/x86/include; do
				mkdir -p "$root/kheaders/$sub"
				cp -rL "$d/$sub/." "$root/kheaders/$sub/"
			done
		done
	fi
	CT_ROOTFS="$root" ct_initramfs "$work/initrd-$label" \
		"$CT_ROOT/tests/vm/guest/event.sh" \
		"$work/build-$label/module/cowtrace.ko" "$work"/progs/*
	ct_log "booting $label ($rel) with perf, trace-cmd and bpftrace"
	ct_boot "$vmlinuz" "$work/initrd-$label" "$work/console-$label.log" 2 2G
	ct_judge "$work/console-$label.log" "event $label"
	fails=$((fails + $?))
done
exit $((fails > 0))
