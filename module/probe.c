// SPDX-License-Identifier: GPL-2.0
/*
 * The probes on the kernel's copy-on-write paths. Each path is a
 * kretprobe: its entry handler filters (a filtered-out fault returns
 * non-zero and so pays for no return probe) and notes the fault; its exit
 * handler learns what the kernel did and writes one record into the
 * current CPU's ring. An ftrace hook on the rmap call that maps a page a
 * fault allocated tells a copy from a reuse. No handler sleeps, takes a
 * lock or allocates.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/hugetlb.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>

#include "classify.h"
#include "compat.h"
#include "cowtrace_event.h"
#include "filter.h"
#include "inflight.h"
#include "probe.h"
#include "wake.h"

/**
 * struct cowtrace_call - one fault in a probed path, from entry to exit
 * @ts:     CLOCK_MONOTONIC at entry
 * @addr:   the faulting address
 * @ip:     the task's user instruction pointer
 * @mm:     do_wp_page: the address space faulted on, to look at its page
 *          tables at exit (the fault holds it, and the VMA, till then)
 * @pfn:    do_wp_page: the page frame the PTE mapped at entry
 * @slot:   the in-flight slot, or -1
 * @kind:   enum cowtrace_kind
 * @map:    enum cowtrace_map
 * @shift:  log2 of the page size the path acts on
 * @zero:   do_wp_page: the PTE mapped the shared zero page at entry
 * @shared: the mapping is shared: a write makes it writable, never copies
 * @not_anon: do_wp_page: the PTE mapped no anonymous page at entry
 *
 * Lives in the kretprobe instance's data.
 */
struct cowtrace_call {
	u64 ts;
	u64 addr;
	u64 ip;
	struct mm_struct *mm;
	unsigned long pfn;
	int slot;
	u8 kind;
	u8 map;
	u8 shift;
	bool zero;
	bool shared;
	bool not_anon;
};

static struct cowtrace_rings *cowtrace_probe_rings;
static struct cowtrace_inflight *cowtrace_inflight;
static unsigned long cowtrace_paths;
static DEFINE_PER_CPU(unsigned long, cowtrace_retried);
static DEFINE_PER_CPU(unsigned long, cowtrace_raced);
static DEFINE_PER_CPU(unsigned long, cowtrace_untracked);

/* Whether current passes the filter; in a handler, preemption is off. */
static __always_inline bool cowtrace_wanted(struct task_struct *tsk)
{
	const struct cowtrace_filter *f;

	/* Preemption is off here: an RCU-sched read-side section. */
	f = rcu_dereference_sched(cowtrace_filter_active);
	return cowtrace_filter_match(f, tsk->comm, tsk->tgid);
}

/*
 * Whether a private hugetlb mapping is anonymous memory: mmap() backs
 * MAP_ANONYMOUS|MAP_HUGETLB with an unlinked file of the kernel's own
 * hugetlbfs mount, named HUGETLB_ANON_FILE. The fault holds the VMA, so
 * its file, dentry and inode.
 */
static bool cowtrace_hugetlb_anon(const struct vm_area_struct *vma)
{
	static const char name[] = "anon_hugepage";
	const struct dentry *d = vma->vm_file->f_path.dentry;

	return !d_inode(d)->i_nlink && d->d_name.len == sizeof(name) - 1 &&
	       !memcmp(d->d_name.name, name, sizeof(name) - 1);
}
NOKPROBE_SYMBOL(cowtrace_hugetlb_anon);

/*
 * MAP: private anonymous memory is `anon` however it is backed: a private
 * /dev/zero mapping keeps its file but has no vm_ops, as MAP_ANONYMOUS has
 * (vma_is_anonymous(), which takes no const VMA).
 */
static __always_inline u8 cowtrace_map_of(const struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_SHARED)
		return COWTRACE_MAP_SHARED;
	if (!vma->vm_file || !vma->vm_ops)
		return COWTRACE_MAP_ANON;
	if (unlikely(vma->vm_flags & VM_HUGETLB) && cowtrace_hugetlb_anon(vma))
		return COWTRACE_MAP_ANON;
	return COWTRACE_MAP_FILE;
}

