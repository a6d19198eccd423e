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
	COWTRACE_PATH_NR,
};

/* Not a RESULT: the fault attempt leaves no record. */
enum cowtrace_verdict {
	/* VM_FAULT_RETRY: the retry gives the one record */
	COWTRACE_VERDICT_RETRY = COWTRACE_RESULT_NR,
	/* nothing done: another thread resolved the fault first */
	COWTRACE_VERDICT_RACE,
};

/**
 * struct cowtrace_outcome - what the exit of a probed path saw
 * @ret:       the path's vm_fault_t return value
 * @installed: this task mapped a page it allocated (a copy or a zeroed page)
 * @same_page: do_wp_page only: the PTE still maps the page it mapped at
 *             entry (not read, and false, when @installed or on an error)
 */
struct cowtrace_outcome {
	vm_fault_t ret;
	bool installed;
	bool same_page;
};

unsigned int cowtrace_classify(enum cowtrace_path path, bool zero, bool shared,
			       const struct cowtrace_outcome *o);
const char *cowtrace_path_name(enum cowtrace_path path);

#endif /* COWTRACE_CLASSIFY_H */
