// SPDX-License-Identifier: GPL-2.0
/* Unit tests of user/parse.c: one "ok - " / "not ok - " line per check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../parse.h"

static int fails, passes, group_fails;

/* One "ok - NAME" line for a group of checks, only if none failed. */
static void group(const char *name)
{
	printf("%s - %s\n", fails == group_fails ? "ok" : "not ok", name);
	group_fails = fails;
}

#define CHECK(cond, ...) do {						\
	if (cond) { passes++; } else {					\
		fails++; printf("not ok - ");				\
		printf(__VA_ARGS__); printf("\n");			\
	}								\
} while (0)

static enum ct_line parse(const char *l, struct ct_rec *r)
{
	uint64_t lost;
	uint32_t cpu;

	return ct_parse_line(l, strlen(l), r, &lost, &cpu);
}

static const struct { const char *line; enum ct_line want; } lines[] = {
	{ "12.000345678 0   1234    1234    0x100000000000 write   anon   cow", CT_LINE_RECORD },
	{ "0.000000005 3 1 1 0x0 unshare shared a\\040b", CT_LINE_RECORD },
	{ "18446744073709551615.999999999 4294967295 4294967295 4294967295 0xffffffffffffffff write file \\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377", CT_LINE_RECORD },
	{ "1.000000000 0 1 1 0x1 write anon \\000", CT_LINE_RECORD },
	{ "# cowtrace 0.1.0", CT_LINE_HEADER },
	{ "# taken=1 held=1 missed=0", CT_LINE_HEADER },
	{ "# lost 25 events on cpu 3", CT_LINE_LOST },
	{ "# lost 25 events on cpu", CT_LINE_BAD },
	{ "# lost x events on cpu 3", CT_LINE_BAD },
	{ "", CT_LINE_BAD },
	{ "12.000345678 0 1234 1234 0x100000000000 write anon", CT_LINE_BAD },
	{ "12.000345678 0 1234 1234 0x100000000000 write anon cow extra", CT_LINE_BAD },
	{ " 12.000345678 0 1 1 0x1 write anon cow", CT_LINE_BAD },
	{ "12.00034567 0 1 1 0x1 write anon cow", CT_LINE_BAD },
	{ "12.0003456789 0 1 1 0x1 write anon cow", CT_LINE_BAD },
	{ "12 0 1 1 0x1 write anon cow", CT_LINE_BAD },
	{ "18446744073709551616.000000000 0 1 1 0x1 write anon cow", CT_LINE_BAD },
	{ "1.000000000 4294967296 1 1 0x1 write anon cow", CT_LINE_BAD },
	{ "1.000000000 0 -1 1 0x1 write anon cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x10000000000000000 write anon cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0xABC write anon cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 100 write anon cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x write anon cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 read anon cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 write private cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 write anon a\\40b", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 write anon a\\400", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 write anon a\\", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 write anon a\\000b", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 write anon 0123456789abcdef", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 write anon a\tb", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 write anon caf\xc3\xa9", CT_LINE_BAD },
	{ "1.000000000\t0 1 1 0x1 write anon cow", CT_LINE_BAD },
};

static void test_lines(void)
{
	struct ct_rec r;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		enum ct_line got = parse(lines[i].line, &r);

		CHECK(got == lines[i].want, "line %zu classified %d, want %d: %s",
		      i, got, lines[i].want, lines[i].line);
	}
	printf("# %zu lines\n", i);
	group("parser classifies real and hostile lines");
}

static void test_fields(void)
{
	struct ct_rec r;
	uint64_t lost = 0;
	uint32_t cpu = 0;

	CHECK(parse("12.000345678 1   1234    1200    0x100000000000 write   anon   cow", &r) == CT_LINE_RECORD, "record");
	CHECK(r.sec == 12 && r.nsec == 345678 && r.cpu == 1 && r.pid == 1234 &&
	      r.tgid == 1200 && r.addr == 0x100000000000ULL &&
	      !strcmp(r.kind, "write") && !strcmp(r.map, "anon") &&
	      !strcmp(r.comm, "cow") && r.comm_len == 3, "fields of a record");
	CHECK(ct_parse_line("# lost 25 events on cpu 3", 25, &r, &lost, &cpu) ==
	      CT_LINE_LOST && lost == 25 && cpu == 3, "lost line fields");
	/* Not NUL terminated: the length is what counts. */
	CHECK(ct_parse_line("1.000000000 0 1 1 0x1 write anon cowXYZ", 36, &r,
			    &lost, &cpu) == CT_LINE_RECORD && !strcmp(r.comm, "cow"),
	      "length-bounded parse");
	group("parser fields");
}

