/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowtrace: what differs between the kernels cowtrace supports, in one
 * place, by feature: a header's contents (compat.mk) or, for the functions
 * probed, which symbol can be probed at load time.
 */
#ifndef COWTRACE_COMPAT_H
#define COWTRACE_COMPAT_H

#include <linux/bitops.h>
#include <linux/ftrace.h>
#include <linux/hrtimer.h>
#include <linux/mm.h>	/* kvzalloc() and kvfree(): <linux/mm.h> before 5.16 */
#include <linux/ptrace.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/userfaultfd_k.h>

/* COWTRACE_HAVE_* come from compat.mk, which reads the kernel's headers. */

#ifdef COWTRACE_HAVE_UNSHARE
static inline bool cowtrace_fault_unshare(unsigned int flags)
{
	return flags & FAULT_FLAG_UNSHARE;
}
#else
static inline bool cowtrace_fault_unshare(unsigned int flags)
{
	return false;
}
#endif

/**
 * cowtrace_uffd_wp_sync - whether a write fault waits for a userfaultfd
 * @vma: the VMA faulted on
 * @pte: the PTE the fault found, under its lock
 *
 * A page write-protected by userfaultfd in its synchronous mode makes
 * do_wp_page() hand the fault to the handler and return RETRY (or SIGBUS):
 * no CoW decision, however long the handler takes. In async mode (6.7)
 * the kernel clears the bit and goes on; 6.7 alone cannot be told (its
 * context is private), so there every such fault is left to the exit.
 *
 * Return: true if the fault will wait for a userfaultfd handler.
 */
static __always_inline bool cowtrace_uffd_wp_sync(struct vm_area_struct *vma,
						  pte_t pte)
{
	if (!userfaultfd_pte_wp(vma, pte))
		return false;
#if !defined(COWTRACE_HAVE_UFFD_WP_ASYNC)
	return true;
#elif defined(COWTRACE_HAVE_UFFD_CTX) && defined(CONFIG_USERFAULTFD)
	{
		const struct userfaultfd_ctx *ctx;

		ctx = READ_ONCE(vma->vm_userfaultfd_ctx.ctx);
		return ctx && !(ctx->features & UFFD_FEATURE_WP_ASYNC);
	}
#else
	return false;
#endif
}

/*
 * VM_FAULT_WRITE (gone in 6.2): do_wp_page() returned it for a copy and a
 * reuse alike, and 0 for a copy that lost the race to another thread.
 */
#ifdef COWTRACE_HAVE_VM_FAULT_WRITE
#define COWTRACE_VM_FAULT_WRITE	VM_FAULT_WRITE
#else
#define COWTRACE_VM_FAULT_WRITE	0
#endif

/*
 * hugetlb's CoW function, hugetlb_cow() before 5.19: static, and its
 * arguments are not to be trusted (6.1 has seven; on 6.12 the compiler
 * passes a PTE where the source has the fault), so it serves only as a
 * marker inside hugetlb_fault(), whose arguments are stable.
 */
#define COWTRACE_HUGETLB_WP_SYMBOLS	{ "hugetlb_wp", "hugetlb_cow" }

/*
 * The split of a THP the write fault cannot copy-on-write whole (a file or
 * shmem THP in a private mapping; uffd-wp async), made by wp_huge_pmd(),
 * which the compiler inlines into __handle_mm_fault(), itself inlined into
 * handle_mm_fault() on 5.10: the marker on the split counts only calls
 * from the first of these that exists (anonymous THP is split inside
 * do_huge_pmd_wp_page(), which records its own split).
 */
#define COWTRACE_SPLIT_SYMBOLS		{ "__split_huge_pmd" }
#define COWTRACE_SPLIT_CALLERS \
	{ "wp_huge_pmd", "__handle_mm_fault", "handle_mm_fault" }

/*
 * A marker's ftrace callback: its last argument is a struct ftrace_regs
 * since 5.11, a struct pt_regs before. COWTRACE_FTRACE_ARG(n) is argument
 * n of the function hooked, in a marker whose ops has
 * COWTRACE_FTRACE_ARGS_FLAGS: since 5.11 x86_64 and arm64 save the
 * argument registers for every hook (DYNAMIC_FTRACE_WITH_ARGS); 5.10
 * saves them only for an ops that asks for all of pt_regs.
 */
#ifdef COWTRACE_HAVE_FTRACE_REGS
#define COWTRACE_FTRACE_CALLBACK(name)					\
	void notrace name(unsigned long ip, unsigned long parent_ip,	\
			  struct ftrace_ops *op, struct ftrace_regs *cowtrace_regs)
#else
#define COWTRACE_FTRACE_CALLBACK(name)					\
	void notrace name(unsigned long ip, unsigned long parent_ip,	\
			  struct ftrace_ops *op, struct pt_regs *cowtrace_regs)
#endif

