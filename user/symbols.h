/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: the objects (executables, libraries) and their symbols. */
#ifndef COWTRACE_SYMBOLS_H
#define COWTRACE_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "maps.h"

/* Why an object gives no symbols */
enum ct_obj_err {
	CT_OBJ_OK,
	CT_OBJ_UNREADABLE,	/* cannot be opened, not a regular file, too big */
	CT_OBJ_BAD_ELF,		/* not ELF, or ELF that fails the bounds checks or libelf */
	CT_OBJ_MISMATCH,	/* its build-id is not the recorded one */
	CT_OBJ_TOO_MANY,	/* CT_OBJS_MAX objects already read */
	CT_OBJ_ERR_NR
};

#define CT_OBJS_MAX	4096	/* objects read, at most */
#define CT_OBJ_SIZE_MAX	(4ULL << 30)	/* larger files are not read */

struct ct_obj;

struct ct_obj *ct_obj_get(const struct ct_model *md, struct ct_map *m);
enum ct_obj_err ct_obj_err(const struct ct_obj *o);
size_t ct_obj_build_id(const struct ct_obj *o, const unsigned char **bid);
int ct_obj_sym(struct ct_obj *o, uint64_t file_off, const char **name,
	       uint64_t *off);
int ct_obj_check_file(int fd);
void ct_symbols_free(void);

#endif /* COWTRACE_SYMBOLS_H */
