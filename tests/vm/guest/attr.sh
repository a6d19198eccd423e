# SPDX-License-Identifier: GPL-2.0
# The reader's attribution (SPEC 0.3 "Why it was copied": -a, --by,
# -o folded, -w) against the live module, with the dynamically linked
# programs of tests/vm/progs/attr in /opt/attr (ct_build_dynprogs); sourced
# by e2e.sh. Every expectation comes from what a program says it did
# (progs/attr/attrib.c: its writes, its functions' addresses, its maps).
plan 52

A=/opt/attr

# attr_start TAG COMM: follow with -a -o json and -w TAG.ct, records of COMM
attr_start() {
	rm -f "$1".*
	cowtrace -a -o json -c "$2" -w "/tmp/$1.ct" >"$1.json" 2>"$1.err" &
	attr_reader=$!
	# the reader is ready once it holds the module's file open
	await 10 sh -c "ls -l /proc/$attr_reader/fd 2>/dev/null | grep -q ' /proc/cowtrace'" ||
		note "$1: the reader did not open /proc/cowtrace in 10 s"
}

# attr_idle: the follower has caught up: it sleeps (in poll) and used no CPU
# time for half a second
attr_idle() {
	_s1=$(awk '{ print $3, $14 + $15 }' /proc/$attr_reader/stat 2>/dev/null)
	usleep 500000
	_s2=$(awk '{ print $3, $14 + $15 }' /proc/$attr_reader/stat 2>/dev/null)
	[ -n "$_s1" ] && [ "$_s1" = "$_s2" ] && [ "${_s1%% *}" = S ]
}

# attr_prog OUT CMD...: run CMD (an attrib) to the end: it lingers after its
# child exited, until the reader has caught up with its records (at least
# ATTR_SETTLE seconds, 1 by default), as a process lives while a follower
# sees its records; the host's
# view of its maps is kept in OUT.maps. Status in attr_rc.
attr_prog() {
	out=$1
	shift
	rm -f "/tmp/$out.go"
	"$@" --linger "/tmp/$out.go" >"$out" 2>"$out.err" &
	_p=$!
	await 60 grep -q '^pid' "$out" || note "$out: no pid line in 60 s"
	_pp=$(awk -F '\t' '$1 == "pid" { print $2 }' "$out")
	[ -n "$_pp" ] && cat "/proc/$_pp/maps" >"$out.maps" 2>/dev/null
	sleep "${ATTR_SETTLE:-1}"
	await 120 attr_idle || note "$out: the reader was still busy after 120 s"
	touch "/tmp/$out.go"
	wait $_p
	attr_rc=$?
	[ $attr_rc = 0 ] || sed 's/^/#   /' "$out.err" | head -5
}

# attr_stop TAG: end the follower (SIGINT); its status in attr_rrc
attr_stop() {
	sleep 1
	kill -INT $attr_reader
	wait $attr_reader
	attr_rrc=$?
	[ $attr_rrc = 0 ] || sed 's/^/#   /' "$1.err" | head -5
}

# pids OUT: "PARENT CHILD" of a program's output
pids() { awk -F '\t' '$1 == "pid" { print $2, $3 }' "$1"; }

