// SPDX-License-Identifier: GPL-2.0
/*
 * nocap: run PROG as root without CAP_SYS_ADMIN, and without CAP_PERFMON
 * unless -p: dropped from the bounding set, so that exec does not give
 * them back, and from the current sets. Every other capability stays
 * (CAP_DAC_OVERRIDE among them: the file mode lets it read).
 *
 * nocap [-p] PROG [ARGS...]
 */
#define _GNU_SOURCE
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif

static int drop(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) ||
	    syscall(SYS_capget, &h, d))
		return -1;
	d[cap / 32].effective &= ~(1U << (cap % 32));
	d[cap / 32].permitted &= ~(1U << (cap % 32));
	d[cap / 32].inheritable &= ~(1U << (cap % 32));
	return syscall(SYS_capset, &h, d);
}

int main(int argc, char **argv)
{
	int keep_perfmon = argc > 1 && !strcmp(argv[1], "-p");

	argv += 1 + keep_perfmon;
	if (!*argv) {
		fprintf(stderr, "usage: nocap [-p] PROG [ARGS...]\n");
		return 127;
	}
	if (drop(CAP_SYS_ADMIN) || (!keep_perfmon && drop(CAP_PERFMON))) {
		perror("nocap");
		return 127;
	}
	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}
