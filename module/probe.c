// SPDX-License-Identifier: GPL-2.0
/*
 * The kprobe on do_wp_page: for each call that passes the filter, one
 * record into the current CPU's ring, without a lock, a sleep or an
 * allocation.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>

#include "compat.h"
#include "filter.h"
#include "probe.h"
#include "proc.h"

static struct cowtrace_rings *cowtrace_probe_rings;

/* Take one record of the do_wp_page call whose registers are @regs. */
static noinline void cowtrace_record(struct pt_regs *regs,
				     struct task_struct *tsk)
{
	const struct vm_fault *vmf;
	const struct vm_area_struct *vma;
	struct cowtrace_record *slot;
	struct cowtrace_ring *ring;
	unsigned int cpu = smp_processor_id();
	u64 seq;

	vmf = (const struct vm_fault *)regs_get_kernel_argument(regs, 0);
	vma = vmf->vma;
	ring = cowtrace_probe_rings->ring[cpu];
	slot = cowtrace_ring_reserve(ring, &seq);
	slot->ts = ktime_get_mono_fast_ns();
	slot->addr = vmf->address;
	slot->pid = tsk->pid;
	slot->tgid = tsk->tgid;
	slot->cpu = cpu;
	slot->kind = cowtrace_fault_is_unshare(vmf) ? COWTRACE_KIND_UNSHARE :
						       COWTRACE_KIND_WRITE;
	if (vma->vm_flags & VM_SHARED)
		slot->map = COWTRACE_MAP_SHARED;
	else if (vma->vm_file)
		slot->map = COWTRACE_MAP_FILE;
	else
		slot->map = COWTRACE_MAP_ANON;
	memcpy(slot->comm, tsk->comm, sizeof(slot->comm));
	cowtrace_ring_commit(ring, slot, seq);
	cowtrace_notify();
}
NOKPROBE_SYMBOL(cowtrace_record);

/*
 * kprobe pre_handler, at do_wp_page(struct vm_fault *vmf) entry: the
 * filter inline (a rejected event costs a few loads and compares), the
 * record out of line.
 */
static int cowtrace_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct task_struct *tsk = current;
	const struct cowtrace_filter *f;

	/* Preemption is off here: an RCU-sched read-side section. */
	f = rcu_dereference_sched(cowtrace_filter_active);
	if (cowtrace_filter_match(f, tsk->comm, tsk->tgid))
		cowtrace_record(regs, tsk);
	return 0;
}
NOKPROBE_SYMBOL(cowtrace_pre);

static struct kprobe cowtrace_kp = {
	.symbol_name	= "do_wp_page",
	.pre_handler	= cowtrace_pre,
};

/**
 * cowtrace_probe_missed - times the probe was hit but its handler not run
 *
 * Return: the kprobe's miss count (it has one counter, not one per CPU).
 */
unsigned long cowtrace_probe_missed(void)
{
	return READ_ONCE(cowtrace_kp.nmissed);
}

/**
 * cowtrace_probe_init - start recording into @rs
 * @rs: the rings, one per possible CPU
 *
 * Return: 0, or the error register_kprobe() gave, logged.
 */
int cowtrace_probe_init(struct cowtrace_rings *rs)
{
	int ret;

	cowtrace_probe_rings = rs;
	ret = register_kprobe(&cowtrace_kp);
	if (ret)
		pr_err("cannot probe do_wp_page on this kernel (inlined, renamed or kprobes off): register_kprobe: %d\n",
		       ret);
	return ret;
}

/**
 * cowtrace_probe_exit - stop recording; no handler runs after it returns
 */
void cowtrace_probe_exit(void)
{
	unregister_kprobe(&cowtrace_kp);
	if (cowtrace_kp.nmissed)
		pr_info("kprobe missed %lu events\n", cowtrace_kp.nmissed);
}