# attr_match OUT JSON [MODE]: the records of OUT's processes in JSON (-a -o
# json) are what OUT says. Each page each write names has exactly one
# record of the child (size 4096, copy) whose sym is FN+0x(IP-FNADDR)
# ("sym"), OBJ+0x(IP-MAPSTART+MAPOFF) ("off") or null ("none"), whose obj
# is OBJ (null for "none") and whose region is the write's region; with
# ATTR_ALL=1, also every other record of the parent and the child has the
# region of its address and the object of its IP in the program's maps
# (null where that mapping is no file, [vdso] as such). MODE: "deleted" also takes OBJ without
# " (deleted)" as the object; "hostile" also takes null for the hostile
# write's sym and obj. Prints what differs; fails on any, or on no record.
attr_match() {
	awk -F '\t' -v mode="${3:-}" -v all="${ATTR_ALL:-}" '
	function jget(s, k,   i, r, out, c) {
		i = index(s, "\"" k "\":")
		if (!i) return "\001missing"
		r = substr(s, i + length(k) + 3)
		if (substr(r, 1, 4) == "null") return "\001null"
		if (substr(r, 1, 1) != "\"") { match(r, /^[^,}]*/); return substr(r, 1, RLENGTH) }
		r = substr(r, 2); out = ""
		while (length(r)) {
			c = substr(r, 1, 1)
			if (c == "\\") { out = out substr(r, 1, 2); r = substr(r, 3); continue }
			if (c == "\"") break
			out = out c; r = substr(r, 2)
		}
		return out
	}
	function show(v) { return v == "\001null" ? "null" : v == "\001missing" ? "(no key)" : v }
	function mapof(a,   i) { for (i = 1; i <= nm; i++) if (a >= ms[i] && a < me[i]) return i; return 0 }
	function bad(what) { nbad++; if (nbad <= 12) print "#   " what }
	FNR == NR {
		if ($1 == "pid") { parent = $2; child = $3 }
		if ($1 == "write") {
			nw++; fn[nw] = $2; fa[nw] = $3 + 0; st[nw] = $4 + 0; pg[nw] = $5
			ex[nw] = $6; mst[nw] = $7 + 0; mof[nw] = $8 + 0; ob[nw] = $9; rg[nw] = $10 == "" ? "[anon]" : $10
		}
		if ($1 == "map") { nm++; ms[nm] = $2 + 0; me[nm] = $3 + 0; mn[nm] = $5 }
		next
	}
	{
		tgid = jget($0, "tgid")
		if (tgid != parent && tgid != child) next
		addr = jget($0, "addr") + 0; ip = jget($0, "ip") + 0
		sym = jget($0, "sym"); obj = jget($0, "obj"); region = jget($0, "region")
		n++
		inw = 0
		for (w = 1; tgid == child && w <= nw; w++)
			if (addr >= st[w] && addr < st[w] + pg[w] * 4096) inw = w
		if (!all && !inw) next
		# the region and object of every record, by the maps
		i = mapof(addr)
		want = !i ? "(no mapping)" : mn[i] == "" ? "[anon]" : mn[i]
		if (region != want) bad(sprintf("%s at %s: region %s, want %s", tgid, jget($0, "addr"), show(region), want))
		i = mapof(ip)
		want = i && (mn[i] ~ /^\// || mn[i] == "[vdso]") ? mn[i] : "\001null"
		alt = mode == "deleted" ? want : ""
		sub(/ \(deleted\)$/, "", alt)
		if (obj != want && obj != alt && !(mode == "hostile" && obj == "\001null"))
			bad(sprintf("%s ip %s: obj %s, want %s", tgid, jget($0, "ip"), show(obj), show(want)))
		if (inw) {
			w = inw
			seen[w, (addr - st[w]) / 4096]++
			if (jget($0, "size") != 4096 || jget($0, "result") != "copy")
				bad(sprintf("%s at %s: size %s result %s, want 4096 copy", fn[w], jget($0, "addr"), jget($0, "size"), jget($0, "result")))
			if (ex[w] == "sym") want = sprintf("%s+0x%x", fn[w], ip - fa[w])
			else if (ex[w] == "off") want = sprintf("%s+0x%x", ob[w], ip - mst[w] + mof[w])
			else want = "\001null"
			if (sym != want && !(mode == "hostile" && fn[w] == "hostile" && sym == "\001null"))
				bad(sprintf("%s at %s ip %s: sym %s, want %s", fn[w], jget($0, "addr"), jget($0, "ip"), show(sym), show(want)))
			if (ex[w] == "none" && obj != "\001null") bad(sprintf("%s: obj %s, want null", fn[w], show(obj)))
			checked++
		}
	}
	END {
		for (w = 1; w <= nw; w++)
			for (i = 0; i < pg[w]; i++)
				if (seen[w, i] != 1) bad(sprintf("%s page %d (of %d): %d records, want 1", fn[w], i, pg[w], seen[w, i]))
		if (!nw || !child) bad("the program said no write or no pid")
		print "#   " n + 0 " records of " parent "/" child (all ? "" : " (the writes only)") ", " checked + 0 " of the writes, " nbad + 0 " wrong"
		exit nbad > 0 || !checked
	}' "$1" "$2"
}

