// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace: follow /proc/cowtrace_raw like tail -f, filter and format the
 * copy-on-write records the cowtrace module takes. This file is the
 * command line and the I/O loop; raw.c decodes /proc/cowtrace_raw,
 * parse.c reads the lines of /proc/cowtrace (an older module's, or a saved
 * file), format.c writes text, JSON and CSV, summary.c the -s table,
 * metrics.c the --metrics file; attr.c resolves where a copy came from
 * (maps.c, symbols.c) for -a, by.c the --by table, folded.c -o folded,
 * save.c the -w recording.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "../module/version.h"
#include "attr.h"
#include "by.h"
#include "command.h"
#include "folded.h"
#include "format.h"
#include "forks.h"
#include "maps.h"
#include "metrics.h"
#include "parse.h"
#include "raw.h"
#include "save.h"
#include "summary.h"
#include "svg.h"
#include "symbols.h"

#define PROC_PATH	"/proc/cowtrace"
#define RAW_PATH	"/proc/cowtrace_raw"
#define NSEC		1000000000LL
#define MAX_SECS	1e9		/* longer times are this: 31 years */
#define FILE_POLL_NS	(200 * 1000000LL)	/* a regular file: look again */
#define CT_ROWS_MAX	(1 << 24)	/* --max-rows: 2 GiB of rows at most */

enum out_mode { OUT_TEXT, OUT_JSON, OUT_CSV, OUT_FOLDED, OUT_NONE /* -- COMMAND without -o */ };

/*
 * What the input is decides what the end of it means: /proc/cowtrace
 * says "caught up" (poll for more), a regular file may grow (look again
 * later, as tail -f does), a pipe's writer has closed it (the end).
 */
enum input { IN_PROC, IN_FILE, IN_PIPE };

/*
 * What the bytes are: /proc/cowtrace_raw is binary, /proc/cowtrace text;
 * a --file is binary when it starts with COWTRACE_RAW_MAGIC.
 */
enum format {
	FMT_SNIFF,	/* fewer than 4 bytes seen of a --file */
	FMT_TEXT,	/* lines */
	FMT_RAW_HEAD,	/* binary, in its header */
	FMT_RAW,	/* binary, in its items */
};

/* The command line */
static const char *path;		/* --file; else RAW_PATH or PROC_PATH */
static enum out_mode mode = OUT_TEXT;
static bool follow = true, summary, have_pid, have_comm;
static uint32_t opt_tgid;
static char opt_comm[CT_COMM_MAX + 1];
static size_t opt_comm_len;
static unsigned long long max_count;	/* 0: no limit */
static double max_secs;			/* 0: no limit */
static const char *metrics_path;
static double metrics_secs = 5;
static struct ct_metrics metrics = { .max_comms = 64 };
static bool forks_opt, mode_set;
static struct ct_forks forks;
static const char *svg_path;
static struct ct_svg svg;
static struct ct_command cmd;		/* -- COMMAND [ARG...] */
static bool annotate, need_where;	/* -a; -a, --by function..., -o folded */
static struct ct_by by;
static struct ct_folded folded;
static const char *save_path;		/* -w */
static struct ct_where where;

/* The state of the run */
static volatile sig_atomic_t stop;	/* SIGINT, SIGTERM, SIGHUP */
static sigset_t stop_sigs;
static bool done;			/* -n reached */
static int out_errno;			/* writing stdout failed */
static enum format in_fmt;
static struct ct_layout layout;
static struct ct_raw raw;
static struct ct_summary sum;
static unsigned long long printed, bad_lines;
static uint64_t lost, missed;
static int metrics_errno;		/* the last failure reported */

