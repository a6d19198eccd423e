#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Debian packages: make deb, lintian, then in a fresh Debian 12 chroot with
# the newest 6.1 and 6.12 headers: apt-get install of both .debs builds the
# module for both kernels through dkms' own hooks; each module is booted in
# its kernel (the original experiment); apt-get purge leaves nothing behind.
set -u
. "$(dirname "$0")/../vm/lib.sh"

ct_host_setup
ct_need_pkgs debootstrap dpkg-dev debhelper dh-dkms dkms lintian binutils
fails=0
res() { if [ "$1" -eq 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fails=$((fails + 1)); fi; }
version=$(sed -n 's/^#define COWTRACE_VERSION "\(.*\)"/\1/p' "$CT_ROOT/module/version.h")
[ -n "$version" ] || ct_die "no COWTRACE_VERSION in module/version.h"
work="$CT_WORK/deb"
mkdir -p "$work"

# --- chroot helpers --------------------------------------------------------
MIRROR=${CT_DEB_MIRROR:-http://deb.debian.org/debian}
SECURITY=${CT_DEB_SECURITY:-http://deb.debian.org/debian-security}
# What the cached chroot holds besides minbase: dkms with its Recommends (as
# a plain apt-get install of cowtrace-dkms would pull them), the two header
# meta packages, and systemd (for systemd-analyze verify of the unit).
CHROOT_PKGS="dkms linux-headers-amd64 linux-headers-6.12-amd64 systemd"
mounted=()
# Unmount what ct_chroot_mount mounted, innermost first (also on exit).
ct_chroot_umount() {
	local i
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}"
	done
	mounted=()
}
trap ct_chroot_umount EXIT
trap 'exit 130' INT TERM
# dkms needs /proc and /dev.
ct_chroot_mount() {
	local r=$1 d
	for d in proc dev; do
		mount --bind "/$d" "$r/$d" || ct_die "mount --bind /$d $r/$d"
		mounted+=("$r/$d")
	done
}
# Remove a chroot directory, never while anything is mounted below it.
ct_chroot_rm() {
	local r
	r=$(realpath -m "$1")
	if awk -v r="$r/" 'index($2 "/", r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
		ct_die "refusing to remove $r: something is mounted below it"
	fi
	rm -rf --one-file-system "$r"
}
in_chroot() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }

# The cached chroot: keyed by what goes into it and by the two kernel
# releases the header meta packages resolve to now (so it is rebuilt when a
# newer kernel reaches the mirror), never by date.
rel61=$(ct_release linux-image-amd64)
rel612=$(ct_release linux-image-6.12-amd64)
ct_make_chroot() {
	local dir=$1
	debootstrap --variant=minbase bookworm "$dir" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
		{ tail -20 "$work/debootstrap.log" >&2; return 1; }
	cat >"$dir/etc/apt/sources.list" <<-EOF
	deb $MIRROR bookworm main
	deb $MIRROR bookworm-updates main
	deb $SECURITY bookworm-security main
	EOF
	# No service is started inside the chroot.
	printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
	chmod 755 "$dir/usr/sbin/policy-rc.d"
	R=$dir
	ct_chroot_mount "$dir"
	{ in_chroot apt-get update &&
	  in_chroot apt-get install -y $CHROOT_PKGS; } >"$work/chroot-apt.log" 2>&1
	local rc=$?
	in_chroot apt-get clean
	ct_chroot_umount
	[ $rc -eq 0 ] || { tail -20 "$work/chroot-apt.log" >&2; return 1; }
	# Each kernel's module directory, as its linux-image package leaves it
	# (depmod's modules.* files), so that the comparison below sees what
	# cowtrace adds and not what depmod would write for any kernel.
	local rel
	for rel in "$rel61" "$rel612"; do
		[ -e "$dir/lib/modules/$rel/build" ] || { echo "no headers for $rel in the chroot" >&2; return 1; }
		chroot "$dir" depmod "$rel" 2>/dev/null
	done
}
key=$(printf '%s\n' bookworm minbase "$MIRROR" "$SECURITY" "$CHROOT_PKGS" "$rel61" "$rel612" \
	"$(declare -f ct_make_chroot)" | sha256sum | cut -c1-12)
# --- build and lint ---------------------------------------------------------
make -s -C "$CT_ROOT" deb >"$work/make-deb.log" 2>&1
res $? "make deb"
out="$CT_ROOT/build/deb"
dkms_deb="$out/cowtrace-dkms_${version}_all.deb"
reader_deb=$(ls "$out/cowtrace_${version}"_*.deb 2>/dev/null | head -1)
changes=$(ls "$out/cowtrace_${version}"_*.changes 2>/dev/null | head -1)
[ -f "$dkms_deb" ] && [ -n "$reader_deb" ] && [ -n "$changes" ]
res $? "make deb wrote cowtrace-dkms_${version}_all.deb, $(basename "${reader_deb:-cowtrace_${version}_ARCH.deb}") and the .changes"
[ -f "$dkms_deb" ] && [ -n "$reader_deb" ] || exit 1

lintian --fail-on error,warning --display-info --pedantic "$changes" >"$work/lintian.log" 2>&1
rc=$?
grep -E '^[EW]: ' "$work/lintian.log" | sed 's/^/#   /'
[ $rc -eq 0 ] && ! grep -qE '^[EW]: ' "$work/lintian.log"
res $? "lintian: no error or warning on the .changes, the .buildinfo and both .debs"
grep -E '^[IPX]: ' "$work/lintian.log" | sed 's/^/# lintian /'
# Control: the same lintian call fails on the reader's package without its
# copyright file.
rm -rf "$work/broken" && mkdir -p "$work/broken"
dpkg-deb -R "$reader_deb" "$work/broken/tree" &&
	rm "$work/broken/tree/usr/share/doc/cowtrace/copyright" &&
	sed -i '\|usr/share/doc/cowtrace/copyright|d' "$work/broken/tree/DEBIAN/md5sums" &&
	dpkg-deb --root-owner-group -b "$work/broken/tree" "$work/broken/cowtrace.deb" >/dev/null
! lintian --fail-on error,warning "$work/broken/cowtrace.deb" >"$work/lintian-control.log" 2>&1 &&
	grep -q 'no-copyright-file' "$work/lintian-control.log"
res $? "control: lintian fails on the reader's package without its copyright file"

src=/usr/src/cowtrace-$version
dpkg-deb -c "$dkms_deb" | awk '{ print substr($6, 2) }' >"$work/dkms-deb.list"
missing=
for f in Kbuild Makefile dkms.conf module/Kbuild module/main.c module/version.h module/uapi/cowtrace.h; do
	grep -qx "$src/$f" "$work/dkms-deb.list" || missing="$missing $f"
done
[ -z "$missing" ]
res $? "cowtrace-dkms holds Kbuild, Makefile, dkms.conf, module/ and module/uapi/ under $src${missing:+ (missing:$missing)}"
dpkg-deb --fsys-tarfile "$dkms_deb" | tar -xOf - ".$src/dkms.conf" | cmp -s - "$CT_ROOT/dkms.conf"
res $? "its dkms.conf is the project's dkms.conf"
grep -qx /usr/share/man/man4/cowtrace.4.gz "$work/dkms-deb.list"
res $? "cowtrace-dkms holds the module's man page, /usr/share/man/man4/cowtrace.4.gz"
dpkg-deb -c "$reader_deb" | awk '{ print substr($6, 2) }' >"$work/reader-deb.list"
for f in /usr/bin/cowtrace /usr/share/man/man1/cowtrace.1.gz /lib/systemd/system/cowtrace-metrics.service; do
	grep -qx "$f" "$work/reader-deb.list"
	res $? "cowtrace holds $f"
done

# --- install into a fresh copy of the chroot ------------------------------------
# Two runs side by side (other CT_WORK) share the cache: one builds it.
cache="$CT_CACHE/deb-chroot"
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
if [ ! -f "$cache/$key/complete" ]; then
	ct_log "building the Debian 12 chroot (headers $rel61, $rel612)"
	for old in "$cache"/*/; do
		[ -d "$old" ] && ct_chroot_rm "$old"
	done
	mkdir -p "$cache/$key"
	ct_make_chroot "$cache/$key/root" || ct_die "building the chroot failed"
	touch "$cache/$key/complete"
fi
R="$work/root"
ct_chroot_rm "$R"
cp -a "$cache/$key/root" "$R" || ct_die "copying the chroot"
flock -u 9
ct_chroot_mount "$R"
# The file list, without what apt, dpkg's own databases and logs change anyway.
snapshot() {
	(cd "$R" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./sys -o -path ./run \
		-o -path ./tmp -o -path ./var/log -o -path ./var/cache/apt -o -path ./var/lib/apt \
		-o -path ./var/cache/debconf -o -path ./var/cache/ldconfig \) -prune -o -print |
		grep -v -E '^\./var/lib/dpkg/(status|available|lock|triggers/|updates/|.*-old$)' |
		sed 's/^\.//' | LC_ALL=C sort)
}
snapshot >"$work/files-before"
in_chroot dpkg-query -W -f='${Package}\n' | LC_ALL=C sort >"$work/pkgs-before"
mkdir -p "$R/tmp/debs"
cp "$dkms_deb" "$reader_deb" "$R/tmp/debs/"
(cd "$R/tmp/debs" && in_chroot sh -c "cd /tmp/debs && apt-get install -y ./$(basename "$dkms_deb") ./$(basename "$reader_deb")") \
	>"$work/install.log" 2>&1
res $? "apt-get install ./cowtrace-dkms_${version}_all.deb ./$(basename "$reader_deb") in the chroot"
in_chroot dpkg-query -W -f='${Package}\n' | LC_ALL=C sort >"$work/pkgs-after"
added=$(comm -13 "$work/pkgs-before" "$work/pkgs-after" | tr '\n' ' ')
[ "$added" = "cowtrace cowtrace-dkms " ]
res $? "apt-get added exactly cowtrace and cowtrace-dkms (added: $added)"
grep -E '^(Building for|Building initial module|Done\.|.*cowtrace\.ko)' "$work/install.log" | sed 's/^/#   /' | head -10

kos=()
for rel in "$rel61" "$rel612"; do
	in_chroot dkms status -m cowtrace -v "$version" -k "$rel" 2>/dev/null | grep -q ': installed'
	res $? "dkms status: cowtrace $version installed for $rel (by the package's postinst)"
	ko=$(find "$R/lib/modules/$rel" -name 'cowtrace.ko*' 2>/dev/null | head -1)
	[ -n "$ko" ] && [ "$(modinfo -F version "$ko" 2>/dev/null)" = "$version" ]
	res $? "${ko#"$R"} exists and its modinfo version is $version"
	kos+=("$ko")
done

# The metrics unit: verified against the installed tree, not enabled.
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify --man=no --root="$R" /lib/systemd/system/cowtrace-metrics.service >"$work/verify.log" 2>&1
	rc=$?
	sed 's/^/#   /' "$work/verify.log"
	[ $rc -eq 0 ] && [ ! -s "$work/verify.log" ]
	res $? "systemd-analyze verify cowtrace-metrics.service: no error, no message"
	# Control: verify does fail on the unit with an ExecStart that is not there.
	mkdir -p "$R/run/systemd/system"
	sed 's|^ExecStart=/usr/bin/cowtrace |ExecStart=/usr/bin/cowtrace-missing |' \
		"$R/lib/systemd/system/cowtrace-metrics.service" >"$R/run/systemd/system/ct-control.service"
	! systemd-analyze verify --man=no --root="$R" /run/systemd/system/ct-control.service >/dev/null 2>&1
	res $? "control: systemd-analyze verify fails when ExecStart names a missing file"
	rm -rf "$R/run/systemd"
fi
enabled() { ls "$R"/etc/systemd/system/*.wants/cowtrace-metrics.service >/dev/null 2>&1; }
! enabled
res $? "cowtrace-metrics.service is not enabled after install"
# As README says: systemctl enable (the purge below must undo it too).
in_chroot systemctl enable cowtrace-metrics.service >"$work/enable.log" 2>&1 && enabled
res $? "control: systemctl enable cowtrace-metrics creates the link the check above looks for"
grep -q '^ExecStart=/usr/bin/cowtrace --metrics /var/lib/prometheus/node-exporter/cowtrace.prom' \
	"$R/lib/systemd/system/cowtrace-metrics.service"
res $? "cowtrace-metrics.service runs cowtrace --metrics /var/lib/prometheus/node-exporter/cowtrace.prom"

# --- each module in its kernel -----------------------------------------------
ct_build_progs "$work/progs"
echo "$version" >"$work/want-version"
i=0
for rel in "$rel61" "$rel612"; do
	ko=${kos[i]}
	i=$((i + 1))
	[ -n "$ko" ] || continue
	label="deb $rel"
	vmlinuz=$(ct_kernel_install "$rel") || { res 1 "a vmlinuz for $rel"; continue; }
	ct_boot_installed "$ko" "$vmlinuz" "$work" "$label"
	fails=$((fails + $?))
done

# --- purge: nothing left ------------------------------------------------------
# What the metrics unit would have left (its ExecStartPre's directory, the
# file): the package's postrm removes them on purge.
mkdir -p "$R/var/lib/prometheus/node-exporter"
echo '# cowtrace' >"$R/var/lib/prometheus/node-exporter/cowtrace.prom"
snapshot >"$work/files-installed"
comm -13 "$work/files-before" "$work/files-installed" >"$work/added"
# A path in the chroot as the file list has it (/lib is /usr/lib, merged /usr).
canon() {
	local d
	d=$(cd "$R$(dirname "$1")" 2>/dev/null && pwd -P) || { echo "$1"; return; }
	echo "${d#"$(cd "$R" && pwd -P)"}/$(basename "$1")"
}
# Positive control: the comparison sees what the install added.
unseen=0
for f in "$src/dkms.conf" /var/lib/dkms/cowtrace /usr/bin/cowtrace \
	/lib/systemd/system/cowtrace-metrics.service /usr/share/man/man1/cowtrace.1.gz \
	/usr/share/man/man4/cowtrace.4.gz /var/lib/prometheus/node-exporter/cowtrace.prom \
	/etc/systemd/system/multi-user.target.wants/cowtrace-metrics.service "${kos[0]#"$R"}" "${kos[1]#"$R"}"; do
	grep -qx "$(canon "$f")" "$work/added" || { echo "# not seen as added: $f"; unseen=$((unseen + 1)); }
done
[ "$unseen" -eq 0 ]
res $? "control: the file-list comparison sees the source, dkms tree, modules, reader, unit, man page as added ($(wc -l <"$work/added") paths)"
in_chroot apt-get purge -y cowtrace-dkms cowtrace >"$work/purge.log" 2>&1
res $? "apt-get purge cowtrace-dkms cowtrace"
snapshot >"$work/files-after"
diff "$work/files-before" "$work/files-after" >"$work/left.diff"
rc=$?
grep '^[<>]' "$work/left.diff" | sed 's/^>/#   left behind:/; s/^</#   removed:/' | head -40
res $rc "after purge the chroot's file list equals the one before install"
ct_chroot_umount
exit $((fails > 0))
