/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's text of a binary record, by its own printf format
 * (module/format.c): what the tests hold the reader's text output to.
 */
#ifndef COWTRACE_TESTS_MODFMT_H
#define COWTRACE_TESTS_MODFMT_H

#include <stdio.h>
#include <string.h>

#include "../parse.h"

static inline int module_line(const struct cowtrace_record *rec, char *out,
			      size_t size)
{
	char comm[CT_COMM_ESC];

	ct_encode_comm(rec->comm, strnlen(rec->comm, sizeof(rec->comm)), comm);
	return snprintf(out, size, "%llu.%09u %-3u %-7u %-7u 0x%-12llx %-7llu %-7s %-6s %-6s 0x%-12llx %s\n",
			(unsigned long long)(rec->ts / 1000000000),
			(unsigned int)(rec->ts % 1000000000), rec->cpu, rec->pid,
			rec->tgid, (unsigned long long)rec->addr, 1ULL << rec->shift,
			ct_kind_name[rec->kind], ct_map_name[rec->map],
			ct_result_name[rec->result], (unsigned long long)rec->ip, comm);
}

#endif /* COWTRACE_TESTS_MODFMT_H */
