# SPDX-License-Identifier: GPL-2.0
# cowtrace end-to-end: who may read the trace, what a record leaks, and the
# exactness holes of 0.2 (issues 17 and 22). Sourced by e2e.sh in the
# guest, with its lib.sh helpers.

# --- who may read: perf's rule (CAP_PERFMON or CAP_SYS_ADMIN, initial ns) --
reload filter=cow
plan 5
cow >/dev/null
mark perm
# The tinyconfig debug kernels have no user namespaces.
userns=n
[ -e /proc/self/ns/user ] && userns=y && plan 2 && section userns
[ $userns = n ] && skipped userns "this kernel has no user namespaces"
for f in /proc/cowtrace /proc/cowtrace_raw; do
	if [ $userns = y ]; then
		unshare -U -r cat $f >userns.out 2>userns.err
		rc=$?
		check "uid 0 in a new user namespace: $f refused with EPERM" \
			sh -c "test $rc != 0 && grep -q 'Operation not permitted' userns.err && test ! -s userns.out"
	fi
	nocap cat $f >nocap.out 2>nocap.err
	rc=$?
	check "root without CAP_PERFMON and CAP_SYS_ADMIN: $f refused with EPERM" \
		sh -c "test $rc != 0 && grep -q 'Operation not permitted' nocap.err && test ! -s nocap.out"
done
check "root with CAP_PERFMON alone reads (the control: nocap -p keeps it)" \
	sh -c "nocap -p cat /proc/cowtrace | grep -q '^# cowtrace '"
check "root with every capability reads both files" \
	sh -c "grep -q '^# cowtrace ' /proc/cowtrace && test \$(head -c 4 /proc/cowtrace_raw | od -An -tx1 | tr -d ' ') = 636f7774"
check "the refused opens wrote nothing to the kernel log" test -z "$(since perm)"
if [ -x /bin/cowtrace ]; then
	plan 1
	nocap cowtrace --no-follow >/dev/null 2>rd.err
	rc=$?
	check "the reader refused so exits 1 and says what it needs (CAP_PERFMON)" \
		sh -c "test $rc = 1 && grep -q 'CAP_PERFMON or CAP_SYS_ADMIN' rd.err"
fi

# --- a path the build copied is not covered ----------------------------------
# A .part/.constprop/.isra copy of a probed function is what callers may
# call instead: the load leaves such a path out of # paths= (do_wp_page:
# refused). kallsyms is the independent witness.
reload filter=cow
plan 1
covered=$(sed -n 's/^# paths=//p' /proc/cowtrace | tr ',' ' ')
clones=$(awk '$3 ~ /\.(part|constprop|isra)\.[0-9]+$/ { b = $3; sub(/\..*/, "", b); print b }' /proc/kallsyms | sort -u)
note "covered: $covered; copies of probed functions: $(for p in do_wp_page do_huge_pmd_wp_page hugetlb_fault finish_fault copy_page_range; do echo "$clones" | grep -qx "$p" && printf '%s ' "$p"; done)"
check "no path in # paths= has a compiler copy in kallsyms" \
	sh -c 'for p in '"$covered"'; do echo "$0" | grep -qx "$p" && exit 1; done; exit 0' "$clones"
unload

# --- no byte of an older, longer comm after the NUL (raw file) -------------
reload filter=abc
plan 2
ln -sf /bin/cow /tmp/cowcowcowcowcow
/tmp/cowcowcowcowcow -N abc >ren.out
rpid=$(writer_pid ren.out)
rawcomm >ren.raw
note "renamed writer $rpid: $(wc -l <ren.raw) raw records, first: $(head -1 ren.raw)"
check "renamed from a 15-byte comm to abc: its 100 copies (at least) in the binary file" \
	test "$(awk -v p="$rpid" '$1 == p' ren.raw | wc -l)" -ge 100
check "renamed: every record of it has comm abc then 13 zero bytes" \
	test "$(awk -v p="$rpid" '$1 == p && $2 != "61626300000000000000000000000000"' ren.raw | wc -l)" = 0

