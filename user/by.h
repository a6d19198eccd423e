/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: --by KEY[,KEY...], a table grouped by keys, at exit. */
#ifndef COWTRACE_BY_H
#define COWTRACE_BY_H

#include <stdbool.h>
#include <stdio.h>

#include "attr.h"
#include "table.h"

enum ct_by_key {
	CT_BY_PROCESS, CT_BY_COMM, CT_BY_FUNCTION, CT_BY_OBJECT, CT_BY_REGION,
	CT_BY_KIND, CT_BY_MAP, CT_BY_RESULT, CT_BY_NR
};

/**
 * struct ct_by - what --by prints
 * @t:       counts per composite key (the keys' values, in order)
 * @key:     the keys, @nkeys of them, each at most once
 * @records: records counted
 */
struct ct_by {
	struct ct_table t;
	enum ct_by_key key[CT_BY_NR];
	int nkeys;
	uint64_t records;
};

int ct_by_parse(struct ct_by *b, const char *arg);
bool ct_by_needs_where(const struct ct_by *b);
int ct_by_add(struct ct_by *b, const struct ct_rec *r, const struct ct_where *w);
void ct_by_print(struct ct_by *b, uint64_t lost, FILE *f);
void ct_by_free(struct ct_by *b);

/* Shared with folded.c: a composite key of length-prefixed strings. */
size_t ct_key_put(char *key, size_t at, size_t size, const char *s, size_t n);
size_t ct_key_get(const char *key, size_t len, size_t at, const char **s,
		  size_t *n);

#endif /* COWTRACE_BY_H */
