// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: counters per key (TGID and comm) in a hash table, so
 * that -s and --metrics cost the same per record for 10 processes or
 * 200,000, whatever keys the traced processes choose: the hash is keyed
 * with a secret, and the keys are bounded (an "other" row takes the
 * rest). The counts live in one dense array (cheap to sort and to walk);
 * the hash slots hold indexes into it.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "table.h"

/*
 * SipHash-1-3 (Aumasson and Bernstein; what Python and Rust's HashMap use
 * against this attack) of @tgid, @len and the comm, under the table's
 * secret key. Any process can choose its comm (prctl), so an unkeyed hash
 * lets it pick keys that share a slot and make each lookup walk all of
 * them: 40,000 such keys took 1,000 times as long as random ones
 * (tests/bench_table.c has them).
 */
#define ROTL(x, b)	((uint64_t)((x) << (b)) | ((x) >> (64 - (b))))
#define sip_inline	static inline __attribute__((always_inline))

sip_inline void sip_round(uint64_t v[4])
{
	v[0] += v[1]; v[1] = ROTL(v[1], 13); v[1] ^= v[0]; v[0] = ROTL(v[0], 32);
	v[2] += v[3]; v[3] = ROTL(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = ROTL(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = ROTL(v[1], 17); v[1] ^= v[2]; v[2] = ROTL(v[2], 32);
}

sip_inline void sip_word(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sip_round(v);
	v[0] ^= m;
}

static size_t hash(const struct ct_table *t, uint32_t tgid, const char *comm,
		   size_t len)
{
	uint64_t v[4] = {
		t->key[0] ^ 0x736f6d6570736575ULL, t->key[1] ^ 0x646f72616e646f6dULL,
		t->key[0] ^ 0x6c7967656e657261ULL, t->key[1] ^ 0x7465646279746573ULL,
	};
	char buf[CT_COMM_MAX + 1] = { 0 };
	uint64_t m;
	int i;

	/* The message: TGID, then the comm zero padded to 16 bytes and its length. */
	sip_word(v, tgid);
	memcpy(buf, comm, len);
	memcpy(&m, buf, 8);
	sip_word(v, m);
	memcpy(&m, buf + 8, 8);
	sip_word(v, m ^ (uint64_t)len << 56);
	v[2] ^= 0xff;
	for (i = 0; i < 3; i++)
		sip_round(v);
	return (size_t)(v[0] ^ v[1] ^ v[2] ^ v[3]);
}

/* The same, of a composite key's @len bytes (and its length). */
static size_t hash_bytes(const struct ct_table *t, const char *key, size_t len)
{
	uint64_t v[4] = {
		t->key[0] ^ 0x736f6d6570736575ULL, t->key[1] ^ 0x646f72616e646f6dULL,
		t->key[0] ^ 0x6c7967656e657261ULL, t->key[1] ^ 0x7465646279746573ULL,
	};
	uint64_t m = 0;
	size_t i;
	int k;

	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&m, key + i, 8);
		sip_word(v, m);
	}
	m = 0;
	memcpy(&m, key + i, len - i);
	sip_word(v, m ^ (uint64_t)len << 56);
	v[2] ^= 0xff;
	for (k = 0; k < 3; k++)
		sip_round(v);
	return (size_t)(v[0] ^ v[1] ^ v[2] ^ v[3]);
}

/*
 * The table's secret key, from getrandom(). Without it (before 3.17, or
 * a seccomp filter that refuses it), the clock, the pid and where ASLR put
 * the stack and this table: a process cannot read those of the reader,
 * so its comms still cannot be chosen to collide, which is all the key
 * is for. GRND_NONBLOCK: a reader started before the pool is ready must
 * not wait for it.
 */
