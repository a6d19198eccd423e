// SPDX-License-Identifier: GPL-2.0
/*
 * leak: the kmemleak check's positive control (ct_control in
 * tests/vm/lib.sh): at load, allocations whose address nobody keeps.
 * kmemleak must report them, and ct_judge must fail the run.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>

#define LEAK_NR 4

static noinline void leak_one(void)
{
	char *p = kmalloc(512, GFP_KERNEL);

	/* No pointer-like contents: nothing in it refers to anything. */
	if (p)
		memset(p, 0x5a, 512);
}

static int __init leak_init(void)
{
	int i;

	for (i = 0; i < LEAK_NR; i++)
		leak_one();
	pr_info("%d objects of 512 bytes leaked\n", LEAK_NR);
	return 0;
}

static void __exit leak_exit(void)
{
}

module_init(leak_init);
module_exit(leak_exit);

MODULE_DESCRIPTION("Leaked allocations: the kmemleak check's positive control");
MODULE_LICENSE("GPL");
