// SPDX-License-Identifier: GPL-2.0
/*
 * hugepark: THREADS threads wait at once inside hugetlb_fault(), where
 * cowtrace's hugetlb probe has taken a return instance for each write
 * fault: they write a private hugetlb page that is missing and registered
 * with userfaultfd (MISSING mode), whose handler answers only once all of
 * them wait. More waiting writers than instances make the probe count
 * faults it missed. (A write that waits for userfaultfd-wp in do_wp_page
 * holds none: the module counts it at entry.)
 *
 * hugepark THREADS
 * Prints "parked=N" (the faults read before the answer); exit 0, or 77
 * (skip) without a hugetlb page or userfaultfd on hugetlb memory.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "uffd.h"

#define HUGE	(2UL << 20)

static char *map;

static void *writer(void *arg)
{
	map[(long)arg * 64] = 1;
	return NULL;
}

int main(int argc, char **argv)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	struct uffdio_copy copy;
	long i, n, parked = 0;
	pthread_t *t;
	char *src;
	int uffd;

	if (argc != 2 || (n = atol(argv[1])) <= 0 || n > (long)(HUGE / 64)) {
		fprintf(stderr, "usage: hugepark THREADS\n");
		return 2;
	}
	map = mmap(NULL, HUGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	src = mmap(NULL, HUGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	t = calloc(n, sizeof(*t));
	if (map == MAP_FAILED || src == MAP_FAILED || !t) {
		perror("no hugetlb page here: mmap");
		return 77;
	}
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	reg.range.start = (unsigned long)map;
	reg.range.len = HUGE;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) ||
	    ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		printf("no userfaultfd on hugetlb memory here\n");
		return 77;
	}
	if (start_writers(t, n, writer))
		return 1;
	/* Each waiting writer is one message; then answer them all at once. */
	parked = uffd_wait_faults(uffd, n);
	printf("parked=%ld\n", parked);
	fflush(stdout);
	copy.dst = (unsigned long)map;
	copy.src = (unsigned long)src;
	copy.len = HUGE;
	copy.mode = 0;
	if (ioctl(uffd, UFFDIO_COPY, &copy)) {
		perror("UFFDIO_COPY");
		return 1;
	}
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return parked == n ? 0 : 1;
}