/* Note what every path records at entry. */
static __always_inline void cowtrace_note(struct cowtrace_call *c,
					  const struct vm_area_struct *vma,
					  unsigned long addr,
					  unsigned int flags,
					  enum cowtrace_kind kind,
					  unsigned int shift)
{
	c->ts = ktime_get_mono_fast_ns();
	c->addr = addr;
	c->ip = instruction_pointer(task_pt_regs(current));
	c->kind = cowtrace_fault_unshare(flags) ? COWTRACE_KIND_UNSHARE : kind;
	c->map = cowtrace_map_of(vma);
	c->shared = vma->vm_flags & (VM_SHARED | VM_MAYSHARE);
	c->shift = shift;
	c->zero = false;
	c->not_anon = false;
	c->slot = -1;
}

/* Take an in-flight slot; entry handler's return value. */
static __always_inline int cowtrace_track(struct cowtrace_call *c)
{
	c->slot = cowtrace_inflight_enter(cowtrace_inflight, current);
	if (unlikely(c->slot < 0)) {
		this_cpu_inc(cowtrace_untracked);
		return 1;
	}
	return 0;
}

/* The record of @c with @verdict, or the counter of an attempt without. */
static noinline void cowtrace_emit(const struct cowtrace_call *c,
				   unsigned int verdict)
{
	struct task_struct *tsk = current;
	struct cowtrace_record *slot;
	struct cowtrace_ring *ring;
	unsigned int cpu;
	u64 seq;

	if (verdict == COWTRACE_VERDICT_RETRY) {
		this_cpu_inc(cowtrace_retried);
		return;
	}
	if (verdict == COWTRACE_VERDICT_NONE)
		return;
	if (verdict >= COWTRACE_RESULT_NR) {
		this_cpu_inc(cowtrace_raced);
		return;
	}
	cpu = smp_processor_id();
	ring = cowtrace_probe_rings->ring[cpu];
	slot = cowtrace_ring_reserve(ring, &seq);
	slot->ts = c->ts;
	slot->addr = c->addr;
	slot->ip = c->ip;
	cowtrace_ring_task(slot, tsk, cpu);
	slot->kind = c->kind;
	slot->map = c->map;
	slot->result = verdict;
	slot->shift = c->shift;
	/* One static branch while the event is off (make bench measures it). */
#ifndef COWTRACE_BENCH_NO_EVENT
	trace_cow(slot);
#endif
	cowtrace_ring_commit(ring, slot, seq);
	cowtrace_notify(seq + 1);
}
NOKPROBE_SYMBOL(cowtrace_emit);

/* The probed function's vm_fault_t, from its return registers. */
static __always_inline vm_fault_t cowtrace_ret(struct pt_regs *regs)
{
	return (__force vm_fault_t)regs_return_value(regs);
}

static __always_inline struct cowtrace_call *
cowtrace_call_of(struct kretprobe_instance *ri)
{
	return (struct cowtrace_call *)ri->data;
}

/* The struct vm_fault * that a probed function takes first. */
static __always_inline const struct vm_fault *cowtrace_vmf(struct pt_regs *regs)
{
	return (const struct vm_fault *)regs_get_kernel_argument(regs, 0);
}

/* Note the fault of a function that takes its struct vm_fault * first. */
static __always_inline void cowtrace_note_vmf(struct cowtrace_call *c,
					      const struct vm_fault *vmf,
					      enum cowtrace_kind kind,
					      unsigned int shift)
{
	cowtrace_note(c, vmf->vma, vmf->address, vmf->flags, kind, shift);
}

/* do_wp_page(struct vm_fault *vmf), entry; the PTE lock is held. */
static int cowtrace_wp_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct cowtrace_call *c = cowtrace_call_of(ri);
	const struct vm_fault *vmf;

	if (!cowtrace_wanted(current))
		return 1;
	vmf = cowtrace_vmf(regs);
	/*
	 * A write to a page write-protected by a synchronous userfaultfd
	 * waits for its handler, maybe for ever, then retries: counted
	 * now, so that parked threads hold no return probe instance (enough
	 * of them would leave none for any other fault on the machine).
	 */
	if (!cowtrace_fault_unshare(vmf->flags) &&
	    cowtrace_uffd_wp_sync(vmf->vma, vmf->orig_pte)) {
		this_cpu_inc(cowtrace_retried);
		return 1;
	}
	cowtrace_note_vmf(c, vmf, COWTRACE_KIND_WRITE, PAGE_SHIFT);
	c->mm = vmf->vma->vm_mm;
	c->pfn = pte_pfn(vmf->orig_pte);
	c->zero = is_zero_pfn(c->pfn);
	/*
	 * The page is mapped and its PTE locked: its anon bit is stable.
	 * Only an unshare before 6.2 needs it (see classify.c): no read of
	 * the page's cache line on any other fault.
	 */
	if (COWTRACE_VM_FAULT_WRITE && c->kind == COWTRACE_KIND_UNSHARE)
		c->not_anon = c->zero || !pfn_valid(c->pfn) ||
			      !PageAnon(pfn_to_page(c->pfn));
	return cowtrace_track(c);
}
NOKPROBE_SYMBOL(cowtrace_wp_entry);

