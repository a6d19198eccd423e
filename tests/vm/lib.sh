# SPDX-License-Identifier: GPL-2.0
# cowtrace test harness library: kernels, module builds, initramfs, QEMU.
# Sourced by the tests/*.sh runners. Everything cached under $CT_CACHE.

CT_ROOT=${CT_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
CT_CACHE=${CT_CACHE:-/var/cache/cowtrace}
# Scratch space of one test run; set CT_WORK to run two suites side by side.
CT_WORK=${CT_WORK:-$CT_CACHE/work}
CT_QEMU_TIMEOUT=${CT_QEMU_TIMEOUT:-600}
# Wait for another apt-get or dpkg instead of failing on its lock.
CT_APT=(apt-get -o DPkg::Lock::Timeout=900)

ct_log() { echo "[$(date +%T)] $*" >&2; }
ct_die() { echo "error: $*" >&2; exit 1; }

# Install Debian packages that are missing (apt-get update once if needed).
ct_need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	ct_log "installing ${missing[*]}"
	if ! "${CT_APT[@]}" install -y --no-install-recommends "${missing[@]}" >"$CT_CACHE/apt.log" 2>&1; then
		"${CT_APT[@]}" update >>"$CT_CACHE/apt.log" 2>&1
		DEBIAN_FRONTEND=noninteractive "${CT_APT[@]}" install -y --no-install-recommends \
			"${missing[@]}" >>"$CT_CACHE/apt.log" 2>&1 ||
			{ tail -20 "$CT_CACHE/apt.log" >&2; ct_die "apt-get install ${missing[*]} failed"; }
	fi
}

ct_host_setup() {
	mkdir -p "$CT_CACHE"
	export DEBIAN_FRONTEND=noninteractive
	ct_need_pkgs qemu-system-x86 busybox-static cpio gcc make libc6-dev kmod gzip
}

