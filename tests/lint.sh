#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel-code hygiene: checkpatch --no-tree once, make W=1 and sparse (C=2)
# against the headers of every x86 kernel of the matrix (CT_MATRIX in
# vm/lib.sh), each in its build environment, each without a warning.
set -u
. "$(dirname "$0")/vm/lib.sh"

ct_host_setup
ct_need_pkgs sparse linux-source-6.12 xz-utils perl curl
fails=0
res() { if [ "$1" -eq 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fails=$((fails + 1)); fi; }

# checkpatch.pl from Debian's linux-source-6.12, extracted once.
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
cp_dir="$CT_CACHE/checkpatch-$srcver"
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	mkdir -p "$cp_dir"
	tar -xf /usr/src/linux-source-6.12.tar.xz -C "$cp_dir" --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' ||
		ct_die "cannot extract checkpatch.pl"
fi
files=$(ls "$CT_ROOT"/module/*.[ch] "$CT_ROOT"/tests/kunit/*.[ch] 2>/dev/null | grep -v '\.mod\.c$')
# shellcheck disable=SC2086
out=$("$cp_dir/scripts/checkpatch.pl" --no-tree --quiet --show-types -f $files 2>&1)
[ -z "$out" ]
res $? "checkpatch.pl --no-tree: module/ and tests/kunit/ clean"
[ -n "$out" ] && echo "$out" | sed 's/^/#   /' | head -30

# What the module does not support is refused with a message saying why:
# module/Kbuild (faked kernel version and config on the 6.12 headers) and
# dkms.conf's BUILD_EXCLUSIVE_KERNEL.
rel612=$(ct_stock_kernels | awk '$1 == "6.12" { print $2 }')
ct_kernel_install "$rel612" >/dev/null || exit 1
refuse() {
	local name=$1 want=$2 out
	shift 2
	rm -rf "$CT_WORK/lint-refuse" && mkdir -p "$CT_WORK/lint-refuse"
	cp -r "$CT_ROOT/Kbuild" "$CT_ROOT/module" "$CT_WORK/lint-refuse/"
	out=$(make -C "/lib/modules/$rel612/build" M="$CT_WORK/lint-refuse" "$@" modules 2>&1)
	[ $? -ne 0 ] && echo "$out" | grep -q "cowtrace: $want" &&
		[ ! -f "$CT_WORK/lint-refuse/module/cowtrace.ko" ]
	res $? "Kbuild refuses $name: \"cowtrace: $want\""
}
refuse "Linux 5.9" "Linux 5.10 or later only" VERSION=5 PATCHLEVEL=9
refuse "a 32-bit kernel" "64-bit kernels only" CONFIG_64BIT=
refuse "a kernel without kprobes" "the kernel needs CONFIG_KPROBES=y" CONFIG_KPROBES=
refuse "a kernel without dynamic ftrace" "the kernel needs CONFIG_DYNAMIC_FTRACE=y" CONFIG_DYNAMIC_FTRACE=
dkms_ok() { (set +u; . "$CT_ROOT/dkms.conf" && [[ $1 =~ $BUILD_EXCLUSIVE_KERNEL ]]); }
bad=
for r in 5.10.0-46-amd64 5.15.0 6.1.0-56-amd64 6.12.117+deb12-rt-amd64 7.3.4+deb13-amd64 10.0.1; do
	dkms_ok "$r" || bad+=" $r"
done
for r in 4.19.0-27-amd64 5.4.0 5.9.16 3.16.0; do
	dkms_ok "$r" && bad+=" $r(accepted)"
done
[ -z "$bad" ]
res $? "dkms.conf BUILD_EXCLUSIVE_KERNEL takes 5.10 and later, refuses older${bad:+:$bad}"

# A sparse that parses the headers of ROOT's kernels ("" for the host);
# prints its path there. Kernels from 6.14 use __typeof_unqual__, which
# sparse 0.6.4 (bookworm, trixie) rejects, and their Debian headers lack
# scripts/checker-valid.sh: then Debian unstable's sparse is unpacked into
# the chroot (cached by version) and checked here, the same way.
lint_sparse() {
	local root=$1 probe="$CT_WORK/lint-probe" run=() ver dir
	mkdir -p "$probe"
	printf 'static inline int u(const int *q)\n{\n\t__typeof_unqual__(*q) v = *q;\n\treturn v;\n}\n' >"$probe/t.c"
	[ -n "$root" ] && run=(ct_chroot_run "$root" --bind "$probe")
	sparse_ok() { "${run[@]}" "$1" "$probe/t.c" 2>&1 | grep -q error && return 1; "${run[@]}" "$1" "$probe/t.c" >/dev/null 2>&1; }
	if sparse_ok sparse; then
		echo sparse
		return
	fi
	[ -n "$root" ] || { echo sparse; return; }
	curl -sf "$CT_MIRROR/dists/unstable/main/binary-amd64/Packages.xz" | xz -dc |
		awk '/^Package: sparse$/ { p = 1 } p && /^(Version|Filename):/ { print $2 } p && /^$/ { exit }' >"$probe/pkg"
	ver=$(sed -n 1p "$probe/pkg")
	dir="/opt/sparse-$ver"
	if [ -n "$ver" ] && [ ! -x "$root$dir/usr/bin/sparse" ]; then
		curl -sf -o "$probe/sparse.deb" "$CT_MIRROR/$(sed -n 2p "$probe/pkg")" &&
			dpkg-deb -x "$probe/sparse.deb" "$root$dir"
	fi
	if [ -n "$ver" ] && sparse_ok "$dir/usr/bin/sparse"; then
		echo "$dir/usr/bin/sparse"
	else
		echo sparse
	fi
}

for label in $(ct_labels); do
	[ "$(ct_row "$label" | awk '{ print $1 }')" = amd64 ] || continue
	work="$CT_WORK/lint-$label"
	rm -rf "$work" && mkdir -p "$work"
	if ! (ct_kernel "$label" >/dev/null && echo "$CT_K_REL $CT_K_KDIR" >"$work/kernel"); then
		res 1 "kernel $label resolved and installed"
		continue
	fi
	read -r rel kdir <"$work/kernel"
	cp -r "$CT_ROOT/Kbuild" "$CT_ROOT/module" "$work/"
	root=
	case $kdir in "$CT_CACHE"/chroot/*) root=${kdir%/usr/src/*} ;; esac
	check=$(lint_sparse "$root")
	if [ -n "$root" ]; then
		echo "# [$label] sparse: $check $(ct_chroot_run "$root" "$check" --version 2>&1)"
	else
		echo "# [$label] sparse: $check $("$check" --version 2>&1)"
	fi
	# KBUILD_CHECKSRC=2: the checker was validated above, by lint_sparse.
	ct_kmake "$kdir" "$work" -j"$(nproc)" W=1 C=2 KBUILD_CHECKSRC=2 CHECK="$check" modules >"$work/log" 2>&1
	rc=$?
	res $rc "module builds with W=1 C=2 against $label headers ($rel)"
	grep -E 'warning|error' "$work/log" | grep -v 'Skipping BTF' >"$work/warn"
	[ ! -s "$work/warn" ]
	res $? "no compiler or sparse warning against $label headers"
	sed 's/^/#   /' "$work/warn" | head -20
	grep -q 'CHECK .*module/ring.c' "$work/log"
	res $? "sparse ran over the module ($label)"
done
exit $((fails > 0))
