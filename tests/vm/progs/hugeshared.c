// SPDX-License-Identifier: GPL-2.0
/*
 * hugeshared: a write fault on a shared hugetlb mapping. Map 2 shared
 * anonymous hugetlb pages at 0x100000000000 and write each (a first write:
 * no CoW path), then write-protect them with userfaultfd and lift the
 * protection again: the pages stay mapped read-only, so the next write to
 * each goes through hugetlb's CoW function, which makes a shared page
 * writable in place (write-notify, never a copy).
 *
 * hugeshared
 * Prints "writer pid=P tid=T"; exit 0, or 77 (skip) without hugetlb pages
 * or userfaultfd write-protect of shared hugetlb memory.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>

#include "uffd.h"

#define BASE	((char *)0x100000000000UL)
#define HUGE	(2UL << 20)

int main(void)
{
	struct uffdio_writeprotect wp;
	char *map;
	int uffd, i;

	map = mmap(BASE, 2 * HUGE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_FIXED_NOREPLACE,
		   -1, 0);
	if (map != BASE) {
		perror("no shared hugetlb mapping here: mmap");
		return 77;
	}
	for (i = 0; i < 2; i++)
		map[i * HUGE] = 1;
	uffd = uffd_wp_open(map, 2 * HUGE, UFFD_FEATURE_WP_HUGETLBFS_SHMEM);
	if (uffd < 0)
		return 77;
	wp.range.start = (unsigned long)map;
	wp.range.len = 2 * HUGE;
	wp.mode = 0;
	if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp)) {
		perror("UFFDIO_WRITEPROTECT");
		return 1;
	}
	printf("writer pid=%d tid=%d\n", getpid(), gettid());
	fflush(stdout);
	for (i = 0; i < 2; i++)
		map[i * HUGE] = 2;
	return 0;
}
