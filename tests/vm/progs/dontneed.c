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
 * Prints "writer pid=P tid=T", then "writes=N zaps=Z", then, when
 * /proc/cowtrace can be read, "storm taken=T raced=R retried=E": what the
 * module's counters grew by while the writes ran, its own start-up and
 * exit (whose faults vary from run to run) left out.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BASE	((char *)0x100000000000UL)
#define RANGE	(2UL << 20)

static volatile int stop;
static long zaps;

/*
 * The header's "taken", "raced" and "retried" into @v; 0 when the file
 * cannot be read. The buffer was written before (main), so that read()
 * filling it makes no fault of its own inside the storm's window.
 */
static char hdr[4096];

static int counters(long long v[3])
{
	static const char *const key[3] = { " taken=", " raced=", " retried=" };
	int fd = open("/proc/cowtrace", O_RDONLY), k;
	ssize_t n;
	char *line;

	if (fd < 0)
		return 0;
	n = read(fd, hdr, sizeof(hdr) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	hdr[n] = '\0';
	line = strstr(hdr, "\n# taken=");	/* the totals, not a cpu= line */
	if (!line)
		return 0;
	*strchrnul(line + 1, '\n') = '\0';
	for (k = 0; k < 3; k++) {
		char *at = strstr(line, key[k]);

		if (!at)
			return 0;
		v[k] = atoll(at + strlen(key[k]));
	}
	return 1;
}

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
	long long v0[3], v1[3];
	pthread_t t;
	char *map;
	int have;

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
	memset(hdr, 1, sizeof(hdr));
	have = counters(v0);
	for (i = 0; i < writes; i++) {
		char *p = map + (i % (RANGE / pagesz)) * pagesz;

		sink += *(volatile char *)p;
		*(volatile char *)p = 1;
	}
	have = have && counters(v1);
	stop = 1;
	pthread_join(t, NULL);
	printf("writes=%ld zaps=%ld\n", writes, zaps);
	if (have)
		printf("storm taken=%lld raced=%lld retried=%lld\n",
		       v1[0] - v0[0], v1[1] - v0[1], v1[2] - v0[2]);
	return sink & 0;
}
