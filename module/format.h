/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowtrace formats: what a reader of the rings writes for the header, a
 * record and lost records; text for /proc/cowtrace (format.c), binary for
 * /proc/cowtrace_raw (raw.c).
 */
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
int cowtrace_format_event(char *buf, size_t size,
			  const struct cowtrace_record *rec);
int cowtrace_format_lost(char *buf, size_t size, u64 lost, unsigned int cpu);

/**
 * struct cowtrace_header - what the header lines of an open show
 * @filter:  comm filter, NUL padded; empty for none
 * @pid:     TGID filter; 0 for none
 * @tree:    the pid= filter takes in its descendants (tree=1)
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
	int tree;
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

/**
 * struct cowtrace_format - how one file writes what its readers read
 * @item_max:    most bytes a record or lost item takes
 * @whole:       read() returns whole items only; every item after the
 *               header then takes exactly @item_max bytes
 * @header_size: buffer bytes enough for the header of @nr rings
 * @header:      write the header; returns the bytes written
 * @record:      write one record, in at least @item_max bytes
 * @lost:        write the item for @lost overwritten records of @cpu
 */
struct cowtrace_format {
	unsigned int item_max;
	bool whole;
	size_t (*header_size)(unsigned int nr);
	int (*header)(char *buf, size_t size, const struct cowtrace_header *h,
		      const u64 *taken);
	int (*record)(char *buf, size_t size, const struct cowtrace_record *rec);
	int (*lost)(char *buf, size_t size, u64 lost, unsigned int cpu);
};

/* /proc/cowtrace: lines of text (format.c). */
extern const struct cowtrace_format cowtrace_format_text;
/* /proc/cowtrace_raw: the structs of uapi/cowtrace.h (raw.c). */
extern const struct cowtrace_format cowtrace_format_raw;

#endif /* COWTRACE_FORMAT_H */
