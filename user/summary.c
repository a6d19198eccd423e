// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: -s, per process (TGID and comm) a count of records for
 * each RESULT and the bytes copied, largest bytes copied first.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "summary.h"

/**
 * ct_summary_add - count @r for its process
 * @s: the summary
 * @r: a record
 *
 * Return: 0, or -1 when out of memory.
 */
int ct_summary_add(struct ct_summary *s, const struct ct_rec *r)
{
	struct ct_count *c = ct_table_get(&s->t, r->tgid, r->comm, r->comm_len, true);

	if (!c)
		return -1;
	ct_count_add(c, r);
	s->records++;
	return 0;
}

/* Largest bytes copied first; ties: more records first, then TGID, comm. */
static int by_copied(const void *a, const void *b)
{
	const struct ct_count *x = a, *y = b;
	uint64_t cx = x->bytes[COWTRACE_RESULT_COPY], cy = y->bytes[COWTRACE_RESULT_COPY];
	uint64_t rx = ct_count_records(x), ry = ct_count_records(y);

	if (cx != cy)
		return cx < cy ? 1 : -1;
	if (rx != ry)
		return rx < ry ? 1 : -1;
	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return memcmp(x->comm, y->comm, sizeof(x->comm));
}

/**
 * ct_summary_print - the table, then "N records, N lost"
 * @s:    the summary; sorted by this call
 * @lost: records lost (the "# lost" lines)
 * @f:    where to
 *
 * One row per process: TGID, COMM (escaped as the module writes it, so
 * one field), a column per RESULT, BYTES_COPIED (SIZE summed over copy).
 * Then, when the table was full (@s->t.max processes), the records of
 * the processes that found no room: TGID "-", COMM "(other)".
 */
void ct_summary_print(struct ct_summary *s, uint64_t lost, FILE *f)
{
	size_t i;
	int k;

	ct_table_sort(&s->t, by_copied);
	fprintf(f, "%-8s %-16s", "TGID", "COMM");
	for (k = 0; k < COWTRACE_RESULT_NR; k++) {
		char name[16];
		size_t j;

		for (j = 0; ct_result_name[k][j] && j < sizeof(name) - 1; j++)
			name[j] = (char)toupper((unsigned char)ct_result_name[k][j]);
		name[j] = '\0';
		fprintf(f, " %8s", name);
	}
	fprintf(f, " %14s\n", "BYTES_COPIED");
	for (i = 0; i <= s->t.n; i++) {
		const struct ct_count *c = i < s->t.n ? &s->t.ent[i] : &s->t.other;
		char esc[CT_COMM_ESC], tgid[16];

		if (c == &s->t.other && !ct_count_records(c))
			break;
		if (c == &s->t.other) {
			strcpy(tgid, "-");
			strcpy(esc, "(other)");
		} else {
			snprintf(tgid, sizeof(tgid), "%u", (unsigned int)c->tgid);
			ct_encode_comm(c->comm, c->comm_len, esc);
		}
		fprintf(f, "%-8s %-16s", tgid, esc);
		for (k = 0; k < COWTRACE_RESULT_NR; k++)
			fprintf(f, " %8llu", (unsigned long long)c->records[k]);
		fprintf(f, " %14llu\n",
			(unsigned long long)c->bytes[COWTRACE_RESULT_COPY]);
	}
	fprintf(f, "%llu records, %llu lost\n", (unsigned long long)s->records,
		(unsigned long long)lost);
}

/** ct_summary_free - free what ct_summary_add() allocated */
void ct_summary_free(struct ct_summary *s)
{
	ct_table_free(&s->t);
	s->records = 0;
}
