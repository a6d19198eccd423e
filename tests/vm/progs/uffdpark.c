// SPDX-License-Identifier: GPL-2.0
/*
 * uffdpark: park THREADS threads in do_wp_page for as long as a
 * synchronous userfaultfd handler likes. Each thread writes its own page
 * of a write-protected private mapping; the handler reads every fault and
 * resolves none until GOFILE exists, so each writer waits inside the
 * fault, as a real handler that is slow or stopped leaves it.
 *
 * uffdpark THREADS GOFILE
 * Prints "parked=N" once N faults wait, then "released" at the end; exit
 * 0, or 77 (skip) when the kernel has no userfaultfd write-protect.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "uffd.h"

static char *map;
static long pagesz;

static void *writer(void *arg)
{
	map[(long)arg * pagesz] = 2;
	return NULL;
}

int main(int argc, char **argv)
{
	struct uffdio_writeprotect wp;
	struct stat st;
	pthread_t *t;
	long i, n, parked = 0;
	int uffd;

	if (argc != 3 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: uffdpark THREADS GOFILE\n");
		return 2;
	}
	pagesz = sysconf(_SC_PAGESIZE);
	map = mmap(NULL, n * pagesz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	t = calloc(n, sizeof(*t));
	if (map == MAP_FAILED || !t) {
		perror("uffdpark");
		return 1;
	}
	for (i = 0; i < n; i++)
		map[i * pagesz] = 1;
	uffd = uffd_wp_open(map, n * pagesz, 0);
	if (uffd < 0)
		return 77;
	if (start_writers(t, n, writer))
		return 1;
	/* Read every fault, resolve none: each writer waits in it. */
	parked = uffd_wait_faults(uffd, n);
	if (parked < n) {
		fprintf(stderr, "uffdpark: %ld of %ld writers waiting\n", parked, n);
		return 1;
	}
	printf("parked=%ld\n", parked);
	fflush(stdout);
	while (stat(argv[2], &st))
		usleep(10000);
	wp.range.start = (unsigned long)map;
	wp.range.len = n * pagesz;
	wp.mode = 0;	/* lift the protection and wake every writer */
	if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp)) {
		perror("UFFDIO_WRITEPROTECT");
		return 1;
	}
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("released\n");
	return 0;
}
