// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the binary decoder (raw.c) and of the text the reader
 * writes for a record read in binary (ct_format_text): one "ok - " /
 * "not ok - " line per group of checks. Headers and items are built from
 * the uapi structs.
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format.h"
#include "../raw.h"
#include "check.h"

#define NCPU 4

/* A header and its taken[], as the module writes them. */
static struct {
	struct cowtrace_raw_header h;
	__u64 taken[NCPU];
	char more[64];		/* room for a header that grew */
} hb;

static void good_header(void)
{
	memset(&hb, 0, sizeof(hb));
	hb.h.magic = COWTRACE_RAW_MAGIC;
	hb.h.version = COWTRACE_RAW_VERSION;
	hb.h.record_size = sizeof(struct cowtrace_record);
	hb.h.header_size = sizeof(hb.h) + sizeof(hb.taken);
	hb.h.nr_cpus = NCPU;
	hb.h.missed = 12345678901ULL;
}

static long header(size_t n, struct ct_raw *h, char *why)
{
	strcpy(why, "");
	return ct_raw_header(&hb, n, h, why, 256);
}

static void test_header(void)
{
	size_t full = sizeof(hb.h) + sizeof(hb.taken), n;
	struct ct_raw h;
	char why[256];
	long r;

	good_header();
	r = header(full, &h, why);
	CHECK(r == 0 && h.version == COWTRACE_RAW_VERSION && h.record_size == 64 &&
	      h.header_size == full && h.missed == 12345678901ULL,
	      "a good header: %ld %s", r, why);
	for (n = 0; n < full; n++) {
		r = header(n, &h, why);
		if (n < sizeof(hb.h))
			CHECK(r == (long)sizeof(hb.h), "%zu bytes: needs the fixed part (%ld)", n, r);
		else
			CHECK(r == (long)full, "%zu bytes: needs taken[] too (%ld)", n, r);
	}
	/* Appended to the header and to the record: skipped. */
	hb.h.header_size = full + 40;
	hb.h.record_size = 80;
	r = header(full + 40, &h, why);
	CHECK(r == 0 && h.header_size == full + 40 && h.record_size == 80,
	      "a larger header and record are read: %ld %s", r, why);
	CHECK(header(full, &h, why) == (long)full + 40, "and the larger header is waited for");
	good_header();
	hb.h.magic = 0x6f636e74;
	CHECK(header(4, &h, why) < 0 && strstr(why, "magic"), "bad magic, known from 4 bytes: %s", why);
	good_header();
	hb.h.version = COWTRACE_RAW_VERSION + 1;
	CHECK(header(6, &h, why) < 0 && strstr(why, "version 3"), "version 3, known from 6 bytes: %s", why);
	hb.h.version = 0;
	CHECK(header(full, &h, why) < 0 && strstr(why, "version 0"), "version 0: %s", why);
	good_header();
	hb.h.record_size = 63;
	CHECK(header(full, &h, why) < 0 && strstr(why, "record size 63"), "record size 63: %s", why);
	hb.h.record_size = 0;
	CHECK(header(full, &h, why) < 0 && strstr(why, "record size 0"), "record size 0: %s", why);
	good_header();
	hb.h.header_size = full - 1;
	CHECK(header(full, &h, why) < 0 && strstr(why, "header size"), "header size one short of taken[]: %s", why);
	hb.h.header_size = 0;
	CHECK(header(full, &h, why) < 0 && strstr(why, "header size"), "header size 0: %s", why);
	hb.h.header_size = 0xffffffff;
	CHECK(header(full, &h, why) < 0 && strstr(why, "header size"), "header size 4 GiB: %s", why);
	hb.h.nr_cpus = 0xffffffff;
	CHECK(header(full, &h, why) < 0 && strstr(why, "header size"), "2^32 - 1 CPUs: %s", why);
	hb.h.nr_cpus = CT_RAW_CPUS_MAX;
	hb.h.header_size = CT_RAW_HEADER_MAX;
	CHECK(header(full, &h, why) == (long)CT_RAW_HEADER_MAX, "the most CPUs: the header is waited for");
	group("raw header: checked as far as the bytes go, each fault refused with its reason");
}

