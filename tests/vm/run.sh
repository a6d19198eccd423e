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
# The programs and the reader, once per architecture, before the kernels
# run two at a time (ct_lanes)
declare -A dynprogs=()
for label in "${labels[@]}"; do
	arch=$(ct_row "$label" | awk '{ print $1 }') || exit 1
	[ -n "${dynprogs[$arch]:-}" ] && continue
	CT_ARCH=$arch ct_build_progs "$work/progs-$arch"
	dynprogs[$arch]=$(CT_ARCH=$arch ct_build_dynprogs "$work/dynprogs-$arch") || exit 1
done

# vm_kernel LABEL: the module built against LABEL's kernel and the guest
# scripts booted in it; prints the results, returns the failures
vm_kernel() {
	local label=$1 start=$SECONDS fails=0 rel arch kdir vmlinuz mods extra
	rm -f "$work/console-$label.log"	# no stale log counts below
	ct_log "kernel $label: resolving, headers, vmlinuz"
	if ! (ct_kernel "$label" && echo "$CT_K_REL $CT_K_ARCH $CT_K_KDIR $CT_K_VMLINUZ" >"$work/kernel-$label"); then
		echo "not ok - [$label] kernel resolved and installed"
		return 1
	fi
	read -r rel arch kdir vmlinuz <"$work/kernel-$label"
	CT_ARCH=$arch
	echo "# [$label] $rel ($arch, $(ct_row "$label" | awk '{ print $2 }'))"
	if ! (ct_build_module "$kdir" "$work/build-$label"); then
		echo "not ok - [$label] module builds against $rel"
		return 1
	fi
	echo "ok - [$label] module builds against $rel"
	extra=("$CT_ROOT/tests/vm/guest/holes.sh")
	# The kernel's own ext4 and loop modules, when kept (ct_keep_mods).
	mods=$(ct_kernel_mods "$vmlinuz")
	if [ -n "$mods" ] && [ -s "$mods/order" ]; then
		mkdir -p "$work/kmods-$label"
		tar -C "$mods" -cf "$work/kmods-$label/kmods.tar" order $(cat "$mods/order")
		extra+=("$work/kmods-$label/kmods.tar")
	fi
	[ -f "$CT_ROOT/tests/vm/guest/reader-e2e.sh" ] && extra+=("$CT_ROOT/tests/vm/guest/reader-e2e.sh")
	extra+=("$CT_ROOT/tests/vm/guest/attr.sh" "${dynprogs[$arch]}")	# attribution (/opt/attr)
	[ -f "$CT_ROOT/tests/vm/guest/forks.sh" ] && extra+=("$CT_ROOT/tests/vm/guest/forks.sh")
	ct_initramfs "$work/initrd-$label.gz" "$CT_ROOT/tests/vm/guest/e2e.sh" \
		"$work/build-$label/module/cowtrace.ko" "$work/progs-$arch"/* "${extra[@]}"
	ct_log "booting $label ($((SECONDS - start)) s to get here)"
	ct_boot "$vmlinuz" "$work/initrd-$label.gz" "$work/console-$label.log" 2 1G
	ct_judge "$work/console-$label.log" "$label"
	fails=$((fails + $?))
	# The kernel-log check's positive control, on one stock kernel: a
	# WARN_ON module must fail a judged run (the debug kernels' control,
	# with lockdep, RCU and kmemleak reports, is in tests/kunit/run.sh).
	if [ "$label" = "${CT_CONTROL_LABEL:-6.12}" ]; then
		ct_control "$label" "$vmlinuz" "$kdir" "$work" warn 'WARNING: .* warn_init'
		fails=$((fails + $?))
	fi
	echo "# [$label] $((SECONDS - start)) s"
	return $((fails > 0))
}
ct_lanes "$work/lane" vm_kernel "${labels[@]}"
fails=$?
wait
# The optional sections of the guest scripts (a kernel may lack what they
# need: each then notes why) must each have run on at least one kernel of
# the matrix: the guest prints "section NAME ran". Judged when the whole
# matrix ran; a run of some kernels only notes what none of them ran.
whole=$([ $# -eq 0 ] && echo y)
for s in finish_fault thp hugetlb ksm pgreuse uffdwp reader userns uffd-park forkpin forkpin-thp \
	 forkpin-hugetlb hugetlb-shared ext4-notify missed-control shmem-thp-split attr; do
	ran=$(for label in "${labels[@]}"; do
		grep -aq "^section $s ran" "$work/console-$label.log" 2>/dev/null && echo "$label"
	done | tr '\n' ' ')
	if [ -n "$ran" ]; then
		echo "ok - optional section $s ran on at least one kernel (${ran% })"
	elif [ -z "$whole" ]; then
		echo "# note: optional section $s ran on none of ${labels[*]} (judged when the whole matrix runs)"
	else
		echo "not ok - optional section $s ran on at least one kernel (of ${labels[*]})"
		fails=$((fails + 1))
	fi
done
exit $((fails > 0))
