/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: -s, a table per process, printed at exit. */
#ifndef COWTRACE_SUMMARY_H
#define COWTRACE_SUMMARY_H

#include <stdio.h>

#include "table.h"

/**
 * struct ct_summary - what -s prints
 * @t:       counts per process (TGID and comm)
 * @records: records counted
 */
struct ct_summary {
	struct ct_table t;
	uint64_t records;
};

int ct_summary_add(struct ct_summary *s, const struct ct_rec *r);
void ct_summary_print(struct ct_summary *s, uint64_t lost, FILE *f);
void ct_summary_free(struct ct_summary *s);

#endif /* COWTRACE_SUMMARY_H */