static void fatal(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("cowtrace: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static void usage(FILE *f, int status)
{
	fprintf(f,
"usage: cowtrace [-p PID] [-c COMM] [-n COUNT] [-t SECONDS] [--no-follow]\n"
"                [-o text|json|csv|folded] [-a] [-s] [--by KEY[,KEY...]]\n"
"                [--max-rows N] [-w PATH] [--metrics PATH] [--forks] [--svg PATH]\n"
"                [--file PATH] [-h] [--version] [-- COMMAND [ARG...]]\n"
"Follow " RAW_PATH " (the cowtrace module) like tail -f; with an older\n"
"module, which has no " RAW_PATH ", " PROC_PATH ".\n"
"  -p, --pid PID        only records of this process (TGID)\n"
"  -c, --comm COMM      only records whose comm is exactly COMM\n"
"  -n, --count COUNT    stop after COUNT records\n"
"  -t, --time SECONDS   stop after SECONDS (a decimal number)\n"
"      --no-follow      print what is held and exit\n"
"  -o, --output FORMAT  text (the module's lines, the default),\n"
"                       json (one object per line), csv, or folded (at exit,\n"
"                       COMM;REGION;OBJECT;FUNCTION BYTES_COPIED per line)\n"
"  -a, --annotate       add SYMBOL, OBJECT (of IP) and REGION (of ADDRESS)\n"
"  -s, --summary        at exit, per process: a count per RESULT and the\n"
"                       bytes copied, largest first, then the lost count\n"
"      --by KEY[,KEY...] at exit, a table grouped by process, comm, function,\n"
"                       object, region, kind, map, result\n"
"  -w, --write PATH     save the records with their processes' mappings\n"
"                       (cowtrace --file PATH -a resolves them later)\n"
"      --max-rows N     processes with a row of their own in -s (65536),\n"
"                       the rest count in one row, (other)\n"
"      --metrics PATH   keep a Prometheus textfile-collector file at PATH:\n"
"                       records and bytes per comm and RESULT, lost, missed\n"
"      --metrics-interval SECONDS\n"
"                       rewrite it this often while following (5)\n"
"      --metrics-comms N\n"
"                       comms with a label of their own (64), the rest\n"
"                       count as comm=\"other\"\n"
"      --forks          at exit, per fork: parent, child, when, how long the\n"
"                       child lived, bytes copied by each while it lived\n"
"      --svg PATH       at exit, a picture: bytes copied over time per\n"
"                       process, and a flame graph of where\n"
"  -- COMMAND [ARG...]  run COMMAND, follow it and every process it forks;\n"
"                       end when it has exited (-s unless other output is\n"
"                       asked for), with its exit status\n"
"      --file PATH      read PATH instead: binary, as " RAW_PATH " gives it,\n"
"                       or text, as " PROC_PATH "\n"
"  -h, --help           this help\n"
"      --version        the version\n"
"SIGINT, SIGTERM and SIGHUP end it (status 0). Status 1: usage, cannot open,\n"
"cannot write; 2: the module went away.\n");
	exit(status);
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!ct_command_signal(&cmd, sig, si))
		stop = 1;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC + ts.tv_nsec;
}

/* The earlier of two timeouts in ns, -1 meaning none. */
static int64_t earlier(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/* ns from @now until @when (-1: never), at least 0. */
static int64_t until(int64_t when, int64_t now)
{
	if (when < 0)
		return -1;
	return when > now ? when - now : 0;
}

/*
 * Sleep until @fd (when >= 0) is readable, @ns (when >= 0) have passed,
 * or a stop signal. The signals are blocked from the check of stop until
 * ppoll() unblocks them atomically, so one that lands in between still
 * ends the wait at once.
 * Return: the events of @fd (POLLIN when readable), 0 when none.
 */
static int wait_for(int fd, int64_t ns)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec ts = { .tv_sec = ns / NSEC, .tv_nsec = ns % NSEC };
	sigset_t old;
	int r = 0;

	sigprocmask(SIG_BLOCK, &stop_sigs, &old);
	if (!stop)
		r = ppoll(&p, fd >= 0, ns >= 0 ? &ts : NULL, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r > 0 ? p.revents : 0;
}

/*
 * Records are formatted straight into this buffer, which is written when
 * full, before the reader sleeps, and at exit: one write() per many
 * records, and nothing held back while the reader waits.
 */
static char obuf[1 << 17];
static size_t olen;

static void flush_output(void)
{
	size_t off = 0;

	while (off < olen && !out_errno) {
		ssize_t n = write(STDOUT_FILENO, obuf + off, olen - off);

		if (n > 0)
			off += n;
		else if (n < 0 && errno == EINTR && stop)
			break;		/* ending at once: drop the rest */
		else if (!(n < 0 && errno == EINTR))
			out_errno = n < 0 ? errno : EIO;
	}
	olen = 0;
}

/* Room for @n more bytes (at most sizeof(obuf)) at obuf + olen. */
static char *out_room(size_t n)
{
	if (olen + n > sizeof(obuf))
		flush_output();
	return obuf + olen;
}

static void output(const char *s, size_t n)
{
	memcpy(out_room(n), s, n);
	olen += n;
}

/*
 * Each record through the formatter, read as text or in binary: a line of
 * a --file is never echoed, so that none of its bytes reach a terminal
 * unescaped (a column this reader does not know is any bytes).
 */
static void emit_record(const struct ct_rec *r)
{
	char *o = out_room(CT_OUT_MAX + (annotate ? CT_WHERE_OUT : 0));
	size_t start = olen;

	switch (mode) {
	case OUT_FOLDED:
	case OUT_NONE:		/* -- COMMAND without -o: tables only */
		return;
	case OUT_TEXT:
		olen += ct_format_text(r, o, CT_OUT_MAX);
		break;
	case OUT_JSON:
		olen += ct_format_json(r, o, CT_OUT_MAX);
		break;
	case OUT_CSV:
		olen += ct_format_csv(r, o, CT_OUT_MAX);
		break;
	}
	if (annotate)	/* -a: SYMBOL, OBJECT, REGION appended */
		olen = start + ct_format_where(mode == OUT_JSON ? CT_FMT_JSON :
					       mode == OUT_CSV ? CT_FMT_CSV : CT_FMT_TEXT,
					       where.sym, where.object, where.region, o,
					       olen - start, CT_OUT_MAX + CT_WHERE_OUT);
}

static const char *text_columns(void)
{
	return annotate ? ct_text_columns_where : ct_text_columns;
}

/* The first is shown, its first 120 bytes escaped; the rest are counted. */
static void bad_line(const char *why, const char *l, size_t len)
{
	char esc[4 * 120 + 1];

	if (!bad_lines++) {
		ct_escape(l, len > 120 ? 120 : len, esc, 0x20);
		fprintf(stderr, "cowtrace: skipping %s: %s\n", why, esc);
	}
}

/*
 * One line or item, parsed: @l is its text (a description for a bad
 * binary item; nothing for a binary record or lost item), to look in or
 * to report, never to print: what is printed is formatted from @r.
 */
static void handle(enum ct_line t, const struct ct_rec *r, const char *l,
		   size_t len)
{
	switch (t) {
	case CT_LINE_HEADER:
		ct_header_u64(l, len, "missed", &missed);
		if (ct_maps_line(l, len) < 0)
			bad_line("a malformed map line", l, len);
		return;
	case CT_LINE_COLUMNS:
		/* Text output stays a file that names its columns: its own. */
		if (mode == OUT_TEXT)
			output(text_columns(), strlen(text_columns()));
		return;
	case CT_LINE_LOST:
		lost += r->lost;
		ct_save_lost(r);
		if (mode == OUT_TEXT) {
			olen += ct_format_lost(r, out_room(CT_OUT_MAX), CT_OUT_MAX);
		} else {
			char o[CT_OUT_MAX];

			ct_format_lost(r, o, sizeof(o));
			fputs(o, stderr);
		}
		return;
	case CT_LINE_BAD_COLUMNS:
		bad_line("a column line that lacks a column this reader needs", l, len);
		return;
	case CT_LINE_BAD:
		bad_line(in_fmt == FMT_TEXT ? "a malformed line" : "a malformed item",
			 l, len);
		return;
	case CT_LINE_FORK:	/* the child shares its parent's layout */
		ct_maps_record_seen();
		if (need_where || save_path)
			ct_maps_fork(r->tgid, r->child, ct_rec_ns(r));
		break;
	case CT_LINE_EXIT:
		ct_maps_record_seen();
		if (need_where || save_path)
			ct_maps_exit(r->tgid);
		break;
	case CT_LINE_RECORD:
		ct_maps_record_seen();
		break;
	}
	if (cmd.argv && !ct_command_pass(&cmd, t, r))
		return;
	if (have_pid && r->tgid != opt_tgid)
		return;
	if (have_comm && (r->comm_len != opt_comm_len ||
			  memcmp(r->comm, opt_comm, opt_comm_len)))
		return;
	if ((forks_opt && ct_forks_add(&forks, t, r)) ||
	    (svg_path && ct_svg_add(&svg, t, r)))
		fatal(1, "out of memory");
	if (t != CT_LINE_RECORD) {	/* fork, exit: text stays the module's file */
		if (mode == OUT_TEXT)
			olen += ct_format_event(t, r, out_room(CT_OUT_MAX), CT_OUT_MAX);
		if (save_path) {
			char o[CT_OUT_MAX];
			size_t n = ct_format_event(t, r, o, sizeof(o));

			ct_save_line(o, n && o[n - 1] == '\n' ? n - 1 : n);
		}
		return;
	}
	if ((summary && ct_summary_add(&sum, r)) ||
	    (metrics_path && ct_metrics_add(&metrics, r)))
		fatal(1, "out of memory");
	ct_save_record(r);
	if (need_where) {
		ct_where(r, &where);
		ct_where_count(&where);
	}
	if ((by.nkeys && ct_by_add(&by, r, &where)) ||
	    (mode == OUT_FOLDED && ct_folded_add(&folded, r, &where)) ||
	    (svg_path && ct_svg_flame_where(&svg, r, &where)))
		fatal(1, "out of memory");
	emit_record(r);
	if (max_count && ++printed >= max_count)
		done = true;
}

static void line(const char *l, size_t len)
{
	struct ct_rec r;

	handle(ct_parse_line(&layout, l, len, &r), &r, l, len);
}

/* A binary item; a bad one described in a line of text, to report. */
static void item(const char *p)
{
	struct cowtrace_record rec;
	enum ct_line t;
	struct ct_rec r;
	char l[128];
	int len = 0;

	t = ct_raw_item(p, &r);
	if (t == CT_LINE_BAD) {
		memcpy(&rec, p, sizeof(rec));
		len = snprintf(l, sizeof(l), "type %llu kind %u map %u result %u shift %u",
			       (unsigned long long)rec.stamp, rec.kind, rec.map,
			       rec.result, rec.shift);
	}
	handle(t, &r, l, len);
}

/*
 * The part of a line or item that a read() cut off, until the rest comes,
 * or the binary header until it is whole.
 */
static char part[CT_RAW_HEADER_MAX];
static size_t plen, head_need = sizeof(struct cowtrace_raw_header);
static bool overlong;
static char sniff[sizeof(__u32)];
static size_t slen;

static void feed_text(const char *buf, size_t n)
{
	const char *p = buf, *end = buf + n;

	while (p < end && !done && !stop) {
		const char *nl = memchr(p, '\n', end - p);
		size_t len = (nl ? nl : end) - p;

		if (!plen && !overlong && nl) {
			line(p, len);	/* whole in @buf: no copy */
		} else if (plen + len > CT_LINE_MAX + 1) {
			overlong = true;
		} else {
			memcpy(part + plen, p, len);
			plen += len;
		}
		if (!nl)
			return;		/* the rest comes with the next read() */
		if (plen || overlong) {
			/* A line cut by read()s; too long, it is malformed. */
			line(part, overlong ? CT_LINE_MAX + 1 : plen);
			plen = 0;
			overlong = false;
		}
		p = nl + 1;
	}
}

/* The header in part[] is whole: check it, then the items follow. */
static void raw_header(void)
{
	char why[256];
	long need;

	need = ct_raw_header(part, plen, &raw, why, sizeof(why));
	if (need < 0)
		fatal(1, "%s: %s%s", path, why, strcmp(path, RAW_PATH) ? "" :
		      " (the text file can still be read: cowtrace --file " PROC_PATH ")");
	if (need > 0) {
		head_need = need;
		return;
	}
	in_fmt = FMT_RAW;
	plen = 0;
	missed = raw.missed;
	if (mode == OUT_TEXT)
		output(text_columns(), strlen(text_columns()));
}

/*
 * Move bytes from *@p (*@n of them) to @dst, which holds *@have, until it
 * holds @want. Return: true when it does.
 */
static bool fill(char *dst, size_t *have, size_t want, const char **p,
		 size_t *n)
{
	size_t k = want - *have < *n ? want - *have : *n;

	memcpy(dst + *have, *p, k);
	*have += k;
	*p += k;
	*n -= k;
	return *have == want;
}

static void feed_raw(const char *p, size_t n)
{
	while (n && !done && !stop) {
		size_t need = in_fmt == FMT_RAW ? raw.record_size : head_need;

		if (!plen && in_fmt == FMT_RAW && n >= need) {
			/* Whole in the read buffer: no copy, one after another. */
			do {
				item(p);
				p += need;
				n -= need;
			} while (n >= need && !done && !stop);
			continue;
		}
		if (!fill(part, &plen, need, &p, &n))
			return;		/* the rest comes with the next read() */
		if (in_fmt == FMT_RAW) {
			item(part);
			plen = 0;
		} else {
			raw_header();
		}
	}
}

/* The first bytes of a --file are in sniff[]: binary or text. */
static void sniffed(void)
{
	__u32 magic = 0;

	if (slen == sizeof(magic))
		memcpy(&magic, sniff, sizeof(magic));
	if (magic == COWTRACE_RAW_MAGIC) {
		in_fmt = FMT_RAW_HEAD;
		feed_raw(sniff, slen);
	} else {
		in_fmt = FMT_TEXT;
		feed_text(sniff, slen);
	}
}

static void feed(const char *buf, size_t n)
{
	if (in_fmt == FMT_SNIFF) {
		if (!fill(sniff, &slen, sizeof(sniff), &buf, &n))
			return;
		sniffed();
	}
	if (in_fmt == FMT_TEXT)
		feed_text(buf, n);
	else
		feed_raw(buf, n);
}

/* The input ended: what a last read() left without its end. */
static void feed_end(void)
{
	char l[64];

	if (in_fmt == FMT_SNIFF)
		sniffed();
	if (in_fmt == FMT_TEXT && (plen || overlong))
		line(part, overlong ? CT_LINE_MAX + 1 : plen);	/* no final newline */
	if (in_fmt == FMT_RAW_HEAD)
		fatal(1, "%s: the file ends inside its header (%zu of %zu bytes)",
		      path, plen, head_need);
	if (in_fmt == FMT_RAW && plen)
		bad_line("a truncated item at the end", l,
			 snprintf(l, sizeof(l), "%zu of %zu bytes", plen,
				  raw.record_size));
	plen = 0;
}

static double parse_secs(const char *opt, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno == ERANGE && v > 1)
		errno = 0;	/* too large: the most there is, below */
	if (errno || *end || end == arg || !(v > 0))
		fatal(1, "%s wants a number of seconds greater than 0, not '%s'", opt, arg);
	/* Past 31 years is forever; and seconds * 1e9 stays in an int64_t. */
	return v > MAX_SECS ? MAX_SECS : v;
}

static void parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "comm", required_argument, NULL, 'c' },
		{ "count", required_argument, NULL, 'n' },
		{ "time", required_argument, NULL, 't' },
		{ "no-follow", no_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "summary", no_argument, NULL, 's' },
		{ "annotate", no_argument, NULL, 'a' },
		{ "by", required_argument, NULL, 'B' },
		{ "write", required_argument, NULL, 'w' },
		{ "metrics", required_argument, NULL, 'M' },
		{ "metrics-interval", required_argument, NULL, 'I' },
		{ "metrics-comms", required_argument, NULL, 'C' },
		{ "max-rows", required_argument, NULL, 'R' },
		{ "file", required_argument, NULL, 'f' },
		{ "forks", no_argument, NULL, 'K' },
		{ "svg", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "p:c:n:t:o:sahw:", opts, NULL)) != -1) {
		errno = 0;
		switch (c) {
		case 'p': {
			unsigned long v = strtoul(optarg, &end, 10);

			if (errno || *end || !*optarg || optarg[0] == '-' ||
			    v == 0 || v > UINT32_MAX)
				fatal(1, "-p wants a process id (a positive number), not '%s'", optarg);
			opt_tgid = (uint32_t)v;
			have_pid = true;
			break;
		}
		case 'c':
			opt_comm_len = strlen(optarg);
			if (opt_comm_len > CT_COMM_MAX)
				fatal(1, "-c: a comm is at most %d bytes, '%s' is longer",
				      CT_COMM_MAX, optarg);
			memcpy(opt_comm, optarg, opt_comm_len + 1);
			have_comm = true;
			break;
		case 'n':
			max_count = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-' || !max_count)
				fatal(1, "-n wants a count of records (a positive number), not '%s'", optarg);
			break;
		case 't':
			max_secs = parse_secs("-t", optarg);
			break;
		case 'F':
			follow = false;
			break;
		case 'o':
			mode_set = true;
			if (!strcmp(optarg, "text"))
				mode = OUT_TEXT;
			else if (!strcmp(optarg, "json"))
				mode = OUT_JSON;
			else if (!strcmp(optarg, "csv"))
				mode = OUT_CSV;
			else if (!strcmp(optarg, "folded"))
				mode = OUT_FOLDED;
			else
				fatal(1, "-o wants text, json, csv or folded, not '%s'", optarg);
			break;
		case 's':
			summary = true;
			break;
		case 'a':
			annotate = true;
			break;
		case 'B':
			if (ct_by_parse(&by, optarg))
				fatal(1, "--by wants keys separated by commas, each once, of process, "
				      "comm, function, object, region, kind, map, result; not '%s'", optarg);
			break;
		case 'w':
			if (!*optarg)
				fatal(1, "-w wants a file name");
			save_path = optarg;
			break;
		case 'M':
			if (!*optarg)
				fatal(1, "--metrics wants a file name");
			metrics_path = optarg;
			break;
		case 'I':
			metrics_secs = parse_secs("--metrics-interval", optarg);
			break;
		case 'C': {
			unsigned long v = strtoul(optarg, &end, 10);

			if (errno || *end || !*optarg || optarg[0] == '-' || v > 100000)
				fatal(1, "--metrics-comms wants a number from 0 to 100000, not '%s'", optarg);
			metrics.max_comms = v;
			break;
		}
		case 'R': {
			unsigned long v = strtoul(optarg, &end, 10);

			if (errno || *end || !*optarg || optarg[0] == '-' || !v || v > CT_ROWS_MAX)
				fatal(1, "--max-rows wants a number from 1 to %d, not '%s'",
				      CT_ROWS_MAX, optarg);
			sum.t.max = v;
			break;
		}
		case 'f':
			path = optarg;
			break;
		case 'K':
			forks_opt = true;
			break;
		case 'G':
			svg_path = optarg;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		case 'V':
			printf("cowtrace %s\n", COWTRACE_VERSION);
			exit(0);
		default:
			usage(stderr, 1);
		}
	}
	need_where = annotate || mode == OUT_FOLDED || ct_by_needs_where(&by) || svg_path;
	if (optind < argc && !strcmp(argv[optind - 1], "--")) {
		cmd.argv = argv + optind;
		if (!follow)
			fatal(1, "--no-follow and -- COMMAND: the command's records come while it runs");
		if (!mode_set)	/* what the options ask; -s when they ask nothing */
			mode = OUT_NONE;
		summary |= !mode_set && !forks_opt && !svg_path && !metrics_path;
	} else if (optind < argc) {
		fprintf(stderr, "cowtrace: unexpected argument '%s'\n", argv[optind]);
		usage(stderr, 1);
	}
}

