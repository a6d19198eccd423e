// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the symbolizer (symbols.c through attr.c) on an
 * arbitrary file, as a hostile user could plant one and have a traced
 * process map it: the input is written to a memory file, a recorded
 * process maps it as code, and records with IPs across it and at offsets
 * its own bytes choose are resolved. Nothing may crash, hang or leak; a
 * name given is a NUL-terminated string.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../attr.h"
#include "../maps.h"
#include "../symbols.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t inode;
	struct ct_rec r = { .tgid = 4242, .size = 4096, .result = COWTRACE_RESULT_COPY };
	struct ct_where w;
	char l[160];
	uint64_t off;
	size_t i;
	int fd = memfd_create("ct-fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	/* A process gone: the file is opened by its path, this memory file. */
	ct_maps_record_seen();
	snprintf(l, sizeof(l), "# map 4242 100000-200000 00000000 00:01 %" PRIu64
		 " - /proc/self/fd/%d", ++inode, fd);
	if (ct_maps_line(l, strlen(l)) != 1)
		__builtin_trap();
	for (i = 0; i < 8; i++) {
		off = i < 4 ? i * size / 4 : 0;
		if (i >= 4 && size >= 8 * (i - 3))
			memcpy(&off, data + 8 * (i - 4), sizeof(off));
		r.ip = 0x100000 + off % 0x100000;
		r.addr = 0x100000;
		ct_where(&r, &w);
		if ((w.sym && strlen(w.sym) > sizeof(w.sym_buf)) || !w.region)
			__builtin_trap();
	}
	ct_symbols_free();
	ct_maps_free();
	close(fd);
	return 0;
}
