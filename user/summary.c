// SPDX-License-Identifier: GPL-2.0
/* cowtrace reader: -s, the records per process (TGID and comm). */
#include <stdlib.h>
#include <string.h>

#include "summary.h"

/**
 * ct_summary_add - count @r for its process (TGID and comm)
 * @s: the summary
 * @r: a record
 *
 * Return: 0, or -1 when out of memory.
 */
int ct_summary_add(struct ct_summary *s, const struct ct_rec *r)
{
	struct ct_proc *p;
	size_t i;

	s->records++;
	for (i = 0; i < s->n; i++) {
		p = &s->procs[i];
		if (p->tgid == r->tgid && p->comm_len == r->comm_len &&
		    !memcmp(p->comm, r->comm, r->comm_len)) {
			p->count++;
			return 0;
		}
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;

		p = realloc(s->procs, cap * sizeof(*p));
		if (!p)
			return -1;
		s->procs = p;
		s->cap = cap;
	}
	p = &s->procs[s->n++];
	p->tgid = r->tgid;
	memcpy(p->comm, r->comm, r->comm_len + 1);
	p->comm_len = r->comm_len;
	p->count = 1;
	return 0;
}

static int by_count(const void *a, const void *b)
{
	const struct ct_proc *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return memcmp(x->comm, y->comm, CT_COMM_MAX + 1);
}

/**
 * ct_summary_print - the table, largest count first, then the totals
 * @s:    the summary
 * @lost: records lost
 * @f:    where to
 */
void ct_summary_print(struct ct_summary *s, uint64_t lost, FILE *f)
{
	size_t i;

	if (s->n)
		qsort(s->procs, s->n, sizeof(*s->procs), by_count);
	fprintf(f, "%-8s %-16s %s\n", "TGID", "COMM", "RECORDS");
	for (i = 0; i < s->n; i++) {
		char esc[CT_COMM_ESC];

		ct_encode_comm(s->procs[i].comm, s->procs[i].comm_len, esc);
		fprintf(f, "%-8u %-16s %llu\n", s->procs[i].tgid, esc,
			(unsigned long long)s->procs[i].count);
	}
	fprintf(f, "%llu records, %llu lost\n", (unsigned long long)s->records,
		(unsigned long long)lost);
}

/** ct_summary_free - free what ct_summary_add() allocated */
void ct_summary_free(struct ct_summary *s)
{
	free(s->procs);
	memset(s, 0, sizeof(*s));
}
