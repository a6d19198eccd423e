/* SPDX-License-Identifier: GPL-2.0 */
/* What attrib and libattrib.so share. */
#ifndef ATTRIB_H
#define ATTRIB_H

/* A writer: a real function of its own, never inlined, cloned or merged. */
#define ATTRIB_WRITER __attribute__((noinline, noclone, used))

/* Pages each writer writes in the forked child: distinct, so that a row of
 * a table tells which writer it is. */
#define ATTRIB_HEAP_PAGES 3
#define ATTRIB_STACK_PAGES 2
#define ATTRIB_FILE_PAGES 4
#define ATTRIB_NAMED_PAGES 5
#define ATTRIB_DATA_PAGES 6
#define ATTRIB_HIDDEN_PAGES 7
#define ATTRIB_JIT_PAGES 8

/* The library's .data array (a function: a PIE's reference to the array
 * itself would copy it into the executable, COPY relocation). */
char *attrib_lib_data_ptr(void);
/* Its symbol is a C++ method's, attrib::lib::write_named(char volatile*,
 * long), made without a C++ compiler: the reader names it demangled. */
void attrib_lib_write_named(volatile char *p, long pages) __asm__("_ZN6attrib3lib11write_namedEPVcl");
void attrib_lib_write_data(volatile char *p, long pages);
void (*attrib_lib_hidden_ptr(void))(volatile char *, long);

#endif
