// SPDX-License-Identifier: GPL-2.0
/*
 * pgreuse: the kernel's own counter as an oracle. Drain /proc/cowtrace,
 * read pgreuse from /proc/vmstat, run each COMMAND (posix_spawn: the
 * parent's pages are not shared with the child, so this program takes no
 * CoW fault of its own), read pgreuse again, then count the 4 KiB records
 * with RESULT reuse or notify that arrived meanwhile. The kernel counts
 * both in wp_page_reuse(), so the two numbers must be equal when the
 * module records every task and loses nothing.
 *
 * pgreuse COMMAND [COMMAND...]   (each COMMAND run by /bin/sh -c)
 * Prints "pgreuse delta=D records=R lost=L"; exit 0 if D == R and L == 0.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static unsigned long long vmstat(const char *key)
{
	char line[256];
	size_t n = strlen(key);
	unsigned long long v = 0;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f) {
		perror("/proc/vmstat");
		exit(2);
	}
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ' ')
			v = strtoull(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	unsigned long long a, b, records = 0, lost = 0;
	char *line, *end;
	size_t len = 0;
	ssize_t r;
	int fd, i, status;

	fd = open("/proc/cowtrace", O_RDONLY);
	if (fd < 0) {
		perror("/proc/cowtrace");
		return 2;
	}
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	a = vmstat("pgreuse");
	for (i = 1; i < argc; i++) {
		char *args[] = { "sh", "-c", argv[i], NULL };
		pid_t pid;

		if (posix_spawn(&pid, "/bin/sh", NULL, NULL, args, environ) ||
		    waitpid(pid, &status, 0) != pid) {
			perror(argv[i]);
			return 2;
		}
	}
	b = vmstat("pgreuse");
	while ((r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += r;
	buf[len] = '\0';
	for (line = buf; *line; line = end + 1) {
		char size[32], result[32];
		unsigned long long n;

		end = strchrnul(line, '\n');
		if (sscanf(line, "# lost %llu", &n) == 1)
			lost += n;
		else if (*line != '#' &&
			 sscanf(line, "%*s %*s %*s %*s %*s %31s %*s %*s %31s",
				size, result) == 2 && !strcmp(size, "4096") &&
			 (!strcmp(result, "reuse") || !strcmp(result, "notify")))
			records++;
		if (!*end)
			break;
	}
	printf("pgreuse delta=%llu records=%llu lost=%llu\n", b - a, records, lost);
	return !(b - a == records && !lost);
}
