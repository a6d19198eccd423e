/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: a map from TGID to a 32-bit value, in a hash table. */
#ifndef COWTRACE_TGIDMAP_H
#define COWTRACE_TGIDMAP_H

#include <stddef.h>
#include <stdint.h>

/**
 * struct ct_tgid_map - TGID -> value, open addressing, linear probing
 * @key:    TGID + 1 per slot, 0 free
 * @val:    the value of each slot
 * @n:      keys held
 * @nslots: a power of two, kept at least twice @n (0 before the first put)
 * @seed:   the secret of the hash, drawn when the first key is put
 *
 * A TGID comes from the input, which may be any file: the secret keeps
 * keys that all collide from being chosen. Deletion shifts back, so
 * that a map of processes that come and go never fills with tombstones.
 */
struct ct_tgid_map {
	uint64_t *key;
	uint32_t *val;
	size_t n, nslots;
	uint64_t seed;
};

uint32_t *ct_tgid_get(const struct ct_tgid_map *m, uint32_t tgid);
int ct_tgid_put(struct ct_tgid_map *m, uint32_t tgid, uint32_t val);
void ct_tgid_del(struct ct_tgid_map *m, uint32_t tgid);
void ct_tgid_free(struct ct_tgid_map *m);

#endif /* COWTRACE_TGIDMAP_H */
