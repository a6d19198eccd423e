/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: counters per (TGID, comm), or per composite key, in a hash table. */
#ifndef COWTRACE_TABLE_H
#define COWTRACE_TABLE_H

#include <stdbool.h>

#include "parse.h"

/**
 * struct ct_count - what was read of one key
 * @tgid:     key (0 where only the comm matters)
 * @comm_len: key: bytes in @comm
 * @comm:     key: decoded comm, NUL terminated
 * @records:  records per RESULT
 * @bytes:    SIZE summed per RESULT (saturating)
 * @key:      a composite key (ct_table_getk()), allocated; NULL otherwise
 * @key_len:  its bytes
 *
 * A table is keyed either by (TGID, comm) or by composite keys, not both.
 */
struct ct_count {
	uint32_t tgid;
	uint8_t comm_len;
	char comm[CT_COMM_MAX + 1];
	uint32_t key_len;
	char *key;
	uint64_t records[COWTRACE_RESULT_NR];
	uint64_t bytes[COWTRACE_RESULT_NR];
};

#define CT_TABLE_ROWS	65536	/* keys a table holds by default */

/**
 * struct ct_table - the counts, densely in @ent, found through @slot
 * @ent:    the counts, @n of @cap used, in insertion (or sorted) order
 * @slot:   open addressing, linear probing: index into @ent + 1, 0 free
 * @nslots: a power of two, kept at least 4/3 of @n
 * @max:    keys at most (0: CT_TABLE_ROWS), set before the first
 * @other:  the counts of the keys past @max, all in one (TGID 0, no comm)
 * @key:    the secret of the hash, drawn when the first key is added
 */
struct ct_table {
	struct ct_count *ent;
	size_t n, cap;
	uint32_t *slot;
	size_t nslots;
	size_t max;
	struct ct_count other;
	uint64_t key[2];
};

struct ct_count *ct_table_get(struct ct_table *t, uint32_t tgid,
			      const char *comm, size_t len, bool create);
struct ct_count *ct_table_getk(struct ct_table *t, const void *key, size_t len,
			       bool create);
void ct_count_add(struct ct_count *c, const struct ct_rec *r);
uint64_t ct_count_records(const struct ct_count *c);
void ct_table_sort(struct ct_table *t,
		   int (*cmp)(const void *, const void *));
void ct_table_free(struct ct_table *t);

#endif /* COWTRACE_TABLE_H */
