// SPDX-License-Identifier: GPL-2.0
/*
 * attach: the cost of a filtered-out fault for each way of hooking
 * do_wp_page's entry and exit, for make bench. The floor first:
 *   via=kprobe     an empty kprobe on do_wp_page, under any kprobe tracer
 * Then the entry handler does what cowtrace's does for a task that does
 * not match (compare the comm as two words) and declines the exit hook:
 *   via=kretprobe  kretprobe, entry_handler returns 1 (cowtrace today)
 *   via=fprobe     fprobe with an exit handler, entry returns non-zero
 *   via=ftrace     a bare ftrace_ops filtered on do_wp_page: entry only,
 *                  the floor of any exit hook built on ftrace
 * and marker= adds an empty hook on folio_add_new_anon_rmap, which cowtrace
 * uses to tell a copy (it fires on every new anonymous page, traced or
 * not): marker=ftrace a bare ftrace_ops without ftrace's recursion guard
 * (cowtrace's), marker=ftrace_guarded one with it, marker=kprobe a kprobe
 * (cowtrace 0.2.0's).
 *   via=none       hooks nothing: the baseline, loaded and unloaded as the
 *                  others are, so that it goes through the same states
 * exit_hook=1 makes the entry filter match the bench's writer, so that each
 * of its faults takes the exit hook (empty): the floor of recording.
 */
#include <linux/fprobe.h>
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>

static char *via = "kretprobe";
module_param(via, charp, 0400);
MODULE_PARM_DESC(via, "kprobe, kretprobe, fprobe or ftrace");

static char *marker = "";
module_param(marker, charp, 0400);
MODULE_PARM_DESC(marker, "ftrace, ftrace_guarded or kprobe: also hook folio_add_new_anon_rmap");

static bool exit_hook;
module_param(exit_hook, bool, 0400);
MODULE_PARM_DESC(exit_hook, "match cowbench: its faults take the (empty) exit hook");

static u64 attach_comm[2];

/* What cowtrace's filter does for a non-matching task. */
static __always_inline bool attach_match(void)
{
	const u64 *c = (const u64 *)current->comm;

	return c[0] == attach_comm[0] && c[1] == attach_comm[1];
}

static int attach_kret_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	return !attach_match();
}
NOKPROBE_SYMBOL(attach_kret_entry);

static int attach_kret_exit(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(attach_kret_exit);

static struct kretprobe attach_krp = {
	.kp.symbol_name	= "do_wp_page",
	.entry_handler	= attach_kret_entry,
	.handler	= attach_kret_exit,
	.maxactive	= 64,
};

static int attach_fp_entry(struct fprobe *fp, unsigned long ip,
			   unsigned long ret_ip, struct pt_regs *regs,
			   void *data)
{
	return !attach_match();
}

static void attach_fp_exit(struct fprobe *fp, unsigned long ip,
			   unsigned long ret_ip, struct pt_regs *regs,
			   void *data)
{
}

static struct fprobe attach_fp = {
	.entry_handler	= attach_fp_entry,
	.exit_handler	= attach_fp_exit,
};

static void attach_ftrace_cb(unsigned long ip, unsigned long parent_ip,
			     struct ftrace_ops *op, struct ftrace_regs *fregs)
{
	/* The result would pick the exit hook; there is none here. */
	barrier_data((void *)(unsigned long)attach_match());
}

static struct ftrace_ops attach_ops = {
	.func	= attach_ftrace_cb,
	.flags	= FTRACE_OPS_FL_RECURSION,
};

/* kprobe pre_handler: nothing. */
static int attach_empty_pre(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(attach_empty_pre);

static struct kprobe attach_kp = {
	.symbol_name	= "do_wp_page",
	.pre_handler	= attach_empty_pre,
};

static struct kprobe attach_marker = {
	.symbol_name	= "folio_add_new_anon_rmap",
	.pre_handler	= attach_empty_pre,
};

static void notrace attach_empty_cb(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *op,
				    struct ftrace_regs *fregs)
{
}

/* Without ftrace's recursion guard: the callback calls nothing. */
static struct ftrace_ops attach_marker_ops = {
	.func	= attach_empty_cb,
};

static struct ftrace_ops attach_marker_guarded_ops = {
	.func	= attach_empty_cb,
	.flags	= FTRACE_OPS_FL_RECURSION,
};

static int attach_ops_on(struct ftrace_ops *ops, const char *sym)
{
	int ret = ftrace_set_filter(ops, (unsigned char *)sym, strlen(sym), 1);

	return ret ?: register_ftrace_function(ops);
}

/* Unhook @ops and free its filter (an empty filter, once unregistered). */
static void attach_ops_off(struct ftrace_ops *ops)
{
	unregister_ftrace_function(ops);
	ftrace_set_filter(ops, NULL, 0, 1);
}

/* The marker hooked: its ftrace_ops, or the kprobe; neither for none. */
static struct ftrace_ops *attach_marker_on_ops;
static bool attach_marker_on_kprobe;

static int attach_marker_on(void)
{
	int ret;

	if (!*marker)
		return 0;
	if (!strcmp(marker, "kprobe")) {
		ret = register_kprobe(&attach_marker);
		attach_marker_on_kprobe = !ret;
		return ret;
	}
	if (!strcmp(marker, "ftrace"))
		attach_marker_on_ops = &attach_marker_ops;
	else if (!strcmp(marker, "ftrace_guarded"))
		attach_marker_on_ops = &attach_marker_guarded_ops;
	else
		return -EINVAL;
	ret = attach_ops_on(attach_marker_on_ops, "folio_add_new_anon_rmap");
	if (ret)
		attach_marker_on_ops = NULL;
	return ret;
}

static void attach_marker_off(void)
{
	if (attach_marker_on_kprobe)
		unregister_kprobe(&attach_marker);
	if (attach_marker_on_ops)
		attach_ops_off(attach_marker_on_ops);
}

static int attach_hook(void)
{
	if (!strcmp(via, "none"))
		return 0;
	if (!strcmp(via, "kprobe"))
		return register_kprobe(&attach_kp);
	if (!strcmp(via, "kretprobe"))
		return register_kretprobe(&attach_krp);
	if (!strcmp(via, "fprobe"))
		return register_fprobe(&attach_fp, "do_wp_page", NULL);
	if (!strcmp(via, "ftrace"))
		return attach_ops_on(&attach_ops, "do_wp_page");
	return -EINVAL;
}

static void attach_unhook(void)
{
	if (!strcmp(via, "kprobe"))
		unregister_kprobe(&attach_kp);
	else if (!strcmp(via, "kretprobe"))
		unregister_kretprobe(&attach_krp);
	else if (!strcmp(via, "fprobe"))
		unregister_fprobe(&attach_fp);
	else if (!strcmp(via, "ftrace"))
		attach_ops_off(&attach_ops);
}

static int __init attach_init(void)
{
	int ret;

	strscpy((char *)attach_comm, exit_hook ? "cowbench" : "nomatch",
		sizeof(attach_comm));
	ret = attach_marker_on();
	if (ret)
		return ret;
	ret = attach_hook();
	if (ret)
		attach_marker_off();
	return ret;
}

static void __exit attach_exit(void)
{
	attach_marker_off();
	attach_unhook();
}

module_init(attach_init);
module_exit(attach_exit);
MODULE_DESCRIPTION("Filtered-out entry hooks on do_wp_page (benchmark)");
MODULE_LICENSE("GPL");
