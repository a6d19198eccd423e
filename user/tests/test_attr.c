// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the attribution: the "# map" lines, the models of
 * processes (lookup, fork, the bound), the ELF bounds checks, ct_where()
 * on this very process, the composite-key table, --by's keys, the -a
 * columns and the folded frames.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "../attr.h"
#include "../by.h"
#include "../folded.h"
#include "../format.h"
#include "../maps.h"
#include "../symbols.h"
#include "../table.h"

static int ml(const char *l)
{
	return ct_maps_line(l, strlen(l));
}

static void test_map_lines(void)
{
	struct ct_model *md;
	const struct ct_map *m;
	int i;

	CHECK(ml("# map 7 1000-3000 00000000 08:01 42 abcd /usr/bin/x") == 1, "a map line");
	CHECK(ml("# map 7 5000-6000 00001000 00:00 0 - [heap]") == 1, "a second one");
	CHECK(ml("# map 7 4000-5000 00000000 00:00 0 - a\\040b") == 1, "an escaped path");
	CHECK(ml("# map 7 7000-8000 00000000 00:00 0 - -") == 1, "no name");
	md = ct_maps_get(7);
	CHECK(md && md->n == 4 && md->recorded && !md->alive, "four mappings, recorded");
	m = md ? ct_maps_find(md, 0x2fff) : NULL;
	CHECK(m && !strcmp(m->name, "/usr/bin/x") && m->bid_known && m->bid_len == 2 &&
	      m->bid[0] == 0xab && m->bid[1] == 0xcd && m->inode == 42 && m->major == 8,
	      "the first found, with its build-id");
	CHECK(md && !ct_maps_find(md, 0x3000) && !ct_maps_find(md, 0xfff), "ends are exclusive");
	m = md ? ct_maps_find(md, 0x4000) : NULL;
	CHECK(m && !strcmp(m->name, "a b"), "the escape undone, sorted in");
	m = md ? ct_maps_find(md, 0x7000) : NULL;
	CHECK(m && !strcmp(ct_map_region(m), "[anon]") && !ct_map_is_file(m), "[anon]");
	/* after a record, the lines of the same TGID are a new layout */
	ct_maps_record_seen();
	CHECK(ml("# map 7 9000-a000 00000000 00:00 0 - [stack]") == 1, "a new set");
	md = ct_maps_get(7);
	CHECK(md && md->n == 1 && ct_maps_find(md, 0x9000) && !ct_maps_find(md, 0x1000),
	      "replaces the old one");
	/* malformed: each refused, the model unharmed */
	CHECK(ml("# map 7 3000-1000 0 00:00 0 - x") == -1, "start after end");
	CHECK(ml("# map 7 1000-2000 0 00:00 0 abc x") == -1, "odd build-id");
	CHECK(ml("# map 7 1000-2000 0 00:00 0 zz x") == -1, "not hex");
	CHECK(ml("# map 7 1000-2000 0 00:00 0 - a\\9") == -1, "bad escape");
	CHECK(ml("# map 7 1000-2000 0 00:00 0 -") == -1, "no path");
	CHECK(ml("# map 0 1000-2000 0 00:00 0 - x") == -1, "TGID 0");
	CHECK(ml("# mapping") == 0 && ml("# cowtrace 0.3.0") == 0, "other header lines");
	md = ct_maps_get(7);
	CHECK(md && md->n == 1, "still one mapping");
	/* bounded: models past CT_MODELS_MAX drop the oldest dead ones */
	for (i = 0; i < CT_MODELS_MAX + 50; i++) {
		char l[80];

		ct_maps_record_seen();
		snprintf(l, sizeof(l), "# map %d 1000-2000 0 00:00 0 - x", 1000000 + i);
		ml(l);
	}
	CHECK(ct_maps_count() <= CT_MODELS_MAX, "%zu models held", ct_maps_count());
	md = ct_maps_get(1000000 + CT_MODELS_MAX + 49);
	CHECK(md && md->n == 1, "the newest kept");
	ct_maps_free();
	group("map lines: parsed, replaced after a record, malformed refused, bounded");
}

