/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowtrace: what differs between the kernels cowtrace supports, in one
 * place, by feature: a header's contents (compat.mk) or, for the functions
 * probed, which symbol can be probed at load time.
 */
#ifndef COWTRACE_COMPAT_H
#define COWTRACE_COMPAT_H

#include <linux/mm.h>
#include <linux/ptrace.h>

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
 * The function that maps a page a CoW fault allocated: only the task whose
 * copy is installed calls it. Tried in this order; the first that can be
 * probed is used.
 */
#define COWTRACE_RMAP_SYMBOLS	{ "folio_add_new_anon_rmap", "page_add_new_anon_rmap" }
#define COWTRACE_HUGETLB_RMAP_SYMBOLS \
	{ "hugetlb_add_new_anon_rmap", "hugepage_add_new_anon_rmap" }

#endif /* COWTRACE_COMPAT_H */
