#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the libFuzzer target with ASan and UBSan and run it for $1 seconds.
set -u
cd "$(dirname "$0")/.." || exit 1
secs=${1:-30}
for p in clang libclang-rt-14-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		need="${need:-} $p"
done
if [ -n "${need:-}" ]; then
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need >/dev/null 2>&1 ||
		{ apt-get update >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need >/dev/null 2>&1; } ||
		{ echo "error: cannot install$need" >&2; exit 1; }
fi
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-o fuzz/fuzz_parse fuzz/fuzz_parse.c parse.c raw.c format.c table.c metrics.c || exit 1
make -s tests/mkraw || exit 1
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
# Seeds: each line of the fixtures alone, and each fixture whole.
cat tests/fixtures/*.txt | while IFS= read -r l; do
	printf '%s' "$l" >"$corpus/$(printf '%s' "$l" | md5sum | cut -c1-8)"
done
for f in tests/fixtures/*.txt; do
	head -c 4000 "$f" >"$corpus/whole-$(basename "$f")"
done
# ... and the binary twin of basic.txt, also with a grown record and header
tests/mkraw tests/fixtures/basic.txt "$corpus/basic.raw" &&
	tests/mkraw --record-size 72 tests/fixtures/basic.txt "$corpus/basic72.raw" &&
	tests/mkraw --header-size 128 tests/fixtures/basic.txt "$corpus/basic-h128.raw" || exit 1
fuzz/fuzz_parse -artifact_prefix=fuzz/ -max_total_time="$secs" -max_len=4096 -print_final_stats=1 "$corpus" 2>fuzz/last.log
rc=$?
grep -E 'stat::number_of_executed_units' fuzz/last.log | sed 's/^/# fuzz: /'
[ $rc = 0 ] || tail -30 fuzz/last.log
exit $rc
