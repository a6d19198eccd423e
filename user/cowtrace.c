// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace: follow /proc/cowtrace like tail -f, filter and format the
 * copy-on-write records the cowtrace module takes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../module/version.h"
#include "format.h"
#include "parse.h"
#include "summary.h"

#define PROC_PATH "/proc/cowtrace"
#define BATCH_US 20000	/* after a wake-up, wait this long for more records */

enum out_mode { OUT_TEXT, OUT_JSON, OUT_CSV };

static const char *path = PROC_PATH;
static enum out_mode mode = OUT_TEXT;
static int follow = 1, summary, have_pid;
static uint32_t opt_tgid;
static char opt_comm[CT_COMM_MAX + 2];
static size_t opt_comm_len;
static int have_comm;
static unsigned long long max_count;	/* 0: no limit */
static double max_secs = -1;
static volatile sig_atomic_t stop;

static struct ct_layout layout;
static struct ct_summary sum;
static unsigned long long printed, bad_lines;
static uint64_t lost;

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
"                [-o text|json|csv] [-s] [--file PATH] [-h] [--version]\n"
"Follow " PROC_PATH " (the cowtrace module) like tail -f.\n"
"  -p, --pid PID        only records of this process (TGID)\n"
"  -c, --comm COMM      only records whose comm is exactly COMM\n"
"  -n, --count COUNT    stop after COUNT records\n"
"  -t, --time SECONDS   stop after SECONDS\n"
"      --no-follow      print what is held and exit\n"
"  -o, --output FORMAT  text (default), json (one object per line) or csv\n"
"  -s, --summary        at exit, records per process, largest first\n"
"      --file PATH      read PATH instead of " PROC_PATH "\n"
"  -h, --help           this help\n"
"      --version        the version\n");
	exit(status);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* stdout went away (cowtrace | head): end quietly. */
static void check_stdout(void)
{
	if (ferror(stdout)) {
		if (errno == EPIPE)
			exit(0);
		fatal(1, "writing the output: %s", strerror(errno));
	}
}

/* One record, filtered: the module's own line in text mode. */
static void emit_record(const struct ct_rec *r, const char *l, size_t len)
{
	char buf[CT_OUT_MAX];

	switch (mode) {
	case OUT_TEXT:
		fwrite(l, 1, len, stdout);
		putchar('\n');
		break;
	case OUT_JSON:
		fwrite(buf, 1, ct_format_json(r, buf, sizeof(buf)), stdout);
		break;
	case OUT_CSV:
		fwrite(buf, 1, ct_format_csv(r, buf, sizeof(buf)), stdout);
		break;
	}
}

static void bad_line(const char *why, const char *l, size_t len)
{
	if (!bad_lines++)
		fprintf(stderr, "cowtrace: skipping %s: %.*s\n", why,
			(int)(len > 120 ? 120 : len), l);
}

