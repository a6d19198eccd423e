// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of cowtrace's logic: the per-CPU rings and cursors, the text
 * format, the parameter parsers, the filter, the classification of CoW
 * decisions and the in-flight table, without a kprobe.
 */

#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "classify.h"
#include "compat.h"
#include "filter.h"
#include "format.h"
#include "inflight.h"
#include "ring.h"

/* Write one record with @ts into @r, as the kprobe handler does. */
static void put(struct cowtrace_ring *r, u64 ts, u64 addr)
{
	struct cowtrace_record *slot;
	u64 seq;

	slot = cowtrace_ring_reserve(r, &seq);
	slot->ts = ts;
	slot->addr = addr;
	slot->pid = 100 + seq;
	slot->tgid = 100;
	slot->cpu = 0;
	slot->kind = COWTRACE_KIND_WRITE;
	slot->map = COWTRACE_MAP_ANON;
	slot->result = COWTRACE_RESULT_COPY;
	slot->shift = PAGE_SHIFT;
	slot->ip = 0x401000;
	memcpy(slot->comm, "cow\0\0\0\0\0\0\0\0\0\0\0\0", TASK_COMM_LEN);
	cowtrace_ring_commit(r, slot, seq);
}

static struct cowtrace_rings *rings(struct kunit *test, unsigned int nr,
				    unsigned int entries)
{
	struct cowtrace_rings *rs = cowtrace_rings_alloc(nr, entries);

	KUNIT_ASSERT_NOT_NULL(test, rs);
	return rs;
}

static void cursor(struct kunit *test, struct cowtrace_cursor *c,
		   struct cowtrace_rings *rs)
{
	KUNIT_ASSERT_EQ(test, cowtrace_cursor_init(c, rs, NULL, GFP_KERNEL), 0);
}

/* --- the rings ------------------------------------------------------- */

static void ring_write_read_back(struct kunit *test)
{
	struct cowtrace_rings *rs = rings(test, 1, 16);
	struct cowtrace_record rec;
	struct cowtrace_cursor c;
	unsigned int cpu;
	u64 lost, i;

	for (i = 0; i < 3; i++)
		put(rs->ring[0], 1000 + i, 0x100000000000ULL + i * 4096);
	cursor(test, &c, rs);
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
				COWTRACE_ITEM_RECORD);
		KUNIT_EXPECT_EQ(test, rec.ts, 1000 + i);
		KUNIT_EXPECT_EQ(test, rec.addr, 0x100000000000ULL + i * 4096);
		KUNIT_EXPECT_EQ(test, rec.pid, 100 + i);
		KUNIT_EXPECT_EQ(test, rec.stamp, i + 1);
		KUNIT_EXPECT_STREQ(test, rec.comm, "cow");
		KUNIT_EXPECT_EQ(test, cpu, 0U);
	}
	KUNIT_EXPECT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
			COWTRACE_ITEM_NONE);
	cowtrace_cursor_destroy(&c);
	cowtrace_rings_free(rs);
}

static void ring_wrap_around(struct kunit *test)
{
	struct cowtrace_rings *rs = rings(test, 1, 16);
	struct cowtrace_record rec;
	struct cowtrace_cursor c;
	unsigned int cpu;
	u64 lost, i, taken, held;

	for (i = 0; i < 40; i++)
		put(rs->ring[0], i, i);
	cowtrace_ring_counts(rs, 0, &taken, &held);
	KUNIT_EXPECT_EQ(test, taken, 40ULL);
	KUNIT_EXPECT_EQ(test, held, 16ULL);
	/* A fresh cursor starts at the oldest held, with nothing lost. */
	cursor(test, &c, rs);
	for (i = 24; i < 40; i++) {
		KUNIT_ASSERT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
				COWTRACE_ITEM_RECORD);
		KUNIT_EXPECT_EQ(test, rec.ts, i);
	}
	KUNIT_EXPECT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
			COWTRACE_ITEM_NONE);
	cowtrace_cursor_destroy(&c);
	cowtrace_rings_free(rs);
}

static void ring_lapped_reader_lost_count(struct kunit *test)
{
	struct cowtrace_rings *rs = rings(test, 1, 16);
	struct cowtrace_record rec;
	struct cowtrace_cursor c;
	unsigned int cpu, n = 0;
	u64 lost, i;

	put(rs->ring[0], 0, 0);
	cursor(test, &c, rs);		/* at seq 0 */
	for (i = 1; i < 41; i++)
		put(rs->ring[0], i, i);	/* 41 taken, 16 held: 25 lost */
	KUNIT_ASSERT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
			COWTRACE_ITEM_LOST);
	KUNIT_EXPECT_EQ(test, lost, 25ULL);
	KUNIT_EXPECT_EQ(test, cpu, 0U);
	while (cowtrace_cursor_next(&c, &rec, &lost, &cpu) == COWTRACE_ITEM_RECORD) {
		KUNIT_EXPECT_EQ(test, rec.ts, 25ULL + n);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 16U);
	cowtrace_cursor_destroy(&c);
	cowtrace_rings_free(rs);
}

static void ring_lost_then_caught_up(struct kunit *test)
{
	struct cowtrace_rings *rs = rings(test, 1, 16);
	struct cowtrace_record rec;
	struct cowtrace_cursor c;
	unsigned int cpu;
	u64 lost, i, total = 0, got = 0;
	enum cowtrace_item it;

	cursor(test, &c, rs);
	/* Read + lost = taken, through three rounds of lapping. */
	for (i = 0; i < 100; i++) {
		put(rs->ring[0], i, i);
		if (i % 37 == 36)
			while ((it = cowtrace_cursor_next(&c, &rec, &lost, &cpu)) !=
			       COWTRACE_ITEM_NONE) {
				if (it == COWTRACE_ITEM_LOST)
					total += lost;
				else
					got++;
			}
	}
	while ((it = cowtrace_cursor_next(&c, &rec, &lost, &cpu)) != COWTRACE_ITEM_NONE) {
		if (it == COWTRACE_ITEM_LOST)
			total += lost;
		else
			got++;
	}
	KUNIT_EXPECT_EQ(test, got + total, 100ULL);
	KUNIT_EXPECT_EQ(test, total, (37ULL - 16) * 2 + (100 - 74 - 16));
	cowtrace_cursor_destroy(&c);
	cowtrace_rings_free(rs);
}

static void ring_copy_rejects_overwritten(struct kunit *test)
{
	struct cowtrace_rings *rs = rings(test, 1, 16);
	struct cowtrace_record rec;
	u64 i;

	for (i = 0; i < 17; i++)
		put(rs->ring[0], i, i);
	KUNIT_EXPECT_FALSE(test, cowtrace_ring_copy(rs->ring[0], 0, &rec));
	KUNIT_EXPECT_TRUE(test, cowtrace_ring_copy(rs->ring[0], 1, &rec));
	KUNIT_EXPECT_EQ(test, rec.ts, 1ULL);
	KUNIT_EXPECT_TRUE(test, cowtrace_ring_copy(rs->ring[0], 16, &rec));
	KUNIT_EXPECT_EQ(test, rec.ts, 16ULL);
	cowtrace_rings_free(rs);
}

