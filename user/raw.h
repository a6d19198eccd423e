/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: the header and items of /proc/cowtrace_raw. */
#ifndef COWTRACE_RAW_H
#define COWTRACE_RAW_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

#define CT_RAW_CPUS_MAX		16384	/* rings a header may count */
#define CT_RAW_HEADER_MAX	(sizeof(struct cowtrace_raw_header) + \
				 CT_RAW_CPUS_MAX * sizeof(__u64))

/**
 * struct ct_raw - what the reader keeps of a raw header
 * @version:     the header's version
 * @record_size: bytes from one item to the next (appended fields skipped)
 * @header_size: bytes of the header, taken[] included
 * @missed:      the header's missed counter
 */
struct ct_raw {
	unsigned int version;
	size_t record_size;
	size_t header_size;
	uint64_t missed;
};

long ct_raw_header(const void *buf, size_t n, struct ct_raw *h,
		   char *why, size_t size);
enum ct_line ct_raw_item(const void *item, struct ct_rec *r);

#endif /* COWTRACE_RAW_H */
