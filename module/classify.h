/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowtrace classification: what a CoW fault did, from what its entry saw
 * and what its exit saw. Pure: KUnit tests it by table.
 */
#ifndef COWTRACE_CLASSIFY_H
#define COWTRACE_CLASSIFY_H

#include <linux/mm_types.h>
#include <linux/types.h>

#include "uapi/cowtrace.h"

/* The kernel paths cowtrace probes, each a kretprobe. */
enum cowtrace_path {
	COWTRACE_PATH_WP,	/* do_wp_page: 4 KiB write or unshare */
	COWTRACE_PATH_THP,	/* do_huge_pmd_wp_page: PMD-mapped THP */
	COWTRACE_PATH_HUGETLB,	/* hugetlb_fault that enters hugetlb_wp */
	COWTRACE_PATH_FIRST,	/* finish_fault of a private file write */
	COWTRACE_PATH_FORK,	/* copy_page_range: fork copies pinned pages */
	COWTRACE_PATH_NR,
};

/* Not a RESULT: the fault attempt leaves no record. */
enum cowtrace_verdict {
	/* VM_FAULT_RETRY: the retry gives the one record */
	COWTRACE_VERDICT_RETRY = COWTRACE_RESULT_NR,
	/* nothing done: another thread resolved the fault first, or not known */
	COWTRACE_VERDICT_RACE,
	/* no CoW decision: nothing to unshare, a hugetlb page's first write */
	COWTRACE_VERDICT_NONE,
};

/* do_wp_page: what maps the faulting address when the path returned. */
enum cowtrace_pte {
	COWTRACE_PTE_UNREAD,	/* not looked at: the return value told */
	COWTRACE_PTE_SAME,	/* the page it mapped at entry */
	COWTRACE_PTE_OTHER,	/* another page */
	COWTRACE_PTE_GONE,	/* no page (unmapped, swapped, migrating) */
};

/**
 * struct cowtrace_outcome - what a probed path saw at entry and at exit
 * @ret:       the path's vm_fault_t return value
 * @installed: this task mapped a page it allocated (a copy or a zeroed page)
 * @pte:       do_wp_page only: enum cowtrace_pte, read only when neither
 *             @installed nor @ret can tell
 * @fresh:     hugetlb only: its CoW function ran on a page this fault had
 *             just installed (a private page's first write)
 * @unshare:   the fault is an unshare (FAULT_FLAG_UNSHARE)
 * @not_anon:  do_wp_page only: at entry the PTE mapped no anonymous page
 */
struct cowtrace_outcome {
	vm_fault_t ret;
	bool installed;
	u8 pte;
	bool fresh;
	bool unshare;
	bool not_anon;
};

unsigned int cowtrace_classify(enum cowtrace_path path, bool zero, bool shared,
			       const struct cowtrace_outcome *o);
const char *cowtrace_path_name(enum cowtrace_path path);

#endif /* COWTRACE_CLASSIFY_H */
