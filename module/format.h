/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace text format of /proc/cowtrace: records, lost lines, header. */
#ifndef COWTRACE_FORMAT_H
#define COWTRACE_FORMAT_H

#include <linux/types.h>

#include "ring.h"

/* Longest line cowtrace_format_record() or _lost() writes, with its '\n'. */
#define COWTRACE_LINE_MAX	256
/* Room for an escaped comm: 4 bytes per byte, and a NUL. */
#define COWTRACE_COMM_ESC_MAX	(4 * TASK_COMM_LEN + 1)

size_t cowtrace_escape_comm(char *dst, const char *comm, size_t len);
const char *cowtrace_kind_name(unsigned int kind);
const char *cowtrace_map_name(unsigned int map);
const char *cowtrace_result_name(unsigned int result);
int cowtrace_format_record(char *buf, size_t size,
			   const struct cowtrace_record *rec);
int cowtrace_format_lost(char *buf, size_t size, u64 lost, unsigned int cpu);

/**
 * struct cowtrace_header - what the header lines of an open show
 * @filter:  comm filter, NUL padded; empty for none
 * @pid:     TGID filter; 0 for none
 * @entries: records per CPU
 * @nr:      number of CPUs (rings)
 * @paths:   bitmap of the enum cowtrace_path values probed
 * @missed:  faults the probes could not record, since load
 * @retried: fault attempts retried (VM_FAULT_RETRY), since load
 * @raced:   fault attempts that did nothing (another thread resolved the
 *           fault first), since load
 */
struct cowtrace_header {
	char filter[TASK_COMM_LEN];
	int pid;
	unsigned int entries;
	unsigned int nr;
	unsigned long paths;
	unsigned long missed;
	unsigned long retried;
	unsigned long raced;
};

size_t cowtrace_header_size(unsigned int nr);
int cowtrace_format_header(char *buf, size_t size,
			   const struct cowtrace_header *h, const u64 *taken);

#endif /* COWTRACE_FORMAT_H */
