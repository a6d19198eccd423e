# SPDX-License-Identifier: GPL-2.0
# The kernels cowtrace is built for: what it refuses, with the reason, and
# the features of the kernel found in its headers (compat.h turns each into
# what the code uses). Included by module/Kbuild and by the KUnit module's.

# The kernel config (auto.conf) is read for builds, not for "make clean".
ifdef CONFIG_MODULES
ifneq ($(CONFIG_64BIT),y)
$(error cowtrace: 64-bit kernels only; this kernel has no CONFIG_64BIT)
endif
ifneq ($(shell test $$(($(VERSION) * 256 + $(PATCHLEVEL))) -ge $$((5 * 256 + 10)) && echo ok),ok)
$(error cowtrace: Linux 5.10 or later only; these headers are $(VERSION).$(PATCHLEVEL))
endif
ifneq ($(CONFIG_KPROBES),y)
$(error cowtrace: the kernel needs CONFIG_KPROBES=y)
endif
ifneq ($(CONFIG_KRETPROBES),y)
$(error cowtrace: the kernel needs CONFIG_KRETPROBES=y)
endif
ifneq ($(CONFIG_DYNAMIC_FTRACE),y)
$(error cowtrace: the kernel needs CONFIG_DYNAMIC_FTRACE=y (the markers are ftrace hooks))
endif
endif

cowtrace-has = $(shell grep -qsw $(1) $(srctree)/include/linux/$(2) && echo y)
cowtrace-has-line = $(shell grep -qsF '$(1)' $(srctree)/include/linux/$(2) && echo y)

# FAULT_FLAG_UNSHARE (5.19): an enum member, invisible to #ifdef.
ccflags-$(call cowtrace-has,FAULT_FLAG_UNSHARE,mm_types.h) += -DCOWTRACE_HAVE_UNSHARE
# VM_FAULT_WRITE (gone in 6.2): also an enum member.
ccflags-$(call cowtrace-has,VM_FAULT_WRITE,mm_types.h) += -DCOWTRACE_HAVE_VM_FAULT_WRITE
# pde_data() (5.17): PDE_DATA() before.
ccflags-$(call cowtrace-has,pde_data,proc_fs.h) += -DCOWTRACE_HAVE_PDE_DATA
# hrtimer_setup() (6.13): hrtimer_init() and ->function before.
ccflags-$(call cowtrace-has,hrtimer_setup,hrtimer.h) += -DCOWTRACE_HAVE_HRTIMER_SETUP
# struct ftrace_regs (5.11): an ftrace callback took a struct pt_regs * before.
ccflags-$(call cowtrace-has,ftrace_regs,ftrace.h) += -DCOWTRACE_HAVE_FTRACE_REGS
# ftrace_regs_get_argument() (6.2, in <linux/ftrace_regs.h> from 6.12)
ccflags-$(shell grep -qsw ftrace_regs_get_argument $(srctree)/include/linux/ftrace.h \
	$(srctree)/include/linux/ftrace_regs.h $(srctree)/arch/$(SRCARCH)/include/asm/ftrace.h \
	&& echo y) += -DCOWTRACE_HAVE_FTRACE_REGS_GET_ARGUMENT
# FTRACE_OPS_FL_RECURSION_SAFE (before 5.11): set, no recursion guard.
ccflags-$(call cowtrace-has,FTRACE_OPS_FL_RECURSION_SAFE,ftrace.h) += -DCOWTRACE_HAVE_FTRACE_RECURSION_SAFE
# userfaultfd-wp's async mode (6.7), and its context's features readable
# from the header (6.8) to tell a synchronous one.
ccflags-$(call cowtrace-has,userfaultfd_wp_async,userfaultfd_k.h) += -DCOWTRACE_HAVE_UFFD_WP_ASYNC
ccflags-$(call cowtrace-has-line,struct userfaultfd_ctx {,userfaultfd_k.h) += -DCOWTRACE_HAVE_UFFD_CTX
# sched_process_exit's group_dead argument (after 6.12): without it, the last
# thread is told by the signal's live count.
ccflags-$(shell grep -qs 'TP_PROTO(struct task_struct \*p, bool group_dead)' \
	$(srctree)/include/trace/events/sched.h && echo y) += -DCOWTRACE_HAVE_EXIT_GROUP_DEAD
