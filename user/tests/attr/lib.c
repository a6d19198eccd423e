// SPDX-License-Identifier: GPL-2.0
/* The shared library of the attribution test: a function that writes into its .data. */
int attr_lib_data[1024] = { 1 };

__attribute__((noinline)) void attr_lib_write(int i)
{
	attr_lib_data[i & 1023] += i;
}

/*
 * A C++ method's symbol, attr::Map<int, char>::put(int), written without a C++
 * compiler: the reader names it demangled, as perf report does.
 */
void attr_lib_cxx(int i) __asm__("_ZN4attr3MapIicE3putEi");
__attribute__((noinline)) void attr_lib_cxx(int i)
{
	attr_lib_data[(i + 512) & 1023] += i;
}

/* Its .data, as the library sees it (a PIE's reference would be a copy relocation) */
int *attr_lib_data_at(int i)
{
	return &attr_lib_data[i & 1023];
}
