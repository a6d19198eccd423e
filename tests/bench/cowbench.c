// SPDX-License-Identifier: GPL-2.0
/*
 * cowbench: the cost of a copy-on-write write fault. Map P private pages
 * (4 KiB pages: no THP), touch them, fork; the child writes every page
 * once, timing each fault alone with the TSC, and the whole loop in its own
 * CPU time (/proc/self/schedstat). Repeat R times. A reader that preempts
 * the child lands in a few faults' times, not the median's; the bench
 * counts its time from the reader's own schedstat.
 *
 * cowbench [-p PAGES] [-r REPEATS]    prints the median CoW fault's ns and
 *                                     the loop's CPU ns per fault (the
 *                                     median of the R forks of each)
 * cowbench [-p PAGES] -t SECONDS      fork-and-write until the time is up,
 *                                     prints "faults=N seconds=S"
 * cowbench -c FILE                    reads FILE to its end as cat does
 *                                     (128 KiB reads), five times, prints
 *                                     "ns=CPU time bytes=N" (the median)
 * cowbench -l                         for each record line on stdin (the
 *                                     reader's text), prints in ms how
 *                                     long ago its TIMESTAMP was
 * cowbench -f N                       forks N children that exit at once,
 *                                     prints the median ns of one fork, exit
 *                                     and wait (timed by the TSC, as faults)
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
#include <x86intrin.h>

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

/* qsort() orders for doubles and for TSC counts */
static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * cowbench -c: what reading FILE to its end costs this task, the median of
 * five reads (each open starts again at the oldest record held).
 */
static int cat(const char *path)
{
	static char buf[128 << 10];
	long long bytes = 0;
	double t0, ns[5];
	ssize_t n;
	int fd, i;

	memset(buf, 0, sizeof(buf));
	for (i = 0; i < 5; i++) {
		t0 = runtime();
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		bytes = 0;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			bytes += n;
		if (n < 0) {
			perror(path);
			return 1;
		}
		close(fd);
		ns[i] = runtime() - t0;
	}
	qsort(ns, 5, sizeof(ns[0]), cmp);
	printf("ns=%.0f bytes=%lld\n", ns[2], bytes);
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

/* What one fork's faults cost: both figures in ns per fault. */
struct cost {
	double median;	/* the median fault, timed alone by the TSC */
	double mean;	/* the loop's CPU time over its faults (schedstat) */
};

/*
 * One fork; the child's cost per fault comes back through a pipe. Each
 * fault is timed alone with the TSC (under QEMU's -icount it counts
 * emulated instructions), so that the median is the fault's own path:
 * what the probes add to every fault, without the work the kernel does
 * for a fault now and then (refilling its per-CPU page lists, a timer
 * tick), whose cost moves with the kernel's state from run to run.
 */
static struct cost one(char *map, long pages, long pagesz)
{
	struct cost c = { -1, -1 };
	unsigned long long *d, c0, c1;
	double t0, m0;
	int p[2], status;
	pid_t pid;
	long i;

	if (pipe(p))
		exit(1);
	pid = fork();
	if (pid == 0) {
		d = calloc(pages, sizeof(*d));
		if (!d)
			_exit(1);
		memset(d, 1, pages * sizeof(*d));
		m0 = now();
		c0 = __rdtsc();
		t0 = runtime();
		for (i = 0; i < pages; i++) {
			unsigned long long a = __rdtsc();

			map[i * pagesz] = 2;
			d[i] = __rdtsc() - a;
		}
		c.mean = (runtime() - t0) / pages;
		c1 = __rdtsc();
		qsort(d, pages, sizeof(*d), cmp_u64);
		/* TSC cycles to ns, from the monotonic clock over the loop */
		c.median = d[pages / 2] * (now() - m0) * 1e9 / (c1 - c0);
		if (write(p[1], &c, sizeof(c)) != sizeof(c))
			_exit(1);
		_exit(0);
	}
	if (read(p[0], &c, sizeof(c)) != sizeof(c))
		c.mean = c.median = -1;
	waitpid(pid, &status, 0);
	close(p[0]);
	close(p[1]);
	return c;
}

/* cowbench -f: what a fork costs, with its fork and exit events. */
static int forks(long n)
{
	unsigned long long *d = calloc(n, sizeof(*d)), c0, c1;
	double m0 = now();
	long i;

	if (!d || n < 1)
		return 1;
	c0 = __rdtsc();
	for (i = 0; i < n; i++) {
		unsigned long long a = __rdtsc();
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (!p)
			_exit(0);
		waitpid(p, NULL, 0);
		d[i] = __rdtsc() - a;
	}
	c1 = __rdtsc();
	qsort(d, n, sizeof(*d), cmp_u64);
	printf("%.1f\n", d[n / 2] * (now() - m0) * 1e9 / (c1 - c0));
	return 0;
}

int main(int argc, char **argv)
{
	long pages = 512, repeats = 5, pagesz = sysconf(_SC_PAGESIZE), i, n = 0;
	double secs = 0, *med, *mean, end;
	char *map;
	int opt;

	while ((opt = getopt(argc, argv, "p:r:t:c:lf:")) != -1) {
		switch (opt) {
		case 'c': return cat(optarg);
		case 'l': return latency();
		case 'f': return forks(atol(optarg));
		case 'p': pages = atol(optarg); break;
		case 'r': repeats = atol(optarg); break;
		case 't': secs = atof(optarg); break;
		default:
			fprintf(stderr, "usage: cowbench [-p PAGES] [-r REPEATS | -t SECONDS] | -c FILE | -l | -f N\n");
			return 2;
		}
	}
	map = mmap(NULL, pages * pagesz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return 1;
	madvise(map, pages * pagesz, MADV_NOHUGEPAGE);
	for (i = 0; i < pages; i++)
		map[i * pagesz] = 1;
	if (secs > 0) {
		double t0 = now();

		end = t0 + secs;
		while (now() < end) {
			if (one(map, pages, pagesz).mean < 0)
				return 1;
			n++;
		}
		printf("faults=%ld seconds=%.3f\n", n * pages, now() - t0);
		return 0;
	}
	med = calloc(repeats, sizeof(*med));
	mean = calloc(repeats, sizeof(*mean));
	for (i = 0; i < repeats; i++) {
		struct cost c = one(map, pages, pagesz);

		if (c.mean < 0)
			return 1;
		med[i] = c.median;
		mean[i] = c.mean;
	}
	qsort(med, repeats, sizeof(*med), cmp);
	qsort(mean, repeats, sizeof(*mean), cmp);
	printf("%.1f %.1f\n", med[repeats / 2], mean[repeats / 2]);
	return 0;
}