/*
 * What maps @addr in @mm now, read without a lock as GUP-fast reads it:
 * do_wp_page() has dropped the PTE lock, and the page table it used may
 * have been freed since (an empty one is reclaimed on 6.14+, khugepaged
 * retracts a file's), so the walk starts again from the top. Interrupts
 * off hold off the IPI or the RCU grace period that freeing a page table
 * waits for; each level is read once and only that copy is used.
 */
static enum cowtrace_pte cowtrace_pte_now(struct mm_struct *mm,
					  unsigned long addr,
					  unsigned long pfn)
{
	enum cowtrace_pte ret = COWTRACE_PTE_GONE;
	unsigned long flags;
	pgd_t *pgdp, pgd;
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t pte;

	local_irq_save(flags);
	pgdp = pgd_offset(mm, addr);
	pgd = READ_ONCE(*pgdp);
	if (pgd_none(pgd) || pgd_bad(pgd))
		goto out;
	p4dp = p4d_offset_lockless(pgdp, pgd, addr);
	p4d = READ_ONCE(*p4dp);
	if (p4d_none(p4d) || p4d_bad(p4d))
		goto out;
	pudp = pud_offset_lockless(p4dp, p4d, addr);
	pud = READ_ONCE(*pudp);
	if (pud_none(pud) || !pud_present(pud) || pud_bad(pud))
		goto out;
	pmdp = pmd_offset_lockless(pudp, pud, addr);
	pmd = READ_ONCE(*pmdp);
	/* A huge or migrating PMD is not the 4 KiB page of the fault. */
	if (pmd_none(pmd) || !pmd_present(pmd) || pmd_trans_huge(pmd) ||
	    pmd_bad(pmd))
		goto out;
	pte = READ_ONCE(*pte_offset_kernel(&pmd, addr));
	if (pte_present(pte))
		ret = pte_pfn(pte) == pfn ? COWTRACE_PTE_SAME :
					    COWTRACE_PTE_OTHER;
out:
	local_irq_restore(flags);
	return ret;
}
NOKPROBE_SYMBOL(cowtrace_pte_now);

/* do_wp_page, exit */
static int cowtrace_wp_exit(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct cowtrace_call *c = cowtrace_call_of(ri);
	struct cowtrace_outcome o = {
		.ret = cowtrace_ret(regs),
		.unshare = c->kind == COWTRACE_KIND_UNSHARE,
		.not_anon = c->not_anon,
	};

	o.installed = cowtrace_inflight_leave(cowtrace_inflight, c->slot) &
		      COWTRACE_MARK_INSTALLED;
	/* Only where neither the marker nor the return value tells. */
	if (!o.installed && !c->shared &&
	    !(o.ret & (VM_FAULT_RETRY | VM_FAULT_ERROR | VM_FAULT_NOPAGE |
		       COWTRACE_VM_FAULT_WRITE)) &&
	    (!COWTRACE_VM_FAULT_WRITE || o.unshare))
		o.pte = cowtrace_pte_now(c->mm, c->addr, c->pfn);
	cowtrace_emit(c, cowtrace_classify(COWTRACE_PATH_WP, c->zero,
					   c->shared, &o));
	return 0;
}
NOKPROBE_SYMBOL(cowtrace_wp_exit);

/* do_huge_pmd_wp_page(struct vm_fault *vmf, ...), entry */
static int cowtrace_thp_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct cowtrace_call *c = cowtrace_call_of(ri);

	if (!cowtrace_wanted(current))
		return 1;
	cowtrace_note_vmf(c, cowtrace_vmf(regs), COWTRACE_KIND_WRITE, PMD_SHIFT);
	return cowtrace_track(c);
}
NOKPROBE_SYMBOL(cowtrace_thp_entry);