static void setup_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;	/* no SA_RESTART: a blocking open() returns */
	sa.sa_flags = SA_SIGINFO;	/* who sent it: see ct_command_signal() */
	sigemptyset(&stop_sigs);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaddset(&stop_sigs, sigs[i]);
		sigaction(sigs[i], &sa, NULL);
	}
	/* A mask inherited from the parent must not keep them out. */
	sigprocmask(SIG_UNBLOCK, &stop_sigs, NULL);
	/* A closed output ends the reader through EPIPE, not a kill: -s and
	 * --metrics still get written at exit. */
	signal(SIGPIPE, SIG_IGN);
}

/*
 * Open @path, or by default RAW_PATH, and PROC_PATH where an older module
 * has no RAW_PATH.
 * Return: the fd; -1 only when a stop signal interrupted the open of a FIFO.
 */
static int open_input(enum input *in)
{
	struct statfs sfs;
	struct stat st;
	int fd;

	if (path) {
		in_fmt = FMT_SNIFF;
		fd = open(path, O_RDONLY | O_CLOEXEC);
	} else {
		path = RAW_PATH;
		in_fmt = FMT_RAW_HEAD;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT) {
			path = PROC_PATH;
			in_fmt = FMT_TEXT;
			fd = open(path, O_RDONLY | O_CLOEXEC);
		}
	}
	if (fd < 0 && errno == EINTR && stop)
		return -1;
	if (fd < 0 && errno == ENOENT &&
	    (!strcmp(path, PROC_PATH) || !strcmp(path, RAW_PATH)))
		fatal(1, "%s does not exist: load the module first "
		      "(sudo insmod module/cowtrace.ko, or sudo modprobe cowtrace)", path);
	if (fd < 0 && errno == EACCES)
		fatal(1, "%s: permission denied: it is readable by root only; "
		      "run cowtrace as root (sudo cowtrace)", path);
	/* The module's own check: perf's rule, which root in a container fails. */
	if (fd < 0 && errno == EPERM)
		fatal(1, "%s: operation not permitted: reading the trace needs "
		      "CAP_PERFMON or CAP_SYS_ADMIN in the initial user namespace "
		      "(root outside any container)", path);
	if (fd < 0)
		fatal(1, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st))
		fatal(1, "%s: %s", path, strerror(errno));
	if (!fstatfs(fd, &sfs) && sfs.f_type == PROC_SUPER_MAGIC)
		*in = IN_PROC;
	else if (S_ISREG(st.st_mode))
		*in = IN_FILE;
	else
		*in = IN_PIPE;
	/* A pipe with no data must not block read(): ppoll() waits instead. */
	if (*in == IN_PIPE)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

