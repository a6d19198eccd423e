#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# DKMS: dkms.conf with the real dkms tool for the stock 6.1 and 6.12 kernels
# (in a private DKMS tree), the built module booted in its kernel, and
# make dkms-install / dkms-uninstall on the system tree, leaving nothing.
set -u
. "$(dirname "$0")/../vm/lib.sh"

ct_host_setup
ct_need_pkgs dkms
fails=0
res() { if [ "$1" -eq 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fails=$((fails + 1)); fi; }
version=$(sed -n 's/^#define COWTRACE_VERSION "\(.*\)"/\1/p' "$CT_ROOT/module/version.h")
pkgver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$CT_ROOT/dkms.conf")
[ -n "$version" ] && [ "$pkgver" = "$version" ]
res $? "dkms.conf PACKAGE_VERSION ($pkgver) equals COWTRACE_VERSION ($version)"

work="$CT_WORK/dkms"
rm -rf "$work" && mkdir -p "$work"
ct_build_progs "$work/progs"
echo "$version" >"$work/want-version"
T="$work/tree"
mkdir -p "$T/dkms" "$T/install" "$T/src/cowtrace-$version/module"
cp "$CT_ROOT"/{Kbuild,Makefile,dkms.conf} "$T/src/cowtrace-$version/"
cp -r "$CT_ROOT"/module/*.[ch] "$CT_ROOT"/module/{Kbuild,compat.mk,uapi} \
	"$T/src/cowtrace-$version/module/"
rm -f "$T/src/cowtrace-$version/module/"*.mod.c
D=(dkms --dkmstree "$T/dkms" --sourcetree "$T/src" --installtree "$T/install")

"${D[@]}" add -m cowtrace -v "$version" >"$work/add.log" 2>&1
res $? "dkms add (private tree)"
while read -r label rel; do
	[ "$label" = 6.12-rt ] && continue
	vmlinuz=$(ct_kernel_install "$rel") || exit 1
	"${D[@]}" build -m cowtrace -v "$version" -k "$rel" >"$work/build-$label.log" 2>&1
	res $? "dkms build for $label ($rel)"
	mkdir -p "$T/install/$rel"
	"${D[@]}" install -m cowtrace -v "$version" -k "$rel" >"$work/install-$label.log" 2>&1
	res $? "dkms install for $label"
	ko=$(find "$T/install/$rel" -name 'cowtrace.ko*' 2>/dev/null | head -1)
	[ -n "$ko" ] && [ "$(modinfo -F version "$ko")" = "$version" ]
	res $? "the installed module's modinfo version is $version ($label)"
	"${D[@]}" status -m cowtrace -v "$version" -k "$rel" 2>/dev/null | grep -q 'installed'
	res $? "dkms status shows it installed for $label"
	if [ -n "$ko" ]; then
		ct_boot_installed "$ko" "$vmlinuz" "$work" "dkms $label"
		fails=$((fails + $?))
	fi
done < <(ct_stock_kernels)
"${D[@]}" remove -m cowtrace -v "$version" --all >"$work/remove.log" 2>&1
res $? "dkms remove --all"
! find "$T/install" "$T/dkms" -name 'cowtrace*' 2>/dev/null | grep -q .
res $? "nothing left in the private DKMS tree after remove"

# make dkms-install / dkms-uninstall, for real, for the 6.12 kernel
rel=$(ct_stock_kernels | awk '$1 == "6.12" { print $2 }')
if [ -e "/usr/src/cowtrace-$version" ] || [ -e /var/lib/dkms/cowtrace ]; then
	echo "# cowtrace is already registered with DKMS here: make dkms-install not tested"
else
	make -s -C "$CT_ROOT" dkms-install KVER="$rel" >"$work/make-install.log" 2>&1
	res $? "make dkms-install KVER=$rel"
	ls /lib/modules/"$rel"/updates/dkms/cowtrace.ko* >/dev/null 2>&1
	res $? "the module is under /lib/modules/$rel/updates/dkms"
	modinfo -k "$rel" -F version cowtrace 2>/dev/null | grep -qx "$version"
	res $? "modinfo -k $rel cowtrace finds version $version (modprobe will)"
	make -s -C "$CT_ROOT" dkms-uninstall >"$work/make-uninstall.log" 2>&1
	res $? "make dkms-uninstall"
	left=$(ls -d /usr/src/cowtrace-* /var/lib/dkms/cowtrace /lib/modules/*/updates/dkms/cowtrace.ko* 2>/dev/null)
	[ -z "$left" ]
	res $? "nothing left under /usr/src, /var/lib/dkms or /lib/modules ${left:+($left)}"
fi
exit $((fails > 0))
