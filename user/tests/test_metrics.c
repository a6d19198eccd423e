// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of --metrics (metrics.c): label values, the bound on comms,
 * the text format and the atomic save. One "ok - " line per group.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../format.h"
#include "../metrics.h"
#include "check.h"

/* Undo the text format's escape and \xHH: the comm's bytes again. */
static size_t unlabel(const char *s, char *out)
{
	size_t o = 0;

	while (*s) {
		if (s[0] == '\\' && s[1] == '\\' && s[2] == 'x') {
			out[o++] = (char)strtol((char[]){ s[3], s[4], 0 }, NULL, 16);
			s += 5;
		} else if (s[0] == '\\') {
			out[o++] = s[1];
			s += 2;
		} else {
			out[o++] = *s++;
		}
	}
	return o;
}

static void test_label(void)
{
	char out[CT_LABEL_MAX], back[CT_LABEL_MAX], in[CT_COMM_MAX];
	int b, bad = 0, i;

	ct_metrics_label("cow", 3, out);
	CHECK(!strcmp(out, "cow"), "plain: %s", out);
	ct_metrics_label("a\"b\\c\nd", 7, out);
	CHECK(!strcmp(out, "a\\\"b\\\\x5cc\\\\x0ad"), "quote, backslash, newline: %s", out);
	ct_metrics_label("caf\xc3\xa9 \xff", 7, out);
	CHECK(!strcmp(out, "caf\xc3\xa9 \\\\xff"), "UTF-8 kept, a stray byte escaped: %s", out);
	ct_metrics_label("\\xff", 4, out);
	CHECK(!strcmp(out, "\\\\x5cxff"), "a literal \\xff is not byte 0xff: %s", out);
	ct_metrics_label("\xc2\x9b\xc2\xa0", 4, out);
	CHECK(!strcmp(out, "\\\\xc2\\\\x9b\xc2\xa0"), "a C1 control in UTF-8 escaped, U+00A0 kept: %s", out);
	/* Every byte, and random comms: valid UTF-8, no raw newline, reversible. */
	for (b = 1; b < 256; b++) {
		char c = (char)b;
		size_t n = ct_metrics_label(&c, 1, out), k;

		for (k = 0; k < n; k += ct_utf8_len((unsigned char *)out + k, n - k))
			if (!ct_utf8_len((unsigned char *)out + k, n - k))
				break;
		if (k != n || strchr(out, '\n') || unlabel(out, back) != 1 || back[0] != c)
			bad++;
	}
	srand(2);
	for (i = 0; i < 10000; i++) {
		size_t n = (size_t)rand() % (CT_COMM_MAX + 1), k;

		for (k = 0; k < n; k++)
			in[k] = (char)(1 + rand() % 255);
		k = ct_metrics_label(in, n, out);
		if (k >= CT_LABEL_MAX || unlabel(out, back) != n || memcmp(back, in, n))
			bad++;
	}
	CHECK(!bad, "every byte and random comms: UTF-8 and reversible (%d bad)", bad);
	group("metrics label values: valid UTF-8, escaped, one per comm");
}

static void test_bound_and_write(void)
{
	struct ct_metrics m = { .max_comms = 2 };
	char *text = NULL;
	size_t len = 0;
	struct ct_rec r;
	FILE *f;

	r = test_rec(1, "b", "copy", 4096);
	ct_metrics_add(&m, &r);
	ct_metrics_add(&m, &r);
	r = test_rec(1, "a", "reuse", 2097152);
	ct_metrics_add(&m, &r);
	r = test_rec(1, "c", "copy", 4096);		/* past the bound */
	ct_metrics_add(&m, &r);
	r = test_rec(1, "d", "fail", 4096);
	ct_metrics_add(&m, &r);
	r = test_rec(1, "b", "copy", 4096);		/* still its own */
	ct_metrics_add(&m, &r);
	CHECK(m.t.n == 3, "two comms and other: %zu", m.t.n);
	f = open_memstream(&text, &len);
	CHECK(!ct_metrics_write(&m, 5, 7, f), "write");
	fclose(f);
	CHECK(strstr(text, "\ncowtrace_records_total{comm=\"b\",result=\"copy\"} 3\n") &&
	      strstr(text, "\ncowtrace_bytes_total{comm=\"b\",result=\"copy\"} 12288\n") &&
	      strstr(text, "\ncowtrace_records_total{comm=\"a\",result=\"reuse\"} 1\n") &&
	      strstr(text, "\ncowtrace_bytes_total{comm=\"a\",result=\"reuse\"} 2097152\n") &&
	      strstr(text, "\ncowtrace_records_total{comm=\"other\",result=\"copy\"} 1\n") &&
	      strstr(text, "\ncowtrace_records_total{comm=\"other\",result=\"fail\"} 1\n") &&
	      strstr(text, "\ncowtrace_records_total{comm=\"a\",result=\"zero\"} 0\n") &&
	      !strstr(text, "comm=\"c\"") && !strstr(text, "comm=\"d\""),
	      "counters per comm and RESULT, folded past the bound:\n%s", text);
	CHECK(!strncmp(text, "# HELP cowtrace_records_total ", 30) &&
	      strstr(text, "\n# TYPE cowtrace_records_total counter\n") &&
	      strstr(text, "\n# TYPE cowtrace_bytes_total counter\n") &&
	      strstr(text, "\n# TYPE cowtrace_lost_records_total counter\ncowtrace_lost_records_total 5\n") &&
	      strstr(text, "\n# TYPE cowtrace_missed_records_total counter\ncowtrace_missed_records_total 7\n"),
	      "HELP, TYPE, lost and missed");
	CHECK(strstr(text, "comm=\"a\"") < strstr(text, "comm=\"b\"") &&
	      strstr(text, "comm=\"b\"") < strstr(text, "comm=\"other\""), "in label order");
	free(text);
	ct_metrics_free(&m);

	m.max_comms = 0;
	ct_metrics_add(&m, &r);
	CHECK(m.t.n == 1 && !strcmp(m.t.ent[0].comm, "other"), "--metrics-comms 0: all in other");
	ct_metrics_free(&m);
	group("metrics counters, the bound on comms, the text format");
}