static void ring_torn_slot_detected(struct kunit *test)
{
	struct cowtrace_rings *rs = rings(test, 1, 16);
	struct cowtrace_record rec, *slot;
	struct cowtrace_cursor c;
	unsigned int cpu, n = 0;
	u64 lost = 0, seq, i;
	enum cowtrace_item it;

	for (i = 0; i < 16; i++)
		put(rs->ring[0], i, i);
	cursor(test, &c, rs);		/* at seq 0, the slot the writer reuses next */
	/* A writer in the middle of record 16: slot 0 is being overwritten. */
	slot = cowtrace_ring_reserve(rs->ring[0], &seq);
	KUNIT_EXPECT_EQ(test, seq, 16ULL);
	KUNIT_EXPECT_FALSE(test, cowtrace_ring_copy(rs->ring[0], 0, &rec));
	/* A stamp changed under the copy is a torn copy too. */
	KUNIT_EXPECT_TRUE(test, cowtrace_ring_copy(rs->ring[0], 1, &rec));
	rs->ring[0]->slots[1].stamp = 0;
	KUNIT_EXPECT_FALSE(test, cowtrace_ring_copy(rs->ring[0], 1, &rec));
	rs->ring[0]->slots[1].stamp = 2;
	/* The cursor counts record 0 as lost and goes on with record 1. */
	it = cowtrace_cursor_next(&c, &rec, &lost, &cpu);
	KUNIT_EXPECT_EQ(test, it, COWTRACE_ITEM_LOST);
	KUNIT_EXPECT_EQ(test, lost, 1ULL);
	while (cowtrace_cursor_next(&c, &rec, &lost, &cpu) == COWTRACE_ITEM_RECORD) {
		KUNIT_EXPECT_EQ(test, rec.ts, 1ULL + n);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 15U);
	slot->ts = 16;
	cowtrace_ring_commit(rs->ring[0], slot, seq);
	KUNIT_EXPECT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
			COWTRACE_ITEM_RECORD);
	KUNIT_EXPECT_EQ(test, rec.ts, 16ULL);
	cowtrace_cursor_destroy(&c);
	cowtrace_rings_free(rs);
}

static void ring_timestamps_never_go_back(struct kunit *test)
{
	struct cowtrace_rings *rs = rings(test, 1, 16);
	struct cowtrace_record rec;

	put(rs->ring[0], 500, 0);
	put(rs->ring[0], 400, 0);	/* a clock step back on one CPU */
	KUNIT_ASSERT_TRUE(test, cowtrace_ring_copy(rs->ring[0], 1, &rec));
	KUNIT_EXPECT_EQ(test, rec.ts, 500ULL);
	cowtrace_rings_free(rs);
}

static void rings_alloc_checks_entries(struct kunit *test)
{
	struct cowtrace_rings *rs;

	KUNIT_EXPECT_NULL(test, cowtrace_rings_alloc(2, 100));
	KUNIT_EXPECT_NULL(test, cowtrace_rings_alloc(0, 16));
	rs = cowtrace_rings_alloc(3, 32);
	KUNIT_ASSERT_NOT_NULL(test, rs);
	KUNIT_EXPECT_EQ(test, rs->nr, 3U);
	KUNIT_EXPECT_EQ(test, rs->entries, 32U);
	KUNIT_EXPECT_EQ(test, rs->ring[2]->mask, 31U);
	KUNIT_EXPECT_EQ(test, sizeof(struct cowtrace_record), (size_t)64);
	cowtrace_rings_free(rs);
}

static void cursor_merges_by_time(struct kunit *test)
{
	static const u64 ts[3][4] = {
		{ 10, 40, 70, 100 }, { 20, 30, 80, 90 }, { 5, 50, 60, 110 },
	};
	struct cowtrace_rings *rs = rings(test, 3, 16);
	struct cowtrace_record rec;
	struct cowtrace_cursor c;
	unsigned int cpu, i, j, n = 0;
	u64 lost, last = 0;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 4; j++)
			put(rs->ring[i], ts[i][j], i);
	cursor(test, &c, rs);
	while (cowtrace_cursor_next(&c, &rec, &lost, &cpu) == COWTRACE_ITEM_RECORD) {
		KUNIT_EXPECT_GE(test, rec.ts, last);
		KUNIT_EXPECT_EQ(test, rec.addr, (u64)cpu);
		last = rec.ts;
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 12U);
	cowtrace_cursor_destroy(&c);
	cowtrace_rings_free(rs);
}

static void cursor_tie_goes_to_lower_cpu(struct kunit *test)
{
	struct cowtrace_rings *rs = rings(test, 2, 16);
	struct cowtrace_record rec;
	struct cowtrace_cursor c;
	unsigned int cpu;
	u64 lost;

	put(rs->ring[1], 7, 1);
	put(rs->ring[0], 7, 0);
	cursor(test, &c, rs);
	KUNIT_ASSERT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
			COWTRACE_ITEM_RECORD);
	KUNIT_EXPECT_EQ(test, cpu, 0U);
	KUNIT_ASSERT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
			COWTRACE_ITEM_RECORD);
	KUNIT_EXPECT_EQ(test, cpu, 1U);
	cowtrace_cursor_destroy(&c);
	cowtrace_rings_free(rs);
}

static void cursor_lost_line_in_place(struct kunit *test)
{
	struct cowtrace_rings *rs = rings(test, 2, 16);
	struct cowtrace_record rec;
	struct cowtrace_cursor c;
	unsigned int cpu;
	u64 lost, i;

	cursor(test, &c, rs);
	put(rs->ring[0], 1, 0);
	for (i = 0; i < 20; i++)
		put(rs->ring[1], 100 + i, 1);	/* 4 of cpu 1 lost */
	put(rs->ring[0], 200, 0);
	KUNIT_ASSERT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
			COWTRACE_ITEM_RECORD);
	KUNIT_EXPECT_EQ(test, rec.ts, 1ULL);
	KUNIT_ASSERT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
			COWTRACE_ITEM_LOST);
	KUNIT_EXPECT_EQ(test, cpu, 1U);
	KUNIT_EXPECT_EQ(test, lost, 4ULL);
	KUNIT_ASSERT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
			COWTRACE_ITEM_RECORD);
	KUNIT_EXPECT_EQ(test, rec.ts, 104ULL);
	cowtrace_cursor_destroy(&c);
	cowtrace_rings_free(rs);
}

static void cursors_are_independent(struct kunit *test)
{
	struct cowtrace_rings *rs = rings(test, 2, 16);
	struct cowtrace_cursor a, b;
	struct cowtrace_record rec;
	unsigned int cpu, na = 0, nb = 0;
	u64 lost;

	put(rs->ring[0], 1, 0);
	put(rs->ring[1], 2, 0);
	cursor(test, &a, rs);
	cursor(test, &b, rs);
	while (cowtrace_cursor_next(&a, &rec, &lost, &cpu) == COWTRACE_ITEM_RECORD)
		na++;
	put(rs->ring[0], 3, 0);
	while (cowtrace_cursor_next(&b, &rec, &lost, &cpu) == COWTRACE_ITEM_RECORD)
		nb++;
	KUNIT_EXPECT_EQ(test, na, 2U);
	KUNIT_EXPECT_EQ(test, nb, 3U);
	/* Reading never consumed: a goes on with the one b also saw. */
	KUNIT_EXPECT_EQ(test, cowtrace_cursor_next(&a, &rec, &lost, &cpu),
			COWTRACE_ITEM_RECORD);
	KUNIT_EXPECT_EQ(test, rec.ts, 3ULL);
	cowtrace_cursor_destroy(&a);
	cowtrace_cursor_destroy(&b);
	cowtrace_rings_free(rs);
}

