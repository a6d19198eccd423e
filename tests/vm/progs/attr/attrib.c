// SPDX-License-Identifier: GPL-2.0
/*
 * attrib: the attribution scenario (SPEC 0.3 "Why it was copied"). A PIE
 * linked with libattrib.so (ours). The parent maps what is needed and
 * writes it, forks; the child writes from known functions of both objects
 * into [heap], [stack], a named anonymous region (5.17+), the library's
 * .data, a private file mapping and an unnamed anonymous region, a known
 * number of pages each, then exits at once. The parent says what it knows
 * (tab-separated, so that a path may hold a space):
 *   pid PARENT CHILD
 *   write FN FNADDR START PAGES EXPECT MAPSTART MAPOFF OBJ REGION
 *     the child wrote PAGES pages from START on from function FN (at
 *     FNADDR); EXPECT says what SYMBOL is: "sym" FN+0x(IP-FNADDR), "off"
 *     OBJ+0x(IP-MAPSTART+MAPOFF) (no symbol covers FN), "none" (no object:
 *     SYMBOL and OBJECT unknown); OBJ and REGION as /proc/PID/maps names
 *     the mappings of FNADDR and START ("" for no name)
 *   map START END OFF NAME   the layout the child had (its parent's maps)
 *   note TEXT
 * then, with --linger FILE, waits (at most 120 s) for FILE to exist.
 * usage: attrib [--unlink] [--linger FILE] [--file PATH]
 *               [jit | ctl | hostile PATH]
 *   --unlink    delete the program's own binary first (its maps then
 *               name it "PATH (deleted)")
 *   jit         the child also writes from code copied into an anonymous
 *               executable mapping; ctl: from the same code where it was
 *               built (a control); hostile PATH: from the code copied to
 *               page 1 of PATH, a malformed ELF file (absurd section count,
 *               section headers past the end, overlapping segments), mapped
 *               executable
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "attrib.h"

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

#define PG 4096L
#define CODE_BYTES 512

typedef void writer_fn(volatile char *p, long pages);

ATTRIB_WRITER void attrib_write_heap(volatile char *p, long pages)
{
	for (long i = 0; i < pages; i++)
		p[i * PG] = 0x11;
}

ATTRIB_WRITER void attrib_write_stack(volatile char *p, long pages)
{
	for (long i = 0; i < pages; i++)
		p[i * PG] = 0x12;
}

ATTRIB_WRITER void attrib_write_file(volatile char *p, long pages)
{
	for (long i = 0; i < pages; i++)
		p[i * PG] = 0x13;
}

/* Position independent (no call, no global): its bytes run anywhere. */
ATTRIB_WRITER void attrib_write_pic(volatile char *p, long pages)
{
	for (long i = 0; i < pages; i++)
		p[i * PG] = 0x14;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* The /proc/self/maps line whose range holds ADDR: start, offset, name. */
static int maps_of(uintptr_t addr, uintptr_t *start, unsigned long *off, char *name, size_t len)
{
	char line[4352];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!f)
		die("/proc/self/maps");
	while (!found && fgets(line, sizeof(line), f)) {
		uintptr_t s, e;
		unsigned long o;
		int n = 0;

		if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %n", &s, &e, &o, &n) < 3 || !n)
			continue;
		if (addr < s || addr >= e)
			continue;
		line[strcspn(line, "\n")] = '\0';
		*start = s;
		*off = o;
		snprintf(name, len, "%s", line + n);
		found = 1;
	}
	fclose(f);
	return found;
}

struct write {
	const char *fn;
	writer_fn *code;	/* what the child calls */
	uintptr_t fnaddr;	/* where that code is */
	volatile char *p;
	long pages;
	const char *expect;
};

static struct write writes[16];
static int nwrites;

static void add(const char *fn, writer_fn *code, volatile char *p, long pages, const char *expect)
{
	writes[nwrites++] = (struct write){ fn, code, (uintptr_t)code, p, pages, expect };
	/* Present and written before fork: the child's write is a copy. */
	for (long i = 0; i < pages; i++)
		p[i * PG] = 1;
}

