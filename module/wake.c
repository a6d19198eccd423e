// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace wake-ups: a follower in poll() is woken when a CPU's records
 * taken since the last wake-up reach a watermark, or at most
 * COWTRACE_WAKE_DELAY after a record, whichever comes first. It neither
 * wakes once per record under a storm nor waits long when records trickle.
 *
 * Why every record is covered: the probe handler commits the record, then
 * (full barrier in wq_has_sleeper()) reads @armed. If it reads false it
 * queues @work, which runs after the commit and either wakes the readers
 * or arms the timer. If it reads true, the timer callback has not yet
 * cleared @armed: it clears it, then (smp_mb()) wakes the readers, who
 * then see the record.
 */

#include <linux/ktime.h>
#include <linux/poll.h>

#include "compat.h"
#include "wake.h"

/* Longest wait from a record to the wake-up of its readers, in ms. */
#define COWTRACE_WAKE_DELAY	10

struct wait_queue_head *cowtrace_wq;
DEFINE_PER_CPU(struct cowtrace_waker, cowtrace_waker);
/* Records of one CPU that wake the readers at once: a quarter ring. */
unsigned int cowtrace_wake_mark __read_mostly;

/* Wake the readers for the records of @w's ring so far. */
static void cowtrace_wake_now(struct cowtrace_waker *w)
{
	/* R0: pairs with W3, the head of records already committed. */
	WRITE_ONCE(w->woken, smp_load_acquire(&w->ring->head));
	wake_up_interruptible_poll(cowtrace_wq, EPOLLIN | EPOLLRDNORM);
}

/* irq_work callback: the watermark was reached, or no timer is armed. */
static void cowtrace_wake_work(struct irq_work *work)
{
	struct cowtrace_waker *w = container_of(work, struct cowtrace_waker,
						work);

	/* R0: pairs with W3; records counted are committed. */
	if (smp_load_acquire(&w->ring->head) - READ_ONCE(w->woken) >=
	    cowtrace_wake_mark) {
		cowtrace_wake_now(w);
		return;
	}
	if (READ_ONCE(w->armed))
		return;
	WRITE_ONCE(w->armed, true);
	/* Default mode: hard interrupt, but a thread on PREEMPT_RT. */
	hrtimer_start(&w->timer, ms_to_ktime(COWTRACE_WAKE_DELAY),
		      HRTIMER_MODE_REL);
}

/* hrtimer callback: the delay passed since a record found no timer. */
static enum hrtimer_restart cowtrace_wake_timer(struct hrtimer *timer)
{
	struct cowtrace_waker *w = container_of(timer, struct cowtrace_waker,
						timer);

	WRITE_ONCE(w->armed, false);
	/* @armed cleared before the wake-up: see the top of this file. */
	smp_mb();
	cowtrace_wake_now(w);
	return HRTIMER_NORESTART;
}

/**
 * cowtrace_wake_init - prepare the wake-ups of the readers of @rs
 * @rs: the rings
 * @wq: what the readers sleep on; must outlive cowtrace_wake_exit()
 */
void cowtrace_wake_init(struct cowtrace_rings *rs, struct wait_queue_head *wq)
{
	int cpu;

	cowtrace_wq = wq;
	cowtrace_wake_mark = max(rs->entries / 4, 1U);
	for_each_possible_cpu(cpu) {
		struct cowtrace_waker *w = per_cpu_ptr(&cowtrace_waker, cpu);

		init_irq_work(&w->work, cowtrace_wake_work);
		hrtimer_setup(&w->timer, cowtrace_wake_timer, CLOCK_MONOTONIC,
			      HRTIMER_MODE_REL);
		w->ring = rs->ring[cpu];
		w->woken = 0;
		w->armed = false;
	}
}

/**
 * cowtrace_wake_exit - stop the wake-ups; none runs after it
 *
 * The probes must be gone: nothing queues @work any more, and only @work
 * arms the timer, so the timer is cancelled after @work is synced.
 */
void cowtrace_wake_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct cowtrace_waker *w = per_cpu_ptr(&cowtrace_waker, cpu);

		irq_work_sync(&w->work);
		hrtimer_cancel(&w->timer);
	}
}
