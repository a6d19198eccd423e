// SPDX-License-Identifier: GPL-2.0
/*
 * pollwait: open /proc/cowtrace (or FILE), read it to the end, then check
 * that poll() sleeps while nothing happens and wakes when a record arrives.
 *
 * pollwait QUIET_MS WAIT_MS [READYFILE [FILE]]
 * Prints "quiet ok" or "quiet woke", then "ready" (and creates READYFILE),
 * then "woke records=N bytes=B ms=M", "timeout", or "eio" if the module
 * went away. N counts text lines: for /proc/cowtrace_raw, B tells.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 16];
static long bytes;

/* Read to EOF; return record lines read, or -errno. */
static long drain(int fd)
{
	long lines = 0, bol = 1;
	ssize_t n, i;

	bytes = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (bytes += n, i = 0; i < n; i++) {
			if (bol && buf[i] != '#')
				lines++;
			bol = buf[i] == '\n';
		}
	return n < 0 ? -errno : lines;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	const char *file = argc > 4 ? argv[4] : "/proc/cowtrace";
	struct pollfd p;
	long t0, got;
	int fd, r;

	if (argc < 3) {
		fprintf(stderr, "usage: pollwait QUIET_MS WAIT_MS [READYFILE [FILE]]\n");
		return 2;
	}
	fd = open(file, O_RDONLY);
	if (fd < 0) {
		perror(file);
		return 1;
	}
	drain(fd);
	p.fd = fd;
	p.events = POLLIN;
	r = poll(&p, 1, atoi(argv[1]));
	printf("quiet %s\n", r == 0 ? "ok" : "woke");
	printf("ready\n");
	fflush(stdout);
	if (argc > 3 && argv[3][0])
		close(open(argv[3], O_CREAT | O_WRONLY, 0600));
	t0 = now_ms();
	r = poll(&p, 1, atoi(argv[2]));
	if (r == 0) {
		printf("timeout\n");
		return 1;
	}
	got = drain(fd);
	if (got == -EIO) {
		printf("eio\n");
		return 0;
	}
	printf("woke records=%ld bytes=%ld ms=%ld\n", got, bytes, now_ms() - t0);
	return 0;
}
