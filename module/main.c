// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace: records every copy-on-write decision the kernel makes for a user
 * page (do_wp_page, THP, hugetlb, a private file page first written) with
 * its task, address, size, kind, mapping and result, in /proc/cowtrace.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "filter.h"
#include "probe.h"
#include "process.h"
#include "proc.h"
#include "ring.h"
#include "version.h"

/* The values of the parameters; the handler reads cowtrace_filter_active. */
static char cowtrace_comm[TASK_COMM_LEN];
static int cowtrace_pid;
static bool cowtrace_tree;
static unsigned int cowtrace_entries = COWTRACE_ENTRIES_DEFAULT;

static struct cowtrace_rings *cowtrace_rings;

/* Callers hold kernel_param_lock(), which serialises these setters. */
static int cowtrace_filter_set(const char *val, const struct kernel_param *kp)
{
	char comm[TASK_COMM_LEN];
	int ret;

	if (cowtrace_parse_comm(val, comm)) {
		pr_err("filter: a comm of at most %d bytes (no newline of its own) is accepted; \"\" records every task\n",
		       TASK_COMM_LEN - 1);
		return -EINVAL;
	}
	ret = cowtrace_filter_publish(comm, cowtrace_pid, cowtrace_tree);
	if (!ret)
		memcpy(kp->arg, comm, TASK_COMM_LEN);
	return ret;
}

static int cowtrace_filter_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", (const char *)kp->arg);
}

static const struct kernel_param_ops cowtrace_filter_ops = {
	.set = cowtrace_filter_set,
	.get = cowtrace_filter_get,
};
module_param_cb(filter, &cowtrace_filter_ops, cowtrace_comm, 0600);
MODULE_PARM_DESC(filter, "Record only tasks whose comm is exactly this (at most 15 bytes); empty: every task");

static int cowtrace_pid_set(const char *val, const struct kernel_param *kp)
{
	int pid, ret;

	if (cowtrace_parse_pid(val, &pid)) {
		pr_err("pid: a TGID from 0 to %d is accepted; 0 records every process\n",
		       (int)PID_MAX_LIMIT);
		return -EINVAL;
	}
	ret = cowtrace_filter_publish(cowtrace_comm, pid, cowtrace_tree);
	if (!ret)
		*(int *)kp->arg = pid;
	return ret;
}

static const struct kernel_param_ops cowtrace_pid_ops = {
	.set = cowtrace_pid_set,
	.get = param_get_int,
};
module_param_cb(pid, &cowtrace_pid_ops, &cowtrace_pid, 0600);
MODULE_PARM_DESC(pid, "Record only the process with this TGID; 0: every process");

static int cowtrace_tree_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret;

	if (cowtrace_parse_bool(val, &on)) {
		pr_err("tree: 0, 1, y or n is accepted; 1 with pid=P records P and every process that descends from it\n");
		return -EINVAL;
	}
	ret = cowtrace_filter_publish(cowtrace_comm, cowtrace_pid, on);
	if (!ret)
		*(bool *)kp->arg = on;
	return ret;
}

static const struct kernel_param_ops cowtrace_tree_ops = {
	.set = cowtrace_tree_set,
	.get = param_get_bool,
};
module_param_cb(tree, &cowtrace_tree_ops, &cowtrace_tree, 0600);
MODULE_PARM_DESC(tree, "With pid=P, also record every process that descends from P, forked before or after load (0 or 1)");

static int cowtrace_entries_set(const char *val, const struct kernel_param *kp)
{
	if (cowtrace_parse_entries(val, kp->arg)) {
		pr_err("entries: a power of two from %u to %u is accepted\n",
		       COWTRACE_ENTRIES_MIN, COWTRACE_ENTRIES_MAX);
		return -EINVAL;
	}
	return 0;
}

static const struct kernel_param_ops cowtrace_entries_ops = {
	.set = cowtrace_entries_set,
	.get = param_get_uint,
};
module_param_cb(entries, &cowtrace_entries_ops, &cowtrace_entries, 0444);
MODULE_PARM_DESC(entries, "Records held per CPU, a power of two from 16 to 1048576 (default 4096); load time only");

static int __init cowtrace_init(void)
{
	u64 bytes = (u64)nr_cpu_ids * cowtrace_entries *
		     sizeof(struct cowtrace_record);
	int ret;

	/*
	 * Never take the memory other tasks need: even an allocation that
	 * fails without the OOM killer can drive a concurrent one into it.
	 */
	if (bytes >> PAGE_SHIFT > si_mem_available() / 2) {
		pr_err("entries=%u: %u rings of %zu bytes need %llu MiB, more than half of the memory available (%lu MiB)\n",
		       cowtrace_entries, nr_cpu_ids,
		       cowtrace_entries * sizeof(struct cowtrace_record),
		       bytes >> 20, si_mem_available() >> (20 - PAGE_SHIFT));
		ret = -ENOMEM;
		goto out_free_tree;
	}
	cowtrace_rings = cowtrace_rings_alloc(nr_cpu_ids, cowtrace_entries);
	if (!cowtrace_rings) {
		pr_err("entries=%u: cannot allocate %u rings of %zu bytes\n",
		       cowtrace_entries, nr_cpu_ids,
		       cowtrace_entries * sizeof(struct cowtrace_record));
		ret = -ENOMEM;
		goto out_free_tree;
	}
	ret = cowtrace_proc_init(cowtrace_rings);
	if (ret) {
		pr_err("cannot create /proc/cowtrace\n");
		goto out_free_rings;
	}
	ret = cowtrace_probe_init(cowtrace_rings);
	if (ret)
		goto out_remove_proc;
	ret = cowtrace_process_init(cowtrace_rings);
	if (ret)
		goto out_probe_exit;
	pr_info("version %s recording, %u entries per CPU\n", COWTRACE_VERSION,
		cowtrace_entries);
	return 0;

out_probe_exit:
	cowtrace_probe_exit();
out_remove_proc:
	cowtrace_proc_exit();
out_free_rings:
	cowtrace_rings_free(cowtrace_rings);
out_free_tree:
	/* A tree= set before init allocated the set of pid='s tree. */
	cowtrace_filter_exit();
	return ret;
}

static void __exit cowtrace_exit(void)
{
	cowtrace_process_exit();
	cowtrace_probe_exit();
	cowtrace_proc_exit();
	cowtrace_rings_free(cowtrace_rings);
	cowtrace_filter_exit();
}

module_init(cowtrace_init);
module_exit(cowtrace_exit);

MODULE_AUTHOR("cowtrace developers");
MODULE_DESCRIPTION("Trace copy-on-write decisions (copy, zero, reuse, notify, split) to /proc/cowtrace");
MODULE_LICENSE("GPL");
MODULE_VERSION(COWTRACE_VERSION);