static void line(const char *l, size_t len)
{
	struct ct_rec r;

	switch (ct_parse_line(&layout, l, len, &r)) {
	case CT_LINE_HEADER:
		return;
	case CT_LINE_COLUMNS:
		/* Text output stays a file that names its columns. */
		if (mode == OUT_TEXT) {
			fwrite(l, 1, len, stdout);
			putchar('\n');
		}
		return;
	case CT_LINE_LOST:
		lost += r.lost;
		fprintf(mode == OUT_TEXT ? stdout : stderr, "%.*s\n", (int)len, l);
		return;
	case CT_LINE_BAD_COLUMNS:
		bad_line("a column line that lacks a column this reader needs", l, len);
		return;
	case CT_LINE_BAD:
		bad_line("a malformed line", l, len);
		return;
	case CT_LINE_RECORD:
		break;
	}
	if (have_pid && r.tgid != opt_tgid)
		return;
	if (have_comm && (r.comm_len != opt_comm_len ||
			  memcmp(r.comm, opt_comm, opt_comm_len)))
		return;
	if (summary && ct_summary_add(&sum, &r))
		fatal(1, "out of memory");
	emit_record(&r, l, len);
	printed++;
	if (max_count && printed >= max_count)
		stop = 1;
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
		{ "file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "p:c:n:t:o:sh", opts, NULL)) != -1) {
		errno = 0;
		switch (c) {
		case 'p': {
			unsigned long v = strtoul(optarg, &end, 10);

			if (errno || *end || !*optarg || optarg[0] == '-' ||
			    v == 0 || v > UINT32_MAX)
				fatal(1, "-p wants a process id (a positive number), not '%s'", optarg);
			opt_tgid = (uint32_t)v;
			have_pid = 1;
			break;
		}
		case 'c':
			opt_comm_len = strlen(optarg);
			if (opt_comm_len > CT_COMM_MAX)
				fatal(1, "-c: a comm is at most %d bytes, '%s' is longer",
				      CT_COMM_MAX, optarg);
			memcpy(opt_comm, optarg, opt_comm_len + 1);
			have_comm = 1;
			break;
		case 'n':
			max_count = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-' || !max_count)
				fatal(1, "-n wants a count of records (a positive number), not '%s'", optarg);
			break;
		case 't':
			max_secs = strtod(optarg, &end);
			if (errno || *end || !*optarg || !(max_secs > 0) || max_secs > 1e9)
				fatal(1, "-t wants a number of seconds greater than 0, not '%s'", optarg);
			break;
		case 'F':
			follow = 0;
			break;
		case 'o':
			if (!strcmp(optarg, "text"))
				mode = OUT_TEXT;
			else if (!strcmp(optarg, "json"))
				mode = OUT_JSON;
			else if (!strcmp(optarg, "csv"))
				mode = OUT_CSV;
			else
				fatal(1, "-o wants text, json or csv, not '%s'", optarg);
			break;
		case 's':
			summary = 1;
			break;
		case 'f':
			path = optarg;
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
	if (optind < argc) {
		fprintf(stderr, "cowtrace: unexpected argument '%s'\n", argv[optind]);
		usage(stderr, 1);
	}
}

static int open_input(void)
{
	FILE *f = fopen(path, "r");
	int fd;

	if (f) {
		fd = dup(fileno(f));
		fclose(f);
		if (fd >= 0)
			return fd;
	}
	if (errno == ENOENT && !strcmp(path, PROC_PATH))
		fatal(1, "%s does not exist: load the module first "
		      "(sudo insmod module/cowtrace.ko, or sudo modprobe cowtrace)", path);
	if (errno == EACCES || errno == EPERM)
		fatal(1, "%s: permission denied: it is readable by root only; "
		      "run cowtrace as root (sudo cowtrace)", path);
	fatal(1, "cannot open %s: %s", path, strerror(errno));
	return -1;
}

int main(int argc, char **argv)
{
	static char buf[1 << 16], part[CT_LINE_MAX + 2];
	size_t plen = 0;
	int fd, regular, gone = 0, overlong = 0;
	double deadline;
	struct sigaction sa;
	struct stat st;

	parse_args(argc, argv);
	ct_layout_init(&layout);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll and read return */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	fd = open_input();
	regular = !fstat(fd, &st) && S_ISREG(st.st_mode) && strcmp(path, PROC_PATH) &&
		  strncmp(path, "/proc/", 6);
	deadline = max_secs > 0 ? now() + max_secs : 0;
	if (mode == OUT_CSV)
		fputs(ct_csv_header, stdout);

	while (!stop) {
		ssize_t n = read(fd, buf, sizeof(buf)), i;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EIO || errno == ENODEV) {
				gone = 1;
				break;
			}
			fatal(1, "reading %s: %s", path, strerror(errno));
		}
		for (i = 0; i < n && !stop; i++) {
			if (buf[i] != '\n') {
				if (plen <= CT_LINE_MAX)
					part[plen++] = buf[i];
				else
					overlong = 1;
				continue;
			}
			line(part, overlong ? CT_LINE_MAX + 1 : plen);
			plen = 0;
			overlong = 0;
		}
		fflush(stdout);
		check_stdout();
		if (n > 0 || stop)
			continue;
		/* Caught up. */
		if (!follow)
			break;
		if (deadline && now() >= deadline)
			break;
		if (regular) {
			/* A regular file always polls readable: look again later. */
			usleep(200000);
		} else {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			int ms = -1;

			if (deadline) {
				double left = deadline - now();

				ms = left <= 0 ? 0 : (int)(left * 1000) + 1;
			}
			int r = poll(&p, 1, ms);

			if (r == 0 && deadline)
				break;
			/*
			 * Woken by the first new record: let a few more
			 * arrive, so a busy trace costs one wake-up per
			 * batch, not one per record.
			 */
			if (r > 0 && !stop)
				usleep(BATCH_US);
		}
		if (access(path, F_OK) && errno == ENOENT) {
			gone = 1;
			break;
		}
	}
	if (plen && !stop && !gone)
		line(part, overlong ? CT_LINE_MAX + 1 : plen);	/* no final newline */
	if (summary)
		ct_summary_print(&sum, lost, mode == OUT_TEXT ? stdout : stderr);
	fflush(stdout);
	check_stdout();
	if (bad_lines > 1)
		fprintf(stderr, "cowtrace: %llu malformed lines skipped\n", bad_lines);
	if (gone) {
		fprintf(stderr, "cowtrace: %s went away: the cowtrace module was unloaded\n", path);
		return 2;
	}
	return 0;
}
