// SPDX-License-Identifier: GPL-2.0
/*
 * The program of the attribution test (tests/attr/run.sh): a PIE that
 * writes from known functions into [heap], [stack], a named anonymous
 * region, a shared library's .data and a private file mapping, forks a
 * child that writes too, and prints what a cowtrace record of each write
 * would hold and what it should resolve to:
 *   W TGID IP ADDRESS SIZE RESULT SYMBOL OBJECT REGION
 * (tab separated; SYMBOL "*" where any answer is fine but a resolved one,
 * "-" where nothing may be named). IP is the address of the writing
 * function plus a small offset. Then "READY", and it waits to be killed,
 * so that its /proc/PID/maps can be read.
 * Usage: prog DATAFILE [HOSTILE_ELF...]
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA		0x53564d41
#define PR_SET_VMA_ANON_NAME	0
#endif

void attr_lib_write(int i);
void attr_lib_cxx(int i) __asm__("_ZN4attr3MapIicE3putEi");
int *attr_lib_data_at(int i);

static char exe[PATH_MAX], lib[PATH_MAX];

static void w(uintptr_t ip, const void *addr, const char *result,
	      const char *sym, const char *obj, const char *region)
{
	printf("W\t%d\t%#lx\t%#lx\t4096\t%s\t%s\t%s\t%s\n", (int)getpid(),
	       (unsigned long)ip, (unsigned long)addr & ~4095UL, result, sym,
	       obj, region);
}

/* "NAME+0xOFF" for a function of ours at @off */
static const char *at(const char *name, unsigned int off)
{
	static char b[8][128];
	static int i;
	char *s = b[i++ & 7];

	snprintf(s, 128, "%s+%#x", name, off);
	return s;
}

__attribute__((noinline)) static void write_heap(volatile char *p)
{
	p[0] = 1;
}

__attribute__((noinline)) static void write_stack(void)
{
	volatile char buf[64];

	buf[0] = 1;
	w((uintptr_t)write_stack + 3, (const void *)buf, "copy", at("write_stack", 3), exe, "[stack]");
}

__attribute__((noinline)) static void write_anon(volatile char *p)
{
	p[0] = 2;
}

__attribute__((noinline)) void write_file(volatile char *p)
{
	p[0] = 3;
}

/* Where the first mapping of @path starts, from our own maps. */
static uintptr_t map_base(const char *path)
{
	char l[PATH_MAX + 128];
	uintptr_t base = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(l, sizeof(l), f)) {
		char *p = strchr(l, '/');

		if (p && !strncmp(p, path, strlen(path)) && p[strlen(path)] == '\n') {
			base = strtoul(l, NULL, 16);
			break;
		}
	}
	if (f)
		fclose(f);
	return base;
}

int main(int argc, char **argv)
{
	char *heap = malloc(64), *anon, *file, *jit, region[64] = "[anon:ctattr]";
	Dl_info di;
	int fd, i, pipefd[2];
	pid_t child;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || !realpath("/proc/self/exe", exe) ||
	    !dladdr((void *)attr_lib_write, &di) || !realpath(di.dli_fname, lib))
		return 2;
	write_heap(heap);
	w((uintptr_t)write_heap + 2, heap, "copy", at("write_heap", 2), exe, "[heap]");
	w((uintptr_t)write_heap + 2, heap + 4096, "reuse", at("write_heap", 2), exe, "[heap]");
	write_stack();

	anon = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED)
		return 2;
	if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, anon, 8192, "ctattr")) {
		printf("SKIP anon-name: PR_SET_VMA_ANON_NAME refused (kernel without CONFIG_ANON_VMA_NAME?)\n");
		strcpy(region, "[anon]");
	}
	write_anon(anon);
	w((uintptr_t)write_anon + 2, anon, "copy", at("write_anon", 2), exe, region);
	w((uintptr_t)write_anon + 2, anon + 4096, "copy", at("write_anon", 2), exe, region);

	for (i = 0; i < 3; i++) {
		attr_lib_write(i);
		w((uintptr_t)attr_lib_write + 2, attr_lib_data_at(i * 1024 / 3), "copy",
		  at("attr_lib_write", 2), lib, lib);
	}

	attr_lib_cxx(100);
	w((uintptr_t)attr_lib_cxx + 2, attr_lib_data_at(612), "copy", at("attr::Map<int, char>::put", 2), lib, lib);

	fd = open(argv[1], O_RDONLY);
	file = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (file == MAP_FAILED)
		return 2;
	write_file(file);
	w((uintptr_t)write_file + 1, file, "copy", at("write_file", 1), exe, argv[1]);

	/* No symbol covers the ELF header: OBJECT+0xOFF, never a neighbour's name */
	w(map_base(exe) + 0x10, heap, "copy", at(exe, 0x10), exe, "[heap]");

	/* JIT-like code: anonymous and executable, nothing to name */
	jit = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (jit == MAP_FAILED)
		jit = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	jit[0] = 1;
	w((uintptr_t)jit + 0x20, heap, "copy", "-", "-", "[heap]");

	/* Hostile ELF files, mapped as code would be */
	for (i = 2; i < argc; i++) {
		char *h;

		fd = open(argv[i], O_RDONLY);
		h = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
		if (h == MAP_FAILED)
			return 2;
		w((uintptr_t)h + 0x10, heap, "copy", "?", argv[i], "[heap]");
	}

	/* A child: the same layout, its own pid */
	if (pipe(pipefd))
		return 2;
	fflush(stdout);
	child = fork();
	if (child < 0)
		return 2;
	if (!child) {
		close(pipefd[0]);
		write_heap(heap);
		w((uintptr_t)write_heap + 2, heap, "copy", at("write_heap", 2), exe, "[heap]");
		attr_lib_write(7);
		w((uintptr_t)attr_lib_write + 2, attr_lib_data_at(0), "copy", at("attr_lib_write", 2), lib, lib);
		fflush(stdout);
		close(pipefd[1]);
		pause();
		return 0;
	}
	close(pipefd[1]);
	while (read(pipefd[0], &i, 1) > 0)
		;
	printf("CHILD %d\nREADY\n", (int)child);
	fflush(stdout);
	pause();
	return 0;
}
