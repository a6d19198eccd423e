// SPDX-License-Identifier: GPL-2.0
/*
 * uffdwp: provoke VM_FAULT_RETRY in do_wp_page. Map N private anonymous
 * pages at 0x100000000000, populate them, write-protect them with
 * userfaultfd, then write each: do_wp_page hands the fault to userfaultfd,
 * whose handler thread lifts the protection and wakes the writer, and the
 * fault attempt returns VM_FAULT_RETRY. Each page's fault is retried once.
 *
 * uffdwp [-n PAGES]
 * Prints "writer pid=P tid=T" and "retries=N"; exit 0, or 77 (skip) when
 * the kernel has no userfaultfd write-protect.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BASE ((char *)0x100000000000UL)

static int uffd;
static long pagesz, npages = 20;

static void *handler(void *arg)
{
	long done = 0;

	(void)arg;
	while (done < npages) {
		struct pollfd p = { .fd = uffd, .events = POLLIN };
		struct uffd_msg msg;
		struct uffdio_writeprotect wp;

		if (poll(&p, 1, 10000) != 1 ||
		    read(uffd, &msg, sizeof(msg)) != sizeof(msg)) {
			perror("uffd read");
			exit(1);
		}
		if (msg.event != UFFD_EVENT_PAGEFAULT ||
		    !(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP))
			continue;
		wp.range.start = msg.arg.pagefault.address & ~(pagesz - 1);
		wp.range.len = pagesz;
		wp.mode = 0;	/* lift the protection and wake the writer */
		if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp)) {
			perror("UFFDIO_WRITEPROTECT");
			exit(1);
		}
		done++;
	}
	printf("retries=%ld\n", done);
	return NULL;
}

int main(int argc, char **argv)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP };
	struct uffdio_register reg;
	struct uffdio_writeprotect wp;
	pthread_t t;
	char *map;
	long i;
	int opt;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n') {
			fprintf(stderr, "usage: uffdwp [-n PAGES]\n");
			return 2;
		}
		npages = atol(optarg);
	}
	pagesz = sysconf(_SC_PAGESIZE);
	map = mmap(BASE, npages * pagesz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (map != BASE) {
		perror("mmap");
		return 1;
	}
	for (i = 0; i < npages; i++)
		map[i * pagesz] = 1;
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) ||
	    !(api.features & UFFD_FEATURE_PAGEFAULT_FLAG_WP)) {
		printf("no userfaultfd write-protect here\n");
		return 77;
	}
	reg.range.start = (unsigned long)map;
	reg.range.len = npages * pagesz;
	reg.mode = UFFDIO_REGISTER_MODE_WP;
	wp.range = reg.range;
	wp.mode = UFFDIO_WRITEPROTECT_MODE_WP;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg) ||
	    ioctl(uffd, UFFDIO_WRITEPROTECT, &wp)) {
		printf("no userfaultfd write-protect of anonymous memory here\n");
		return 77;
	}
	if (pthread_create(&t, NULL, handler, NULL)) {
		perror("pthread_create");
		return 1;
	}
	printf("writer pid=%d tid=%d\n", getpid(), gettid());
	fflush(stdout);
	for (i = 0; i < npages; i++)
		map[i * pagesz] = 2;
	pthread_join(t, NULL);
	return 0;
}
