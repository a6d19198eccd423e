# SPDX-License-Identifier: GPL-2.0
# cowtrace test harness library: kernels, module builds, initramfs, QEMU.
# Sourced by the tests/*.sh runners. Everything cached under $CT_CACHE.

CT_ROOT=${CT_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
CT_CACHE=${CT_CACHE:-/var/cache/cowtrace}
# Scratch space of one test run: each suite works in a directory of its own
# below it (check.sh runs some side by side); set CT_WORK to run two at once.
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

# The kernel matrix, one row per kernel:
#   label    arch   build environment   how the release is resolved
# env: host, chroot:SUITE (a debootstrap of SUITE, its -updates and
# -security; +backports adds SUITE-backports), cross:SUITE (headers of
# SUITE's arm64 kernel, host tools, aarch64-linux-gnu-gcc).
# resolve: meta:PKG (the release PKG depends on, in env), newest:SUITE (the
# newest linux-headers-*-ARCH in SUITE). Adding a kernel is adding a row.
CT_MATRIX="
5.10     amd64  chroot:bullseye          meta:linux-image-amd64
6.1      amd64  host                     meta:linux-image-amd64
6.12     amd64  host                     meta:linux-image-6.12-amd64
6.12-rt  amd64  host                     meta:linux-image-6.12-rt-amd64
newest   amd64  chroot:trixie+backports  newest:trixie-backports
arm64    arm64  cross:bookworm           meta:linux-image-6.12-arm64
"
CT_MIRROR=${CT_MIRROR:-http://deb.debian.org/debian}
CT_SECURITY_MIRROR=${CT_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

# Labels of the matrix, in order.
ct_labels() { echo "$CT_MATRIX" | awk 'NF == 4 { print $1 }'; }

# ct_row LABEL -> "arch env resolve"
ct_row() {
	local row
	row=$(echo "$CT_MATRIX" | awk -v l="$1" 'NF == 4 && $1 == l { print $2, $3, $4 }')
	[ -n "$row" ] || ct_die "unknown kernel label $1 (known: $(ct_labels | tr '\n' ' '))"
	echo "$row"
}

# Package lists older than CT_APT_MAX_AGE minutes (default 60) are
# refreshed, so a run picks up a newer kernel release: ct_stale STAMP
ct_stale() { [ -z "$(find "$1" -mmin -"${CT_APT_MAX_AGE:-60}" 2>/dev/null)" ]; }

# sources.list lines of SUITE[+backports]
ct_sources() {
	local suite=${1%+*}
	echo "deb $CT_MIRROR $suite main"
	echo "deb $CT_MIRROR $suite-updates main"
	echo "deb $CT_SECURITY_MIRROR $suite-security main"
	[[ $1 == *+backports ]] && echo "deb $CT_MIRROR $suite-backports main"
	return 0
}

# A build chroot of SUITE[+backports], made once, kept in the cache and
# refreshed (apt-get update) once per CT_WORK run. Prints its directory.
ct_chroot() {
	local spec=$1 suite=${1%+*} dir="$CT_CACHE/chroot/${1/+/-}" tmp lock
	mkdir -p "$CT_CACHE/chroot"
	# One creator at a time: other runs share the cache.
	exec {lock}>"$dir.lock"
	flock "$lock"
	if [ ! -f "$dir/.ct-ready" ]; then
		ct_need_pkgs debootstrap
		tmp="$dir.tmp.$$"
		rm -rf "$tmp"
		ct_log "debootstrap $suite into $dir"
		debootstrap --variant=minbase \
			--include=gcc,make,libc6-dev,libelf-dev,bc,kmod,dwarves,xz-utils,sparse \
			"$suite" "$tmp" "$CT_MIRROR" >"$CT_CACHE/chroot/${1/+/-}.log" 2>&1 ||
			{ tail -20 "$CT_CACHE/chroot/${1/+/-}.log" >&2; rm -rf "$tmp"; ct_die "debootstrap $suite failed"; }
		ct_sources "$spec" >"$tmp/etc/apt/sources.list"
		rm -rf "$dir" && mv "$tmp" "$dir" && touch "$dir/.ct-ready"
	fi
	if ct_stale "$dir/.ct-updated"; then
		ct_chroot_run "$dir" apt-get -o DPkg::Lock::Timeout=900 update \
			>"$CT_CACHE/chroot/${1/+/-}.apt.log" 2>&1 ||
			{ tail -5 "$CT_CACHE/chroot/${1/+/-}.apt.log" >&2; ct_die "apt-get update in $dir"; }
		touch "$dir/.ct-updated"
	fi
	exec {lock}>&-
	echo "$dir"
}

# ct_chroot_run DIR [--bind HOSTDIR] CMD...: run CMD in the chroot, with /proc
# (objtool needs it) and HOSTDIR (at the same path) mounted in a private
# mount namespace; both are unmounted on any exit.
ct_chroot_run() {
	local dir=$1 bind=
	shift
	if [ "${1:-}" = --bind ]; then
		bind=$2
		shift 2
	fi
	unshare --mount --propagation private -- /bin/bash -c '
		dir=$1 bind=$2
		shift 2
		trap "umount -l \"\$dir/proc\" 2>/dev/null; [ -n \"\$bind\" ] && umount -l \"\$dir\$bind\" 2>/dev/null" EXIT
		mount -t proc proc "$dir/proc" || exit 1
		if [ -n "$bind" ]; then
			mkdir -p "$dir$bind" && mount --bind "$bind" "$dir$bind" || exit 1
		fi
		DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot "$dir" "$@"
	' ct-chroot "$dir" "$bind" "$@"
}

# Install packages into a chroot if missing.
ct_chroot_pkgs() {
	local dir=$1 missing=() p
	shift
	for p in "$@"; do
		ct_chroot_run "$dir" dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	ct_log "installing ${missing[*]} in $dir"
	ct_chroot_run "$dir" apt-get -o DPkg::Lock::Timeout=900 install -y \
		--no-install-recommends "${missing[@]}" >"$dir.pkgs.log" 2>&1 ||
		{ tail -20 "$dir.pkgs.log" >&2; ct_die "apt-get install ${missing[*]} in $dir"; }
}

# A private apt (lists and archives in the cache) of SUITE for arm64 and
# amd64 downloads, so that the host's dpkg needs no foreign architecture.
# ct_xapt SUITE apt-get|apt-cache ARGS...
ct_xapt() {
	local suite=$1 tool=$2 d="$CT_CACHE/xapt-$1"
	shift 2
	mkdir -p "$d/lists/partial" "$d/archives/partial" "$d/etc/preferences.d"
	[ -f "$d/sources.list" ] || ct_sources "$suite" >"$d/sources.list"
	"$tool" -o Dir::State::Lists="$d/lists" -o Dir::Cache="$d" \
		-o Dir::Cache::archives="$d/archives" -o Dir::Etc::SourceList="$d/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o Dir::Etc::Preferences="$d/etc/preferences" \
		-o Dir::Etc::PreferencesParts="$d/etc/preferences.d" \
		-o Dir::State::status=/dev/null \
		-o APT::Architecture=amd64 -o APT::Architectures::=amd64 -o APT::Architectures::=arm64 \
		-o Debug::NoLocking=1 "$@"
}

ct_xapt_update() {
	local lock
	mkdir -p "$CT_CACHE/xapt-$1"
	exec {lock}>"$CT_CACHE/xapt-$1.lock"
	flock "$lock"
	if ct_stale "$CT_CACHE/xapt-$1/.ct-updated"; then
		ct_xapt "$1" apt-get update >"$CT_CACHE/xapt-$1.log" 2>&1 ||
			{ tail -5 "$CT_CACHE/xapt-$1.log" >&2; ct_die "apt-get update (private, $1)"; }
		touch "$CT_CACHE/xapt-$1/.ct-updated"
	fi
	exec {lock}>&-
}

# The release behind a meta package: ct_meta_release DEPENDS-OUTPUT
ct_meta_release() { awk '/Depends: linux-image-/ { sub(/^linux-image-/, "", $2); sub(/:.*/, "", $2); print $2; exit }'; }

# Newest release behind a Debian meta package on the host: ct_release PKG
ct_release() {
	local rel
	rel=$(apt-cache depends "$1" 2>/dev/null | ct_meta_release)
	if [ -z "$rel" ]; then
		"${CT_APT[@]}" update >"$CT_CACHE/apt.log" 2>&1
		rel=$(apt-cache depends "$1" | ct_meta_release)
	fi
	[ -n "$rel" ] || ct_die "cannot resolve $1"
	echo "$rel"
}

# The kernels built on the host: label release (the host rows of the matrix)
ct_stock_kernels() {
	local label arch env res
	echo "$CT_MATRIX" | while read -r label arch env res; do
		[ "$env" = host ] || continue
		echo "$label $(ct_release "${res#meta:}")"
	done
}

# ct_kernel LABEL: resolve, download and prepare the kernel of LABEL; sets
#   CT_K_LABEL CT_K_ARCH CT_K_ENV   the row (and CT_ARCH, which the
#                progs, initramfs and cross builds follow)
#   CT_K_REL     the release (uname -r)
#   CT_K_ROOT    the chroot (chroot env) or "" (host, cross)
#   CT_K_KDIR    the headers dir (a path on the host)
#   CT_K_VMLINUZ the kernel image (a path on the host)
ct_kernel() {
	local row arch env res dir rel
	row=$(ct_row "$1") || exit 1
	read -r arch env res <<<"$row"
	CT_K_LABEL=$1 CT_K_ARCH=$arch CT_K_ENV=$env CT_K_ROOT=
	CT_ARCH=$arch
	case $env in
	host)
		rel=$(ct_release "${res#meta:}")
		CT_K_VMLINUZ=$(ct_kernel_install "$rel") || exit 1
		CT_K_KDIR="/lib/modules/$rel/build"
		;;
	chroot:*)
		dir=$(ct_chroot "${env#chroot:}") || exit 1
		CT_K_ROOT=$dir
		case $res in
		meta:*)
			rel=$(ct_chroot_run "$dir" apt-cache depends "${res#meta:}" | ct_meta_release) ;;
		newest:*)
			rel=$(cat "$dir"/var/lib/apt/lists/*_"${res#newest:}"_main_binary-"$arch"_Packages 2>/dev/null |
				sed -n "s/^Package: linux-headers-\([0-9][^ ]*[0-9]-$arch\)$/\1/p" | sort -V | tail -1) ;;
		esac
		[ -n "$rel" ] || ct_die "cannot resolve the $1 kernel ($res in $env)"
		ct_chroot_pkgs "$dir" "linux-headers-$rel"
		CT_K_KDIR="$dir/usr/src/linux-headers-$rel"
		CT_K_VMLINUZ=$(ct_kernel_fetch "$rel" "chroot:$dir") || exit 1
		;;
	cross:*)
		ct_need_pkgs "gcc-$(ct_gnu_arch "$arch")" "libc6-dev-$arch-cross" "qemu-system-$(ct_qemu_arch "$arch")"
		ct_xapt_update "${env#cross:}"
		rel=$(ct_xapt "${env#cross:}" apt-cache depends "${res#meta:}:$arch" | ct_meta_release)
		[ -n "$rel" ] || ct_die "cannot resolve the $1 kernel ($res for $arch)"
		CT_K_KDIR=$(ct_cross_headers "${env#cross:}" "$rel" "$arch") || exit 1
		CT_K_VMLINUZ=$(ct_kernel_fetch "$rel" "xapt:${env#cross:}:$arch") || exit 1
		;;
	*) ct_die "bad env $env for $1" ;;
	esac
	CT_K_REL=$rel
	[ -f "$CT_K_KDIR/Makefile" ] || ct_die "no headers at $CT_K_KDIR"
}

ct_gnu_arch() { case $1 in arm64) echo aarch64-linux-gnu ;; amd64) echo x86-64-linux-gnu ;; esac; }
ct_qemu_arch() { case $1 in arm64) echo arm ;; amd64) echo x86 ;; esac; }
ct_kbuild_arch() { case $1 in arm64) echo arm64 ;; amd64) echo x86 ;; esac; }

# ct_download HOW PKG DIR: apt-get download PKG into DIR, HOW being host,
# chroot:ROOT or xapt:SUITE:ARCH.
ct_download() {
	local how=$1 pkg=$2 dir=$3
	mkdir -p "$dir"
	case $how in
	host) (cd "$dir" && apt-get download "$pkg") ;;
	chroot:*) ct_chroot_run "${how#chroot:}" --bind "$dir" /bin/sh -c "cd '$dir' && apt-get download '$pkg'" ;;
	xapt:*:*) how=${how#xapt:}
		(cd "$dir" && ct_xapt "${how%%:*}" apt-get download "$pkg:${how#*:}") ;;
	esac >/dev/null 2>&1
}

# ct_kernel_fetch REL HOW: download the image of REL (see ct_download) and
# extract it into the cache; prints the vmlinuz path. The vmlinuz is in
# linux-image-REL-unsigned (bullseye, bookworm), linux-image-REL, or, once
# the image is split, linux-binary-REL at /usr/lib/modules/REL/vmlinuz.
# The modules of CT_KMODS (with the crc32c that ext4 loads by name) are
# kept, uncompressed, in mods/ beside it (ct_kernel_mods).
CT_KMODS="loop crc32c_generic ext4"
ct_kernel_fetch() {
	local rel=$1 how=$2 dir="$CT_CACHE/kernels/$1" pkg deb f lock
	mkdir -p "$CT_CACHE/kernels"
	exec {lock}>"$dir.lock"
	flock "$lock"
	for f in "$dir/boot/vmlinuz-$rel" "$dir/usr/lib/modules/$rel/vmlinuz"; do
		[ -f "$f" ] && ct_mods_ready "$dir/mods" && { echo "$f"; return 0; }
	done
	for pkg in "linux-image-$rel-unsigned" "linux-binary-$rel" "linux-image-$rel"; do
		rm -rf "$dir/dl"
		ct_download "$how" "$pkg" "$dir/dl" || continue
		for deb in "$dir"/dl/*.deb; do
			[ -f "$deb" ] && dpkg-deb -x "$deb" "$dir"
		done
		rm -rf "$dir/dl"
		# A split image (7.x) has its modules in linux-modules-REL.
		if [ ! -d "$dir/lib/modules/$rel/kernel" ] && [ ! -d "$dir/usr/lib/modules/$rel/kernel" ] &&
		   ct_download "$how" "linux-modules-$rel" "$dir/dl"; then
			for deb in "$dir"/dl/*.deb; do
				[ -f "$deb" ] && dpkg-deb -x "$deb" "$dir"
			done
			rm -rf "$dir/dl"
		fi
		for f in "$dir/lib/modules/$rel" "$dir/usr/lib/modules/$rel"; do
			[ -d "$f/kernel" ] && break
		done
		# A package has no modules.dep: depmod makes it at install.
		depmod -b "${f%/lib/modules/*}" "$rel" 2>/dev/null
		ct_keep_mods "$f" "$dir/mods"
		# System.map and config stay: they answer "is X a real symbol".
		rm -rf "$dir/lib/modules" "$dir/usr/lib/modules/$rel/kernel"
		for f in "$dir/boot/vmlinuz-$rel" "$dir/usr/lib/modules/$rel/vmlinuz"; do
			[ -f "$f" ] && { echo "$f"; return 0; }
		done
	done
	ct_die "no vmlinuz for $rel in linux-image-$rel-unsigned, linux-binary-$rel or linux-image-$rel"
}

# ct_keep_mods MODDIR OUT: the modules of CT_KMODS and those they depend
# on, from MODDIR (a /lib/modules/REL), into OUT, uncompressed, with
# OUT/order listing them in load order (dependencies first). A kernel that
# builds one in, or lacks it, just has fewer.
ct_keep_mods() {
	local md=$1 out=$2 m
	rm -rf "$out" && mkdir -p "$out"
	if [ -f "$md/modules.dep" ]; then
		awk -v want="$CT_KMODS" '
			function base(p) { sub(/.*\//, "", p); sub(/\.ko.*/, "", p); return p }
			function visit(p,   i, n, d) {
				if (p in seen) return
				seen[p] = 1
				n = split(deps[p], d, " ")
				for (i = 1; i <= n; i++) visit(d[i])
				print p
			}
			{ k = $1; sub(/:$/, "", k); $1 = ""; deps[k] = $0; path[base(k)] = k }
			END { n = split(want, w, " "); for (i = 1; i <= n; i++) if (w[i] in path) visit(path[w[i]]) }
		' "$md/modules.dep" | while read -r m; do
			case $m in
			*.xz) xz -dc "$md/$m" ;;
			*.zst) zstd -qdc "$md/$m" ;;
			*.gz) gzip -dc "$md/$m" ;;
			*) cat "$md/$m" ;;
			esac >"$out/$(basename "${m%.ko*}").ko" || ct_die "unpacking $m"
			echo "$(basename "${m%.ko*}").ko" >>"$out/order"
		done
	fi
	echo "$CT_KMODS" >"$out/.ct-ready"
}

