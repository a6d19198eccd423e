/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowtrace per-CPU record rings and the cursors that read them.
 * One writer per ring, any number of non-consuming readers.
 */
#ifndef COWTRACE_RING_H
#define COWTRACE_RING_H

#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/types.h>

#include "compat.h"
#include "uapi/cowtrace.h"

#define COWTRACE_ENTRIES_MIN		16U
#define COWTRACE_ENTRIES_MAX		1048576U
#define COWTRACE_ENTRIES_DEFAULT	4096U

/*
 * struct cowtrace_record (uapi/cowtrace.h) is one slot: 64 bytes, so that
 * slots in a page-aligned ring are cache lines and a writer dirties one.
 */
static_assert(sizeof(struct cowtrace_record) == 64);
static_assert(COWTRACE_COMM_LEN == TASK_COMM_LEN);

/**
 * struct cowtrace_ring - the records of one CPU
 * @head:    number of records ever reserved; written by the owner only
 * @last_ts: timestamp of the last record, keeps one ring's times ordered
 * @mask:    entries - 1
 * @slots:   the records, slot = sequence & @mask
 */
struct cowtrace_ring {
	u64 head;
	u64 last_ts;
	unsigned int mask;
	struct cowtrace_record slots[];
};

/**
 * struct cowtrace_rings - the rings of all CPUs
 * @nr:      number of rings (nr_cpu_ids in the module)
 * @entries: records per ring, a power of two
 * @ring:    one ring per CPU
 */
struct cowtrace_rings {
	unsigned int nr;
	unsigned int entries;
	struct cowtrace_ring *ring[];
};

struct cowtrace_rings *cowtrace_rings_alloc(unsigned int nr,
					    unsigned int entries);
void cowtrace_rings_free(struct cowtrace_rings *rs);
void cowtrace_ring_counts(const struct cowtrace_rings *rs, unsigned int cpu,
			  u64 *taken, u64 *held);

/**
 * cowtrace_ring_reserve - start writing the next record of @r
 * @r:   the ring of the current CPU; the caller is its only writer
 * @seq: set to the sequence number of the record
 *
 * Return: the slot to fill; finish with cowtrace_ring_commit().
 */
static __always_inline struct cowtrace_record *
cowtrace_ring_reserve(struct cowtrace_ring *r, u64 *seq)
{
	struct cowtrace_record *slot;

	*seq = r->head;
	slot = &r->slots[*seq & r->mask];
	WRITE_ONCE(slot->stamp, 0);
	/* W1: invalidate before the payload is overwritten; pairs with R2. */
	smp_wmb();
	return slot;
}

/**
 * cowtrace_ring_task - write who a record or process event is of
 * @slot: a reserved slot
 * @tsk:  the task
 * @cpu:  the CPU of @slot's ring
 *
 * The comm goes in NUL padded: no byte of an older, longer name reaches
 * user space.
 */
static __always_inline void cowtrace_ring_task(struct cowtrace_record *slot,
					       struct task_struct *tsk,
					       unsigned int cpu)
{
	u64 lo, hi;

	slot->pid = tsk->pid;
	slot->tgid = tsk->tgid;
	slot->cpu = cpu;
	cowtrace_comm_words(tsk->comm, &lo, &hi);
	memcpy(slot->comm, &lo, sizeof(lo));
	memcpy(slot->comm + sizeof(lo), &hi, sizeof(hi));
}

/**
 * cowtrace_ring_commit - publish the record reserved as @seq
 * @r:    the ring
 * @slot: the slot cowtrace_ring_reserve() returned
 * @seq:  its sequence number
 */
static __always_inline void cowtrace_ring_commit(struct cowtrace_ring *r,
						 struct cowtrace_record *slot,
						 u64 seq)
{
	/*
	 * A fault that slept in its CoW path is committed after a later one
	 * of this CPU: it takes that one's time, so that a ring is in order.
	 */
	if (unlikely(slot->ts < r->last_ts))
		slot->ts = r->last_ts;
	r->last_ts = slot->ts;
	/* W2: payload before stamp; pairs with R1. */
	smp_store_release(&slot->stamp, seq + 1);
	/* W3: a committed slot before the head that counts it; pairs with R0. */
	smp_store_release(&r->head, seq + 1);
}

bool cowtrace_ring_copy(const struct cowtrace_ring *r, u64 seq,
			struct cowtrace_record *out);

/**
 * struct cowtrace_cursor - one reader's position in every ring
 * @rs:    the rings
 * @next:  per ring, the sequence number of the next record to read
 * @lost:  per ring, records overwritten before this cursor read them,
 *         not yet reported
 * @peek:  per ring, a copy of record @next when @valid has its bit
 * @valid: bitmap, one bit per ring
 */
struct cowtrace_cursor {
	const struct cowtrace_rings *rs;
	u64 *next;
	u64 *lost;
	struct cowtrace_record *peek;
	unsigned long *valid;
};

enum cowtrace_item {
	COWTRACE_ITEM_NONE,
	COWTRACE_ITEM_RECORD,
	COWTRACE_ITEM_LOST,
};

int cowtrace_cursor_init(struct cowtrace_cursor *c,
			 const struct cowtrace_rings *rs, u64 *taken, gfp_t gfp);
void cowtrace_cursor_destroy(struct cowtrace_cursor *c);
enum cowtrace_item cowtrace_cursor_next(struct cowtrace_cursor *c,
					struct cowtrace_record *rec,
					u64 *lost, unsigned int *cpu);
bool cowtrace_cursor_pending(const struct cowtrace_cursor *c);

#endif /* COWTRACE_RING_H */
