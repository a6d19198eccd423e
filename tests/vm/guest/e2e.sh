# SPDX-License-Identifier: GPL-2.0
# cowtrace end-to-end scenarios, run as /test.sh inside the guest.
. /lib.sh
cd /tmp
ln -s /bin/cow /bin/cowx 2>/dev/null
cp /bin/cow /tmp/cowbin

note "kernel $(uname -r)"

# Features of the running kernel that decide what it can produce.
# FAULT_FLAG_UNSHARE (5.19): its name is in the kernel's BTF; a kernel
# without BTF (the tinyconfig debug kernel) leaves only its version.
has_unshare() {
	if [ -r /sys/kernel/btf/vmlinux ]; then
		grep -q FAULT_FLAG_UNSHARE /sys/kernel/btf/vmlinux
	else
		kver_ge 5 19
	fi
}
# Soft-dirty (x86, not arm64): new mappings carry VmFlags "sd".
has_soft_dirty() { grep -q '^VmFlags:.* sd' /proc/self/smaps; }
# not_produced FILE PID: no record of PID in the cow range of FILE, and, as
# a positive control, the same module then records a plain fork-then-write.
not_produced() {
	n=$(awk -v pid="$2" '!/^#/ && $3 == pid && length($5) == 14 &&
		substr($5, 1, 8) == "0x100000"' "$1" | wc -l)
	[ "$n" = 0 ] || { note "$n records of $2 in the cow range"; return 1; }
	cow >ctl.out
	cat /proc/cowtrace >ctl.txt
	range_check ctl.txt "$(writer_pid ctl.out)" "$(writer_pid ctl.out)" cow write anon
}
note "features: unshare=$(has_unshare && echo y || echo n) soft-dirty=$(has_soft_dirty && echo y || echo n)"
# The CoW paths' symbols this kernel has (for the kernel matrix notes).
note "kallsyms: $(awk 'BEGIN { n = split("do_wp_page do_huge_pmd_wp_page hugetlb_wp hugetlb_cow finish_fault do_cow_fault wp_page_copy folio_add_new_anon_rmap page_add_new_anon_rmap hugetlb_add_new_anon_rmap hugepage_add_new_anon_rmap", w); for (i = 1; i <= n; i++) want[w[i]] = 1 }
	{ b = $3; sub(/\..*/, "", b) } b in want && $3 !~ /^__/ { got[b] = got[b] (got[b] == "" ? "" : ",") $2 ($3 == b ? "" : ":" substr($3, length(b) + 2)) }
	END { for (i = 1; i <= n; i++) printf "%s=%s ", w[i], (w[i] in got) ? got[w[i]] : "-" }' /proc/kallsyms)"
# The checks every kernel runs; each conditional part states its own.
plan 86
check "do_wp_page is in kallsyms" grep -q ' do_wp_page$' /proc/kallsyms

# --- load, and the original experiment -------------------------------
check "insmod cowtrace.ko filter=cow" load filter=cow
check "/proc/cowtrace is mode 0400 owned by root" \
	test "$(stat -c '%a %u' /proc/cowtrace)" = "400 0"
cow >cow.out
pid=$(writer_pid cow.out)
cat /proc/cowtrace >orig.txt
check "original experiment: 100 records of the child, in order, write anon copy cow" \
	range_check orig.txt "$pid" "$pid" cow write anon
ppid0=$(parent_pid cow.out)
check "original experiment: the parent, which only waits, has no record" \
	test -n "$ppid0" -a "$(records_of orig.txt "$ppid0" | wc -l)" = 0
check "header names version, filter and entries" \
	grep -q '^# filter=cow pid=0 entries=4096 ' orig.txt
check "header: version 0.3, paths covered, counters, columns named" \
	sh -c "grep -q '^# cowtrace 0\.3\.' orig.txt && grep -q '^# paths=do_wp_page' orig.txt &&
	       grep -q '^# taken=[0-9]* held=[0-9]* missed=[0-9]* retried=[0-9]* ' orig.txt &&
	       true" &&
	columns orig.txt | grep -qx '# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM'
note "$(grep '^# paths=' orig.txt)"
check "every record line has 11 fields and a 9-digit timestamp" \
	awk '/^#/ { next } NF != 11 || $1 !~ /^[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]$/ || $5 !~ /^0x[0-9a-f]+$/ { bad = 1; print "# bad: " $0 } END { exit bad }' orig.txt
check "records are in timestamp order" \
	awk '/^#/ { next } { if (NR > 1 && $1 + 0 < last + 0) bad = 1; last = $1 } END { exit bad }' orig.txt
check "only comm cow recorded under filter=cow" \
	test "$(records orig.txt | awk '$11 != "cow"' | wc -l)" = 0

# --- exact match ----------------------------------------------------------
f0=$(awk '$1 == "pgfault" { print $2 }' /proc/vmstat)
cowx >cowx.out
xrc=$?
f1=$(awk '$1 == "pgfault" { print $2 }' /proc/vmstat)
xpid=$(writer_pid cowx.out)
cat /proc/cowtrace >x.txt
# cowx must have run as cow does, yet have no record: its writer started
# (its pid), cow exits 0 only once the writer wrote its 100 pages, and
# those writes were faults (pgfault rose by at least 100 meanwhile)
check "exact comm match: cowx ran (exit $xrc, writer pid $xpid) and faulted ($f0 -> $f1 pgfault)" \
	sh -c "test $xrc = 0 && test '${xpid:-0}' -gt 1 && test $((${f1:-0} - ${f0:-0})) -ge 100"
check "exact comm match: cowx is not cow" test "$(count_comm x.txt cowx)" = 0
check "positive control: the same file has cow's records" test "$(count_comm x.txt cow)" -ge 100

# --- run-time filter change ---------------------------------------------------
echo cowx >$P/filter
check "filter reads back as written" test "$(cat $P/filter)" = cowx
exec 3</proc/cowtrace
cat <&3 >/dev/null
cowx >cowx.out
cow >cow2.out
cat <&3 >rt.txt
exec 3<&-
xpid=$(writer_pid cowx.out)
check "run-time filter=cowx records cowx" range_check rt.txt "$xpid" "$xpid" cowx write anon
check "run-time filter=cowx no longer records cow" test "$(count_comm rt.txt cow)" = 0
check "the same fd read again continues from its cursor (no header again)" \
	test "$(grep -c '^# cowtrace' rt.txt)" = 0
echo >$P/filter
check "echo > filter clears it" test "$(cat $P/filter)" = ""

# --- pid filter -----------------------------------------------------------------
reload
rm -f go
cow -P -W /tmp/go >pp.out &
ppid=$!
echo $ppid >$P/pid
exec 3</proc/cowtrace
cat <&3 >/dev/null	# records from before the pid was set
touch go
wait $ppid
cat <&3 >pid.txt
exec 3<&-
check "pid filter: 100 records of that TGID (parent writes)" \
	range_check pid.txt "$ppid" "$ppid" cow write anon
check "pid filter: no other TGID recorded" \
	test "$(records pid.txt | awk -v p=$ppid '$4 != p' | wc -l)" = 0
check "pid reads back" test "$(cat $P/pid)" = "$ppid"

# --- comm with space and backslash (prctl) ----------------------------------
reload
printf 'a b\\c' >$P/filter
cow -N 'a b\c' >sp.out
spid=$(writer_pid sp.out)
cat /proc/cowtrace >sp.txt
check "comm 'a b\\c' is written a\\040b\\134c" \
	range_check sp.txt "$spid" "$spid" 'a\040b\134c' write anon
check "header shows the escaped filter" grep -q '^# filter=a\\040b\\134c ' sp.txt

# --- a thread of the child writes ---------------------------------------------
reload filter=cow
cow -t >t.out
tpid=$(writer_pid t.out)
ttid=$(writer_tid t.out)
cat /proc/cowtrace >t.txt
check "thread writer: PID is the thread, TGID the process" \
	range_check t.txt "$ttid" "$tpid" cow write anon
check "thread writer: PID != TGID" test "$ttid" != "$tpid"

# --- private file mapping ----------------------------------------------------------
reload filter=cow
dd if=/dev/zero of=/tmp/data bs=4096 count=100 2>/dev/null
cow -f /tmp/data >f.out
fpid=$(writer_pid f.out)
cat /proc/cowtrace >f.txt
check "private file mapping: 100 records, MAP file" \
	range_check f.txt "$fpid" "$fpid" cow write file copy

# --- unshare: a read-only pin of a CoW-shared page ---------------------------------
reload filter=cow
cow -U >u.out
upid=$(writer_pid u.out)
cat /proc/cowtrace >u.txt
if has_unshare; then
	check "read-only pin (process_vm_readv) of shared pages: 100 records, unshare copy" \
		range_check u.txt "$upid" "$upid" cow unshare anon copy
else
	note "kernel without FAULT_FLAG_UNSHARE"
	check "no FAULT_FLAG_UNSHARE: a read-only pin of shared pages gives no record" \
		not_produced u.txt "$upid"
fi

# --- shared mapping: write-notify faults ------------------------------------------
reload filter=cow
cow -S >s.out
shpid=$(writer_pid s.out)
cat /proc/cowtrace >s.txt
if has_soft_dirty; then
	check "shared mapping after clear_refs: 100 records, shared notify" \
		range_check s.txt "$shpid" "$shpid" cow write shared notify
else
	note "kernel without soft-dirty (no VmFlags sd): clear_refs write-protects nothing"
	check "no soft-dirty: writes to a shared mapping after clear_refs give no record" \
		not_produced s.txt "$shpid"
fi

# --- exact CoW: what the kernel did, on every path ---------------------------------
# reuses_or_pagevec_copies FILE PID N: N records of PID, one per page, write
# anon, each a reuse but for pages still in this CPU's LRU pagevec (up to
# 15): before 5.18 do_wp_page reuses only a page whose refcount is 1, and
# copies those
reuses_or_pagevec_copies() {
	records_of "$1" "$2" | awk -v want="$3" '
		{ if ($2 != 4096 || $3 != "write" || $4 != "anon" || ($5 != "reuse" && $5 != "copy") || seen[$1]++) bad = 1
		  n++; r += $5 == "reuse" }
		END { printf "# %d reuse, %d copy\n", r, n - r; exit bad || n != want || r < want - 15 }'
}
# write after the child exited: the parent's pages are its own again (reuse)
reload filter=cow
cow -R >r.out
rpid=$(parent_pid r.out)
rcpid=$(writer_pid r.out)
cat /proc/cowtrace >r.txt
check "fork then write: the child's 100 records are copies" \
	range_check r.txt "$rcpid" "$rcpid" cow write anon copy
if kver_ge 5 18; then
	check "write after the child exited: the parent's 100 records are reuses" \
		range_check r.txt "$rpid" "$rpid" cow write anon reuse
else
	check "write after the child exited: 100 records, reuses but for pages in an LRU pagevec (< 5.18)" \
		reuses_or_pagevec_copies r.txt "$rpid" 100
fi

# read then write of fresh anonymous memory: the zero page is replaced
reload filter=cow
cow -Z >z.out
zpid=$(parent_pid z.out)
cat /proc/cowtrace >z.txt
check "read then write of fresh anonymous memory: 100 zero records" \
	range_check z.txt "$zpid" "$zpid" cow write anon zero

# first access to a private file page is a write: copied while faulted in
reload filter=cow
cow -F /tmp/data >fi.out
fipid=$(parent_pid fi.out)
cat /proc/cowtrace >fi.txt
if ! grep -q ' finish_fault$' /proc/kallsyms; then
	skipped finish_fault "finish_fault is not in kallsyms (inlined or renamed)"
else
	section finish_fault
	plan 2
	check "first write to a private file page: 100 records, first file copy" \
		range_check fi.txt "$fipid" "$fipid" cow first file copy
	check "header lists finish_fault among the paths" grep -q '^# paths=.*finish_fault' fi.txt
fi

# THP: the child's write splits the PMD, then copies 4 KiB; the parent's
# later write reuses the whole 2 MiB page
thp=/sys/kernel/mm/transparent_hugepage
if [ ! -w $thp/enabled ]; then
	skipped THP "the kernel has no transparent hugepages ($thp/enabled)"
elif ! grep -q ' do_huge_pmd_wp_page$' /proc/kallsyms; then
	skipped THP "do_huge_pmd_wp_page is not in kallsyms"
else
	echo madvise >$thp/enabled
	echo madvise >$thp/defrag
	reload filter=cow
	cow -H -R >h.out
	hpid=$(parent_pid h.out)
	hcpid=$(writer_pid h.out)
	cat /proc/cowtrace >h.txt
	hkb=$(awk '/^thp / { print $2 }' h.out)
	if [ "${hkb:-0}" -lt 4096 ]; then
		# The kernel could not find two free 2 MiB blocks (the debug
		# kernel has no compaction): nothing to check, not a failure.
		skipped THP "the kernel gave ${hkb:-no} kB of huge pages, not 4096"
	else
		section thp
		plan 3
		for i in 0 1; do
			printf '0x%x 2097152 write anon split\n0x%x 4096 write anon copy\n' \
				$((BASE + i * 2097152)) $((BASE + i * 2097152))
		done | expect "THP: the child's write splits the PMD, then copies 4 KiB (2 pages)" \
			h.txt "$hcpid" "$hcpid" cow
		pages 2 2097152 2097152 write anon reuse |
			expect "THP: the parent's later write reuses 2 MiB (2 pages)" h.txt "$hpid" "$hpid" cow
		check "header lists do_huge_pmd_wp_page among the paths" \
			grep -q '^# paths=.*do_huge_pmd_wp_page' h.txt
	fi
	echo never >$thp/enabled
fi

# hugetlb: the parent's first writes go through hugetlb's CoW on the page
# just installed, which copies nothing: no record; the child's writes copy
# 2 MiB each. MAP_ANONYMOUS|MAP_HUGETLB is anonymous memory: MAP anon.
if [ ! -e /proc/sys/vm/nr_hugepages ]; then
	skipped hugetlb "the kernel has no hugetlbfs"
elif echo 8 >/proc/sys/vm/nr_hugepages && [ "$(cat /proc/sys/vm/nr_hugepages)" -ge 4 ]; then
	section hugetlb
	plan 3
	reload filter=cow
	cow -G >g.out
	gpid=$(parent_pid g.out)
	gcpid=$(writer_pid g.out)
	cat /proc/cowtrace >g.txt
	check "hugetlb: the parent's first writes (no CoW) give no record" \
		test -n "$gpid" -a "$(records_of g.txt "$gpid" | wc -l)" = 0
	pages 2 2097152 2097152 write anon copy |
		expect "hugetlb: the child's writes copy 2 MiB (2 pages), MAP anon" g.txt "$gcpid" "$gcpid" cow
	check "header lists the hugetlb path" grep -q '^# paths=.*hugetlb_' g.txt
	echo 0 >/proc/sys/vm/nr_hugepages
else
	plan 1
	fail "hugetlb: 4 huge pages reserved in the VM"
fi

# a remote write (process_vm_writev): the target's CoW faults are taken by
# the writing task, in the target's memory, and recorded as the writer's
# (the target has the same comm: the filter would not hide it)
reload filter=cow
cow -X >x.out
xpid=$(writer_pid x.out)
xtpid=$(sed -n 's/^target pid=//p' x.out)
cat /proc/cowtrace >x.txt
check "remote write (process_vm_writev): 100 copies recorded as the writing task's" \
	range_check x.txt "$xpid" "$xpid" cow write anon copy
check "remote write: the target, which only waits, has no record" \
	test -n "$xtpid" -a "$(records_of x.txt "$xtpid" | wc -l)" = 0

# KSM: a write to a KSM-merged page copies it, as does the kernel breaking
# it for MADV_UNMERGEABLE (a fake write before 6.2, an unshare since);
# cow_ksm counts both
ksm=/sys/kernel/mm/ksm
vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
if [ ! -w $ksm/run ]; then
	skipped KSM "the kernel has no KSM ($ksm/run)"
else
	section ksm
	plan 4
	echo 1000 >$ksm/pages_to_scan
	echo 10 >$ksm/sleep_millisecs
	for how in write unmerge; do
		# cow -K stops ksmd once it merged the pages (see cow.c).
		echo 1 >$ksm/run
		reload filter=cow
		k0=$(vmstat cow_ksm)
		kind=write
		if [ $how = write ]; then
			cow -K >k.out
		else
			cow -K -U >k.out
			kver_ge 6 2 && kind=unshare
		fi
		k1=$(vmstat cow_ksm)
		kpid=$(parent_pid k.out)
		cat /proc/cowtrace >k-$how.txt
		note "KSM $how: $(grep sharing k.out), cow_ksm ${k0:-none} -> ${k1:-none}"
		check "KSM $how: ksmd merged the 100 pages into one" \
			test "$(sed -n 's/^ksm sharing=//p' k.out)" -ge 99
		check "KSM $how: 100 records, $kind anon copy, the task's own" \
			range_check k-$how.txt "$kpid" "$kpid" cow $kind anon copy
		if [ -n "$k0" ]; then
			plan 1
			check "KSM $how: cow_ksm rose by the 100 copies" test $((k1 - k0)) = 100
		fi
	done
	echo 0 >$ksm/run
fi

# the kernel's own counter: reuse + notify records = rise of pgreuse
if ! grep -q '^pgreuse ' /proc/vmstat; then
	skipped pgreuse "this kernel's /proc/vmstat has no pgreuse"
else
	section pgreuse
	plan 2
	reload entries=65536
	pgreuse "cow -R >/dev/null" "cow -S >/dev/null" >pg.out
	rc=$?
	note "$(cat pg.out)"
	check "every task recorded: 4 KiB reuse + notify records = rise of pgreuse" test $rc = 0
	# 100 reuses, and 100 notifies where soft-dirty write-protects
	want=100
	has_soft_dirty && want=200
	check "positive control: pgreuse rose by at least $want" \
		test "$(sed -n 's/.*delta=\([0-9]*\).*/\1/p' pg.out)" -ge $want
fi

# userfaultfd-wp: a write to a protected page hands the fault to the
# handler (uffdwp's thread), which lifts the protection; the attempt returns
# VM_FAULT_RETRY, is counted as retried and gives no record. What the retry
# gives depends on the page and on the kernel:
# - uffdwp: pages only the writer maps (exclusive). Since 6.3, lifting the
#   protection makes such a PTE writable at once (uffd_wp_range() passes
#   MM_CP_TRY_CHANGE_WRITABLE, can_change_pte_writable() allows an exclusive
#   anonymous page): the retry takes no fault at all, 0 records, and this
#   kernel cannot show a retried CoW fault with exclusive pages. Before
#   6.3 the PTE stays read-only and the retry reuses the page in
#   do_wp_page: 20 reuses (before 5.18 a page still in this CPU's LRU
#   pagevec is copied instead, as for cow -R).
# - uffdwp -f: a child shares the pages, so the PTE stays read-only on every
#   kernel and the retry copies: 20 copies, one per page, everywhere.
reload filter=uffdwp
uffdwp -n 20 >uf.out
rc=$?
if [ $rc = 77 ]; then
	skipped uffdwp "the kernel has no userfaultfd write-protect: $(cat uf.out)"
else
	section uffdwp
	plan 4
	cat /proc/cowtrace >uf.txt
	upid=$(writer_pid uf.out)
	summary() { records_of "$1" "$2" | awk '{ print $5 }' | sort | uniq -c | tr '\n' ' '; }
	note "uffdwp: $(grep retries uf.out), retried $(header uf.txt retried), records: $(summary uf.txt "$upid")"
	check "uffd-wp: 20 fault attempts counted as retried" test "$rc" = 0 -a "$(header uf.txt retried)" = 20
	if kver_ge 6 3; then
		check "uffd-wp, exclusive pages: the retries take no CoW fault (PTE made writable, >= 6.3): 0 records" \
			test -n "$upid" -a "$(records_of uf.txt "$upid" | wc -l)" = 0
	elif kver_ge 5 18; then
		pages 20 4096 4096 write anon reuse |
			expect "uffd-wp, exclusive pages: each retry reuses its page (< 6.3): 20 reuses" \
				uf.txt "$upid" "$upid" uffdwp
	else
		check "uffd-wp, exclusive pages: each retry reuses its page but for pages in an LRU pagevec (< 5.18): 20 records" \
			reuses_or_pagevec_copies uf.txt "$upid" 20
	fi
	reload filter=uffdwp
	uffdwp -f -n 20 >uff.out
	rc=$?
	cat /proc/cowtrace >uff.txt
	fpid=$(writer_pid uff.out)
	note "uffdwp -f: $(grep retries uff.out), retried $(header uff.txt retried), records: $(summary uff.txt "$fpid")"
	check "uffd-wp, pages shared with a child: 20 fault attempts counted as retried" \
		test "$rc" = 0 -a "$(header uff.txt retried)" = 20
	pages 20 4096 4096 write anon copy |
		expect "uffd-wp, pages shared with a child: each retry copies its page: 20 copies, one per page" \
			uff.txt "$fpid" "$fpid" uffdwp
fi

# --- two readers, cat ends -----------------------------------------------------------
reload filter=cow
cow >/dev/null
timeout 20 cat /proc/cowtrace >r1.txt &
timeout 20 cat /proc/cowtrace >r2.txt &
wait
check "two readers see the same records" \
	sh -c 'grep -v "^#" r1.txt >a; grep -v "^#" r2.txt >b; test -s a && cmp -s a b'
timeout 20 cat /proc/cowtrace >/dev/null
check "cat ends at the end of the records" test $? = 0

# --- /proc/cowtrace_raw: the same records in binary ---------------------------
# u FILE BYTES OFFSET: the unsigned integer of BYTES bytes at OFFSET
u() { od -A n -t "u$2" -j "$3" -N "$2" "$1" | tr -d ' '; }
reload filter=cow
cow >/dev/null
# Both read while no fault runs: the same records, the same header.
cat /proc/cowtrace >raw.txt
dd if=/proc/cowtrace_raw of=raw.bin bs=65536 2>/dev/null
check "/proc/cowtrace_raw is mode 0400 owned by root" \
	test "$(stat -c '%a %u' /proc/cowtrace_raw)" = "400 0"
hs=$(u raw.bin 4 8)
ncpu=$(u raw.bin 4 12)
check "raw header: magic cowt, version 2, record_size 64" \
	test "$(u raw.bin 4 0)" = 1953984355 -a "$(u raw.bin 2 4)" = 2 -a "$(u raw.bin 2 6)" = 64
check "raw header: nr_cpus = the text's cpus=, header_size = 72 + 8 x nr_cpus" \
	test "$ncpu" = "$(header raw.txt cpus)" -a "$hs" = $((72 + 8 * ncpu))
sum=0 i=0
while [ "$i" -lt "${ncpu:-0}" ]; do
	sum=$((sum + $(u raw.bin 8 $((72 + 8 * i)))))
	i=$((i + 1))
done
check "raw header: entries and the sum of taken[] are the text's" \
	test "$(u raw.bin 4 16)" = "$(header raw.txt entries)" -a "$sum" = "$(header raw.txt taken)"
items=$(awk '!/^#/ || /^# (lost|fork|exit) / { n++ } END { print n + 0 }' raw.txt)
note "raw: header_size=$hs nr_cpus=$ncpu, $(wc -c <raw.bin) bytes for $items text items"
check "raw size = header_size + 64 x (record, lost, fork and exit lines of the text)" \
	test "$(wc -c <raw.bin)" = $((hs + 64 * items)) -a "$items" -gt 0
addr=$(records raw.txt | awk 'NR == 1 { print $5 }')
tid=$(records raw.txt | awk 'NR == 1 { print $3 }')
check "raw: the first item is a record (stamp 1) with the text's ADDRESS and PID" \
	test "$(u raw.bin 8 "$hs")" = 1 -a "$(u raw.bin 8 $((hs + 16)))" = "$((${addr:-0}))" \
	     -a "$(u raw.bin 4 $((hs + 32)))" = "$tid"
check "raw: a 32-byte read (smaller than the header) fails with EINVAL" \
	sh -c '! dd if=/proc/cowtrace_raw of=/dev/null bs=32 count=1 2>dd.err && grep -q "Invalid argument" dd.err'
check "raw: positive control, a 65536-byte read succeeds" \
	dd if=/proc/cowtrace_raw of=/dev/null bs=65536 count=1
exec 3</proc/cowtrace_raw
dd bs="$hs" count=1 <&3 >/dev/null 2>&1
check "raw: after the header, a 32-byte read (smaller than a record) fails with EINVAL" \
	sh -c '! dd bs=32 count=1 <&3 >/dev/null 2>dd.err && grep -q "Invalid argument" dd.err'
exec 3<&-

# --- poll ------------------------------------------------------------------------
rm -f ready ready.raw
pollwait 500 20000 /tmp/ready >poll.out &
pw=$!
pollwait 500 20000 /tmp/ready.raw /proc/cowtrace_raw >pollraw.out &
pwr=$!
while [ ! -e ready ] || [ ! -e ready.raw ]; do usleep 20000; done
cow >/dev/null
wait $pw
wait $pwr
check "poll sleeps while no record arrives" grep -q '^quiet ok' poll.out
check "poll wakes a waiting reader with the new records" grep -q '^woke records=[1-9]' poll.out
# From poll() to the wake: cow's start, its first fault, then the wake-up.
check "poll: the wake-up comes within a second of the poll" \
	test "$(sed -n 's/^woke .* ms=\([0-9]*\)$/\1/p' poll.out)" -lt 1000
check "poll on /proc/cowtrace_raw wakes with whole 64-byte records" \
	sh -c 'b=$(sed -n "s/^woke .* bytes=\([0-9]*\) .*/\1/p" pollraw.out); [ "${b:-0}" -gt 0 ] && [ $((b % 64)) = 0 ]'
note "$(grep '^woke' poll.out) raw: $(grep '^woke' pollraw.out)"

# --- overflow, lost accounting ----------------------------------------------------------
reload filter=cow entries=16
exec 3</proc/cowtrace
cow >/dev/null
cow >/dev/null
cat <&3 >ov.txt
exec 3<&-
cat /proc/cowtrace >ov2.txt
lost=$(awk '/^# lost [0-9]+ events on cpu [0-9]+$/ { n += $3 } END { print n + 0 }' ov.txt)
got=$(items ov.txt | wc -l)
held0=$(header ov.txt held)
taken1=$(header ov2.txt taken)
taken0=$(header ov.txt taken)
note "entries=16: read $got, lost $lost, held at open $held0, taken $taken0 -> $taken1"
check "entries=16 overflow gives '# lost' lines" test "$lost" -gt 0
check "records and process events read + lost = held at open + taken since" \
	test $((got + lost)) = $((held0 + taken1 - taken0))
# a cow run on each CPU (taskset) fills every CPU's ring: a fresh open then
# holds exactly the last 16 items of each (records, fork and exit lines)
c=0
while [ $c -lt "$(nproc)" ]; do
	taskset -c $c cow >/dev/null
	c=$((c + 1))
done
cat /proc/cowtrace >ov3.txt
percpu=$(items ov3.txt | awk -v n="$(nproc)" '{ c[$1 == "#" ? $4 : $2]++ } END { for (i = 0; i < n; i++) printf "%d ", c[i] }')
note "entries=16, after a cow run on each CPU: items per CPU: $percpu"
check "entries=16: a fresh open holds exactly 16 items (records, fork and exit lines) of each cpu" \
	test "$percpu" = "$(c=0; while [ $c -lt "$(nproc)" ]; do printf '16 '; c=$((c + 1)); done)" -a \
		"$(items ov3.txt | wc -l)" = $((16 * $(nproc))) -a "$(records ov3.txt | wc -l)" -gt 0

# --- bad parameters --------------------------------------------------------------------
unload
badparam() {
	out=$(insmod $KO "$@" 2>&1)
	rc=$?
	[ $rc -ne 0 ] || { rmmod cowtrace; return 1; }
	[ ! -e /proc/cowtrace ] && ! grep -q '^cowtrace ' /proc/modules
}
for p in filter=0123456789abcdef pid=-1 pid=abc pid=99999999999 entries=100 \
	 entries=8 entries=2097152 entries=-16 entries=; do
	mark "badparam $p"
	check "bad parameter $p refused, nothing left" badparam "$p"
	name=${p%%=*}
	check "bad parameter $p logged naming $name" logged "badparam $p" "cowtrace: $name: "
done
check "filter of exactly 15 bytes accepted" load filter=0123456789abcde
check "run-time: 16-byte filter refused" sh -c "! echo 0123456789abcdef >$P/filter 2>/dev/null"
check "run-time: refused filter left unchanged" test "$(cat $P/filter)" = 0123456789abcde
check "run-time: pid=-1 refused" sh -c "! echo -1 >$P/pid 2>/dev/null"
check "run-time: filter with an embedded newline refused" sh -c "! printf 'a\nb' >$P/filter 2>/dev/null"
check "entries is read-only at run time" sh -c "! echo 32 >$P/entries 2>/dev/null"

# --- hostile use of the file ------------------------------------------------------------
check "write to /proc/cowtrace refused" sh -c '! echo x >/proc/cowtrace 2>/dev/null'
check "runas really drops root" test "$(runas 65534 65534 id -u)" = 65534
runas 65534 65534 cat /proc/cowtrace >/dev/null 2>nonroot.err
rc=$?
check "non-root open refused with EACCES" sh -c "test $rc = 1 && grep -q 'Permission denied' nonroot.err"

# --- rmmod with readers ------------------------------------------------------------------
reload filter=cow
cow >/dev/null
exec 4</proc/cowtrace
exec 5</proc/cowtrace_raw
rm -f ready ready.raw
pollwait 100 30000 /tmp/ready >pw2.out &
pw=$!
pollwait 100 30000 /tmp/ready.raw /proc/cowtrace_raw >pw3.out &
pwr=$!
while [ ! -e ready ] || [ ! -e ready.raw ]; do usleep 20000; done
usleep 200000
check "rmmod while readers hold both files open and sleep in poll" rmmod cowtrace
wait $pw
wait $pwr
check "the sleeping poller wakes with EIO after rmmod" grep -q '^eio' pw2.out
check "the sleeping poller of /proc/cowtrace_raw wakes with EIO after rmmod" grep -q '^eio' pw3.out
check "read on the held fd fails after rmmod" sh -c '! cat <&4 >/dev/null 2>&1'
check "read on the held raw fd fails after rmmod" sh -c '! dd bs=65536 count=1 <&5 >/dev/null 2>&1'
exec 4<&-
exec 5<&-
check "/proc/cowtrace is gone after rmmod" test ! -e /proc/cowtrace
check "/proc/cowtrace_raw is gone after rmmod" test ! -e /proc/cowtrace_raw
check "reload after that works" load filter=cow
unload

# --- who may read, what a record leaks, the exactness holes of 0.2 ---------
. /bin/holes.sh

# --- reader (user/cowtrace), when built ----------------------------------------------------
if [ ! -x /bin/cowtrace ]; then
	skipped reader "the reader (user/cowtrace) was not built into the guest"
elif [ ! -f /bin/reader-e2e.sh ]; then
	skipped reader "reader-e2e.sh is not in the guest"
else
	section reader
	. /bin/reader-e2e.sh
	[ -f /bin/forks.sh ] && . /bin/forks.sh
fi

# --- why it was copied: the reader's attribution (-a, --by, -o folded, -w) ------------
if [ ! -x /bin/cowtrace ] || [ ! -f /bin/attr.sh ]; then
	skipped attr "the reader or attr.sh is not in the guest"
else
	section attr
	. /bin/attr.sh
fi
