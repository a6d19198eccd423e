// SPDX-License-Identifier: GPL-2.0
/*
 * cow: the original experiment. Map N private pages at 0x100000000000,
 * touch them, fork; the child (or the parent, -P) writes each page once,
 * so each write is one copy-on-write fault in do_wp_page.
 *
 * cow [-n PAGES] [-t] [-f FILE] [-N NAME] [-P] [-W GOFILE] [-S] [-U] [-R]
 *     [-Z] [-F FILE] [-H] [-G] [-X] [-K]
 *   -t       the child writes from a second thread (PID != TGID)
 *   -f FILE  map FILE privately instead of anonymous memory; the writer
 *            reads each page first, so the write copies a page-cache page
 *   -N NAME  the writer sets its comm to NAME (prctl) before writing
 *   -P       the parent writes, the child only waits (for pid= tests)
 *   -W FILE  wait until FILE exists before forking
 *   -S       map shared anonymous memory; the writer clears its soft-dirty
 *            bits first (/proc/self/clear_refs), so each write is a
 *            write-notify fault on a shared mapping, not a copy
 *   -U       instead of writing, pin each page read-only (process_vm_readv
 *            of the writer's own pages): an unshare request, not a write
 *   -R       after the child wrote and exited, the parent writes each page
 *            again: the pages are its own now, so each write is a reuse.
 *            Runs on CPU 0 only: a page still in another CPU's LRU batch
 *            holds a reference do_wp_page cannot drain, and is copied
 *   -Z       no fork: map fresh anonymous memory, read each page (the shared
 *            zero page is mapped), then write it: a zero-fill, not a copy
 *   -F FILE  no fork: map FILE privately and write each page without
 *            reading it first: the file page is copied as it is faulted in
 *   -H       PAGES transparent huge pages (2 MiB, MADV_HUGEPAGE), populated,
 *            then fork; the child writes the first byte of each (the PMD
 *            is split, then the 4 KiB page copied); with -R the parent then
 *            writes each again and reuses the whole huge page
 *   -G       PAGES hugetlb pages (2 MiB, MAP_HUGETLB), populated (the
 *            first write of each goes through hugetlb's CoW and reuses the
 *            new page), then fork; the child writes each: a 2 MiB copy
 *   -X       a remote write: the child only waits; the parent writes each
 *            of the child's pages with process_vm_writev(), so the child's
 *            CoW faults are taken by the parent, in the child's memory
 *   -K       no fork: fill PAGES pages alike, let KSM merge them
 *            (MADV_MERGEABLE; ksmd must run), print "ksm sharing=N", then
 *            write each: the KSM page is copied (cow_ksm); with -U,
 *            MADV_UNMERGEABLE instead of the writes: the kernel breaks
 *            each KSM page in this task's name, a copy too
 * Prints "parent pid=P", and "writer pid=P tid=T" for the task that wrote.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "thp.h"

#define BASE ((char *)0x100000000000UL)

static long npages = 100, pagesz;
static const char *name;
static int from_file, ro_pin, shared, zero_first, ksm;
static char *map;

static void *writer(void *arg)
{
	volatile char sink = 0;
	long i;

	(void)arg;
	if (name)
		prctl(PR_SET_NAME, name, 0, 0, 0);
	printf("writer pid=%d tid=%d\n", getpid(), gettid());
	fflush(stdout);
	if (ksm && ro_pin) {
		if (madvise(map, npages * pagesz, MADV_UNMERGEABLE))
			perror("madvise(MADV_UNMERGEABLE)");
		return NULL;
	}
	if (from_file || zero_first)
		for (i = 0; i < npages; i++)
			sink += map[i * pagesz];
	if (shared) {
		int fd;

		/* After fork a shared mapping has no PTEs: map them first. */
		for (i = 0; i < npages; i++)
			map[i * pagesz] = 2;
		fd = open("/proc/self/clear_refs", O_WRONLY);

		if (fd < 0 || write(fd, "4", 1) != 1)
			perror("/proc/self/clear_refs");
		close(fd);
	}
	for (i = 0; i < npages; i++) {
		if (ro_pin) {
			char c;
			struct iovec local = { &c, 1 };
			struct iovec remote = { map + i * pagesz, 1 };

			if (process_vm_readv(getpid(), &local, 1, &remote, 1, 0) != 1)
				perror("process_vm_readv");
			continue;
		}
		map[i * pagesz] = (char)i;
	}
	(void)sink;
	return NULL;
}

/* fork(), stdout flushed first so that the child does not repeat it */
static pid_t xfork(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	return pid;
}

/* -K: fill the pages alike and wait until KSM maps them all to one page. */
static int ksm_merge(long len)
{
	long i, sharing = 0;
	FILE *f;
	int tries;

	for (i = 0; i < npages; i++)
		memset(map + i * pagesz, 0x5a, pagesz);
	if (madvise(map, len, MADV_MERGEABLE)) {
		perror("madvise(MADV_MERGEABLE)");
		return 1;
	}
	/* One page shared, the other PAGES - 1 map it. */
	for (tries = 0; tries < 1200 && sharing < npages - 1; tries++) {
		f = fopen("/sys/kernel/mm/ksm/pages_sharing", "r");
		if (!f || fscanf(f, "%ld", &sharing) != 1)
			sharing = 0;
		if (f)
			fclose(f);
		usleep(50000);
	}
	/*
	 * Stop ksmd, keeping what it merged: left running, it can merge a
	 * page again while its copy is being written (a second copy).
	 */
	f = fopen("/sys/kernel/mm/ksm/run", "w");
	if (f) {
		fputs("0\n", f);
		fclose(f);
	}
	printf("ksm sharing=%ld\n", sharing);
	return 0;
}

