#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-kunit: build (or reuse) the debug kernel, boot it with the
# KUnit module and cowtrace.ko, run the KUnit suite and the end-to-end
# scenarios, and fail on any KUnit, lockdep, KASAN or kmemleak report.
# With "kcsan": the same in the KCSAN kernel, then the positive control: a
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
if [ "$flavor" = kcsan ]; then
	rm -rf "$work/racy" && mkdir -p "$work/racy"
	cp "$CT_ROOT"/tests/kunit/racy/Kbuild "$CT_ROOT"/tests/kunit/racy/racy.c "$work/racy/"
	make -s -C "$kdir" M="$work/racy" modules >"$work/racy/build.log" 2>&1 ||
		{ cat "$work/racy/build.log"; echo "not ok - racy.ko builds"; exit 1; }
	ct_initramfs "$work/initrd-racy.gz" "$CT_ROOT/tests/kunit/racy/guest.sh" \
		"$work/racy/racy.ko"
	ct_log "booting the KCSAN kernel with racy.ko (positive control)"
	ct_boot "$kdir/arch/x86/boot/bzImage" "$work/initrd-racy.gz" "$work/console-racy.log" 2 1G
	grep -a 'BUG: KCSAN: data-race in racy_' "$work/console-racy.log" | head -1 | sed 's/^/# /'
	if grep -aq 'BUG: KCSAN: data-race in racy_' "$work/console-racy.log"; then
		echo "ok - [kcsan control] KCSAN reports racy.ko's deliberate data race"
	else
		echo "not ok - [kcsan control] KCSAN reports racy.ko's deliberate data race"
		fails=$((fails + 1))
	fi
	# The judge's verdict on that run, kept out of this suite's results
	ct_judge "$work/console-racy.log" "kcsan control" >"$work/racy.judge"
	if [ $? -gt 0 ] && grep -q '^not ok - .*KCSAN report' "$work/racy.judge"; then
		echo "ok - [kcsan control] ct_judge fails a run that has a KCSAN report"
	else
		echo "not ok - [kcsan control] ct_judge fails a run that has a KCSAN report"
		fails=$((fails + 1))
	fi
fi
exit $((fails > 0))
