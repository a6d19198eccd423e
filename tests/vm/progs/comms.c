// SPDX-License-Identifier: GPL-2.0
/*
 * comms: one copy-on-write fault under each of 255 comms, one per byte
 * value 1..255 (and a 15-byte comm of high bytes), then read /proc/cowtrace
 * back and check each COMM field decodes to the comm that was set.
 * Expects the module loaded with filter="" and pid= this process
 * (it writes its own pid to /sys/module/cowtrace/parameters/pid).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define N 256

static char want[N][16];

static int decode(const char *s, char *out, size_t size)
{
	size_t n = 0;

	while (*s) {
		if (n + 1 >= size)
			return -1;
		if (*s == '\\') {
			if (s[1] < '0' || s[1] > '3' || s[2] < '0' || s[2] > '7' ||
			    s[3] < '0' || s[3] > '7')
				return -1;
			out[n++] = (s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0');
			s += 4;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	return 0;
}

int main(void)
{
	long pagesz = sysconf(_SC_PAGESIZE), i;
	unsigned long base, addr;
	char line[512], comm[80], got[64];
	int seen[N] = { 0 }, bad = 0, count = 0;
	unsigned int tgid;
	pid_t child;
	char *map;
	FILE *f;

	f = fopen("/sys/module/cowtrace/parameters/pid", "w");
	if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f)) {
		perror("pid parameter");
		return 1;
	}
	map = mmap(NULL, N * pagesz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return 1;
	base = (unsigned long)map;
	for (i = 0; i < N; i++)
		map[i * pagesz] = 1;
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	for (i = 1; i < N; i++) {
		snprintf(want[i], sizeof(want[i]), "c%cz", (int)i);
	}
	memset(want[0], 0xff, 15);	/* page 0: 15 bytes, all 0xff */
	for (i = 0; i < N; i++) {
		prctl(PR_SET_NAME, want[i], 0, 0, 0);
		map[i * pagesz] = 2;	/* shared with the child: CoW */
	}
	prctl(PR_SET_NAME, "comms", 0, 0, 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	f = fopen("/proc/cowtrace", "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%*s %*u %*u %u 0x%lx %*s %*s %*s %*s %*s %79s", &tgid,
			   &addr, comm) != 3) {
			fprintf(stderr, "comms: bad line %s", line);
			bad++;
			continue;
		}
		if ((int)tgid != getpid() || addr < base || addr >= base + N * pagesz)
			continue;
		i = (addr - base) / pagesz;
		count++;
		seen[i]++;
		if (decode(comm, got, sizeof(got)) || strcmp(got, want[i])) {
			if (bad++ < 5)
				fprintf(stderr, "comms: page %ld: %s\n", i, comm);
		}
	}
	fclose(f);
	for (i = 0; i < N; i++)
		if (seen[i] != 1)
			bad++;
	printf("%s - comms: %d comms of every byte value read back exactly\n",
	       bad ? "not ok" : "ok", count);
	return bad ? 1 : 0;
}
