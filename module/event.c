// SPDX-License-Identifier: GPL-2.0
/* The cowtrace:cow trace event: its one CREATE_TRACE_POINTS. */

#include "ring.h"

#define CREATE_TRACE_POINTS
#include "cowtrace_event.h"

const char cowtrace_event_kind[COWTRACE_KIND_NR][COWTRACE_EVENT_NAME_LEN] =
	COWTRACE_KIND_NAMES;
const char cowtrace_event_map[COWTRACE_MAP_NR][COWTRACE_EVENT_NAME_LEN] =
	COWTRACE_MAP_NAMES;
const char cowtrace_event_result[COWTRACE_RESULT_NR][COWTRACE_EVENT_NAME_LEN] =
	COWTRACE_RESULT_NAMES;
