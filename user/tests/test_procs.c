// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of what follows processes: the TGID map (tgidmap.c) against
 * a plain array, the --forks rows (forks.c) of a literal scenario, and the
 * escaping of --svg (svg.c). One "ok - " / "not ok - " line per group.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../forks.h"
#include "../svg.h"
#include "../tgidmap.h"
#include "check.h"

/* A line through the real parser (0.2 layout, with 0.3 fork/exit lines). */
static enum ct_line line(const char *l, struct ct_rec *r)
{
	struct ct_layout lay;
	enum ct_line t;

	ct_layout_init(&lay);
	t = ct_parse_line(&lay, l, strlen(l), r);
	if (t != CT_LINE_RECORD && t != CT_LINE_FORK && t != CT_LINE_EXIT) {
		printf("# bad test line: %s\n", l);
		exit(1);
	}
	return t;
}

static void test_map(void)
{
	enum { KEYS = 3000 };
	static uint32_t val[KEYS];	/* 0: not held */
	struct ct_tgid_map m = { 0 };
	unsigned int seed = 19, i, bad = 0, held = 0;

	/* Keys that share low bits, and deletions in the middle of runs. */
	for (i = 0; i < 200000; i++) {
		uint32_t k = (uint32_t)(rand_r(&seed) % KEYS), *v;

		switch (rand_r(&seed) % 3) {
		case 0:
		case 1:
			bad += !!ct_tgid_put(&m, k * 4096, i + 1);
			held += !val[k];
			val[k] = i + 1;
			break;
		case 2:
			ct_tgid_del(&m, k * 4096);
			held -= !!val[k];
			val[k] = 0;
			break;
		}
		v = ct_tgid_get(&m, (uint32_t)(rand_r(&seed) % KEYS) * 4096);
		(void)v;
	}
	for (i = 0; i < KEYS; i++) {
		uint32_t *v = ct_tgid_get(&m, i * 4096);

		bad += val[i] ? !v || *v != val[i] : !!v;
	}
	CHECK(!bad && m.n == held && held > 100 && held < KEYS,
	      "%u keys differ from the array; %zu held, %u wanted", bad, m.n, held);
	CHECK(!ct_tgid_put(&m, 0, 7) && *ct_tgid_get(&m, 0) == 7 &&
	      !ct_tgid_put(&m, UINT32_MAX, 8) && *ct_tgid_get(&m, UINT32_MAX) == 8,
	      "TGID 0 and 2^32-1 are keys like any other");
	ct_tgid_free(&m);
	CHECK(!ct_tgid_get(&m, 0), "an empty map holds nothing");
	group("TGID map: 200000 random puts and deletes agree with a plain array");
}

/*
 * P (10) forks A (11) and B (12); A forks G (13); A exits before G; B
 * exits and its TGID comes back as C, forked by P; G is running at the end.
 * Bytes: P 1+2+4+8 pages (4096 each) at t=1.5, 2.5, 3.5, 4.5; A 16 at 1.6;
 * G 32 at 2.6 and 64 at 3.7; B 128 at 2.1; C 256 at 3.6; a reuse of P
 * and a copy of an unrelated process count for nothing.
 */
static const char *const scenario[] = {
	"# fork 1.000000000 0 10 10 11 p",
	"1.500000000 0 10 10 0x1 4096 write anon copy 0x1 p",
	"1.600000000 1 11 11 0x1 65536 write anon copy 0x1 a",
	"# fork 2.000000000 0 10 10 12 p",
	"2.100000000 1 12 12 0x1 524288 write anon copy 0x1 b",
	"# fork 2.200000000 1 11 11 13 a",
	"2.500000000 0 10 10 0x1 8192 write anon copy 0x1 p",
	"2.550000000 0 10 10 0x1 4096 write anon reuse 0x1 p",
	"2.600000000 2 13 13 0x1 131072 write anon copy 0x1 g",
	"# exit 3.000000000 1 12 b",
	"# exit 3.100000000 1 11 a",
	"# fork 3.200000000 0 10 10 12 p",
	"3.500000000 0 10 10 0x1 16384 write anon copy 0x1 p",
	"3.600000000 3 12 12 0x1 1048576 write anon copy 0x1 c",
	"3.700000000 2 13 13 0x1 262144 write anon copy 0x1 g\\040x",
	"4.500000000 0 10 10 0x1 32768 write anon copy 0x1 p",
	"4.600000000 0 99 99 0x1 4096 write anon copy 0x1 z",
};

