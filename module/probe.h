/* SPDX-License-Identifier: GPL-2.0 */
/* The kprobe on do_wp_page that fills the rings. */
#ifndef COWTRACE_PROBE_H
#define COWTRACE_PROBE_H

#include "ring.h"

int cowtrace_probe_init(struct cowtrace_rings *rs);
void cowtrace_probe_exit(void);

#endif /* COWTRACE_PROBE_H */