static void say(const struct write *w)
{
	char obj[4096], region[4096];
	uintptr_t ms, rs;
	unsigned long mo, ro;

	if (!maps_of(w->fnaddr, &ms, &mo, obj, sizeof(obj)) ||
	    !maps_of((uintptr_t)w->p, &rs, &ro, region, sizeof(region)))
		die("no mapping");
	printf("write\t%s\t%#lx\t%#lx\t%ld\t%s\t%#lx\t%#lx\t%s\t%s\n", w->fn, (unsigned long)w->fnaddr,
	       (unsigned long)(uintptr_t)w->p, w->pages, w->expect, (unsigned long)ms, mo, obj, region);
}

static void *map_anon(long pages)
{
	void *p = mmap(NULL, pages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

/* A malformed ELF file with the writer's code at page 1; returns it mapped. */
static writer_fn *hostile(const char *path)
{
	unsigned char page[PG];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)page;
	Elf64_Phdr *ph = (Elf64_Phdr *)(page + sizeof(*eh));
	void *code;
	int fd, i;

	memset(page, 0, sizeof(page));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_DYN;
#if defined(__x86_64__)
	eh->e_machine = EM_X86_64;
#elif defined(__aarch64__)
	eh->e_machine = EM_AARCH64;
#endif
	eh->e_version = EV_CURRENT;
	eh->e_ehsize = sizeof(*eh);
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 3;
	/* Section headers: an absurd count, past the end of the file. */
	eh->e_shoff = 1UL << 40;
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = 0xffff;
	eh->e_shstrndx = 0xfffe;
	/* Overlapping loadable segments, claiming more than the file has. */
	for (i = 0; i < 3; i++) {
		ph[i].p_type = PT_LOAD;
		ph[i].p_flags = PF_R | PF_X;
		ph[i].p_offset = 0;
		ph[i].p_vaddr = ph[i].p_paddr = (Elf64_Addr)i * 0x800;
		ph[i].p_filesz = ph[i].p_memsz = 1UL << 36;
		ph[i].p_align = 0x1000;
	}
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	if (write(fd, page, PG) != PG)
		die("write");
	memset(page, 0, sizeof(page));
	memcpy(page, (const void *)attrib_write_pic, CODE_BYTES);
	if (write(fd, page, PG) != PG)
		die("write");
	code = mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, PG);
	if (code == MAP_FAILED)
		die("mmap hostile");
	close(fd);
	return (writer_fn *)code;
}