static void test_save(void)
{
	char dir[] = "/tmp/ct-metrics-XXXXXX", path[64], bad[80];
	struct ct_metrics m = { .max_comms = 64 };
	struct ct_rec r = test_rec(1, "cow", "copy", 4096);
	struct dirent *e;
	struct stat st;
	int files = 0;
	DIR *d;

	if (!mkdtemp(dir))
		return;
	snprintf(path, sizeof(path), "%s/cowtrace.prom", dir);
	ct_metrics_add(&m, &r);
	umask(077);
	CHECK(!ct_metrics_save(&m, 0, 0, path), "save");
	CHECK(!ct_metrics_save(&m, 0, 0, path), "save over it");
	CHECK(!stat(path, &st) && (st.st_mode & 0777) == 0644, "mode 0644 whatever the umask");
	d = opendir(dir);
	while (d && (e = readdir(d)))
		files += e->d_name[0] != '.';
	if (d)
		closedir(d);
	CHECK(files == 1, "no temporary file left: %d files", files);
	snprintf(bad, sizeof(bad), "%s/nosuchdir/cowtrace.prom", dir);
	errno = 0;
	CHECK(ct_metrics_save(&m, 0, 0, bad) == -1 && errno == ENOENT, "a missing directory: ENOENT");
	unlink(path);
	rmdir(dir);
	ct_metrics_free(&m);
	group("metrics file replaced atomically");
}

/* A file of @head then @tail repeated to 1 MiB, open at its start. */
static int big_file(const void *head, size_t n, const char *tail)
{
	char path[] = "/tmp/cowtrace-test.XXXXXX";
	int fd = mkstemp(path), i;

	if (fd < 0)
		return -1;
	unlink(path);
	if (write(fd, head, n) != (ssize_t)n)
		return -1;
	for (i = 0; i < (1 << 20) / (int)strlen(tail); i++)
		if (write(fd, tail, strlen(tail)) != (ssize_t)strlen(tail))
			return -1;
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* The metrics refresh reads a fresh open's header, not 128 KiB of it. */
static void test_missed(void)
{
	static const char text[] =
		"# cowtrace 0.3.0\n# filter= pid=0 entries=16 cpus=2\n"
		"# paths=do_wp_page\n# taken=21 held=16 missed=7 retried=2\n"
		"# cpu=0 taken=11 held=8\n# cpu=1 taken=10 held=8\n"
		"# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM\n";
	static const char rec[] = "5.349103415 1   204     204     0x100000000000 4096    write   anon   copy   0x401a2b       cow\n";
	static char buf[1 << 18];
	struct {
		struct cowtrace_raw_header h;
		char rest[4096 - sizeof(struct cowtrace_raw_header)];
	} head;
	uint64_t missed = 0;
	off_t off;
	int fd;

	memset(&head, 0, sizeof(head));
	head.h.magic = COWTRACE_RAW_MAGIC;
	head.h.version = COWTRACE_RAW_VERSION;
	head.h.record_size = sizeof(struct cowtrace_record);
	head.h.header_size = sizeof(head);	/* a header that grew */
	head.h.nr_cpus = 2;
	head.h.missed = 12345678901ULL;
	fd = big_file(&head, sizeof(head), "\xa5");
	CHECK(!ct_metrics_missed(fd, sizeof(head), buf, sizeof(buf), &missed) &&
	      missed == 12345678901ULL, "binary: missed %llu", (unsigned long long)missed);
	off = lseek(fd, 0, SEEK_CUR);
	CHECK(off == sizeof(head), "binary: %lld bytes read, header_size %zu",
	      (long long)off, sizeof(head));
	close(fd);
	head.h.magic = 0x12345678;
	missed = 1;
	fd = big_file(&head, sizeof(head), "\xa5");
	CHECK(ct_metrics_missed(fd, sizeof(head), buf, sizeof(buf), &missed) && missed == 1,
	      "binary: a header refused leaves missed as it was");
	close(fd);

	fd = big_file(text, strlen(text), rec);
	CHECK(!ct_metrics_missed(fd, 0, buf, 4096, &missed) && missed == 7,
	      "text: missed %llu", (unsigned long long)missed);
	off = lseek(fd, 0, SEEK_CUR);
	CHECK(off <= 512, "text: %lld bytes read, to the missed= line", (long long)off);
	close(fd);
	/* Without missed=: up to the column line, not into the records */
	fd = big_file(strstr(text, "# cpu=0"), strlen(strstr(text, "# cpu=0")), rec);
	missed = 1;
	CHECK(ct_metrics_missed(fd, 0, buf, 4096, &missed) && missed == 1,
	      "text without missed=: none found");
	off = lseek(fd, 0, SEEK_CUR);
	CHECK(off < (off_t)strlen(strstr(text, "# cpu=0")) + 512,
	      "text without missed=: %lld bytes read, to the column line", (long long)off);
	close(fd);
	group("the metrics refresh reads the header of a fresh open, and no more");
}

int main(void)
{
	test_label();
	test_bound_and_write();
	test_save();
	test_missed();
	return checks_done();
}