# attr_all OUT JSON [MODE]: attr_match of every record (ATTR_ALL=1)
attr_all() {
	ATTR_ALL=1
	attr_match "$@"
	_r=$?
	ATTR_ALL=
	return $_r
}

# by_rows FILE KEY: "NAME RECORDS BYTES" per row of the --by KEY table, its
# "(total)" line left out (the header line starts with KEY in capitals;
# RECORDS sums the RESULT columns)
by_rows() {
	awk -v key="$2" '
	!h && $1 == toupper(key) { for (i = 1; i <= NF; i++) col[$i] = i; h = NF; next }
	h && NF == h && $1 != "(total)" {
		n = 0; b = "?"
		for (c in col) {
			if (c ~ /^(COPY|ZERO|REUSE|NOTIFY|SPLIT|FAIL)$/) n += $col[c]
			if (c ~ /^BYTES/) b = $col[c]
		}
		print $1, n, b; next
	}
	h { exit }' "$1"
}

# want_rows OUT KEY: the rows --by KEY must have for OUT's writers: function
# (named ones) or region, each pages*4096 bytes in pages records
want_rows() {
	awk -F '\t' -v key="$2" '$1 == "write" && (key == "region" || $6 == "sym") {
		k = key == "region" ? ($10 == "" ? "[anon]" : $10) : $2
		gsub(/ /, "\\040", k); n[k] += $5 } END { for (k in n) print k, n[k], n[k] * 4096 }' "$1" | sort
}

