#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the symbolizer's libFuzzer target with ASan and UBSan and run it
# for $1 seconds, from seeds: a small real library and its hostile
# variants (tests/attr/mkhostile.py).
set -u
cd "$(dirname "$0")/.." || exit 1
secs=${1:-10}
command -v clang >/dev/null || { echo "error: clang is needed (bash fuzz/run.sh installs it)" >&2; exit 1; }
libs="$(pkg-config --libs libdw 2>/dev/null || echo -ldw -lelf) -liberty"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-o fuzz/fuzz_symbols fuzz/fuzz_symbols.c maps.c symbols.c attr.c format.c parse.c $libs || exit 1
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cc -O1 -fPIC -shared -o "$corpus/lib.so" tests/attr/lib.c &&
	python3 tests/attr/mkhostile.py "$corpus/lib.so" "$corpus" || exit 1
head -c 3000 "$corpus/lib.so" >"$corpus/head"
fuzz/fuzz_symbols -artifact_prefix=fuzz/ -max_total_time="$secs" -max_len=65536 \
	-rss_limit_mb=1024 -timeout=10 -print_final_stats=1 "$corpus" 2>fuzz/last_symbols.log
rc=$?
grep -E 'stat::number_of_executed_units' fuzz/last_symbols.log | sed 's/^/# fuzz symbols: /'
[ $rc = 0 ] || tail -30 fuzz/last_symbols.log
exit $rc