/* The rows, by hand from the scenario. */
static const struct {
	uint32_t parent, child;
	const char *ccomm;
	int state;
	uint64_t end_ns, pbytes, cbytes;
} rows[] = {
	/* A lived 1.0 to 3.1: P copied at 1.5 and 2.5, A at 1.6 */
	{ 10, 11, "a", CT_FORK_EXITED, 3100000000ULL, 4096 + 8192, 65536 },
	/* B lived 2.0 to 3.0: P at 2.5; B at 2.1 */
	{ 10, 12, "b", CT_FORK_EXITED, 3000000000ULL, 8192, 524288 },
	/* G from 2.2, running; its parent A copied nothing after 2.2 */
	{ 11, 13, "g x", CT_FORK_RUNNING, 0, 0, 131072 + 262144 },
	/* C from 3.2, running: P at 3.5 and 4.5 */
	{ 10, 12, "c", CT_FORK_RUNNING, 0, 16384 + 32768, 1048576 },
};

static void test_forks(void)
{
	struct ct_forks f = { 0 };
	struct ct_rec r;
	size_t i;
	char *out = NULL;
	size_t outlen = 0;
	FILE *mf;

	for (i = 0; i < sizeof(scenario) / sizeof(scenario[0]); i++) {
		enum ct_line t = line(scenario[i], &r);

		CHECK(!ct_forks_add(&f, t, &r), "add %zu", i);
	}
	CHECK(f.n == 4, "%zu rows, 4 wanted", f.n);
	for (i = 0; i < 4 && i < f.n; i++) {
		const struct ct_fork *w = &f.rows[i];
		uint64_t pb = w->pbytes, cb = w->cbytes;

		if (w->state == CT_FORK_RUNNING) {
			pb = f.procs[w->pproc].bytes - w->pbase;
			cb = f.procs[w->cproc].bytes;
		}
		CHECK(w->parent == rows[i].parent && w->child == rows[i].child &&
		      w->ccomm_len == strlen(rows[i].ccomm) &&
		      !memcmp(w->ccomm, rows[i].ccomm, w->ccomm_len) &&
		      (int)w->state == rows[i].state &&
		      (w->state == CT_FORK_RUNNING || w->end_ns == rows[i].end_ns) &&
		      pb == rows[i].pbytes && cb == rows[i].cbytes,
		      "row %zu: %u %u %s state %d end %llu bytes %llu %llu", i,
		      w->parent, w->child, w->ccomm, w->state,
		      (unsigned long long)w->end_ns, (unsigned long long)pb,
		      (unsigned long long)cb);
	}
	/* Held: P, G and C running; A kept while G (its child) runs; B gone. */
	CHECK(f.by_tgid.n == 3, "%zu live processes followed, 3 wanted", f.by_tgid.n);
	mf = open_memstream(&out, &outlen);
	ct_forks_print(&f, mf);
	fclose(mf);
	CHECK(out && strstr(out, "10      p                12      b                         2.000000000 1.000000000") &&
	      strstr(out, "11      a                13      g\\040x") && strstr(out, "running") &&
	      strstr(out, "\n4 forks\n"), "the table: %s", out);
	free(out);
	ct_forks_free(&f);
	/* A process forking itself is a forged line: no row. */
	line("# fork 1.000000000 0 10 10 10 p", &r);
	CHECK(!ct_forks_add(&f, CT_LINE_FORK, &r) && f.n == 0, "a self-fork is no row");
	ct_forks_free(&f);
	group("--forks rows: parent and child bytes over each child's life, pid reuse, a grandchild");
}

