/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: -w PATH, the stream saved with each process's mappings. */
#ifndef COWTRACE_SAVE_H
#define COWTRACE_SAVE_H

#include <stddef.h>

#include "parse.h"

int ct_save_open(const char *path);
void ct_save_record(const struct ct_rec *r);
void ct_save_lost(const struct ct_rec *r);
void ct_save_line(const char *line, size_t len);
int ct_save_close(void);

#endif /* COWTRACE_SAVE_H */
