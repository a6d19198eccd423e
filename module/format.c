// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace text format: one line per record, "# lost" lines and the header,
 * as documented for /proc/cowtrace.
 */

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/time64.h>

#include "classify.h"
#include "format.h"
#include "version.h"

/**
 * cowtrace_escape_comm - write @comm as /proc/mounts writes names
 * @dst:  at least 4 * @len + 1 bytes
 * @comm: the bytes, ended by a NUL or by @len
 * @len:  at most this many bytes are read
 *
 * Bytes 0x21..0x7e but the backslash are copied; every other byte is
 * written as a backslash and three octal digits. An empty comm is written
 * as "\000" so that the field is never empty.
 *
 * Return: the length written, not counting the terminating NUL.
 */
size_t cowtrace_escape_comm(char *dst, const char *comm, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && comm[i]; i++) {
		unsigned char ch = comm[i];

		if (ch > 0x20 && ch < 0x7f && ch != '\\') {
			dst[n++] = ch;
			continue;
		}
		dst[n++] = '\\';
		dst[n++] = '0' + (ch >> 6);
		dst[n++] = '0' + ((ch >> 3) & 7);
		dst[n++] = '0' + (ch & 7);
	}
	if (!n) {
		memcpy(dst, "\\000", 4);
		n = 4;
	}
	dst[n] = '\0';
	return n;
}

static const char *const cowtrace_kind_names[COWTRACE_KIND_NR] = COWTRACE_KIND_NAMES;
static const char *const cowtrace_map_names[COWTRACE_MAP_NR] = COWTRACE_MAP_NAMES;
static const char *const cowtrace_result_names[COWTRACE_RESULT_NR] = COWTRACE_RESULT_NAMES;

/**
 * cowtrace_kind_name - the KIND field for @kind
 * @kind: enum cowtrace_kind
 *
 * Return: its name, or "?" for a value out of range.
 */
const char *cowtrace_kind_name(unsigned int kind)
{
	return kind < COWTRACE_KIND_NR ? cowtrace_kind_names[kind] : "?";
}

/**
 * cowtrace_map_name - the MAP field for @map
 * @map: enum cowtrace_map
 *
 * Return: its name, or "?" for a value out of range.
 */
const char *cowtrace_map_name(unsigned int map)
{
	return map < COWTRACE_MAP_NR ? cowtrace_map_names[map] : "?";
}

/**
 * cowtrace_result_name - the RESULT field for @result
 * @result: enum cowtrace_result
 *
 * Return: its name, or "?" for a value out of range.
 */
const char *cowtrace_result_name(unsigned int result)
{
	return result < COWTRACE_RESULT_NR ? cowtrace_result_names[result] : "?";
}

/*
 * The record and lost lines are written by hand, not by scnprintf(): a
 * follower formats every record, and parsing one format string per record
 * cost more than the rest of read() (KUnit checks the bytes against the
 * format string these functions replace).
 */

