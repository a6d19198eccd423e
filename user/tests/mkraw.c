// SPDX-License-Identifier: GPL-2.0
/*
 * mkraw: the binary twin of a text fixture, from the uapi structs, for the
 * tests, the fuzzer's seeds and the benchmark. Reads a file in the format
 * of /proc/cowtrace with the reader's parser and writes what
 * /proc/cowtrace_raw would give for it. Each malformed line becomes a
 * malformed item, a different fault each.
 *
 * mkraw [--version N] [--magic N] [--record-size N] [--header-size N]
 *       IN.txt OUT.raw
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../parse.h"

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static unsigned long opt(char ***argv, const char *name, unsigned long v)
{
	if (**argv && !strcmp(**argv, name) && (*argv)[1]) {
		v = strtoul((*argv)[1], NULL, 0);
		*argv += 2;
	}
	return v;
}

static void write_item(FILE *f, const struct cowtrace_record *rec, size_t size)
{
	static char pad[256];
	size_t n;

	memset(pad, 0xa5, sizeof(pad));	/* appended fields: not zero */
	fwrite(rec, sizeof(*rec), 1, f);
	for (n = sizeof(*rec); n < size; n += sizeof(pad) < size - n ? sizeof(pad) : size - n)
		fwrite(pad, 1, sizeof(pad) < size - n ? sizeof(pad) : size - n, f);
}

int main(int argc, char **argv)
{
	struct cowtrace_raw_header h = {
		.magic = COWTRACE_RAW_MAGIC, .version = COWTRACE_RAW_VERSION,
		.record_size = sizeof(struct cowtrace_record),
	};
	unsigned long version, magic, record_size, header_size;
	FILE *in, *out;
	struct ct_layout lay;
	uint64_t v, *taken;
	unsigned int bad = 0;
	char l[CT_LINE_MAX + 2];
	int pass;

	(void)argc;
	argv++;
	version = opt(&argv, "--version", h.version);
	magic = opt(&argv, "--magic", h.magic);
	record_size = opt(&argv, "--record-size", h.record_size);
	header_size = opt(&argv, "--header-size", 0);
	if (!argv[0] || !argv[1]) {
		fprintf(stderr, "usage: mkraw [--version N] [--magic N] [--record-size N] [--header-size N] IN.txt OUT.raw\n");
		return 1;
	}
	in = fopen(argv[0], "r");
	out = fopen(argv[1], "w");
	if (!in || !out)
		die("mkraw");
	/* Pass 0: the header's counters; pass 1: the items. */
	for (pass = 0; pass < 2; pass++) {
		rewind(in);
		ct_layout_init(&lay);
		while (fgets(l, sizeof(l), in)) {
			size_t len = strcspn(l, "\n");
			struct cowtrace_record rec = { .stamp = COWTRACE_RAW_RECORD };
			struct ct_rec r;
			enum ct_line t = ct_parse_line(&lay, l, len, &r);

			if (pass == 0) {
				if (!ct_header_u64(l, len, "cpus", &v))
					h.nr_cpus = v;
				if (!ct_header_u64(l, len, "entries", &v))
					h.entries = v;
				if (!ct_header_u64(l, len, "missed", &v))
					h.missed = v;
				if (!ct_header_u64(l, len, "retried", &v))
					h.retried = v;
				continue;
			}
			if (t == CT_LINE_RECORD) {
				rec.ts = r.sec * 1000000000 + r.nsec;
				rec.addr = r.addr;
				rec.ip = r.ip;
				rec.pid = r.pid;
				rec.tgid = r.tgid;
				rec.cpu = r.cpu;
				rec.kind = r.kind;
				rec.map = r.map;
				rec.result = r.result;
				rec.shift = (__u8)__builtin_ctzll(r.size);
				memcpy(rec.comm, r.comm, r.comm_len);
				write_item(out, &rec, record_size);
				continue;
			}
			if (t == CT_LINE_FORK || t == CT_LINE_EXIT) {
				rec.stamp = t == CT_LINE_FORK ? COWTRACE_RAW_FORK :
								COWTRACE_RAW_EXIT;
				rec.ts = r.sec * 1000000000 + r.nsec;
				rec.addr = r.child;
				rec.pid = r.pid;
				rec.tgid = r.tgid;
				rec.cpu = r.cpu;
				memcpy(rec.comm, r.comm, r.comm_len);
				write_item(out, &rec, record_size);
				continue;
			}
			if (t == CT_LINE_LOST) {
				rec.stamp = COWTRACE_RAW_LOST;
				rec.addr = r.lost;
				rec.cpu = r.cpu;
				write_item(out, &rec, record_size);
			} else if (t == CT_LINE_BAD) {
				/* One fault each, as far as they go. */
				switch (bad++ % 6) {
				case 0: rec.stamp = 7; break;
				case 1: rec.kind = COWTRACE_KIND_NR; break;
				case 2: rec.map = 0xff; break;
				case 3: rec.result = COWTRACE_RESULT_NR; break;
				case 4: rec.shift = 64; break;
				case 5: memset(rec.comm, 'x', sizeof(rec.comm)); break;
				}
				write_item(out, &rec, record_size);
			}
		}
		if (pass == 1)
			break;
		/* taken[] from the "# cpu=C taken=N" lines */
		taken = calloc(h.nr_cpus + 1, sizeof(*taken));
		if (!taken)
			die("mkraw");
		rewind(in);
		while (fgets(l, sizeof(l), in))
			if (!ct_header_u64(l, strcspn(l, "\n"), "cpu", &v) && v < h.nr_cpus)
				ct_header_u64(l, strcspn(l, "\n"), "taken", &taken[v]);
		h.magic = magic;
		h.version = version;
		h.record_size = record_size;
		h.header_size = header_size ? header_size :
				sizeof(h) + h.nr_cpus * sizeof(*taken);
		fwrite(&h, sizeof(h), 1, out);
		fwrite(taken, sizeof(*taken), h.nr_cpus, out);
		/* A header larger than its fields: the rest zero. */
		for (v = sizeof(h) + h.nr_cpus * sizeof(*taken); v < header_size; v++)
			fputc(0, out);
		free(taken);
	}
	if (fclose(out))
		die("mkraw");
	return 0;
}