__attribute__((noinline)) static int probe_fn(int x)
{
	return x * 3 + 1;
}

static void test_live_and_fork(void)
{
	volatile char stack[64];
	struct ct_rec r = test_rec((uint32_t)getpid(), "t", "copy", 4096);
	struct ct_where w;
	struct ct_model *md;
	pid_t child;
	char want[64];

	r.ip = (uintptr_t)probe_fn + 1;
	stack[0] = 1;
	r.addr = (uintptr_t)stack;	/* ASan's malloc is not [heap] */
	CHECK(probe_fn(1) == 4, "probe_fn");
	ct_where(&r, &w);
	CHECK(w.sym && !strcmp(w.sym, "probe_fn+0x1"), "sym %s", w.sym ? w.sym : "(null)");
	CHECK(w.function && !strcmp(w.function, "probe_fn"), "function");
	CHECK(w.object && w.object[0] == '/', "object %s", w.object ? w.object : "(null)");
	CHECK(w.region && !strcmp(w.region, "[stack]"), "region %s", w.region ? w.region : "(null)");
	CHECK(!w.why, "all resolved");
	/* a child that is gone, announced by a fork line: its parent's layout */
	child = fork();
	if (!child)
		_exit(0);
	waitpid(child, NULL, 0);
	r.tgid = (uint32_t)child;
	ct_maps_fork((uint32_t)getpid(), (uint32_t)child, ct_rec_ns(&r));
	md = ct_maps_get((uint32_t)child);
	CHECK(md && !md->alive && md->n > 0, "the child's model is its parent's");
	ct_where(&r, &w);
	snprintf(want, sizeof(want), "probe_fn+0x1");
	CHECK(w.sym && !strcmp(w.sym, want) && w.region && !strcmp(w.region, "[stack]"),
	      "the gone child resolves through it");
	/* control: a gone process nobody announced resolves nothing */
	child = fork();
	if (!child)
		_exit(0);
	waitpid(child, NULL, 0);
	r.tgid = (uint32_t)child;
	ct_where(&r, &w);
	CHECK(!w.sym && !w.object && !w.region &&
	      (w.why & 1u << CT_WHY_NO_MAPPING) && (w.why & 1u << CT_WHY_NO_REGION),
	      "control: an unknown gone process is unresolved");
	ct_symbols_free();
	ct_maps_free();
	group("ct_where on this process, and on a gone child through its fork");
}

/* The record's time as the kernel stamps it: CLOCK_MONOTONIC, now. */
static void stamp_now(struct ct_rec *r)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	r->sec = (uint64_t)ts.tv_sec;
	r->nsec = (uint32_t)ts.tv_nsec;
}

/*
 * A mapping made after the first snapshot: a record stamped after that
 * snapshot reads the layout again; one stamped before it does not (the
 * layout read then held all it saw).
 */
static void test_resnap(void)
{
	struct ct_rec r = test_rec((uint32_t)getpid(), "t", "copy", 4096);
	struct ct_where w;
	char *p;

	ct_maps_get((uint32_t)getpid());
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap");
	r.addr = (uintptr_t)p;
	r.ip = (uintptr_t)probe_fn;
	r.sec = 0;
	r.nsec = 1;
	ct_where(&r, &w);
	CHECK(!w.region, "control: a record older than the snapshot does not read it again");
	stamp_now(&r);
	ct_where(&r, &w);
	CHECK(w.region && !strcmp(w.region, "[anon]"), "read again: %s", w.region ? w.region : "(null)");
	munmap(p, 4096);
	ct_maps_exit((uint32_t)getpid());
	stamp_now(&r);
	r.addr = 1;	/* outside everything: a dead process is not read again */
	ct_where(&r, &w);
	CHECK(!w.region && ct_maps_get((uint32_t)getpid())->n > 0, "after exit, kept, not read");
	ct_symbols_free();
	ct_maps_free();
	group("an address outside the layout reads /proc again for a record newer than the layout, not after exit");
}

