// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the reader's line parser, binary decoder, comm
 * escaping and output formatting (text, JSON, CSV, metrics labels) on
 * arbitrary bytes, none of whose output may hold a byte that a terminal
 * acts on. An input that starts with COWTRACE_RAW_MAGIC is read as
 * /proc/cowtrace_raw: its header checked, then its items decoded. Any
 * other is split at newlines and fed through one layout, as the reader
 * does, so column lines change how the lines after them parse.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../format.h"
#include "../metrics.h"
#include "../parse.h"
#include "../raw.h"

/* What a terminal shows and acts on none of: 0x20 to 0x7e only. */
static void printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			__builtin_trap();
}

/* UTF-8 with no control character: no C0, DEL or C1 (U+0080-U+009F). */
static void no_controls(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, el;

	for (i = 0; i < n; i += el) {
		el = ct_utf8_len(u + i, n - i);
		if (!el || u[i] < 0x20 || u[i] == 0x7f || ct_utf8_c1(u + i, el))
			__builtin_trap();
	}
}

static void check_record(const struct ct_rec *r)
{
	char esc[CT_COMM_ESC], dec[CT_COMM_MAX + 1], out[CT_OUT_MAX];
	char label[CT_LABEL_MAX];
	struct ct_layout lay;
	size_t el, dl, n;
	struct ct_rec back;

	/* A record's comm decodes to at most 15 bytes, no NUL. */
	if (r->comm_len > CT_COMM_MAX || strlen(r->comm) != r->comm_len)
		__builtin_trap();
	if (r->kind >= COWTRACE_KIND_NR || r->map >= COWTRACE_MAP_NR ||
	    r->result >= COWTRACE_RESULT_NR)
		__builtin_trap();
	/* Escaping it again gives one field that decodes to the same bytes. */
	el = ct_encode_comm(r->comm, r->comm_len, esc);
	if (el >= CT_COMM_ESC || memchr(esc, ' ', el) ||
	    ct_decode_comm(esc, el, dec, &dl) || dl != r->comm_len ||
	    memcmp(dec, r->comm, dl))
		__builtin_trap();
	/* Its text is one line that parses back to the same record. */
	n = ct_format_text(r, out, sizeof(out));
	ct_layout_init(&lay);
	if (n >= sizeof(out) - 1 || out[n - 1] != '\n' ||
	    ct_parse_line(&lay, out, n - 1, &back) != CT_LINE_RECORD ||
	    back.sec != r->sec || back.nsec != r->nsec || back.cpu != r->cpu ||
	    back.pid != r->pid || back.tgid != r->tgid || back.addr != r->addr ||
	    back.size != r->size || back.ip != r->ip || back.kind != r->kind ||
	    back.map != r->map || back.result != r->result ||
	    back.comm_len != r->comm_len || memcmp(back.comm, r->comm, r->comm_len))
		__builtin_trap();
	printable(out, n - 1);	/* COMM escaped: a terminal acts on nothing */
	/* A JSON object fits, and holds no raw control character. */
	n = ct_format_json(r, out, sizeof(out));
	if (n >= sizeof(out) - 1 || out[n - 1] != '\n' || out[n - 2] != '}')
		__builtin_trap();
	no_controls(out, n - 1);
	/* A CSV row fits, printable but its CRLF. */
	n = ct_format_csv(r, out, sizeof(out));
	if (n >= sizeof(out) - 1 || out[n - 1] != '\n' || out[n - 2] != '\r')
		__builtin_trap();
	printable(out, n - 2);
	/* A metrics label value is UTF-8 with no raw control character. */
	n = ct_metrics_label(r->comm, r->comm_len, label);
	if (n >= sizeof(label))
		__builtin_trap();
	no_controls(label, n);
}

/* The items after a good header, as the reader steps through them. */
static void fuzz_raw(const uint8_t *data, size_t size)
{
	struct ct_raw h;
	struct ct_rec r;
	char why[256];
	size_t off;

	if (ct_raw_header(data, size, &h, why, sizeof(why)))
		return;
	if (h.record_size < sizeof(struct cowtrace_record) ||
	    h.header_size > size || h.header_size > CT_RAW_HEADER_MAX)
		__builtin_trap();
	for (off = h.header_size; size - off >= h.record_size; off += h.record_size)
		if (ct_raw_item(data + off, &r) == CT_LINE_RECORD)
			check_record(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char json[6 * (CT_LINE_MAX + 1) + 1], csv[2 * (CT_LINE_MAX + 1) + 3];
	char shown[4 * CT_LINE_MAX + 1];
	const char *p = (const char *)data, *end = p + size;
	struct ct_layout lay;
	struct ct_rec r;

	if (size >= sizeof(__u32) && !memcmp(data, &(__u32){ COWTRACE_RAW_MAGIC }, 4)) {
		fuzz_raw(data, size);
		return 0;
	}
	if (size >= sizeof(struct cowtrace_record) &&
	    ct_raw_item(data, &r) == CT_LINE_RECORD)
		check_record(&r);
	ct_layout_init(&lay);
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t len = (nl ? nl : end) - p;
		uint64_t v;

		switch (ct_parse_line(&lay, p, len, &r)) {
		case CT_LINE_RECORD:
			check_record(&r);
			break;
		case CT_LINE_COLUMNS:
			if (!lay.nf || lay.nf > CT_FIELDS_MAX)
				__builtin_trap();
			break;
		case CT_LINE_HEADER:
			ct_header_u64(p, len, "missed", &v);
			break;
		default:
			break;
		}
		if (len <= CT_LINE_MAX) {
			/* What the reader shows of a malformed line: printable. */
			printable(shown, ct_escape(p, len, shown, 0x20));
			ct_json_string(p, len, json, sizeof(json));
			if (len && !ct_csv_field(p, len, csv, sizeof(csv)))
				__builtin_trap();
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}