/* Many short children: memory follows the running ones, not all seen. */
static void test_forks_bound(void)
{
	struct ct_forks f = { 0 };
	struct ct_rec r;
	char l[128];
	uint32_t i;

	f.max = 1000;
	for (i = 0; i < 100000; i++) {
		snprintf(l, sizeof(l), "# fork %u.000000000 0 10 10 %u p", i, 1000 + i % 30000);
		line(l, &r);
		ct_forks_add(&f, CT_LINE_FORK, &r);
		snprintf(l, sizeof(l), "# exit %u.500000000 0 %u p", i, 1000 + i % 30000);
		line(l, &r);
		ct_forks_add(&f, CT_LINE_EXIT, &r);
	}
	CHECK(f.n == 1000 && f.dropped == 99000, "%zu rows, %llu dropped", f.n,
	      (unsigned long long)f.dropped);
	CHECK(f.by_tgid.n <= 2 && f.nprocs <= 4, "%zu live, %u in the pool",
	      f.by_tgid.n, f.nprocs);
	ct_forks_free(&f);
	group("--forks: bounded rows, processes released at exit");
}

static void test_svg(void)
{
	static const char *const in[] = {
		"1.000000000 0 5 5 0x1 4096 write anon copy 0x1 a&<b>\\042\\047",
		"# fork 1.100000000 0 5 5 6 a&<b>\\042\\047",
		"1.200000000 0 6 6 0x1 2097152 write file copy 0x1 \\033[31m\\377\\302\\205",
		"1.300000000 0 6 6 0x1 4096 write anon copy 0x1 caf\\303\\251\\134",
		"# exit 1.400000000 0 6 x",
	};
	struct ct_svg s = { 0 };
	char path[] = "/tmp/ct-svg-XXXXXX", *text = NULL;
	const char *frames[3] = { "x", "y", "z" };
	struct ct_rec r;
	size_t i, n = 0;
	FILE *f;
	int fd;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		enum ct_line t = line(in[i], &r);

		CHECK(!ct_svg_add(&s, t, &r), "add %zu", i);
		if (t == CT_LINE_RECORD)
			CHECK(!ct_svg_flame_record(&s, &r), "flame %zu", i);
	}
	CHECK(!ct_svg_flame_add(&s, frames, 3, 100), "flame_add");
	CHECK(s.n == 2 && s.procs[1].forked && s.procs[1].ended &&
	      s.procs[1].bytes == 2097152 + 4096 && s.procs[1].n == 2,
	      "two lines; the child's forked, ended, two points");
	CHECK(s.nodes[0].bytes == 4096 + 2097152 + 4096 + 100, "the root has every byte");
	fd = mkstemp(path);
	if (fd >= 0)
		close(fd);
	/* Written aside and renamed over @path: opened after. */
	CHECK(fd >= 0 && !ct_svg_write(&s, path), "written");
	f = fopen(path, "r");
	if (f) {
		text = malloc(1 << 20);
		n = fread(text, 1, (1 << 20) - 1, f);
		text[n] = '\0';
		fclose(f);
	}
	unlink(path);
	CHECK(text && strstr(text, "a&amp;&lt;b&gt;&quot;&apos; (5)"), "markup as entities");
	CHECK(text && strstr(text, "<title>\\033[31m\\377\\302\\205: "),
	      "ESC, a byte that is not UTF-8 and a C1 control as \\ooo");
	CHECK(text && strstr(text, "caf\xc3\xa9\\134"), "UTF-8 as is, '\\' as \\134");
	CHECK(text && strstr(text, ">file write<") && strstr(text, "<title>anon write: "),
	      "flame frames from MAP and KIND");
	CHECK(text && !strstr(text, "\033") && !strstr(text, "\377"),
	      "no raw control or invalid byte anywhere");
	free(text);
	ct_svg_free(&s);
	group("--svg: lines and frames, every byte of a comm written as XML text");
}

int main(void)
{
	test_map();
	test_forks();
	test_forks_bound();
	test_svg();
	return checks_done();
}
