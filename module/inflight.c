// SPDX-License-Identifier: GPL-2.0
/* cowtrace in-flight table: allocation (the lookups are in inflight.h). */

#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "compat.h"
#include "inflight.h"

/**
 * cowtrace_inflight_alloc - a table for up to @tasks tasks at once
 * @tasks: how many tasks may be inside the probed paths together (the sum
 *         of the kretprobes' maxactive)
 *
 * Four slots per task keep the runs of taken slots short, so that a search
 * of COWTRACE_INFLIGHT_PROBES slots almost never comes back empty.
 *
 * Return: the table, or NULL.
 */
struct cowtrace_inflight *cowtrace_inflight_alloc(unsigned int tasks)
{
	unsigned int bits = order_base_2(max(tasks, 16U) * 4);
	struct cowtrace_inflight *t;

	t = kvzalloc(struct_size(t, slots, 1UL << bits), GFP_KERNEL);
	if (t)
		t->bits = bits;
	return t;
}

/**
 * cowtrace_inflight_free - free what cowtrace_inflight_alloc() allocated
 * @t: the table, or NULL; no probe may use it any more
 */
void cowtrace_inflight_free(struct cowtrace_inflight *t)
{
	kvfree(t);
}
