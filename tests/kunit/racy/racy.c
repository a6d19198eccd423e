// SPDX-License-Identifier: GPL-2.0
/*
 * racy: a deliberate data race, built only as the positive control of the
 * KCSAN run: two kthreads and an hrtimer increment one counter with plain
 * accesses. The KCSAN kernel must report it and ct_judge must fail the run.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/module.h>

static unsigned long racy_counter;
static struct task_struct *racy_task[2];
static struct hrtimer racy_timer;

/* The race: a plain read-modify-write, from everywhere. */
static noinline void racy_bump(void)
{
	racy_counter++;
}

static enum hrtimer_restart racy_tick(struct hrtimer *t)
{
	racy_bump();
	hrtimer_forward_now(t, ns_to_ktime(100 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

static int racy_thread(void *unused)
{
	while (!kthread_should_stop()) {
		int i;

		for (i = 0; i < 10000; i++)
			racy_bump();
		cond_resched();
	}
	return 0;
}

static int __init racy_init(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(racy_task); i++) {
		racy_task[i] = kthread_run(racy_thread, NULL, "racy/%d", i);
		if (IS_ERR(racy_task[i])) {
			while (--i >= 0)
				kthread_stop(racy_task[i]);
			return -ENOMEM;
		}
	}
	hrtimer_init(&racy_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	racy_timer.function = racy_tick;
	hrtimer_start(&racy_timer, ns_to_ktime(100 * NSEC_PER_USEC), HRTIMER_MODE_REL);
	pr_info("racing\n");
	return 0;
}

static void __exit racy_exit(void)
{
	int i;

	hrtimer_cancel(&racy_timer);
	for (i = 0; i < ARRAY_SIZE(racy_task); i++)
		kthread_stop(racy_task[i]);
	pr_info("counter %lu\n", racy_counter);
}

module_init(racy_init);
module_exit(racy_exit);

MODULE_DESCRIPTION("A deliberate data race: the KCSAN run's positive control");
MODULE_LICENSE("GPL");
