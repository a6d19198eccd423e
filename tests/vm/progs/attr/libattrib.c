// SPDX-License-Identifier: GPL-2.0
/*
 * libattrib.so: the shared library of the attribution scenario (attrib.c).
 * Installed stripped (.dynsym only): its exported writers resolve through
 * .dynsym, its hidden one through no symbol at all (OBJECT+0xOFF).
 */
#include "attrib.h"

/* Pages of .data of our own, page-aligned, written before fork. */
static char attrib_lib_data[(ATTRIB_DATA_PAGES + 2) * 4096] __attribute__((aligned(4096))) = { 1 };

ATTRIB_WRITER void attrib_lib_write_named(volatile char *p, long pages)
{
	for (long i = 0; i < pages; i++)
		p[i * 4096] = 0x21;
}

ATTRIB_WRITER void attrib_lib_write_data(volatile char *p, long pages)
{
	for (long i = 0; i < pages; i++)
		p[i * 4096] = 0x22;
}

/* Not exported: no symbol covers it in the stripped library. */
__attribute__((visibility("hidden"))) ATTRIB_WRITER void attrib_lib_hidden(volatile char *p, long pages)
{
	for (long i = 0; i < pages; i++)
		p[i * 4096] = 0x23;
}

char *attrib_lib_data_ptr(void)
{
	return attrib_lib_data;
}

/* The hidden writer's address, for the program to say where it is. */
void (*attrib_lib_hidden_ptr(void))(volatile char *, long)
{
	return attrib_lib_hidden;
}