static int cowtrace_thp_exit(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct cowtrace_call *c = cowtrace_call_of(ri);
	struct cowtrace_outcome o = { .ret = cowtrace_ret(regs) };

	o.installed = cowtrace_inflight_leave(cowtrace_inflight, c->slot) &
		      COWTRACE_MARK_INSTALLED;
	cowtrace_emit(c, cowtrace_classify(COWTRACE_PATH_THP, false, false, &o));
	return 0;
}
NOKPROBE_SYMBOL(cowtrace_thp_exit);

#ifdef CONFIG_HUGETLB_PAGE
/*
 * hugetlb_fault(mm, vma, address, flags), entry: every hugetlb fault. It
 * is a CoW decision only if it enters hugetlb's CoW function, which the
 * marker on that function notes in the in-flight slot.
 */
static int cowtrace_hugetlb_entry(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	struct cowtrace_call *c = cowtrace_call_of(ri);
	struct vm_area_struct *vma;
	unsigned int flags;

	flags = regs_get_kernel_argument(regs, 3);
	if (!(flags & FAULT_FLAG_WRITE) && !cowtrace_fault_unshare(flags))
		return 1;
	if (!cowtrace_wanted(current))
		return 1;
	vma = (struct vm_area_struct *)regs_get_kernel_argument(regs, 1);
	cowtrace_note(c, vma, regs_get_kernel_argument(regs, 2), flags,
		      COWTRACE_KIND_WRITE, huge_page_shift(hstate_vma(vma)));
	return cowtrace_track(c);
}
NOKPROBE_SYMBOL(cowtrace_hugetlb_entry);

static int cowtrace_hugetlb_exit(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	struct cowtrace_call *c = cowtrace_call_of(ri);
	struct cowtrace_outcome o = { .ret = cowtrace_ret(regs) };
	unsigned long marks;

	marks = cowtrace_inflight_leave(cowtrace_inflight, c->slot);
	if (!(marks & COWTRACE_MARK_HUGETLB_WP))
		return 0;	/* a fault that needed no CoW */
	o.installed = marks & COWTRACE_MARK_INSTALLED;
	o.fresh = marks & COWTRACE_MARK_FRESH;
	cowtrace_emit(c, cowtrace_classify(COWTRACE_PATH_HUGETLB, false,
					   c->shared, &o));
	return 0;
}
NOKPROBE_SYMBOL(cowtrace_hugetlb_exit);
#endif

/*
 * finish_fault(struct vm_fault *vmf), entry. It also ends read faults and
 * shared ones: only a write to a private mapping comes from do_cow_fault(),
 * which copies the file page into a new anonymous one (vmf->cow_page).
 */
static int cowtrace_first_entry(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct cowtrace_call *c = cowtrace_call_of(ri);
	const struct vm_fault *vmf;

	vmf = cowtrace_vmf(regs);
	if (!(vmf->flags & FAULT_FLAG_WRITE) ||
	    (vmf->vma->vm_flags & VM_SHARED) || !cowtrace_wanted(current))
		return 1;
	cowtrace_note_vmf(c, vmf, COWTRACE_KIND_FIRST, PAGE_SHIFT);
	return 0;
}
NOKPROBE_SYMBOL(cowtrace_first_entry);

static int cowtrace_first_exit(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct cowtrace_outcome o = { .ret = cowtrace_ret(regs) };

	cowtrace_emit(cowtrace_call_of(ri),
		      cowtrace_classify(COWTRACE_PATH_FIRST, false, false, &o));
	return 0;
}
NOKPROBE_SYMBOL(cowtrace_first_exit);

/*
 * copy_page_range(dst_vma, src_vma), entry: fork copies a VMA's page
 * tables. A page it maps as new is one it copied at once (a pinned page:
 * copy_present_page(), hugetlb_install_folio()); the rmap markers record
 * each, with its address, while the slot is marked.
 */
static int cowtrace_fork_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct cowtrace_call *c = cowtrace_call_of(ri);
	const struct vm_area_struct *src;

	src = (const struct vm_area_struct *)regs_get_kernel_argument(regs, 1);
	/* Only pages of an anon_vma can be copied (and be pinned). */
	if (!src->anon_vma || !cowtrace_wanted(current))
		return 1;
	if (cowtrace_track(c))
		return 1;
	cowtrace_inflight_mark(cowtrace_inflight, current,
			       COWTRACE_MARK_FORK, 0);
	return 0;
}
NOKPROBE_SYMBOL(cowtrace_fork_entry);