static void cursor_pending(struct kunit *test)
{
	struct cowtrace_rings *rs = rings(test, 2, 16);
	struct cowtrace_record rec;
	struct cowtrace_cursor c;
	unsigned int cpu;
	u64 lost, taken[2];

	KUNIT_ASSERT_EQ(test, cowtrace_cursor_init(&c, rs, taken, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, taken[0] + taken[1], 0ULL);
	KUNIT_EXPECT_FALSE(test, cowtrace_cursor_pending(&c));
	put(rs->ring[1], 1, 0);
	KUNIT_EXPECT_TRUE(test, cowtrace_cursor_pending(&c));
	KUNIT_EXPECT_EQ(test, cowtrace_cursor_next(&c, &rec, &lost, &cpu),
			COWTRACE_ITEM_RECORD);
	KUNIT_EXPECT_FALSE(test, cowtrace_cursor_pending(&c));
	cowtrace_cursor_destroy(&c);
	cowtrace_rings_free(rs);
}

/* --- the text format ----------------------------------------------------- */

static void escape_every_byte(struct kunit *test)
{
	char comm[TASK_COMM_LEN] = {}, out[COWTRACE_COMM_ESC_MAX], want[8];
	unsigned int b;

	for (b = 1; b < 256; b++) {
		comm[0] = b;
		if (b > 0x20 && b < 0x7f && b != '\\')
			snprintf(want, sizeof(want), "%c", b);
		else
			snprintf(want, sizeof(want), "\\%03o", b);
		KUNIT_EXPECT_EQ(test, cowtrace_escape_comm(out, comm, sizeof(comm)),
				strlen(want));
		KUNIT_EXPECT_STREQ_MSG(test, out, want, "byte 0x%02x", b);
	}
}

static void escape_mounts_style(struct kunit *test)
{
	char out[COWTRACE_COMM_ESC_MAX];

	cowtrace_escape_comm(out, "a b\\c\td\n", TASK_COMM_LEN);
	KUNIT_EXPECT_STREQ(test, out, "a\\040b\\134c\\011d\\012");
	cowtrace_escape_comm(out, "", TASK_COMM_LEN);
	KUNIT_EXPECT_STREQ(test, out, "\\000");
	/* 15 bytes that all need escaping: the longest field there is. */
	KUNIT_EXPECT_EQ(test, cowtrace_escape_comm(out,
			"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
			TASK_COMM_LEN), (size_t)60);
	/* Not NUL-terminated within len: stops at len. */
	KUNIT_EXPECT_EQ(test, cowtrace_escape_comm(out, "abcdef", 3), (size_t)3);
	KUNIT_EXPECT_STREQ(test, out, "abc");
}

static void format_record_fields(struct kunit *test)
{
	struct cowtrace_record rec = {
		.ts = 12000345678ULL, .addr = 0x100000000000ULL, .pid = 1234,
		.tgid = 1200, .cpu = 3, .kind = COWTRACE_KIND_WRITE,
		.map = COWTRACE_MAP_ANON, .result = COWTRACE_RESULT_COPY,
		.shift = 12, .ip = 0x401a2b, .comm = "cow",
	};
	char buf[COWTRACE_LINE_MAX];
	int n;

	n = cowtrace_format_record(buf, sizeof(buf), &rec);
	KUNIT_EXPECT_EQ(test, n, (int)strlen(buf));
	KUNIT_EXPECT_STREQ(test, buf,
			   "12.000345678 3   1234    1200    0x100000000000 4096    write   anon   copy   0x401a2b       cow\n");
}

static void format_record_kinds_and_maps(struct kunit *test)
{
	struct cowtrace_record rec = {
		.ts = 5, .addr = 0x7f00deadb000ULL, .pid = 1, .tgid = 1,
		.kind = COWTRACE_KIND_UNSHARE, .map = COWTRACE_MAP_SHARED,
		.result = COWTRACE_RESULT_NOTIFY, .shift = 21, .ip = 0,
		.comm = "a b",
	};
	char buf[COWTRACE_LINE_MAX];

	cowtrace_format_record(buf, sizeof(buf), &rec);
	KUNIT_EXPECT_STREQ(test, buf,
			   "0.000000005 0   1       1       0x7f00deadb000 2097152 unshare shared notify 0x0            a\\040b\n");
	rec.kind = COWTRACE_KIND_FIRST;
	rec.map = COWTRACE_MAP_FILE;
	rec.result = COWTRACE_RESULT_FAIL;
	rec.shift = 30;
	rec.addr = 0x1000;
	cowtrace_format_record(buf, sizeof(buf), &rec);
	KUNIT_EXPECT_STREQ(test, buf,
			   "0.000000005 0   1       1       0x1000         1073741824 first   file   fail   0x0            a\\040b\n");
	KUNIT_EXPECT_STREQ(test, cowtrace_kind_name(COWTRACE_KIND_UNSHARE), "unshare");
	KUNIT_EXPECT_STREQ(test, cowtrace_kind_name(COWTRACE_KIND_NR), "?");
	KUNIT_EXPECT_STREQ(test, cowtrace_map_name(COWTRACE_MAP_ANON), "anon");
	KUNIT_EXPECT_STREQ(test, cowtrace_result_name(COWTRACE_RESULT_ZERO), "zero");
	KUNIT_EXPECT_STREQ(test, cowtrace_result_name(COWTRACE_RESULT_SPLIT), "split");
	KUNIT_EXPECT_STREQ(test, cowtrace_result_name(COWTRACE_RESULT_NR), "?");
}

static void format_record_longest_fits(struct kunit *test)
{
	struct cowtrace_record rec = {
		.ts = U64_MAX, .addr = U64_MAX, .pid = U32_MAX, .tgid = U32_MAX,
		.cpu = U32_MAX, .kind = COWTRACE_KIND_UNSHARE,
		.map = COWTRACE_MAP_SHARED, .result = COWTRACE_RESULT_NOTIFY,
		.shift = 63, .ip = U64_MAX,
	};
	char buf[COWTRACE_LINE_MAX + 64];
	int n;

	memset(rec.comm, 0x80, TASK_COMM_LEN - 1);
	n = cowtrace_format_record(buf, sizeof(buf), &rec);
	KUNIT_EXPECT_LT(test, n, COWTRACE_LINE_MAX);
	KUNIT_EXPECT_EQ(test, buf[n - 1], '\n');
}

static void format_lost_line(struct kunit *test)
{
	char buf[COWTRACE_LINE_MAX];

	cowtrace_format_lost(buf, sizeof(buf), 25, 3);
	KUNIT_EXPECT_STREQ(test, buf, "# lost 25 events on cpu 3\n");
}

static void format_header_lines(struct kunit *test)
{
	struct cowtrace_header h = {
		.filter = "a b", .pid = 42, .tree = 1, .entries = 16, .nr = 2, .missed = 7,
		.paths = BIT(COWTRACE_PATH_WP) | BIT(COWTRACE_PATH_FIRST),
		.retried = 5, .raced = 1,
	};
	u64 taken[2] = { 20, 3 };
	size_t size = cowtrace_header_size(2);
	char *buf = kunit_kzalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	cowtrace_format_header(buf, size, &h, taken);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "# filter=a\\040b pid=42 entries=16 cpus=2 tree=1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "# paths=do_wp_page,finish_fault\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "# taken=23 held=19 missed=7 retried=5 raced=1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "# cpu=0 taken=20 held=16\n# cpu=1 taken=3 held=3\n"));
	KUNIT_EXPECT_TRUE(test, str_has_prefix(buf, "# cowtrace "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM\n"));
	h.filter[0] = '\0';
	cowtrace_format_header(buf, size, &h, taken);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "# filter= pid=42 "));
}

/* Edge values: 0, the padding's widths and one more, the maximum. */
static const u64 edge_u64[] = {
	0, 1, 9, 10, 999, 1000, 9999999, 10000000, 0xfff, 0x1000,
	0xffffffffffffULL, 0x1000000000000ULL, 999999999, 1000000000,
	1000000001, 12000345678ULL, U32_MAX, U64_MAX - 1, U64_MAX,
};
static const u32 edge_u32[] = {
	0, 1, 9, 10, 99, 100, 999, 1000, 9999999, 10000000, 4194304,
	U32_MAX,
};
static const u8 edge_u8[] = { 0, 1, 2, 3, 4, 5, 6, 7, 12, 21, 30, 63, 64, 255 };
/* Every escaping class: none, space, backslash, controls, DEL, high bytes. */
static const char *const edge_comm[] = {
	"", "cow", "a b\\c", "\t\n\r", "\x01\x1f\x20\x7f", "\x80\xff",
	"0123456789abcde", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
	"0123456789abcdef",	/* 16 bytes: no NUL in the field */
};

/* Record @i of a table walk: each field steps through its edge values. */
static void edge_record(struct cowtrace_record *rec, unsigned int i)
{
	memset(rec, 0, sizeof(*rec));
	rec->ts = edge_u64[i % ARRAY_SIZE(edge_u64)];
	rec->addr = edge_u64[(i * 7 + 3) % ARRAY_SIZE(edge_u64)];
	rec->ip = edge_u64[(i * 5 + 1) % ARRAY_SIZE(edge_u64)];
	rec->cpu = edge_u32[i % ARRAY_SIZE(edge_u32)];
	rec->pid = edge_u32[(i * 3 + 1) % ARRAY_SIZE(edge_u32)];
	rec->tgid = edge_u32[(i * 5 + 2) % ARRAY_SIZE(edge_u32)];
	rec->kind = edge_u8[i % ARRAY_SIZE(edge_u8)];
	rec->map = edge_u8[(i * 3 + 2) % ARRAY_SIZE(edge_u8)];
	rec->result = edge_u8[(i * 5 + 4) % ARRAY_SIZE(edge_u8)];
	rec->shift = edge_u8[(i * 11 + 6) % ARRAY_SIZE(edge_u8)];
	memcpy(rec->comm, edge_comm[i % ARRAY_SIZE(edge_comm)],
	       min_t(size_t, sizeof(rec->comm),
		     strlen(edge_comm[i % ARRAY_SIZE(edge_comm)])));
}

/*
 * The reference, independent of the code under test: the format string the
 * hand-written formatter replaced, with the names and the escaped comm of
 * each edge value written out literally (not by the module's tables or its
 * escaping). Escaping is /proc/mounts': octal for a space, a backslash, a
 * control, DEL and a high byte; an empty comm is "\000".
 */
static const char *const ref_kind[] = { "write", "unshare", "first", "fork" };
static const char *const ref_map[] = { "anon", "file", "shared" };
static const char *const ref_result[] = {
	"copy", "zero", "reuse", "notify", "split", "fail",
};
static const char *const ref_comm[] = {
	"\\000", "cow", "a\\040b\\134c", "\\011\\012\\015",
	"\\001\\037\\040\\177", "\\200\\377", "0123456789abcde",
	"\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377",
	"0123456789abcdef",
};

static const char *ref_name(const char *const *names, size_t n, unsigned int v)
{
	return v < n ? names[v] : "?";
}

/* The expected line of edge_record(@rec, @i). */
static int format_reference(char *buf, size_t size,
			    const struct cowtrace_record *rec, unsigned int i)
{
	u32 nsec;
	u64 sec;

	BUILD_BUG_ON(ARRAY_SIZE(ref_comm) != ARRAY_SIZE(edge_comm));
	BUILD_BUG_ON(ARRAY_SIZE(ref_kind) != COWTRACE_KIND_NR);
	BUILD_BUG_ON(ARRAY_SIZE(ref_map) != COWTRACE_MAP_NR);
	BUILD_BUG_ON(ARRAY_SIZE(ref_result) != COWTRACE_RESULT_NR);
	sec = div_u64_rem(rec->ts, NSEC_PER_SEC, &nsec);
	return scnprintf(buf, size,
			 "%llu.%09u %-3u %-7u %-7u 0x%-12llx %-7llu %-7s %-6s %-6s 0x%-12llx %s\n",
			 sec, nsec, rec->cpu, rec->pid, rec->tgid, rec->addr,
			 1ULL << (rec->shift & 63),
			 ref_name(ref_kind, ARRAY_SIZE(ref_kind), rec->kind),
			 ref_name(ref_map, ARRAY_SIZE(ref_map), rec->map),
			 ref_name(ref_result, ARRAY_SIZE(ref_result), rec->result),
			 rec->ip, ref_comm[i % ARRAY_SIZE(ref_comm)]);
}

static void format_record_matches_reference(struct kunit *test)
{
	char got[COWTRACE_LINE_MAX], want[COWTRACE_LINE_MAX];
	struct cowtrace_record rec;
	unsigned int i;
	int n, m;

	/* Every value of every table, in many mixes. */
	for (i = 0; i < ARRAY_SIZE(edge_u64) * ARRAY_SIZE(edge_u8) *
			ARRAY_SIZE(edge_comm); i++) {
		edge_record(&rec, i);
		memset(got, 0x55, sizeof(got));
		n = cowtrace_format_record(got, sizeof(got), &rec);
		m = format_reference(want, sizeof(want), &rec, i);
		KUNIT_EXPECT_EQ_MSG(test, n, m, "record %u", i);
		KUNIT_EXPECT_STREQ_MSG(test, got, want, "record %u", i);
		if (n != m || strcmp(got, want))
			return;
	}
}

static void format_lost_matches_reference(struct kunit *test)
{
	char got[COWTRACE_LINE_MAX], want[COWTRACE_LINE_MAX];
	unsigned int i, j;
	int n, m;

	for (i = 0; i < ARRAY_SIZE(edge_u64); i++)
		for (j = 0; j < ARRAY_SIZE(edge_u32); j++) {
			n = cowtrace_format_lost(got, sizeof(got), edge_u64[i],
						 edge_u32[j]);
			m = scnprintf(want, sizeof(want),
				      "# lost %llu events on cpu %u\n",
				      edge_u64[i], edge_u32[j]);
			KUNIT_EXPECT_EQ(test, n, m);
			KUNIT_EXPECT_STREQ(test, got, want);
		}
}

/* --- the binary format --------------------------------------------------- */

static void raw_header_fields(struct kunit *test)
{
	const struct cowtrace_format *f = &cowtrace_format_raw;
	struct cowtrace_header h = {
		.filter = "a b", .pid = 42, .entries = 16, .nr = 2, .missed = 7,
		.paths = BIT(COWTRACE_PATH_WP) | BIT(COWTRACE_PATH_FIRST),
		.retried = 5, .raced = 1,
	};
	u64 taken[2] = { 20, 3 };
	size_t size = f->header_size(2);
	struct cowtrace_raw_header *rh = kunit_kzalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rh);
	KUNIT_EXPECT_EQ(test, size, sizeof(*rh) + 2 * sizeof(u64));
	KUNIT_EXPECT_EQ(test, f->header((char *)rh, size, &h, taken), (int)size);
	KUNIT_EXPECT_EQ(test, rh->magic, COWTRACE_RAW_MAGIC);
	KUNIT_EXPECT_EQ(test, rh->version, COWTRACE_RAW_VERSION);
	KUNIT_EXPECT_EQ(test, rh->record_size, 64);
	KUNIT_EXPECT_EQ(test, rh->header_size, size);
	KUNIT_EXPECT_EQ(test, rh->nr_cpus, 2);
	KUNIT_EXPECT_EQ(test, rh->entries, 16);
	KUNIT_EXPECT_EQ(test, rh->pid, 42);
	KUNIT_EXPECT_EQ(test, rh->paths, h.paths);
	KUNIT_EXPECT_EQ(test, rh->missed, 7);
	KUNIT_EXPECT_EQ(test, rh->retried, 5);
	KUNIT_EXPECT_EQ(test, rh->raced, 1);
	KUNIT_EXPECT_EQ(test, memcmp(rh->filter, "a b\0\0\0\0\0\0\0\0\0\0\0\0", 16), 0);
	KUNIT_EXPECT_EQ(test, rh->taken[0], 20);
	KUNIT_EXPECT_EQ(test, rh->taken[1], 3);
}

