// SPDX-License-Identifier: GPL-2.0
/*
 * storm: copy-on-write load. Until the time is up, map pages, touch them,
 * fork, and let the child write every page, rotating between anonymous
 * memory, a writer thread and a private file mapping.
 *
 * storm -t SECONDS [-n PAGES] [-c COMM] [-f FILE]
 * Prints "storm COMM rounds=R faults=F".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long npages = 32, pagesz;
static char *map;
static int from_file;

static void *writer(void *arg)
{
	volatile char sink = 0;
	long i;

	(void)arg;
	if (from_file)
		for (i = 0; i < npages; i++)
			sink += map[i * pagesz];
	for (i = 0; i < npages; i++)
		map[i * pagesz] = (char)i;
	(void)sink;
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *comm = NULL, *file = NULL;
	double secs = 5, end;
	long rounds = 0, i;
	int opt, fd = -1;

	pagesz = sysconf(_SC_PAGESIZE);
	while ((opt = getopt(argc, argv, "t:n:c:f:")) != -1) {
		switch (opt) {
		case 't': secs = atof(optarg); break;
		case 'n': npages = atol(optarg); break;
		case 'c': comm = optarg; break;
		case 'f': file = optarg; break;
		default:
			fprintf(stderr, "usage: storm -t SECONDS [-n PAGES] [-c COMM] [-f FILE]\n");
			return 2;
		}
	}
	if (comm)
		prctl(PR_SET_NAME, comm, 0, 0, 0);
	if (file && (fd = open(file, O_RDONLY)) < 0) {
		perror(file);
		return 1;
	}
	end = now() + secs;
	while (now() < end) {
		int mode = rounds % (fd >= 0 ? 3 : 2), status;
		pid_t pid;

		from_file = mode == 2;
		map = mmap(NULL, npages * pagesz, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | (from_file ? 0 : MAP_ANONYMOUS),
			   from_file ? fd : -1, 0);
		if (map == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		if (!from_file)
			for (i = 0; i < npages; i++)
				map[i * pagesz] = 1;
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			pthread_t t;

			if (mode == 1) {
				if (pthread_create(&t, NULL, writer, NULL) ||
				    pthread_join(t, NULL))
					_exit(1);
			} else {
				writer(NULL);
			}
			_exit(0);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fprintf(stderr, "storm: child failed\n");
			return 1;
		}
		munmap(map, npages * pagesz);
		rounds++;
	}
	printf("storm %s rounds=%ld faults=%ld\n", comm ? comm : "-", rounds,
	       rounds * npages);
	return 0;
}
