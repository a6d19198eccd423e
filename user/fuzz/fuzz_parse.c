// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the reader's line parser, comm escaping and output
 * formatting (JSON, CSV, metrics labels) on arbitrary bytes. Each input
 * is split at newlines and fed through one layout, as the reader does, so
 * column lines change how the lines after them parse.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../format.h"
#include "../metrics.h"
#include "../parse.h"

static void check_record(const struct ct_rec *r)
{
	char esc[CT_COMM_ESC], dec[CT_COMM_MAX + 1], out[CT_OUT_MAX];
	char label[CT_LABEL_MAX];
	size_t el, dl, n, i;

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
	/* A JSON object fits, and holds no raw control byte. */
	n = ct_format_json(r, out, sizeof(out));
	if (n >= sizeof(out) - 1 || out[n - 1] != '\n' || out[n - 2] != '}')
		__builtin_trap();
	for (i = 0; i + 1 < n; i++)
		if ((unsigned char)out[i] < 0x20)
			__builtin_trap();
	n = ct_format_csv(r, out, sizeof(out));
	if (n >= sizeof(out) - 1 || out[n - 1] != '\n' || out[n - 2] != '\r')
		__builtin_trap();
	/* A metrics label value is UTF-8 with no raw control byte. */
	n = ct_metrics_label(r->comm, r->comm_len, label);
	if (n >= sizeof(label))
		__builtin_trap();
	for (i = 0; i < n; i += el) {
		el = ct_utf8_len((const unsigned char *)label + i, n - i);
		if (!el || (unsigned char)label[i] < 0x20 || label[i] == 0x7f)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char json[6 * (CT_LINE_MAX + 1) + 1], csv[2 * (CT_LINE_MAX + 1) + 3];
	const char *p = (const char *)data, *end = p + size;
	struct ct_layout lay;
	struct ct_rec r;

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