static void raw_record_and_lost_items(struct kunit *test)
{
	const struct cowtrace_format *f = &cowtrace_format_raw;
	struct cowtrace_record rec = {
		.stamp = 77, .ts = 5, .addr = 0x1000, .pid = 9, .cpu = 1,
		.result = COWTRACE_RESULT_ZERO, .shift = 12, .comm = "cow",
	};
	struct cowtrace_record out, want = rec;

	KUNIT_EXPECT_EQ(test, f->item_max, 64);
	KUNIT_EXPECT_TRUE(test, f->whole);
	memset(&out, 0xaa, sizeof(out));
	KUNIT_EXPECT_EQ(test, f->record((char *)&out, sizeof(out), &rec), 64);
	want.stamp = COWTRACE_RAW_RECORD;
	KUNIT_EXPECT_EQ(test, memcmp(&out, &want, sizeof(out)), 0);
	memset(&out, 0xaa, sizeof(out));
	KUNIT_EXPECT_EQ(test, f->lost((char *)&out, sizeof(out), 25, 3), 64);
	memset(&want, 0, sizeof(want));
	want.stamp = COWTRACE_RAW_LOST;
	want.addr = 25;
	want.cpu = 3;
	KUNIT_EXPECT_EQ(test, memcmp(&out, &want, sizeof(out)), 0);
}

/* --- the classification of CoW decisions -------------------------------- */

struct classify_case {
	const char *desc;
	enum cowtrace_path path;
	bool zero, shared;
	struct cowtrace_outcome o;
	unsigned int want;
};

