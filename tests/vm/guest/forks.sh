# SPDX-License-Identifier: GPL-2.0
# cowtrace end-to-end: process events (0.3) against the live module: the
# "# fork" and "# exit" lines, the tree parameter, and the reader's
# --forks, --svg and -- COMMAND. Sourced by e2e.sh in the guest, with its
# lib.sh helpers, after the reader's section (needs /bin/cowtrace).
plan 23

# pid_of FILE ROLE: the pid tree3 printed for ROLE (root, child, grand)
pid_of() { sed -n "s/^$2 pid=\([0-9]*\)$/\1/p" "$1" | head -1; }
# tgids FILE: the TGIDs of the records of a text file, each once
tgids() { awk '!/^#/ && $4 ~ /^[0-9]+$/ { print $4 }' "$1" | sort -un; }
# roles FILE PIDFILE [BASE_PREFIX]: "ROLE ADDRESS SIZE KIND MAP RESULT
# COMM" of each record of the tree in the test range, ROLE for its TGID
roles() {
	awk -v r="$(pid_of "$2" root)" -v c="$(pid_of "$2" child)" -v g="$(pid_of "$2" grand)" '
	!/^#/ && $5 ~ /^0x10000[0-9a-f]{7}$/ {
		role = $4 == r ? "root" : $4 == c ? "child" : $4 == g ? "grand" : "other"
		print role, $5, $6, $7, $8, $9, $11 }' "$1" | sort
}

# --- the tree parameter: a tree of three levels, and a sibling tree -----
# Loaded with a filter no comm passes, so that nothing is held from before
# pid= and tree= are set; then the filter is cleared.
reload filter=cowtrace-none
rm -f go1 go2
tree3 -W go1 2>t1.pids &
a=$!
tree3 -b 1 -W go2 2>t2.pids &
b=$!
await 10 grep -q '^root' t1.pids
await 10 grep -q '^root' t2.pids
r1=$(pid_of t1.pids root)
echo "$r1" >$P/pid && echo 1 >$P/tree && echo >$P/filter
check "pid=ROOT tree=1 written at run time" sh -c "test \"\$(cat $P/pid)\" = $r1 && grep -q '^[1Y]' $P/tree"
touch go1 go2
wait $a
wait $b
cat /proc/cowtrace >tree.txt
echo 0 >$P/tree
echo 0 >$P/pid
c1=$(pid_of t1.pids child)
g1=$(pid_of t1.pids grand)
want=$(printf '%s\n' "$r1" "$c1" "$g1" | sort -n | tr '\n' ' ')
got=$(tgids tree.txt | tr '\n' ' ')
check "tree=1: records of exactly the tree's three processes ($got; want $want)" test "$got" = "$want"
check "tree=1: the grandchild's records carry its new comm (PR_SET_NAME)" \
	sh -c "awk -v g=$g1 '!/^#/ && \$4 == g && \$11 == \"tree3-grand\"' tree.txt | grep -q ."
check "tree=1: fork lines root->child and child->grandchild, exit lines of all three" \
	sh -c "grep -Eq '^# fork [0-9]+\.[0-9]{9} +[0-9]+ +[0-9]+ +$r1 +$c1 +tree3$' tree.txt &&
	       grep -Eq '^# fork [0-9.]+ +[0-9]+ +[0-9]+ +$c1 +$g1 +tree3$' tree.txt &&
	       grep -Eq '^# exit [0-9.]+ +[0-9]+ +$g1 +tree3-grand$' tree.txt &&
	       grep -Eq '^# exit [0-9.]+ +[0-9]+ +$c1 ' tree.txt && grep -Eq '^# exit [0-9.]+ +[0-9]+ +$r1 ' tree.txt"
s2=$(pid_of t2.pids child)
check "tree=1: nothing of the sibling tree (child $s2), in records or events" \
	sh -c "test -n '$s2' && ! grep -Eq '(^| )$s2( |$)' tree.txt"
roles tree.txt t1.pids >tree.roles
# Positive control: with no filter the sibling tree's records are there.
reload
rm -f go2
tree3 -b 1 -W go2 2>t3.pids &
b=$!
await 10 grep -q '^root' t3.pids
touch go2
wait $b
cat /proc/cowtrace >all.txt
s3=$(pid_of t3.pids child)
check "control: without pid= the sibling tree's child ($s3) has records" \
	sh -c "awk -v c=$s3 '!/^#/ && \$4 == c' all.txt | grep -q ."

# --- fork and exit lines: order, threads, exec ---------------------------
reload
tree3 -t -e 2>te.pids
rte=$(pid_of te.pids root)
cte=$(pid_of te.pids child)
cat /proc/cowtrace >te.txt
nf=$(grep -Ec "^# fork [0-9.]+ +[0-9]+ +[0-9]+ +$rte " te.txt)
check "a thread (CLONE_THREAD) gives no fork line: the root's one fork line is its child's ($nf)" \
	sh -c "test $nf = 1 && grep -Eq '^# fork [0-9.]+ +[0-9]+ +[0-9]+ +$rte +$cte ' te.txt"
check "control: the root's thread wrote (its record has PID != TGID)" \
	sh -c "awk -v r=$rte '!/^#/ && \$4 == r && \$3 != r' te.txt | grep -q ."
check "an execve'd child (exec'd again as tree3 -n) still gets its exit line" \
	grep -Eq "^# exit [0-9.]+ +[0-9]+ +$cte +tree3$" te.txt
