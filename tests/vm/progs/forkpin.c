// SPDX-License-Identifier: GPL-2.0
/*
 * forkpin: fork with pinned pages. Map N private anonymous pages at
 * 0x100000000000 (or N hugetlb pages, -G), write each, register them as an
 * io_uring fixed buffer (a long-term pin, as RDMA and vfio take), then
 * fork: fork cannot share a pinned page, so it copies each at once for the
 * child. Then the child writes each page and exits, and the parent writes
 * each: both own their pages, so neither write is a CoW fault.
 *
 * With -H, one transparent huge page (2 MiB, MADV_HUGEPAGE): fork splits
 * a pinned THP and copies each of its 4 KiB pages.
 *
 * forkpin [-n PAGES] [-G | -H]
 * Prints "parent pid=P" and "child pid=C" (with -H first "thp KB" of
 * AnonHugePages); exit 0, or 77 (skip) when the kernel has no io_uring (or
 * no hugetlb page to give).
 */
#define _GNU_SOURCE
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "thp.h"

#define BASE ((char *)0x100000000000UL)

int main(int argc, char **argv)
{
	struct io_uring_params p;
	long i, npages = 100, pagesz = sysconf(_SC_PAGESIZE);
	int opt, ring, status, huge = 0, thp = 0;
	struct iovec iov;
	pid_t pid;
	char *map;

	while ((opt = getopt(argc, argv, "n:GH")) != -1) {
		if (opt == 'n') {
			npages = atol(optarg);
		} else if (opt == 'G') {
			huge = 1;
		} else if (opt == 'H') {
			thp = 1;
		} else {
			fprintf(stderr, "usage: forkpin [-n PAGES] [-G | -H]\n");
			return 2;
		}
	}
	if (huge) {
		pagesz = 2L << 20;
		if (npages == 100)
			npages = 2;
	}
	if (thp)
		npages = (2L << 20) / pagesz;
	map = mmap(BASE, npages * pagesz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE |
		   (huge ? MAP_HUGETLB : 0), -1, 0);
	if (map != BASE) {
		perror("no mapping at 0x100000000000");
		return huge ? 77 : 1;
	}
	if (thp && madvise(map, npages * pagesz, MADV_HUGEPAGE)) {
		perror("madvise(MADV_HUGEPAGE)");
		return 1;
	}
	for (i = 0; i < npages; i++)
		map[i * pagesz] = 1;
	if (thp)
		print_thp();
	memset(&p, 0, sizeof(p));
	ring = syscall(__NR_io_uring_setup, 1, &p);
	if (ring < 0) {
		perror("no io_uring here: io_uring_setup");
		return 77;
	}
	iov.iov_base = map;
	iov.iov_len = npages * pagesz;
	if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS, &iov, 1)) {
		perror("no io_uring fixed buffer here: IORING_REGISTER_BUFFERS");
		return 77;
	}
	printf("parent pid=%d\n", getpid());
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		printf("child pid=%d\n", getpid());
		fflush(stdout);
		for (i = 0; i < npages; i++)
			map[i * pagesz] = 2;
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "forkpin: child failed\n");
		return 1;
	}
	for (i = 0; i < npages; i++)
		map[i * pagesz] = 3;
	return 0;
}