static struct cowtrace_record good_rec(void)
{
	struct cowtrace_record rec = {
		.stamp = COWTRACE_RAW_RECORD, .ts = 12000345678ULL,
		.addr = 0x100000000000ULL, .ip = 0x401a2b, .pid = 1235,
		.tgid = 1234, .cpu = 3, .kind = COWTRACE_KIND_UNSHARE,
		.map = COWTRACE_MAP_SHARED, .result = COWTRACE_RESULT_NOTIFY,
		.shift = 21, .comm = "a b",
	};
	return rec;
}

static void test_item(void)
{
	struct cowtrace_record rec = good_rec();
	char buf[sizeof(rec) + 1];
	struct ct_rec r;
	int i;

	/* At an odd address: the decoder copies, UBSan would see a cast. */
	memcpy(buf + 1, &rec, sizeof(rec));
	CHECK(ct_raw_item(buf + 1, &r) == CT_LINE_RECORD, "a record");
	CHECK(r.sec == 12 && r.nsec == 345678 && r.cpu == 3 && r.pid == 1235 &&
	      r.tgid == 1234 && r.addr == 0x100000000000ULL && r.ip == 0x401a2b &&
	      r.size == 2097152 && r.kind == COWTRACE_KIND_UNSHARE &&
	      r.map == COWTRACE_MAP_SHARED && r.result == COWTRACE_RESULT_NOTIFY &&
	      r.comm_len == 3 && !strcmp(r.comm, "a b"), "every field");
	rec.ts = ~0ULL;
	rec.shift = 63;
	memset(rec.comm, 0, sizeof(rec.comm));
	memcpy(rec.comm, "\377\001xxxxxxxxxxxxx", 15);
	CHECK(ct_raw_item(&rec, &r) == CT_LINE_RECORD && r.sec == 18446744073ULL &&
	      r.nsec == 709551615 && r.size == 1ULL << 63 && r.comm_len == 15 &&
	      !memcmp(r.comm, rec.comm, 16), "the largest values, a comm of 15 bytes");
	memset(rec.comm, 0, sizeof(rec.comm));
	rec.comm[1] = 'z';
	CHECK(ct_raw_item(&rec, &r) == CT_LINE_RECORD && r.comm_len == 0 && !r.comm[0],
	      "an empty comm; bytes after the NUL are not the comm");
	rec = good_rec();
	rec.stamp = COWTRACE_RAW_LOST;
	rec.addr = 1ULL << 40;
	rec.cpu = 7;
	CHECK(ct_raw_item(&rec, &r) == CT_LINE_LOST && r.lost == 1ULL << 40 && r.cpu == 7,
	      "a lost item");
	for (i = 0; i < 9; i++) {
		rec = good_rec();
		switch (i) {
		case 0: rec.stamp = 0; break;
		case 1: rec.stamp = 5; break;
		case 2: rec.stamp = 1ULL << 32 | COWTRACE_RAW_RECORD; break;
		case 3: rec.kind = COWTRACE_KIND_NR; break;
		case 4: rec.map = COWTRACE_MAP_NR; break;
		case 5: rec.result = COWTRACE_RESULT_NR; break;
		case 6: rec.result = 0xff; break;
		case 7: rec.shift = 64; break;
		case 8: memset(rec.comm, 'c', sizeof(rec.comm)); break;
		}
		CHECK(ct_raw_item(&rec, &r) == CT_LINE_BAD, "malformed item %d", i);
	}
	group("raw items: records and lost items decoded, every malformed kind refused");

	/* Version 2: fork and exit items, as their text lines parse. */
	rec = good_rec();
	rec.stamp = COWTRACE_RAW_FORK;
	rec.addr = 4294967295ULL;
	rec.kind = rec.map = rec.result = rec.shift = 0;
	CHECK(ct_raw_item(&rec, &r) == CT_LINE_FORK && r.sec == 12 &&
	      r.nsec == 345678 && r.cpu == 3 && r.pid == 1235 && r.tgid == 1234 &&
	      r.child == 4294967295U && r.comm_len == 3 && !strcmp(r.comm, "a b"),
	      "a fork item");
	{
		struct ct_layout lay;
		struct ct_rec t;
		const char *l = "# fork 12.000345678 3 1235 1234 4294967295 a\\040b";

		ct_layout_init(&lay);
		CHECK(ct_parse_line(&lay, l, strlen(l), &t) == CT_LINE_FORK &&
		      !memcmp(&t, &r, offsetof(struct ct_rec, comm)) &&
		      t.comm_len == r.comm_len && t.child == r.child,
		      "a fork item decodes as its text line parses");
	}
	rec.stamp = COWTRACE_RAW_EXIT;
	rec.addr = 0;
	CHECK(ct_raw_item(&rec, &r) == CT_LINE_EXIT && r.pid == 1234 &&
	      r.tgid == 1234 && r.child == 0 && r.cpu == 3, "an exit item (pid = tgid)");
	rec.addr = 1;
	CHECK(ct_raw_item(&rec, &r) == CT_LINE_BAD, "an exit item with a child");
	rec.stamp = COWTRACE_RAW_FORK;
	rec.addr = 1ULL << 32;
	CHECK(ct_raw_item(&rec, &r) == CT_LINE_BAD, "a fork item whose child is past 32 bits");
	rec.addr = 5;
	memset(rec.comm, 'c', sizeof(rec.comm));
	CHECK(ct_raw_item(&rec, &r) == CT_LINE_BAD, "a fork item whose comm has no NUL");
	group("raw items, version 2: fork and exit items decoded as their lines, bad ones refused");
}

