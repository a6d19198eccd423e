// SPDX-License-Identifier: GPL-2.0
/*
 * forkcost: what a fork costs, counted by the program itself, for
 * --forks. Maps P + C private pages at 0x100000000000, writes them all,
 * forks; the child writes C of them (each a copy: the parent shares
 * them), tells the parent, which writes the other P (each a copy: the
 * child still shares them), tells the child, which exits.
 *
 * Those are the only copies either makes while the child lives: the
 * parent's stack is MADV_DONTFORK (the child has none of it to share),
 * the child runs on a stack of shared memory (clone() with a stack of its
 * own, no fork handlers, no TLS written), neither writes other private
 * memory until the child has exited, and the kernel writes none for them
 * either: restartable sequences are off (glibc registers an rseq area in
 * TLS, which the kernel updates on the task's return to user space; the
 * program runs itself again with glibc.pthread.rseq=0). So the bytes
 * copied equal what this program counts, exactly.
 *
 * forkcost [-p P] [-c C]   (defaults 48 and 80)
 * Prints "forkcost parent=TGID child=TGID parent_bytes=B child_bytes=B".
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE	4096UL
#define STACK	(64 * 1024)

static unsigned long np = 48, nc = 80;
static char *mem;
static int pc[2], cp[2];

/* The child: raw system calls only, its locals on the shared stack. */
static int child_fn(void *arg)
{
	unsigned long i;
	char x;

	(void)arg;
	for (i = np; i < np + nc; i++)
		mem[i * PAGE] = 2;
	if (syscall(SYS_write, cp[1], "x", 1) != 1 ||
	    syscall(SYS_read, pc[0], &x, 1) != 1)
		syscall(SYS_exit_group, 1);
	syscall(SYS_exit_group, 0);
	return 0;
}

/* The main stack is not inherited: the parent's writes to it copy nothing. */
static int stack_dontfork(void)
{
	unsigned long lo, hi;
	char line[256];
	FILE *f = fopen("/proc/self/maps", "r");
	int ret = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			ret = madvise((void *)lo, hi - lo, MADV_DONTFORK);
	if (f)
		fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	char *stack, x;
	unsigned long i;
	pid_t child;
	int c;

	if (!getenv("FORKCOST_NORSEQ")) {
		setenv("GLIBC_TUNABLES", "glibc.pthread.rseq=0", 1);
		setenv("FORKCOST_NORSEQ", "1", 1);
		execvp(argv[0], argv);	/* not /proc/self/exe: comm stays */
		perror("forkcost: exec");
		return 1;
	}
	while ((c = getopt(argc, argv, "p:c:")) != -1) {
		switch (c) {
		case 'p': np = strtoul(optarg, NULL, 0); break;
		case 'c': nc = strtoul(optarg, NULL, 0); break;
		default: return 2;
		}
	}
	mem = mmap((void *)0x100000000000UL, (np + nc) * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	stack = mmap(NULL, STACK, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || stack == MAP_FAILED) {
		perror("forkcost: mmap");
		return 1;
	}
	madvise(mem, (np + nc) * PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < np + nc; i++)
		mem[i * PAGE] = 1;
	memset(stack, 0, STACK);
	if (pipe(pc) || pipe(cp) || stack_dontfork()) {
		perror("forkcost: pipe, madvise");
		return 1;
	}
	fflush(stdout);
	child = clone(child_fn, stack + STACK, SIGCHLD, NULL);
	if (child < 0)
		return 1;
	if (syscall(SYS_read, cp[0], &x, 1) != 1)
		return 1;
	for (i = 0; i < np; i++)
		mem[i * PAGE] = 3;
	if (syscall(SYS_write, pc[1], "x", 1) != 1)
		return 1;
	waitpid(child, NULL, 0);
	printf("forkcost parent=%d child=%d parent_bytes=%lu child_bytes=%lu\n",
	       (int)getpid(), (int)child, np * PAGE, nc * PAGE);
	return 0;
}
