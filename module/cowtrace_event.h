/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cowtrace:cow trace event: the record of one CoW decision, for perf,
 * trace-cmd and bpftrace. Fired after the filter, with the same fields the
 * ring gets.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM cowtrace

#if !defined(COWTRACE_EVENT_H) || defined(TRACE_HEADER_MULTI_READ)
#define COWTRACE_EVENT_H

#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "ring.h"

/* Longest KIND, MAP or RESULT name, with its NUL. */
#define COWTRACE_EVENT_NAME_LEN	8

/* Names as fixed arrays, so that the event copies 8 bytes, no strlen. */
extern const char cowtrace_event_kind[COWTRACE_KIND_NR][COWTRACE_EVENT_NAME_LEN];
extern const char cowtrace_event_map[COWTRACE_MAP_NR][COWTRACE_EVENT_NAME_LEN];
extern const char cowtrace_event_result[COWTRACE_RESULT_NR][COWTRACE_EVENT_NAME_LEN];

TRACE_EVENT(cow,

	TP_PROTO(const struct cowtrace_record *rec),

	TP_ARGS(rec),

	TP_STRUCT__entry(
		__field(unsigned long, addr)
		__field(unsigned long, size)
		__field(pid_t, pid)
		__field(pid_t, tgid)
		__array(char, kind, COWTRACE_EVENT_NAME_LEN)
		__array(char, map, COWTRACE_EVENT_NAME_LEN)
		__array(char, result, COWTRACE_EVENT_NAME_LEN)
		__field(unsigned long, ip)
		__array(char, comm, TASK_COMM_LEN)
	),

	TP_fast_assign(
		__entry->addr = rec->addr;
		__entry->size = 1UL << rec->shift;
		__entry->pid = rec->pid;
		__entry->tgid = rec->tgid;
		memcpy(__entry->kind, cowtrace_event_kind[rec->kind],
		       COWTRACE_EVENT_NAME_LEN);
		memcpy(__entry->map, cowtrace_event_map[rec->map],
		       COWTRACE_EVENT_NAME_LEN);
		memcpy(__entry->result, cowtrace_event_result[rec->result],
		       COWTRACE_EVENT_NAME_LEN);
		__entry->ip = rec->ip;
		memcpy(__entry->comm, rec->comm, TASK_COMM_LEN);
	),

	TP_printk("addr=0x%lx size=%lu pid=%d tgid=%d kind=%s map=%s result=%s ip=0x%lx comm=%s",
		  __entry->addr, __entry->size, __entry->pid, __entry->tgid,
		  __entry->kind, __entry->map, __entry->result, __entry->ip,
		  __entry->comm)
);

#endif /* COWTRACE_EVENT_H */

/* Out of tree: define_trace.h must find this header next to the module. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE cowtrace_event
#include <trace/define_trace.h>