# ct_mods_ready DIR: DIR holds the modules of today's CT_KMODS.
ct_mods_ready() { [ "$(cat "$1/.ct-ready" 2>/dev/null)" = "$CT_KMODS" ]; }

# ct_kernel_mods VMLINUZ: the mods/ directory kept for a kernel (see
# ct_keep_mods; empty for one built here).
ct_kernel_mods() {
	local d
	case $1 in
	/boot/vmlinuz-*) d="$CT_CACHE/kernels/${1#/boot/vmlinuz-}" ;;
	*) d=${1%/boot/vmlinuz-*}; d=${d%/usr/lib/modules/*} ;;
	esac
	ct_mods_ready "$d/mods" && echo "$d/mods"
}

# ct_cross_headers SUITE REL ARCH: the ARCH headers of REL with the host's
# (amd64) kbuild tools of the same version; prints the headers dir.
ct_cross_headers() {
	local suite=$1 rel=$2 arch=$3 dir="$CT_CACHE/kernels/$2" common kb ver deb lock
	mkdir -p "$CT_CACHE/kernels"
	exec {lock}>"$dir.headers.lock"
	flock "$lock"
	if [ ! -f "$dir/.ct-headers" ]; then
		mkdir -p "$dir/dl"
		rm -f "$dir"/dl/*.deb
		(cd "$dir/dl" && ct_xapt "$suite" apt-get download "linux-headers-$rel:$arch") >/dev/null 2>&1 ||
			ct_die "cannot download linux-headers-$rel:$arch"
		dpkg-deb -x "$dir"/dl/linux-headers-*.deb "$dir"
		# Its dependencies: the common headers and the kbuild tools
		# (taken for amd64: the arm64 ones do not run here).
		common=$(dpkg-deb -f "$dir"/dl/linux-headers-*.deb Depends | tr ',' '\n' |
			sed -n 's/^ *\(linux-headers-[^ ]*-common[^ ]*\).*/\1/p' | head -1)
		kb=$(dpkg-deb -f "$dir"/dl/linux-headers-*.deb Depends | tr ',' '\n' |
			sed -n 's/^ *\(linux-kbuild-[^ ]*\).*/\1/p' | head -1)
		ver=$(dpkg-deb -f "$dir"/dl/linux-headers-*.deb Version)
		rm -f "$dir"/dl/*.deb
		(cd "$dir/dl" && ct_xapt "$suite" apt-get download "$common=$ver" "$kb:amd64=$ver") >/dev/null 2>&1 ||
			ct_die "cannot download $common and $kb:amd64 $ver"
		for deb in "$dir"/dl/*.deb; do
			dpkg-deb -x "$deb" "$dir"
		done
		rm -rf "$dir/dl"
		# Absolute paths of the package become paths in the cache.
		sed -i "s|include /usr/src/|include $dir/usr/src/|" "$dir/usr/src/linux-headers-$rel/Makefile"
		touch "$dir/.ct-headers"
	fi
	echo "$dir/usr/src/linux-headers-$rel"
}

# Headers for kbuild on the host, and a vmlinuz: prints the vmlinuz path.
ct_kernel_install() {
	local rel=$1
	ct_need_pkgs "linux-headers-$rel"
	if [ -f "/boot/vmlinuz-$rel" ]; then
		# The installed kernel's own modules, kept as a fetched one's are.
		if ! ct_mods_ready "$CT_CACHE/kernels/$rel/mods"; then
			mkdir -p "$CT_CACHE/kernels/$rel"
			ct_keep_mods "/lib/modules/$rel" "$CT_CACHE/kernels/$rel/mods"
		fi
		echo "/boot/vmlinuz-$rel"
		return
	fi
	ct_kernel_fetch "$rel" host
}

# Build the module from the checkout against KDIR in a scratch copy.
# ct_build_module KDIR OUTDIR [MAKE-ARGS...] -> OUTDIR/module/cowtrace.ko
# After ct_kernel, the build runs in that kernel's environment (the chroot,
# or cross): ct_build_module "$CT_K_KDIR" OUT.
ct_build_module() {
	local kdir=$1 out=$2
	shift 2
	rm -rf "$out" && mkdir -p "$out"
	cp -r "$CT_ROOT/Kbuild" "$CT_ROOT/module" "$out/"
	ct_kmake "$kdir" "$out" "$@" modules >"$out/build.log" 2>&1 ||
		{ cat "$out/build.log" >&2; ct_die "module build against $kdir failed"; }
	[ -f "$out/module/cowtrace.ko" ] || ct_die "no cowtrace.ko from $kdir"
}

# ct_kmake KDIR M [ARGS...]: make -C KDIR M=M ARGS in the environment of
# KDIR: in its chroot if it lies in one, cross for a cross kernel.
ct_kmake() {
	local kdir=$1 m=$2 root
	shift 2
	case $kdir in
	"$CT_CACHE"/chroot/*)
		root=${kdir%/usr/src/*}
		ct_chroot_run "$root" --bind "$m" make -C "${kdir#"$root"}" M="$m" "$@"
		;;
	*)
		if [ "${CT_ARCH:-amd64}" != amd64 ]; then
			make -C "$kdir" M="$m" ARCH="$(ct_kbuild_arch "$CT_ARCH")" \
				CROSS_COMPILE="$(ct_gnu_arch "$CT_ARCH")-" "$@"
		else
			make -C "$kdir" M="$m" "$@"
		fi
		;;
	esac
}

# Static test programs and the reader into DIR, for CT_ARCH (set by
# ct_kernel; amd64 by default): ct_build_progs DIR
ct_build_progs() {
	local out=$1 src cc=gcc libdw vars
	if [ "${CT_ARCH:-amd64}" != amd64 ]; then
		cc="$(ct_gnu_arch "$CT_ARCH")-gcc"
		ct_need_pkgs "gcc-$(ct_gnu_arch "$CT_ARCH")" "libc6-dev-$CT_ARCH-cross"
	fi
	mkdir -p "$out"
	for src in "$CT_ROOT"/tests/vm/progs/*.c; do
		$cc -static -O2 -Wall -Wextra -I"$CT_ROOT/module" \
			-o "$out/$(basename "$src" .c)" "$src" -lpthread ||
			ct_die "building $src"
	done
	if [ -f "$CT_ROOT/user/Makefile" ]; then
		# The reader, static, built in a scratch copy of the tree.
		rm -rf "$out/src" && mkdir -p "$out/src/module"
		cp -r "$CT_ROOT/user" "$out/src/"
		cp -r "$CT_ROOT/module/version.h" "$CT_ROOT/module/uapi" "$out/src/module/"
		make -s -C "$out/src/user" clean >/dev/null 2>&1
		libdw=$(ct_libdw_vars) || ct_die "no static libdw for ${CT_ARCH:-amd64}"
		mapfile -t vars <<<"$libdw"
		make -s -C "$out/src/user" CC="$cc" LDFLAGS=-static "${vars[@]}" >"$out/reader-build.log" 2>&1 ||
			{ cat "$out/reader-build.log" >&2; ct_die "building the reader"; }
		cp "$out/src/user/cowtrace" "$out/cowtrace"
		rm -rf "$out/src"
	fi
	return 0
}

# The static reader's elfutils (libdw, libelf and what they link), for
# CT_ARCH: make variables for user/Makefile, one a line. amd64: the host's
# static libraries; another architecture: a sysroot (ct_libdw_sysroot).
CT_LIBDW_PKGS="libdw-dev libelf-dev zlib1g-dev liblzma-dev libbz2-dev libzstd-dev libiberty-dev"
CT_LIBDW_STATIC="-ldw -lelf -lz -llzma -lbz2 -lzstd -ldl -pthread"
ct_libdw_vars() {
	local root
	if [ "${CT_ARCH:-amd64}" = amd64 ]; then
		# shellcheck disable=SC2086
		ct_need_pkgs $CT_LIBDW_PKGS
		echo "LIBDW_LIBS=$CT_LIBDW_STATIC"
		return 0
	fi
	root=$(ct_libdw_sysroot "$CT_ARCH") || return 1
	echo "LIBDW_CFLAGS=-I$root/usr/include"
	echo "LIBDW_LIBS=-L$root/usr/lib/$(ct_gnu_arch "$CT_ARCH") $CT_LIBDW_STATIC"
}

# ct_libdw_sysroot ARCH: the -dev packages of CT_LIBDW_PKGS (headers and
# static libraries) of Debian bookworm for ARCH, unpacked into one tree in
# the cache, named after their versions; prints its dir. No dependencies
# are taken: the cross toolchain has the C library, and a static link
# needs only the .a files (the .so links, which point into the runtime
# packages, are removed).
ct_libdw_sysroot() {
	local arch=$1 suite=bookworm p v key= dir lock deb
	ct_xapt_update "$suite"
	for p in $CT_LIBDW_PKGS; do
		v=$(ct_xapt "$suite" apt-cache show "$p:$arch" 2>/dev/null |
			sed -n 's/^Version: //p' | sort -V | tail -1)
		[ -n "$v" ] || ct_die "no $p:$arch in $suite"
		key+="$p=$v "
	done
	dir="$CT_CACHE/libdw-$arch-$(echo "$key" | sha256sum | cut -c1-12)"
	exec {lock}>"$dir.lock"
	flock "$lock"
	if [ ! -f "$dir/.ct-ready" ]; then
		ct_log "downloading $CT_LIBDW_PKGS for $arch"
		rm -rf "$dir" "$dir.dl"
		for p in $key; do
			(mkdir -p "$dir.dl" && cd "$dir.dl" &&
				ct_xapt "$suite" apt-get download "${p%%=*}:$arch=${p#*=}") >/dev/null 2>&1 ||
				ct_die "cannot download ${p%%=*}:$arch ${p#*=}"
		done
		for deb in "$dir.dl"/*.deb; do
			dpkg-deb -x "$deb" "$dir" || ct_die "unpacking $deb"
		done
		find "$dir" -name '*.so' -type l -delete
		rm -rf "$dir.dl"
		echo "$key" >"$dir/.ct-ready"
	fi
	exec {lock}>&-
	[ -f "$dir/usr/lib/$(ct_gnu_arch "$arch")/libdw.a" ] || ct_die "no libdw.a in $dir"
	echo "$dir"
}

# ct_build_dynprogs OUT: the dynamically linked programs of
# tests/vm/progs/attr (the attribution scenario) for CT_ARCH, with the
# loader and C library of that architecture, in a tree OUT/root laid over
# the guest's root (ct_initramfs); prints OUT/root. In the guest:
#   /opt/attr/attrib           PIE, with .symtab, RUNPATH $ORIGIN
#   /opt/attr/libattrib.so     ours, stripped: .dynsym only
#   /opt/attr/attrib-stripped  attrib stripped, with a debuglink; its
#       symbols only in /usr/lib/debug/.build-id/xx/yyyy.debug
#   the loader (PT_INTERP) and libc.so.6 in /lib/TRIPLET
ct_build_dynprogs() {
	local out=$1 root=$1/root src="$CT_ROOT/tests/vm/progs/attr" cc=gcc pfx= triplet=x86_64-linux-gnu
	local libdir=/lib/x86_64-linux-gnu interp id
	local flags=(-O2 -g -Wall -Wextra -fno-ipa-icf -fno-reorder-blocks-and-partition)
	if [ "${CT_ARCH:-amd64}" != amd64 ]; then
		triplet=$(ct_gnu_arch "$CT_ARCH")
		pfx="$triplet-" cc="$triplet-gcc" libdir="/usr/$triplet/lib"
		ct_need_pkgs "gcc-$triplet" "libc6-dev-$CT_ARCH-cross"
	fi
	rm -rf "$out" && mkdir -p "$out/build" "$root/opt/attr" "$root/lib/$triplet"
	{
		$cc "${flags[@]}" -fPIC -shared -Wl,-soname,libattrib.so \
			-o "$out/build/libattrib.so" "$src/libattrib.c" &&
		$cc "${flags[@]}" -fPIE -pie -o "$out/build/attrib" "$src/attrib.c" \
			-L"$out/build" -lattrib -Wl,-rpath,'$ORIGIN' &&
		"${pfx}objcopy" --strip-all "$out/build/libattrib.so" "$root/opt/attr/libattrib.so" &&
		cp "$out/build/attrib" "$root/opt/attr/attrib" &&
		"${pfx}objcopy" --only-keep-debug "$out/build/attrib" "$out/build/attrib.debug" &&
		"${pfx}objcopy" --strip-all --add-gnu-debuglink="$out/build/attrib.debug" \
			"$out/build/attrib" "$root/opt/attr/attrib-stripped"
	} >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; ct_die "building $src"; }
	id=$(readelf -nW "$root/opt/attr/attrib-stripped" | sed -n 's/.*Build ID: \([0-9a-f]*\)$/\1/p')
	[ ${#id} -gt 2 ] || ct_die "attrib-stripped has no build-id"
	mkdir -p "$root/usr/lib/debug/.build-id/${id:0:2}"
	cp "$out/build/attrib.debug" "$root/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug"
	interp=$(readelf -lW "$out/build/attrib" | sed -n 's/.*program interpreter: \(.*\)]$/\1/p')
	[ -n "$interp" ] || ct_die "attrib has no PT_INTERP"
	mkdir -p "$root$(dirname "$interp")"
	if [ "${CT_ARCH:-amd64}" = amd64 ]; then
		cp -L "$interp" "$root$interp"
	else
		cp -L "$libdir/$(basename "$interp")" "$root$interp"
	fi &&
	cp -L "$libdir/libc.so.6" "$root/lib/$triplet/libc.so.6" || ct_die "no loader or libc for $triplet"
	chmod -R a+rX "$root"
	echo "$root"
}

# A static busybox for CT_ARCH: the host's, or busybox-static of that
# architecture from Debian (cached by version). Prints its path.
ct_busybox() {
	local arch=${CT_ARCH:-amd64} d ver lock
	if [ "$arch" = amd64 ]; then
		echo /bin/busybox
		return
	fi
	ct_xapt_update bookworm
	ver=$(ct_xapt bookworm apt-cache show "busybox-static:$arch" 2>/dev/null |
		sed -n 's/^Version: //p' | sort -V | tail -1)
	d="$CT_CACHE/busybox-$arch-$ver"
	# One downloader at a time: runs side by side share the cache.
	exec {lock}>"$d.lock"
	flock "$lock"
	if [ ! -x "$d/bin/busybox" ]; then
		rm -rf "$d.dl" && ct_download "xapt:bookworm:$arch" busybox-static "$d.dl" ||
			ct_die "cannot download busybox-static:$arch"
		dpkg-deb -x "$d.dl"/busybox-static_*.deb "$d" && rm -rf "$d.dl"
	fi
	exec {lock}>&-
	[ -x "$d/bin/busybox" ] || ct_die "no busybox in busybox-static:$arch"
	echo "$d/bin/busybox"
}

# ct_initramfs OUT.cpio.gz GUEST_SCRIPT FILE... : busybox, /init, the files
# in /bin; a FILE that is a directory is laid over the root instead
ct_initramfs() {
	local out=$1 script=$2 root f
	shift 2
	root=$(mktemp -d)
	chmod 755 "$root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,mnt,root,etc}
	chmod 1777 "$root/tmp"
	cp "$(ct_busybox)" "$root/bin/busybox" || ct_die "no busybox"
	cp "$CT_ROOT/tests/vm/guest/init" "$root/init"
	cp "$CT_ROOT/tests/vm/guest/lib.sh" "$root/lib.sh"
	cp "$script" "$root/test.sh"
	for f in "$@"; do
		if [ -d "$f" ]; then
			cp -a "$f/." "$root/"
		else
			cp "$f" "$root/bin/"
		fi
	done
	chmod +x "$root/init" "$root/bin"/*
	echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>"$root/etc/passwd"
	# CT_ROOTFS: a directory laid over the root (e.g. ct_stage_tools);
	# it is large, so left uncompressed: the guest unpacks it faster.
	if [ -n "${CT_ROOTFS:-}" ]; then
		cp -a "$CT_ROOTFS/." "$root/"
		(cd "$root" && find . | cpio -o -H newc --quiet) >"$out"
	else
		(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	fi
	rm -rf "$root"
}

# ct_arch_root ARCH PKG...: Debian PKGs of ARCH and everything they
# depend on, unpacked (dpkg-deb -x, no maintainer scripts) into one tree in
# the cache; prints its dir. The release is the host's (bookworm), so the
# tools are the same versions as the host's amd64 ones. The dir is named
# after a hash of the resolved packages and versions: a point release
# makes a new tree, an unchanged set reuses the old one without a download.
ct_arch_root() {
	local arch=$1 suite=bookworm inst key dir deb lock
	shift
	ct_xapt_update "$suite"
	# ARCH as the native architecture: a Multi-Arch: foreign dependency
	# (perl, python3) resolves to ARCH too, not to the private apt's amd64.
	inst=$(ct_xapt "$suite" apt-get -o APT::Architecture="$arch" -s \
		install --no-install-recommends "$@" 2>&1 | awk '$1 == "Inst" { print $2, $3 }' | sort)
	[ -n "$inst" ] || ct_die "cannot resolve $* for $arch"
	key=$(echo "$inst" | sha256sum | cut -c1-12)
	dir="$CT_CACHE/root-$arch-$key"
	exec {lock}>"$dir.lock"
	flock "$lock"
	if [ ! -f "$dir/.ct-ready" ]; then
		ct_log "downloading $(echo "$inst" | wc -l) $arch packages for $*"
		rm -rf "$dir" "$dir.dl" && mkdir -p "$dir.dl/partial"
		ct_xapt "$suite" apt-get -o APT::Architecture="$arch" -o Dir::Cache::archives="$dir.dl" \
			-y --download-only install --no-install-recommends "$@" >"$dir.log" 2>&1 ||
			{ tail -5 "$dir.log" >&2; ct_die "downloading $* for $arch"; }
		for deb in "$dir.dl"/*.deb; do
			dpkg-deb -x "$deb" "$dir" || ct_die "unpacking $deb"
		done
		rm -rf "$dir.dl"
		touch "$dir/.ct-ready"
	fi
	exec {lock}>&-
	echo "$dir"
}

# ct_in_root ROOT PATH: PATH with its symlinks followed inside ROOT (an
# absolute link means ROOT/..., not the host's file); prints the path
# relative to ROOT, or fails if it is not there.
ct_in_root() {
	local root=$1 p=$2 t n=0
	while [ -L "$root$p" ] && [ $n -lt 40 ]; do
		t=$(readlink "$root$p")
		case $t in
		/*) p=$t ;;
		*) p=$(dirname "$p")/$t ;;
		esac
		n=$((n + 1))
	done
	[ -f "$root$p" ] || return 1
	# Collapse a/../ and ./ only: -s, as the host's /lib is a link to usr/lib.
	realpath -m -s "$p"
}

# ct_needed ROOT FILE...: the interpreter and the libraries FILEs load,
# recursively, found as the loader would (RUNPATH, then the multiarch and
# plain lib dirs) in ROOT; prints "WANTED-PATH FOUND-PATH" per object,
# WANTED being where the loader looks. ldd cannot run a foreign binary.
ct_needed() {
	local root=$1 triplet f lib d found rp todo=() seen=" "
	shift
	triplet=$(ct_gnu_arch "${CT_ARCH:-amd64}")
	todo=("$@")
	while [ ${#todo[@]} -gt 0 ]; do
		f=${todo[0]}
		todo=("${todo[@]:1}")
		# The interpreter: PT_INTERP, e.g. /lib/ld-linux-aarch64.so.1.
		lib=$(readelf -lW "$root$f" 2>/dev/null | sed -n 's/.*program interpreter: \(.*\)]$/\1/p')
		if [ -n "$lib" ] && [[ $seen != *" $lib "* ]]; then
			seen+="$lib "
			found=$(ct_in_root "$root" "$lib") || ct_die "no $lib in $root"
			echo "$lib $found"
		fi
		rp=$(readelf -dW "$root$f" | sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]$/\2/p' |
			sed "s|\\\$ORIGIN|$(dirname "$f")|g; s|\\\${ORIGIN}|$(dirname "$f")|g" | tr ':' ' ')
		for lib in $(readelf -dW "$root$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
			found=
			for d in $rp "/lib/$triplet" "/usr/lib/$triplet" /lib /usr/lib; do
				found=$(ct_in_root "$root" "$d/$lib") && break
			done
			[ -n "$found" ] || ct_die "no $lib (needed by $f) in $root"
			[[ $seen == *" $d/$lib "* ]] && continue
			seen+="$d/$lib "
			echo "$d/$lib $found"
			todo+=("$found")
		done
	done
}

# ct_stage_tools DIR PROGRAM...: dynamically linked PROGRAMs and every
# library they load, at their own paths under DIR, for CT_ARCH (amd64 by
# default): the host's files (ldd); for another architecture, the same
# programs from the Debian packages that hold them on the host, in ARCH's
# build, with their libraries from those packages' dependencies.
ct_stage_tools() {
	local dir=$1 p f src want root list pkg pkgs=()
	shift
	mkdir -p "$dir"
	if [ "${CT_ARCH:-amd64}" = amd64 ]; then
		for p in "$@"; do
			for f in "$p" $(ldd "$p" | awk '$3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
				mkdir -p "$dir$(dirname "$f")"
				cp -L "$f" "$dir$f"
			done
		done
		return 0
	fi
	for p in "$@"; do
		# (linux-perf also diverts /usr/bin/perf: skip those lines)
		pkg=$(dpkg -S "$p" 2>/dev/null | grep -v '^diversion ' | sed -n '1s/[:,].*//p')
		[ -n "$pkg" ] || ct_die "no host package holds $p"
		pkgs+=("$pkg")
	done
	root=$(ct_arch_root "$CT_ARCH" "${pkgs[@]}") || exit 1
	for p in "$@"; do
		src=$(ct_in_root "$root" "$p") || ct_die "no $p in the $CT_ARCH ${pkgs[*]}"
		mkdir -p "$dir$(dirname "$p")"
		cp "$root$src" "$dir$p"
	done
	list=$(ct_needed "$root" "$@") || exit 1
	while read -r want src; do
		mkdir -p "$dir$(dirname "$want")"
		cp "$root$src" "$dir$want"
	done <<<"$list"
}