/*
 * A child that exited, announced by a fork line stamped after its parent's
 * layout was read: it takes its parent's layout read again, which holds
 * what the parent mapped before forking.
 */
static void test_fork_after_snapshot(void)
{
	struct ct_rec r = test_rec(0, "t", "copy", 4096);
	struct ct_where w;
	pid_t child;
	char *p;

	ct_maps_get((uint32_t)getpid());
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap");
	child = fork();
	if (!child)
		_exit(0);
	waitpid(child, NULL, 0);
	stamp_now(&r);
	r.tgid = (uint32_t)child;
	r.addr = (uintptr_t)p;
	r.ip = (uintptr_t)probe_fn;
	ct_maps_fork((uint32_t)getpid(), (uint32_t)child, ct_rec_ns(&r));
	ct_where(&r, &w);
	CHECK(w.region && !strcmp(w.region, "[anon]"), "the child's region: %s",
	      w.region ? w.region : "(null)");
	r.tgid = (uint32_t)getpid() + 1000000;	/* control: nobody announced it */
	ct_where(&r, &w);
	CHECK(!w.region, "control: an unannounced gone process has no region");
	munmap(p, 4096);
	ct_symbols_free();
	ct_maps_free();
	group("a gone child forked after its parent's layout was read takes the parent's read again");
}

/*
 * A file mapping replaced in place by an anonymous one (MAP_FIXED) after
 * the layout was read: a record whose MAP says anon reads it again; one
 * older than the read keeps what was read then (control).
 */
static void test_stale_kind(void)
{
	struct ct_rec r = test_rec((uint32_t)getpid(), "t", "copy", 4096);
	char path[] = "/tmp/ct-stale-XXXXXX";
	struct ct_where w;
	int fd = mkstemp(path);
	char *p;

	CHECK(fd >= 0 && !ftruncate(fd, 4096), "a file");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED, "mapped");
	ct_maps_get((uint32_t)getpid());
	CHECK(mmap(p, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		   -1, 0) == p, "replaced by an anonymous mapping");
	r.addr = (uintptr_t)p;
	r.ip = (uintptr_t)probe_fn;
	r.map = COWTRACE_MAP_ANON;
	r.sec = 0;
	r.nsec = 1;
	ct_where(&r, &w);
	CHECK(w.region && !strcmp(w.region, path), "control: an older record keeps the file: %s",
	      w.region ? w.region : "(null)");
	stamp_now(&r);
	ct_where(&r, &w);
	CHECK(w.region && !strcmp(w.region, "[anon]"), "a newer anon record reads again: %s",
	      w.region ? w.region : "(null)");
	munmap(p, 4096);
	close(fd);
	unlink(path);
	ct_symbols_free();
	ct_maps_free();
	group("a mapping of another kind than MAP says is read again (a file span replaced by MAP_FIXED)");
}

