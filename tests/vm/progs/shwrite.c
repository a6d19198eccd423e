// SPDX-License-Identifier: GPL-2.0
/*
 * shwrite: write a file through a shared mapping, as a program saving its
 * data in place does. Create FILE of N pages and sync it, map it shared,
 * read every page (mapped read-only: the filesystem wants to know of the
 * first write), write every page, msync (writeback write-protects them
 * again), write every page again: 2N write-notify faults, each through
 * the filesystem's ->page_mkwrite on ext4 and the like.
 *
 * shwrite FILE N
 * Prints "writer pid=P tid=T".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long i, n, pagesz = sysconf(_SC_PAGESIZE);
	volatile char sink = 0;
	char *buf, *map;
	int fd;

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: shwrite FILE N\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	buf = calloc(1, pagesz);
	if (fd < 0 || !buf) {
		perror(argv[1]);
		return 1;
	}
	for (i = 0; i < n; i++)
		if (write(fd, buf, pagesz) != pagesz) {
			perror("write");
			return 1;
		}
	if (fsync(fd)) {
		perror("fsync");
		return 1;
	}
	map = mmap(NULL, n * pagesz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	printf("writer pid=%d tid=%d\n", getpid(), gettid());
	fflush(stdout);
	for (i = 0; i < n; i++)
		sink += map[i * pagesz];
	for (i = 0; i < n; i++)
		map[i * pagesz] = 1;
	if (msync(map, n * pagesz, MS_SYNC)) {
		perror("msync");
		return 1;
	}
	for (i = 0; i < n; i++)
		map[i * pagesz] = 2;
	return sink;
}
