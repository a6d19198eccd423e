/* SPDX-License-Identifier: GPL-2.0 */
/* /proc/cowtrace and /proc/cowtrace_raw: per-open cursors over the rings. */
#ifndef COWTRACE_PROC_H
#define COWTRACE_PROC_H

#include "ring.h"

int cowtrace_proc_init(struct cowtrace_rings *rs);
void cowtrace_proc_exit(void);

#endif /* COWTRACE_PROC_H */
