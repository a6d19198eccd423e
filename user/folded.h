/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: -o folded, flame-graph input, written at exit. */
#ifndef COWTRACE_FOLDED_H
#define COWTRACE_FOLDED_H

#include <stdio.h>

#include "attr.h"
#include "table.h"

/** struct ct_folded - bytes copied per stack (COMM, REGION, OBJECT, FUNCTION) */
struct ct_folded {
	struct ct_table t;
};

int ct_folded_add(struct ct_folded *fd, const struct ct_rec *r,
		  const struct ct_where *w);
size_t ct_folded_frame(const char *s, size_t n, char *out);
void ct_folded_print(struct ct_folded *fd, FILE *f);
void ct_folded_free(struct ct_folded *fd);

#endif /* COWTRACE_FOLDED_H */