/* Write @v in decimal at @p. Return: the end. */
static char *cowtrace_put_dec(char *p, u64 v)
{
	char tmp[20];	/* U64_MAX has 20 digits */
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Write @v in lower-case hex, without "0x", at @p. Return: the end. */
static char *cowtrace_put_hex(char *p, u64 v)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Write @s at @p. Return: the end. */
static char *cowtrace_put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/*
 * Pad the field that started at @start and ends at @p with spaces to
 * @width ("%-*"), then write the space that separates it from the next.
 * Return: the end.
 */
static char *cowtrace_pad(char *p, const char *start, long width)
{
	while (p - start < width)
		*p++ = ' ';
	*p++ = ' ';
	return p;
}

/* TIMESTAMP: seconds, '.', 9 digits. */
static char *cowtrace_put_ts(char *p, u64 ts)
{
	u32 nsec;
	u64 sec;
	int i;

	sec = div_u64_rem(ts, NSEC_PER_SEC, &nsec);
	p = cowtrace_put_dec(p, sec);
	*p++ = '.';
	for (i = 8; i >= 0; i--) {
		p[i] = '0' + nsec % 10;
		nsec /= 10;
	}
	return p + 9;
}

/**
 * cowtrace_format_event - the line of a process event
 * @buf:  destination
 * @size: its size; at least COWTRACE_LINE_MAX
 * @rec:  a slot whose @kind is COWTRACE_EVENT_FORK or COWTRACE_EVENT_EXIT
 *
 * "# fork TIMESTAMP CPU PID TGID CHILD COMM\n" or
 * "# exit TIMESTAMP CPU TGID COMM\n", one space between fields.
 *
 * Return: bytes written, not counting the NUL.
 */
int cowtrace_format_event(char *buf, size_t size,
			  const struct cowtrace_record *rec)
{
	bool fork = rec->kind == COWTRACE_EVENT_FORK;
	char *p = buf;

	if (WARN_ON_ONCE(size < COWTRACE_LINE_MAX))
		return 0;
	p = cowtrace_put_str(p, fork ? "# fork " : "# exit ");
	p = cowtrace_put_ts(p, rec->ts);
	*p++ = ' ';
	p = cowtrace_put_dec(p, rec->cpu);
	*p++ = ' ';
	if (fork) {
		p = cowtrace_put_dec(p, rec->pid);
		*p++ = ' ';
	}
	p = cowtrace_put_dec(p, rec->tgid);
	*p++ = ' ';
	if (fork) {
		p = cowtrace_put_dec(p, rec->addr);
		*p++ = ' ';
	}
	p += cowtrace_escape_comm(p, rec->comm, sizeof(rec->comm));
	*p++ = '\n';
	*p = '\0';
	return p - buf;
}

/**
 * cowtrace_format_record - one line for @rec
 * @buf:  destination
 * @size: its size; at least COWTRACE_LINE_MAX, which is always enough
 * @rec:  the record
 *
 * TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM, columns
 * padded on the right: byte for byte what
 * "%llu.%09u %-3u %-7u %-7u 0x%-12llx %-7llu %-7s %-6s %-6s 0x%-12llx %s\n"
 * writes. A process event's slot gives its "#" line instead.
 *
 * Return: bytes written, not counting the NUL.
 */
int cowtrace_format_record(char *buf, size_t size,
			   const struct cowtrace_record *rec)
{
	char *p = buf, *f;

	if (WARN_ON_ONCE(size < COWTRACE_LINE_MAX))
		return 0;
	if (rec->kind == COWTRACE_EVENT_FORK || rec->kind == COWTRACE_EVENT_EXIT)
		return cowtrace_format_event(buf, size, rec);
	p = cowtrace_put_ts(p, rec->ts);
	*p++ = ' ';
	f = p;
	p = cowtrace_pad(cowtrace_put_dec(p, rec->cpu), f, 3);
	f = p;
	p = cowtrace_pad(cowtrace_put_dec(p, rec->pid), f, 7);
	f = p;
	p = cowtrace_pad(cowtrace_put_dec(p, rec->tgid), f, 7);
	*p++ = '0';
	*p++ = 'x';
	f = p;
	p = cowtrace_pad(cowtrace_put_hex(p, rec->addr), f, 12);
	f = p;
	p = cowtrace_pad(cowtrace_put_dec(p, 1ULL << (rec->shift & 63)), f, 7);
	f = p;
	p = cowtrace_pad(cowtrace_put_str(p, cowtrace_kind_name(rec->kind)),
			 f, 7);
	f = p;
	p = cowtrace_pad(cowtrace_put_str(p, cowtrace_map_name(rec->map)),
			 f, 6);
	f = p;
	p = cowtrace_pad(cowtrace_put_str(p, cowtrace_result_name(rec->result)),
			 f, 6);
	*p++ = '0';
	*p++ = 'x';
	f = p;
	p = cowtrace_pad(cowtrace_put_hex(p, rec->ip), f, 12);
	p += cowtrace_escape_comm(p, rec->comm, sizeof(rec->comm));
	*p++ = '\n';
	*p = '\0';
	return p - buf;
}

/**
 * cowtrace_format_lost - the line that stands for @lost overwritten records
 * @buf:  destination
 * @size: its size; at least COWTRACE_LINE_MAX
 * @lost: how many
 * @cpu:  of which CPU
 *
 * "# lost %llu events on cpu %u\n", written by hand as records are.
 *
 * Return: bytes written, not counting the NUL.
 */
int cowtrace_format_lost(char *buf, size_t size, u64 lost, unsigned int cpu)
{
	char *p = buf;

	if (WARN_ON_ONCE(size < COWTRACE_LINE_MAX))
		return 0;
	p = cowtrace_put_str(p, "# lost ");
	p = cowtrace_put_dec(p, lost);
	p = cowtrace_put_str(p, " events on cpu ");
	p = cowtrace_put_dec(p, cpu);
	*p++ = '\n';
	*p = '\0';
	return p - buf;
}

/**
 * cowtrace_header_size - a buffer size enough for the header of @nr CPUs
 * @nr: number of CPUs
 *
 * Return: the size in bytes.
 */
size_t cowtrace_header_size(unsigned int nr)
{
	return 512 + COWTRACE_COMM_ESC_MAX + (size_t)nr * 64;
}

/**
 * cowtrace_format_header - the header lines, each starting with '#'
 * @buf:   destination, cowtrace_header_size(@h->nr) bytes
 * @size:  its size
 * @h:     parameters, paths and counters
 * @taken: per CPU, records taken since load, read once by the caller
 *
 * Return: bytes written, not counting the NUL.
 */
int cowtrace_format_header(char *buf, size_t size,
			   const struct cowtrace_header *h, const u64 *taken)
{
	char filter[COWTRACE_COMM_ESC_MAX] = "";
	u64 all = 0, held = 0;
	unsigned int cpu, path;
	const char *sep = "";
	int n;

	if (h->filter[0])
		cowtrace_escape_comm(filter, h->filter, sizeof(h->filter));
	for (cpu = 0; cpu < h->nr; cpu++) {
		all += taken[cpu];
		held += min_t(u64, taken[cpu], h->entries);
	}
	n = scnprintf(buf, size,
		      "# cowtrace %s\n# filter=%s pid=%d entries=%u cpus=%u tree=%d\n# paths=",
		      COWTRACE_VERSION, filter, h->pid, h->entries, h->nr,
		      h->tree);
	for (path = 0; path < COWTRACE_PATH_NR; path++) {
		if (!(h->paths & BIT(path)))
			continue;
		n += scnprintf(buf + n, size - n, "%s%s", sep,
			       cowtrace_path_name(path));
		sep = ",";
	}
	n += scnprintf(buf + n, size - n,
		       "\n# taken=%llu held=%llu missed=%lu retried=%lu raced=%lu\n",
		       all, held, h->missed, h->retried, h->raced);
	for (cpu = 0; cpu < h->nr; cpu++)
		n += scnprintf(buf + n, size - n,
			       "# cpu=%u taken=%llu held=%llu\n", cpu,
			       taken[cpu], min_t(u64, taken[cpu], h->entries));
	n += scnprintf(buf + n, size - n,
		       "# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM\n");
	return n;
}

const struct cowtrace_format cowtrace_format_text = {
	.item_max	= COWTRACE_LINE_MAX,
	.header_size	= cowtrace_header_size,
	.header		= cowtrace_format_header,
	.record		= cowtrace_format_record,
	.lost		= cowtrace_format_lost,
};
