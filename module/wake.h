/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowtrace wake-ups of the readers that sleep in poll(): batched per CPU by
 * a watermark, and never later than a short delay after a record.
 */
#ifndef COWTRACE_WAKE_H
#define COWTRACE_WAKE_H

#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/percpu.h>
#include <linux/wait.h>

#include "ring.h"

/**
 * struct cowtrace_waker - the wake-ups of one CPU's records
 * @work:  queued by the probe handler; wakes the readers or arms @timer
 * @timer: wakes the readers COWTRACE_WAKE_DELAY after it was armed
 * @ring:  this CPU's ring, whose head counts the records taken
 * @woken: @ring's head at the last wake-up
 * @armed: @timer is armed and has not yet woken the readers
 *
 * @woken and @armed are written by @work and @timer, which may run at the
 * same time (PREEMPT_RT runs both in threads), and read by the probe
 * handler: every access is READ_ONCE()/WRITE_ONCE(), and a stale value
 * costs at most an early or an extra wake-up (see wake.c).
 */
struct cowtrace_waker {
	struct irq_work work;
	struct hrtimer timer;
	const struct cowtrace_ring *ring;
	u64 woken;
	bool armed;
};

/* In an allocated hub that may outlive the module: see proc.c. */
extern struct wait_queue_head *cowtrace_wq;
DECLARE_PER_CPU(struct cowtrace_waker, cowtrace_waker);
extern unsigned int cowtrace_wake_mark;

/**
 * cowtrace_notify - a record was committed on this CPU; wake readers
 * @head: the ring's head after the commit
 *
 * Called by the probe handler, preemption disabled. Lockless: the
 * wake-up runs later from irq_work or the timer, where taking the wait
 * queue's lock is allowed (a sleeping lock on PREEMPT_RT). Queues the
 * irq_work only when @cowtrace_wake_mark records were taken since the last
 * wake-up or no timer is armed yet, not for every record.
 */
static __always_inline void cowtrace_notify(u64 head)
{
	struct cowtrace_waker *w = this_cpu_ptr(&cowtrace_waker);

	/* Full barrier: pairs with the smp_mb() in cowtrace_proc_poll(). */
	if (!wq_has_sleeper(cowtrace_wq))
		return;
	if (!READ_ONCE(w->armed) ||
	    head - READ_ONCE(w->woken) >= cowtrace_wake_mark)
		irq_work_queue(&w->work);
}

void cowtrace_wake_init(struct cowtrace_rings *rs, struct wait_queue_head *wq);
void cowtrace_wake_exit(void);

#endif /* COWTRACE_WAKE_H */