/*
 * The module's text of the records test_text() builds, written out here
 * (from its format, "%llu.%09u %-3u %-7u %-7u 0x%-12llx %-7llu %-7s %-6s
 * %-6s 0x%-12llx %s\n", and SPEC's COMM escape), not made by the code
 * under test.
 */
static const char *const module_text[] = {
	"12.000345678 3   1235    1234    0x100000000000 2097152 unshare shared notify 0x401a2b       a\\040b\n",
	"18446744073.709551615 4294967295 4294967295 4294967295 0xffffffffffffffff 9223372036854775808 unshare shared notify 0xffffffffffffffff \\134\\134\\134\\134\\134\\134\\134\\134\\134\\134\\134\\134\\134\\134\\134\n",
	"0.000000000 0   0       0       0x0            1       unshare shared notify 0x0            \\000\n",
	"12.000345678 1000 10000000 1234    0x1234567890abc 1073741824 unshare shared notify 0x401a2b       a\\040b\n",
	"12.000345678 100 1000000 1000000 0x1234567890ab 4096    write   anon   split  0x401a2b       a\\040b\n",
	"12.000345678 3   1235    1234    0x100000000000 2097152 first   file   reuse  0x401a2b       caf\\303\\251\\011\\012\n",
};

static void test_text(void)
{
	char got[CT_OUT_MAX];
	struct ct_rec r;
	size_t i;

	for (i = 0; i < sizeof(module_text) / sizeof(module_text[0]); i++) {
		struct cowtrace_record rec = good_rec();
		const char *want = module_text[i];
		size_t n;

		switch (i) {
		case 1:
			rec.ts = ~0ULL;
			rec.cpu = rec.pid = rec.tgid = ~0U;
			rec.addr = rec.ip = ~0ULL;
			rec.shift = 63;
			memcpy(rec.comm, "\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\", 15);
			break;
		case 2:
			rec.ts = rec.addr = rec.ip = 0;
			rec.cpu = rec.pid = rec.tgid = 0;
			rec.shift = 0;
			memset(rec.comm, 0, sizeof(rec.comm));
			break;
		case 3:
			rec.cpu = 1000;
			rec.pid = 10000000;
			rec.addr = 0x1234567890abcULL;	/* 13 digits */
			rec.shift = 30;
			break;
		case 4:
			rec.cpu = 100;
			rec.pid = rec.tgid = 1000000;
			rec.addr = 0x1234567890abULL;	/* 12 digits */
			rec.shift = 12;
			rec.kind = COWTRACE_KIND_WRITE;
			rec.map = COWTRACE_MAP_ANON;
			rec.result = COWTRACE_RESULT_SPLIT;
			break;
		case 5:
			rec.kind = COWTRACE_KIND_FIRST;
			rec.map = COWTRACE_MAP_FILE;
			rec.result = COWTRACE_RESULT_REUSE;
			memcpy(rec.comm, "caf\303\251\t\n", 8);
			break;
		}
		ct_raw_item(&rec, &r);
		n = ct_format_text(&r, got, sizeof(got));
		CHECK(n == strlen(want) && !strcmp(got, want), "record %zu:\n#  got %s#  want %s", i, got, want);
	}
	group("text of a binary record: the module's format, byte for byte");
}

int main(void)
{
	test_header();
	test_item();
	test_text();
	return checks_done();
}
