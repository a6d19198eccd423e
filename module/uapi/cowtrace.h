/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cowtrace: what the module and the reader share, in one place: the values
 * of the KIND, MAP and RESULT fields and their names, and the binary layout
 * of a record, which is both the rings' slot and what /proc/cowtrace_raw
 * returns. Included by the module (module/) and by the reader (user/); each
 * builds its name tables from the *_NAMES initializers, so a value and its
 * name are set only here.
 */
#ifndef _UAPI_COWTRACE_H
#define _UAPI_COWTRACE_H

#include <linux/types.h>

/* KIND: why the kernel ran its CoW path. */
enum cowtrace_kind {
	COWTRACE_KIND_WRITE,	/* a write hit a write-protected present page */
	COWTRACE_KIND_UNSHARE,	/* FAULT_FLAG_UNSHARE: a read-only pin */
	COWTRACE_KIND_FIRST,	/* a private file page's first access writes */
	COWTRACE_KIND_FORK,	/* fork copied a (pinned) page at once */
	COWTRACE_KIND_NR
};

#define COWTRACE_KIND_NAMES {				\
	[COWTRACE_KIND_WRITE]	= "write",		\
	[COWTRACE_KIND_UNSHARE]	= "unshare",		\
	[COWTRACE_KIND_FIRST]	= "first",		\
	[COWTRACE_KIND_FORK]	= "fork",		\
}

/* MAP: the mapping faulted on. */
enum cowtrace_map {
	COWTRACE_MAP_ANON,	/* private anonymous */
	COWTRACE_MAP_FILE,	/* private file-backed */
	COWTRACE_MAP_SHARED,	/* VM_SHARED */
	COWTRACE_MAP_NR
};

#define COWTRACE_MAP_NAMES {				\
	[COWTRACE_MAP_ANON]	= "anon",		\
	[COWTRACE_MAP_FILE]	= "file",		\
	[COWTRACE_MAP_SHARED]	= "shared",		\
}

/* RESULT: what the kernel did, known when the fault finished. */
enum cowtrace_result {
	COWTRACE_RESULT_COPY,	/* the data was copied into a new page */
	COWTRACE_RESULT_ZERO,	/* the zero page replaced by a zeroed page */
	COWTRACE_RESULT_REUSE,	/* the page made writable in place */
	COWTRACE_RESULT_NOTIFY,	/* a shared mapping made writable */
	COWTRACE_RESULT_SPLIT,	/* a huge PMD split; a 4 KiB fault follows */
	COWTRACE_RESULT_FAIL,	/* OOM, SIGBUS and the like */
	COWTRACE_RESULT_NR
};

#define COWTRACE_RESULT_NAMES {				\
	[COWTRACE_RESULT_COPY]		= "copy",	\
	[COWTRACE_RESULT_ZERO]		= "zero",	\
	[COWTRACE_RESULT_REUSE]		= "reuse",	\
	[COWTRACE_RESULT_NOTIFY]	= "notify",	\
	[COWTRACE_RESULT_SPLIT]		= "split",	\
	[COWTRACE_RESULT_FAIL]		= "fail",	\
}

/* Bytes in a comm, with its NUL: TASK_COMM_LEN. */
#define COWTRACE_COMM_LEN	16

/*
 * /proc/cowtrace_raw holds what /proc/cowtrace holds, in binary: the same
 * open-time header, records, lost counts and order, for a reader that
 * would otherwise parse the text back. Its first read starts with one
 * struct cowtrace_raw_header of @header_size bytes (taken[] included);
 * every item after it is one struct cowtrace_record of @record_size bytes,
 * and a read returns whole items only (a buffer smaller than one item gets
 * -EINVAL). Host byte order. A reader checks @magic and @version: a change
 * of layout other than appending to the header bumps COWTRACE_RAW_VERSION.
 */
#define COWTRACE_RAW_MAGIC	0x74776f63U	/* "cowt" on little-endian */
#define COWTRACE_RAW_VERSION	2	/* 2: fork and exit items (0.3) */

/**
 * struct cowtrace_raw_header - what the text header's lines say
 * @magic:       COWTRACE_RAW_MAGIC
 * @version:     COWTRACE_RAW_VERSION
 * @record_size: sizeof(struct cowtrace_record)
 * @header_size: bytes of this header, taken[] included
 * @nr_cpus:     number of rings, the length of @taken
 * @entries:     records per ring
 * @pid:         TGID filter; 0 for none
 * @paths:       bit per probed path, in the order of the text header's
 *               paths= list (do_wp_page, do_huge_pmd_wp_page,
 *               hugetlb_fault, finish_fault, copy_page_range)
 * @missed:      faults the probes could not record, since load
 * @retried:     fault attempts retried (VM_FAULT_RETRY), since load
 * @raced:       fault attempts another thread resolved first, since load
 * @filter:      comm filter, raw bytes, NUL padded; empty for none
 * @taken:       per ring, records taken since load
 */
struct cowtrace_raw_header {
	__u32 magic;
	__u16 version;
	__u16 record_size;
	__u32 header_size;
	__u32 nr_cpus;
	__u32 entries;
	__s32 pid;
	__u64 paths;
	__u64 missed;
	__u64 retried;
	__u64 raced;
	char filter[COWTRACE_COMM_LEN];
	__u64 taken[];
};

/* What the first field of a record read from /proc/cowtrace_raw says. */
enum cowtrace_item_type {
	COWTRACE_RAW_RECORD = 1,	/* a record */
	COWTRACE_RAW_LOST = 2,		/* @addr records of @cpu were lost */
	COWTRACE_RAW_FORK = 3,		/* thread @pid of @tgid forked @addr */
	COWTRACE_RAW_EXIT = 4,		/* the last thread of @tgid exited */
};

/*
 * A process event (the text's "# fork" and "# exit" lines) shares a
 * record's slot and order: @ts, @cpu, @pid, @tgid and @comm as in a
 * record, @addr the child's TGID for a fork (0 for an exit), @kind
 * COWTRACE_EVENT_FORK or COWTRACE_EVENT_EXIT (values no record's KIND
 * takes: in a ring, @kind tells an event), @ip, @map, @result and @shift 0.
 */
#define COWTRACE_EVENT_FORK	0x80
#define COWTRACE_EVENT_EXIT	0x81

/**
 * struct cowtrace_record - one copy-on-write decision, one cache line
 * @stamp:  in a ring, its sequence number + 1 once committed (0 while being
 *          written); read from /proc/cowtrace_raw, enum cowtrace_item_type
 * @ts:     CLOCK_MONOTONIC nanoseconds when the fault entered the CoW path
 * @addr:   the faulting address; for COWTRACE_RAW_LOST, the count lost
 * @ip:     the task's user instruction pointer when it faulted
 * @pid:    thread id, initial pid namespace
 * @tgid:   process id, initial pid namespace
 * @cpu:    CPU the record was taken on (that lost them, for a lost item)
 * @kind:   enum cowtrace_kind
 * @map:    enum cowtrace_map
 * @result: enum cowtrace_result
 * @shift:  log2 of the bytes of the page the fault acted on (SIZE)
 * @comm:   the task's comm, raw bytes, NUL padded
 */
struct cowtrace_record {
	__u64 stamp;
	__u64 ts;
	__u64 addr;
	__u64 ip;
	__u32 pid;
	__u32 tgid;
	__u32 cpu;
	__u8 kind;
	__u8 map;
	__u8 result;
	__u8 shift;
	char comm[COWTRACE_COMM_LEN];
};

#endif /* _UAPI_COWTRACE_H */