/*
 * -X: the parent writes the child's pages through process_vm_writev(); the
 * child, of the same comm, waits on a pipe.
 */
static int remote_write(void)
{
	int go[2], status;
	pid_t pid;
	long i;

	if (pipe(go)) {
		perror("pipe");
		return 1;
	}
	pid = xfork();
	if (pid == 0) {
		char c;

		close(go[1]);
		/* Until the parent is done: end of file. */
		while (read(go[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(go[0]);
	printf("writer pid=%d tid=%d\ntarget pid=%d\n", getpid(), gettid(), pid);
	fflush(stdout);
	for (i = 0; i < npages; i++) {
		char c = (char)i;
		struct iovec local = { &c, 1 };
		struct iovec remote = { map + i * pagesz, 1 };

		if (process_vm_writev(pid, &local, 1, &remote, 1, 0) != 1) {
			perror("process_vm_writev");
			return 1;
		}
	}
	close(go[1]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		fprintf(stderr, "cow: child failed\n");
		return 1;
	}
	return 0;
}

static void write_pages(int threaded)
{
	pthread_t t;

	if (!threaded) {
		writer(NULL);
		return;
	}
	if (pthread_create(&t, NULL, writer, NULL) || pthread_join(t, NULL)) {
		perror("pthread");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	const char *file = NULL, *go = NULL;
	int opt, threaded = 0, parent_writes = 0, fd = -1, status;
	int reuse = 0, nofork = 0, thp = 0, hugetlb = 0, remote = 0, flags;
	long len;
	long i;
	pid_t pid;

	pagesz = sysconf(_SC_PAGESIZE);
	while ((opt = getopt(argc, argv, "n:tf:N:PW:SURZF:HGXK")) != -1) {
		switch (opt) {
		case 'n': npages = atol(optarg); break;
		case 't': threaded = 1; break;
		case 'f': file = optarg; break;
		case 'N': name = optarg; break;
		case 'P': parent_writes = 1; break;
		case 'W': go = optarg; break;
		case 'U': ro_pin = 1; break;
		case 'S': shared = 1; break;
		case 'R': reuse = 1; break;
		case 'Z': zero_first = 1; nofork = 1; break;
		case 'F': file = optarg; nofork = 1; break;
		case 'H': thp = 1; break;
		case 'G': hugetlb = 1; break;
		case 'X': remote = 1; break;
		case 'K': ksm = 1; nofork = 1; break;
		default:
			fprintf(stderr, "usage: cow [-n PAGES] [-t] [-f FILE] [-N NAME] [-P] [-W GOFILE] [-S] [-U] [-R] [-Z] [-F FILE] [-H] [-G] [-X] [-K]\n");
			return 2;
		}
	}
	if (thp || hugetlb) {
		/* One byte per 2 MiB page, so each write is one fault. */
		pagesz = 2L << 20;
		if (!npages || npages == 100)
			npages = 2;
	}
	if (file) {
		fd = open(file, O_RDONLY);
		if (fd < 0) {
			perror(file);
			return 1;
		}
		from_file = !nofork;
	}
	len = npages * pagesz;
	flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED_NOREPLACE |
		(fd < 0 ? MAP_ANONYMOUS : 0) | (hugetlb ? MAP_HUGETLB : 0);
	map = mmap(BASE, len, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (map != BASE) {
		perror("mmap at 0x100000000000");
		return 1;
	}
	if (thp && madvise(map, len, MADV_HUGEPAGE)) {
		perror("madvise(MADV_HUGEPAGE)");
		return 1;
	}
	if (reuse) {
		cpu_set_t cpu0;

		CPU_ZERO(&cpu0);
		CPU_SET(0, &cpu0);
		if (sched_setaffinity(0, sizeof(cpu0), &cpu0)) {
			perror("sched_setaffinity");
			return 1;
		}
	}
	printf("parent pid=%d\n", getpid());
	if (ksm && ksm_merge(len))
		return 1;
	if (nofork) {
		write_pages(threaded);
		return 0;
	}
	if (fd < 0)
		for (i = 0; i < npages; i++)
			map[i * pagesz] = 1;	/* populate: the child will share these */
	if (thp)
		print_thp();
	if (go) {
		struct stat st;

		while (stat(go, &st))
			usleep(10000);
	}
	if (remote)
		return remote_write();
	pid = xfork();
	if (pid == 0) {
		if (!parent_writes)
			write_pages(threaded);
		else
			usleep(200000);
		_exit(0);
	}
	if (parent_writes)
		write_pages(threaded);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "cow: child failed\n");
		return 1;
	}
	if (reuse) {
		printf("reuser pid=%d\n", getpid());
		fflush(stdout);
		for (i = 0; i < npages; i++)
			map[i * pagesz] = 3;
	}
	return 0;
}