static int cowtrace_fork_exit(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	cowtrace_inflight_leave(cowtrace_inflight, cowtrace_call_of(ri)->slot);
	return 0;
}
NOKPROBE_SYMBOL(cowtrace_fork_exit);

#define COWTRACE_RP(sym, entry, exit) {				\
	.kp.symbol_name	= (sym),					\
	.entry_handler	= (entry),					\
	.handler	= (exit),					\
	.data_size	= sizeof(struct cowtrace_call),			\
}

static struct kretprobe cowtrace_rps[COWTRACE_PATH_NR] = {
	[COWTRACE_PATH_WP] = COWTRACE_RP("do_wp_page", cowtrace_wp_entry,
					 cowtrace_wp_exit),
	[COWTRACE_PATH_THP] = COWTRACE_RP("do_huge_pmd_wp_page",
					  cowtrace_thp_entry,
					  cowtrace_thp_exit),
#ifdef CONFIG_HUGETLB_PAGE
	[COWTRACE_PATH_HUGETLB] = COWTRACE_RP("hugetlb_fault",
					      cowtrace_hugetlb_entry,
					      cowtrace_hugetlb_exit),
#endif
	[COWTRACE_PATH_FIRST] = COWTRACE_RP("finish_fault",
					    cowtrace_first_entry,
					    cowtrace_first_exit),
	[COWTRACE_PATH_FORK] = COWTRACE_RP("copy_page_range",
					   cowtrace_fork_entry,
					   cowtrace_fork_exit),
};

/*
 * The markers: bare ftrace hooks on functions a CoW path calls, which note
 * in the caller's in-flight slot what it did. The rmap marker runs on
 * every anonymous page a fault maps, traced or not, so it is the cheapest
 * hook there is: no pt_regs, no kprobe, no recursion guard (it calls
 * nothing that can be traced). Each is called in the faulting task's
 * context, maybe preemptible, and touches only that task's slot.
 */

/*
 * The record of a page fork copied at once, in the forking task's name, at
 * the page's address (the same in parent and child). From a marker: the
 * ring of this CPU is written with preemption off.
 */
static noinline void cowtrace_fork_copied(const struct vm_area_struct *vma,
					  unsigned long addr,
					  unsigned int shift)
{
	struct cowtrace_call c;

	cowtrace_note(&c, vma, addr, 0, COWTRACE_KIND_FORK, shift);
	preempt_disable_notrace();
	cowtrace_emit(&c, COWTRACE_RESULT_COPY);
	preempt_enable_notrace();
}
NOKPROBE_SYMBOL(cowtrace_fork_copied);

/*
 * rmap of a new anonymous page, (folio, vma, address, ...): a fault's copy
 * or zeroed page (only the task that installs it calls), or, while the
 * task forks, a page fork copied.
 */
static __always_inline void cowtrace_new_page(struct cowtrace_inflight_slot *s,
					      const struct vm_area_struct *vma,
					      unsigned long addr,
					      unsigned int shift)
{
	if (unlikely(s->marks & COWTRACE_MARK_FORK))
		cowtrace_fork_copied(vma, addr, shift);
	else
		s->marks |= COWTRACE_MARK_INSTALLED;
}

static COWTRACE_FTRACE_CALLBACK(cowtrace_rmap_mark)
{
	struct cowtrace_inflight_slot *s;

	s = cowtrace_inflight_find(cowtrace_inflight, current);
	if (s)
		cowtrace_new_page(s, (const void *)COWTRACE_FTRACE_ARG(1),
				  COWTRACE_FTRACE_ARG(2), PAGE_SHIFT);
}

#ifdef CONFIG_HUGETLB_PAGE
/* The same for a hugetlb page: its size is the VMA's. */
static COWTRACE_FTRACE_CALLBACK(cowtrace_hugetlb_rmap_mark)
{
	const struct vm_area_struct *vma;
	struct cowtrace_inflight_slot *s;

	s = cowtrace_inflight_find(cowtrace_inflight, current);
	if (!s)
		return;
	vma = (const void *)COWTRACE_FTRACE_ARG(1);
	cowtrace_new_page(s, vma, COWTRACE_FTRACE_ARG(2),
			  huge_page_shift(hstate_vma((struct vm_area_struct *)vma)));
}
#else
#define cowtrace_hugetlb_rmap_mark	cowtrace_rmap_mark
#endif