# Newest release behind a Debian meta package: ct_release linux-image-amd64
ct_release() {
	local dep
	dep=$(apt-cache depends "$1" 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
	if [ -z "$dep" ]; then
		"${CT_APT[@]}" update >"$CT_CACHE/apt.log" 2>&1
		dep=$(apt-cache depends "$1" | awk '/Depends: linux-image-/ {print $2; exit}')
	fi
	[ -n "$dep" ] || ct_die "cannot resolve $1"
	echo "${dep#linux-image-}"
}

# The three stock kernels: label release
ct_stock_kernels() {
	echo "6.1 $(ct_release linux-image-amd64)"
	echo "6.12 $(ct_release linux-image-6.12-amd64)"
	echo "6.12-rt $(ct_release linux-image-6.12-rt-amd64)"
}

# Headers for kbuild, and a vmlinuz: prints the vmlinuz path.
ct_kernel_install() {
	local rel=$1 dir="$CT_CACHE/kernels/$rel" pkg deb
	ct_need_pkgs "linux-headers-$rel"
	if [ -f "/boot/vmlinuz-$rel" ]; then
		echo "/boot/vmlinuz-$rel"
		return
	fi
	if [ ! -f "$dir/boot/vmlinuz-$rel" ]; then
		mkdir -p "$dir"
		for pkg in "linux-image-$rel-unsigned" "linux-image-$rel"; do
			(cd "$dir" && apt-get download "$pkg" >/dev/null 2>&1) && break
		done
		deb=$(ls "$dir"/linux-image-*.deb 2>/dev/null | head -1)
		[ -n "$deb" ] || ct_die "cannot download linux-image-$rel"
		dpkg-deb -x "$deb" "$dir" && rm -f "$deb"
	fi
	[ -f "$dir/boot/vmlinuz-$rel" ] || ct_die "no vmlinuz in linux-image-$rel"
	echo "$dir/boot/vmlinuz-$rel"
}

# Build the module from the checkout against KDIR in a scratch copy.
# ct_build_module KDIR OUTDIR -> OUTDIR/module/cowtrace.ko
ct_build_module() {
	local kdir=$1 out=$2
	rm -rf "$out" && mkdir -p "$out"
	cp -r "$CT_ROOT/Kbuild" "$CT_ROOT/module" "$out/"
	make -s -C "$kdir" M="$out" modules >"$out/build.log" 2>&1 ||
		{ cat "$out/build.log" >&2; ct_die "module build against $kdir failed"; }
	[ -f "$out/module/cowtrace.ko" ] || ct_die "no cowtrace.ko from $kdir"
}

# Static test programs into DIR.
ct_build_progs() {
	local out=$1 src
	mkdir -p "$out"
	for src in "$CT_ROOT"/tests/vm/progs/*.c; do
		gcc -static -O2 -Wall -Wextra -o "$out/$(basename "$src" .c)" "$src" -lpthread ||
			ct_die "building $src"
	done
	if [ -f "$CT_ROOT/user/Makefile" ]; then
		# The reader, static, built in a scratch copy of the tree.
		rm -rf "$out/src" && mkdir -p "$out/src/module"
		cp -r "$CT_ROOT/user" "$out/src/"
		cp -r "$CT_ROOT/module/version.h" "$CT_ROOT/module/uapi" "$out/src/module/"
		make -s -C "$out/src/user" clean >/dev/null 2>&1
		make -s -C "$out/src/user" LDFLAGS=-static >"$out/reader-build.log" 2>&1 ||
			{ cat "$out/reader-build.log" >&2; ct_die "building the reader"; }
		cp "$out/src/user/cowtrace" "$out/cowtrace"
		rm -rf "$out/src"
	fi
	return 0
}

# ct_initramfs OUT.cpio.gz GUEST_SCRIPT FILE... : busybox, /init, the files in /bin
ct_initramfs() {
	local out=$1 script=$2 root f
	shift 2
	root=$(mktemp -d)
	chmod 755 "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,mnt,root,etc}
	chmod 1777 "$root/tmp"
	cp /bin/busybox "$root/bin/busybox"
	cp "$CT_ROOT/tests/vm/guest/init" "$root/init"
	cp "$CT_ROOT/tests/vm/guest/lib.sh" "$root/lib.sh"
	cp "$script" "$root/test.sh"
	for f in "$@"; do
		cp "$f" "$root/bin/"
	done
	chmod +x "$root/init" "$root/bin"/*
	echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$root/etc/passwd"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	rm -rf "$root"
}

# ct_boot VMLINUZ INITRD LOG [SMP] [MEM] [APPEND...]: boot, wait for poweroff.
ct_boot() {
	local kernel=$1 initrd=$2 log=$3 smp=${4:-2} mem=${5:-1G}
	shift 5 2>/dev/null || shift $#
	# shellcheck disable=SC2086
	timeout "$CT_QEMU_TIMEOUT" qemu-system-x86_64 -accel tcg,thread=single \
		-cpu max -smp "$smp" -m "$mem" -nographic -no-reboot ${CT_QEMU_EXTRA:-} \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4 $*" \
		</dev/null >"$log" 2>&1
	local rc=$?
	[ $rc -eq 124 ] && echo "HOST: qemu timed out after ${CT_QEMU_TIMEOUT}s" >>"$log"
	return 0
}

# Results: lines "ok - name" / "not ok - name" from a guest log, prefixed.
# The guest must run to the end, exit 0 (CT-GUEST-STATUS) and run exactly
# the checks its "plan N" lines add up to.
# ct_judge LOG LABEL -> prints lines, returns number of failures
ct_judge() {
	local log=$1 label=$2 fails=0 line ran planned nplans status
	while IFS= read -r line; do
		line=${line%$'\r'}
		case "$line" in
		"ok - "*) echo "ok - [$label] ${line#ok - }" ;;
		"not ok - "*) echo "not ok - [$label] ${line#not ok - }"; fails=$((fails + 1)) ;;
		"# "*) echo "$line" ;;
		esac
	done < <(grep -a -E '^(ok - |not ok - |# )' "$log")
	if ! grep -aq '^CT-GUEST-DONE' "$log"; then
		echo "not ok - [$label] guest ran to the end (see $log)"
		fails=$((fails + 1))
	else
		echo "ok - [$label] guest ran to the end"
	fi
	status=$(sed -n 's/^CT-GUEST-STATUS \([0-9]*\).*/\1/p' "$log" | head -1)
	if [ "$status" = 0 ]; then
		echo "ok - [$label] guest test script exited 0"
	else
		echo "not ok - [$label] guest test script exited 0 (status: ${status:-none})"
		fails=$((fails + 1))
	fi
	ran=$(grep -a -c -E '^(ok|not ok) - ' "$log")
	nplans=$(grep -a -c -E '^plan [0-9]+'$'\r''?$' "$log")
	planned=$(grep -a -E '^plan [0-9]+'$'\r''?$' "$log" | tr -d '\r' | awk '{ n += $2 } END { print n + 0 }')
	if [ "$nplans" -gt 0 ] && [ "$ran" -eq "$planned" ]; then
		echo "ok - [$label] guest ran the $planned checks it planned"
	else
		echo "not ok - [$label] guest ran the checks it planned ($ran ran, $planned planned in $nplans plan lines)"
		fails=$((fails + 1))
	fi
	# KCSAN reports: those where a racing access is a module's code (its
	# title names a [module] function: [cowtrace], [racy]...) fail the run;
	# those where both are core-kernel code (6.12 has a few, in non-strict
	# mode too, e.g. its timekeeping latch, also when cowtrace calls
	# ktime_get_mono_fast_ns()) are listed, counted and left to upstream.
	# A report shows twice (console, without frames below loglevel=4; the
	# dmesg dump, with them): one report per timestamp.
	awk '/BUG: KCSAN:/ { ts = $1 " " $2; if (!(ts in title)) { title[ts] = $0; n[++cnt] = ts }
		inrep = 1; if ($0 ~ / \[[A-Za-z0-9_]+\]/) mod[ts] = 1; next }
	inrep && /\+0x[0-9a-f]+\/0x[0-9a-f]+ \[[A-Za-z0-9_]+\]/ { via[ts] = 1 }
	inrep && /==========/ { inrep = 0 }
	END { for (i = 1; i <= cnt; i++) print (mod[n[i]] ? "module " : "core ") title[n[i]] \
		(!mod[n[i]] && via[n[i]] ? " (called from a module)" : "") }' \
		"$log" | tr -d '\r' >"$log.kcsan"
	if grep -q '^core ' "$log.kcsan"; then
		echo "# $(grep -c '^core ' "$log.kcsan") KCSAN report(s) with both racing accesses in the core kernel:"
		grep '^core ' "$log.kcsan" | sed 's/^core /#   /' | head -5
	fi
	{
		grep '^module ' "$log.kcsan"
		grep -a -E 'WARNING:|BUG:|Oops|general protection|Kernel panic|Call Trace|possible circular locking|KASAN|KCSAN:|kmemleak: [0-9]+ new|INFO: task .* blocked|sleeping function called' "$log" |
			grep -v -E '^(ok|not ok) - |BUG: KCSAN:'
	} >"$log.bad"
	if [ -s "$log.bad" ]; then
		echo "not ok - [$label] kernel log has no WARNING, BUG, lockdep, KASAN or KCSAN report"
		sed 's/^/#   /' "$log.bad" | head -20
		fails=$((fails + 1))
	else
		echo "ok - [$label] kernel log has no WARNING, BUG, lockdep, KASAN or KCSAN report"
	fi
	return $fails
}
