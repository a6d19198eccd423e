// SPDX-License-Identifier: GPL-2.0
/*
 * waiter: one reader of /proc/cowtrace of a given kind, for the rmmod and
 * read() tests of make stress.
 *
 * waiter KIND READYFILE
 *   Opens /proc/cowtrace (or $CT_FILE), reads it to the end, creates READYFILE, then waits:
 *   poll-in, poll-pri, poll-out, poll-0 (events 0), select-in, select-ex
 *   (fd only in the exception set), select-out, epoll-in, epoll-pri,
 *   epoll-et (EPOLLIN|EPOLLET), all with no timeout; read (read() in a
 *   loop, never sleeping), idle (pause(): to be stopped with SIGSTOP).
 *   When the wait ends prints "woke KIND ret=R revents=0xM", then reads
 *   until read() fails (at most 5 s) and prints "read=-ERRNO", or "read=0"
 *   if it never failed.
 * waiter time LIMIT_MS CMD [ARG...]
 *   Runs CMD, prints "ms=M rc=R", or "ms=M timeout" and leaves CMD running
 *   when it has not ended after LIMIT_MS (an rmmod in D state cannot be
 *   killed).
 * waiter bigread MIB
 *   One read() of 128 KiB, then one of MIB MiB: prints "bytes=N ms=M
 *   small_ms=S", then reads in a loop (for a SIGKILL test) until read()
 *   fails, printing "total=N" (bytes read since) after each non-empty read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 16];

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drain(int fd)
{
	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static int time_cmd(long limit, char **argv)
{
	long t0 = now_ms();
	int st;
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		/* Not into a $(...) pipe that would wait for CMD to end. */
		dup2(2, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid) {
			printf("ms=%ld rc=%d\n", now_ms() - t0,
			       WIFEXITED(st) ? WEXITSTATUS(st) : 128);
			return 0;
		}
		if (now_ms() - t0 > limit) {
			printf("ms=%ld timeout\n", now_ms() - t0);
			return 1;
		}
		usleep(2000);
	}
}

static int bigread(long mib)
{
	size_t size = (size_t)mib << 20;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	int fd = open("/proc/cowtrace", O_RDONLY);
	long t0, small_ms;
	long long total = 0;
	ssize_t n;

	if (p == MAP_FAILED || fd < 0) {
		perror("bigread");
		return 1;
	}
	/* What a read() of the usual size costs here, for comparison. */
	t0 = now_ms();
	read(fd, p, 128 << 10);
	small_ms = now_ms() - t0;
	t0 = now_ms();
	n = read(fd, p, size);
	printf("bytes=%zd ms=%ld small_ms=%ld\n", n, now_ms() - t0, small_ms);
	fflush(stdout);
	/* Caught up (0) or not, go on: the SIGKILL test needs a live reader. */
	while ((n = read(fd, p, size)) >= 0)
		if (n > 0) {
			total += n;
			printf("total=%lld\n", total);
			fflush(stdout);
		}
	return 0;
}

int main(int argc, char **argv)
{
	const char *kind, *file;
	struct epoll_event ev = {};
	struct pollfd p = {};
	fd_set set;
	int fd, r = 0, ep;
	ssize_t n;

	if (argc >= 4 && !strcmp(argv[1], "time"))
		return time_cmd(atol(argv[2]), argv + 3);
	if (argc == 3 && !strcmp(argv[1], "bigread"))
		return bigread(atol(argv[2]));
	if (argc != 3) {
		fprintf(stderr, "usage: waiter KIND READYFILE | time LIMIT_MS CMD... | bigread MIB\n");
		return 2;
	}
	kind = argv[1];
	file = getenv("CT_FILE") ? getenv("CT_FILE") : "/proc/cowtrace";
	fd = open(file, O_RDONLY);
	if (fd < 0) {
		perror(file);
		return 1;
	}
	drain(fd);
	close(open(argv[2], O_CREAT | O_WRONLY, 0600));
	p.fd = fd;
	FD_ZERO(&set);
	FD_SET(fd, &set);
	if (!strncmp(kind, "poll-", 5)) {
		p.events = !strcmp(kind, "poll-in") ? POLLIN :
			   !strcmp(kind, "poll-pri") ? POLLPRI :
			   !strcmp(kind, "poll-out") ? POLLOUT : 0;
		r = poll(&p, 1, -1);
	} else if (!strcmp(kind, "select-in")) {
		r = select(fd + 1, &set, NULL, NULL, NULL);
		p.revents = FD_ISSET(fd, &set) ? POLLIN : 0;
	} else if (!strcmp(kind, "select-ex")) {
		r = select(fd + 1, NULL, NULL, &set, NULL);
		p.revents = FD_ISSET(fd, &set) ? POLLPRI : 0;
	} else if (!strcmp(kind, "select-out")) {
		r = select(fd + 1, NULL, &set, NULL, NULL);
		p.revents = FD_ISSET(fd, &set) ? POLLOUT : 0;
	} else if (!strncmp(kind, "epoll-", 6)) {
		ep = epoll_create1(0);
		ev.events = !strcmp(kind, "epoll-pri") ? EPOLLPRI :
			    !strcmp(kind, "epoll-et") ? EPOLLIN | EPOLLET : EPOLLIN;
		if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
			perror("epoll");
			return 1;
		}
		r = epoll_wait(ep, &ev, 1, -1);
		p.revents = ev.events;
	} else if (!strcmp(kind, "read")) {
		while ((n = read(fd, buf, sizeof(buf))) >= 0)
			;
		r = 0;
	} else if (!strcmp(kind, "idle")) {
		pause();
	} else {
		fprintf(stderr, "waiter: unknown kind %s\n", kind);
		return 2;
	}
	printf("woke %s ret=%d revents=%#x\n", kind, r, p.revents);
	fflush(stdout);
	/* Woken while the module was still there: EIO once it is gone. */
	for (r = 0; (n = read(fd, buf, sizeof(buf))) >= 0 && r < 500; r++)
		usleep(10000);
	printf("read=%zd\n", n < 0 ? (ssize_t)-errno : 0);
	return 0;
}