/*
 * hugetlb's CoW function: marks the hugetlb_fault() it runs in. A page
 * hugetlb_no_page() installed before it calls the CoW function (a private
 * page's first write) is not the CoW's: only what is installed from here
 * on counts, and the fault is marked fresh.
 */
static COWTRACE_FTRACE_CALLBACK(cowtrace_hugetlb_wp_mark)
{
	struct cowtrace_inflight_slot *s;
	unsigned long marks;

	s = cowtrace_inflight_find(cowtrace_inflight, current);
	if (!s)
		return;
	marks = s->marks | COWTRACE_MARK_HUGETLB_WP;
	if (marks & COWTRACE_MARK_INSTALLED)
		marks = (marks & ~COWTRACE_MARK_INSTALLED) | COWTRACE_MARK_FRESH;
	s->marks = marks;
}

/* Where wp_huge_pmd() runs: the text of the function it is part of. */
static unsigned long cowtrace_split_caller;
static unsigned long cowtrace_split_caller_size;

/*
 * __split_huge_pmd(vma, pmd, address, ...) called from the write fault's
 * wp_huge_pmd(): a private THP split for a CoW the kernel makes at 4 KiB
 * (that fault's own record follows). Other callers (mprotect, munmap,
 * madvise, do_huge_pmd_wp_page) return at the first test.
 */
static COWTRACE_FTRACE_CALLBACK(cowtrace_split_mark)
{
	const struct vm_area_struct *vma;
	struct cowtrace_call c;

	if (parent_ip - cowtrace_split_caller >= cowtrace_split_caller_size)
		return;
	vma = (const void *)COWTRACE_FTRACE_ARG(0);
	/* A shared mapping is write-notified at 4 KiB: no CoW. */
	if (vma->vm_flags & (VM_SHARED | VM_MAYSHARE))
		return;
	preempt_disable_notrace();
	if (cowtrace_wanted(current)) {
		cowtrace_note(&c, vma, COWTRACE_FTRACE_ARG(2), 0,
			      COWTRACE_KIND_WRITE, PMD_SHIFT);
		cowtrace_emit(&c, COWTRACE_RESULT_SPLIT);
	}
	preempt_enable_notrace();
}

/*
 * The start and size of the first of @syms that exists: a kprobe gives an
 * address in it (kallsyms_lookup_name() is not exported; the probe may sit
 * past an ENDBR), sprint_symbol() where that is ("name+0xOFF/0xSIZE").
 * Return: true if found.
 */
static bool cowtrace_text_of(const char *const *syms, unsigned int n,
			     unsigned long *start, unsigned long *size)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long addr, off;
	char *plus, *slash;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct kprobe kp = { .symbol_name = syms[i] };

		if (register_kprobe(&kp))
			continue;
		addr = (unsigned long)kp.addr;
		unregister_kprobe(&kp);
		sprint_symbol(buf, addr);
		plus = strrchr(buf, '+');
		slash = strrchr(buf, '/');
		if (!plus || !slash || slash < plus)
			continue;
		*slash = '\0';
		if (kstrtoul(plus + 1, 16, &off) || kstrtoul(slash + 1, 16, size) ||
		    !*size || off > addr)
			continue;
		*start = addr - off;
		return true;
	}
	return false;
}

enum {
	COWTRACE_MARKER_RMAP,
	COWTRACE_MARKER_HUGETLB_RMAP,
	COWTRACE_MARKER_HUGETLB_WP,
	COWTRACE_MARKER_SPLIT,
	COWTRACE_MARKER_NR,
};

/**
 * struct cowtrace_marker - one marker
 * @ops: its ftrace hook
 * @sym: the function hooked, NULL while none is
 */
struct cowtrace_marker {
	struct ftrace_ops ops;
	const char *sym;
};

#define COWTRACE_MARKER(fn, extra) {					\
	.ops.func	= (fn),						\
	.ops.flags	= COWTRACE_FTRACE_FLAGS | (extra),		\
}

