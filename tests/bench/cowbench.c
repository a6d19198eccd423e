// SPDX-License-Identifier: GPL-2.0
/*
 * cowbench: the cost of a copy-on-write write fault. Map P private pages,
 * touch them, fork; the child writes every page once and times that loop
 * with CLOCK_MONOTONIC. Repeat R times.
 *
 * cowbench [-p PAGES] [-r REPEATS]    prints the median ns per CoW fault
 * cowbench [-p PAGES] -t SECONDS      fork-and-write until the time is up,
 *                                     prints "faults=N seconds=S"
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One fork; the child's ns per fault comes back through a pipe. */
static double one(char *map, long pages, long pagesz)
{
	double t0, ns = -1;
	int p[2], status;
	pid_t pid;
	long i;

	if (pipe(p))
		exit(1);
	pid = fork();
	if (pid == 0) {
		t0 = now();
		for (i = 0; i < pages; i++)
			map[i * pagesz] = 2;
		ns = (now() - t0) * 1e9 / pages;
		if (write(p[1], &ns, sizeof(ns)) != sizeof(ns))
			_exit(1);
		_exit(0);
	}
	if (read(p[0], &ns, sizeof(ns)) != sizeof(ns))
		ns = -1;
	waitpid(pid, &status, 0);
	close(p[0]);
	close(p[1]);
	return ns;
}

int main(int argc, char **argv)
{
	long pages = 512, repeats = 5, pagesz = sysconf(_SC_PAGESIZE), i, n = 0;
	double secs = 0, *ns, end;
	char *map;
	int opt;

	while ((opt = getopt(argc, argv, "p:r:t:")) != -1) {
		switch (opt) {
		case 'p': pages = atol(optarg); break;
		case 'r': repeats = atol(optarg); break;
		case 't': secs = atof(optarg); break;
		default:
			fprintf(stderr, "usage: cowbench [-p PAGES] [-r REPEATS | -t SECONDS]\n");
			return 2;
		}
	}
	map = mmap(NULL, pages * pagesz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return 1;
	for (i = 0; i < pages; i++)
		map[i * pagesz] = 1;
	if (secs > 0) {
		double t0 = now();

		end = t0 + secs;
		while (now() < end) {
			if (one(map, pages, pagesz) < 0)
				return 1;
			n++;
		}
		printf("faults=%ld seconds=%.3f\n", n * pages, now() - t0);
		return 0;
	}
	ns = calloc(repeats, sizeof(*ns));
	for (i = 0; i < repeats; i++)
		if ((ns[i] = one(map, pages, pagesz)) < 0)
			return 1;
	qsort(ns, repeats, sizeof(*ns), cmp);
	printf("%.1f\n", ns[repeats / 2]);
	return 0;
}
