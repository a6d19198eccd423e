// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace: follow /proc/cowtrace like tail -f, filter and format the
 * copy-on-write records the cowtrace module takes. This file is the
 * command line and the I/O loop; parse.c reads the lines, format.c writes
 * JSON and CSV, summary.c the -s table, metrics.c the --metrics file.
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
#include "format.h"
#include "metrics.h"
#include "parse.h"
#include "summary.h"

#define PROC_PATH	"/proc/cowtrace"
#define NSEC		1000000000LL
#define MAX_SECS	1e9		/* longer times are this: 31 years */
#define BATCH_NS	(20 * 1000000LL)	/* after a wake-up, let more arrive */
#define FILE_POLL_NS	(200 * 1000000LL)	/* a regular file: look again */

enum out_mode { OUT_TEXT, OUT_JSON, OUT_CSV };

/*
 * What the input is decides what the end of it means: /proc/cowtrace
 * says "caught up" (poll for more), a regular file may grow (look again
 * later, as tail -f does), a pipe's writer has closed it (the end).
 */
enum input { IN_PROC, IN_FILE, IN_PIPE };

/* The command line */
static const char *path = PROC_PATH;
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

/* The state of the run */
static volatile sig_atomic_t stop;	/* SIGINT, SIGTERM, SIGHUP */
static sigset_t stop_sigs;
static bool done;			/* -n reached */
static int out_errno;			/* writing stdout failed */
static struct ct_layout layout;
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
"                [-o text|json|csv] [-s] [--metrics PATH] [--file PATH]\n"
"                [-h] [--version]\n"
"Follow " PROC_PATH " (the cowtrace module) like tail -f.\n"
"  -p, --pid PID        only records of this process (TGID)\n"
"  -c, --comm COMM      only records whose comm is exactly COMM\n"
"  -n, --count COUNT    stop after COUNT records\n"
"  -t, --time SECONDS   stop after SECONDS (a decimal number)\n"
"      --no-follow      print what is held and exit\n"
"  -o, --output FORMAT  text (the module's lines, the default),\n"
"                       json (one object per line) or csv\n"
"  -s, --summary        at exit, per process: a count per RESULT and the\n"
"                       bytes copied, largest first, then the lost count\n"
"      --metrics PATH   keep a Prometheus textfile-collector file at PATH:\n"
"                       records and bytes per comm and RESULT, lost, missed\n"
"      --metrics-interval SECONDS\n"
"                       rewrite it this often while following (5)\n"
"      --metrics-comms N\n"
"                       comms with a label of their own (64), the rest\n"
"                       count as comm=\"other\"\n"
"      --file PATH      read PATH instead of " PROC_PATH "\n"
"  -h, --help           this help\n"
"      --version        the version\n"
"SIGINT, SIGTERM and SIGHUP end it (status 0). Status 1: usage, cannot open,\n"
"cannot write; 2: the module went away.\n");
	exit(status);
}

static void on_signal(int sig)
{
	(void)sig;
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
 * Return: > 0 when @fd is readable.
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
	return r;
}

static void output(const char *s, size_t n)
{
	fwrite(s, 1, n, stdout);
}

/* stdio may have failed in any fwrite: the error shows at the flush. */
static void flush_output(void)
{
	if ((fflush(stdout) == EOF || ferror(stdout)) && !out_errno)
		out_errno = errno ? errno : EIO;
}