static struct cowtrace_marker cowtrace_markers[COWTRACE_MARKER_NR] = {
	[COWTRACE_MARKER_RMAP] = COWTRACE_MARKER(cowtrace_rmap_mark,
						 COWTRACE_FTRACE_ARGS_FLAGS),
	[COWTRACE_MARKER_HUGETLB_RMAP] =
		COWTRACE_MARKER(cowtrace_hugetlb_rmap_mark,
				COWTRACE_FTRACE_ARGS_FLAGS),
	[COWTRACE_MARKER_HUGETLB_WP] = COWTRACE_MARKER(cowtrace_hugetlb_wp_mark, 0),
	[COWTRACE_MARKER_SPLIT] = COWTRACE_MARKER(cowtrace_split_mark,
						  COWTRACE_FTRACE_ARGS_FLAGS),
};

/*
 * Drop @mk's filter: ftrace_free_filter() is exported only since 6.2, and
 * an empty filter frees the hash the same way. Only while not registered:
 * registered, an empty filter hooks every function.
 */
static void cowtrace_marker_clear(struct cowtrace_marker *mk)
{
	ftrace_set_filter(&mk->ops, NULL, 0, 1);
	mk->sym = NULL;
}

/* Hook the first of @syms that can be; Return: 0 or the last error. */
static int cowtrace_marker_register(unsigned int m, const char *const *syms,
				    unsigned int n)
{
	struct cowtrace_marker *mk = &cowtrace_markers[m];
	int ret = -ENOENT;
	unsigned int i;

	for (i = 0; i < n; i++) {
		/* Not a function ftrace can hook here: -EINVAL. */
		ret = ftrace_set_filter(&mk->ops, (unsigned char *)syms[i],
					strlen(syms[i]), 1);
		if (!ret)
			ret = register_ftrace_function(&mk->ops);
		if (!ret) {
			mk->sym = syms[i];
			return 0;
		}
	}
	cowtrace_marker_clear(mk);
	return ret;
}

static void cowtrace_probes_unregister(void)
{
	unsigned int i;

	for (i = 0; i < COWTRACE_PATH_NR; i++)
		if (test_bit(i, &cowtrace_paths))
			unregister_kretprobe(&cowtrace_rps[i]);
	cowtrace_paths = 0;
	/* Waits until no callback runs (it may have been preempted). */
	for (i = 0; i < COWTRACE_MARKER_NR; i++) {
		if (!cowtrace_markers[i].sym)
			continue;
		unregister_ftrace_function(&cowtrace_markers[i].ops);
		cowtrace_marker_clear(&cowtrace_markers[i]);
	}
}

/*
 * Whether the compiler made a copy of @sym that callers may call instead
 * of it: a specialised clone (.constprop, .isra) or the rest of a body
 * whose head it inlined into callers (.part). A probe on @sym would then
 * miss those calls, so the path is not covered. kallsyms_lookup_name() is
 * not exported: a kprobe that registers names a symbol that exists.
 */
static bool cowtrace_sym_cloned(const char *sym)
{
	static const char *const suffix[] = { ".part.0", ".constprop.0",
					      ".isra.0" };
	char name[KSYM_NAME_LEN];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(suffix); i++) {
		struct kprobe kp = { .symbol_name = name };

		snprintf(name, sizeof(name), "%s%s", sym, suffix[i]);
		if (!register_kprobe(&kp)) {
			unregister_kprobe(&kp);
			return true;
		}
	}
	return false;
}

/**
 * cowtrace_probe_counts - the probes' counters since load
 * @c: filled in
 */
void cowtrace_probe_counts(struct cowtrace_probe_counts *c)
{
	unsigned int i;
	int cpu;

	memset(c, 0, sizeof(*c));
	c->paths = READ_ONCE(cowtrace_paths);
	for (i = 0; i < COWTRACE_PATH_NR; i++)
		c->missed += READ_ONCE(cowtrace_rps[i].nmissed) +
			     READ_ONCE(cowtrace_rps[i].kp.nmissed);
	for_each_possible_cpu(cpu) {
		c->missed += READ_ONCE(*per_cpu_ptr(&cowtrace_untracked, cpu));
		c->retried += READ_ONCE(*per_cpu_ptr(&cowtrace_retried, cpu));
		c->raced += READ_ONCE(*per_cpu_ptr(&cowtrace_raced, cpu));
	}
}

/**
 * cowtrace_probe_init - start recording into @rs
 * @rs: the rings, one per possible CPU
 *
 * do_wp_page and the rmap call that tells a copy are required; every other
 * path that cannot be probed on this kernel is logged and left out.
 *
 * Return: 0, or the error a required registration gave, logged.
 */