static writer_fn *jit(void)
{
	char *code = mmap(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (code == MAP_FAILED)
		die("mmap jit");
	memcpy(code, (const void *)attrib_write_pic, CODE_BYTES);
	__builtin___clear_cache(code, code + CODE_BYTES);
	return (writer_fn *)code;
}

int main(int argc, char **argv)
{
	const char *linger = NULL, *file = "/tmp/attrib.file", *mode = "", *hpath = NULL;
	volatile char stack[(ATTRIB_STACK_PAGES + 2) * PG];
	char *heap, *named, *anon, *fmap, *ljit;
	int unlink_self = 0, fd, i, status;
	uintptr_t s;
	pid_t child;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--unlink"))
			unlink_self = 1;
		else if (!strcmp(argv[i], "--linger") && i + 1 < argc)
			linger = argv[++i];
		else if (!strcmp(argv[i], "--file") && i + 1 < argc)
			file = argv[++i];
		else if (!strcmp(argv[i], "jit") || !strcmp(argv[i], "ctl"))
			mode = argv[i];
		else if (!strcmp(argv[i], "hostile") && i + 1 < argc)
			mode = argv[i], hpath = argv[++i];
		else {
			fprintf(stderr, "usage: attrib [--unlink] [--linger FILE] [--file PATH] [jit|ctl|hostile PATH]\n");
			return 2;
		}
	}

	if (unlink_self) {
		char exe[4096];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		if (n <= 0)
			die("/proc/self/exe");
		exe[n] = '\0';
		if (unlink(exe))
			die(exe);
		printf("note\tunlinked %s\n", exe);
	}

	/* [heap]: fresh pages of the program break, page-aligned. */
	s = (uintptr_t)sbrk(0);
	if (sbrk((intptr_t)(((s + PG - 1) & ~(PG - 1)) - s)) == (void *)-1)
		die("sbrk");
	heap = sbrk(ATTRIB_HEAP_PAGES * PG);
	if (heap == (void *)-1)
		die("sbrk");
	add("attrib_write_heap", attrib_write_heap, heap, ATTRIB_HEAP_PAGES, "sym");

	/* [stack]: whole pages inside this frame's array. */
	s = ((uintptr_t)stack + PG - 1) & ~(PG - 1);
	add("attrib_write_stack", attrib_write_stack, (volatile char *)s, ATTRIB_STACK_PAGES, "sym");

	/* A private file mapping. */
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, ATTRIB_FILE_PAGES * PG))
		die(file);
	fmap = mmap(NULL, ATTRIB_FILE_PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (fmap == MAP_FAILED)
		die("mmap file");
	close(fd);
	add("attrib_write_file", attrib_write_file, fmap, ATTRIB_FILE_PAGES, "sym");

	/* A named anonymous region (5.17+, CONFIG_ANON_VMA_NAME). */
	named = map_anon(ATTRIB_NAMED_PAGES);
	if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)named,
		  ATTRIB_NAMED_PAGES * PG, (unsigned long)"attrib-named"))
		printf("note\tno anon name: PR_SET_VMA_ANON_NAME: %s\n", strerror(errno));
	else
		printf("note\tanon name set\n");
	add("attrib::lib::write_named", attrib_lib_write_named, named, ATTRIB_NAMED_PAGES, "sym");

	/* The library's .data: whole pages inside its array. */
	s = ((uintptr_t)attrib_lib_data_ptr() + PG - 1) & ~(PG - 1);
	add("attrib_lib_write_data", attrib_lib_write_data, (volatile char *)s, ATTRIB_DATA_PAGES, "sym");

	/* An unnamed anonymous region, written by the library's hidden code. */
	anon = map_anon(ATTRIB_HIDDEN_PAGES);
	add("attrib_lib_hidden", attrib_lib_hidden_ptr(), anon, ATTRIB_HIDDEN_PAGES, "off");

	if (!strcmp(mode, "jit"))
		add("jit", jit(), map_anon(ATTRIB_JIT_PAGES), ATTRIB_JIT_PAGES, "none");
	else if (!strcmp(mode, "ctl"))
		add("attrib_write_pic", attrib_write_pic, map_anon(ATTRIB_JIT_PAGES), ATTRIB_JIT_PAGES, "sym");
	else if (!strcmp(mode, "hostile")) {
		ljit = (char *)hostile(hpath);
		add("hostile", (writer_fn *)ljit, map_anon(ATTRIB_JIT_PAGES), ATTRIB_JIT_PAGES, "off");
	}

	for (i = 0; i < nwrites; i++)
		say(&writes[i]);
	{
		char line[4352];
		FILE *f = fopen("/proc/self/maps", "r");

		while (f && fgets(line, sizeof(line), f)) {
			unsigned long a, b, o;
			int n = 0;

			line[strcspn(line, "\n")] = '\0';
			if (sscanf(line, "%lx-%lx %*s %lx %*s %*s %n", &a, &b, &o, &n) >= 3 && n)
				printf("map\t%#lx\t%#lx\t%#lx\t%s\n", a, b, o, line + n);
		}
		if (f)
			fclose(f);
	}
	fflush(stdout);

	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		for (i = 0; i < nwrites; i++)
			writes[i].code(writes[i].p, writes[i].pages);
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status))
		die("child");
	printf("pid\t%d\t%d\n", (int)getpid(), (int)child);
	fflush(stdout);
	for (i = 0; linger && i < 2400 && access(linger, F_OK); i++)
		usleep(50000);
	return 0;
}