#define R(x)	COWTRACE_RESULT_##x
#define V(x)	COWTRACE_VERDICT_##x
static const struct classify_case classify_cases[] = {
	/* do_wp_page: every row of SPEC's table, and what leaves no record */
	{ "wp: new page installed: copy", COWTRACE_PATH_WP, false, false,
	  { 0, true, false }, R(COPY) },
	{ "wp: 6.1 returns VM_FAULT_WRITE for a copy", COWTRACE_PATH_WP, false, false,
	  { COWTRACE_VM_FAULT_WRITE, true, false }, R(COPY) },
	{ "wp: zero page replaced: zero", COWTRACE_PATH_WP, true, false,
	  { 0, true, false }, R(ZERO) },
	{ "wp: KSM page copied (a copy like any other)", COWTRACE_PATH_WP, false, false,
	  { 0, true, false }, R(COPY) },
	{ "wp: same page, made writable: reuse", COWTRACE_PATH_WP, false, false,
	  { 0, false, true }, R(REUSE) },
	{ "wp: 6.1 returns VM_FAULT_WRITE for a reuse", COWTRACE_PATH_WP, false, false,
	  { COWTRACE_VM_FAULT_WRITE, false, true }, R(REUSE) },
	{ "wp: shared mapping: notify", COWTRACE_PATH_WP, false, true,
	  { 0, false, false }, R(NOTIFY) },
	{ "wp: out of memory: fail", COWTRACE_PATH_WP, false, false,
	  { VM_FAULT_OOM, false, false }, R(FAIL) },
	{ "wp: SIGBUS from page_mkwrite: fail", COWTRACE_PATH_WP, false, true,
	  { VM_FAULT_SIGBUS, false, false }, R(FAIL) },
	{ "wp: hardware poison while copying: fail", COWTRACE_PATH_WP, false, false,
	  { VM_FAULT_HWPOISON, false, false }, R(FAIL) },
	{ "wp: VM_FAULT_RETRY (per-VMA lock, uffd-wp): no record", COWTRACE_PATH_WP,
	  false, false, { VM_FAULT_RETRY, false, false }, V(RETRY) },
	{ "wp: RETRY wins over a set installed", COWTRACE_PATH_WP, true, false,
	  { VM_FAULT_RETRY, true, false }, V(RETRY) },
	{ "wp: another thread changed the PTE: no record", COWTRACE_PATH_WP, false,
	  false, { 0, false, false }, V(RACE) },
	{ "wp: shared, page_mkwrite found the PTE changed: no record",
	  COWTRACE_PATH_WP, false, true, { VM_FAULT_NOPAGE, false, false }, V(RACE) },
	/* what the exit looks at when the return value cannot tell */
	{ "wp: another page there now: lost the race, no record", COWTRACE_PATH_WP,
	  false, false, { .pte = COWTRACE_PTE_OTHER }, V(RACE) },
	{ "wp: no page there now (reclaimed, migrating): not known, no record",
	  COWTRACE_PATH_WP, false, false, { .pte = COWTRACE_PTE_GONE }, V(RACE) },
	{ "wp: before 6.2 VM_FAULT_WRITE is a reuse whatever maps it now",
	  COWTRACE_PATH_WP, false, false,
	  { .ret = COWTRACE_VM_FAULT_WRITE, .pte = COWTRACE_PTE_GONE },
	  COWTRACE_VM_FAULT_WRITE ? R(REUSE) : V(RACE) },
	{ "wp: unshare of an exclusive anonymous page: reuse", COWTRACE_PATH_WP,
	  false, false, { .pte = COWTRACE_PTE_SAME, .unshare = true }, R(REUSE) },
	{ "wp: unshare of a page that is not anonymous: 6.1 does nothing",
	  COWTRACE_PATH_WP, false, false,
	  { .pte = COWTRACE_PTE_SAME, .unshare = true, .not_anon = true },
	  COWTRACE_VM_FAULT_WRITE ? V(NONE) : R(REUSE) },
	{ "wp: unshare copied (6.2+ copies a page that is not anonymous)",
	  COWTRACE_PATH_WP, false, false,
	  { .installed = true, .unshare = true, .not_anon = true }, R(COPY) },
	{ "wp: shared, made writable then RETRY to throttle dirtying (< 5.19)",
	  COWTRACE_PATH_WP, false, true,
	  { .ret = VM_FAULT_RETRY | COWTRACE_VM_FAULT_WRITE },
	  COWTRACE_VM_FAULT_WRITE ? R(NOTIFY) : V(RETRY) },
	{ "wp: shared, RETRY before the PTE was made writable: no record",
	  COWTRACE_PATH_WP, false, true, { .ret = VM_FAULT_RETRY }, V(RETRY) },
	{ "wp: private RETRY with VM_FAULT_WRITE is still a retry", COWTRACE_PATH_WP,
	  false, false, { .ret = VM_FAULT_RETRY | COWTRACE_VM_FAULT_WRITE }, V(RETRY) },
	/* THP */
	{ "thp: PMD made writable: reuse", COWTRACE_PATH_THP, false, false,
	  { 0, false, false }, R(REUSE) },
	{ "thp: shared folio: split, the write falls back to 4 KiB",
	  COWTRACE_PATH_THP, false, false, { VM_FAULT_FALLBACK, false, false }, R(SPLIT) },
	{ "thp: huge zero page replaced by a new THP: zero", COWTRACE_PATH_THP, false,
	  false, { 0, true, false }, R(ZERO) },
	{ "thp: RETRY: no record", COWTRACE_PATH_THP, false, false,
	  { VM_FAULT_RETRY, false, false }, V(RETRY) },
	{ "thp: OOM: fail", COWTRACE_PATH_THP, false, false,
	  { VM_FAULT_OOM, false, false }, R(FAIL) },
	/* hugetlb */
	{ "hugetlb: new huge page installed: copy", COWTRACE_PATH_HUGETLB, false, false,
	  { 0, true, false }, R(COPY) },
	{ "hugetlb: sole owner: reuse", COWTRACE_PATH_HUGETLB, false, false,
	  { 0, false, false }, R(REUSE) },
	{ "hugetlb: no huge page left: fail", COWTRACE_PATH_HUGETLB, false, false,
	  { VM_FAULT_OOM, false, false }, R(FAIL) },
	{ "hugetlb: SIGBUS: fail", COWTRACE_PATH_HUGETLB, false, false,
	  { VM_FAULT_SIGBUS, false, false }, R(FAIL) },
	{ "hugetlb: RETRY (anon_vma under the VMA lock): no record",
	  COWTRACE_PATH_HUGETLB, false, false, { VM_FAULT_RETRY, false, false }, V(RETRY) },
	{ "hugetlb: shared mapping made writable: notify", COWTRACE_PATH_HUGETLB,
	  false, true, { 0 }, R(NOTIFY) },
	{ "hugetlb: a private page's first write: no CoW, no record",
	  COWTRACE_PATH_HUGETLB, false, false, { .fresh = true }, V(NONE) },
	{ "hugetlb: a fresh page copied after all: copy", COWTRACE_PATH_HUGETLB,
	  false, false, { .installed = true, .fresh = true }, R(COPY) },
	/* a private file page first written */
	{ "first: copy installed", COWTRACE_PATH_FIRST, false, false,
	  { 0, false, false }, R(COPY) },
	{ "first: another thread mapped it first: no record", COWTRACE_PATH_FIRST,
	  false, false, { VM_FAULT_NOPAGE, false, false }, V(RACE) },
	{ "first: OOM: fail", COWTRACE_PATH_FIRST, false, false,
	  { VM_FAULT_OOM, false, false }, R(FAIL) },
};
#undef R
#undef V

static void classify_case_desc(const struct classify_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(classify, classify_cases, classify_case_desc);

static void classify_table(struct kunit *test)
{
	const struct classify_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, cowtrace_classify(c->path, c->zero, c->shared, &c->o),
			c->want);
}

static void classify_path_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, cowtrace_path_name(COWTRACE_PATH_WP), "do_wp_page");
	KUNIT_EXPECT_STREQ(test, cowtrace_path_name(COWTRACE_PATH_THP),
			   "do_huge_pmd_wp_page");
	KUNIT_EXPECT_STREQ(test, cowtrace_path_name(COWTRACE_PATH_FIRST), "finish_fault");
	KUNIT_EXPECT_STREQ(test, cowtrace_path_name(COWTRACE_PATH_HUGETLB), "hugetlb_fault");
	KUNIT_EXPECT_STREQ(test, cowtrace_path_name(COWTRACE_PATH_NR), "?");
}

