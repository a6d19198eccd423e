// SPDX-License-Identifier: GPL-2.0
/*
 * tree3: a process tree of three levels for the fork-following tests
 * (module tree=1, cowtrace -- COMMAND, fork and exit lines). The root maps
 * 64 private pages at 0x100000000000 (+ 1 GiB * -b), writes them, forks a
 * child; the child writes pages 0-15 (copies), forks a grandchild that
 * renames itself "tree3-grand" (PR_SET_NAME) and writes pages 16-23
 * (copies); then, while the child and grandchild still share the rest,
 * the child writes 24-27 and the root 32-35. Each step waits for the one
 * before on a pipe, so every write is a copy, in the same order each run.
 *
 * tree3 [-b N] [-W FILE] [-x STATUS] [-k] [-t] [-e]
 *   -b N     base at 0x100000000000 + N GiB (two trees side by side)
 *   -W FILE  wait until FILE exists before the first fork
 *   -x N     the root exits with status N (0)
 *   -k       the root kills itself with SIGKILL at the end
 *   -t       once the child is forked, the root runs a thread
 *            (CLONE_THREAD) that writes page 40 (a copy: the child shares
 *            it), and joins it: a thread, not a fork
 *   -e       the child, at its end, execs this program (argv[0]) with -n
 *   -n       do nothing, exit 0 (the -e target)
 * Prints to stderr "root pid=P", "child pid=C", "grand pid=G".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE	4096UL
#define NPAGES	64

static char *mem;

static void touch(int from, int to)
{
	int i;

	for (i = from; i < to; i++)
		mem[i * PAGE] = (char)i;
}

static void say(const char *who)
{
	char l[64];
	int n = snprintf(l, sizeof(l), "%s pid=%d\n", who, (int)getpid());

	if (write(2, l, n) != n)
		exit(1);
}

static void *thread(void *arg)
{
	(void)arg;
	touch(40, 41);
	return NULL;
}

/* One byte through a pipe: a step waits for the one before. */
static void post(int fd)
{
	if (write(fd, "x", 1) != 1)
		exit(1);
}

static void await(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		exit(1);
}

int main(int argc, char **argv)
{
	int status = 0, die = 0, thr = 0, ex = 0, c, cg[2], gc[2], rc2[2], cr[2];
	unsigned long base = 0x100000000000UL;
	const char *wait_file = NULL;
	pid_t child;

	while ((c = getopt(argc, argv, "b:W:x:ktena")) != -1) {
		switch (c) {
		case 'b': base += strtoul(optarg, NULL, 0) << 30; break;
		case 'W': wait_file = optarg; break;
		case 'x': status = atoi(optarg); break;
		case 'k': die = 1; break;
		case 't': thr = 1; break;
		case 'e': ex = 1; break;
		case 'n': return 0;
		default: return 2;
		}
	}
	mem = mmap((void *)base, NPAGES * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (mem == MAP_FAILED) {
		perror("tree3: mmap");
		return 1;
	}
	madvise(mem, NPAGES * PAGE, MADV_NOHUGEPAGE);
	touch(0, NPAGES);
	say("root");
	while (wait_file && access(wait_file, F_OK))
		usleep(10000);
	if (pipe(cg) || pipe(gc) || pipe(rc2) || pipe(cr))
		return 1;
	child = fork();
	if (child < 0)
		return 1;
	if (!child) {
		pid_t g;

		say("child");
		touch(0, 16);
		g = fork();
		if (g < 0)
			_exit(1);
		if (!g) {
			prctl(PR_SET_NAME, "tree3-grand", 0, 0, 0);
			say("grand");
			touch(16, 24);
			post(gc[1]);
			await(cg[0]);	/* the child wrote: the grandchild may go */
			_exit(0);
		}
		await(gc[0]);
		touch(24, 28);
		post(cg[1]);
		waitpid(g, NULL, 0);
		post(cr[1]);
		await(rc2[0]);		/* the root wrote while this one shared */
		if (ex)
			execlp(argv[0], argv[0], "-n", (char *)NULL);
		_exit(0);
	}
	if (thr) {
		pthread_t t;

		if (pthread_create(&t, NULL, thread, NULL) || pthread_join(t, NULL))
			return 1;
	}
	await(cr[0]);
	touch(32, 36);
	post(rc2[1]);
	waitpid(child, NULL, 0);
	if (die)
		kill(getpid(), SIGKILL);
	return status;
}
