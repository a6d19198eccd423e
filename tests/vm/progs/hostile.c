// SPDX-License-Identifier: GPL-2.0
/*
 * hostile: misuse /proc/cowtrace and check each misuse gets a clear error
 * and changes nothing. Run with no recording going on (a filter that never
 * matches), so two opens see the same text. Prints "ok - ..." lines.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <sys/mman.h>
#include <unistd.h>

#define F "/proc/cowtrace"

static int fails;

static void res(int ok, const char *what, int err)
{
	printf("%s - hostile: %s", ok ? "ok" : "not ok", what);
	if (!ok)
		printf(" (errno %d %s)", err, strerror(err));
	printf("\n");
	fails += !ok;
}

/* All of fd's text, from where it is, skipping the header lines. */
static char *slurp(int fd, size_t *len)
{
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);
	ssize_t r;

	while (buf && (r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	*len = n;
	return buf;
}

int main(void)
{
	char small[10], *a, *b;
	void *volatile badaddr = (void *)16;
	size_t la, lb;
	int fd, fd2, r, e;

	fd = open(F, O_WRONLY);
	e = errno;
	res(fd < 0 && e == EACCES, "open O_WRONLY refused with EACCES", e);
	fd = open(F, O_RDWR);
	e = errno;
	res(fd < 0 && e == EACCES, "open O_RDWR refused with EACCES", e);

	fd = open(F, O_RDONLY);
	if (fd < 0) {
		perror(F);
		return 1;
	}
	errno = 0;
	r = lseek(fd, 0, SEEK_SET);
	e = errno;
	res(r < 0 && e == ESPIPE, "lseek refused with ESPIPE", e);
	errno = 0;
	r = pread(fd, small, sizeof(small), 0);
	e = errno;
	res(r < 0 && e == ESPIPE, "pread refused with ESPIPE", e);
	errno = 0;
	r = write(fd, "x", 1);
	e = errno;
	res(r < 0 && e == EBADF, "write on a read-only fd refused", e);
	errno = 0;
	r = ioctl(fd, TCGETS, small);
	e = errno;
	res(r < 0, "ioctl refused", e);
	errno = 0;
	e = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? errno : 0;
	res(e != 0, "mmap refused", e);

	/* A read into a bad buffer fails with EFAULT and loses nothing. */
	r = read(fd, small, sizeof(small));
	res(r == (int)sizeof(small), "a 10-byte read", errno);
	errno = 0;
	r = read(fd, badaddr, 4096);
	e = errno;
	res(r < 0 && e == EFAULT, "read into a bad address gives EFAULT", e);
	fd2 = open(F, O_RDONLY);
	a = slurp(fd, &la);
	b = slurp(fd2, &lb);
	res(a && b && lb == la + sizeof(small) && !memcmp(b, small, sizeof(small)) &&
	    !memcmp(b + sizeof(small), a, la),
	    "after EFAULT the same fd goes on with nothing lost", 0);
	printf("# hostile: %zu bytes compared\n", lb);
	close(fd);
	close(fd2);
	return fails ? 1 : 0;
}
