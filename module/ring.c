// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace per-CPU record rings: fixed-size records, one writer per CPU,
 * any number of independent, non-consuming readers.
 *
 * Each CPU owns one ring. The kretprobe handlers are its only writer:
 * they run with preemption disabled and kprobes do not nest on a CPU, so
 * the writer needs no atomic instruction and no lock. A record's sequence
 * number is the count of records reserved before it on that CPU; it lives
 * in slot (seq & mask). Nothing is ever consumed: a reader keeps its own position
 * (struct cowtrace_cursor) and the writer overwrites the oldest slot.
 *
 * Memory ordering. The writer (cowtrace_ring_reserve/commit) does
 *
 *	stamp = 0;  W1: smp_wmb();  payload;
 *	W2: smp_store_release(stamp, seq + 1);
 *	W3: smp_store_release(head, seq + 1);
 *
 * and a reader that wants record seq (cowtrace_ring_copy) does
 *
 *	R0: h = smp_load_acquire(head);	only seq < h is asked for
 *	R1: s1 = smp_load_acquire(stamp);	s1 must be seq + 1
 *	copy payload;  R2: smp_rmb();  s2 = READ_ONCE(stamp);  s2 must be s1
 *
 * R0 pairs with W3: a reader that sees head > seq also sees the commit of
 * seq, so a stamp other than seq + 1 means a newer record took the slot.
 * R1 pairs with W2: a stamp of seq + 1 makes that record's payload visible.
 * R2 pairs with W1: if the copy saw any store of a newer writer to the
 * payload, it also sees that writer's stamp = 0 (or its later commit),
 * so s2 != s1 and the torn copy is dropped and counted as lost. This is
 * the seqcount protocol with the slot's own sequence number as the count,
 * so a lapped slot can never be mistaken for the one the reader wanted.
 */

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "ring.h"

/**
 * cowtrace_rings_alloc - allocate @nr empty rings of @entries records
 * @nr:      number of rings
 * @entries: records per ring, a power of two
 *
 * Large rings come from vmalloc. When memory is short the allocation fails
 * rather than invoke the OOM killer, and quietly: the caller reports it as a
 * failed load.
 *
 * Return: the rings, or NULL if memory is short or @entries is not a power
 * of two.
 */
struct cowtrace_rings *cowtrace_rings_alloc(unsigned int nr,
					    unsigned int entries)
{
	struct cowtrace_rings *rs;
	unsigned int i;

	if (!nr || !is_power_of_2(entries))
		return NULL;
	rs = kzalloc(struct_size(rs, ring, nr), GFP_KERNEL);
	if (!rs)
		return NULL;
	rs->nr = nr;
	rs->entries = entries;
	for (i = 0; i < nr; i++) {
		struct cowtrace_ring *r;

		r = kvzalloc(struct_size(r, slots, entries),
			     GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
		if (!r)
			goto out_free_rings;
		r->mask = entries - 1;
		rs->ring[i] = r;
	}
	return rs;

out_free_rings:
	cowtrace_rings_free(rs);
	return NULL;
}

/**
 * cowtrace_rings_free - free what cowtrace_rings_alloc() allocated
 * @rs: the rings, or NULL
 *
 * No writer or cursor may use @rs any more.
 */
void cowtrace_rings_free(struct cowtrace_rings *rs)
{
	unsigned int i;

	if (!rs)
		return;
	for (i = 0; i < rs->nr; i++)
		kvfree(rs->ring[i]);
	kfree(rs);
}

/**
 * cowtrace_ring_counts - records taken and held by ring @cpu
 * @rs:    the rings
 * @cpu:   ring index
 * @taken: records written since allocation
 * @held:  records still in the ring
 */
void cowtrace_ring_counts(const struct cowtrace_rings *rs, unsigned int cpu,
			  u64 *taken, u64 *held)
{
	u64 head = smp_load_acquire(&rs->ring[cpu]->head); /* R0 */

	*taken = head;
	*held = min_t(u64, head, rs->entries);
}

/**
 * cowtrace_ring_copy - copy record @seq of @r if it is still there
 * @r:   the ring
 * @seq: a sequence number below the head the caller read (R0)
 * @out: where the record goes
 *
 * Return: true if @out holds record @seq; false if the record was
 * overwritten before or while it was copied.
 */
bool cowtrace_ring_copy(const struct cowtrace_ring *r, u64 seq,
			struct cowtrace_record *out)
{
	const struct cowtrace_record *slot = &r->slots[seq & r->mask];
	u64 s1;

	s1 = smp_load_acquire(&slot->stamp);	/* R1: pairs with W2 */
	if (s1 != seq + 1)
		return false;
	/*
	 * The writer may be overwriting the slot while we copy it: a race by
	 * design, like a seqcount reader's; the stamp check below throws such
	 * a copy away.
	 */
	data_race(memcpy(out, slot, sizeof(*out)));
	smp_rmb();				/* R2: pairs with W1 */
	return READ_ONCE(slot->stamp) == s1;
}

/**
 * cowtrace_cursor_init - start a cursor at the oldest record held
 * @c:   the cursor
 * @rs:    the rings it reads
 * @taken: if not NULL, per ring, the records taken when the cursor started
 * @gfp:   allocation flags
 *
 * Records overwritten before this call are not reported as lost.
 *
 * Return: 0, or -ENOMEM.
 */
int cowtrace_cursor_init(struct cowtrace_cursor *c,
			 const struct cowtrace_rings *rs, u64 *taken, gfp_t gfp)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->rs = rs;
	c->next = kcalloc(rs->nr, sizeof(*c->next), gfp);
	c->lost = kcalloc(rs->nr, sizeof(*c->lost), gfp);
	c->peek = kvcalloc(rs->nr, sizeof(*c->peek), gfp);
	c->valid = bitmap_zalloc(rs->nr, gfp);
	if (!c->next || !c->lost || !c->peek || !c->valid) {
		cowtrace_cursor_destroy(c);
		return -ENOMEM;
	}
	for (i = 0; i < rs->nr; i++) {
		u64 t, held;

		cowtrace_ring_counts(rs, i, &t, &held);
		c->next[i] = t - held;
		if (taken)
			taken[i] = t;
	}
	return 0;
}

