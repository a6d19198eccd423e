// SPDX-License-Identifier: GPL-2.0
/*
 * -s at scale: 1,000,000 records of 200,000 processes, generated here as
 * lines and parsed by the reader's parser, then summarized; the summary
 * (adding and printing) must take under a second of CPU, with a table
 * bound (--max-rows) that holds them all. Built without
 * sanitizers, as the reader is. Prints one "ok - " or "not ok - " line.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../parse.h"
#include "../summary.h"

#define RECORDS	1000000
#define PROCS	200000

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	struct ct_summary s = { .t.max = PROCS };	/* --max-rows 200000 */
	struct ct_layout lay;
	struct ct_rec *recs = calloc(RECORDS, sizeof(*recs));
	FILE *null = fopen("/dev/null", "w");
	double t0, secs;
	char l[200];
	int i;

	if (!recs || !null)
		return 1;
	ct_layout_init(&lay);
	for (i = 0; i < RECORDS; i++) {
		unsigned int p = i % PROCS;

		snprintf(l, sizeof(l), "%d.%09d %d %u %u 0x%x %d write anon %s 0x401a2b w%u",
			 5 + i / 100000, i % 1000000000, i % 2, 1000 + p, 1000 + p,
			 0x1000 * (i % 4096), i % 11 ? 4096 : 2097152,
			 ct_result_name[i % COWTRACE_RESULT_NR], p % 5000);
		if (ct_parse_line(&lay, l, strlen(l), &recs[i]) != CT_LINE_RECORD) {
			printf("not ok - bench line did not parse: %s\n", l);
			return 1;
		}
	}
	t0 = cpu_seconds();
	for (i = 0; i < RECORDS; i++)
		if (ct_summary_add(&s, &recs[i]))
			return 1;
	ct_summary_print(&s, 0, null);
	secs = cpu_seconds() - t0;
	printf("%s - -s summarizes %d records of %zu processes in %.0f ms of CPU (< 1000)\n",
	       secs < 1.0 && s.t.n == PROCS && s.records == RECORDS ? "ok" : "not ok",
	       RECORDS, s.t.n, secs * 1000);
	ct_summary_free(&s);
	free(recs);
	fclose(null);
	return 0;
}
