// SPDX-License-Identifier: GPL-2.0
/*
 * dontneed: CoW faults while another thread empties their page table. One
 * thread reads then writes each page of a 2 MiB-aligned private anonymous
 * range (the read maps the shared zero page, the write replaces it in
 * do_wp_page), over and over; another thread throws the whole range away
 * with MADV_DONTNEED as fast as it can, which on kernels that reclaim
 * empty page tables (CONFIG_PT_RECLAIM, 6.14+) frees the PTE page the
 * faults use. Whatever the interleaving, a probe must not read that freed
 * page table, and every write gives at most one record.
 *
 * dontneed [-n WRITES]
 * Prints "writer pid=P tid=T", then "writes=N zaps=Z".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define BASE	((char *)0x100000000000UL)
#define RANGE	(2UL << 20)

static volatile int stop;
static long zaps;

static void *zapper(void *arg)
{
	(void)arg;
	while (!stop) {
		madvise(BASE, RANGE, MADV_DONTNEED);
		zaps++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long pagesz = sysconf(_SC_PAGESIZE), writes = 20000, i;
	volatile char sink = 0;
	pthread_t t;
	char *map;

	if (argc == 3)
		writes = atol(argv[2]);
	map = mmap(BASE, RANGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (map != BASE) {
		perror("dontneed: mmap");
		return 1;
	}
	/* 4 KiB pages where the kernel has THP (EINVAL where it has none). */
	madvise(map, RANGE, MADV_NOHUGEPAGE);
	printf("writer pid=%d tid=%d\n", getpid(), gettid());
	fflush(stdout);
	if (pthread_create(&t, NULL, zapper, NULL)) {
		perror("pthread_create");
		return 1;
	}
	for (i = 0; i < writes; i++) {
		char *p = map + (i % (RANGE / pagesz)) * pagesz;

		sink += *(volatile char *)p;
		*(volatile char *)p = 1;
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("writes=%ld zaps=%ld\n", writes, zaps);
	return sink & 0;
}
