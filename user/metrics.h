/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: --metrics, a Prometheus textfile-collector file. */
#ifndef COWTRACE_METRICS_H
#define COWTRACE_METRICS_H

#include <stdio.h>

#include "table.h"

#define CT_METRICS_OTHER	"other"	/* the comm label of the comms past the bound */
#define CT_LABEL_MAX		(5 * CT_COMM_MAX + 1)	/* an escaped label value, with NUL */

/**
 * struct ct_metrics - the counters the file shows
 * @t:         records and bytes per comm (TGID 0) and RESULT
 * @max_comms: comms with a label of their own; later ones count as "other"
 */
struct ct_metrics {
	struct ct_table t;
	size_t max_comms;
};

int ct_metrics_add(struct ct_metrics *m, const struct ct_rec *r);
size_t ct_metrics_label(const char *comm, size_t n, char *out);
int ct_metrics_write(struct ct_metrics *m, uint64_t lost, uint64_t missed, FILE *f);
int ct_metrics_save(struct ct_metrics *m, uint64_t lost, uint64_t missed,
		    const char *path);
int ct_metrics_missed(int fd, size_t header_size, char *buf, size_t size,
		      uint64_t *missed);
void ct_metrics_free(struct ct_metrics *m);

#endif /* COWTRACE_METRICS_H */