/* --- the in-flight table --------------------------------------------------- */

/* Fake tasks: only their addresses are used, as keys. */
static struct task_struct *fake_task(unsigned long i)
{
	return (struct task_struct *)(PAGE_OFFSET + i * 4096);
}

static void inflight_mark_reaches_only_its_task(struct kunit *test)
{
	struct cowtrace_inflight *t = cowtrace_inflight_alloc(4);
	int a, b;

	KUNIT_ASSERT_NOT_NULL(test, t);
	a = cowtrace_inflight_enter(t, fake_task(1));
	b = cowtrace_inflight_enter(t, fake_task(2));
	KUNIT_ASSERT_GE(test, a, 0);
	KUNIT_ASSERT_GE(test, b, 0);
	KUNIT_EXPECT_NE(test, a, b);
	cowtrace_inflight_mark(t, fake_task(2), COWTRACE_MARK_INSTALLED, 0);
	cowtrace_inflight_mark(t, fake_task(3), COWTRACE_MARK_INSTALLED, 0);
	KUNIT_EXPECT_EQ(test, cowtrace_inflight_leave(t, a), 0UL);
	KUNIT_EXPECT_EQ(test, cowtrace_inflight_leave(t, b), COWTRACE_MARK_INSTALLED);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nr), 0);
	/* A slot taken again starts with no mark. */
	b = cowtrace_inflight_enter(t, fake_task(2));
	KUNIT_ASSERT_GE(test, b, 0);
	/* hugetlb: a page installed before the CoW function is not its own */
	cowtrace_inflight_mark(t, fake_task(2), COWTRACE_MARK_INSTALLED, 0);
	cowtrace_inflight_mark(t, fake_task(2), COWTRACE_MARK_HUGETLB_WP,
			       COWTRACE_MARK_INSTALLED);
	KUNIT_EXPECT_EQ(test, cowtrace_inflight_leave(t, b), COWTRACE_MARK_HUGETLB_WP);
	cowtrace_inflight_free(t);
}

static void inflight_full_then_free_again(struct kunit *test)
{
	struct cowtrace_inflight *t = cowtrace_inflight_alloc(4);
	unsigned int n, i, taken = 0;
	int *slots;

	KUNIT_ASSERT_NOT_NULL(test, t);
	n = 1U << t->bits;
	slots = kunit_kcalloc(test, n + 1, sizeof(*slots), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, slots);
	/* More tasks than slots: some find none, none is given a slot twice. */
	for (i = 0; i <= n; i++) {
		slots[i] = cowtrace_inflight_enter(t, fake_task(i + 1));
		taken += slots[i] >= 0;
	}
	KUNIT_EXPECT_LT(test, taken, n + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nr), (int)taken);
	for (i = 0; i <= n; i++)
		if (slots[i] >= 0) {
			cowtrace_inflight_mark(t, fake_task(i + 1),
					       COWTRACE_MARK_INSTALLED, 0);
			KUNIT_EXPECT_EQ(test, cowtrace_inflight_leave(t, slots[i]),
					COWTRACE_MARK_INSTALLED);
		}
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nr), 0);
	KUNIT_EXPECT_GE(test, cowtrace_inflight_enter(t, fake_task(1)), 0);
	cowtrace_inflight_free(t);
}

/*
 * A slot left behind by a task that never returned from its path (an oops)
 * is taken over by the next task at that address, not left to turn its
 * faults into races: same slot, marks cleared, counted once.
 */
static void inflight_leaked_slot_taken_over(struct kunit *test)
{
	struct cowtrace_inflight *t = cowtrace_inflight_alloc(4);
	int leaked, again, other;

	KUNIT_ASSERT_NOT_NULL(test, t);
	other = cowtrace_inflight_enter(t, fake_task(2));
	leaked = cowtrace_inflight_enter(t, fake_task(1));
	KUNIT_ASSERT_GE(test, leaked, 0);
	cowtrace_inflight_mark(t, fake_task(1), COWTRACE_MARK_INSTALLED, 0);
	/* No leave: the same task pointer enters again. */
	again = cowtrace_inflight_enter(t, fake_task(1));
	KUNIT_EXPECT_EQ(test, again, leaked);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nr), 2);
	KUNIT_EXPECT_EQ(test, cowtrace_inflight_leave(t, again), 0UL);
	KUNIT_EXPECT_EQ(test, cowtrace_inflight_leave(t, other), 0UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->nr), 0);
	KUNIT_EXPECT_NULL(test, cowtrace_inflight_find(t, fake_task(1)));
	cowtrace_inflight_free(t);
}

/* --- the parameters -------------------------------------------------------- */

struct parse_case {
	const char *in;
	int ret;
	const char *comm;	/* comm: the value parsed */
	long long num;		/* pid and entries: the value parsed */
};

static const struct parse_case comm_cases[] = {
	{ "", 0, "" }, { "\n", 0, "" }, { "cow", 0, "cow" }, { "cow\n", 0, "cow" },
	{ "a b\\c", 0, "a b\\c" }, { "0123456789abcde", 0, "0123456789abcde" },
	{ "0123456789abcde\n", 0, "0123456789abcde" },
	{ "0123456789abcdef", -EINVAL }, { "a\nb", -EINVAL }, { "cow\n\n", -EINVAL },
	{ "\xff\xfe", 0, "\xff\xfe" },
};

static const struct parse_case pid_cases[] = {
	{ "0", 0, NULL, 0 }, { "1", 0, NULL, 1 }, { "42\n", 0, NULL, 42 },
	{ "4194304", 0, NULL, 4194304 }, { "4194305", -EINVAL }, { "-1", -EINVAL },
	{ "abc", -EINVAL }, { "", -EINVAL }, { "0x10", -EINVAL },
	{ "99999999999", -EINVAL }, { " 5", -EINVAL }, { "5 ", -EINVAL },
};

static const struct parse_case entries_cases[] = {
	{ "16", 0, NULL, 16 }, { "4096", 0, NULL, 4096 }, { "4096\n", 0, NULL, 4096 },
	{ "1048576", 0, NULL, 1048576 }, { "8", -EINVAL }, { "15", -EINVAL },
	{ "17", -EINVAL }, { "4095", -EINVAL }, { "2097152", -EINVAL },
	{ "-16", -EINVAL }, { "0", -EINVAL }, { "abc", -EINVAL }, { "", -EINVAL },
	{ "99999999999999999999", -EINVAL },
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	char esc[COWTRACE_COMM_ESC_MAX];

	cowtrace_escape_comm(esc, c->in, TASK_COMM_LEN);
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"%s", c->in[0] ? esc : "",
		 strlen(c->in) >= TASK_COMM_LEN ? "..." : "");
}

KUNIT_ARRAY_PARAM(comm, comm_cases, parse_case_desc);
KUNIT_ARRAY_PARAM(pid, pid_cases, parse_case_desc);
KUNIT_ARRAY_PARAM(entries, entries_cases, parse_case_desc);

static void parse_comm_table(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	char comm[TASK_COMM_LEN];

	memset(comm, 'x', sizeof(comm));
	KUNIT_EXPECT_EQ(test, cowtrace_parse_comm(c->in, comm), c->ret);
	if (!c->ret) {
		KUNIT_EXPECT_STREQ(test, comm, c->comm);
		/* NUL padded: the handler compares all 16 bytes. */
		KUNIT_EXPECT_TRUE(test, !memchr_inv(comm + strlen(c->comm), 0,
						    TASK_COMM_LEN - strlen(c->comm)));
	}
}

static void parse_pid_table(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	int pid = -7;

	KUNIT_EXPECT_EQ(test, cowtrace_parse_pid(c->in, &pid), c->ret);
	KUNIT_EXPECT_EQ(test, (long long)pid, c->ret ? -7LL : c->num);
}