#if defined(COWTRACE_HAVE_FTRACE_REGS_GET_ARGUMENT)
#define COWTRACE_FTRACE_ARG(n)	ftrace_regs_get_argument(cowtrace_regs, (n))
#define COWTRACE_FTRACE_ARGS_FLAGS	0
#elif defined(COWTRACE_HAVE_FTRACE_REGS)
/* 5.11 to 6.1: struct ftrace_regs is a struct pt_regs. */
#ifndef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
#error "cowtrace: ftrace without DYNAMIC_FTRACE_WITH_ARGS before 6.2 is not supported"
#endif
#define COWTRACE_FTRACE_ARG(n)	regs_get_kernel_argument(&cowtrace_regs->regs, (n))
#define COWTRACE_FTRACE_ARGS_FLAGS	0
#else
#define COWTRACE_FTRACE_ARG(n)	regs_get_kernel_argument(cowtrace_regs, (n))
#define COWTRACE_FTRACE_ARGS_FLAGS	FTRACE_OPS_FL_SAVE_REGS
#endif

/*
 * ftrace calls a marker directly, without its recursion guard, which costs
 * more than the marker itself (no marker calls a function it hooks):
 * the default since 5.11, a flag before.
 */
#ifdef COWTRACE_HAVE_FTRACE_RECURSION_SAFE
#define COWTRACE_FTRACE_FLAGS	FTRACE_OPS_FL_RECURSION_SAFE
#else
#define COWTRACE_FTRACE_FLAGS	0
#endif

/*
 * The function that maps a page a CoW fault allocated: only the task whose
 * copy is installed calls it. Tried in this order; the first that can be
 * probed is used.
 */
#define COWTRACE_RMAP_SYMBOLS	{ "folio_add_new_anon_rmap", "page_add_new_anon_rmap" }
#define COWTRACE_HUGETLB_RMAP_SYMBOLS \
	{ "hugetlb_add_new_anon_rmap", "hugepage_add_new_anon_rmap" }

/*
 * The high bit of each NUL byte of @w (little endian); the lowest bit set
 * is exact, bits above it may be false. 0 if @w has no NUL byte.
 */
static __always_inline u64 cowtrace_nul_bytes(u64 w)
{
	return (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;
}

/* The bytes of @w below the NUL byte that @nul (non-zero) flags first. */
static __always_inline u64 cowtrace_before_nul(u64 w, u64 nul)
{
	return w & ((1ULL << (__ffs64(nul) & ~7U)) - 1);
}

/**
 * cowtrace_comm_words - a task's comm as two NUL-padded words
 * @comm: TASK_COMM_LEN bytes, NUL terminated
 * @lo:   set to bytes 0-7
 * @hi:   set to bytes 8-15
 *
 * Kernels before strscpy_pad() in __set_task_comm() (5.10 among them)
 * leave bytes of an older, longer comm after the NUL, so they are cleared
 * here, in registers, on every kernel.
 */
static __always_inline void cowtrace_comm_words(const char *comm, u64 *lo,
						u64 *hi)
{
	memcpy(lo, comm, sizeof(*lo));
	memcpy(hi, comm + sizeof(*lo), sizeof(*hi));
#ifdef __LITTLE_ENDIAN
	{
		u64 nul = cowtrace_nul_bytes(*lo);

		if (nul) {
			*lo = cowtrace_before_nul(*lo, nul);
			*hi = 0;
		} else {
			nul = cowtrace_nul_bytes(*hi);
			if (nul)
				*hi = cowtrace_before_nul(*hi, nul);
		}
	}
#else
	{
		char padded[16] = { };

		strscpy(padded, comm, sizeof(padded));
		memcpy(lo, padded, sizeof(*lo));
		memcpy(hi, padded + sizeof(*lo), sizeof(*hi));
	}
#endif
}

/* The data a /proc entry was created with: pde_data() since 5.17. */
#ifndef COWTRACE_HAVE_PDE_DATA
#define pde_data(inode)	PDE_DATA(inode)
#endif

/* hrtimer_setup() since 6.13, which removed hrtimer_init() later. */
#ifndef COWTRACE_HAVE_HRTIMER_SETUP
static inline void
hrtimer_setup(struct hrtimer *timer,
	      enum hrtimer_restart (*function)(struct hrtimer *),
	      clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/*
 * The probe of sched_process_exit, and whether its task was the last of
 * its process. The event gained group_dead in 6.17; before, the live count
 * tells, once the last thread has counted itself out: two threads that
 * exit at the same instant may then both see 0 (the reader keeps the first
 * exit line of a TGID).
 */
#ifdef COWTRACE_HAVE_EXIT_GROUP_DEAD
#define COWTRACE_EXIT_TP_ARGS		struct task_struct *p, bool group_dead
#define COWTRACE_EXIT_GROUP_DEAD	group_dead
#else
#define COWTRACE_EXIT_TP_ARGS		struct task_struct *p
#define COWTRACE_EXIT_GROUP_DEAD	(!atomic_read(&p->signal->live))
#endif

#endif /* COWTRACE_COMPAT_H */