/* What read() fills; the first read of /proc/cowtrace_raw holds its header. */
static char inbuf[1 << 18];

/*
 * The module's missed counter now: a follower's own header is as old as
 * its open(), so look at the header of a fresh open, and read no more.
 */
static void refresh_missed(void)
{
	int fd;

	if (in_fmt != FMT_TEXT && in_fmt != FMT_RAW)
		return;		/* its own header not read yet: its size unknown */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return;
	ct_metrics_missed(fd, in_fmt == FMT_TEXT ? 0 : raw.header_size, inbuf,
			  in_fmt == FMT_TEXT ? 4096 : sizeof(inbuf), &missed);
	close(fd);
}

/* Write the --metrics file; say so when that fails, once per reason. */
static int save_metrics(void)
{
	if (!ct_metrics_save(&metrics, lost, missed, metrics_path)) {
		metrics_errno = 0;
		return 0;
	}
	if (errno != metrics_errno) {
		metrics_errno = errno;
		fprintf(stderr, "cowtrace: cannot write the metrics file %s: %s%s\n",
			metrics_path, strerror(metrics_errno),
			metrics_errno == ENOENT || metrics_errno == EACCES ?
			" (does its directory exist, and may cowtrace write there?)" : "");
	}
	return -1;
}

/*
 * Read and print until the input ends, -n or -t is reached, a stop
 * signal comes or the output fails. The deadline is checked after every
 * read(), so a stream that never pauses cannot hold the reader past it.
 * Caught up, it writes what it has and sleeps in ppoll(): the module
 * batches its wake-ups, so one wake-up brings many records.
 * Return: 0, or the errno of a failed read() (EIO: the module went away).
 */