static void parse_entries_table(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	unsigned int entries = 7;

	KUNIT_EXPECT_EQ(test, cowtrace_parse_entries(c->in, &entries), c->ret);
	KUNIT_EXPECT_EQ(test, (long long)entries, c->ret ? 7LL : c->num);
}

/* --- the filter ---------------------------------------------------------------- */

static void filter_for(struct cowtrace_filter *f, const char *val, int pid)
{
	char comm[TASK_COMM_LEN];

	WARN_ON(cowtrace_parse_comm(val, comm));
	cowtrace_filter_init(f, comm, pid);
}

static bool match(const struct cowtrace_filter *f, const char *name, u32 tgid)
{
	char comm[TASK_COMM_LEN] = {};

	strscpy_pad(comm, name, sizeof(comm));
	return cowtrace_filter_match(f, comm, tgid);
}

static void filter_exact_comm(struct kunit *test)
{
	struct cowtrace_filter f;

	filter_for(&f, "cow", 0);
	KUNIT_EXPECT_TRUE(test, match(&f, "cow", 1));
	KUNIT_EXPECT_FALSE(test, match(&f, "cowx", 1));
	KUNIT_EXPECT_FALSE(test, match(&f, "co", 1));
	KUNIT_EXPECT_FALSE(test, match(&f, "Cow", 1));
	KUNIT_EXPECT_FALSE(test, match(&f, "", 1));
}

static void filter_empty_matches_all(struct kunit *test)
{
	struct cowtrace_filter f;

	filter_for(&f, "", 0);
	KUNIT_EXPECT_TRUE(test, f.any_comm);
	KUNIT_EXPECT_TRUE(test, match(&f, "cow", 1));
	KUNIT_EXPECT_TRUE(test, match(&f, "kworker/0:1", 99));
}

static void filter_fifteen_bytes(struct kunit *test)
{
	struct cowtrace_filter f;

	filter_for(&f, "0123456789abcde", 0);
	KUNIT_EXPECT_TRUE(test, match(&f, "0123456789abcde", 1));
	/* A longer name is truncated to 15 bytes in comm: it matches too. */
	KUNIT_EXPECT_TRUE(test, match(&f, "0123456789abcdefgh", 1));
	KUNIT_EXPECT_FALSE(test, match(&f, "0123456789abcdX", 1));
	KUNIT_EXPECT_FALSE(test, match(&f, "X123456789abcde", 1));
}

static void filter_pid_and_comm(struct kunit *test)
{
	struct cowtrace_filter f;

	filter_for(&f, "", 42);
	KUNIT_EXPECT_TRUE(test, match(&f, "anything", 42));
	KUNIT_EXPECT_FALSE(test, match(&f, "anything", 43));
	filter_for(&f, "cow", 42);
	KUNIT_EXPECT_TRUE(test, match(&f, "cow", 42));
	KUNIT_EXPECT_FALSE(test, match(&f, "cow", 43));
	KUNIT_EXPECT_FALSE(test, match(&f, "cowx", 42));
}

static bool match_raw(const struct cowtrace_filter *f, const char *raw)
{
	char comm[TASK_COMM_LEN];

	memcpy(comm, raw, TASK_COMM_LEN);
	return cowtrace_filter_match(f, comm, 1);
}

/* 5.10's strlcpy leaves an older comm's bytes after the NUL. */
static void filter_stale_bytes_after_nul(struct kunit *test)
{
	struct cowtrace_filter f;

	filter_for(&f, "cow", 0);
	KUNIT_EXPECT_TRUE(test, match_raw(&f, "cow\0\0er/0\0\0\0\0\0\0\0"));
	KUNIT_EXPECT_FALSE(test, match_raw(&f, "cowx\0er/0\0\0\0\0\0\0\0"));
	filter_for(&f, "kworker", 0);
	KUNIT_EXPECT_TRUE(test, match_raw(&f, "kworker\0/0:1H\0\0\0"));
	filter_for(&f, "0123456789", 0);
	KUNIT_EXPECT_TRUE(test, match_raw(&f, "0123456789\0xyzw\0"));
	KUNIT_EXPECT_FALSE(test, match_raw(&f, "012345678\0xyzw\0\0"));
}

static void filter_run_time_swap(struct kunit *test)
{
	const struct cowtrace_filter *f, *first;
	char comm[TASK_COMM_LEN];

	KUNIT_ASSERT_EQ(test, cowtrace_parse_comm("cow", comm), 0);
	cowtrace_filter_publish(comm, 0, false);
	rcu_read_lock();
	first = rcu_dereference(cowtrace_filter_active);
	KUNIT_EXPECT_TRUE(test, match(first, "cow", 5));
	rcu_read_unlock();

	KUNIT_ASSERT_EQ(test, cowtrace_parse_comm("cowx", comm), 0);
	cowtrace_filter_publish(comm, 5, false);
	rcu_read_lock();
	f = rcu_dereference(cowtrace_filter_active);
	/* The new filter is in the other slot, the old one left alone. */
	KUNIT_EXPECT_PTR_NE(test, f, first);
	KUNIT_EXPECT_TRUE(test, match(f, "cowx", 5));
	KUNIT_EXPECT_FALSE(test, match(f, "cow", 5));
	KUNIT_EXPECT_FALSE(test, match(f, "cowx", 6));
	rcu_read_unlock();

	cowtrace_filter_publish("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 0, false);
	rcu_read_lock();
	f = rcu_dereference(cowtrace_filter_active);
	KUNIT_EXPECT_PTR_EQ(test, f, first);
	KUNIT_EXPECT_TRUE(test, match(f, "anything", 9));
	rcu_read_unlock();
}

/* --- the tree of pid= (tree=1) --------------------------------------------- */

/* A TGID no task has: the fill from the task list adds nothing to it. */
#define TREE_ROOT	0x7ffffff0U

/*
 * One history of forks and exits under TREE_ROOT and the members it leaves,
 * worked out by hand: a member's child is a member, whenever it forked and
 * whatever happened to its parent since; an exited TGID is none (and a new
 * process that reuses it is not one unless forked by a member).
 */
struct tree_case {
	const char *name;
	struct { char op; u32 a, b; } ev[8];	/* 'f' a forks b, 'x' a exits */
	u32 in[6], out[6];			/* 0 ends a list */
};

static const struct tree_case tree_cases[] = {
	{ "children and grandchildren of the root",
	  { { 'f', TREE_ROOT, 10 }, { 'f', 10, 11 }, { 'f', 11, 12 } },
	  { TREE_ROOT, 10, 11, 12 }, { 9, 13 } },
	{ "a sibling tree stays out",
	  { { 'f', TREE_ROOT, 10 }, { 'f', 20, 21 }, { 'f', 21, 22 } },
	  { 10 }, { 20, 21, 22 } },
	{ "a grandchild whose parent exited (reparented) stays in",
	  { { 'f', TREE_ROOT, 10 }, { 'f', 10, 11 }, { 'x', 10 }, { 'f', 11, 12 } },
	  { 11, 12 }, { 10 } },
	{ "a reused TGID is not a member by its number",
	  { { 'f', TREE_ROOT, 10 }, { 'x', 10 }, { 'f', 30, 10 } },
	  { TREE_ROOT }, { 10, 30 } },
	{ "a TGID reused by a member's fork is one again",
	  { { 'f', TREE_ROOT, 10 }, { 'x', 10 }, { 'f', TREE_ROOT, 10 } },
	  { 10 }, { 11 } },
	{ "forks before the root's are not in",
	  { { 'f', 5, 6 }, { 'f', TREE_ROOT, 7 } },
	  { 7 }, { 5, 6 } },
};

static void tree_case_desc(const struct tree_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tree, tree_cases, tree_case_desc);

static void tree_table(struct kunit *test)
{
	const struct tree_case *c = test->param_value;
	struct cowtrace_tree *t = cowtrace_tree_alloc(TREE_ROOT);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	cowtrace_tree_fill(t);
	KUNIT_EXPECT_FALSE(test, t->building);
	for (i = 0; i < ARRAY_SIZE(c->ev) && c->ev[i].op; i++) {
		if (c->ev[i].op == 'f')
			cowtrace_tree_fork(t, c->ev[i].a, c->ev[i].b);
		else
			cowtrace_tree_del(t, c->ev[i].a);
	}
	for (i = 0; i < ARRAY_SIZE(c->in) && c->in[i]; i++)
		KUNIT_EXPECT_TRUE_MSG(test, cowtrace_tree_has(t, c->in[i]),
				      "%u should be in", c->in[i]);
	for (i = 0; i < ARRAY_SIZE(c->out) && c->out[i]; i++)
		KUNIT_EXPECT_FALSE_MSG(test, cowtrace_tree_has(t, c->out[i]),
				       "%u should be out", c->out[i]);
	KUNIT_EXPECT_FALSE(test, t->overflow);
	cowtrace_tree_free(t);
}

/*
 * A full set answers by the ancestry walk: with the root the KUnit
 * thread's parent (kthreadd), a TGID not in the set is found through
 * current's real_parent once the set overflowed, and not before.
 */
static void tree_overflow_walks_ancestry(struct kunit *test)
{
	struct cowtrace_tree *t;
	u32 parent, tgid, n = 0;

	rcu_read_lock();
	parent = rcu_dereference(current->real_parent)->tgid;
	rcu_read_unlock();
	t = cowtrace_tree_alloc(parent);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->building = false;
	KUNIT_EXPECT_FALSE(test, cowtrace_tree_has(t, 0x7fff0001));
	for (tgid = 0x10000; tgid < 0x10000 + (2U << COWTRACE_TREE_BITS); tgid++)
		n += cowtrace_tree_add(t, tgid);
	KUNIT_EXPECT_TRUE(test, t->overflow);
	KUNIT_EXPECT_LE(test, n, 1U << COWTRACE_TREE_BITS);
	KUNIT_EXPECT_GT(test, n, 1U << (COWTRACE_TREE_BITS - 1));
	KUNIT_EXPECT_TRUE(test, cowtrace_tree_has(t, 0x7fff0001));
	/* The walk from current says no for a root it does not descend from. */
	t->root = TREE_ROOT;
	KUNIT_EXPECT_FALSE(test, cowtrace_tree_has(t, 0x7fff0001));
	cowtrace_tree_free(t);
}

/* The filter takes the tree's members in, and nothing else of pid=. */
static void filter_tree(struct kunit *test)
{
	struct cowtrace_filter f;

	filter_for(&f, "", TREE_ROOT);
	f.tree = cowtrace_tree_alloc(TREE_ROOT);
	KUNIT_ASSERT_NOT_NULL(test, f.tree);
	cowtrace_tree_fill(f.tree);
	cowtrace_tree_fork(f.tree, TREE_ROOT, 10);
	KUNIT_EXPECT_TRUE(test, match(&f, "any", TREE_ROOT));
	KUNIT_EXPECT_TRUE(test, match(&f, "any", 10));
	KUNIT_EXPECT_FALSE(test, match(&f, "any", 11));
	cowtrace_tree_free(f.tree);
	f.tree = NULL;
	KUNIT_EXPECT_FALSE(test, match(&f, "any", 10));
}

static const struct { const char *in; int ret; bool on; } bool_cases[] = {
	{ "0", 0, false }, { "1", 0, true }, { "y", 0, true }, { "N", 0, false },
	{ "1\n", 0, true }, { "on", -EINVAL }, { "yes", -EINVAL }, { "", -EINVAL },
	{ "2", -EINVAL }, { "1\n\n", -EINVAL },
};

static void parse_bool_table(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bool_cases); i++) {
		bool on = !bool_cases[i].on;

		KUNIT_EXPECT_EQ_MSG(test, cowtrace_parse_bool(bool_cases[i].in, &on),
				    bool_cases[i].ret, "tree=%s", bool_cases[i].in);
		if (!bool_cases[i].ret)
			KUNIT_EXPECT_EQ(test, on, bool_cases[i].on);
	}
}

