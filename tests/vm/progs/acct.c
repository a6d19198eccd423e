// SPDX-License-Identifier: GPL-2.0
/*
 * acct: exact accounting of /proc/cowtrace. Open it, follow it (poll) until
 * STOPFILE exists, drain it, then open it again for the header counters.
 * Every line must parse, each CPU's records and process events (the
 * "# fork" and "# exit" lines) must be in time order, and
 *   items read + lost reported = held at open + taken since open.
 *
 * acct STOPFILE [DELAY_US]
 * DELAY_US: sleep this long after each read(), to fall behind on purpose.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAXCPU 64

static unsigned long long nread, nlost, nbad, norder, taken0, held0;
static unsigned long long last_ts[MAXCPU];
static int header_done;
static long delay_us;

/* The time order of one CPU's items. */
static void order(unsigned int cpu, unsigned long long sec, const char *frac)
{
	unsigned long long ts = sec * 1000000000ULL + strtoull(frac, NULL, 10);

	if (ts < last_ts[cpu])
		norder++;
	last_ts[cpu] = ts;
}

/* "# fork TS CPU PID TGID CHILD COMM" or "# exit TS CPU TGID COMM" */
static int parse_event(const char *l)
{
	unsigned int cpu, pid, tgid, child;
	unsigned long long sec;
	char comm[80], frac[16];
	int n = 0;

	if (!strncmp(l, "# fork ", 7)) {
		if (sscanf(l + 7, "%llu.%15[0-9] %u %u %u %u %79s%n", &sec, frac,
			   &cpu, &pid, &tgid, &child, comm, &n) != 7)
			return -1;
	} else if (sscanf(l + 7, "%llu.%15[0-9] %u %u %79s%n", &sec, frac,
			  &cpu, &tgid, comm, &n) != 5) {
		return -1;
	}
	if (l[7 + n] != '\0' || strlen(frac) != 9 || cpu >= MAXCPU)
		return -1;
	order(cpu, sec, frac);
	return 0;
}

static int parse_record(const char *l)
{
	unsigned long long sec, addr, size, ip;
	unsigned int cpu, pid, tgid;
	char kind[16], map[16], result[16], comm[80], frac[16];
	int n = 0;

	if (sscanf(l, "%llu.%15[0-9] %u %u %u 0x%llx %llu %15s %15s %15s 0x%llx %79s%n",
		   &sec, frac, &cpu, &pid, &tgid, &addr, &size, kind, map, result,
		   &ip, comm, &n) != 12 ||
	    l[n] != '\0' || strlen(frac) != 9 || cpu >= MAXCPU)
		return -1;
	if (strcmp(kind, "write") && strcmp(kind, "unshare") && strcmp(kind, "first"))
		return -1;
	if (strcmp(map, "anon") && strcmp(map, "file") && strcmp(map, "shared"))
		return -1;
	if (strcmp(result, "copy") && strcmp(result, "zero") &&
	    strcmp(result, "reuse") && strcmp(result, "notify") &&
	    strcmp(result, "split") && strcmp(result, "fail"))
		return -1;
	if (!size || (size & (size - 1)))
		return -1;
	order(cpu, sec, frac);
	return 0;
}

static void line(const char *l)
{
	unsigned long long n;
	unsigned int cpu;

	if (l[0] == '#') {
		if (sscanf(l, "# lost %llu events on cpu %u", &n, &cpu) == 2) {
			nlost += n;
			return;
		}
		if (header_done && (!strncmp(l, "# fork ", 7) ||
				    !strncmp(l, "# exit ", 7))) {
			if (!parse_event(l))
				nread++;
			else if (nbad++ < 5)
				fprintf(stderr, "acct: bad line: %s\n", l);
			return;
		}
		if (header_done) {
			nbad++;
			fprintf(stderr, "acct: unexpected: %s\n", l);
			return;
		}
		sscanf(l, "# taken=%llu held=%llu", &taken0, &held0);
		/* The column line ends the header. */
		header_done = !strncmp(l, "# TIMESTAMP ", 12);
		return;
	}
	header_done = 1;
	if (parse_record(l)) {
		if (nbad++ < 5)
			fprintf(stderr, "acct: bad line: %s\n", l);
		return;
	}
	nread++;
}

/* Read what is there; return 0 at EOF, -1 on error. */
static int drain(int fd, char *part, size_t *plen)
{
	char buf[8192];
	ssize_t n, i;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (delay_us)
			usleep(delay_us);
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (*plen < 4095)
					part[(*plen)++] = buf[i];
				continue;
			}
			part[*plen] = '\0';
			line(part);
			*plen = 0;
		}
	}
	return n < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long long taken1 = 0, held1;
	char part[4096], l[256];
	size_t plen = 0;
	struct stat st;
	FILE *f;
	int fd, stop = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: acct STOPFILE [DELAY_US]\n");
		return 2;
	}
	if (argc > 2)
		delay_us = atol(argv[2]);
	fd = open("/proc/cowtrace", O_RDONLY);
	if (fd < 0) {
		perror("/proc/cowtrace");
		return 1;
	}
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (drain(fd, part, &plen)) {
			perror("read");
			return 1;
		}
		if (stop)
			break;
		if (!stat(argv[1], &st))
			stop = 1;	/* one more drain after the load ended */
		else
			poll(&p, 1, 1000);
	}
	close(fd);
	f = fopen("/proc/cowtrace", "r");
	while (f && fgets(l, sizeof(l), f) && l[0] == '#')
		if (sscanf(l, "# taken=%llu held=%llu", &taken1, &held1) == 2)
			break;
	if (f)
		fclose(f);
	printf("acct read=%llu lost=%llu held0=%llu taken0=%llu taken1=%llu bad=%llu order=%llu\n",
	       nread, nlost, held0, taken0, taken1, nbad, norder);
	return (nread + nlost == held0 + taken1 - taken0 && !nbad && !norder &&
		plen == 0) ? 0 : 1;
}