static void emit_record(const struct ct_rec *r, const char *l, size_t len)
{
	char buf[CT_OUT_MAX];

	switch (mode) {
	case OUT_TEXT:
		output(l, len);
		output("\n", 1);
		break;
	case OUT_JSON:
		output(buf, ct_format_json(r, buf, sizeof(buf)));
		break;
	case OUT_CSV:
		output(buf, ct_format_csv(r, buf, sizeof(buf)));
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
		ct_header_u64(l, len, "missed", &missed);
		return;
	case CT_LINE_COLUMNS:
		/* Text output stays a file that names its columns. */
		if (mode == OUT_TEXT) {
			output(l, len);
			output("\n", 1);
		}
		return;
	case CT_LINE_LOST:
		lost += r.lost;
		if (mode == OUT_TEXT) {
			output(l, len);
			output("\n", 1);
		} else {
			fprintf(stderr, "%.*s\n", (int)len, l);
		}
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
	if ((summary && ct_summary_add(&sum, &r)) ||
	    (metrics_path && ct_metrics_add(&metrics, &r)))
		fatal(1, "out of memory");
	emit_record(&r, l, len);
	if (max_count && ++printed >= max_count)
		done = true;
}

/* The part of a line that a read() cut off, until its newline comes. */
static char part[CT_LINE_MAX + 1];
static size_t plen;
static bool overlong;

static void feed(const char *buf, size_t n)
{
	const char *p = buf, *end = buf + n;

	while (p < end && !done && !stop) {
		const char *nl = memchr(p, '\n', end - p);
		size_t len = (nl ? nl : end) - p;

		if (!plen && !overlong && nl) {
			line(p, len);	/* whole in @buf: no copy */
		} else if (plen + len > sizeof(part)) {
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
		{ "metrics", required_argument, NULL, 'M' },
		{ "metrics-interval", required_argument, NULL, 'I' },
		{ "metrics-comms", required_argument, NULL, 'C' },
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
			summary = true;
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

static void setup_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: a blocking open() returns */
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

/* Open @path; -1 only when a stop signal interrupted the open of a FIFO. */
static int open_input(enum input *in)
{
	struct statfs sfs;
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == EINTR && stop)
		return -1;
	if (fd < 0 && errno == ENOENT && !strcmp(path, PROC_PATH))
		fatal(1, "%s does not exist: load the module first "
		      "(sudo insmod module/cowtrace.ko, or sudo modprobe cowtrace)", path);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		fatal(1, "%s: permission denied: it is readable by root only; "
		      "run cowtrace as root (sudo cowtrace)", path);
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

/*
 * The module's missed= counter now: a follower's own header is as old as
 * its open(), so look at the header of a fresh open (the first read of
 * one holds it all: missed= is on the fourth line).
 */
static void refresh_missed(void)
{
	char b[4096];
	const char *p = b, *end;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return;
	n = read(fd, b, sizeof(b));
	close(fd);
	for (end = b + (n > 0 ? n : 0); p < end && *p == '#';) {
		const char *nl = memchr(p, '\n', end - p);

		if (!nl || !ct_header_u64(p, nl - p, "missed", &missed))
			break;
		p = nl + 1;
	}
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
 * Return: 0, or the errno of a failed read() (EIO: the module went away).
 */
static int run(int fd, enum input in, int64_t deadline)
{
	int64_t tick = metrics_path && follow ?
		       now_ns() + (int64_t)(metrics_secs * NSEC) : -1;
	static char buf[1 << 16];

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
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			feed(buf, (size_t)n);
			flush_output();
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return errno;
		if (n == 0 && (!follow || in == IN_PIPE)) {
			if (plen || overlong)
				line(part, overlong ? CT_LINE_MAX + 1 : plen);	/* no final newline */
			flush_output();
			return 0;
		}
		/* Caught up: sleep until there is more, the deadline or the tick. */
		ns = earlier(until(deadline, now), until(tick, now));
		if (in == IN_FILE) {
			wait_for(-1, earlier(FILE_POLL_NS, ns));
		} else if (wait_for(fd, ns) > 0) {
			/*
			 * Woken by the first new record: let a few more arrive,
			 * so a busy trace costs one wake-up per batch, not one
			 * per record. A signal or the deadline cuts this short.
			 */
			wait_for(-1, earlier(BATCH_NS, until(deadline, now_ns())));
		}
	}
}

int main(int argc, char **argv)
{
	int64_t deadline;
	enum input in = IN_FILE;
	int fd, err = 0, status = 0;

	parse_args(argc, argv);
	ct_layout_init(&layout);
	setup_signals();
	deadline = max_secs > 0 ? now_ns() + (int64_t)(max_secs * NSEC) : -1;
	/* Flushed after each read(): full buffering costs no latency. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);

	fd = open_input(&in);
	/* At once: a path that cannot be written fails now, not in 5 s. */
	if (metrics_path && fd >= 0 && save_metrics())
		exit(1);
	if (mode == OUT_CSV)
		output(ct_csv_header, strlen(ct_csv_header));
	if (fd >= 0) {
		err = run(fd, in, deadline);
		close(fd);
	}
	if (summary)
		ct_summary_print(&sum, lost, mode == OUT_TEXT ? stdout : stderr);
	if (metrics_path && save_metrics())
		status = 1;
	flush_output();
	if (fclose(stdout) && !out_errno)
		out_errno = errno ? errno : EIO;
	if (bad_lines > 1)
		fprintf(stderr, "cowtrace: %llu malformed lines skipped\n", bad_lines);
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
	ct_summary_free(&sum);
	ct_metrics_free(&metrics);
	return status;
}
