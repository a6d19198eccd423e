#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-vm: the end-to-end scenarios (guest/e2e.sh, guest/reader-e2e.sh)
# in QEMU on every kernel of the matrix (CT_MATRIX in lib.sh).
# usage: tests/vm/run.sh [LABEL...]   (default: every label)
set -u
. "$(dirname "$0")/lib.sh"

ct_host_setup
labels=("$@")
[ ${#labels[@]} -gt 0 ] || mapfile -t labels < <(ct_labels)
work="$CT_WORK/e2e"
mkdir -p "$work"
# Kernels built elsewhere than the host (chroots, cross) are fetched in the
# background meanwhile: a cold debootstrap takes minutes, mostly waiting.
for label in "${labels[@]}"; do
	case $(ct_row "$label" | awk '{ print $2 }') in
	host) ;;
	*) (ct_kernel "$label") >"$work/prefetch-$label.log" 2>&1 & ;;
	esac
done
fails=0
for label in "${labels[@]}"; do
	start=$SECONDS
	ct_log "kernel $label: resolving, headers, vmlinuz"
	if ! (ct_kernel "$label" && echo "$CT_K_REL $CT_K_ARCH $CT_K_KDIR $CT_K_VMLINUZ" >"$work/kernel-$label"); then
		echo "not ok - [$label] kernel resolved and installed"
		fails=$((fails + 1))
		continue
	fi
	read -r rel arch kdir vmlinuz <"$work/kernel-$label"
	CT_ARCH=$arch
	echo "# [$label] $rel ($arch, $(ct_row "$label" | awk '{ print $2 }'))"
	if ! (ct_build_module "$kdir" "$work/build-$label"); then
		echo "not ok - [$label] module builds against $rel"
		fails=$((fails + 1))
		continue
	fi
	echo "ok - [$label] module builds against $rel"
	ct_build_progs "$work/progs-$arch"
	extra=("$CT_ROOT/tests/vm/guest/holes.sh")
	# The kernel's own ext4 and loop modules, when kept (ct_keep_mods).
	mods=$(ct_kernel_mods "$vmlinuz")
	if [ -n "$mods" ] && [ -s "$mods/order" ]; then
		mkdir -p "$work/kmods-$label"
		tar -C "$mods" -cf "$work/kmods-$label/kmods.tar" order $(cat "$mods/order")
		extra+=("$work/kmods-$label/kmods.tar")
	fi
	[ -f "$CT_ROOT/tests/vm/guest/reader-e2e.sh" ] && extra+=("$CT_ROOT/tests/vm/guest/reader-e2e.sh")
	ct_initramfs "$work/initrd-$label.gz" "$CT_ROOT/tests/vm/guest/e2e.sh" \
		"$work/build-$label/module/cowtrace.ko" "$work/progs-$arch"/* "${extra[@]}"
	ct_log "booting $label ($((SECONDS - start)) s to get here)"
	ct_boot "$vmlinuz" "$work/initrd-$label.gz" "$work/console-$label.log" 2 1G
	ct_judge "$work/console-$label.log" "$label"
	fails=$((fails + $?))
	echo "# [$label] $((SECONDS - start)) s"
done
wait
exit $((fails > 0))
