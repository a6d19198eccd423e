#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The documentation agrees with the program: every option the reader's
# --help prints is in its man page (user/cowtrace.1) and in docs/*.md; the
# README stays short and lists every document of docs/; the figures of
# docs/performance.md are those of tests/bench/results.json; both man pages
# format without a warning. Each check has a positive control: the same
# check fed a known-bad input fails. No VM, no root; seconds.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
fails=0
res() { if [ "$1" -eq 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fails=$((fails + 1)); fi; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s -C user cowtrace >"$tmp/build.log" 2>&1
res $? "make -C user cowtrace" || { sed 's/^/#   /' "$tmp/build.log" | tail -20; exit 1; }

# The options of a --help text on stdin, one a line: the tokens starting
# with - on the usage lines and the indented option lines ("-p, --pid",
# "[--by KEY]", "[-- COMMAND"), not words of the prose lines.
help_opts() {
	grep -E '^(usage:|[[:space:]])' |
		grep -oE '(^|[[:space:][])(--?[A-Za-z][A-Za-z0-9-]*|--)([][[:space:]=,]|$)' |
		sed -E 's/^[[:space:][]*//; s/[][[:space:]=,]*$//' | sort -u
}
# A man page as plain words: font escapes dropped, \- as -.
man_text() { sed -E 's/\\f[BIRP]//g; s/\\f\([A-Z]{2}//g; s/\\-/-/g; s/\\e/\\/g; s/\\&//g' "$1"; }
# missing OPTS_FILE TEXT_FILE: the options of OPTS_FILE not named in TEXT_FILE
# (as a whole word: --by is not found in --bytes; "--" must stand before
# a COMMAND-like word).
missing() {
	local o
	while read -r o; do
		if [ "$o" = -- ]; then
			grep -qP '(?<![\w-])--\s+\[?[A-Z]' "$2" || echo "$o"
		else
			grep -qP -- "(?<![\\w-])$o(?![\\w-])" "$2" || echo "$o"
		fi
	done <"$1"
}

user/cowtrace --help >"$tmp/help" 2>&1
help_opts <"$tmp/help" >"$tmp/opts"
n=$(wc -l <"$tmp/opts")
# The extraction itself: the options every reader has had since 0.2.
ok=1
for o in -p --pid -c --comm -n -t --no-follow -o --output -s --file -h --help --version; do
	grep -qx -- "$o" "$tmp/opts" || { ok=0; echo "# not extracted from --help: $o"; }
done
grep -qx -- -f "$tmp/opts" && { ok=0; echo "# extracted -f from the prose (tail -f)"; }
[ "$ok" = 1 ]
res $? "cowtrace --help: $n options extracted ($(tr '\n' ' ' <"$tmp/opts"| sed 's/ $//'))"

man_text user/cowtrace.1 >"$tmp/man1"
cat docs/*.md >"$tmp/docs"
for target in man1 docs; do
	name=$([ $target = man1 ] && echo user/cowtrace.1 || echo "docs/*.md")
	miss=$(missing "$tmp/opts" "$tmp/$target" | tr '\n' ' ')
	[ -z "$miss" ]
	res $? "every option of cowtrace --help is in $name${miss:+ (missing: $miss)}"
	# Positive control: options injected into the help are reported.
	{ cat "$tmp/help"; printf '      --zz-no-such-option N\n  -Z, --zz-other   fake\n'; } |
		help_opts >"$tmp/opts-fake"
	got=$(missing "$tmp/opts-fake" "$tmp/$target" | sort | tr '\n' ' ')
	# shellcheck disable=SC2086
	want=$(printf '%s\n' -Z --zz-no-such-option --zz-other $miss | sort | tr '\n' ' ')
	[ "$got" = "$want" ]
	res $? "control: fake options injected into --help are reported missing from $name (got: $got)"
done
# Control of the whole-word match: --metrics is not found in a text that
# only has --metrics-interval.
printf '%s\n' --metrics >"$tmp/o1"
echo "use --metrics-interval SECONDS" >"$tmp/t1"
[ "$(missing "$tmp/o1" "$tmp/t1")" = --metrics ]
res $? "control: an option is matched as a whole word (--metrics is not in --metrics-interval)"

# README: at most 200 lines, and a table of contents of docs/.
lines=$(wc -l <README.md)
[ "$lines" -le 200 ]
res $? "README.md has $lines lines (at most 200)"
seq 201 >"$tmp/long"
[ "$(wc -l <"$tmp/long")" -gt 200 ]
res $? "control: a 201-line file fails the same line check"
miss=
for f in docs/*.md docs/cowtrace.4; do
	grep -q "($f)" README.md || miss+=" $f"
done
[ -z "$miss" ]
res $? "README.md links every document of docs/${miss:+ (missing:$miss)}"
bad=
for l in $(grep -oE '\]\([^)#]+\)' README.md docs/*.md | sed -E 's/^([^:]*):\]\((.*)\)$/\1 \2/' | tr ' ' '|'); do
	src=${l%%|*} dst=${l#*|}
	case $dst in http*) continue ;; esac
	[ -e "$(dirname "$src")/$dst" ] || bad+=" $src:$dst"
done
[ -z "$bad" ]
res $? "every relative link of README.md and docs/*.md names a file that exists${bad:+ (broken:$bad)}"
miss=
for f in docs/*.md; do
	head -12 "$f" | grep -q '^What this page is for' || miss+=" $f"
done
[ -z "$miss" ]
res $? "each docs/*.md starts with what it is for${miss:+ (not:$miss)}"

# Figures from a run: the block of docs/performance.md is what the generator
# renders from tests/bench/results.json now.
python3 docs/bench-figures.py --check
res $? "docs/performance.md's figures are those of tests/bench/results.json (python3 docs/bench-figures.py --check)"
sed 's/| 165 | kprobe_empty |/| 166 | kprobe_empty |/' docs/performance.md >"$tmp/perf.md"
! cmp -s docs/performance.md "$tmp/perf.md" &&
	! python3 docs/bench-figures.py --check --doc "$tmp/perf.md" 2>/dev/null
res $? "control: a figure edited by hand in docs/performance.md fails the check"

# The man pages format without a warning.
for m in user/cowtrace.1 docs/cowtrace.4; do
	out=$(groff -man -ww -z "$m" 2>&1)
	[ -z "$out" ]
	res $? "groff -man -ww: $m formats without a warning${out:+ ($out)}"
done
{ cat docs/cowtrace.4; echo '.XYZZY unknown'; } >"$tmp/bad.4"
[ -n "$(groff -man -ww -z "$tmp/bad.4" 2>&1)" ]
res $? "control: groff -ww warns about an unknown macro"

exit $((fails > 0))
