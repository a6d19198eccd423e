// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace filters: parsing of the filter=, pid=, tree= and entries=
 * values, and the RCU-published filter the probe handlers read.
 */

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/threads.h>

#include "filter.h"
#include "ring.h"

/*
 * Two slots: the handler reads the active one, an update fills the other,
 * publishes it and waits for a grace period, after which the old slot has
 * no reader and is free for the next update.
 */
static struct cowtrace_filter cowtrace_filter_slots[2] = {
	{ .any_comm = true },
	{ .any_comm = true },
};
struct cowtrace_filter __rcu *cowtrace_filter_active =
	(struct cowtrace_filter __rcu *)&cowtrace_filter_slots[0];
static DEFINE_MUTEX(cowtrace_filter_mutex);

/**
 * cowtrace_parse_comm - parse a filter= value
 * @val:  the value; one trailing newline is not part of it
 * @comm: TASK_COMM_LEN bytes, set NUL padded on success
 *
 * Return: 0, or -EINVAL if longer than TASK_COMM_LEN - 1 bytes or if it
 * holds a newline of its own.
 */
int cowtrace_parse_comm(const char *val, char *comm)
{
	size_t len = strlen(val);

	if (len && val[len - 1] == '\n')
		len--;
	if (len > TASK_COMM_LEN - 1 || memchr(val, '\n', len))
		return -EINVAL;
	memset(comm, 0, TASK_COMM_LEN);
	memcpy(comm, val, len);
	return 0;
}

/**
 * cowtrace_parse_pid - parse a pid= value
 * @val: decimal, optionally ending in one newline
 * @pid: set on success
 *
 * Return: 0, or -EINVAL unless 0 <= value <= PID_MAX_LIMIT.
 */
int cowtrace_parse_pid(const char *val, int *pid)
{
	int v;

	if (kstrtoint(val, 10, &v) || v < 0 || v > PID_MAX_LIMIT)
		return -EINVAL;
	*pid = v;
	return 0;
}

/**
 * cowtrace_parse_entries - parse an entries= value
 * @val:     decimal, optionally ending in one newline
 * @entries: set on success
 *
 * Return: 0, or -EINVAL unless a power of two from COWTRACE_ENTRIES_MIN to
 * COWTRACE_ENTRIES_MAX.
 */
int cowtrace_parse_entries(const char *val, unsigned int *entries)
{
	unsigned int v;

	if (kstrtouint(val, 10, &v) || v < COWTRACE_ENTRIES_MIN ||
	    v > COWTRACE_ENTRIES_MAX || !is_power_of_2(v))
		return -EINVAL;
	*entries = v;
	return 0;
}

/**
 * cowtrace_parse_bool - parse a tree= value
 * @val: 0, 1, y, n, Y or N, optionally ending in one newline
 * @on:  set on success
 *
 * Stricter than kstrtobool(), which also takes "on", "off" and any word
 * that starts with y or n.
 *
 * Return: 0, or -EINVAL.
 */
int cowtrace_parse_bool(const char *val, bool *on)
{
	size_t len = strlen(val);

	if (len && val[len - 1] == '\n')
		len--;
	if (len != 1 || !strchr("01yYnN", val[0]))
		return -EINVAL;
	*on = strchr("1yY", val[0]);
	return 0;
}

/**
 * cowtrace_filter_init - fill @f from a comm and a pid
 * @f:    the filter
 * @comm: TASK_COMM_LEN bytes, NUL padded; empty matches any comm
 * @pid:  TGID to match, 0 for any
 */
void cowtrace_filter_init(struct cowtrace_filter *f, const char *comm, int pid)
{
	memcpy(f->comm, comm, sizeof(f->comm));
	f->any_comm = !comm[0];
	f->tgid = pid;
	f->tree = NULL;
}

/**
 * cowtrace_filter_publish - make @comm, @pid and @tree the filter of later events
 * @comm: TASK_COMM_LEN bytes, NUL padded
 * @pid:  TGID, 0 for any
 * @tree: with @pid, also every process that descends from it
 *
 * Sleeps: waits for a grace period so that the slot it replaced, and its
 * tree, are free. Handlers that run with preemption disabled are RCU-sched
 * readers. A new tree is published while being built (its lookups walk the
 * ancestry until the walk of the task list is done), so that no fork is
 * missed between the walk and the publication.
 *
 * Return: 0, or -ENOMEM (the filter is then unchanged).
 */
int cowtrace_filter_publish(const char *comm, int pid, bool tree)
{
	struct cowtrace_filter *old, *new;
	struct cowtrace_tree *t = NULL;

	if (tree && pid) {
		t = cowtrace_tree_alloc(pid);
		if (!t)
			return -ENOMEM;
	}
	mutex_lock(&cowtrace_filter_mutex);
	old = rcu_dereference_protected(cowtrace_filter_active,
					lockdep_is_held(&cowtrace_filter_mutex));
	new = old == &cowtrace_filter_slots[0] ? &cowtrace_filter_slots[1] :
						 &cowtrace_filter_slots[0];
	cowtrace_filter_init(new, comm, pid);
	new->tree = t;
	rcu_assign_pointer(cowtrace_filter_active, new);
	synchronize_rcu();
	/* No handler sees @old now: its tree is free to go. */
	cowtrace_tree_free(old->tree);
	old->tree = NULL;
	if (t)
		cowtrace_tree_fill(t);
	mutex_unlock(&cowtrace_filter_mutex);
	return 0;
}

/**
 * cowtrace_filter_exit - free the active filter's tree
 *
 * Called after every handler was unregistered and has returned.
 */
void cowtrace_filter_exit(void)
{
	struct cowtrace_filter *f;

	mutex_lock(&cowtrace_filter_mutex);
	f = rcu_dereference_protected(cowtrace_filter_active,
				      lockdep_is_held(&cowtrace_filter_mutex));
	cowtrace_tree_free(f->tree);
	f->tree = NULL;
	mutex_unlock(&cowtrace_filter_mutex);
}
