/* SPDX-License-Identifier: GPL-2.0 */
/* The probes on the kernel's CoW paths that fill the rings. */
#ifndef COWTRACE_PROBE_H
#define COWTRACE_PROBE_H

#include "ring.h"

/**
 * struct cowtrace_probe_counts - counters since load, for the header
 * @paths:   bitmap of the enum cowtrace_path values probed
 * @missed:  faults not recorded because a probe could not run: kretprobe
 *           misses and instances exhausted, no in-flight slot
 * @retried: fault attempts that returned VM_FAULT_RETRY (no record)
 * @raced:   fault attempts that found the fault resolved by another
 *           thread and did nothing (no record)
 */
struct cowtrace_probe_counts {
	unsigned long paths;
	unsigned long missed;
	unsigned long retried;
	unsigned long raced;
};

int cowtrace_probe_init(struct cowtrace_rings *rs);
void cowtrace_probe_exit(void);
void cowtrace_probe_counts(struct cowtrace_probe_counts *c);

#endif /* COWTRACE_PROBE_H */