/* The event lines, literal: what SPEC 0.3 says a fork and an exit are. */
static void format_event_lines(struct kunit *test)
{
	struct cowtrace_record rec = {
		.ts = 12000345678ULL, .cpu = 1, .pid = 149, .tgid = 148,
		.addr = 150, .kind = COWTRACE_EVENT_FORK, .comm = "a b",
	};
	char buf[COWTRACE_LINE_MAX];

	cowtrace_format_record(buf, sizeof(buf), &rec);
	KUNIT_EXPECT_STREQ(test, buf, "# fork 12.000345678 1 149 148 150 a\\040b\n");
	rec.kind = COWTRACE_EVENT_EXIT;
	rec.addr = 0;
	cowtrace_format_record(buf, sizeof(buf), &rec);
	KUNIT_EXPECT_STREQ(test, buf, "# exit 12.000345678 1 148 a\\040b\n");
	KUNIT_EXPECT_EQ(test, cowtrace_format_raw.record(buf, sizeof(buf), &rec),
			(int)sizeof(rec));
	KUNIT_EXPECT_EQ(test, ((struct cowtrace_record *)buf)->stamp,
			(u64)COWTRACE_RAW_EXIT);
	rec.kind = COWTRACE_EVENT_FORK;
	cowtrace_format_raw.record(buf, sizeof(buf), &rec);
	KUNIT_EXPECT_EQ(test, ((struct cowtrace_record *)buf)->stamp,
			(u64)COWTRACE_RAW_FORK);
}

static struct kunit_case cowtrace_ring_cases[] = {
	KUNIT_CASE(ring_write_read_back),
	KUNIT_CASE(ring_wrap_around),
	KUNIT_CASE(ring_lapped_reader_lost_count),
	KUNIT_CASE(ring_lost_then_caught_up),
	KUNIT_CASE(ring_copy_rejects_overwritten),
	KUNIT_CASE(ring_torn_slot_detected),
	KUNIT_CASE(ring_timestamps_never_go_back),
	KUNIT_CASE(rings_alloc_checks_entries),
	KUNIT_CASE(cursor_merges_by_time),
	KUNIT_CASE(cursor_tie_goes_to_lower_cpu),
	KUNIT_CASE(cursor_lost_line_in_place),
	KUNIT_CASE(cursors_are_independent),
	KUNIT_CASE(cursor_pending),
	KUNIT_CASE(escape_every_byte),
	KUNIT_CASE(escape_mounts_style),
	KUNIT_CASE(format_record_fields),
	KUNIT_CASE(format_record_kinds_and_maps),
	KUNIT_CASE(format_record_longest_fits),
	KUNIT_CASE(format_lost_line),
	KUNIT_CASE(format_record_matches_reference),
	KUNIT_CASE(format_lost_matches_reference),
	KUNIT_CASE(format_header_lines),
	KUNIT_CASE(raw_header_fields),
	KUNIT_CASE(raw_record_and_lost_items),
	KUNIT_CASE_PARAM(classify_table, classify_gen_params),
	KUNIT_CASE(classify_path_names),
	KUNIT_CASE(inflight_mark_reaches_only_its_task),
	KUNIT_CASE(inflight_full_then_free_again),
	KUNIT_CASE(inflight_leaked_slot_taken_over),
	KUNIT_CASE_PARAM(parse_comm_table, comm_gen_params),
	KUNIT_CASE_PARAM(parse_pid_table, pid_gen_params),
	KUNIT_CASE_PARAM(parse_entries_table, entries_gen_params),
	KUNIT_CASE(filter_exact_comm),
	KUNIT_CASE(filter_empty_matches_all),
	KUNIT_CASE(filter_fifteen_bytes),
	KUNIT_CASE(filter_pid_and_comm),
	KUNIT_CASE(filter_stale_bytes_after_nul),
	KUNIT_CASE(filter_run_time_swap),
	KUNIT_CASE_PARAM(tree_table, tree_gen_params),
	KUNIT_CASE(tree_overflow_walks_ancestry),
	KUNIT_CASE(filter_tree),
	KUNIT_CASE(parse_bool_table),
	KUNIT_CASE(format_event_lines),
	{}
};

static struct kunit_suite cowtrace_test_suite = {
	.name = "cowtrace",
	.test_cases = cowtrace_ring_cases,
};
kunit_test_suite(cowtrace_test_suite);

MODULE_DESCRIPTION("KUnit tests of cowtrace's rings, format, parameters and filter");
MODULE_LICENSE("GPL");
