// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: counters per key (TGID and comm) in a hash table, so
 * that -s and --metrics cost the same per record for 10 processes or
 * 200,000. The counts live in one dense array (cheap to sort and to walk);
 * the hash slots hold indexes into it.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"

static size_t hash(uint32_t tgid, const char *comm, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ tgid;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)comm[i]) * 0x100000001b3ULL;
	h ^= h >> 29;	/* FNV's low bits alone are weak: mix the high in */
	h *= 0xbf58476d1ce4e5b9ULL;
	return (size_t)(h ^ h >> 32);
}

static bool same(const struct ct_count *c, uint32_t tgid, const char *comm,
		 size_t len)
{
	return c->tgid == tgid && c->comm_len == len && !memcmp(c->comm, comm, len);
}

/* Index every entry in @slot, an empty array of @nslots. */
static void fill(const struct ct_table *t, uint32_t *slot, size_t nslots)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		const struct ct_count *c = &t->ent[i];

		j = hash(c->tgid, c->comm, c->comm_len) & (nslots - 1);
		while (slot[j])
			j = (j + 1) & (nslots - 1);
		slot[j] = (uint32_t)(i + 1);
	}
}

static int grow(struct ct_table *t, size_t nslots)
{
	uint32_t *slot = calloc(nslots, sizeof(*slot));

	if (!slot)
		return -1;
	fill(t, slot, nslots);
	free(t->slot);
	t->slot = slot;
	t->nslots = nslots;
	return 0;
}

/**
 * ct_table_get - the counts of a key
 * @t:      the table
 * @tgid:   key
 * @comm:   key, decoded bytes
 * @len:    bytes in @comm, at most CT_COMM_MAX
 * @create: add the key, with zero counts, when it is not there
 *
 * The pointer is valid until the next call that creates a key.
 * Return: the counts; NULL when absent and !@create, or out of memory.
 */
struct ct_count *ct_table_get(struct ct_table *t, uint32_t tgid,
			      const char *comm, size_t len, bool create)
{
	struct ct_count *c;
	size_t j;

	if (t->nslots) {
		j = hash(tgid, comm, len) & (t->nslots - 1);
		for (; t->slot[j]; j = (j + 1) & (t->nslots - 1)) {
			c = &t->ent[t->slot[j] - 1];
			if (same(c, tgid, comm, len))
				return c;
		}
	}
	if (!create || len > CT_COMM_MAX || t->n >= UINT32_MAX - 1)
		return NULL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;

		c = realloc(t->ent, cap * sizeof(*c));
		if (!c)
			return NULL;
		t->ent = c;
		t->cap = cap;
	}
	/* At most 3/4 full, so that probe runs stay short. */
	if (4 * (t->n + 1) > 3 * t->nslots &&
	    grow(t, t->nslots ? 2 * t->nslots : 128))
		return NULL;
	c = &t->ent[t->n++];
	memset(c, 0, sizeof(*c));
	c->tgid = tgid;
	c->comm_len = (uint8_t)len;
	memcpy(c->comm, comm, len);
	j = hash(tgid, comm, len) & (t->nslots - 1);
	while (t->slot[j])
		j = (j + 1) & (t->nslots - 1);
	t->slot[j] = (uint32_t)t->n;
	return c;
}

/**
 * ct_count_add - count @r: one record and its SIZE under its RESULT
 * @c: the counts
 * @r: a record
 */
void ct_count_add(struct ct_count *c, const struct ct_rec *r)
{
	uint64_t *b = &c->bytes[r->result];

	c->records[r->result]++;
	/* SIZE comes from a file: a hostile one must not wrap the sum. */
	*b = *b + r->size < *b ? UINT64_MAX : *b + r->size;
}

/** ct_count_records - records of all RESULTs */
uint64_t ct_count_records(const struct ct_count *c)
{
	uint64_t n = 0;
	int i;

	for (i = 0; i < COWTRACE_RESULT_NR; i++)
		n += c->records[i];
	return n;
}

/**
 * ct_table_sort - order @t->ent by @cmp
 * @t:   the table
 * @cmp: qsort() comparison of two struct ct_count
 *
 * The slots are rebuilt, so the table stays usable afterwards.
 */
void ct_table_sort(struct ct_table *t, int (*cmp)(const void *, const void *))
{
	if (t->n < 2)
		return;
	qsort(t->ent, t->n, sizeof(*t->ent), cmp);
	memset(t->slot, 0, t->nslots * sizeof(*t->slot));
	fill(t, t->slot, t->nslots);
}

/** ct_table_free - free the table; it is empty and usable afterwards */
void ct_table_free(struct ct_table *t)
{
	free(t->ent);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}
