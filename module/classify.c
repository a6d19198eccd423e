// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace classification: turns what a probed CoW path saw at entry and
 * at exit into the RESULT of its record, or into no record at all.
 *
 * The return value alone cannot tell a copy from a reuse (6.1 returns
 * VM_FAULT_WRITE for both, 6.12 returns 0 for both), so the probes also
 * say whether this task mapped a page it allocated (@installed: the rmap
 * call only the winner of a copy makes). Without a copy, 6.1 and older
 * return VM_FAULT_WRITE for a reuse and 0 for a lost race; from 6.2 on both
 * return 0, and do_wp_page's exit looks at what maps the address now
 * (@pte: a reuse keeps the page, the winner of a race put another there).
 */

#include <linux/mm.h>

#include "classify.h"
#include "compat.h"

static const char *const cowtrace_path_names[COWTRACE_PATH_NR] = {
	[COWTRACE_PATH_WP]	= "do_wp_page",
	[COWTRACE_PATH_THP]	= "do_huge_pmd_wp_page",
	[COWTRACE_PATH_HUGETLB]	= "hugetlb_fault",
	[COWTRACE_PATH_FIRST]	= "finish_fault",
	[COWTRACE_PATH_FORK]	= "copy_page_range",
};

/**
 * cowtrace_path_name - the kernel function a path is probed at
 * @path: enum cowtrace_path
 *
 * Return: its name, as the header's "# paths=" lists it.
 */
const char *cowtrace_path_name(enum cowtrace_path path)
{
	return path < COWTRACE_PATH_NR ? cowtrace_path_names[path] : "?";
}

/* Errors that end a fault with a signal or OOM; not FALLBACK, not RETRY. */
#define COWTRACE_FAULT_FAILED	(VM_FAULT_OOM | VM_FAULT_SIGBUS | \
				 VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON | \
				 VM_FAULT_HWPOISON_LARGE)

/**
 * cowtrace_classify - what one CoW fault attempt did
 * @path:   where it was probed
 * @zero:   at entry, the PTE mapped the shared zero page (do_wp_page)
 * @shared: at entry, the mapping was shared (VM_SHARED or VM_MAYSHARE)
 * @o:      what the exit saw
 *
 * Return: an enum cowtrace_result for the record, or an enum
 * cowtrace_verdict when the attempt leaves no record.
 */
unsigned int cowtrace_classify(enum cowtrace_path path, bool zero, bool shared,
			       const struct cowtrace_outcome *o)
{
	if (o->ret & VM_FAULT_RETRY) {
		/*
		 * Before 5.19 wp_page_shared() made the PTE writable, then
		 * dropped mmap_lock to throttle dirtying and returned RETRY
		 * with the VM_FAULT_WRITE it had: done, and the retry finds a
		 * writable PTE and never comes back here.
		 */
		if (path == COWTRACE_PATH_WP && shared &&
		    (o->ret & COWTRACE_VM_FAULT_WRITE))
			return COWTRACE_RESULT_NOTIFY;
		return COWTRACE_VERDICT_RETRY;
	}
	if (path == COWTRACE_PATH_THP && (o->ret & VM_FAULT_FALLBACK))
		return COWTRACE_RESULT_SPLIT;
	if (o->ret & COWTRACE_FAULT_FAILED)
		return COWTRACE_RESULT_FAIL;

	switch (path) {
	case COWTRACE_PATH_WP:
		if (o->installed)
			return zero ? COWTRACE_RESULT_ZERO : COWTRACE_RESULT_COPY;
		/* wp_page_shared(): page_mkwrite found the PTE changed */
		if (o->ret & VM_FAULT_NOPAGE)
			return COWTRACE_VERDICT_RACE;
		if (shared)
			return COWTRACE_RESULT_NOTIFY;
		/* Before 6.2 a reuse says so; a lost race returns 0. */
		if (o->ret & COWTRACE_VM_FAULT_WRITE)
			return COWTRACE_RESULT_REUSE;
		/*
		 * 5.19 to 6.1: an unshare of a page that is not anonymous
		 * returns 0 having done nothing (later kernels copy it).
		 */
		if (COWTRACE_VM_FAULT_WRITE && o->unshare && o->not_anon)
			return COWTRACE_VERDICT_NONE;
		/* Not known (no page there now) is counted, never guessed. */
		return o->pte == COWTRACE_PTE_SAME ? COWTRACE_RESULT_REUSE :
						     COWTRACE_VERDICT_RACE;
	case COWTRACE_PATH_THP:
		/* Only a write to the huge zero page allocates a THP here. */
		return o->installed ? COWTRACE_RESULT_ZERO :
				      COWTRACE_RESULT_REUSE;
	case COWTRACE_PATH_HUGETLB:
		if (o->installed)
			return COWTRACE_RESULT_COPY;
		if (o->fresh)
			return COWTRACE_VERDICT_NONE;
		/* hugetlb_wp() on a shared mapping: made writable in place */
		return shared ? COWTRACE_RESULT_NOTIFY : COWTRACE_RESULT_REUSE;
	case COWTRACE_PATH_FIRST:
		/* finish_fault(): another thread mapped the page first */
		if (o->ret & VM_FAULT_NOPAGE)
			return COWTRACE_VERDICT_RACE;
		return COWTRACE_RESULT_COPY;
	default:
		return COWTRACE_VERDICT_RACE;
	}
}
