// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the counters (table.c) and of -s (summary.c): one
 * "ok - " / "not ok - " line per group of checks.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../summary.h"
#include "check.h"

static void test_summary(void)
{
	struct ct_summary s = { 0 };
	struct ct_rec r;
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	int i;

	for (i = 0; i < 7; i++) {
		r = test_rec(100, "cow", i < 5 ? "copy" : "reuse", 4096);
		ct_summary_add(&s, &r);
	}
	for (i = 0; i < 3; i++) {
		r = test_rec(200, "thp", i ? "split" : "copy", i ? 2097152 : 4096);
		ct_summary_add(&s, &r);
	}
	r = test_rec(100, "cowx", "copy", 1073741824);	/* same TGID, new comm */
	ct_summary_add(&s, &r);
	r = test_rec(150, "z", "zero", 4096);
	ct_summary_add(&s, &r);
	r = test_rec(140, "z", "zero", 4096);
	ct_summary_add(&s, &r);
	CHECK(s.t.n == 5 && s.records == 13, "summary counts processes: %zu", s.t.n);
	f = open_memstream(&out, &len);
	ct_summary_print(&s, 9, f);
	fclose(f);
	CHECK(s.t.ent[0].tgid == 100 && !strcmp(s.t.ent[0].comm, "cowx") &&
	      s.t.ent[0].bytes[COWTRACE_RESULT_COPY] == 1073741824, "largest bytes copied first");
	CHECK(s.t.ent[1].tgid == 100 && s.t.ent[1].records[COWTRACE_RESULT_COPY] == 5 &&
	      s.t.ent[1].records[COWTRACE_RESULT_REUSE] == 2 &&
	      s.t.ent[1].bytes[COWTRACE_RESULT_COPY] == 5 * 4096, "then cow: 5 copy, 2 reuse");
	CHECK(s.t.ent[2].tgid == 200 && s.t.ent[2].records[COWTRACE_RESULT_SPLIT] == 2 &&
	      s.t.ent[2].bytes[COWTRACE_RESULT_COPY] == 4096, "split bytes are not copied bytes");
	CHECK(s.t.ent[3].tgid == 140 && s.t.ent[4].tgid == 150, "ties: records, then TGID");
	CHECK(out && strstr(out, "TGID     COMM                 COPY     ZERO    REUSE   NOTIFY    SPLIT     FAIL   BYTES_COPIED\n") &&
	      strstr(out, "\n100      cow                     5        0        2        0        0        0          20480\n") &&
	      strstr(out, "\n13 records, 9 lost\n"), "printed table:\n%s", out);
	/* The table still finds its keys after the sort. */
	CHECK(ct_table_get(&s.t, 200, "thp", 3, false) == &s.t.ent[2], "lookup after sort");
	free(out);
	ct_summary_free(&s);
	group("-s: a row per process, counts per RESULT, bytes copied, sorted");
}

static void test_table(void)
{
	struct ct_table t = { .max = 200001 };
	struct ct_count *c;
	struct ct_rec r;
	char comm[16];
	int i, bad = 0;

	/* 200,000 keys: growth, probing and lookups stay right. */
	for (i = 0; i < 200000; i++) {
		snprintf(comm, sizeof(comm), "p%d", i % 7);
		c = ct_table_get(&t, (uint32_t)i, comm, strlen(comm), true);
		if (!c)
			bad++;
		else
			c->records[0] += (uint64_t)i;
	}
	CHECK(!bad && t.n == 200000 && 4 * t.n <= 3 * t.nslots, "200000 keys inserted (%zu, %zu slots)", t.n, t.nslots);
	for (i = 0; i < 200000; i++) {
		snprintf(comm, sizeof(comm), "p%d", i % 7);
		c = ct_table_get(&t, (uint32_t)i, comm, strlen(comm), false);
		if (!c || c->records[0] != (uint64_t)i)
			bad++;
	}
	CHECK(!bad, "each found again with its count (%d bad)", bad);
	CHECK(!ct_table_get(&t, 1, "p0", 2, false) && !ct_table_get(&t, 0, "p0x", 3, false),
	      "absent keys are absent");
	CHECK(ct_table_get(&t, 0, "", 0, true) && t.n == 200001 &&
	      ct_table_get(&t, 0, "", 0, false), "the empty comm is a key");
	ct_table_free(&t);
	CHECK(t.max == 200001 && !t.n && !ct_table_get(&t, 0, "", 0, false),
	      "freed: empty, the bound kept");

	c = ct_table_get(&t, 1, "x", 1, true);
	r = test_rec(1, "x", "copy", UINT64_MAX - 1);
	ct_count_add(c, &r);
	ct_count_add(c, &r);
	CHECK(c->bytes[COWTRACE_RESULT_COPY] == UINT64_MAX && c->records[COWTRACE_RESULT_COPY] == 2,
	      "a hostile SIZE saturates, it does not wrap");
	ct_table_free(&t);
	group("hash table of counts");
}

/* Past its bound, a table counts new keys in one row, totals exact. */
static void test_bound(void)
{
	struct ct_summary s = { .t.max = 3 };
	uint64_t records = 0, bytes = 0;
	struct ct_count *c;
	struct ct_rec r;
	char *out = NULL;
	size_t len = 0, i;
	FILE *f;

	for (i = 0; i < 1000; i++) {
		r = test_rec(100 + i % 10, i % 2 ? "odd" : "even", i % 3 ? "copy" : "reuse", 4096 << (i % 4));
		ct_summary_add(&s, &r);
	}
	CHECK(s.t.n == 3 && s.t.cap <= 64 && s.t.nslots <= 128, "3 rows kept (%zu)", s.t.n);
	for (i = 0; i <= s.t.n; i++) {
		c = i < s.t.n ? &s.t.ent[i] : &s.t.other;
		records += ct_count_records(c);
		bytes += c->bytes[COWTRACE_RESULT_COPY];
	}
	/* 1000 records of 10 keys, 666 of them copy, of 4096 << (i % 4) bytes */
	CHECK(records == 1000 && s.records == 1000 && ct_count_records(&s.t.other) == 700 &&
	      bytes == 4096ULL * (166 + 2 * 167 + 4 * 167 + 8 * 166),
	      "totals exact: %llu records, %llu bytes copied, %llu in other",
	      (unsigned long long)records, (unsigned long long)bytes,
	      (unsigned long long)ct_count_records(&s.t.other));
	c = ct_table_get(&s.t, 100, "even", 4, false);
	CHECK(c && ct_count_records(c) == 100, "a key with a row is still counted in it");
	CHECK(ct_table_get(&s.t, 105, "odd", 3, true) == &s.t.other &&
	      !ct_table_get(&s.t, 105, "odd", 3, false), "a key past the bound: other, and no row");
	f = open_memstream(&out, &len);
	ct_summary_print(&s, 0, f);
	fclose(f);
	CHECK(out && strstr(out, "\n-        (other)     ") && strstr(out, "\n1000 records, 0 lost\n") &&
	      strstr(out, "(other)") > strstr(out, "\n102 "), "printed last, as (other):\n%s", out);
	free(out);
	ct_summary_free(&s);
	group("a bounded table: the records of keys past it in one row, (other)");
}

int main(void)
{
	test_summary();
	test_table();
	test_bound();
	return checks_done();
}
