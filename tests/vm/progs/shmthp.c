// SPDX-License-Identifier: GPL-2.0
/*
 * shmthp: a write to a shmem THP mapped privately. Fill a 2 MiB file on a
 * tmpfs mounted huge=always (one huge page in the page cache), map it
 * privately at 0x100000000000, read it (the huge page is mapped by one
 * PMD), then write its first byte: the fault cannot copy 2 MiB of a file,
 * so it splits the PMD (wp_huge_pmd, not do_huge_pmd_wp_page), and the
 * write goes on as a 4 KiB private file fault that copies the page.
 *
 * shmthp DIR
 * Prints "pmd KB kB" (ShmemPmdMapped before the write) and "writer pid=P
 * tid=T".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BASE	((char *)0x100000000000UL)
#define HUGE	(2UL << 20)

int main(int argc, char **argv)
{
	volatile char sink;
	char path[4096], line[128], *buf, *map;
	FILE *f;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: shmthp DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/f", argv[1]);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	buf = malloc(HUGE);
	if (fd < 0 || !buf || ftruncate(fd, HUGE)) {
		perror(path);
		return 1;
	}
	memset(buf, 1, HUGE);
	if (pwrite(fd, buf, HUGE, 0) != (ssize_t)HUGE) {
		perror("pwrite");
		return 1;
	}
	map = mmap(BASE, HUGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0);
	if (map != BASE) {
		perror("mmap at 0x100000000000");
		return 1;
	}
	sink = map[0];
	f = fopen("/proc/self/smaps_rollup", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "ShmemPmdMapped:", 15))
			printf("pmd %s", line + 15);
	if (f)
		fclose(f);
	printf("writer pid=%d tid=%d\n", getpid(), gettid());
	fflush(stdout);
	map[0] = sink + 1;
	return 0;
}
