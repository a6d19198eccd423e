/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: --svg, copies over time per process and a flame graph. */
#ifndef COWTRACE_SVG_H
#define COWTRACE_SVG_H

#include <stdbool.h>
#include <stdio.h>

#include "attr.h"
#include "parse.h"
#include "tgidmap.h"

#define CT_SVG_POINTS	256	/* points kept of a process's line */
#define CT_SVG_PROCS	4096	/* processes with a line at most */
#define CT_SVG_NODES	65536	/* frames of the flame graph at most */
#define CT_SVG_DEPTH	8	/* levels of the flame graph at most */

struct ct_svg_pt {
	uint64_t t;		/* ns since the process's start */
	uint64_t bytes;		/* copied until then */
};

/**
 * struct ct_svg_proc - one process's line
 * @start_ns: its fork line, or its first record when none was seen
 * @end_ns:   its exit line, when @ended
 * @gap:      points closer than this in time replace the last one; it
 *            doubles each time the points are thinned to half
 * @pts:      @n points, allocated with the first copy
 */
struct ct_svg_proc {
	uint32_t tgid;
	uint8_t comm_len;
	char comm[CT_COMM_MAX + 1];
	bool forked, ended;
	uint64_t start_ns, end_ns, bytes, gap;
	uint32_t n;
	struct ct_svg_pt *pts;
};

/* A frame: its name, bytes, first child and next sibling (indexes, 0 none). */
struct ct_svg_node {
	char *name;
	uint64_t bytes;
	uint32_t child, next;
};

/**
 * struct ct_svg - what --svg draws
 * @procs:   the lines, @n of @cap; @dropped counts processes past
 *           CT_SVG_PROCS, whose bytes are not drawn as a line
 * @live:    a TGID -> its line, until its exit line
 * @nodes:   the flame graph, node 0 its root (all bytes), @nnodes used;
 *           @lost counts bytes of stacks past CT_SVG_NODES
 */
struct ct_svg {
	struct ct_svg_proc *procs;
	size_t n, cap;
	uint64_t dropped;
	struct ct_tgid_map live;
	struct ct_svg_node *nodes;
	uint32_t nnodes, capnodes;
	uint64_t lost;
};

int ct_svg_add(struct ct_svg *s, enum ct_line t, const struct ct_rec *r);
int ct_svg_flame_add(struct ct_svg *s, const char *const frames[], int n,
		     uint64_t bytes);
int ct_svg_flame_record(struct ct_svg *s, const struct ct_rec *r);
int ct_svg_flame_where(struct ct_svg *s, const struct ct_rec *r,
		       const struct ct_where *w);
int ct_svg_write(const struct ct_svg *s, const char *path);
void ct_svg_free(struct ct_svg *s);

#endif /* COWTRACE_SVG_H */
