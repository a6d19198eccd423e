// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: TGID -> value for what follows processes (--forks,
 * --svg, -- COMMAND). Memory follows the keys held, not the keys seen.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "tgidmap.h"

/* splitmix64's finalizer over the TGID and the secret. */
static size_t slot_of(const struct ct_tgid_map *m, uint32_t tgid)
{
	uint64_t x = tgid ^ m->seed;

	x = (x ^ x >> 30) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ x >> 27) * 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (size_t)x & (m->nslots - 1);
}

/* Without getrandom(), what another process cannot read of this one. */
static void seed(struct ct_tgid_map *m)
{
	struct timespec ts;

	if (getrandom(&m->seed, sizeof(m->seed), GRND_NONBLOCK) == sizeof(m->seed))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	m->seed = ((uint64_t)ts.tv_nsec << 32 ^ (uint64_t)ts.tv_sec) ^
		  (uint64_t)(uintptr_t)m ^ (uint64_t)getpid() << 40;
}

/* The slot of @tgid, or of the free slot where it would go. */
static size_t find(const struct ct_tgid_map *m, uint32_t tgid)
{
	size_t i = slot_of(m, tgid);

	while (m->key[i] && m->key[i] != (uint64_t)tgid + 1)
		i = (i + 1) & (m->nslots - 1);
	return i;
}

/**
 * ct_tgid_get - the value of @tgid
 * @m:    the map
 * @tgid: the key
 *
 * Return: a pointer to the value, valid until the next put or del; NULL
 * when @tgid is not held.
 */
uint32_t *ct_tgid_get(const struct ct_tgid_map *m, uint32_t tgid)
{
	size_t i;

	if (!m->n)
		return NULL;
	i = find(m, tgid);
	return m->key[i] ? &m->val[i] : NULL;
}

static int grow(struct ct_tgid_map *m)
{
	struct ct_tgid_map b = { .seed = m->seed };
	size_t i;

	b.nslots = m->nslots ? 2 * m->nslots : 64;
	b.key = calloc(b.nslots, sizeof(*b.key));
	b.val = malloc(b.nslots * sizeof(*b.val));
	if (!b.key || !b.val) {
		free(b.key);
		free(b.val);
		return -1;
	}
	for (i = 0; i < m->nslots; i++) {
		if (m->key[i]) {
			size_t j = find(&b, (uint32_t)(m->key[i] - 1));

			b.key[j] = m->key[i];
			b.val[j] = m->val[i];
		}
	}
	b.n = m->n;
	free(m->key);
	free(m->val);
	*m = b;
	return 0;
}

/**
 * ct_tgid_put - set the value of @tgid, adding it if needed
 * @m:    the map
 * @tgid: the key
 * @val:  its value
 *
 * Return: 0, or -1 when out of memory (the map unchanged).
 */
int ct_tgid_put(struct ct_tgid_map *m, uint32_t tgid, uint32_t val)
{
	size_t i;

	if (!m->nslots)
		seed(m);
	if (2 * (m->n + 1) > m->nslots && grow(m))
		return -1;
	i = find(m, tgid);
	if (!m->key[i]) {
		m->key[i] = (uint64_t)tgid + 1;
		m->n++;
	}
	m->val[i] = val;
	return 0;
}

/**
 * ct_tgid_del - forget @tgid, if held
 * @m:    the map
 * @tgid: the key
 *
 * The keys after it in its run move back into the hole each may take
 * (Knuth's algorithm R), so that every lookup still finds them.
 */
void ct_tgid_del(struct ct_tgid_map *m, uint32_t tgid)
{
	size_t mask = m->nslots - 1, i, j;

	if (!m->n)
		return;
	i = find(m, tgid);
	if (!m->key[i])
		return;
	m->key[i] = 0;
	m->n--;
	for (j = (i + 1) & mask; m->key[j]; j = (j + 1) & mask) {
		size_t home = slot_of(m, (uint32_t)(m->key[j] - 1));

		/* Stays if its home lies cyclically in (i, j]. */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		m->key[i] = m->key[j];
		m->val[i] = m->val[j];
		m->key[j] = 0;
		i = j;
	}
}

void ct_tgid_free(struct ct_tgid_map *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}
