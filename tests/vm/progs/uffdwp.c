// SPDX-License-Identifier: GPL-2.0
/*
 * uffdwp: provoke VM_FAULT_RETRY in do_wp_page. Map N private anonymous
 * pages at 0x100000000000, populate them, write-protect them with
 * userfaultfd, then write each: do_wp_page hands the fault to userfaultfd,
 * whose handler thread lifts the protection and wakes the writer, and the
 * fault attempt returns VM_FAULT_RETRY. Each page's fault is retried once.
 *
 * Whether the retry is a CoW fault depends on the kernel: lifting the
 * protection makes an exclusive anonymous page's PTE writable directly
 * since 6.3 (uffd_wp_range() passes MM_CP_TRY_CHANGE_WRITABLE), so the
 * retry does not fault; before, it reaches do_wp_page and reuses the page.
 * -f forks first a child that keeps the pages shared until the writes are
 * done: the PTE stays read-only on every kernel and the retry copies.
 * -t writes each page from a thread of its own, all blocked in the fault
 * at once before the handler lifts the protection of the whole range.
 *
 * uffdwp [-f] [-t] [-n PAGES]
 * Prints "writer pid=P tid=T" and "retries=N"; exit 0, or 77 (skip) when
 * the kernel has no userfaultfd write-protect.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "uffd.h"

#define BASE ((char *)0x100000000000UL)

static int uffd, together;
static long pagesz, npages = 20;
static char *map;

/* Lift the protection of LEN bytes at START, waking their writers. */
static void unprotect(unsigned long start, unsigned long len)
{
	struct uffdio_writeprotect wp = { .range = { start, len }, .mode = 0 };

	if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp)) {
		perror("UFFDIO_WRITEPROTECT");
		exit(1);
	}
}

static void *write_page(void *arg)
{
	map[(long)arg * pagesz] = 2;
	return NULL;
}

static void *handler(void *arg)
{
	long done = 0;

	(void)arg;
	while (done < npages) {
		struct pollfd p = { .fd = uffd, .events = POLLIN };
		struct uffd_msg msg;

		if (poll(&p, 1, 10000) != 1 ||
		    read(uffd, &msg, sizeof(msg)) != sizeof(msg)) {
			perror("uffd read");
			exit(1);
		}
		if (msg.event != UFFD_EVENT_PAGEFAULT ||
		    !(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP))
			continue;
		if (!together)
			unprotect(msg.arg.pagefault.address & ~(pagesz - 1), pagesz);
		done++;
	}
	if (together)	/* every writer is waiting in its fault now */
		unprotect((unsigned long)map, npages * pagesz);
	printf("retries=%ld\n", done);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t, *w;
	int opt, share = 0, pipefd[2], status;
	pid_t child = -1;
	long i;

	while ((opt = getopt(argc, argv, "ftn:")) != -1) {
		switch (opt) {
		case 'f': share = 1; break;
		case 't': together = 1; break;
		case 'n': npages = atol(optarg); break;
		default:
			fprintf(stderr, "usage: uffdwp [-f] [-t] [-n PAGES]\n");
			return 2;
		}
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
	if (share) {
		/* The child holds the pages until the pipe closes. */
		if (pipe(pipefd)) {
			perror("pipe");
			return 1;
		}
		child = fork();
		if (child < 0) {
			perror("fork");
			return 1;
		}
		if (child == 0) {
			char c;

			close(pipefd[1]);
			_exit(read(pipefd[0], &c, 1) == 0 ? 0 : 1);
		}
		close(pipefd[0]);
	}
	uffd = uffd_wp_open(map, npages * pagesz, 0);
	if (uffd < 0)
		return 77;
	if (pthread_create(&t, NULL, handler, NULL)) {
		perror("pthread_create");
		return 1;
	}
	printf("writer pid=%d tid=%d\n", getpid(), gettid());
	fflush(stdout);
	if (together) {
		w = calloc(npages, sizeof(*w));
		if (!w || start_writers(w, npages, write_page))
			return 1;
		for (i = 0; i < npages; i++)
			pthread_join(w[i], NULL);
	} else {
		for (i = 0; i < npages; i++)
			map[i * pagesz] = 2;
	}
	pthread_join(t, NULL);
	if (share) {
		close(pipefd[1]);
		if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "uffdwp: child failed\n");
			return 1;
		}
	}
	return 0;
}
