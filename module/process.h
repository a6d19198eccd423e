/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace process events: the "# fork" and "# exit" lines. */
#ifndef COWTRACE_PROCESS_H
#define COWTRACE_PROCESS_H

#include "ring.h"

int cowtrace_process_init(struct cowtrace_rings *rs);
void cowtrace_process_exit(void);

#endif /* COWTRACE_PROCESS_H */
