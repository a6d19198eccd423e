#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile ELF files made from a real one, for the symbolizer's tests:
  mkhostile.py ELF DIR
writes DIR/truncated (the first third), DIR/shnum (e_shnum 0xffff, e_shoff
near the end), DIR/overlap (every PT_LOAD made to cover the whole file at
vaddr 0, so that they overlap), DIR/phnum (e_phnum 0xffff) and
DIR/shstrndx (e_shstrndx past the table). 64-bit little-endian only."""
import struct
import sys

src, out = sys.argv[1], sys.argv[2]
b = bytearray(open(src, "rb").read())
assert b[:4] == b"\x7fELF" and b[4] == 2 and b[5] == 1, "a 64-bit LE ELF"
phoff, shoff = struct.unpack_from("<QQ", b, 0x20)
phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", b, 0x36)


def save(name, data):
    open("%s/%s" % (out, name), "wb").write(data)


save("truncated", bytes(b[:len(b) // 3]))

x = bytearray(b)
struct.pack_into("<Q", x, 0x28, len(x) - 64)
struct.pack_into("<H", x, 0x3c, 0xffff)
save("shnum", bytes(x))

x = bytearray(b)
for i in range(phnum):
    o = phoff + i * phentsize
    if struct.unpack_from("<I", x, o)[0] == 1:        # PT_LOAD
        # p_offset, p_vaddr, p_paddr, p_filesz, p_memsz
        struct.pack_into("<QQQQQ", x, o + 8, 0, 0, 0, len(x), len(x))
save("overlap", bytes(x))

x = bytearray(b)
struct.pack_into("<H", x, 0x38, 0xffff)
save("phnum", bytes(x))

x = bytearray(b)
struct.pack_into("<H", x, 0x3e, 0xfff0)
save("shstrndx", bytes(x))
