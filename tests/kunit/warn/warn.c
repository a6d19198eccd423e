// SPDX-License-Identifier: GPL-2.0
/*
 * warn: the kernel-log check's positive control (ct_control in
 * tests/vm/lib.sh): at load, a PROVE_RCU "suspicious RCU usage", a lockdep
 * "possible circular locking dependency" (two mutexes taken in both
 * orders, by one task: no deadlock) and a WARN_ON. The first two need a
 * debug kernel; the WARN_ON shows on any. ct_judge must fail the run.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>

static DEFINE_MUTEX(warn_a);
static DEFINE_MUTEX(warn_b);
static int __rcu *warn_ptr;

static int __init warn_init(void)
{
	int *p;

	/* First: once lockdep has reported, it turns itself (and PROVE_RCU) off. */
	p = rcu_dereference(warn_ptr);	/* outside rcu_read_lock() */
	mutex_lock(&warn_a);
	mutex_lock(&warn_b);
	mutex_unlock(&warn_b);
	mutex_unlock(&warn_a);
	mutex_lock(&warn_b);
	mutex_lock(&warn_a);
	mutex_unlock(&warn_a);
	mutex_unlock(&warn_b);
	WARN_ON(!p);
	pr_info("done\n");
	return 0;
}

static void __exit warn_exit(void)
{
}

module_init(warn_init);
module_exit(warn_exit);

MODULE_DESCRIPTION("A WARN_ON, a lockdep and an RCU splat: the kernel-log check's positive control");
MODULE_LICENSE("GPL");
