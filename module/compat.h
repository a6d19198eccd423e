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

/*
 * VM_FAULT_WRITE was returned for a copy and for a reuse alike; KUnit feeds
 * it to the classification where the kernel has it.
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
 * A marker's ftrace callback: its last argument is a struct ftrace_regs
 * since 5.11, a struct pt_regs before; the markers do not read it.
 */
#ifdef COWTRACE_HAVE_FTRACE_REGS
#define COWTRACE_FTRACE_CALLBACK(name)					\
	void notrace name(unsigned long ip, unsigned long parent_ip,	\
			  struct ftrace_ops *op, struct ftrace_regs *fregs)
#else
#define COWTRACE_FTRACE_CALLBACK(name)					\
	void notrace name(unsigned long ip, unsigned long parent_ip,	\
			  struct ftrace_ops *op, struct pt_regs *regs)
#endif

/*
 * ftrace calls a marker directly, without its recursion guard, which costs
 * more than the marker itself (the marker calls nothing that is traced):
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

#endif /* COWTRACE_COMPAT_H */
