/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: --forks, what each fork cost in copied bytes. */
#ifndef COWTRACE_FORKS_H
#define COWTRACE_FORKS_H

#include <stdbool.h>
#include <stdio.h>

#include "parse.h"
#include "tgidmap.h"

#define CT_FORKS_ROWS	262144	/* forks with a row by default */

/**
 * struct ct_fork - one fork seen, a row of --forks
 * @parent, @child:   TGIDs
 * @pcomm, @ccomm:    the forking thread's comm; the child's last seen
 * @fork_ns, @end_ns: CLOCK_MONOTONIC of the fork line and of the exit line
 * @state:            CT_FORK_RUNNING, _EXITED, or _REUSED (its TGID forked
 *                    again before its exit line came: that line was lost)
 * @pbase:            the parent's bytes copied when it forked
 * @pbytes, @cbytes:  bytes copied by parent and child while the child
 *                    lived, set when it ended
 * @pproc, @cproc:    while running, the two in struct ct_forks' @procs
 */
struct ct_fork {
	uint32_t parent, child;
	uint8_t pcomm_len, ccomm_len;
	char pcomm[CT_COMM_MAX + 1], ccomm[CT_COMM_MAX + 1];
	uint64_t fork_ns, end_ns;
	enum { CT_FORK_RUNNING, CT_FORK_EXITED, CT_FORK_REUSED } state;
	uint64_t pbase, pbytes, cbytes;
	uint32_t pproc, cproc;
};

/**
 * struct ct_fork_proc - a process that a running row needs
 * @bytes:   copied since it was first seen (saturating)
 * @row:     the running row of which it is the child, or UINT32_MAX
 * @refs:    running rows of which it is the parent
 * @live:    its TGID maps to it (no exit line yet)
 */
struct ct_fork_proc {
	uint64_t bytes;
	uint32_t row, refs;
	bool live;
};

/**
 * struct ct_forks - the rows, and the processes they follow
 * @rows:    one per fork, @n of @cap, in the order seen
 * @max:     rows at most (0: CT_FORKS_ROWS); @dropped counts the rest
 * @procs:   a pool, @nprocs of @capprocs used, @free the first unused
 *           + 1 (a list through @row), 0 when none: all zero is empty
 * @by_tgid: a live TGID -> its index in @procs
 *
 * Memory: the rows, and a process for each running child and each parent
 * of one: an exited process is kept only while a running child needs its
 * bytes, and a process no fork line named is never kept.
 */
struct ct_forks {
	struct ct_fork *rows;
	size_t n, cap, max;
	uint64_t dropped;
	struct ct_fork_proc *procs;
	uint32_t nprocs, capprocs, free;
	struct ct_tgid_map by_tgid;
};

int ct_forks_add(struct ct_forks *f, enum ct_line t, const struct ct_rec *r);
void ct_forks_print(const struct ct_forks *f, FILE *out);
void ct_forks_free(struct ct_forks *f);

#endif /* COWTRACE_FORKS_H */
