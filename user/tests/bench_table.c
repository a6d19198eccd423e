// SPDX-License-Identifier: GPL-2.0
/*
 * The table under keys chosen to collide: 40,000 comms of one process
 * that all fall in 64 of the 65,536 slots under the reader's old,
 * unkeyed hash (reproduced here to find them), as a process that renames
 * itself could choose them. Looking them up must cost what random comms
 * cost, within 2x, both timed here in one run. Built without sanitizers,
 * as the reader is. Prints "ok - " or "not ok - " lines.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../table.h"

#define KEYS	40000
#define SLOTS	65536		/* what the old table had for KEYS */
#define WINDOW	64		/* the slots the chosen keys fall in */
#define LEN	15
#define TGID	4242
#define ROUNDS	3		/* lookups of each key, after its insertion */
#define TRIALS	5		/* the fastest trial counts */

/* The old hash: FNV-1a from TGID, then a mix of the high bits in. */
static uint64_t fnv_step(uint64_t h, unsigned char c)
{
	return (h ^ c) * 0x100000001b3ULL;
}

static size_t old_hash_end(uint64_t h)
{
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return (size_t)(h ^ h >> 32);
}

static size_t old_hash(uint32_t tgid, const char *comm, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ tgid;
	size_t i;

	for (i = 0; i < len; i++)
		h = fnv_step(h, (unsigned char)comm[i]);
	return old_hash_end(h);
}

static const char alnum[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/*
 * KEYS comms whose old slot (of SLOTS) is in [0, WINDOW): the first 11
 * bytes name a batch, the last 4 vary, hashed on from the batch's state.
 */
static void chosen_keys(char (*k)[LEN + 1])
{
	unsigned long batch = 0;
	size_t n = 0;

	while (n < KEYS) {
		char c[LEN + 1];
		uint64_t h = 0xcbf29ce484222325ULL ^ TGID;
		size_t i, a, b, d, e;

		snprintf(c, sizeof(c), "col%08lu....", batch++);
		for (i = 0; i < LEN - 4; i++)
			h = fnv_step(h, (unsigned char)c[i]);
		for (a = 0; a < 62 && n < KEYS; a++)
		for (b = 0; b < 62 && n < KEYS; b++)
		for (d = 0; d < 62 && n < KEYS; d++) {
			uint64_t h3 = fnv_step(fnv_step(fnv_step(h, alnum[a]), alnum[b]), alnum[d]);

			for (e = 0; e < 62 && n < KEYS; e++) {
				if ((old_hash_end(fnv_step(h3, alnum[e])) & (SLOTS - 1)) >= WINDOW)
					continue;
				memcpy(k[n], c, LEN - 4);
				k[n][LEN - 4] = alnum[a];
				k[n][LEN - 3] = alnum[b];
				k[n][LEN - 2] = alnum[d];
				k[n][LEN - 1] = alnum[e];
				k[n][LEN] = '\0';
				n++;
			}
		}
	}
}

static void random_keys(char (*k)[LEN + 1])
{
	size_t n, i;

	srand(1);
	for (n = 0; n < KEYS; n++) {
		memcpy(k[n], "col", 3);
		for (i = 3; i < LEN; i++)
			k[n][i] = alnum[rand() % 62];
		k[n][LEN] = '\0';
	}
}

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Each key added and counted, then looked up ROUNDS times: the fastest of TRIALS. */
static double cost(char (*k)[LEN + 1], size_t *bad)
{
	double best = 1e9;
	int trial, r;
	size_t i;

	for (trial = 0; trial < TRIALS; trial++) {
		struct ct_table t = { .max = KEYS };
		double t0 = cpu_seconds(), s;

		for (i = 0; i < KEYS; i++) {
			struct ct_count *c = ct_table_get(&t, TGID, k[i], LEN, true);

			if (c && c != &t.other)
				c->records[0]++;
			else
				++*bad;
		}
		for (r = 0; r < ROUNDS; r++)
			for (i = 0; i < KEYS; i++)
				if (!ct_table_get(&t, TGID, k[i], LEN, false))
					++*bad;
		s = cpu_seconds() - t0;
		best = s < best ? s : best;
		ct_table_free(&t);
	}
	return best;
}

int main(void)
{
	char (*chosen)[LEN + 1] = calloc(KEYS, sizeof(*chosen));
	char (*rnd)[LEN + 1] = calloc(KEYS, sizeof(*rnd));
	unsigned char *used = calloc(SLOTS, 1);
	size_t i, slots = 0, bad = 0;
	double tc, tr;

	if (!chosen || !rnd || !used)
		return 1;
	chosen_keys(chosen);
	random_keys(rnd);
	/* The control: under the old hash they are as bad as claimed. */
	for (i = 0; i < KEYS; i++) {
		size_t j = old_hash(TGID, chosen[i], LEN) & (SLOTS - 1);

		slots += !used[j];
		used[j] = 1;
	}
	printf("%s - the %d chosen comms share %zu of the old hash's %d slots (<= %d)\n",
	       slots <= WINDOW ? "ok" : "not ok", KEYS, slots, SLOTS, WINDOW);
	tc = cost(chosen, &bad);
	tr = cost(rnd, &bad);
	printf("%s - %d comms chosen against the old hash cost %.1f ms to add and look up %d times, random ones %.1f ms (within 2x; %zu missing)\n",
	       tc <= 2 * tr && !bad ? "ok" : "not ok", KEYS, tc * 1000, ROUNDS,
	       tr * 1000, bad);
	free(chosen);
	free(rnd);
	free(used);
	return 0;
}