# --- MAP anon for private anonymous memory however backed -------------------
reload filter=cow
plan 1
cow -f /dev/zero >z.out
zpid=$(writer_pid z.out)
cat /proc/cowtrace >z.txt
check "private /dev/zero: 100 records, MAP anon, the zero page replaced" \
	range_check z.txt "$zpid" "$zpid" cow write anon zero

# --- a write to a shared hugetlb mapping makes it writable in place: notify -
# (the pages are write-protected by userfaultfd and released again, which
# leaves them read-only: the next write goes through hugetlb's CoW function)
if huge_pages 2; then
	reload filter=hugeshared
	hugeshared >hs.out 2>&1
	rc=$?
	if [ $rc = 77 ]; then
		skipped hugetlb-shared "$(cat hs.out)"
	elif ! kver_ge 6 2; then
		# change_protection() took the VMA's full protection until 6.2:
		# lifting uffd-wp made the pages writable, no fault follows.
		skipped hugetlb-shared "before 6.2 lifting uffd-wp makes a shared hugetlb page writable"
	else
		plan 1
		section hugetlb-shared
		hpid=$(writer_pid hs.out)
		cat /proc/cowtrace >hs.txt
		pages 2 2097152 2097152 write shared notify |
			expect "shared hugetlb write: 2 records of 2 MiB, write shared notify (status $rc)" \
				hs.txt "$hpid" "$hpid" hugeshared
	fi
	huge_pages 0
else
	skipped hugetlb-shared "no huge pages in this kernel"
fi
unload

# --- a private mapping of a shmem THP written: split, then the 4 KiB copy --
# (wp_huge_pmd splits it; do_huge_pmd_wp_page is for anonymous THP only)
mkdir -p /mnt/h
if mount -t tmpfs -o huge=always tmpfs /mnt/h 2>/dev/null; then
	reload filter=shmthp
	# A free 2 MiB block for the page cache's huge page: compact first,
	# and let the allocation compact too (defrag is the kernel's knob).
	thp=/sys/kernel/mm/transparent_hugepage
	defrag=$(sed -n 's/.*\[\(.*\)\].*/\1/p' $thp/defrag 2>/dev/null)
	echo always >$thp/defrag 2>/dev/null
	echo 1 >/proc/sys/vm/compact_memory 2>/dev/null
	shmthp /mnt/h >st.out 2>&1
	[ -n "$defrag" ] && echo "$defrag" >$thp/defrag
	stpid=$(writer_pid st.out)
	cat /proc/cowtrace >st.txt
	if [ "$(awk '/^pmd / { print $2 }' st.out)" != 2048 ]; then
		skipped shmem-thp-split "the file's huge page was not mapped by a PMD ($(head -1 st.out))"
	else
		plan 1
		section shmem-thp-split
		printf '0x%x 2097152 write file split\n0x%x 4096 first file copy\n' $BASE $BASE |
			expect "private shmem THP written: the PMD split (2 MiB, write file split), then the 4 KiB first copy" \
				st.txt "$stpid" "$stpid" shmthp
	fi
	umount /mnt/h
else
	skipped shmem-thp-split "tmpfs has no huge=always in this kernel"
fi
unload

# --- threads parked in a synchronous userfaultfd-wp handler -----------------
# Each would hold a return-probe instance of do_wp_page for as long as the
# handler waits; 200 is more than the instances (64 on two CPUs), so before
# the entry handler declined them no other fault could be recorded.
reload
rm -f /tmp/park.go
r0=$(header /proc/cowtrace retried)
uffdpark 200 /tmp/park.go >park.out &
parkpid=$!
n=0
while ! grep -q '^parked=200' park.out && kill -0 $parkpid 2>/dev/null && [ $n -lt 600 ]; do
	usleep 50000
	n=$((n + 1))
done
if grep -q 'no userfaultfd write-protect' park.out; then
	wait $parkpid
	skipped uffd-park "$(cat park.out)"