# rows_match OUT JSON BYFILE KEY: each --by KEY row of a writer function is
# exactly its pages; a region's row is the writes' pages plus the records
# of the child elsewhere in that region (from JSON); the rows add up to the
# child's records and bytes copied in JSON
rows_match() {
	set -- "$1" "$2" "$3" "$4" "$(pids "$1" | cut -d' ' -f2)"
	by_rows "$3" "$4" | sort >rows.$$
	want_rows "$1" "$4" >want.$$
	if [ "$4" = region ]; then
		# plus the child's records in those regions outside the writes
		awk -F '\t' -v child="$5" 'FNR == NR { if ($1 == "write") { nw++; st[nw] = $4 + 0; pg[nw] = $5 } next }
		{ if (!match($0, /"tgid":[0-9]+/) || substr($0, RSTART + 7, RLENGTH - 7) != child) next
		  match($0, /"addr":"0x[0-9a-f]+"/); a = substr($0, RSTART + 8, RLENGTH - 9) + 0
		  for (w = 1; w <= nw; w++) if (a >= st[w] && a < st[w] + pg[w] * 4096) next
		  match($0, /"region":"[^"]*"/); r = substr($0, RSTART + 10, RLENGTH - 11)
		  match($0, /"size":[0-9]+/); s = substr($0, RSTART + 7, RLENGTH - 7)
		  c = $0 ~ /"result":"copy"/
		  gsub(/ /, "\\040", r); x[r]++; xb[r] += c ? s : 0 }
		END { for (r in x) print r, x[r], xb[r] }' "$1" "$2" >extra.$$
		awk 'FILENAME == ARGV[1] { x[$1] = $2; xb[$1] = $3; next } { print $1, $2 + x[$1], $3 + xb[$1] }' \
			extra.$$ want.$$ >want2.$$
		mv want2.$$ want.$$
	fi
	_ok=0
	while read -r k n b; do
		got=$(awk -v k="$k" '$1 == k { print $2, $3; exit }' rows.$$)
		[ "$got" = "$n $b" ] || { note "  --by $4 row $k: got '${got:-no row}', want '$n $b'"; _ok=1; }
	done <want.$$
	[ -s want.$$ ] || { note "  no expected rows"; _ok=1; }
	tot=$(awk '{ n += $2; b += $3 } END { print n + 0, b + 0 }' rows.$$)
	jt=$(awk -v child="$5" 'index($0, "\"tgid\":" child ",") { n++; if ($0 ~ /"result":"copy"/) { match($0, /"size":[0-9]+/); b += substr($0, RSTART + 7, RLENGTH - 7) } }
		END { print n + 0, b + 0 }' "$2")
	[ "$tot" = "$jt" ] || { note "  --by $4 rows add up to '$tot', the child's records and bytes copied are '$jt'"; _ok=1; }
	rm -f rows.$$ want.$$ extra.$$
	return $_ok
}

# folded_check FOLDED OUT JSON: every line is frames joined by ";", a space
# and an integer; four frames (COMM;REGION;OBJECT;FUNCTION); the counts add
# up to the child's bytes copied in JSON; each named writer has its line
folded_check() {
	child=$(pids "$2" | cut -d' ' -f2)
	_ok=0
	awk '!/^[^;]+(;[^;]+)* [0-9]+$/ { print "#   not folded: " $0; bad = 1 }
	{ t = $0; sub(/ [0-9]+$/, "", t); if (split(t, f, ";") != 4) { print "#   not 4 frames: " $0; bad = 1 } }
	END { exit bad || !NR }' "$1" || _ok=1
	tot=$(awk '{ n += $NF } END { print n + 0 }' "$1")
	want=$(awk -v child="$child" 'index($0, "\"tgid\":" child ",") && /"result":"copy"/ {
		match($0, /"size":[0-9]+/); b += substr($0, RSTART + 7, RLENGTH - 7) } END { print b + 0 }' "$3")
	[ "$tot" = "$want" ] || { note "  folded total $tot, the child copied $want bytes"; _ok=1; }
	comm=$(awk 'index($0, "\"tgid\":'"$child"',") { match($0, /"comm":"[^"]*"/); print substr($0, RSTART + 8, RLENGTH - 9); exit }' "$3")
	awk -F '\t' '$1 == "write" && $6 == "sym" { print ($10 == "" ? "[anon]" : $10) ";" $9 ";" $2 " " $5 * 4096 }' "$2" |
	while read -r line; do
		grep -qxF "$comm;$line" "$1" || { note "  no folded line '$comm;$line'"; echo x; }
	done | grep -q x && _ok=1
	return $_ok
}

# back --file PATH ARGS...: read a recording (never hangs the suite)
back() { timeout 120 cowtrace --no-follow "$@"; }

# same A B: A has records and B is the same file
same() { test -s "$1" && cmp -s "$1" "$2"; }

# fails COMMAND...: COMMAND fails (its output dropped): a checker's control
fails() { ! "$@" >/dev/null 2>&1; }

# same_or_unknown FOLLOWED BACK: BACK has FOLLOWED's records (by timestamp,
# task, address and IP: a fork's parent and child can write the same stack
# address within one tick of a coarse clock), each with the followed sym or
# none (null): never another
same_or_unknown() {
	awk 'function get(k,   r) { if (!match($0, "\"" k "\":(\"[^\"]*\"|null|[0-9]+)")) return "(no key)"
		r = substr($0, RSTART + length(k) + 3, RLENGTH - length(k) - 3); return r }
	function key() { return get("ts") " " get("pid") " " get("addr") " " get("ip") }
	FNR == NR { k = key(); if (k in sym) { bad++; print "#   followed twice: " $0 }
		    sym[k] = get("sym"); n++; next }
	{ k = key(); m++
	  if (!(k in sym)) { bad++; print "#   read back, not followed: " $0; next }
	  if (get("sym") != sym[k] && get("sym") != "null") { bad++; print "#   read back " get("sym") ", followed " sym[k] } }
	END { exit bad || n != m || !n }' "$1" "$2"
}

# unresolved ERR: the count the reader reported at exit (0 if none)
unresolved() {
	_u=$(grep -i unresolved "$1" | head -1 | grep -o '[0-9][0-9]*' | head -1)
	echo "${_u:-0}"
}

# Same addresses from run to run: the JIT control compares two runs.
aslr=$(cat /proc/sys/kernel/randomize_va_space)
echo 0 >/proc/sys/kernel/randomize_va_space
reload

# --- the program, its library and their files ------------------------------
check "attr: the dynamic programs are in the guest ($A: $(ls $A 2>/dev/null | tr '\n' ' '))" \
	test -x $A/attrib -a -f $A/libattrib.so -a -x $A/attrib-stripped
check "attr: a debug file is placed by build-id under /usr/lib/debug/.build-id" \
	sh -c "ls /usr/lib/debug/.build-id/*/*.debug >/dev/null 2>&1"