# ct_boot_installed KO VMLINUZ WORK LABEL: boot the cowtrace.ko that dkms
# installed (compressed or not) in its kernel with the original experiment
# (guest/installed.sh); the module's version is WORK/want-version, the guest
# programs WORK/progs. Return: the failures ct_judge counted.
ct_boot_installed() {
	local ko=$1 vmlinuz=$2 work=$3 label=$4 tag=${4// /-}
	case "$ko" in
	*.xz) xz -dc "$ko" >"$work/cowtrace.ko" ;;
	*.zst) zstd -qdc "$ko" >"$work/cowtrace.ko" ;;
	*) cp "$ko" "$work/cowtrace.ko" ;;
	esac
	ct_initramfs "$work/initrd-$tag.gz" "$CT_ROOT/tests/vm/guest/installed.sh" \
		"$work/cowtrace.ko" "$work"/progs/* "$work/want-version"
	ct_boot "$vmlinuz" "$work/initrd-$tag.gz" "$work/console-$tag.log" 2 1G
	ct_judge "$work/console-$tag.log" "$label"
}

# ct_boot VMLINUZ INITRD LOG [SMP] [MEM] [APPEND...]: boot, wait for poweroff.
# ignore_loglevel: every kernel message reaches the console (a WARN_ON, a
# lockdep or PROVE_RCU splat is KERN_WARNING), so ct_judge sees all of them.
# The machine follows the image: an arm64 Image boots in qemu-system-aarch64
# (virt, console ttyAMA0), anything else in qemu-system-x86_64.
ct_boot() {
	local kernel=$1 initrd=$2 log=$3 smp=${4:-2} mem=${5:-1G} qemu console
	shift 5 2>/dev/null || shift $#
	if [ "$(dd if="$kernel" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' ')" = 41524d64 ]; then
		qemu=(qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on)
		console=ttyAMA0
		# One vCPU: TCG emulates arm64 slowly; the x86 kernels cover SMP.
		smp=${CT_ARM64_SMP:-1}
	else
		qemu=(qemu-system-x86_64 -cpu max)
		console=ttyS0
	fi
	# shellcheck disable=SC2086
	timeout "$CT_QEMU_TIMEOUT" "${qemu[@]}" -accel tcg,thread=single \
		-smp "$smp" -m "$mem" -nographic -no-reboot ${CT_QEMU_EXTRA:-} \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=$console panic=-1 oops=panic ignore_loglevel $*" \
		</dev/null >"$log" 2>&1
	local rc=$?
	[ $rc -eq 124 ] && echo "HOST: qemu timed out after ${CT_QEMU_TIMEOUT}s" >>"$log"
	return 0
}

# ct_lanes OUT FUNC ITEM...: FUNC ITEM for every ITEM, CT_LANES (2) at a
# time: a single-threaded TCG guest keeps one core busy and the machine has
# two. Each one's output (stdout and stderr) goes to OUT-ITEM.log and is
# printed whole, in ITEM order, once it and every ITEM before it ended: the
# suite reads as if they ran in turn. FUNC runs in a subshell (what it sets
# stays there; its exit, a ct_die, is its status). Returns how many of them
# failed.
ct_lanes() {
	local out=$1 fn=$2 lanes=${CT_LANES:-2} started=0 done=0 next=0 failed=0 n j
	shift 2
	local items=("$@")
	n=${#items[@]}
	for j in "${items[@]}"; do rm -f "$out-$j.rc"; done
	while [ "$next" -lt "$n" ]; do
		done=0
		for ((j = 0; j < started; j++)); do
			[ -s "$out-${items[$j]}.rc" ] && done=$((done + 1))
		done
		if [ "$started" -lt "$n" ] && [ $((started - done)) -lt "$lanes" ]; then
			j=${items[$started]}
			# its own subshell: a ct_die in it ends it, and its status is kept
			( ("$fn" "$j") >"$out-$j.log" 2>&1; echo $? >"$out-$j.rc" ) &
			started=$((started + 1))
			continue
		fi
		while [ "$next" -lt "$n" ] && [ -s "$out-${items[$next]}.rc" ]; do
			cat "$out-${items[$next]}.log"
			[ "$(cat "$out-${items[$next]}.rc")" = 0 ] || failed=$((failed + 1))
			next=$((next + 1))
		done
		[ "$next" -lt "$n" ] && sleep 1
	done
	return "$failed"
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
	# ktime_get_mono_fast_ns()) are listed and pass only if their title is
	# in tests/kunit/kcsan-core.allow: a new core report fails the run.
	# A report shows twice (console, and the dmesg dump at the end): one
	# report per timestamp.
	awk '/BUG: KCSAN:/ { ts = $1 " " $2; if (!(ts in title)) { title[ts] = $0; n[++cnt] = ts }
		inrep = 1; if ($0 ~ / \[[A-Za-z0-9_]+\]/) mod[ts] = 1; next }
	inrep && /\+0x[0-9a-f]+\/0x[0-9a-f]+ \[[A-Za-z0-9_]+\]/ { via[ts] = 1 }
	inrep && /==========/ { inrep = 0 }
	END { for (i = 1; i <= cnt; i++) print (mod[n[i]] ? "module " : "core ") title[n[i]] \
		(!mod[n[i]] && via[n[i]] ? " (called from a module)" : "") }' \
		"$log" | tr -d '\r' >"$log.kcsan"
	# "core" lines whose title ("data-race in A / B") is allowed become "known"
	# (a list line "~ ERE" allows the titles it matches: a family of races
	# of one core mechanism, whose other party varies from run to run)
	awk 'NR == FNR { if (/^#/ || !NF) next; if (/^~ /) re[++nre] = substr($0, 3); else allow[$0] = 1; next }
	{ t = $0; sub(/.*BUG: KCSAN: /, "", t); sub(/ \(called from a module\)$/, "", t); sub(/[ \t]+$/, "", t)
	  ok = t in allow; for (i = 1; i <= nre && !ok; i++) if (t ~ re[i]) ok = 1 }
	$1 == "core" && ok { sub(/^core /, "known ") } { print }' \
		"$CT_ROOT/tests/kunit/kcsan-core.allow" "$log.kcsan" >"$log.kcsan.tmp" &&
		mv "$log.kcsan.tmp" "$log.kcsan"
	if grep -q '^known ' "$log.kcsan"; then
		echo "# $(grep -c '^known ' "$log.kcsan") KCSAN report(s) in the core kernel on the allow-list (tests/kunit/kcsan-core.allow):"
		grep '^known ' "$log.kcsan" | sed 's/^known /#   /' | head -5
	fi
	# A core title not on the list, as a line for the list (if it is upstream's)
	grep '^core ' "$log.kcsan" | sed 's/.*BUG: KCSAN: //; s/ (called from a module)$//' | sort -u |
		sed 's/^/# a core KCSAN report not on tests\/kunit\/kcsan-core.allow: /'
	# Only kernel lines (a printk timestamp, anywhere in the line: a guest's
	# output may run into it) count, so names of checks and notes cannot;
	# and a console that dropped messages is a log nobody fully read.
	{
		grep -E '^(module|core) ' "$log.kcsan"
		grep -a -E '\[ *[0-9]+\.[0-9]+\] .*(WARNING:|BUG:|Oops|general protection|Kernel panic|Call Trace|possible circular locking|suspicious RCU usage|KASAN|KCSAN:|UBSAN:|kmemleak: [0-9]+ new|INFO: task .* blocked|sleeping function called)|printk messages dropped' "$log" |
			grep -v 'BUG: KCSAN:'
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

# ct_control LABEL VMLINUZ KDIR WORK DIR PATTERN...: a positive control of
# ct_judge. Builds the modules of tests/kunit/DIR against KDIR, boots
# VMLINUZ with them and DIR/guest.sh, and requires ct_judge to fail that
# run, its kernel-log check listing a line for each PATTERN (an ERE): the
# report the control provokes. The control's own results stay out of the
# suite's (in WORK/control-DIR/judge). Prints ok/not ok; returns failures.
ct_control() {
	local label=$1 vmlinuz=$2 kdir=$3 work=$4 dir=$5 out pat fails=0
	shift 5
	out="$work/control-$dir"
	rm -rf "$out" && mkdir -p "$out"
	cp "$CT_ROOT/tests/kunit/$dir"/Kbuild "$CT_ROOT/tests/kunit/$dir"/*.c "$out/"
	if ! ct_kmake "$kdir" "$out" modules >"$out/build.log" 2>&1; then
		cat "$out/build.log" >&2
		echo "not ok - [$label control] the $dir control modules build"
		return 1
	fi
	ct_initramfs "$out/initrd.gz" "$CT_ROOT/tests/kunit/$dir/guest.sh" "$out"/*.ko
	ct_log "booting $label with the $dir control ($(cd "$out" && echo *.ko))"
	ct_boot "$vmlinuz" "$out/initrd.gz" "$out/console.log" 2 1G
	ct_judge "$out/console.log" "$label control" >"$out/judge"
	if [ $? -gt 0 ] && grep -q '^not ok - .*kernel log has no WARNING' "$out/judge"; then
		echo "ok - [$label control] ct_judge fails a run whose kernel log has the $dir control's reports"
	else
		echo "not ok - [$label control] ct_judge fails a run whose kernel log has the $dir control's reports (see $out/judge)"
		fails=$((fails + 1))
	fi
	for pat in "$@"; do
		if grep -aqE "$pat" "$out/console.log.bad"; then
			echo "# $(grep -aE "$pat" "$out/console.log.bad" | head -1 | tr -d '\r')"
			echo "ok - [$label control] ct_judge reports: $pat"
		else
			echo "not ok - [$label control] ct_judge reports: $pat (see $out/console.log)"
			fails=$((fails + 1))
		fi
	done
	return $fails
}
