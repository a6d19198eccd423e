#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-kunit: build (or reuse) the debug kernel, boot it with the
# KUnit module and cowtrace.ko, run the KUnit suite and the end-to-end
# scenarios, and fail on any KUnit, lockdep, KASAN or kmemleak report;
# then the positive control: modules that WARN, break lockdep and RCU rules
# and leak must draw reports that ct_judge fails (tests/kunit/warn/).
# With "kcsan": the same in the KCSAN kernel, with its positive control: a
# deliberately racy module must draw a KCSAN report that ct_judge fails.
# usage: tests/kunit/run.sh [kcsan]
set -u
. "$(dirname "$0")/../vm/lib.sh"

flavor=${1:-}
label=debug
[ "$flavor" = kcsan ] && label=kcsan
ct_host_setup
kdir=$("$CT_ROOT/tests/kunit/build-kernel.sh" $flavor | tail -1)
[ -f "$kdir/arch/x86/boot/bzImage" ] || { echo "not ok - $label kernel built"; exit 1; }
echo "ok - $label kernel built, do_wp_page a real symbol ($kdir)"
work="$CT_WORK/kunit${flavor:+-$flavor}"
mkdir -p "$work"
rm -rf "$work/kunit" && mkdir -p "$work/kunit"
cp "$CT_ROOT"/tests/kunit/Kbuild "$CT_ROOT"/tests/kunit/*.c "$CT_ROOT"/module/*.[ch] "$work/kunit/"
cp -r "$CT_ROOT"/module/uapi "$CT_ROOT"/module/compat.mk "$work/kunit/"
rm -f "$work/kunit/"*.mod.c
make -s -C "$kdir" M="$work/kunit" modules >"$work/kunit/build.log" 2>&1 ||
	{ cat "$work/kunit/build.log"; echo "not ok - cowtrace_kunit.ko builds"; exit 1; }
ct_build_module "$kdir" "$work/build"
ct_build_progs "$work/progs"
extra=("$CT_ROOT/tests/vm/guest/e2e.sh")
extra+=("$CT_ROOT/tests/vm/guest/holes.sh")
[ -f "$CT_ROOT/tests/vm/guest/reader-e2e.sh" ] && extra+=("$CT_ROOT/tests/vm/guest/reader-e2e.sh")
ct_initramfs "$work/initrd.gz" "$CT_ROOT/tests/kunit/guest.sh" \
	"$work/kunit/cowtrace_kunit.ko" "$work/build/module/cowtrace.ko" \
	"$work"/progs/* "${extra[@]}"
ct_log "booting the debug kernel"
ct_boot "$kdir/arch/x86/boot/bzImage" "$work/initrd.gz" "$work/console.log" 2 1G
ct_judge "$work/console.log" $label
fails=$?
# The positive controls: a run with a report must fail ct_judge, and each
# report must be in what it lists. Debug kernel: a WARN_ON, a lockdep
# circular dependency, a PROVE_RCU splat and a kmemleak leak (warn/);
# KCSAN kernel: a data race in a module (racy/).
bz="$kdir/arch/x86/boot/bzImage"
if [ "$flavor" = kcsan ]; then
	ct_control kcsan "$bz" "$kdir" "$work" racy 'BUG: KCSAN: data-race in racy_'
else
	ct_control debug "$bz" "$kdir" "$work" warn 'WARNING: .* warn_init' \
		'WARNING: possible circular locking dependency detected' \
		'WARNING: suspicious RCU usage' 'kmemleak: [0-9]+ new suspected memory leaks'
fi
fails=$((fails + $?))
exit $((fails > 0))
