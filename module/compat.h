/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cowtrace: what differs between the kernels it supports (5.10 and later),
 * by feature, in one place. The other files call these helpers.
 */
#ifndef COWTRACE_COMPAT_H
#define COWTRACE_COMPAT_H

#include <linux/bitops.h>
#include <linux/mm.h>	/* kvzalloc() and kvfree(): <linux/mm.h> before 5.16 */
#include <linux/string.h>
#include <linux/types.h>

/*
 * FAULT_FLAG_UNSHARE (5.19) is an enum constant, so no #ifdef can see it:
 * module/Kbuild looks for it in the kernel's headers and defines
 * COWTRACE_HAVE_FAULT_FLAG_UNSHARE. Without it, a read-only pin of a
 * CoW-shared page never reaches do_wp_page, so every call is a write.
 */
static inline bool cowtrace_fault_is_unshare(const struct vm_fault *vmf)
{
#ifdef COWTRACE_HAVE_FAULT_FLAG_UNSHARE
	return vmf->flags & FAULT_FLAG_UNSHARE;
#else
	return false;
#endif
}

/*
 * The high bit of each NUL byte of @w (little endian); the lowest bit set
 * is exact, bits above it may be false. 0 if @w has no NUL byte.
 */
static __always_inline u64 cowtrace_nul_bytes(u64 w)
{
	return (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;
}

/* The bytes of @w below the NUL byte that @nul (non-zero) flags first. */
static __always_inline u64 cowtrace_before_nul(u64 w, u64 nul)
{
	return w & ((1ULL << (__ffs64(nul) & ~7U)) - 1);
}

/**
 * cowtrace_comm_words - a task's comm as two NUL-padded words
 * @comm: TASK_COMM_LEN bytes, NUL terminated
 * @lo:   set to bytes 0-7
 * @hi:   set to bytes 8-15
 *
 * Kernels before strscpy_pad() in __set_task_comm() (5.10 among them)
 * leave bytes of an older, longer comm after the NUL, so they are cleared
 * here, in registers, on every kernel.
 */
static __always_inline void cowtrace_comm_words(const char *comm, u64 *lo,
						u64 *hi)
{
	memcpy(lo, comm, sizeof(*lo));
	memcpy(hi, comm + sizeof(*lo), sizeof(*hi));
#ifdef __LITTLE_ENDIAN
	{
		u64 nul = cowtrace_nul_bytes(*lo);

		if (nul) {
			*lo = cowtrace_before_nul(*lo, nul);
			*hi = 0;
		} else {
			nul = cowtrace_nul_bytes(*hi);
			if (nul)
				*hi = cowtrace_before_nul(*hi, nul);
		}
	}
#else
	{
		char padded[16] = { };

		strscpy(padded, comm, sizeof(padded));
		memcpy(lo, padded, sizeof(*lo));
		memcpy(hi, padded + sizeof(*lo), sizeof(*hi));
	}
#endif
}

#endif /* COWTRACE_COMPAT_H */