else
	plan 4
	section uffd-park
	check "200 threads parked in a userfaultfd-wp fault" grep -q '^parked=200' park.out
	m0=$(header /proc/cowtrace missed)
	cow >pk.out
	pkpid=$(writer_pid pk.out)
	cat /proc/cowtrace >pk.txt
	check "with 200 parked, another process's faults are recorded (100 copies)" \
		range_check pk.txt "$pkpid" "$pkpid" cow write anon
	check "with 200 parked, missed stays $m0" test "$(header pk.txt missed)" = "$m0"
	touch /tmp/park.go
	wait $parkpid
	check "the parked faults were counted as retried (+200 at least)" \
		test "$(header /proc/cowtrace retried)" -ge $((r0 + 200))
fi
unload

# --- fork copies a pinned page at once: KIND fork, the forking task's ------
reload filter=forkpin
forkpin >fp.out 2>&1
rc=$?
if [ $rc = 77 ]; then
	skipped forkpin "$(cat fp.out)"
else
	plan 2
	section forkpin
	fpp=$(sed -n 's/^parent pid=//p' fp.out)
	fpc=$(sed -n 's/^child pid=//p' fp.out)
	cat /proc/cowtrace >fp.txt
	pages 100 4096 4096 fork anon copy |
		expect "fork of 100 pinned pages: 100 records fork anon copy, the parent's, none for its later writes" \
			fp.txt "$fpp" "$fpp" forkpin
	check "fork of pinned pages: the child ran and its writes to its copies give no record" \
		test "$rc" = 0 -a -n "$fpc" -a "$(records_of fp.txt "$fpc" | wc -l)" = 0
	# A pinned THP: fork splits it and copies each 4 KiB page.
	thp=/sys/kernel/mm/transparent_hugepage
	if [ -w $thp/enabled ]; then
		echo madvise >$thp/enabled
		echo madvise >$thp/defrag
		reload filter=forkpin
		forkpin -H >fpt.out 2>&1
		fpp=$(sed -n 's/^parent pid=//p' fpt.out)
		cat /proc/cowtrace >fpt.txt
		if [ "$(awk '/^thp / { print $2 }' fpt.out)" != 2048 ]; then
			skipped forkpin-thp "the kernel gave $(awk '/^thp / { print $2 }' fpt.out) kB of huge pages, not 2048"
		else
			plan 1
			section forkpin-thp
			pages 512 4096 4096 fork anon copy |
				expect "fork of a pinned THP: split, 512 records of 4 KiB, fork anon copy" \
					fpt.txt "$fpp" "$fpp" forkpin
		fi
		echo never >$thp/enabled
	else
		skipped forkpin-thp "this kernel has no THP"
	fi
	# hugetlb copies a pinned page at fork from 5.12 (5.10 shares it).
	if ! kver_ge 5 12; then
		skipped forkpin-hugetlb "before 5.12 fork shares a pinned hugetlb page: nothing to record"
	elif huge_pages 4; then	# 2 pinned, and the child's 2 copies
		plan 1
		section forkpin-hugetlb
		reload filter=forkpin
		forkpin -G >fph.out 2>&1
		fpp=$(sed -n 's/^parent pid=//p' fph.out)
		cat /proc/cowtrace >fph.txt
		pages 2 2097152 2097152 fork anon copy |
			expect "fork of 2 pinned hugetlb pages: 2 records of 2 MiB, fork anon copy" \
				fph.txt "$fpp" "$fpp" forkpin
		huge_pages 0
	else
		skipped forkpin-hugetlb "no huge pages in this kernel"
	fi
fi
unload

