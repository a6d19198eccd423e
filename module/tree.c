// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace process trees: the descendants of pid=P, added by the fork
 * event of a member, removed by its exit event, filled once from the task
 * list when tree=1 or pid= is set. A set rather than a walk up real_parent
 * at every fault: a process whose parent exited is reparented (to init or
 * a subreaper) and would fall out of the tree, and a walk costs a cache
 * miss per generation on every fault outside the tree.
 */

#include <linux/kprobes.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include "tree.h"

/**
 * cowtrace_tree_add - put @tgid in the set
 * @t:    the set
 * @tgid: a TGID, not 0
 *
 * Lockless: any number of adders, removers and finders at once. A slot
 * is claimed with cmpxchg from EMPTY; a GONE slot is not reused, so that
 * a TGID is never in two slots.
 *
 * Return: true if @tgid is in the set; false if no slot was free, after
 * which the set is marked overflowed.
 */
bool cowtrace_tree_add(struct cowtrace_tree *t, u32 tgid)
{
	unsigned int i, n;

	cowtrace_tree_for_each_slot(tgid, i, n) {
		u32 v = READ_ONCE(t->slot[i]);

		if (v == COWTRACE_TREE_EMPTY)
			v = cmpxchg(&t->slot[i], COWTRACE_TREE_EMPTY, tgid);
		if (v == COWTRACE_TREE_EMPTY || v == tgid)
			return true;
	}
	WRITE_ONCE(t->overflow, true);
	return false;
}
NOKPROBE_SYMBOL(cowtrace_tree_add);

/**
 * cowtrace_tree_del - take @tgid out of the set (its last thread exited)
 * @t:    the set
 * @tgid: a TGID, not 0
 */
void cowtrace_tree_del(struct cowtrace_tree *t, u32 tgid)
{
	unsigned int i, n;

	cowtrace_tree_for_each_slot(tgid, i, n) {
		u32 v = READ_ONCE(t->slot[i]);

		if (v == tgid) {
			/* Only this TGID's exit writes its slot now. */
			WRITE_ONCE(t->slot[i], COWTRACE_TREE_GONE);
			return;
		}
		if (v == COWTRACE_TREE_EMPTY)
			return;
	}
}
NOKPROBE_SYMBOL(cowtrace_tree_del);

/**
 * cowtrace_tree_descends - whether @tsk's process is @root or below it
 * @tsk:  a task
 * @root: a TGID
 *
 * Walks real_parent under RCU, at most 64 generations: the fallback of a
 * partial set. A process reparented when its parent exited is not found.
 *
 * Return: true if @root is @tsk's TGID or an ancestor's.
 */
bool cowtrace_tree_descends(struct task_struct *tsk, u32 root)
{
	unsigned int depth;
	bool found = false;

	rcu_read_lock();
	for (depth = 0; depth < 64; depth++) {
		struct task_struct *parent;

		if (tsk->tgid == root) {
			found = true;
			break;
		}
		parent = rcu_dereference(tsk->real_parent);
		if (parent == tsk || !parent->pid)
			break;
		tsk = parent;
	}
	rcu_read_unlock();
	return found;
}
NOKPROBE_SYMBOL(cowtrace_tree_descends);

/**
 * cowtrace_tree_has - whether @tgid, the current task's, is in the tree
 * @t:    the set
 * @tgid: current's TGID (the fallback walks current's ancestry)
 *
 * Return: true for @t's root and its descendants.
 */
bool cowtrace_tree_has(struct cowtrace_tree *t, u32 tgid)
{
	enum cowtrace_tree_answer a;

	if (tgid == t->root)
		return true;
	a = cowtrace_tree_find(t, tgid);
	if (a == COWTRACE_TREE_YES)
		return true;
	if (a == COWTRACE_TREE_NO && !READ_ONCE(t->building) &&
	    !READ_ONCE(t->overflow))
		return false;
	return cowtrace_tree_descends(current, t->root);
}
NOKPROBE_SYMBOL(cowtrace_tree_has);

/**
 * cowtrace_tree_fork - @parent forked @child: a member's child is one
 * @t:      the set
 * @parent: the forking task's TGID (the current task's)
 * @child:  the new process's TGID
 */
void cowtrace_tree_fork(struct cowtrace_tree *t, u32 parent, u32 child)
{
	if (cowtrace_tree_has(t, parent))
		cowtrace_tree_add(t, child);
}
NOKPROBE_SYMBOL(cowtrace_tree_fork);

/**
 * cowtrace_tree_alloc - an empty set, being built, for the tree of @root
 * @root: the TGID of pid=
 *
 * Sleeps. Return: the set, or NULL.
 */
struct cowtrace_tree *cowtrace_tree_alloc(u32 root)
{
	struct cowtrace_tree *t = kvzalloc(sizeof(*t), GFP_KERNEL);

	if (t) {
		t->root = root;
		t->building = true;
	}
	return t;
}

/**
 * cowtrace_tree_fill - add the processes that descend from the root now
 * @t: a set already published, so that forks during the fill add to it
 *
 * A fork during the walk is found either by the walk (the child is on the
 * task list before its fork event, appended at the tail the walk has not
 * reached) or by its fork event (the parent was added before). Then the
 * set is complete unless an insert overflowed.
 */
void cowtrace_tree_fill(struct cowtrace_tree *t)
{
	struct task_struct *p;

	rcu_read_lock();
	for_each_process(p)
		if (p->tgid != t->root && cowtrace_tree_descends(p, t->root))
			cowtrace_tree_add(t, p->tgid);
	rcu_read_unlock();
	WRITE_ONCE(t->building, false);
}

/**
 * cowtrace_tree_free - free a set no handler can reach any more
 * @t: the set, or NULL
 */
void cowtrace_tree_free(struct cowtrace_tree *t)
{
	kvfree(t);
}
