/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: records as JSON and CSV, and the escaping they need. */
#ifndef COWTRACE_FORMAT_H
#define COWTRACE_FORMAT_H

#include <stddef.h>

#include "parse.h"

#define CT_OUT_MAX	512	/* a formatted record, with its NUL */

extern const char ct_csv_header[];
extern const char ct_text_columns[];

size_t ct_utf8_len(const unsigned char *s, size_t n);
size_t ct_json_string(const char *in, size_t n, char *out, size_t size);
size_t ct_csv_field(const char *in, size_t n, char *out, size_t size);
size_t ct_format_text(const struct ct_rec *r, char *out, size_t size);
size_t ct_format_json(const struct ct_rec *r, char *out, size_t size);
size_t ct_format_csv(const struct ct_rec *r, char *out, size_t size);

#endif /* COWTRACE_FORMAT_H */
