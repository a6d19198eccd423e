/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: records as JSON and CSV, and the escaping they need. */
#ifndef COWTRACE_FORMAT_H
#define COWTRACE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "parse.h"

#define CT_OUT_MAX	512	/* a formatted record, with its NUL */
#define CT_NAME_MAX	1024	/* bytes of a name of -a kept (a longer one is cut) */
/* what ct_format_where() may add to a record */
#define CT_WHERE_OUT	(3 * (2 * 4 * CT_NAME_MAX + 16) + 64)

/* What a formatted record is, for ct_format_where() */
enum ct_fmt { CT_FMT_TEXT, CT_FMT_JSON, CT_FMT_CSV };

extern const char ct_csv_header[];
extern const char ct_text_columns[];
extern const char ct_csv_header_where[];
extern const char ct_text_columns_where[];

size_t ct_utf8_len(const unsigned char *s, size_t n);

/*
 * Whether the valid UTF-8 sequence of @u bytes at @s is a C1 control
 * (U+0080 to U+009F), which a terminal may act on as it does on ESC.
 */
static inline int ct_utf8_c1(const unsigned char *s, size_t u)
{
	return u == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}

size_t ct_json_string(const char *in, size_t n, char *out, size_t size);
size_t ct_csv_field(const char *in, size_t n, char *out, size_t size);
size_t ct_format_text(const struct ct_rec *r, char *out, size_t size);
size_t ct_format_json(const struct ct_rec *r, char *out, size_t size);
size_t ct_format_csv(const struct ct_rec *r, char *out, size_t size);
size_t ct_format_where(int fmt, const char *sym, const char *obj,
		       const char *region, char *line, size_t len, size_t size);
size_t ct_format_lost(const struct ct_rec *r, char *out, size_t size);
size_t ct_format_event(enum ct_line t, const struct ct_rec *r, char *out,
		       size_t size);

#endif /* COWTRACE_FORMAT_H */