static void test_every_byte(void)
{
	char esc[8], line[96], out[16];
	struct ct_rec r;
	size_t len;
	int b, bad = 0;

	for (b = 1; b < 256; b++) {
		if (b > 0x20 && b < 0x7f && b != '\\')
			snprintf(esc, sizeof(esc), "%c", b);
		else
			snprintf(esc, sizeof(esc), "\\%03o", b);
		if (ct_decode_comm(esc, strlen(esc), out, &len) || len != 1 ||
		    (unsigned char)out[0] != b)
			bad++;
		snprintf(line, sizeof(line), "1.000000000 0 1 1 0x1 write anon x%sy", esc);
		if (parse(line, &r) != CT_LINE_RECORD || r.comm_len != 3 ||
		    (unsigned char)r.comm[1] != b)
			bad++;
	}
	CHECK(!bad, "every byte value 1..255 decodes (%d bad)", bad);
	CHECK(!ct_decode_comm("\\000", 4, out, &len) && len == 0, "\\000 is the empty comm");
	group("octal decoder over every byte value");
}

static void test_json(void)
{
	char out[128];

	ct_json_string("a\"b\\c", 5, out, sizeof(out));
	CHECK(!strcmp(out, "a\\\"b\\\\c"), "json quotes: %s", out);
	ct_json_string("\n\x01\x7f", 3, out, sizeof(out));
	CHECK(!strcmp(out, "\\u000a\\u0001\\u007f"), "json controls: %s", out);
	ct_json_string("caf\xc3\xa9", 5, out, sizeof(out));
	CHECK(!strcmp(out, "caf\xc3\xa9"), "json keeps valid UTF-8: %s", out);
	ct_json_string("\xff\xc3", 2, out, sizeof(out));
	CHECK(!strcmp(out, "\\u00ff\\u00c3"), "json: invalid UTF-8 as \\u00XX: %s", out);
	ct_json_string("\xed\xa0\x80", 3, out, sizeof(out));
	CHECK(!strcmp(out, "\\u00ed\\u00a0\\u0080"), "json: surrogates are not UTF-8: %s", out);
	ct_json_string("\xe0\x80\xaf", 3, out, sizeof(out));
	CHECK(!strcmp(out, "\\u00e0\\u0080\\u00af"), "json: overlong forms are not UTF-8: %s", out);
	CHECK(ct_json_string("abcdef", 6, out, 4) == 3 && !strcmp(out, "abc"), "json truncates safely");
	group("JSON string escaping");
}

static void test_csv(void)
{
	char out[64];

	ct_csv_field("cow", 3, out, sizeof(out));
	CHECK(!strcmp(out, "cow"), "csv plain");
	ct_csv_field("a,b", 3, out, sizeof(out));
	CHECK(!strcmp(out, "\"a,b\""), "csv comma: %s", out);
	ct_csv_field("a\"b", 3, out, sizeof(out));
	CHECK(!strcmp(out, "\"a\"\"b\""), "csv quote: %s", out);
	ct_csv_field("a\nb", 3, out, sizeof(out));
	CHECK(!strcmp(out, "\"a\nb\""), "csv newline: %s", out);
	CHECK(ct_csv_field("abc", 3, out, 5) == 0, "csv refuses a short buffer");
	group("CSV field quoting");
}

static void test_summary(void)
{
	struct ct_summary s = { 0 };
	struct ct_rec r = { 0 };
	int i;

	for (i = 0; i < 10; i++) {
		r.tgid = i < 7 ? 100 : 200;
		strcpy(r.comm, "cow");
		r.comm_len = 3;
		ct_summary_add(&s, &r);
	}
	r.tgid = 100;
	strcpy(r.comm, "cowx");
	r.comm_len = 4;
	ct_summary_add(&s, &r);
	ct_summary_sort(&s);
	CHECK(s.n == 3 && s.records == 11, "summary counts processes");
	CHECK(s.procs[0].tgid == 100 && s.procs[0].count == 7 &&
	      !strcmp(s.procs[0].comm, "cow"), "summary: largest first");
	CHECK(s.procs[1].tgid == 200 && s.procs[1].count == 3, "summary: second");
	CHECK(s.procs[2].count == 1 && !strcmp(s.procs[2].comm, "cowx"), "summary: by comm too");
	ct_summary_free(&s);
	group("summary table");
}

int main(void)
{
	test_lines();
	test_fields();
	test_every_byte();
	test_json();
	test_csv();
	test_summary();
	printf("# %d checks passed, %d failed\n", passes, fails);
	return fails ? 1 : 0;
}
