// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: check the header of /proc/cowtrace_raw and decode its
 * items into the struct ct_rec the text parser fills, so that everything
 * after (filters, formats, -s, --metrics) does not know which file it
 * was. No I/O here.
 */
#include <stdio.h>
#include <string.h>

#include "raw.h"

_Static_assert(sizeof(((struct ct_rec *)0)->comm) ==
	       sizeof(((struct cowtrace_record *)0)->comm),
	       "a raw comm is copied whole into struct ct_rec");

/**
 * ct_raw_header - check a raw header and keep what the reader needs
 * @buf:  the first bytes of the file
 * @n:    how many; the header is checked as far as they go
 * @h:    filled when the whole header is there
 * @why:  set to the reason when the header is refused
 * @size: its size
 *
 * Refused: another magic, another version, a record size smaller than a
 * struct cowtrace_record, a header size that cannot hold taken[] of its
 * CPUs or is larger than CT_RAW_HEADER_MAX.
 * Return: 0 when the header is whole and good; the bytes it needs when @n
 * is fewer; -1 when it is refused.
 */
long ct_raw_header(const void *buf, size_t n, struct ct_raw *h,
		   char *why, size_t size)
{
	struct cowtrace_raw_header fix;
	size_t min;

	memset(&fix, 0, sizeof(fix));
	memcpy(&fix, buf, n < sizeof(fix) ? n : sizeof(fix));
	if (n >= sizeof(fix.magic) && fix.magic != COWTRACE_RAW_MAGIC) {
		snprintf(why, size, "not a cowtrace binary file (magic 0x%08x, not 0x%08x)",
			 fix.magic, COWTRACE_RAW_MAGIC);
		return -1;
	}
	if (n >= offsetof(struct cowtrace_raw_header, record_size) &&
	    (fix.version < 1 || fix.version > COWTRACE_RAW_VERSION)) {
		snprintf(why, size, "binary format version %u; this reader reads versions 1 to %u: use the reader that came with the module",
			 fix.version, COWTRACE_RAW_VERSION);
		return -1;
	}
	if (n < sizeof(fix))
		return sizeof(fix);
	if (fix.record_size < sizeof(struct cowtrace_record)) {
		snprintf(why, size, "record size %u is smaller than a record (%zu bytes)",
			 fix.record_size, sizeof(struct cowtrace_record));
		return -1;
	}
	min = sizeof(fix) + (size_t)fix.nr_cpus * sizeof(fix.taken[0]);
	if (fix.nr_cpus > CT_RAW_CPUS_MAX || fix.header_size < min ||
	    fix.header_size > CT_RAW_HEADER_MAX) {
		snprintf(why, size, "header size %u does not fit %u CPUs (%zu to %zu bytes)",
			 fix.header_size, fix.nr_cpus, min, CT_RAW_HEADER_MAX);
		return -1;
	}
	if (n < fix.header_size)
		return fix.header_size;
	h->version = fix.version;
	h->record_size = fix.record_size;
	h->header_size = fix.header_size;
	h->missed = fix.missed;
	return 0;
}

/*
 * Bytes before the first NUL of the eight at @c; 8 when there is none.
 * The exact test for a zero byte (Hacker's Delight: no false positives,
 * so the byte order only decides at which end of the word the first
 * byte is), a word at a time instead of a call of memchr().
 */
static size_t nul8(const char *c)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
	uint64_t w, z;

	memcpy(&w, c, 8);
	z = ~(((w & low7) + low7) | w | low7);	/* 0x80 in each zero byte */
	if (!z)
		return 8;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_clzll(z) / 8;
#else
	return __builtin_ctzll(z) / 8;
#endif
}

/* A fork or exit item (version 2): the fields the text's line has. */
static enum ct_line event(const struct cowtrace_record *rec, size_t len,
			  struct ct_rec *r)
{
	int fork = rec->stamp == COWTRACE_RAW_FORK;

	if (len == sizeof(rec->comm) || rec->addr > UINT32_MAX ||
	    (!fork && rec->addr))
		return CT_LINE_BAD;
	memset(r, 0, sizeof(*r));
	r->sec = rec->ts / 1000000000;
	r->nsec = (uint32_t)(rec->ts % 1000000000);
	r->cpu = rec->cpu;
	r->tgid = rec->tgid;
	r->pid = fork ? rec->pid : rec->tgid;
	r->child = (uint32_t)rec->addr;
	r->comm_len = len;
	memcpy(r->comm, rec->comm, sizeof(r->comm));
	return fork ? CT_LINE_FORK : CT_LINE_EXIT;
}

/**
 * ct_raw_item - decode one item of /proc/cowtrace_raw
 * @item: its first sizeof(struct cowtrace_record) bytes, any alignment
 * @r:    filled for CT_LINE_RECORD, CT_LINE_LOST, CT_LINE_FORK and
 *        CT_LINE_EXIT
 *
 * As the text parser: a KIND, MAP or RESULT out of range, a SIZE past
 * 2^63, a comm without its NUL or an unknown type is malformed; so is a
 * fork item whose child (@addr) is not a 32-bit TGID.
 * Return: CT_LINE_RECORD, CT_LINE_LOST, CT_LINE_FORK, CT_LINE_EXIT or
 * CT_LINE_BAD.
 */
enum ct_line ct_raw_item(const void *item, struct ct_rec *r)
{
	struct cowtrace_record rec;
	size_t len;

	memcpy(&rec, item, sizeof(rec));
	if (rec.stamp == COWTRACE_RAW_LOST) {
		r->lost = rec.addr;
		r->cpu = rec.cpu;
		return CT_LINE_LOST;
	}
	len = nul8(rec.comm);
	if (len == 8)
		len += nul8(rec.comm + 8);
	if (rec.stamp == COWTRACE_RAW_FORK || rec.stamp == COWTRACE_RAW_EXIT)
		return event(&rec, len, r);
	if (rec.stamp != COWTRACE_RAW_RECORD || rec.kind >= COWTRACE_KIND_NR ||
	    rec.map >= COWTRACE_MAP_NR || rec.result >= COWTRACE_RESULT_NR ||
	    rec.shift > 63 || len == sizeof(rec.comm))
		return CT_LINE_BAD;
	r->sec = rec.ts / 1000000000;
	r->nsec = (uint32_t)(rec.ts % 1000000000);
	r->cpu = rec.cpu;
	r->pid = rec.pid;
	r->tgid = rec.tgid;
	r->addr = rec.addr;
	r->size = 1ULL << rec.shift;
	r->ip = rec.ip;
	r->kind = (enum cowtrace_kind)rec.kind;
	r->map = (enum cowtrace_map)rec.map;
	r->result = (enum cowtrace_result)rec.result;
	r->comm_len = len;
	/* All of it, the NUL and what follows: a copy of a constant size. */
	memcpy(r->comm, rec.comm, sizeof(r->comm));
	return CT_LINE_RECORD;
}
