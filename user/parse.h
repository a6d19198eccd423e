/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: parsing of /proc/cowtrace lines, decoding, output escaping. */
#ifndef COWTRACE_PARSE_H
#define COWTRACE_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define CT_COMM_MAX	15	/* bytes in a comm, without the NUL */
#define CT_LINE_MAX	512	/* longer lines are malformed */

struct ct_rec {
	uint64_t sec;
	uint32_t nsec;
	uint32_t cpu;
	uint32_t pid;
	uint32_t tgid;
	uint64_t addr;
	const char *kind;	/* "write" or "unshare" (static string) */
	const char *map;	/* "anon", "file" or "shared" (static string) */
	char comm[CT_COMM_MAX + 1];	/* decoded bytes, NUL terminated */
	size_t comm_len;
	char comm_esc[4 * CT_COMM_MAX + 1];	/* as written by the module */
};

enum ct_line {
	CT_LINE_RECORD,
	CT_LINE_LOST,
	CT_LINE_HEADER,
	CT_LINE_BAD,
};

enum ct_line ct_parse_line(const char *line, size_t len, struct ct_rec *r,
			   uint64_t *lost, uint32_t *lost_cpu);
int ct_decode_comm(const char *s, size_t n, char *out, size_t *outlen);
size_t ct_json_string(const char *in, size_t n, char *out, size_t size);
size_t ct_csv_field(const char *in, size_t n, char *out, size_t size);

struct ct_proc {
	uint32_t tgid;
	char comm[CT_COMM_MAX + 1];
	size_t comm_len;
	uint64_t count;
};

struct ct_summary {
	struct ct_proc *procs;
	size_t n, cap;
	uint64_t records, lost;
};

int ct_summary_add(struct ct_summary *s, const struct ct_rec *r);
void ct_summary_sort(struct ct_summary *s);
void ct_summary_free(struct ct_summary *s);

#endif /* COWTRACE_PARSE_H */