attr_start plain attrib
attr_prog plain.out $A/attrib
attr_stop plain
pp=$(pids plain.out | cut -d' ' -f1)
pc=$(pids plain.out | cut -d' ' -f2)
check "attr: attrib ran (parent ${pp:-?}, child ${pc:-?}) and wrote what it says" test "$attr_rc" = 0 -a -n "$pc"
grep '^note' plain.out | sed 's/^note\t/# attrib: /'
# The named region exists from 5.17 on, with CONFIG_ANON_VMA_NAME: where it
# cannot, the write goes to an unnamed region and maps says [anon]
if grep -q 'anon name set' plain.out; then
	section attr-anon-name
else
	skipped attr-anon-name "this kernel names no anonymous region ($(grep -o 'PR_SET_VMA_ANON_NAME: .*' plain.out), 5.17+ with CONFIG_ANON_VMA_NAME): the named write's region is [anon]"
fi
check "attr: the follower (-a -o json -w) exits 0 on SIGINT" test "$attr_rrc" = 0
awk -F '\t' '$1 == "write" { printf "# write %s %s pages to %s (%s)\n", $2, $5, $10 == "" ? "[anon]" : $10, $9 }' plain.out
grep -m3 "\"tgid\":$pc," plain.json | sed 's/^/# /'
check "attr: followed, every record's sym, obj and region are what attrib says (PIE .symtab, library .dynsym, OBJECT+0xOFF)" \
	attr_match plain.out plain.json
check "attr: followed, every other record of attrib's parent and child has the region and object its maps say" \
	attr_all plain.out plain.json
check "attr: -w wrote a recording" test -s /tmp/plain.ct
note "the recording holds $(grep -c '^# map' /tmp/plain.ct) '# map' lines, $(grep -c '^# map '"$pc " /tmp/plain.ct) of the child"

# --- the stripped copy: symbols from its debug file by build-id -------------
attr_start strip attrib-stripped
attr_prog strip.out $A/attrib-stripped
attr_stop strip
check "attr: attrib-stripped ran" test "$attr_rc" = 0 -a -n "$(pids strip.out)"
check "attr: attrib-stripped has no .symtab, attrib has one (positive control)" \
	sh -c "! grep -q symtab $A/attrib-stripped && grep -q symtab $A/attrib"
check "attr: followed, attrib-stripped's records resolve through its debug file" attr_match strip.out strip.json

# --- a program whose binary was deleted after start -------------------------
rm -rf /tmp/attr-del && mkdir -p /tmp/attr-del
cp $A/attrib $A/libattrib.so /tmp/attr-del/
attr_start del attrib
attr_prog del.out /tmp/attr-del/attrib --unlink
attr_stop del
check "attr: the deleted program ran and its binary is gone" test "$attr_rc" = 0 -a ! -e /tmp/attr-del/attrib
check "attr: its maps name the binary deleted (positive control)" grep -q '/tmp/attr-del/attrib (deleted)' del.out
check "attr: followed, the deleted binary's records resolve through the process's own view" \
	attr_match del.out del.json deleted

# --- a program in another mount namespace ----------------------------------
rm -rf /tmp/attr-nssrc /tmp/attr-nsview && mkdir -p /tmp/attr-nssrc /tmp/attr-nsview
cp $A/attrib $A/libattrib.so /tmp/attr-nssrc/
# What this namespace sees at the program's path: another ELF file (a
# reader that opens the path reads the wrong symbols)
cp $A/libattrib.so /tmp/attr-nsview/attrib
attr_start ns attrib
attr_prog ns.out unshare -m --propagation private sh -c \
	'mount --bind /tmp/attr-nssrc /tmp/attr-nsview && exec /tmp/attr-nsview/attrib "$@"' sh
attr_stop ns
check "attr: the program ran in its own mount namespace" test "$attr_rc" = 0 -a -n "$(pids ns.out)"
check "attr: its binary's path holds another file in this namespace (positive control)" \
	sh -c "awk -F '\t' '\$1 == \"write\" { print \$9 }' ns.out | grep -qx /tmp/attr-nsview/attrib &&
	       ! cmp -s /tmp/attr-nsview/attrib $A/attrib"