int cowtrace_probe_init(struct cowtrace_rings *rs)
{
	static const char *const rmap[] = COWTRACE_RMAP_SYMBOLS;
	static const char *const hugetlb_rmap[] = COWTRACE_HUGETLB_RMAP_SYMBOLS;
	static const char *const hugetlb_wp[] = COWTRACE_HUGETLB_WP_SYMBOLS;
	static const char *const split[] = COWTRACE_SPLIT_SYMBOLS;
	static const char *const split_callers[] = COWTRACE_SPLIT_CALLERS;
	/* Faults can sleep in these paths (allocation, page_mkwrite). */
	int maxactive = max_t(int, 64, 16 * num_possible_cpus());
	unsigned int i;
	int ret;

	cowtrace_probe_rings = rs;
	cowtrace_inflight = cowtrace_inflight_alloc(COWTRACE_PATH_NR * maxactive);
	if (!cowtrace_inflight)
		return -ENOMEM;

	ret = cowtrace_marker_register(COWTRACE_MARKER_RMAP, rmap,
				       ARRAY_SIZE(rmap));
	if (ret) {
		pr_err("cannot hook %s or %s with ftrace, which tells a copy from a reuse: %d\n",
		       rmap[0], rmap[1], ret);
		goto out_free_inflight;
	}
	/* hugetlb needs its own rmap call and its CoW function as markers. */
	if (cowtrace_marker_register(COWTRACE_MARKER_HUGETLB_RMAP, hugetlb_rmap,
				     ARRAY_SIZE(hugetlb_rmap)) ||
	    cowtrace_marker_register(COWTRACE_MARKER_HUGETLB_WP, hugetlb_wp,
				     ARRAY_SIZE(hugetlb_wp)))
		cowtrace_rps[COWTRACE_PATH_HUGETLB].handler = NULL;
	/* Splits outside do_huge_pmd_wp_page: optional, logged. */
	if (!cowtrace_text_of(split_callers, ARRAY_SIZE(split_callers),
			      &cowtrace_split_caller, &cowtrace_split_caller_size) ||
	    cowtrace_marker_register(COWTRACE_MARKER_SPLIT, split,
				     ARRAY_SIZE(split)))
		pr_info("splits of file and shmem THPs by a write fault not covered on this kernel (no THP, or %s cannot be hooked)\n",
			split[0]);

	for (i = 0; i < COWTRACE_PATH_NR; i++) {
		struct kretprobe *rp = &cowtrace_rps[i];
		const char *name = cowtrace_path_name(i);

		if (!rp->handler) {
			pr_info("path %s not covered on this kernel (not built in, or its markers cannot be probed)\n",
				name);
			continue;
		}
		if (cowtrace_sym_cloned(rp->kp.symbol_name)) {
			ret = -EOPNOTSUPP;
			if (i == COWTRACE_PATH_WP) {
				pr_err("cannot probe do_wp_page on this kernel: the build made a partial or specialised copy of it that callers call instead\n");
				goto out_unregister;
			}
			pr_info("path %s not covered on this kernel (the build made a partial or specialised copy of it)\n",
				name);
			continue;
		}
		rp->maxactive = maxactive;
		ret = register_kretprobe(rp);
		if (!ret) {
			__set_bit(i, &cowtrace_paths);
			continue;
		}
		if (i == COWTRACE_PATH_WP) {
			pr_err("cannot probe do_wp_page on this kernel (inlined, renamed or kprobes off): register_kretprobe: %d\n",
			       ret);
			goto out_unregister;
		}
		pr_info("path %s not covered on this kernel (inlined or renamed): register_kretprobe: %d\n",
			name, ret);
	}
	return 0;

out_unregister:
	cowtrace_probes_unregister();
out_free_inflight:
	cowtrace_inflight_free(cowtrace_inflight);
	cowtrace_inflight = NULL;
	return ret;
}

/**
 * cowtrace_probe_exit - stop recording; no handler runs after it returns
 */
void cowtrace_probe_exit(void)
{
	struct cowtrace_probe_counts c;

	cowtrace_probe_counts(&c);
	cowtrace_probes_unregister();
	cowtrace_inflight_free(cowtrace_inflight);
	cowtrace_inflight = NULL;
	if (c.missed)
		pr_info("probes missed %lu events\n", c.missed);
}
