/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the unit tests share: one "ok - NAME" / "not ok - NAME" line per
 * group of checks, and records made by the reader's own parser.
 */
#ifndef COWTRACE_TESTS_CHECK_H
#define COWTRACE_TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../parse.h"

static int fails, passes, group_fails;

#define CHECK(cond, ...) do {						\
	if (cond) { passes++; } else {					\
		fails++; printf("# failed: ");				\
		printf(__VA_ARGS__); printf("\n");			\
	}								\
} while (0)

/* One line for the checks since the last group, "ok" only if none failed. */
static inline void group(const char *name)
{
	printf("%s - %s\n", fails == group_fails ? "ok" : "not ok", name);
	group_fails = fails;
}

/* The last line of a test program, and its exit status. */
static inline int checks_done(void)
{
	printf("# %d checks passed, %d failed\n", passes, fails);
	return fails ? 1 : 0;
}

/* A record of @tgid, through the real parser (0.2 layout). */
static inline struct ct_rec test_rec(uint32_t tgid, const char *comm,
				     const char *result, uint64_t size)
{
	struct ct_layout lay;
	struct ct_rec r;
	char l[200];

	snprintf(l, sizeof(l), "1.000000000 0 %u %u 0x1000 %llu write anon %s 0x1 %s",
		 (unsigned int)tgid, (unsigned int)tgid, (unsigned long long)size,
		 result, comm);
	ct_layout_init(&lay);
	if (ct_parse_line(&lay, l, strlen(l), &r) != CT_LINE_RECORD) {
		printf("# bad test line: %s\n", l);
		exit(1);
	}
	return r;
}

#endif /* COWTRACE_TESTS_CHECK_H */