# Per CPU, records and events together in TIMESTAMP order.
# order FILE: "LINES OUT_OF_ORDER"; the first few steps back as notes
order() {
	awk '/^# (fork|exit) / { ts = $3; cpu = $4 } !/^#/ { ts = $1; cpu = $2 }
	/^# (fork|exit) / || !/^#/ { n++; v = ts; sub(/\./, "", v); v += 0	# ns: 9 decimals always
		if (cpu in last && v < last[cpu]) {
			if (++bad <= 4) print "# step back on cpu " cpu ": " prev[cpu] " | then | " $0 > "/dev/stderr"
		}
		last[cpu] = v; prev[cpu] = $0 }
	END { print n + 0, bad + 0 }' "$1"
}
o=$(order te.txt 2>order.err)
sed 's/^# /# note: /' order.err
check "records and fork/exit lines of each CPU in TIMESTAMP order ($o: lines, out of order)" \
	sh -c "test '${o#* }' = 0 && test '${o% *}' -gt 3"

# --- cowtrace -- COMMAND: the same records as tree=1, the exit status ---
reload
rm -f go4
tree3 -b 1 -W go4 2>t4.pids &
b=$!
await 10 grep -q '^root' t4.pids
cowtrace -o text -s -- sh -c 'touch go4; exec tree3' >cmd.txt 2>cmd.pids
rc=$?
wait $b
check "cowtrace -- tree3 exits 0" test $rc = 0
roles cmd.txt cmd.pids >cmd.roles
check "cowtrace -- tree3: the same records as pid=ROOT tree=1 ($(wc -l <cmd.roles) in the test range)" \
	sh -c "test -s cmd.roles && cmp -s cmd.roles tree.roles"
cmp -s cmd.roles tree.roles || diff tree.roles cmd.roles | head -10 | sed 's/^/# /'
s4=$(pid_of t4.pids child)
check "cowtrace -- tree3: nothing of the sibling tree running beside it (child $s4)" \
	sh -c "test -n '$s4' && awk -v c=$s4 '!/^#/ && \$4 == c' cmd.txt | grep -c . | grep -qx 0 &&
	       awk -v c=$s4 '!/^#/ && \$4 == c' /proc/cowtrace | grep -q ."
check "cowtrace -- tree3: its records (-o text), fork lines, then -s (the default table)" \
	sh -c "grep -q '^# fork ' cmd.txt && grep -q '^TGID ' cmd.txt"
cowtrace -- tree3 -x 3 >/dev/null 2>&1
rc=$?
check "cowtrace -- tree3 -x 3 exits 3 ($rc)" test $rc = 3
cowtrace -- tree3 -k >x9.out 2>&1
rc=$?
check "cowtrace -- tree3 -k (SIGKILL) exits 128+9 ($rc), -s printed" \
	sh -c "test $rc = 137 && grep -q '^TGID ' x9.out"
check "cowtrace -- COMMAND left the module's parameters alone" \
	sh -c "test \"\$(cat $P/pid)\" = 0 && grep -q '^[0N]' $P/tree && test -z \"\$(cat $P/filter)\""

# --- --forks: what the fork cost, against the program's own counts -----
reload
cowtrace --forks -o text -- forkcost >fc.txt 2>fc.err
rc=$?
line=$(grep '^forkcost ' fc.txt)
note "$line"
fp=$(echo "$line" | sed -n 's/.* parent=\([0-9]*\) .*/\1/p')
fc=$(echo "$line" | sed -n 's/.* child=\([0-9]*\) .*/\1/p')
pb=$(echo "$line" | sed -n 's/.* parent_bytes=\([0-9]*\) .*/\1/p')
cb=$(echo "$line" | sed -n 's/.* child_bytes=\([0-9]*\)$/\1/p')
row=$(awk -v p="$fp" -v c="$fc" '$1 == p && $3 == c && $5 ~ /^[0-9]+\.[0-9]{9}$/ { print $7, $8, $9, $6 }' fc.txt)
note "--forks row: $row"
check "cowtrace --forks -- forkcost exits 0 with one row for its fork" \
	sh -c "test $rc = 0 && test -n '$fp' && test -n '$row'"
check "--forks: the child's bytes are the program's count ($cb)" test "$(echo "$row" | cut -d' ' -f2)" = "$cb"
check "--forks: the parent's bytes while the child lived are the program's count ($pb)" \
	test "$(echo "$row" | cut -d' ' -f1)" = "$pb"
check "--forks: the sum is theirs ($((pb + cb))), the child lived (not running)" \
	sh -c "test '$(echo "$row" | cut -d' ' -f3)' = $((pb + cb)) && echo '$row' | grep -Eq ' [0-9]+\.[0-9]{9}$'"
# The same sums from the records themselves, as a second opinion.
sums=$(awk -v p="$fp" -v c="$fc" '
	$1 == "#" && $2 == "fork" && $7 == c { on = 1 }
	$1 == "#" && $2 == "exit" && $5 == c { on = 0 }
	!/^#/ && $9 == "copy" && on { if ($4 == p) a += $6; if ($4 == c) b += $6 }
	END { print a + 0, b + 0 }' fc.txt)
check "--forks: the copy records between the fork and exit lines sum to the same ($sums)" \
	test "$sums" = "$pb $cb"

# --- --svg in the guest: its structure (xmllint runs on the host's copy) --
cowtrace --no-follow --svg /tmp/forks.svg >/dev/null 2>svg.err
rc=$?
check "--svg writes a picture with a <style> block, the largest process named, the flame graph" \
	sh -c "test $rc = 0 && head -c 100 /tmp/forks.svg | grep -q '^<?xml' && tail -1 /tmp/forks.svg | grep -q '^</svg>$' &&
	       test \$(grep -c '<style' /tmp/forks.svg) = 1 && grep -q '>forkcost ($fc)' /tmp/forks.svg &&
	       grep -q '>all</text>' /tmp/forks.svg"
unload