static int tmpfile_with(const unsigned char *b, size_t n)
{
	char p[] = "/tmp/ct-attr-XXXXXX";
	int fd = mkstemp(p);

	if (fd < 0)
		return -1;
	unlink(p);
	if (write(fd, b, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return fd;
}

static void test_elf_checks(void)
{
	unsigned char b[4096];
	int fd = open("/proc/self/exe", O_RDONLY), good;
	Elf64_Ehdr *e = (Elf64_Ehdr *)b;

	good = fd >= 0 && pread(fd, b, sizeof(b), 0) == (ssize_t)sizeof(b);
	CHECK(good && ct_obj_check_file(fd) == CT_OBJ_OK, "control: this program passes");
	if (fd >= 0)
		close(fd);
	if (!good)
		return;
	/* the whole program is larger than 4 KiB: its section table is past the copy */
	fd = tmpfile_with(b, sizeof(b));
	CHECK(ct_obj_check_file(fd) == CT_OBJ_BAD_ELF, "truncated");
	close(fd);
	e->e_shoff = 64;
	e->e_shnum = 0xffff;
	fd = tmpfile_with(b, sizeof(b));
	CHECK(ct_obj_check_file(fd) == CT_OBJ_BAD_ELF, "e_shnum past the file");
	close(fd);
	e->e_shnum = 0;
	e->e_phnum = 0xffff;
	fd = tmpfile_with(b, sizeof(b));
	CHECK(ct_obj_check_file(fd) == CT_OBJ_BAD_ELF, "PN_XNUM");
	close(fd);
	e->e_phnum = 1;
	e->e_phentsize = 7;
	fd = tmpfile_with(b, sizeof(b));
	CHECK(ct_obj_check_file(fd) == CT_OBJ_BAD_ELF, "odd e_phentsize");
	close(fd);
	fd = tmpfile_with((const unsigned char *)"\177ELF", 4);
	CHECK(ct_obj_check_file(fd) == CT_OBJ_BAD_ELF, "4 bytes");
	close(fd);
	fd = open("/dev/null", O_RDONLY);
	CHECK(ct_obj_check_file(fd) == CT_OBJ_UNREADABLE, "not a regular file");
	close(fd);
	group("ELF bounds checks before libelf");
}

static void test_tables(void)
{
	struct ct_table t = { .max = 100 };
	struct ct_rec r = test_rec(1, "a", "copy", 4096);
	struct ct_by b = { 0 };
	char k[8];
	int i, found = 0;

	for (i = 0; i < 150; i++) {
		struct ct_count *c;

		snprintf(k, sizeof(k), "k%d", i);
		c = ct_table_getk(&t, k, strlen(k), true);
		if (c)
			ct_count_add(c, &r);
	}
	for (i = 0; i < 150; i++) {
		snprintf(k, sizeof(k), "k%d", i);
		found += ct_table_getk(&t, k, strlen(k), false) != NULL;
	}
	CHECK(t.n == 100 && found == 100 && ct_count_records(&t.other) == 50,
	      "100 keys, 50 in other: %zu %d", t.n, found);
	CHECK(!ct_table_getk(&t, "k1", 1, false), "a prefix is another key");
	ct_table_free(&t);
	CHECK(!ct_by_parse(&b, "function,region") && b.nkeys == 2 && ct_by_needs_where(&b), "two keys");
	CHECK(!ct_by_parse(&b, "process") && !ct_by_needs_where(&b), "process");
	CHECK(ct_by_parse(&b, "comm,comm") && ct_by_parse(&b, "pid") &&
	      ct_by_parse(&b, "comm,") && ct_by_parse(&b, ""), "refused");
	group("composite keys, --by's keys");
}

static void test_format(void)
{
	static char line[CT_OUT_MAX + CT_WHERE_OUT];
	char fr[64];
	size_t n;

	strcpy(line, "x y\n");
	n = ct_format_where(CT_FMT_TEXT, "f+0x1", NULL, "a b", line, 4, sizeof(line));
	CHECK(n == strlen(line) && !strcmp(line, "x y f+0x1 - a\\040b\n"), "text: %s", line);
	strcpy(line, "{\"a\":1}\n");
	ct_format_where(CT_FMT_JSON, "f\"", NULL, "r", line, strlen(line), sizeof(line));
	CHECK(!strcmp(line, "{\"a\":1,\"sym\":\"f\\\"\",\"obj\":null,\"region\":\"r\"}\n"), "json: %s", line);
	strcpy(line, "1,2\r\n");
	ct_format_where(CT_FMT_CSV, "a,b", NULL, "c d", line, strlen(line), sizeof(line));
	CHECK(!strcmp(line, "1,2,\"a,b\",,c d\r\n"), "csv: %s", line);
	ct_folded_frame("a;b c\\", 6, fr);
	CHECK(!strcmp(fr, "a\\073b c\\134"), "frame: %s", fr);
	ct_folded_frame(NULL, 0, fr);
	CHECK(!strcmp(fr, "-"), "unknown frame");
	group("-a columns in text, JSON, CSV; folded frames escaped");
}

int main(void)
{
	test_map_lines();
	test_live_and_fork();
	test_resnap();
	test_fork_after_snapshot();
	test_stale_kind();
	test_elf_checks();
	test_tables();
	test_format();
	return checks_done();
}
