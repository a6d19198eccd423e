/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: the lines of /proc/cowtrace, and the COMM escape. */
#ifndef COWTRACE_PARSE_H
#define COWTRACE_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "../module/uapi/cowtrace.h"

#define CT_COMM_MAX	(COWTRACE_COMM_LEN - 1)	/* bytes, without the NUL */
#define CT_COMM_ESC	(4 * CT_COMM_MAX + 1)	/* an escaped comm, with the NUL */
/* Longer lines are malformed; a "# map" line of a PATH_MAX path, escaped, fits. */
#define CT_LINE_MAX	(4 * 4096 + 1024)
#define CT_FIELDS_MAX	32	/* columns a column line may name */

/* The columns this reader knows; a column line must name each once. */
enum ct_col {
	CT_COL_TIMESTAMP, CT_COL_CPU, CT_COL_PID, CT_COL_TGID, CT_COL_ADDRESS,
	CT_COL_SIZE, CT_COL_KIND, CT_COL_MAP, CT_COL_RESULT, CT_COL_IP,
	CT_COL_COMM, CT_COL_NR
};

extern const char *const ct_col_name[CT_COL_NR];
extern const char *const ct_kind_name[COWTRACE_KIND_NR];
extern const char *const ct_map_name[COWTRACE_MAP_NR];
extern const char *const ct_result_name[COWTRACE_RESULT_NR];

/**
 * struct ct_layout - which column each field of a record line holds
 * @nf:  fields in a record line
 * @col: enum ct_col of field i, or -1 for a column this reader does not
 *       know (a newer module's): skipped, but counted
 */
struct ct_layout {
	unsigned int nf;
	signed char col[CT_FIELDS_MAX];
};

struct ct_rec {
	uint64_t sec;
	uint32_t nsec;
	uint32_t cpu;		/* for CT_LINE_LOST, the CPU that lost them */
	uint32_t pid;
	uint32_t tgid;
	uint64_t addr;
	uint64_t size;
	uint64_t ip;
	enum cowtrace_kind kind;
	enum cowtrace_map map;
	enum cowtrace_result result;
	char comm[CT_COMM_MAX + 1];	/* decoded bytes, NUL terminated */
	size_t comm_len;
	uint64_t lost;		/* for CT_LINE_LOST, the count */
	uint32_t child;		/* for CT_LINE_FORK, the new process (TGID) */
};

enum ct_line {
	CT_LINE_RECORD,		/* @r holds a record */
	CT_LINE_LOST,		/* "# lost N events on cpu C": @r->lost, @r->cpu */
	CT_LINE_COLUMNS,	/* "# TIMESTAMP CPU ...": the layout now follows it */
	CT_LINE_HEADER,		/* any other "#" line */
	CT_LINE_BAD_COLUMNS,	/* a column line without every known column */
	CT_LINE_BAD,		/* anything else */
	CT_LINE_FORK,		/* "# fork TS CPU PID TGID CHILD COMM" (0.3) */
	CT_LINE_EXIT,		/* "# exit TS CPU TGID COMM" (0.3): @r->pid = TGID */
};

void ct_layout_init(struct ct_layout *l);
enum ct_line ct_parse_line(struct ct_layout *l, const char *line, size_t len,
			   struct ct_rec *r);
int ct_header_u64(const char *line, size_t len, const char *key, uint64_t *v);
int ct_decode_comm(const char *s, size_t n, char *out, size_t *outlen);
size_t ct_escape(const char *in, size_t n, char *out, unsigned char lo);
size_t ct_escape_also(const char *in, size_t n, char *out, unsigned char lo,
		      char also);
size_t ct_encode_comm(const char *in, size_t n, char *out);

#endif /* COWTRACE_PARSE_H */
