/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cowtrace: what the module and the reader share, in one place: the names
 * of the KIND, MAP and RESULT fields and the values that encode them.
 * Included by the module (module/) and by the reader (user/).
 */
#ifndef _UAPI_COWTRACE_H
#define _UAPI_COWTRACE_H

#include <linux/types.h>

/*
 * Each list is X(ENUM_SUFFIX, "name"), in the order of the values: the
 * module and the reader both build their tables from these lists.
 */
#define COWTRACE_KINDS(X)			\
	X(WRITE, "write")			\
	X(UNSHARE, "unshare")			\
	X(FIRST, "first")

#define COWTRACE_MAPS(X)			\
	X(ANON, "anon")				\
	X(FILE, "file")				\
	X(SHARED, "shared")

#define COWTRACE_RESULTS(X)			\
	X(COPY, "copy")				\
	X(ZERO, "zero")				\
	X(REUSE, "reuse")			\
	X(NOTIFY, "notify")			\
	X(SPLIT, "split")			\
	X(FAIL, "fail")

#define COWTRACE_ENUM_KIND(e, s)	COWTRACE_KIND_##e,
#define COWTRACE_ENUM_MAP(e, s)		COWTRACE_MAP_##e,
#define COWTRACE_ENUM_RESULT(e, s)	COWTRACE_RESULT_##e,

enum cowtrace_kind { COWTRACE_KINDS(COWTRACE_ENUM_KIND) COWTRACE_KIND_NR };
enum cowtrace_map { COWTRACE_MAPS(COWTRACE_ENUM_MAP) COWTRACE_MAP_NR };
enum cowtrace_result { COWTRACE_RESULTS(COWTRACE_ENUM_RESULT) COWTRACE_RESULT_NR };

/* Bytes in a comm, with its NUL: TASK_COMM_LEN. */
#define COWTRACE_COMM_LEN	16

#endif /* _UAPI_COWTRACE_H */