awk -F '\t' '$1 == "map" { print $5 }' ns.out | sort -u >ns.own
awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }' ns.out.maps | sort -u >ns.host
cmp -s ns.own ns.host || note "the names in the program's maps seen from here differ from its own: $(diff ns.own ns.host | grep '^[-+][^-+]' | head -3 | tr '\n' ' ')"
check "attr: followed, its records resolve through the process's own view" attr_match ns.out ns.json

# --- a JIT-like anonymous executable region, and its control ---------------
attr_start jit attrib
attr_prog jit.out $A/attrib jit
attr_stop jit
check "attr: attrib jit ran" test "$attr_rc" = 0 -a -n "$(pids jit.out)"
check "attr: followed, the JIT-written pages have sym and obj null, the rest as attrib says" \
	attr_match jit.out jit.json
attr_start ctl attrib
attr_prog ctl.out $A/attrib ctl
attr_stop ctl
check "attr: followed, the control (the same code where it was built) resolves" attr_match ctl.out ctl.json

# --- a process that maps a hostile ELF file and runs code in it ------------
attr_start hostile attrib
attr_prog hostile.out $A/attrib hostile /tmp/attr-hostile.elf
attr_prog hostile2.out $A/attrib ctl
attr_stop hostile
check "attr: attrib hostile ran (e_shnum 0xffff, section headers past the end, overlapping segments)" \
	test -n "$(pids hostile.out)" -a -s /tmp/attr-hostile.elf
check "attr: the reader lives through the hostile file and exits 0" test "$attr_rrc" = 0
check "attr: followed, the hostile write is unresolved (or OBJECT+0xOFF), the rest as attrib says" \
	attr_match hostile.out hostile.json hostile
check "attr: the same follower then resolves the next program's records" attr_match hostile2.out hostile.json

# --- every process has exited: the recordings, read back --------------------
check "attr: no attrib process is left" sh -c '! pidof attrib attrib-stripped >/dev/null'
for t in plain strip del ns jit ctl hostile; do
	c=attrib
	[ $t = strip ] && c=attrib-stripped
	back --file /tmp/$t.ct -a -o json -c $c >$t.back.json 2>$t.back.err
	echo "$?" >$t.back.rc
done
check "attr: --no-follow --file -a reads every recording back, exit 0" \
	sh -c 'for t in plain strip del ns jit ctl hostile; do [ "$(cat $t.back.rc)" = 0 ] || exit 1; done'
check "attr: read back, the recording of attrib has the same records, sym, obj and region as followed" \
	same plain.json plain.back.json
check "attr: read back, attrib's records are what it says" attr_match plain.out plain.back.json
check "attr: read back, the recording of attrib-stripped is the same as followed" same strip.json strip.back.json
check "attr: read back, attrib-stripped's records are what it says" attr_match strip.out strip.back.json
check "attr: read back, the JIT recording is the same as followed" same jit.json jit.back.json
check "attr: read back, the control's recording is the same as followed" same ctl.json ctl.back.json
check "attr: read back, the hostile recording is the same as followed" same hostile.json hostile.back.json
# The deleted binary and the other namespace's file are not installed: read
# back, their writers' records are either exact or unresolved, never wrong
for t in del ns; do
	check "attr: read back, the $t program's records are the followed ones, each sym as followed or unknown" \
		same_or_unknown $t.json $t.back.json
done

# --- --by function, --by region, -o folded of a recording ------------------
back --file /tmp/plain.ct --by function -p "$pc" >plain.byfn 2>plain.byfn.err
check "attr: --file --by function exits 0" test $? = 0
awk '$1 == "FUNCTION" { t = 1 } t' plain.byfn | sed 's/^/# /' | head -14
check "attr: --by function: each writer's row is its pages and bytes; the rows add up to the child's records" \
	rows_match plain.out plain.back.json plain.byfn function
back --file /tmp/plain.ct --by region -p "$pc" >plain.byrg 2>plain.byrg.err
check "attr: --file --by region exits 0" test $? = 0
awk '$1 == "REGION" { t = 1 } t' plain.byrg | sed 's/^/# /' | head -14
check "attr: --by region: each region's row is the writes' pages plus the child's other records there" \
	rows_match plain.out plain.back.json plain.byrg region
