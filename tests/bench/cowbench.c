// SPDX-License-Identifier: GPL-2.0
/*
 * cowbench: the cost of a copy-on-write write fault. Map P private pages,
 * touch them, fork; the child writes every page once and measures that
 * loop in its own CPU time (/proc/self/schedstat: the scheduler's
 * nanoseconds on CPU, exact, and blind to a reader that preempts it, whose
 * time the bench counts from the reader's own schedstat). Repeat R times.
 *
 * cowbench [-p PAGES] [-r REPEATS]    prints the median ns per CoW fault
 * cowbench [-p PAGES] -t SECONDS      fork-and-write until the time is up,
 *                                     prints "faults=N seconds=S"
 * cowbench -c FILE                    reads FILE to its end as cat does
 *                                     (128 KiB reads), prints "ns=CPU
 *                                     time bytes=N"
 * cowbench -l                         for each record line on stdin (the
 *                                     reader's text), prints in ms how
 *                                     long ago its TIMESTAMP was
 */
#define _GNU_SOURCE
#include <fcntl.h>
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

/* This task's time on CPU in ns; schedstat brings it up to date. */
static double runtime(void)
{
	unsigned long long ns = 0;
	FILE *f = fopen("/proc/self/schedstat", "r");

	if (!f || fscanf(f, "%llu", &ns) != 1)
		exit(1);
	fclose(f);
	return ns;
}

/* cowbench -c: what reading FILE to its end costs this task. */
static int cat(const char *path)
{
	static char buf[128 << 10];
	long long bytes = 0;
	double t0;
	ssize_t n;
	int fd;

	t0 = runtime();
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		bytes += n;
	if (n < 0) {
		perror(path);
		return 1;
	}
	close(fd);
	printf("ns=%.0f bytes=%lld\n", runtime() - t0, bytes);
	return 0;
}

/* cowbench -l: fault-to-line latency of each record read from stdin. */
static int latency(void)
{
	char line[512];
	double ts;

	while (fgets(line, sizeof(line), stdin))
		if (line[0] != '#' && sscanf(line, "%lf", &ts) == 1)
			printf("%.1f\n", (now() - ts) * 1e3);
	return 0;
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
		t0 = runtime();
		for (i = 0; i < pages; i++)
			map[i * pagesz] = 2;
		ns = (runtime() - t0) / pages;
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

	while ((opt = getopt(argc, argv, "p:r:t:c:l")) != -1) {
		switch (opt) {
		case 'c': return cat(optarg);
		case 'l': return latency();
		case 'p': pages = atol(optarg); break;
		case 'r': repeats = atol(optarg); break;
		case 't': secs = atof(optarg); break;
		default:
			fprintf(stderr, "usage: cowbench [-p PAGES] [-r REPEATS | -t SECONDS] | -c FILE | -l\n");
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