static int run(int fd, enum input in, int64_t deadline)
{
	int64_t tick = metrics_path && follow ?
		       now_ns() + (int64_t)(metrics_secs * NSEC) : -1;
	bool hup = false;

	for (;;) {
		int64_t now = now_ns(), ns;
		ssize_t n;

		if (stop || done || out_errno || (deadline >= 0 && now >= deadline))
			return 0;
		if (tick >= 0 && now >= tick) {
			if (in != IN_PIPE)
				refresh_missed();
			save_metrics();
			tick = now + (int64_t)(metrics_secs * NSEC);
		}
		n = read(fd, inbuf, sizeof(inbuf));
		if (n > 0) {
			feed(inbuf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return errno;
		if (n == 0 && (!follow || in == IN_PIPE)) {
			feed_end();
			return 0;
		}
		/* The module hung up, and had nothing more: it went away. */
		if (n == 0 && hup)
			return ENODEV;
		if (cmd.argv && ct_command_caught_up(&cmd)) {
			feed_end();
			return 0;
		}
		/* Caught up: sleep until there is more, the deadline or the tick. */
		flush_output();
		ns = earlier(until(deadline, now), until(tick, now));
		ns = cmd.argv ? earlier(ns, CT_CMD_TICK_NS) : ns;
		if (in == IN_FILE)
			wait_for(-1, earlier(FILE_POLL_NS, ns));
		else
			hup = wait_for(fd, ns) & (POLLERR | POLLHUP);
	}
}

int main(int argc, char **argv)
{
	int64_t deadline;
	enum input in = IN_FILE;
	int fd, err = 0, status = 0;
	FILE *tables;	/* -s, --by, --forks: after text, beside other output */

	parse_args(argc, argv);
	ct_layout_init(&layout);
	setup_signals();
	deadline = max_secs > 0 ? now_ns() + (int64_t)(max_secs * NSEC) : -1;

	fd = open_input(&in);
	if (cmd.argv && fd >= 0 && (err = ct_command_start(&cmd)))
		fatal(127, "cannot run %s: %s", cmd.argv[0], strerror(err));
	/* At once: a path that cannot be written fails now, not in 5 s. */
	if (metrics_path && fd >= 0 && save_metrics())
		exit(1);
	if (save_path && ct_save_open(save_path))
		fatal(1, "cannot write %s: %s", save_path, strerror(errno));
	if (mode == OUT_CSV)
		output(annotate ? ct_csv_header_where : ct_csv_header,
		       strlen(annotate ? ct_csv_header_where : ct_csv_header));
	if (fd >= 0) {
		err = run(fd, in, deadline);
		close(fd);
	}
	flush_output();
	/* The table through stdio, after the records: written once, at exit. */
	tables = mode == OUT_TEXT || mode == OUT_NONE ? stdout : stderr;
	if (summary)
		ct_summary_print(&sum, lost, tables);
	if (by.nkeys)
		ct_by_print(&by, lost, tables);
	if (forks_opt)
		ct_forks_print(&forks, tables);
	if (mode == OUT_FOLDED)
		ct_folded_print(&folded, stdout);
	if (need_where)
		ct_where_report(stderr);
	if (save_path && ct_save_close()) {
		fprintf(stderr, "cowtrace: writing %s: %s\n", save_path, strerror(errno));
		status = 1;
	}
	if (svg_path && ct_svg_write(&svg, svg_path)) {
		fprintf(stderr, "cowtrace: cannot write %s: %s\n", svg_path, strerror(errno));
		status = 1;
	}
	if (metrics_path && save_metrics())
		status = 1;
	if (fclose(stdout) && !out_errno)
		out_errno = errno ? errno : EIO;
	if (bad_lines > 1)
		fprintf(stderr, "cowtrace: %llu malformed %s skipped\n", bad_lines,
			in_fmt == FMT_TEXT ? "lines" : "items");
	/* A closed pipe (cowtrace | head) is a normal end, as for tail -f. */
	if (out_errno && out_errno != EPIPE) {
		fprintf(stderr, "cowtrace: writing the output: %s%s\n", strerror(out_errno),
			out_errno == ENOSPC ? " (make room, or write elsewhere)" : "");
		status = 1;
	}
	if (err == EIO || err == ENODEV) {
		fprintf(stderr, "cowtrace: %s went away: the cowtrace module was unloaded\n", path);
		status = 2;
	} else if (err) {
		fprintf(stderr, "cowtrace: reading %s: %s\n", path, strerror(err));
		status = 1;
	}
	if (cmd.argv && !status)
		status = ct_command_exit_status(&cmd);
	ct_summary_free(&sum);
	ct_forks_free(&forks);
	ct_svg_free(&svg);
	ct_command_free(&cmd);
	ct_metrics_free(&metrics);
	ct_by_free(&by);
	ct_folded_free(&folded);
	ct_symbols_free();
	ct_maps_free();
	return status;
}