back --file /tmp/strip.ct --by function -p "$(pids strip.out | cut -d' ' -f2)" >strip.byfn 2>/dev/null
check "attr: --by function of attrib-stripped: the rows from its debug file" \
	rows_match strip.out strip.back.json strip.byfn function
back --file /tmp/plain.ct -o folded -p "$pc" >plain.folded 2>plain.folded.err
check "attr: --file -o folded exits 0" test $? = 0
sed 's/^/# /' plain.folded | head -8
check "attr: -o folded parses back (COMM;REGION;OBJECT;FUNCTION bytes), totals the child's bytes copied, has each writer's line" \
	folded_check plain.folded plain.out plain.back.json
# a positive control of the checker: a line that is not folded fails it
{ cat plain.folded; echo 'attrib;[heap] 12x'; } >bad.folded
check "attr: the folded checker fails a malformed line (positive control)" \
	fails folded_check bad.folded plain.out plain.back.json
# and the row checker a table with a writer's row off by one record
awk '$1 == "attrib_write_heap" { $2 = $2 + 1 } { print }' plain.byfn >bad.byfn
check "attr: the --by checker fails a row off by one (positive control)" \
	fails rows_match plain.out plain.back.json bad.byfn function

# --- what could not be resolved is counted -----------------------------------
for t in jit ctl hostile; do
	back --file /tmp/$t.ct -a -o json -p "$(pids $t.out | cut -d' ' -f2)" >$t.child.json 2>$t.child.err
done
uj=$(unresolved jit.child.err) uc=$(unresolved ctl.child.err) uh=$(unresolved hostile.child.err)
note "unresolved at exit: jit child $uj, control child $uc, hostile child $uh"
grep -i unresolved jit.child.err | head -2 | sed 's/^/#   /'
n=$(awk -F '\t' '$1 == "write" && ($2 == "jit" || $2 == "hostile") { print $5; exit }' jit.out)
check "attr: the JIT child's unresolved count is the control's plus its $n JIT pages" \
	test -n "$n" -a "$((uj - uc))" = "$n"
check "attr: the hostile child's unresolved count is the control's plus its $n hostile pages" \
	test -n "$n" -a "$((uh - uc))" = "$n"
check "attr: the JIT pages are unresolved in the JSON too (sym null: $(grep -c '"sym":null' jit.child.json))" \
	test "$(grep -c '"sym":null' jit.child.json)" -ge "${n:-1}"

# --- text output: three columns after COMM ----------------------------------
back --file /tmp/plain.ct -a -p "$pc" >plain.txt 2>/dev/null
check "attr: text -a: the column line ends COMM SYMBOL OBJECT REGION" \
	sh -c "grep '^# TIMESTAMP' plain.txt | tail -1 | grep -q ' COMM SYMBOL OBJECT REGION$'"
heap=$(awk -F '\t' '$2 == "attrib_write_heap" { print $4 }' plain.out)
check "attr: text -a: the heap write's line has the writer, attrib and [heap]" \
	sh -c "grep ' $heap ' plain.txt | grep -q ' attrib_write_heap+0x[0-9a-f]* $A/attrib \\[heap\\]$'"
nt=$(grep -vc '^#' plain.txt)
nj=$(grep -c "\"tgid\":$pc," plain.back.json)
check "attr: text -a has one line per record of the child ($nt, JSON $nj)" test "$nt" = "$nj" -a "$nj" -gt 0
back --file /tmp/plain.ct -a -o csv -p "$pc" >plain.csv 2>/dev/null
check "attr: CSV -a: the header row ends comm,sym,obj,region" \
	sh -c "head -1 plain.csv | tr -d '\r' | grep -q ',comm,sym,obj,region$'"

# --- -a, --by, -o folded need records to resolve: a plain follower is 0.2's -
back --file /tmp/plain.ct -o json -p "$pc" >plain.noa.json 2>/dev/null
check "attr: without -a, JSON has no sym, obj or region keys" \
	sh -c "test -s plain.noa.json && ! grep -q '\"sym\"' plain.noa.json"
check "attr: with -a, every JSON record has sym, obj and region" \
	sh -c "test -s plain.back.json && ! grep -v '\"sym\":.*\"obj\":.*\"region\":' plain.back.json | grep -q ."

echo "$aslr" >/proc/sys/kernel/randomize_va_space
unload
