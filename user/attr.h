/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: where a record's copy came from (-a, --by, -o folded). */
#ifndef COWTRACE_ATTR_H
#define COWTRACE_ATTR_H

#include <stdint.h>
#include <stdio.h>

#include "format.h"
#include "parse.h"

/* Why a part of a record could not be resolved: bits of ct_where.why */
enum ct_why {
	CT_WHY_NO_REGION,	/* ADDRESS outside every known mapping */
	CT_WHY_NO_MAPPING,	/* IP outside every known mapping */
	CT_WHY_ANON,		/* IP in an anonymous mapping (JIT-like code) */
	CT_WHY_VDSO,		/* IP in [vdso] (its symbols are not read) */
	CT_WHY_UNREADABLE,	/* the object could not be opened */
	CT_WHY_BAD_ELF,		/* the object is not ELF, or a broken one */
	CT_WHY_MISMATCH,	/* the object's build-id is not the recorded one */
	CT_WHY_NO_SYMBOL,	/* no symbol covers IP: SYMBOL is OBJECT+0xOFF */
	CT_WHY_TOO_MANY,	/* too many objects already read */
	CT_WHY_NR
};

/**
 * struct ct_where - where a record's copy came from
 * @comm:     the decoded comm (NUL terminated; may hold any byte but NUL)
 * @region:   the mapping holding ADDRESS, named as /proc/PID/maps names
 *            it ("[heap]", "[stack]", "[anon:NAME]", a path, "[anon]")
 * @object:   the path of the object holding IP, "[vdso]", or
 *            "PATH (build-id mismatch)"
 * @function: the function holding IP, without offset
 * @sym:      SYMBOL as -a shows it: "function+0xOFF", or "OBJECT+0xOFF"
 *            (file offset) where no symbol covers IP
 * @why:      bits (1 << enum ct_why) of what could not be resolved
 *
 * Each string is NULL where unknown; they stay valid until the next call.
 */
struct ct_where {
	const char *comm, *region, *object, *function, *sym;
	unsigned int why;
	char sym_buf[CT_NAME_MAX + 24];
	char obj_buf[CT_NAME_MAX + 24];
	char region_buf[CT_NAME_MAX + 1];
	char func_buf[CT_NAME_MAX + 1];
};

int ct_where(const struct ct_rec *r, struct ct_where *w);
void ct_where_count(const struct ct_where *w);
void ct_where_report(FILE *f);

#endif /* COWTRACE_ATTR_H */
