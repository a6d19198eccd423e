#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel-code hygiene: checkpatch --no-tree, make W=1 and sparse (C=2)
# against the stock 6.1 and 6.12 headers, each without a warning.
set -u
. "$(dirname "$0")/vm/lib.sh"

ct_host_setup
ct_need_pkgs sparse linux-source-6.12 xz-utils perl
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

while read -r label rel; do
	[ "$label" = 6.12-rt ] && continue
	ct_kernel_install "$rel" >/dev/null || exit 1
	work="$CT_WORK/lint-$rel"
	rm -rf "$work" && mkdir -p "$work"
	cp -r "$CT_ROOT/Kbuild" "$CT_ROOT/module" "$work/"
	make -C "/lib/modules/$rel/build" M="$work" W=1 C=2 modules >"$work/log" 2>&1
	rc=$?
	res $rc "module builds with W=1 C=2 against $label headers"
	grep -E 'warning|error' "$work/log" | grep -v 'Skipping BTF' >"$work/warn"
	[ ! -s "$work/warn" ]
	res $? "no compiler or sparse warning against $label headers"
	sed 's/^/#   /' "$work/warn" | head -20
	grep -q 'CHECK .*module/ring.c' "$work/log"
	res $? "sparse ran over the module ($label)"
done < <(ct_stock_kernels)
exit $((fails > 0))
