/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowtrace process trees (pid=P tree=1): the set of P's descendants, kept
 * by the fork and exit events without a lock, so that a probe handler
 * decides membership with one or two cache lines read.
 */
#ifndef COWTRACE_TREE_H
#define COWTRACE_TREE_H

#include <linux/compiler.h>
#include <linux/hash.h>
#include <linux/sched.h>
#include <linux/types.h>

#define COWTRACE_TREE_BITS	14	/* 16384 TGIDs, 64 KiB */
#define COWTRACE_TREE_PROBES	32	/* slots an insert or lookup tries */
#define COWTRACE_TREE_EMPTY	0U	/* no TGID is 0 */
#define COWTRACE_TREE_GONE	U32_MAX	/* a member that exited */

/**
 * struct cowtrace_tree - the TGIDs that descend from @root
 * @root:    P of pid=P; not in @slot, the filter compares it first
 * @building: the set is being filled from the task list
 * @overflow: an insert found no free slot
 *           (either way members may be missing from @slot: a lookup that
 *           misses then walks the task's ancestry instead of answering no)
 * @slot:    open addressing, linear probing; a slot goes EMPTY -> TGID ->
 *           GONE only, so a lookup never misses a member that is there
 */
struct cowtrace_tree {
	u32 root;
	bool building;
	bool overflow;
	u32 slot[1U << COWTRACE_TREE_BITS];
};

/* Visit the slots where @tgid can be, in probe order: @i the slot, @n the count. */
#define cowtrace_tree_for_each_slot(tgid, i, n)				\
	for ((n) = 0, (i) = hash_32(tgid, COWTRACE_TREE_BITS);		\
	     (n) < COWTRACE_TREE_PROBES;					\
	     (n)++, (i) = ((i) + 1) & ((1U << COWTRACE_TREE_BITS) - 1))

enum cowtrace_tree_answer {
	COWTRACE_TREE_NO,
	COWTRACE_TREE_YES,
	COWTRACE_TREE_UNKNOWN,	/* every probed slot held another TGID */
};

/**
 * cowtrace_tree_find - whether @tgid is in the set
 * @t:    the set
 * @tgid: a TGID, not 0
 *
 * Lockless; any context.
 *
 * Return: YES, NO, or UNKNOWN when COWTRACE_TREE_PROBES slots held others.
 */
static __always_inline enum cowtrace_tree_answer
cowtrace_tree_find(const struct cowtrace_tree *t, u32 tgid)
{
	unsigned int i, n;

	cowtrace_tree_for_each_slot(tgid, i, n) {
		u32 v = READ_ONCE(t->slot[i]);

		if (v == tgid)
			return COWTRACE_TREE_YES;
		if (v == COWTRACE_TREE_EMPTY)
			return COWTRACE_TREE_NO;
	}
	return COWTRACE_TREE_UNKNOWN;
}

bool cowtrace_tree_add(struct cowtrace_tree *t, u32 tgid);
void cowtrace_tree_del(struct cowtrace_tree *t, u32 tgid);
bool cowtrace_tree_descends(struct task_struct *tsk, u32 root);
bool cowtrace_tree_has(struct cowtrace_tree *t, u32 tgid);
void cowtrace_tree_fork(struct cowtrace_tree *t, u32 parent, u32 child);
struct cowtrace_tree *cowtrace_tree_alloc(u32 root);
void cowtrace_tree_fill(struct cowtrace_tree *t);
void cowtrace_tree_free(struct cowtrace_tree *t);

#endif /* COWTRACE_TREE_H */
