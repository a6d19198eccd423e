/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/cowtrace: per-open cursors over the rings, poll and wake-ups. */
#ifndef COWTRACE_PROC_H
#define COWTRACE_PROC_H

#include <linux/irq_work.h>
#include <linux/percpu.h>
#include <linux/wait.h>

#include "ring.h"

/* In an allocated hub that may outlive the module: see proc.c. */
extern struct wait_queue_head *cowtrace_wq;
DECLARE_PER_CPU(struct irq_work, cowtrace_wake_work);

/**
 * cowtrace_notify - wake readers of /proc/cowtrace, from any context
 *
 * Lockless: the wake-up itself runs later from irq_work, where taking the
 * wait queue's lock is allowed (a sleeping lock on PREEMPT_RT).
 */
static __always_inline void cowtrace_notify(void)
{
	/* Full barrier: pairs with the smp_mb() in cowtrace_proc_poll(). */
	if (wq_has_sleeper(cowtrace_wq))
		irq_work_queue(this_cpu_ptr(&cowtrace_wake_work));
}

int cowtrace_proc_init(struct cowtrace_rings *rs);
void cowtrace_proc_exit(void);

#endif /* COWTRACE_PROC_H */
