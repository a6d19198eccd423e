/* SPDX-License-Identifier: GPL-2.0 */
/* userfaultfd write-protect for the test programs: one way to set it up. */
#ifndef COWTRACE_TEST_UFFD_H
#define COWTRACE_TEST_UFFD_H

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <linux/userfaultfd.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * A userfaultfd that write-protects @len bytes at @map (populated), with
 * @features beyond UFFD_FEATURE_PAGEFAULT_FLAG_WP (UFFD_FEATURE_WP_HUGETLBFS_SHMEM
 * for shared memory). Return: the fd, or -1 after printing why on stdout
 * (the caller exits 77: the kernel has no userfaultfd write-protect for it).
 */
static inline int uffd_wp_open(void *map, unsigned long len,
			       unsigned long long features)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP | features };
	struct uffdio_register reg;
	struct uffdio_writeprotect wp;
	int uffd = syscall(SYS_userfaultfd, O_CLOEXEC);

	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) ||
	    (api.features & (UFFD_FEATURE_PAGEFAULT_FLAG_WP | features)) !=
	    (UFFD_FEATURE_PAGEFAULT_FLAG_WP | features)) {
		printf("no userfaultfd write-protect here\n");
		return -1;
	}
	reg.range.start = (unsigned long)map;
	reg.range.len = len;
	reg.mode = UFFDIO_REGISTER_MODE_WP;
	wp.range = reg.range;
	wp.mode = UFFDIO_WRITEPROTECT_MODE_WP;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) ||
	    ioctl(uffd, UFFDIO_WRITEPROTECT, &wp)) {
		printf("no userfaultfd write-protect of this memory here\n");
		return -1;
	}
	return uffd;
}

/*
 * Start @n threads running @fn(i) for i from 0, into @t. Return: 0, or -1
 * after printing why.
 */
static inline int start_writers(pthread_t *t, long n, void *(*fn)(void *))
{
	long i;

	for (i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, fn, (void *)i)) {
			perror("pthread_create");
			return -1;
		}
	return 0;
}

/*
 * Read page-fault messages from @uffd, answering none, until @n arrived or
 * none came for 10 s. Return: how many arrived (each is a task waiting).
 */
static inline long uffd_wait_faults(int uffd, long n)
{
	long got = 0;

	while (got < n) {
		struct pollfd p = { .fd = uffd, .events = POLLIN };
		struct uffd_msg msg;

		if (poll(&p, 1, 10000) != 1 ||
		    read(uffd, &msg, sizeof(msg)) != sizeof(msg))
			break;
		got += msg.event == UFFD_EVENT_PAGEFAULT;
	}
	return got;
}

#endif /* COWTRACE_TEST_UFFD_H */
