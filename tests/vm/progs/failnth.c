// SPDX-License-Identifier: GPL-2.0
/*
 * failnth: fail the 1st, 2nd, 3rd... fault-injectable allocation of one
 * system call in turn (/proc/thread-self/fail-nth, this task only), until
 * the call runs through without reaching the Nth; check each failure gave a
 * clean error and the module still works after it.
 *
 * failnth PATH KO
 *   PATH: open, read (of /proc/cowtrace), filter, pid (a write to the
 *   parameter), insmod (finit_module of KO; the module must not be loaded).
 *   Which allocations count is set in debugfs (failslab, fail_page_alloc:
 *   require-start/end, ignore-gfp-wait...) by the caller.
 * Prints "failnth PATH injected=N enomem=E ok=K other=O broken=B [errnos]":
 * N failures injected, E of them ended in ENOMEM, K in success (the call
 * did without what failed: e.g. kmemleak's own metadata, which falls back
 * to its pool), O in another error, B after which the module did not work
 * (insmod: was left loaded although it failed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_N 5000

static char buf[1 << 16];

/* Still usable: open, a header comes out, close. */
static int module_works(void)
{
	int fd = open("/proc/cowtrace", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 && !strncmp(buf, "# cowtrace", 10);
}

static int loaded(void)
{
	return access("/proc/cowtrace", F_OK) == 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "";
	int nth_fd, n, injected = 0, enomem = 0, ok = 0, other = 0, broken = 0;
	char errs[512] = "";

	if (argc != 3) {
		fprintf(stderr, "usage: failnth open|read|filter|pid|insmod KO\n");
		return 2;
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0) {
		perror("/proc/thread-self/fail-nth");
		return 1;
	}
	for (n = 1; n <= MAX_N; n++) {
		int fd = -1, ret, err, left;
		char nb[16];

		/* Set up outside the injection: only the call under test counts. */
		if (!strcmp(path, "read"))
			fd = open("/proc/cowtrace", O_RDONLY);
		else if (!strcmp(path, "filter") || !strcmp(path, "pid"))
			fd = open(!strcmp(path, "pid") ?
				  "/sys/module/cowtrace/parameters/pid" :
				  "/sys/module/cowtrace/parameters/filter", O_WRONLY);
		else if (!strcmp(path, "insmod"))
			fd = open(argv[2], O_RDONLY);
		if (strcmp(path, "open") && fd < 0) {
			perror(path);
			return 1;
		}
		memset(buf, 0, sizeof(buf));	/* no page fault in read() */
		snprintf(nb, sizeof(nb), "%d", n);
		if (pwrite(nth_fd, nb, strlen(nb), 0) < 0) {
			perror("fail-nth");
			return 1;
		}
		if (!strcmp(path, "open"))
			ret = fd = open("/proc/cowtrace", O_RDONLY);
		else if (!strcmp(path, "read"))
			ret = read(fd, buf, sizeof(buf));
		else if (!strcmp(path, "filter"))
			ret = write(fd, "nomatch\n", 8);
		else if (!strcmp(path, "pid"))
			ret = write(fd, "0\n", 2);
		else
			ret = syscall(SYS_finit_module, fd, "", 0);
		err = errno;
		/* 0: the Nth was reached and failed; else what was left. */
		memset(nb, 0, sizeof(nb));
		if (pread(nth_fd, nb, sizeof(nb) - 1, 0) < 0) {
			perror("fail-nth");
			return 1;
		}
		left = atoi(nb);
		pwrite(nth_fd, "0", 1, 0);
		if (fd >= 0)
			close(fd);
		if (!strcmp(path, "insmod") && ret == 0)
			syscall(SYS_delete_module, "cowtrace", O_NONBLOCK);
		if (left != 0)
			break;		/* ran through: every point was tried */
		injected++;
		if (ret < 0 && err == ENOMEM) {
			enomem++;
		} else if (ret >= 0) {
			ok++;
		} else {
			other++;
			if (strlen(errs) < sizeof(errs) - 32)
				snprintf(errs + strlen(errs), sizeof(errs) - strlen(errs),
					 " n%d:%s", n, ret < 0 ? strerror(err) : "no-error");
		}
		if (!strcmp(path, "insmod") ? ret < 0 && loaded() : !module_works())
			broken++;
	}
	printf("failnth %s injected=%d enomem=%d ok=%d other=%d broken=%d%s\n",
	       path, injected, enomem, ok, other, broken, errs);
	return n > MAX_N;
}
