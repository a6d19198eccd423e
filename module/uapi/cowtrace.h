/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cowtrace: what the module and the reader share, in one place: the values
 * of the KIND, MAP and RESULT fields and their names. Included by the
 * module (module/) and by the reader (user/); each builds its name tables
 * from the *_NAMES initializers, so a value and its name are set only here.
 */
#ifndef _UAPI_COWTRACE_H
#define _UAPI_COWTRACE_H

/* KIND: why the kernel ran its CoW path. */
enum cowtrace_kind {
	COWTRACE_KIND_WRITE,	/* a write hit a write-protected present page */
	COWTRACE_KIND_UNSHARE,	/* FAULT_FLAG_UNSHARE: a read-only pin */
	COWTRACE_KIND_FIRST,	/* a private file page's first access writes */
	COWTRACE_KIND_NR
};

#define COWTRACE_KIND_NAMES {				\
	[COWTRACE_KIND_WRITE]	= "write",		\
	[COWTRACE_KIND_UNSHARE]	= "unshare",		\
	[COWTRACE_KIND_FIRST]	= "first",		\
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

#endif /* _UAPI_COWTRACE_H */
