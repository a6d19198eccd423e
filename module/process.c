// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace process events: a fork of a new process and the exit of a
 * process's last thread, from the kernel's own sched_process_fork and
 * sched_process_exit tracepoints (found by name, as LTTng does: they are
 * not exported for modules), into the records' rings. They pass the
 * filter as records do, and keep the set of a tree= filter.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>

#include "compat.h"
#include "filter.h"
#include "process.h"
#include "wake.h"

static struct cowtrace_rings *cowtrace_process_rings;

/* Write one event into the current CPU's ring; preemption is disabled. */
static void cowtrace_process_event(struct task_struct *tsk, u8 type,
				   u32 child)
{
	unsigned int cpu = smp_processor_id();
	struct cowtrace_ring *ring = cowtrace_process_rings->ring[cpu];
	struct cowtrace_record *slot;
	u64 seq;

	slot = cowtrace_ring_reserve(ring, &seq);
	slot->ts = ktime_get_mono_fast_ns();
	slot->addr = child;
	slot->ip = 0;
	cowtrace_ring_task(slot, tsk, cpu);
	slot->kind = type;
	slot->map = 0;
	slot->result = 0;
	slot->shift = 0;
	cowtrace_ring_commit(ring, slot, seq);
	cowtrace_notify(seq + 1);
}

/* sched_process_fork: @parent (current) made @child, a thread or not. */
static void cowtrace_on_fork(void *data, struct task_struct *parent,
			     struct task_struct *child)
{
	const struct cowtrace_filter *f;

	/* CLONE_THREAD: a thread of the same process, not a fork. */
	if (!thread_group_leader(child))
		return;
	/* Also where the tracepoint runs preemptible: one writer a ring. */
	preempt_disable_notrace();
	f = rcu_dereference_sched(cowtrace_filter_active);
	if (f->tree)
		cowtrace_tree_fork(f->tree, parent->tgid, child->tgid);
	if (cowtrace_filter_match(f, parent->comm, parent->tgid))
		cowtrace_process_event(parent, COWTRACE_EVENT_FORK, child->tgid);
	preempt_enable_notrace();
}
NOKPROBE_SYMBOL(cowtrace_on_fork);

/* sched_process_exit: a thread (current) exits; the last one is the event. */
static void cowtrace_on_exit(void *data, COWTRACE_EXIT_TP_ARGS)
{
	const struct cowtrace_filter *f;

	if (!COWTRACE_EXIT_GROUP_DEAD)
		return;
	preempt_disable_notrace();
	f = rcu_dereference_sched(cowtrace_filter_active);
	if (cowtrace_filter_match(f, p->comm, p->tgid))
		cowtrace_process_event(p, COWTRACE_EVENT_EXIT, 0);
	if (f->tree)
		cowtrace_tree_del(f->tree, p->tgid);
	preempt_enable_notrace();
}
NOKPROBE_SYMBOL(cowtrace_on_exit);

static struct cowtrace_tracepoint {
	const char *name;
	void *probe;
	struct tracepoint *tp;
} cowtrace_tracepoints[] = {
	{ "sched_process_fork", cowtrace_on_fork },
	{ "sched_process_exit", cowtrace_on_exit },
};

static void cowtrace_tracepoint_find(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cowtrace_tracepoints); i++)
		if (!strcmp(tp->name, cowtrace_tracepoints[i].name))
			cowtrace_tracepoints[i].tp = tp;
}

static void cowtrace_tracepoints_unregister(unsigned int n)
{
	while (n--)
		tracepoint_probe_unregister(cowtrace_tracepoints[n].tp,
					    cowtrace_tracepoints[n].probe, NULL);
	/* No probe of ours runs once this returns. */
	tracepoint_synchronize_unregister();
}

/**
 * cowtrace_process_init - start writing fork and exit events into @rs
 * @rs: the rings
 *
 * Return: 0, or the error of finding or attaching a tracepoint (logged).
 */
int cowtrace_process_init(struct cowtrace_rings *rs)
{
	unsigned int i;
	int ret;

	cowtrace_process_rings = rs;
	for_each_kernel_tracepoint(cowtrace_tracepoint_find, NULL);
	for (i = 0; i < ARRAY_SIZE(cowtrace_tracepoints); i++) {
		struct cowtrace_tracepoint *t = &cowtrace_tracepoints[i];

		ret = t->tp ? tracepoint_probe_register(t->tp, t->probe, NULL) :
			      -ENOENT;
		if (ret) {
			pr_err("cannot attach to the tracepoint %s, which gives the fork and exit lines: %d\n",
			       t->name, ret);
			cowtrace_tracepoints_unregister(i);
			return ret;
		}
	}
	return 0;
}

/**
 * cowtrace_process_exit - stop the events; none is written after it returns
 */
void cowtrace_process_exit(void)
{
	cowtrace_tracepoints_unregister(ARRAY_SIZE(cowtrace_tracepoints));
}
