// SPDX-License-Identifier: GPL-2.0
/*
 * rawcomm: the comm bytes of each record in /proc/cowtrace_raw, all 16 in
 * hex, after the TGID: "TGID 636f7700000000000000000000000000".
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>

#include "uapi/cowtrace.h"

int main(void)
{
	static char buf[1 << 20];
	const struct cowtrace_raw_header *h = (const void *)buf;
	ssize_t n, off;
	int fd = open("/proc/cowtrace_raw", O_RDONLY), i;

	if (fd < 0) {
		perror("/proc/cowtrace_raw");
		return 1;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < (ssize_t)sizeof(*h) || h->magic != COWTRACE_RAW_MAGIC) {
		fprintf(stderr, "rawcomm: no raw header\n");
		return 1;
	}
	for (off = h->header_size;;) {
		for (; off + (ssize_t)sizeof(struct cowtrace_record) <= n;
		     off += sizeof(struct cowtrace_record)) {
			const struct cowtrace_record *r = (const void *)(buf + off);

			if (r->stamp != COWTRACE_RAW_RECORD)
				continue;
			printf("%u ", r->tgid);
			for (i = 0; i < COWTRACE_COMM_LEN; i++)
				printf("%02x", (unsigned char)r->comm[i]);
			printf("\n");
		}
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return n < 0;
		off = 0;
	}
}