# --- CoW faults while their page table is emptied (MADV_DONTNEED storm) ----
# The exit of do_wp_page looks at what maps the address by a fresh walk from
# the top, never through the PTE pointer the fault used (freed with its page
# table on kernels that reclaim empty ones). The debug kernels run this
# under KASAN and lockdep; the kernel log is judged for every boot.
reload filter=dontneed
plan 2
# What the module's counters grew by while the writes ran, as the program
# read them around its storm (its start-up and exit, whose faults vary
# from run to run, left out).
dontneed -n 20000 >dn.out
cat /proc/cowtrace >dn.txt
dw=$(sed -n 's/^writes=\([0-9]*\).*/\1/p' dn.out)
read -r dt dra dre <<EOF2
$(sed -n 's/^storm taken=\([0-9]*\) raced=\([0-9]*\) retried=\([0-9]*\)$/\1 \2 \3/p' dn.out)
EOF2
note "dontneed: $(grep '^writes=' dn.out), records $dt, raced $dra, retried $dre (while the writes ran)"
check "DONTNEED storm: some writes recorded, records + raced + retried <= writes" \
	test -n "$dw" -a -n "$dre" -a "${dt:-0}" -gt 0 -a $((${dt:-0} + ${dra:-0} + ${dre:-0})) -le "${dw:-0}"
dpid=$(writer_pid dn.out)
note "dontneed records in the range: $(records_of dn.txt "$dpid" | awk '{ print $2, $3, $4, $5 }' | sort | uniq -c | tr '\n' ' ')"
check "DONTNEED storm: every record in the range replaces the zero page (write anon zero)" \
	test -n "$dpid" -a "$(records_of dn.txt "$dpid" | awk '$3 != "write" || $4 != "anon" || $5 != "zero"' | wc -l)" = 0
unload

# --- a shared mapping of a file on a filesystem with ->page_mkwrite ---------
# ext4 (on an ext2 image, through a loop device: the kernel's own modules,
# kept by the host beside the kernel). Before 5.19 the kernel makes the PTE
# writable, then returns VM_FAULT_RETRY to throttle dirtying: still one
# notify per write, and the retry takes no second fault.
if [ -f /bin/kmods.tar ]; then
	mkdir -p kmods && tar -xf /bin/kmods.tar -C kmods
	for m in $(cat kmods/order); do
		insmod kmods/$m 2>>kmods.err
	done
fi
mkdir -p /mnt/e
if grep -qw ext4 /proc/filesystems && dd if=/dev/zero of=/tmp/fs.img bs=1M count=16 2>/dev/null &&
   mke2fs -q -F -b 4096 /tmp/fs.img 16384 >/dev/null 2>&1 &&
   mount -t ext4 -o loop /tmp/fs.img /mnt/e 2>mnt.err; then
	plan 1
	section ext4-notify
	reload filter=shwrite
	shwrite /mnt/e/f 29 >sw.out
	swpid=$(writer_pid sw.out)
	cat /proc/cowtrace >sw.txt
	note "ext4 shared: $(awk -v p="$swpid" '!/^#/ && $3 == p { print $6, $7, $8, $9 }' sw.txt | sort | uniq -c | tr '\n' ' ')"
	check "ext4 shared file mapping: 58 records, 4096 write shared notify (29 pages, again after msync)" \
		test "$(awk -v p="$swpid" '!/^#/ && $3 == p && $8 == "shared" { print $6, $7, $8, $9 }' sw.txt |
			sort | uniq -c | awk '{ $1 = $1; print }')" = "58 4096 write shared notify"
	if grep -q '^pgreuse ' /proc/vmstat; then
		plan 2
		reload
		pgreuse "shwrite /mnt/e/g 29 >/dev/null" >pg2.out
		rc=$?
		note "ext4 shared, every task: $(cat pg2.out)"
		check "ext4 shared, every task recorded: reuse + notify records = rise of pgreuse" test $rc = 0
		check "positive control: pgreuse rose by at least 58" \
			test "$(sed -n 's/.*delta=\([0-9]*\).*/\1/p' pg2.out)" -ge 58
	fi
	umount /mnt/e
else
	skipped ext4-notify "no ext4 in this kernel ($(cat kmods.err mnt.err 2>/dev/null | head -2 | tr '\n' ' '))"
fi
unload
