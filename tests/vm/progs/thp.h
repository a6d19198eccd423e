/* SPDX-License-Identifier: GPL-2.0 */
/* Transparent huge pages for the test programs. */
#ifndef COWTRACE_TEST_THP_H
#define COWTRACE_TEST_THP_H

#include <stdio.h>
#include <string.h>

/*
 * Print "thp KB kB": the AnonHugePages of this process, so that the test
 * knows whether the kernel could give huge pages at all.
 */
static inline void print_thp(void)
{
	char line[128];
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "AnonHugePages:", 14))
			printf("thp %s", line + 14);
	if (f)
		fclose(f);
}

#endif /* COWTRACE_TEST_THP_H */
