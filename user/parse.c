// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: parse the lines of /proc/cowtrace, decode the octal
 * escapes of COMM, and escape for JSON and CSV. No I/O here.
 */
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* Decimal, no sign, no leading '+', at most @max. */
static int parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!n)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned int d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = s[i] - '0';
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int parse_u32(const char *s, size_t n, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, n, UINT32_MAX, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* "0x" and 1 to 16 lower-case hex digits. */
static int parse_addr(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n < 3 || n > 18 || s[0] != '0' || s[1] != 'x')
		return -1;
	for (i = 2; i < n; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint64_t)(c - 'a' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static int parse_ts(const char *s, size_t n, uint64_t *sec, uint32_t *nsec)
{
	const char *dot = memchr(s, '.', n);
	uint64_t ns;

	if (!dot || (size_t)(s + n - dot - 1) != 9)
		return -1;
	if (parse_u64(s, dot - s, UINT64_MAX, sec) ||
	    parse_u64(dot + 1, 9, 999999999, &ns))
		return -1;
	*nsec = (uint32_t)ns;
	return 0;
}

/**
 * ct_decode_comm - undo the module's escaping of COMM
 * @s:      the field
 * @n:      its length
 * @out:    CT_COMM_MAX + 1 bytes, NUL terminated on success
 * @outlen: decoded length
 *
 * Bytes 0x21..0x7e but '\' stand for themselves; '\' and three octal
 * digits (000..377) for any byte. "\000" alone is the empty comm.
 * Return: 0, or -1 if malformed or longer than CT_COMM_MAX bytes.
 */
int ct_decode_comm(const char *s, size_t n, char *out, size_t *outlen)
{
	size_t i = 0, o = 0;

	if (n == 4 && !memcmp(s, "\\000", 4)) {
		out[0] = '\0';
		*outlen = 0;
		return 0;
	}
	if (!n)
		return -1;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (o == CT_COMM_MAX)
			return -1;
		if (c == '\\') {
			unsigned int v;

			if (n - i < 4 || s[i + 1] < '0' || s[i + 1] > '3' ||
			    s[i + 2] < '0' || s[i + 2] > '7' ||
			    s[i + 3] < '0' || s[i + 3] > '7')
				return -1;
			v = (s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 +
			    (s[i + 3] - '0');
			if (!v)
				return -1;	/* a NUL inside a comm */
			out[o++] = (char)v;
			i += 4;
		} else if (c > 0x20 && c < 0x7f) {
			out[o++] = (char)c;
			i++;
		} else {
			return -1;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return 0;
}

static const char *const kinds[] = { "write", "unshare", NULL };
static const char *const maps[] = { "anon", "file", "shared", NULL };

static const char *one_of(const char *s, size_t n, const char *const *set)
{
	for (; *set; set++)
		if (strlen(*set) == n && !memcmp(*set, s, n))
			return *set;
	return NULL;
}

/* "# lost N events on cpu C" */
static int parse_lost(const char *l, size_t len, uint64_t *lost, uint32_t *cpu)
{
	static const char a[] = "# lost ", b[] = " events on cpu ";
	const char *p = l + sizeof(a) - 1, *end = l + len, *q;

	if (len < sizeof(a) - 1 || memcmp(l, a, sizeof(a) - 1))
		return -1;
	for (q = p; q < end && *q >= '0' && *q <= '9'; q++)
		;
	if (parse_u64(p, q - p, UINT64_MAX, lost))
		return -1;
	if ((size_t)(end - q) < sizeof(b) - 1 || memcmp(q, b, sizeof(b) - 1))
		return -1;
	q += sizeof(b) - 1;
	return parse_u32(q, end - q, cpu);
}

/**
 * ct_parse_line - classify and parse one line, without its newline
 * @line:     the bytes (need not be NUL terminated)
 * @len:      their number
 * @r:        filled for CT_LINE_RECORD
 * @lost:     filled for CT_LINE_LOST
 * @lost_cpu: filled for CT_LINE_LOST
 *
 * Return: what the line is; CT_LINE_BAD for anything malformed.
 */
enum ct_line ct_parse_line(const char *line, size_t len, struct ct_rec *r,
			   uint64_t *lost, uint32_t *lost_cpu)
{
	const char *f[9];
	size_t fl[9], nf = 0, i = 0;

	if (len > CT_LINE_MAX || (len && memchr(line, '\0', len)))
		return CT_LINE_BAD;
	if (len && line[0] == '#') {
		if (!parse_lost(line, len, lost, lost_cpu))
			return CT_LINE_LOST;
		if (len >= 7 && !memcmp(line, "# lost ", 7))
			return CT_LINE_BAD;
		return CT_LINE_HEADER;
	}
	while (i < len) {
		size_t s;

		if (line[i] == ' ') {
			i++;
			continue;
		}
		if (nf == 8)
			return CT_LINE_BAD;	/* a ninth field */
		for (s = i; i < len && line[i] != ' '; i++)
			;
		f[nf] = line + s;
		fl[nf++] = i - s;
	}
	if (nf != 8 || line[0] == ' ')
		return CT_LINE_BAD;
	if (parse_ts(f[0], fl[0], &r->sec, &r->nsec) ||
	    parse_u32(f[1], fl[1], &r->cpu) || parse_u32(f[2], fl[2], &r->pid) ||
	    parse_u32(f[3], fl[3], &r->tgid) || parse_addr(f[4], fl[4], &r->addr))
		return CT_LINE_BAD;
	r->kind = one_of(f[5], fl[5], kinds);
	r->map = one_of(f[6], fl[6], maps);
	if (!r->kind || !r->map || fl[7] > 4 * CT_COMM_MAX ||
	    ct_decode_comm(f[7], fl[7], r->comm, &r->comm_len))
		return CT_LINE_BAD;
	memcpy(r->comm_esc, f[7], fl[7]);
	r->comm_esc[fl[7]] = '\0';
	return CT_LINE_RECORD;
}

/* Length of the valid UTF-8 sequence at @s (at most @n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/**
 * ct_json_string - @in as the inside of a JSON string
 * @in:   bytes
 * @n:    their number
 * @out:  destination, NUL terminated; 6 * @n + 1 bytes always suffice
 * @size: its size
 *
 * Valid UTF-8 is kept; '"', '\' and control bytes are escaped; a byte that
 * is not part of valid UTF-8 is written as \u00XX (its Latin-1 reading).
 * Return: the length written (truncated at @size - 1).
 */
size_t ct_json_string(const char *in, size_t n, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0;

	if (!size)
		return 0;
	while (i < n) {
		char tmp[8];
		size_t tl = 0, k, u = utf8_len(s + i, n - i);

		if (u == 1 && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\' &&
		    s[i] != 0x7f) {
			tmp[tl++] = (char)s[i];
		} else if (u == 1 && (s[i] == '"' || s[i] == '\\')) {
			tmp[tl++] = '\\';
			tmp[tl++] = (char)s[i];
		} else if (u > 1) {
			for (k = 0; k < u; k++)
				tmp[tl++] = (char)s[i + k];
		} else {
			memcpy(tmp, "\\u00", 4);
			tmp[4] = hex[s[i] >> 4];
			tmp[5] = hex[s[i] & 15];
			tl = 6;
			u = 1;
		}
		if (o + tl >= size)
			break;
		memcpy(out + o, tmp, tl);
		o += tl;
		i += u;
	}
	out[o] = '\0';
	return o;
}

/**
 * ct_csv_field - @in as one RFC 4180 field
 * @in:   bytes
 * @n:    their number
 * @out:  destination, NUL terminated; 2 * @n + 3 bytes always suffice
 * @size: its size
 *
 * Quoted when it holds a comma, a double quote, CR or LF (quotes doubled).
 * Return: the length written, or 0 if @size is too small.
 */
size_t ct_csv_field(const char *in, size_t n, char *out, size_t size)
{
	size_t i, o = 0;
	int quote = 0;

	for (i = 0; i < n; i++)
		if (in[i] == ',' || in[i] == '"' || in[i] == '\r' || in[i] == '\n')
			quote = 1;
	if (size < 2 * n + 3) {
		if (size)
			out[0] = '\0';
		return 0;
	}
	if (quote)
		out[o++] = '"';
	for (i = 0; i < n; i++) {
		if (in[i] == '"')
			out[o++] = '"';
		out[o++] = in[i];
	}
	if (quote)
		out[o++] = '"';
	out[o] = '\0';
	return o;
}

/**
 * ct_summary_add - count @r for its process (TGID and comm)
 * @s: the summary
 * @r: a record
 *
 * Return: 0, or -1 when out of memory.
 */
int ct_summary_add(struct ct_summary *s, const struct ct_rec *r)
{
	struct ct_proc *p;
	size_t i;

	s->records++;
	for (i = 0; i < s->n; i++) {
		p = &s->procs[i];
		if (p->tgid == r->tgid && p->comm_len == r->comm_len &&
		    !memcmp(p->comm, r->comm, r->comm_len)) {
			p->count++;
			return 0;
		}
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;

		p = realloc(s->procs, cap * sizeof(*p));
		if (!p)
			return -1;
		s->procs = p;
		s->cap = cap;
	}
	p = &s->procs[s->n++];
	p->tgid = r->tgid;
	memcpy(p->comm, r->comm, r->comm_len + 1);
	p->comm_len = r->comm_len;
	p->count = 1;
	return 0;
}

static int by_count(const void *a, const void *b)
{
	const struct ct_proc *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return memcmp(x->comm, y->comm, CT_COMM_MAX + 1);
}

/** ct_summary_sort - largest count first, then TGID, then comm */
void ct_summary_sort(struct ct_summary *s)
{
	if (s->n)
		qsort(s->procs, s->n, sizeof(*s->procs), by_count);
}

/** ct_summary_free - free what ct_summary_add() allocated */
void ct_summary_free(struct ct_summary *s)
{
	free(s->procs);
	memset(s, 0, sizeof(*s));
}
