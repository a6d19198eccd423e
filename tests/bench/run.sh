#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the cost cowtrace adds to each copy-on-write fault, side by
# side with an empty kprobe, an ftrace kprobe event and bpftrace, in one
# boot of the stock 6.12 kernel. Writes tests/bench/results.{json,md,png}.
# Not a test: the figures are emulated-CPU (TCG) times; compare ratios.
set -u
. "$(dirname "$0")/../vm/lib.sh"

# ROUNDS=N rounds; CONFIGS=a,b,... only those configurations, the results
# then left in the work directory (a quick look, not the bench).
ROUNDS=${ROUNDS:-7}
# The module whose text path (scnprintf per field) cowtrace_cat_0.2.0 reads:
# the last commit before the hand-written format and /proc/cowtrace_raw.
TEXT020_REV=${TEXT020_REV:-1110f7d}
ct_host_setup
ct_need_pkgs bpftrace gnuplot-nox python3
out="$CT_ROOT/tests/bench"
work="$CT_WORK/bench"
rm -rf "$work" && mkdir -p "$work"
rel=$(ct_stock_kernels | awk '$1 == "6.12" { print $2 }')
vmlinuz=$(ct_kernel_install "$rel") || exit 1
kdir=/lib/modules/$rel/build
ct_build_module "$kdir" "$work/build"
# The same module without its trace event's call: what the disabled event
# costs is the difference (one static branch).
ct_build_module "$kdir" "$work/build-noevent" KCFLAGS=-DCOWTRACE_BENCH_NO_EVENT
cp "$work/build-noevent/module/cowtrace.ko" "$work/cowtrace-noevent.ko"
# The 0.2.0 text path, for cat's cost per record before and after.
mkdir -p "$work/src020"
git -C "$CT_ROOT" archive "$TEXT020_REV" Kbuild module | tar -x -C "$work/src020" ||
	ct_die "cannot read $TEXT020_REV's module"
CT_ROOT="$work/src020" ct_build_module "$kdir" "$work/build-text020"
cp "$work/build-text020/module/cowtrace.ko" "$work/cowtrace-text020.ko"
ct_build_progs "$work/progs"
gcc -static -O2 -Wall -Wextra -o "$work/progs/cowbench" "$out/cowbench.c" || exit 1
# The floor (an empty kprobe) and the filtered-out entry on each way to
# hook an exit (kretprobe, fprobe, bare ftrace_ops).
cp -r "$out/attach" "$work/attach"
make -s -C "$kdir" M="$work/attach" modules >"$work/attach.log" 2>&1 ||
	{ cat "$work/attach.log"; exit 1; }

# offsetof(struct vm_fault, address) from the kernel's own headers
mkdir -p "$work/off"
cat >"$work/off/off.c" <<'C'
#include <linux/mm.h>
#include <linux/stddef.h>
void cowtrace_offsets(void);
void cowtrace_offsets(void)
{
	asm volatile("\n.ascii \"->VMF_ADDRESS %0\"" : : "i" (offsetof(struct vm_fault, address)));
}
C
echo 'obj-m := off.o' >"$work/off/Kbuild"
make -s -C "$kdir" M="$work/off" off.s >/dev/null 2>&1
off=$(sed -n 's/.*->VMF_ADDRESS \$\([0-9]*\).*/\1/p' "$work/off/off.s")
[ -n "$off" ] || ct_die "cannot find offsetof(struct vm_fault, address)"

# bpftrace and the libraries it needs, at their own paths (ct_stage_tools)
rm -rf "$work/root"
ct_stage_tools "$work/root" "$(command -v bpftrace)"
CT_ROOTFS="$work/root" ct_initramfs "$work/initrd" "$out/guest.sh" \
	"$work/build/module/cowtrace.ko" "$work/cowtrace-noevent.ko" \
	"$work/cowtrace-text020.ko" "$work/attach/attach.ko" "$work"/progs/*
ct_log "booting $rel for $ROUNDS interleaved rounds (this takes a while)"
# -icount: the guest clock counts emulated instructions (1 ns each), so a
# fault's cost is not blurred by the host's timing noise.
CT_QEMU_EXTRA="-icount shift=0" CT_QEMU_TIMEOUT=3600 ct_boot "$vmlinuz" "$work/initrd" "$work/console.log" 2 3G \
	"ct.rounds=$ROUNDS ct.vmfoff=$off${CONFIGS:+ ct.configs=$CONFIGS}"
grep -a -E '^(BENCH|CEILING|LATENCY|FORK)' "$work/console.log" | tr -d '\r' >"$work/results.txt"
grep -a 'BENCH-ERROR\|# bpftrace' "$work/console.log" | tr -d '\r'
if [ -n "${CONFIGS:-}" ]; then
	# A look at a few configurations: the committed results stay.
	python3 "$out/report.py" "$work/results.txt" "$work" "$rel" || exit 1
	exit 0
fi
python3 "$out/report.py" "$work/results.txt" "$out" "$rel" || exit 1
(cd "$CT_ROOT" && gnuplot tests/bench/plot.gp) && ct_log "wrote $out/results.png"
# docs/performance.md's figures, rendered from results.json (tests/docs.sh).
python3 "$CT_ROOT/docs/bench-figures.py" || exit 1
cat "$out/results.md"
