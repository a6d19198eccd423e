/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace filters: which tasks are recorded, and the parameter parsers. */
#ifndef COWTRACE_FILTER_H
#define COWTRACE_FILTER_H

#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/types.h>

#include "compat.h"
#include "tree.h"

/**
 * struct cowtrace_filter - what the probe handlers compare against
 * @comm: the comm to match, as two words of a NUL-padded TASK_COMM_LEN
 * @any_comm: true when the comm filter is empty
 * @tgid: the TGID to match; 0 for any
 * @tree: with @tgid, the set of its descendants (tree=1); NULL otherwise
 *
 * Published whole through RCU, so the handler never sees half an update.
 */
struct cowtrace_filter {
	u64 comm[2];
	bool any_comm;
	u32 tgid;
	struct cowtrace_tree *tree;
};

static_assert(sizeof(((struct cowtrace_filter *)0)->comm) == TASK_COMM_LEN);

extern struct cowtrace_filter __rcu *cowtrace_filter_active;

/**
 * cowtrace_filter_match - whether a task with @comm and @tgid is recorded
 * @f:    the filter
 * @comm: TASK_COMM_LEN bytes, NUL padded as set_task_comm() leaves them
 * @tgid: the task's TGID; the current task's when @f has a tree
 *
 * Return: true to record.
 */
static __always_inline bool
cowtrace_filter_match(const struct cowtrace_filter *f, const char *comm,
		      u32 tgid)
{
	u64 lo, hi;

	if (f->tgid && f->tgid != tgid &&
	    (!f->tree || !cowtrace_tree_has(f->tree, tgid)))
		return false;
	if (f->any_comm)
		return true;
	/* Two word loads into registers: no stack copy on this path. */
	cowtrace_comm_words(comm, &lo, &hi);
	return lo == f->comm[0] && hi == f->comm[1];
}

int cowtrace_parse_comm(const char *val, char *comm);
int cowtrace_parse_pid(const char *val, int *pid);
int cowtrace_parse_entries(const char *val, unsigned int *entries);
int cowtrace_parse_bool(const char *val, bool *on);
void cowtrace_filter_init(struct cowtrace_filter *f, const char *comm,
			  int pid);
int cowtrace_filter_publish(const char *comm, int pid, bool tree);
void cowtrace_filter_exit(void);

#endif /* COWTRACE_FILTER_H */