static void seed(struct ct_table *t)
{
	struct timespec ts;
	uint64_t x;

	if (getrandom(t->key, sizeof(t->key), GRND_NONBLOCK) == sizeof(t->key))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
	t->key[0] = x ^ (uint64_t)getpid() << 32 ^ (uint64_t)(uintptr_t)&ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t->key[1] = ((uint64_t)ts.tv_nsec << 32 | (uint64_t)ts.tv_sec) ^
		    (uint64_t)(uintptr_t)t;
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

		j = (c->key ? hash_bytes(t, c->key, c->key_len) :
		     hash(t, c->tgid, c->comm, c->comm_len)) & (nslots - 1);
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

/*
 * Room for one more row: 0, 1 when @t holds @max rows (the "(other)" row
 * takes the record), -1 when out of memory.
 */
static int room(struct ct_table *t, size_t max)
{
	struct ct_count *c;

	if (t->n >= max || t->n >= UINT32_MAX - 1)
		return 1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;

		c = realloc(t->ent, cap * sizeof(*c));
		if (!c)
			return -1;
		t->ent = c;
		t->cap = cap;
	}
	/* At most 3/4 full, so that probe runs stay short. */
	if (4 * (t->n + 1) > 3 * t->nslots && grow(t, 2 * t->nslots))
		return -1;
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
 * A table holds at most @t->max keys (CT_TABLE_ROWS when 0): past that,
 * creating a key gives @t->other, one row for the records of all the
 * keys that found no room, so that totals stay exact and neither memory
 * nor the cost of a record grows with what a host runs.
 * The pointer is valid until the next call that creates a key.
 * Return: the counts; NULL when absent and !@create, or out of memory.
 */
struct ct_count *ct_table_get(struct ct_table *t, uint32_t tgid,
			      const char *comm, size_t len, bool create)
{
	size_t max = t->max ? t->max : CT_TABLE_ROWS;
	struct ct_count *c;
	size_t h, j;

	if (len > CT_COMM_MAX || (!t->nslots && !create))
		return NULL;
	if (!t->nslots) {
		seed(t);
		if (grow(t, 128))
			return NULL;
	}
	h = hash(t, tgid, comm, len);
	for (j = h & (t->nslots - 1); t->slot[j]; j = (j + 1) & (t->nslots - 1)) {
		c = &t->ent[t->slot[j] - 1];
		if (same(c, tgid, comm, len))
			return c;
	}
	if (!create)
		return NULL;
	switch (room(t, max)) {
	case 1:
		return &t->other;
	case -1:
		return NULL;
	}
	c = &t->ent[t->n++];
	memset(c, 0, sizeof(*c));
	c->tgid = tgid;
	c->comm_len = (uint8_t)len;
	memcpy(c->comm, comm, len);
	for (j = h & (t->nslots - 1); t->slot[j]; j = (j + 1) & (t->nslots - 1))
		;
	t->slot[j] = (uint32_t)t->n;
	return c;
}

/**
 * ct_table_getk - the counts of a composite key, as ct_table_get()
 * @t:      the table (keyed by composite keys only)
 * @key:    any bytes, copied when added
 * @len:    their number, 1 to UINT32_MAX
 * @create: add the key, with zero counts, when it is not there
 *
 * Return: as ct_table_get(); past @t->max keys, @t->other.
 */
struct ct_count *ct_table_getk(struct ct_table *t, const void *key, size_t len,
			       bool create)
{
	size_t max = t->max ? t->max : CT_TABLE_ROWS;
	struct ct_count *c;
	size_t h, j;
	char *k;

	if (!len || len > UINT32_MAX || (!t->nslots && !create))
		return NULL;
	if (!t->nslots) {
		seed(t);
		if (grow(t, 128))
			return NULL;
	}
	h = hash_bytes(t, key, len);
	for (j = h & (t->nslots - 1); t->slot[j]; j = (j + 1) & (t->nslots - 1)) {
		c = &t->ent[t->slot[j] - 1];
		if (c->key_len == len && !memcmp(c->key, key, len))
			return c;
	}
	if (!create)
		return NULL;
	switch (room(t, max)) {
	case 1:
		return &t->other;
	case -1:
		return NULL;
	}
	k = malloc(len);
	if (!k)
		return NULL;
	memcpy(k, key, len);
	c = &t->ent[t->n++];
	memset(c, 0, sizeof(*c));
	c->key = k;
	c->key_len = (uint32_t)len;
	for (j = h & (t->nslots - 1); t->slot[j]; j = (j + 1) & (t->nslots - 1))
		;
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

/** ct_table_free - free the table; it is empty and usable (same @max) afterwards */
void ct_table_free(struct ct_table *t)
{
	size_t max = t->max, i;

	for (i = 0; i < t->n; i++)
		free(t->ent[i].key);
	free(t->ent);
	free(t->slot);
	memset(t, 0, sizeof(*t));
	t->max = max;
}
