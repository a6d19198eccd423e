// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the line parser and the escapers on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char json[6 * (CT_LINE_MAX + 1) + 1], csv[2 * (CT_LINE_MAX + 1) + 3];
	struct ct_rec r;
	uint64_t lost;
	uint32_t cpu;

	if (ct_parse_line((const char *)data, size, &r, &lost, &cpu) ==
	    CT_LINE_RECORD) {
		/* A record's comm must decode to at most 15 bytes, no NUL. */
		if (r.comm_len > CT_COMM_MAX || strlen(r.comm) != r.comm_len)
			__builtin_trap();
		ct_json_string(r.comm, r.comm_len, json, sizeof(json));
	}
	if (size <= CT_LINE_MAX) {
		ct_json_string((const char *)data, size, json, sizeof(json));
		if (size && !ct_csv_field((const char *)data, size, csv, sizeof(csv)))
			__builtin_trap();
	}
	return 0;
}
