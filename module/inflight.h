/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowtrace in-flight table: which tasks are inside a probed CoW path, so
 * that a probe deeper in the same fault (the rmap call of a copy) can tell
 * the exit of that path what happened. Lockless: slots are claimed with
 * cmpxchg and found by the task pointer.
 */
#ifndef COWTRACE_INFLIGHT_H
#define COWTRACE_INFLIGHT_H

#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/sched.h>

/* Slots a task may take or look at, from its hash on: bounds every search. */
#define COWTRACE_INFLIGHT_PROBES	8

/**
 * struct cowtrace_inflight_slot - one task inside a probed path
 * @task:  the task; NULL when the slot is free
 * @marks: COWTRACE_MARK_* bits, set by the task's own probes deeper in the
 *         path while it holds the slot
 */
struct cowtrace_inflight_slot {
	struct task_struct *task;
	unsigned long marks;
};

/* The task mapped a page it allocated (a copy, or a zeroed page). */
#define COWTRACE_MARK_INSTALLED	BIT(0)
/* The task entered hugetlb's CoW function inside hugetlb_fault(). */
#define COWTRACE_MARK_HUGETLB_WP	BIT(1)
/*
 * It entered it for a page that hugetlb_no_page() had just installed: a
 * private hugetlb page's first write, which copies nothing.
 */
#define COWTRACE_MARK_FRESH		BIT(2)
/* The task is forking: a page mapped now is a copy fork made at once. */
#define COWTRACE_MARK_FORK		BIT(3)

/**
 * struct cowtrace_inflight - the table
 * @nr:    slots in use, so that the rmap probe of a task that holds none
 *         returns at once when no task holds one
 * @bits:  log2 of the number of slots
 * @slots: the slots
 */
struct cowtrace_inflight {
	atomic_t nr;
	unsigned int bits;
	struct cowtrace_inflight_slot slots[];
};

struct cowtrace_inflight *cowtrace_inflight_alloc(unsigned int tasks);
void cowtrace_inflight_free(struct cowtrace_inflight *t);

/**
 * cowtrace_inflight_enter - @tsk enters a probed path
 * @t:   the table
 * @tsk: current
 *
 * A task is inside at most one probed path at a time (they do not nest),
 * so a slot @tsk already holds was left by a path it never returned from
 * (an oops in a probed function ends the task there). The first slot in
 * probe order that is free or @tsk's is taken (the stale one taken over):
 * cowtrace_inflight_find() looks in the same order, so it finds this slot
 * before any stale one further on, without a second pass here.
 *
 * Return: the slot to give to cowtrace_inflight_leave(), or -1 if the
 * slots near @tsk's hash are all taken (the fault cannot be classified).
 */
static __always_inline int cowtrace_inflight_enter(struct cowtrace_inflight *t,
						   struct task_struct *tsk)
{
	unsigned int mask = (1U << t->bits) - 1;
	unsigned int h = hash_ptr(tsk, t->bits);
	unsigned int i;

	for (i = 0; i < COWTRACE_INFLIGHT_PROBES; i++) {
		struct cowtrace_inflight_slot *s = &t->slots[(h + i) & mask];
		struct task_struct *owner = READ_ONCE(s->task);

		if (owner == tsk) {
			/* Still counted in @nr: only the marks start again. */
			s->marks = 0;
			return (h + i) & mask;
		}
		if (owner || cmpxchg(&s->task, NULL, tsk))
			continue;
		/*
		 * Only @tsk reads or writes @marks while it holds the slot,
		 * so no barrier orders these two stores for others.
		 */
		s->marks = 0;
		atomic_inc(&t->nr);
		return (h + i) & mask;
	}
	return -1;
}

/**
 * cowtrace_inflight_find - the slot @tsk holds
 * @t:   the table
 * @tsk: current
 *
 * Return: the slot, whose @marks only @tsk may change, or NULL if @tsk
 * holds none (the call is not part of a probed path, or @tsk is not traced).
 */
static __always_inline struct cowtrace_inflight_slot *
cowtrace_inflight_find(struct cowtrace_inflight *t, struct task_struct *tsk)
{
	unsigned int mask = (1U << t->bits) - 1;
	unsigned int h, i;

	/*
	 * A task sees its own atomic_inc() in enter; another task's count is
	 * only a shortcut, a stale value costs one search.
	 */
	if (!atomic_read(&t->nr))
		return NULL;
	h = hash_ptr(tsk, t->bits);
	for (i = 0; i < COWTRACE_INFLIGHT_PROBES; i++) {
		struct cowtrace_inflight_slot *s = &t->slots[(h + i) & mask];

		if (READ_ONCE(s->task) == tsk)
			return s;
	}
	return NULL;
}

/**
 * cowtrace_inflight_mark - note what @tsk did inside its path
 * @t:     the table
 * @tsk:   current
 * @set:   COWTRACE_MARK_* bits to set
 * @clear: COWTRACE_MARK_* bits to clear first
 *
 * Does nothing if @tsk holds no slot.
 */
static __always_inline void cowtrace_inflight_mark(struct cowtrace_inflight *t,
						   struct task_struct *tsk,
						   unsigned long set,
						   unsigned long clear)
{
	struct cowtrace_inflight_slot *s = cowtrace_inflight_find(t, tsk);

	if (s)
		s->marks = (s->marks & ~clear) | set;
}

/**
 * cowtrace_inflight_leave - the task that holds @slot leaves its path
 * @t:    the table
 * @slot: what cowtrace_inflight_enter() returned
 *
 * Return: the COWTRACE_MARK_* bits set while the task held the slot.
 */
static __always_inline unsigned long
cowtrace_inflight_leave(struct cowtrace_inflight *t, int slot)
{
	struct cowtrace_inflight_slot *s = &t->slots[slot];
	unsigned long marks = s->marks;

	atomic_dec(&t->nr);
	/* Our reads of the slot before another task may claim it. */
	smp_store_release(&s->task, NULL);
	return marks;
}

#endif /* COWTRACE_INFLIGHT_H */
