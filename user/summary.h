/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: -s, the records per process, printed at exit. */
#ifndef COWTRACE_SUMMARY_H
#define COWTRACE_SUMMARY_H

#include <stdio.h>

#include "parse.h"

struct ct_proc {
	uint32_t tgid;
	char comm[CT_COMM_MAX + 1];
	size_t comm_len;
	uint64_t count;
};

struct ct_summary {
	struct ct_proc *procs;
	size_t n, cap;
	uint64_t records;
};

int ct_summary_add(struct ct_summary *s, const struct ct_rec *r);
void ct_summary_print(struct ct_summary *s, uint64_t lost, FILE *f);
void ct_summary_free(struct ct_summary *s);

#endif /* COWTRACE_SUMMARY_H */
