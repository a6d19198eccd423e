// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the reader's parser, escaping and formatting (parse.c,
 * format.c): one "ok - " / "not ok - " line per group of checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format.h"
#include "../parse.h"
#include "check.h"

/* A line in the 0.2 layout. */
static enum ct_line parse_n(const char *l, size_t n, struct ct_rec *r)
{
	struct ct_layout lay;

	ct_layout_init(&lay);
	return ct_parse_line(&lay, l, n, r);
}

static enum ct_line parse(const char *l, struct ct_rec *r)
{
	return parse_n(l, strlen(l), r);
}

#define REC(comm) "12.000345678 0   1234    1234    0x100000000000 4096    write   anon   copy   0x401a2b " comm

static const struct { const char *line; enum ct_line want; } lines[] = {
	{ REC("cow"), CT_LINE_RECORD },
	{ "0.000000005 3 1 1 0x0 2097152 unshare shared reuse 0x0 a\\040b", CT_LINE_RECORD },
	{ "18446744073709551615.999999999 4294967295 4294967295 4294967295 0xffffffffffffffff 18446744073709551615 first file fail 0xffffffffffffffff \\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377\\377", CT_LINE_RECORD },
	{ "1.000000000 0 1 1 0x1 4096 write anon zero 0x1 \\000", CT_LINE_RECORD },
	{ "1.000000000 0 1 1 0x1 4096 write anon notify 0x1 x   ", CT_LINE_RECORD },
	{ "1.000000000 0 1 1 0x1 1073741824 write file split 0x1 x", CT_LINE_RECORD },
	{ "# cowtrace 0.2.0", CT_LINE_HEADER },
	{ "# taken=1 held=1 missed=0 retried=0", CT_LINE_HEADER },
	{ "# paths=do_wp_page,hugetlb_wp", CT_LINE_HEADER },
	{ "#", CT_LINE_HEADER },
	{ "# TIMESTAMP cpu PID", CT_LINE_HEADER },
	{ "# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM", CT_LINE_COLUMNS },
	{ "# TIMESTAMP CPU PID TGID ADDRESS KIND MAP COMM", CT_LINE_BAD_COLUMNS },
	{ "# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM COMM", CT_LINE_BAD_COLUMNS },
	{ "# lost 25 events on cpu 3", CT_LINE_LOST },
	{ "# fork 12.000345678 1 1235 1234 1240 cow", CT_LINE_FORK },
	{ "# fork   12.000345678   1  1235    1234    1240    a\\040b", CT_LINE_FORK },
	{ "# exit 12.000345678 1 1240 cow", CT_LINE_EXIT },
	{ "# exit 1.000000000 0 1 \\000", CT_LINE_EXIT },
	{ "# fork 12.000345678 1 1235 1234 1240", CT_LINE_BAD },
	{ "# fork 12.000345678 1 1235 1234 1240 cow x", CT_LINE_BAD },
	{ "# fork 12.00034567 1 1235 1234 1240 cow", CT_LINE_BAD },
	{ "# fork 12.000345678 1 1235 1234 4294967296 cow", CT_LINE_BAD },
	{ "# fork 12.000345678 1 1235 1234 -1 cow", CT_LINE_BAD },
	{ "# fork 12.000345678 1 1235 1234 1240 a\\40b", CT_LINE_BAD },
	{ "# fork 12.000345678 1 1235 1234 1240 0123456789abcdef", CT_LINE_BAD },
	{ "# exit 12.000345678 1 1240", CT_LINE_BAD },
	{ "# exit 12.000345678 1 1235 1240 cow", CT_LINE_BAD },
	{ "# exit 12.000345678 x 1240 cow", CT_LINE_BAD },
	{ "# forked 12.000345678 1 1235 1234 1240 cow", CT_LINE_HEADER },
	{ "# exits=3", CT_LINE_HEADER },
	{ "# lost 25 events on cpu", CT_LINE_BAD },
	{ "# lost x events on cpu 3", CT_LINE_BAD },
	{ "# lost 25 events on cpu 3 4", CT_LINE_BAD },
	{ "# lost 25 events in cpu 3", CT_LINE_BAD },
	{ "", CT_LINE_BAD },
	{ "12.000345678 0 1234 1234 0x100000000000 write anon cow", CT_LINE_BAD },
	{ REC("cow extra"), CT_LINE_BAD },
	{ "12.000345678 0 1234 1234 0x100000000000 4096 write anon copy 0x1", CT_LINE_BAD },
	{ " 1.000000000 0 1 1 0x1 4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.00000000 0 1 1 0x1 4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.0000000000 0 1 1 0x1 4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1 0 1 1 0x1 4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "18446744073709551616.000000000 0 1 1 0x1 4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 4294967296 1 1 0x1 4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 -1 1 0x1 4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x10000000000000000 4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0xABC 4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 100 4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x 4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 0x1000 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 -4096 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 18446744073709551616 write anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 4096 read anon copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 4096 write private copy 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 4096 write anon copied 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 4096 write anon COPY 0x1 cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 4096 write anon copy 401a2b cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 4096 write anon copy 0x401A2B cow", CT_LINE_BAD },
	{ "1.000000000 0 1 1 0x1 4096 anon write copy 0x1 cow", CT_LINE_BAD },
	{ REC("a\\40b"), CT_LINE_BAD },
	{ REC("a\\400"), CT_LINE_BAD },
	{ REC("a\\"), CT_LINE_BAD },
	{ REC("a\\000b"), CT_LINE_BAD },
	{ REC("0123456789abcdef"), CT_LINE_BAD },
	{ REC("a\tb"), CT_LINE_BAD },
	{ REC("caf\xc3\xa9"), CT_LINE_BAD },
	{ "1.000000000\t0 1 1 0x1 4096 write anon copy 0x1 cow", CT_LINE_BAD },
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

/* Fork and exit lines: their fields, and the line written back. */
static void test_events(void)
{
	static const struct {
		const char *in, *text;
	} ev[] = {
		{ "# fork   12.000345678 1   1235    1234    1240    a\\040b",
		  "# fork 12.000345678 1 1235 1234 1240 a\\040b\n", },
		{ "# exit 0.000000005 4294967295 4294967295 \\000",
		  "# exit 0.000000005 4294967295 4294967295 \\000\n", },
		{ "# exit 7.100000000 0 9 \\033]0;\\042x",
		  "# exit 7.100000000 0 9 \\033]0;\"x\n", },
	};
	struct ct_rec r;
	char out[CT_OUT_MAX], small[8];
	size_t i, n;

	CHECK(parse("# fork 12.000345678 1 1235 1234 1240 cow", &r) == CT_LINE_FORK &&
	      r.sec == 12 && r.nsec == 345678 && r.cpu == 1 && r.pid == 1235 &&
	      r.tgid == 1234 && r.child == 1240 && r.comm_len == 3 &&
	      !strcmp(r.comm, "cow") && r.size == 0, "fields of a fork line");
	CHECK(parse("# exit 13.5000000000 2 1240 x", &r) == CT_LINE_BAD, "exit, 10 decimals");
	CHECK(parse("# exit 13.500000000 2 1240 tree\\0403", &r) == CT_LINE_EXIT &&
	      r.sec == 13 && r.nsec == 500000000 && r.cpu == 2 && r.pid == 1240 &&
	      r.tgid == 1240 && r.child == 0 && !strcmp(r.comm, "tree 3"),
	      "fields of an exit line (pid = tgid)");
	for (i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
		enum ct_line t = parse(ev[i].in, &r);

		CHECK(t == CT_LINE_FORK || t == CT_LINE_EXIT, "event %zu parses", i);
		n = ct_format_event(t, &r, out, sizeof(out));
		CHECK(n == strlen(ev[i].text) && !strcmp(out, ev[i].text),
		      "event %zu as text: %s", i, out);
		/* What is written parses back to the same event. */
		{
			struct ct_rec b;

			CHECK(parse_n(out, strlen(out) - 1, &b) == t &&
			      b.child == r.child && b.tgid == r.tgid &&
			      b.pid == r.pid && b.comm_len == r.comm_len &&
			      !memcmp(b.comm, r.comm, r.comm_len),
			      "event %zu round trip", i);
		}
	}
	n = ct_format_event(CT_LINE_FORK, &r, small, sizeof(small));
	CHECK(n == 7 && !strcmp(small, "# fork "), "a short buffer is cut: %s", small);
	group("fork and exit lines: parsed, written back as the module writes them");
}

static void test_fields(void)
{
	struct ct_layout lay;
	struct ct_rec r;
	char big[CT_LINE_MAX + 2];

	CHECK(parse("12.000345678 1   1234    1200    0x100000000000 2097152 unshare file   split  0x401a2b cow", &r) == CT_LINE_RECORD, "record");
	CHECK(r.sec == 12 && r.nsec == 345678 && r.cpu == 1 && r.pid == 1234 &&
	      r.tgid == 1200 && r.addr == 0x100000000000ULL && r.size == 2097152 &&
	      r.kind == COWTRACE_KIND_UNSHARE && r.map == COWTRACE_MAP_FILE &&
	      r.result == COWTRACE_RESULT_SPLIT && r.ip == 0x401a2b &&
	      !strcmp(r.comm, "cow") && r.comm_len == 3, "fields of a record");
	CHECK(parse("# lost 25 events on cpu 3", &r) == CT_LINE_LOST &&
	      r.lost == 25 && r.cpu == 3, "lost line fields");
	/* Not NUL terminated: the length is what counts. */
	ct_layout_init(&lay);
	CHECK(ct_parse_line(&lay, "1.000000000 0 1 1 0x1 4096 write anon copy 0x1 cowXYZ",
			    strlen("1.000000000 0 1 1 0x1 4096 write anon copy 0x1 cow"),
			    &r) == CT_LINE_RECORD && !strcmp(r.comm, "cow"),
	      "length-bounded parse");
	/* A line longer than CT_LINE_MAX is malformed, whatever it holds. */
	memset(big, ' ', sizeof(big));
	memcpy(big, REC("cow"), strlen(REC("cow")));
	CHECK(ct_parse_line(&lay, big, CT_LINE_MAX, &r) == CT_LINE_RECORD, "a line of CT_LINE_MAX");
	CHECK(ct_parse_line(&lay, big, CT_LINE_MAX + 1, &r) == CT_LINE_BAD, "a line past CT_LINE_MAX");
	CHECK(ct_parse_line(&lay, "1.000000000 0 1 1 0x1 4096 write anon copy 0x1 c\0w", 50, &r) ==
	      CT_LINE_BAD, "a NUL byte");
	group("parser fields");
}

/* Every name of the shared header's lists parses to its own value. */
static void test_names(void)
{
	char l[160];
	struct ct_rec r;
	int i;

	for (i = 0; i < COWTRACE_KIND_NR; i++) {
		snprintf(l, sizeof(l), "1.000000000 0 1 1 0x1 4096 %s anon copy 0x1 x", ct_kind_name[i]);
		CHECK(parse(l, &r) == CT_LINE_RECORD && r.kind == (enum cowtrace_kind)i, "kind %s", ct_kind_name[i]);
	}
	for (i = 0; i < COWTRACE_MAP_NR; i++) {
		snprintf(l, sizeof(l), "1.000000000 0 1 1 0x1 4096 write %s copy 0x1 x", ct_map_name[i]);
		CHECK(parse(l, &r) == CT_LINE_RECORD && r.map == (enum cowtrace_map)i, "map %s", ct_map_name[i]);
	}
	for (i = 0; i < COWTRACE_RESULT_NR; i++) {
		snprintf(l, sizeof(l), "1.000000000 0 1 1 0x1 4096 write anon %s 0x1 x", ct_result_name[i]);
		CHECK(parse(l, &r) == CT_LINE_RECORD && r.result == (enum cowtrace_result)i, "result %s", ct_result_name[i]);
	}
	CHECK(COWTRACE_KIND_NR == 4 && COWTRACE_MAP_NR == 3 && COWTRACE_RESULT_NR == 6 &&
	      !strcmp(ct_kind_name[COWTRACE_KIND_FORK], "fork") &&
	      !strcmp(ct_result_name[COWTRACE_RESULT_COPY], "copy") &&
	      !strcmp(ct_result_name[COWTRACE_RESULT_FAIL], "fail"), "the lists of SPEC.md");
	group("KIND, MAP and RESULT names come from module/uapi/cowtrace.h");
}

/* Fields are mapped by the last column line; one that lacks a column is refused. */
static void test_layout(void)
{
	static const char cols2[] = "# COMM IP FUTURE RESULT MAP KIND SIZE ADDRESS TGID PID CPU TIMESTAMP";
	struct ct_layout lay;
	struct ct_rec r;
	const char *l;

	ct_layout_init(&lay);
	CHECK(lay.nf == CT_COL_NR, "default layout has %d fields", CT_COL_NR);
	CHECK(ct_parse_line(&lay, cols2, strlen(cols2), &r) == CT_LINE_COLUMNS && lay.nf == 12,
	      "a reordered column line with an unknown column");
	l = "a\\040b 0x401a2b whatever reuse shared unshare 4096 0x7000 20 21 1 3.000000001";
	CHECK(ct_parse_line(&lay, l, strlen(l), &r) == CT_LINE_RECORD &&
	      r.sec == 3 && r.nsec == 1 && r.cpu == 1 && r.pid == 21 && r.tgid == 20 &&
	      r.addr == 0x7000 && r.size == 4096 && r.kind == COWTRACE_KIND_UNSHARE &&
	      r.map == COWTRACE_MAP_SHARED && r.result == COWTRACE_RESULT_REUSE &&
	      r.ip == 0x401a2b && !strcmp(r.comm, "a b"), "fields mapped by the column line");
	l = REC("cow");
	CHECK(ct_parse_line(&lay, l, strlen(l), &r) == CT_LINE_BAD,
	      "a 0.2-order line is malformed under the other layout");
	l = "# TIMESTAMP CPU PID TGID ADDRESS KIND MAP COMM";
	CHECK(ct_parse_line(&lay, l, strlen(l), &r) == CT_LINE_BAD_COLUMNS && lay.nf == 12,
	      "a column line without SIZE, RESULT, IP is refused, the layout kept");
	l = "# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM";
	CHECK(ct_parse_line(&lay, l, strlen(l), &r) == CT_LINE_COLUMNS && lay.nf == 11,
	      "a later column line replaces the layout");
	l = REC("cow");
	CHECK(ct_parse_line(&lay, l, strlen(l), &r) == CT_LINE_RECORD, "and the 0.2 order parses again");
	group("column layout from the last column line");
}

static void test_header(void)
{
	uint64_t v = 0;

	CHECK(!ct_header_u64("# taken=123 held=12 missed=7 retried=0", 38, "missed", &v) && v == 7,
	      "missed= found");
	CHECK(ct_header_u64("# taken=123 held=12", 19, "missed", &v), "no missed=");
	CHECK(ct_header_u64("# missed=x", 10, "missed", &v), "missed= not a number");
	CHECK(ct_header_u64("# xmissed=1", 11, "missed", &v), "a key is a whole word");
	CHECK(ct_header_u64("1.0 missed=1", 12, "missed", &v), "only in header lines");
	group("header counters");
}

/* The decoder over every byte value, and decode(encode(x)) == x. */
static void test_every_byte(void)
{
	char esc[CT_COMM_ESC], line[160], out[CT_COMM_MAX + 1], in[CT_COMM_MAX];
	struct ct_rec r;
	size_t len, el;
	int b, bad = 0, badrt = 0, i;

	for (b = 1; b < 256; b++) {
		char c = (char)b;

		el = ct_encode_comm(&c, 1, esc);
		if (ct_decode_comm(esc, el, out, &len) || len != 1 ||
		    (unsigned char)out[0] != b)
			bad++;
		if ((b > 0x20 && b < 0x7f && b != '\\') != (el == 1))
			bad++;
		snprintf(line, sizeof(line), "1.000000000 0 1 1 0x1 4096 write anon copy 0x1 x%sy", esc);
		if (parse(line, &r) != CT_LINE_RECORD || r.comm_len != 3 ||
		    (unsigned char)r.comm[1] != b)
			bad++;
	}
	CHECK(!bad, "every byte value 1..255 encodes and decodes (%d bad)", bad);
	CHECK(!ct_decode_comm("\\000", 4, out, &len) && len == 0, "\\000 is the empty comm");
	CHECK(ct_encode_comm("", 0, esc) == 4 && !strcmp(esc, "\\000"), "the empty comm is \\000");
	CHECK(ct_encode_comm("a b\\c", 5, esc) == 11 && !strcmp(esc, "a\\040b\\134c"), "a b\\c: %s", esc);
	/* For a message: a space is itself, any control is not. */
	CHECK(ct_escape("a b\\\x1b]0;x\x07\x9b\x7f\xc3\xa9", 14, line, 0x20) == 35 &&
	      !strcmp(line, "a b\\134\\033]0;x\\007\\233\\177\\303\\251"), "a message: %s", line);
	/* Fifteen bytes of the worst kind: the longest escaped comm. */
	srand(1);
	for (i = 0; i < 10000; i++) {
		size_t n = (size_t)rand() % (CT_COMM_MAX + 1), k;

		for (k = 0; k < n; k++)
			in[k] = (char)(1 + rand() % 255);
		el = ct_encode_comm(in, n, esc);
		if (el >= CT_COMM_ESC || strlen(esc) != el || strchr(esc, ' ') ||
		    ct_decode_comm(esc, el, out, &len) || len != n || memcmp(out, in, n))
			badrt++;
	}
	CHECK(!badrt, "random comms round-trip (%d bad)", badrt);
	group("comm escape: encoder and decoder over every byte value");
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
	ct_json_string("\xc2\x9b\xc2\x9f\xc2\xa0", 6, out, sizeof(out));
	CHECK(!strcmp(out, "\\u009b\\u009f\xc2\xa0"), "json: C1 controls in UTF-8 escaped, U+00A0 kept: %s", out);
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

/* The largest record of all fits CT_OUT_MAX in each format. */
static void test_format(void)
{
	static const char worst[] = "18446744073709551615.999999999 4294967295 4294967295 4294967295 0xffffffffffffffff 18446744073709551615 unshare shared notify 0xffffffffffffffff \\001\\001\\001\\001\\001\\001\\001\\001\\001\\001\\001\\001\\001\\001\\001";
	char out[CT_OUT_MAX];
	struct ct_rec r;
	size_t n;

	CHECK(parse(worst, &r) == CT_LINE_RECORD, "worst record parses");
	n = ct_format_json(&r, out, sizeof(out));
	CHECK(n < sizeof(out) - 1 && out[n - 1] == '\n' && out[n - 2] == '}', "json fits: %zu", n);
	n = ct_format_csv(&r, out, sizeof(out));
	CHECK(n < sizeof(out) - 1 && out[n - 2] == '\r' && out[n - 1] == '\n', "csv fits: %zu", n);
	parse("5.000000001 1 2 3 0x10 4096 first file copy 0x20 a,b", &r);
	ct_format_json(&r, out, sizeof(out));
	CHECK(!strcmp(out, "{\"ts\":\"5.000000001\",\"cpu\":1,\"pid\":2,\"tgid\":3,\"addr\":\"0x10\","
		      "\"size\":4096,\"kind\":\"first\",\"map\":\"file\",\"result\":\"copy\","
		      "\"ip\":\"0x20\",\"comm\":\"a,b\"}\n"), "json: %s", out);
	ct_format_csv(&r, out, sizeof(out));
	CHECK(!strcmp(out, "5.000000001,1,2,3,0x10,4096,first,file,copy,0x20,\"a,b\"\r\n"), "csv: %s", out);
	parse("5.000000001 1 2 3 0x10 4096 first file copy 0x20 \\033]0;\\042\\012\\040\\233", &r);
	ct_format_csv(&r, out, sizeof(out));
	CHECK(!strcmp(out, "5.000000001,1,2,3,0x10,4096,first,file,copy,0x20,\"\\033]0;\"\"\\012\\040\\233\"\r\n"),
	      "csv: comm escaped as in text, then quoted: %s", out);
	group("JSON objects and CSV rows");
}

int main(void)
{
	test_lines();
	test_events();
	test_fields();
	test_names();
	test_layout();
	test_header();
	test_every_byte();
	test_json();
	test_csv();
	test_format();
	return checks_done();
}
