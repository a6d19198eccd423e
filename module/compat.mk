# SPDX-License-Identifier: GPL-2.0
# Features of the kernel cowtrace is built against, found in its headers;
# compat.h turns each into what the code uses. Included by module/Kbuild
# and by the KUnit module's Kbuild.
cowtrace-has = $(shell grep -qsw $(1) $(srctree)/include/linux/$(2) && echo y)

# FAULT_FLAG_UNSHARE (5.19): an enum member, invisible to #ifdef.
ccflags-$(call cowtrace-has,FAULT_FLAG_UNSHARE,mm_types.h) += -DCOWTRACE_HAVE_UNSHARE
# VM_FAULT_WRITE (gone in 6.2): also an enum member.
ccflags-$(call cowtrace-has,VM_FAULT_WRITE,mm_types.h) += -DCOWTRACE_HAVE_VM_FAULT_WRITE
