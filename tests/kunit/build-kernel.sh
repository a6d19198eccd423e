#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) a debug test kernel: Debian's linux-source-6.12,
# tinyconfig + tests/kunit/kernel.config (+ kernel-kcsan.config for the
# KCSAN flavour), cached outside the checkout under a key of the source
# version and the fragments. Last line of stdout: the kernel tree (KDIR);
# the image is KDIR/arch/x86/boot/bzImage.
# usage: build-kernel.sh [kcsan]
set -u
. "$(dirname "$0")/../vm/lib.sh"

frags=("$CT_ROOT/tests/kunit/kernel.config")
prefix=kunit-kernel
if [ "${1:-}" = kcsan ]; then
	frags+=("$CT_ROOT/tests/kunit/kernel-kcsan.config")
	prefix=kcsan-kernel
fi
ct_host_setup
ct_need_pkgs linux-source-6.12 xz-utils bc flex bison libelf-dev libssl-dev \
	build-essential python3 perl rsync
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=$( (echo "$srcver"; cat "${frags[@]}") | sha256sum | cut -c1-12)
kdir="$CT_CACHE/$prefix-$key"
# One build of a tree at a time: check.sh may have started it already.
mkdir -p "$CT_CACHE"
exec {lock}>"$kdir.lock"
flock "$lock"

if [ -f "$kdir/.ct-built" ] && [ -f "$kdir/Module.symvers" ]; then
	ct_log "debug kernel: cached at $kdir"
	echo "$kdir"
	exit 0
fi
if [ -f "$kdir/.ct-built" ]; then
	# An older cache without Module.symvers: finish it in place.
	make -C "$kdir" -s -j"$(nproc)" modules >>"$kdir/build.log" 2>&1 ||
		ct_die "make modules in $kdir failed"
	echo "$kdir"
	exit 0
fi
rm -rf "$kdir"
mkdir -p "$kdir"
ct_log "debug kernel: extracting linux-source-6.12 $srcver"
tar -xf /usr/src/linux-source-6.12.tar.xz -C "$kdir" --strip-components=1 ||
	ct_die "cannot extract linux-source-6.12"
cd "$kdir" || exit 1
ct_log "debug kernel: tinyconfig + ${frags[*]##*/}"
make -s tinyconfig >/dev/null
scripts/kconfig/merge_config.sh -m .config "${frags[@]}" >config.log 2>&1 ||
	{ cat config.log >&2; ct_die "merge_config failed"; }
make -s olddefconfig >/dev/null
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) opt=${line%%=*}
		grep -q "^$opt=" .config && { echo "error: $opt is set, wanted off" >&2; bad=1; } ;;
	CONFIG_*=*) grep -qx "$line" .config || { echo "error: $line did not take (got: $(grep "^${line%%=*}=" .config || echo unset))" >&2; bad=1; } ;;
	esac
done < <(cat "${frags[@]}" | awk -F= '/^CONFIG_/ { v[$1] = $0; if (!($1 in o)) o[$1] = n++ }
	END { for (k in v) print o[k] "\t" v[k] }' | sort -n | cut -f2-)	# the last setting of each option
[ $bad = 0 ] || ct_die "the config fragment did not apply; see above"
ct_log "debug kernel: building bzImage (a few minutes)"
start=$SECONDS
make -j"$(nproc)" bzImage >build.log 2>&1 ||
	{ tail -30 build.log >&2; ct_die "kernel build failed ($kdir/build.log)"; }
# Module.symvers, for out-of-tree modules (there are no in-tree ones).
make -j"$(nproc)" modules >>build.log 2>&1 || ct_die "make modules failed"
make -s modules_prepare >>build.log 2>&1 || ct_die "modules_prepare failed"
grep -q ' do_wp_page$' System.map ||
	ct_die "do_wp_page is not a symbol of the debug kernel (inlined?): check CONFIG_SWAP and the optimisation level"
ct_log "debug kernel: built in $((SECONDS - start)) s"
touch .ct-built
# Older builds (another fragment or source version) are not needed.
for old in "$CT_CACHE/$prefix"-*; do
	[ "$old" != "$kdir" ] && [ -d "$old" ] && rm -rf "$old"
done
echo "$kdir"
