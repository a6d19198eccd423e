#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The cowtrace:cow trace event as perf, trace-cmd and bpftrace users see it:
# Debian's tools, with their libraries, in the guest, on every kernel of the
# matrix: the host's own on amd64, bookworm's builds of the same packages
# for another architecture (arm64: see ct_stage_tools).
# usage: tests/event/run.sh [LABEL...]   (default: every label)
set -u
. "$(dirname "$0")/../vm/lib.sh"

ct_host_setup
ct_need_pkgs linux-perf trace-cmd bpftrace
labels=("$@")
[ ${#labels[@]} -gt 0 ] || mapfile -t labels < <(ct_labels)
work="$CT_WORK/event"
mkdir -p "$work"
rm -rf "$work"/tools-* "$work"/progs-*
# The progs and the tools follow the kernel's architecture: each is built
# or staged once per architecture, before the kernels run two at a time
for label in "${labels[@]}"; do
	CT_ARCH=$(ct_row "$label" | awk '{ print $1 }') || exit 1
	progs="$work/progs-$CT_ARCH"
	[ -d "$progs" ] || ct_build_progs "$progs"
	if [ ! -d "$work/tools-$CT_ARCH" ]; then
		ct_stage_tools "$work/tools-$CT_ARCH.tmp" /usr/bin/perf /usr/bin/trace-cmd /usr/bin/bpftrace &&
			mv "$work/tools-$CT_ARCH.tmp" "$work/tools-$CT_ARCH" || exit 1
	fi
done

# event_kernel LABEL: the event's users booted with LABEL's kernel
event_kernel() {
	local label=$1 rel kdir vmlinuz root real d sub progs
	CT_ARCH=$(ct_row "$label" | awk '{ print $1 }')
	progs="$work/progs-$CT_ARCH"
	if ! (ct_kernel "$label" && echo "$CT_K_REL $CT_K_KDIR $CT_K_VMLINUZ" >"$work/kernel-$label"); then
		echo "not ok - [event $label] kernel resolved and installed"
		return 1
	fi
	read -r rel kdir vmlinuz <"$work/kernel-$label"
	ct_build_module "$kdir" "$work/build-$label"
	# Without module BTF (before 5.11), bpftrace compiles the event's
	# struct with clang and needs the kernel's headers.
	root="$work/tools-$CT_ARCH"
	if ! readelf -S "$work/build-$label/module/cowtrace.ko" | grep -q '\.BTF'; then
		root="$work/root-$label"
		rm -rf "$root" && cp -al "$work/tools-$CT_ARCH" "$root"
		real=$(readlink -f "$kdir")
		for d in "${real%-"$CT_ARCH"}-common" "$real"; do
			for sub in include "arch/$(ct_kbuild_arch "$CT_ARCH")/include"; do
				mkdir -p "$root/kheaders/$sub"
				cp -rL "$d/$sub/." "$root/kheaders/$sub/"
			done
		done
	fi
	CT_ROOTFS="$root" ct_initramfs "$work/initrd-$label" \
		"$CT_ROOT/tests/vm/guest/event.sh" \
		"$work/build-$label/module/cowtrace.ko" "$progs"/*
	ct_log "booting $label ($rel) with perf, trace-cmd and bpftrace"
	ct_boot "$vmlinuz" "$work/initrd-$label" "$work/console-$label.log" 2 2G
	ct_judge "$work/console-$label.log" "event $label"
}
ct_lanes "$work/lane" event_kernel "${labels[@]}"