/**
 * cowtrace_cursor_destroy - free what cowtrace_cursor_init() allocated
 * @c: the cursor
 */
void cowtrace_cursor_destroy(struct cowtrace_cursor *c)
{
	kfree(c->next);
	kfree(c->lost);
	kvfree(c->peek);
	bitmap_free(c->valid);
	memset(c, 0, sizeof(*c));
}

/* Fill the peek slot of ring @i if a record is there; count what was lost. */
static bool cowtrace_cursor_peek(struct cowtrace_cursor *c, unsigned int i)
{
	const struct cowtrace_ring *r = c->rs->ring[i];
	u64 entries = c->rs->entries;

	if (test_bit(i, c->valid))
		return true;
	for (;;) {
		u64 head = smp_load_acquire(&r->head);	/* R0: pairs with W3 */
		u64 next = c->next[i];

		if (next == head)
			return false;
		if (head - next > entries) {
			c->lost[i] += head - entries - next;
			next = head - entries;
		}
		if (cowtrace_ring_copy(r, next, &c->peek[i])) {
			c->next[i] = next;
			__set_bit(i, c->valid);
			return true;
		}
		/* Overwritten while we looked: lost, try the next one. */
		c->lost[i]++;
		c->next[i] = next + 1;
	}
}

/**
 * cowtrace_cursor_next - the next item for this cursor, in time order
 * @c:    the cursor
 * @rec:  set to the record, for COWTRACE_ITEM_RECORD
 * @lost: set to the number of records lost, for COWTRACE_ITEM_LOST
 * @cpu:  set to the ring the item comes from
 *
 * Among the rings' oldest unread records, the one with the smallest
 * timestamp comes next (the lower CPU on a tie). If records of that ring
 * were overwritten before this cursor read them, a COWTRACE_ITEM_LOST
 * comes first, in their place.
 *
 * Return: what was found; COWTRACE_ITEM_NONE when the cursor has caught up.
 */
enum cowtrace_item cowtrace_cursor_next(struct cowtrace_cursor *c,
					struct cowtrace_record *rec,
					u64 *lost, unsigned int *cpu)
{
	unsigned int i, best = UINT_MAX;

	for (i = 0; i < c->rs->nr; i++) {
		if (!cowtrace_cursor_peek(c, i)) {
			if (c->lost[i] && best == UINT_MAX)
				best = i;
			continue;
		}
		if (best == UINT_MAX || !test_bit(best, c->valid) ||
		    c->peek[i].ts < c->peek[best].ts)
			best = i;
	}
	if (best == UINT_MAX)
		return COWTRACE_ITEM_NONE;
	*cpu = best;
	if (c->lost[best]) {
		*lost = c->lost[best];
		c->lost[best] = 0;
		return COWTRACE_ITEM_LOST;
	}
	*rec = c->peek[best];
	__clear_bit(best, c->valid);
	c->next[best]++;
	return COWTRACE_ITEM_RECORD;
}

/**
 * cowtrace_cursor_pending - whether a record newer than @c exists
 * @c: the cursor
 *
 * Lockless: may race with cowtrace_cursor_next() on the same cursor, in
 * which case the answer is at worst a spurious "yes".
 *
 * Return: true if cowtrace_cursor_next() would find something.
 */
bool cowtrace_cursor_pending(const struct cowtrace_cursor *c)
{
	unsigned int i;

	for (i = 0; i < c->rs->nr; i++) {
		if (test_bit(i, c->valid) || READ_ONCE(c->lost[i]))
			return true;
		/* R0: pairs with W3 */
		if (smp_load_acquire(&c->rs->ring[i]->head) !=
		    READ_ONCE(c->next[i]))
			return true;
	}
	return false;
}
