// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe_empty: a kprobe on do_wp_page whose handler does nothing; the
 * floor under any kprobe-based tracer, for make bench.
 */
#include <linux/kprobes.h>
#include <linux/module.h>

/* kprobe pre_handler: nothing. */
static int kprobe_empty_pre(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(kprobe_empty_pre);

static struct kprobe kprobe_empty_kp = {
	.symbol_name	= "do_wp_page",
	.pre_handler	= kprobe_empty_pre,
};

static int __init kprobe_empty_init(void)
{
	return register_kprobe(&kprobe_empty_kp);
}

static void __exit kprobe_empty_exit(void)
{
	unregister_kprobe(&kprobe_empty_kp);
}

module_init(kprobe_empty_init);
module_exit(kprobe_empty_exit);
MODULE_DESCRIPTION("An empty kprobe on do_wp_page (benchmark floor)");
MODULE_LICENSE("GPL");
