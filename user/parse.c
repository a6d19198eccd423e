// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: parse the lines of /proc/cowtrace and undo (or apply)
 * the octal escaping of COMM, which is also how any input is shown. The one parser: the reader, the unit tests,
 * the fuzzer and the benchmarks all use it. No I/O here.
 */
#include <string.h>

#include "parse.h"

const char *const ct_kind_name[COWTRACE_KIND_NR] = COWTRACE_KIND_NAMES;
const char *const ct_map_name[COWTRACE_MAP_NR] = COWTRACE_MAP_NAMES;
const char *const ct_result_name[COWTRACE_RESULT_NR] = COWTRACE_RESULT_NAMES;

const char *const ct_col_name[CT_COL_NR] = {
	"TIMESTAMP", "CPU", "PID", "TGID", "ADDRESS", "SIZE", "KIND", "MAP",
	"RESULT", "IP", "COMM",
};

/* Decimal, no sign, at most @max. */
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

/* "0x" and 1 to 16 lower-case hex digits (ADDRESS, IP). */
static int parse_hex(const char *s, size_t n, uint64_t *out)
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

/* Seconds, '.', exactly 9 digits. */
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

/* Index of the name @s in @names, or -1. */
static int name_index(const char *s, size_t n, const char *const *names, int nr)
{
	int i;

	for (i = 0; i < nr; i++)
		if (strlen(names[i]) == n && !memcmp(names[i], s, n))
			return i;
	return -1;
}

/**
 * ct_decode_comm - undo the module's escaping of COMM
 * @s:      the field
 * @n:      its length
 * @out:    CT_COMM_MAX + 1 bytes, NUL terminated on success
 * @outlen: decoded length
 *
 * Bytes 0x21..0x7e but '\' stand for themselves; '\' and three octal
 * digits (001..377) for any byte. "\000" alone is the empty comm.
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

/**
 * ct_escape - bytes written so that a terminal shows them and acts on none
 * @in:  the bytes (from a file, a traced process: anything)
 * @n:   their number
 * @out: 4 * @n + 1 bytes, NUL terminated
 * @lo:  the lowest byte written as itself: 0x21 for a field (a space is
 *       escaped, so that it stays one field), 0x20 for a message
 *
 * '\' and every byte below @lo or above 0x7e (C0 controls with ESC, DEL,
 * C1 controls and any byte of UTF-8) become '\' and 3 octal digits, as
 * /proc/mounts writes them. The one escape of whatever the reader writes
 * that came from its input, so that nothing in it can move a terminal's
 * cursor, set its title or answer for it.
 * Return: the length written.
 */
size_t ct_escape(const char *in, size_t n, char *out, unsigned char lo)
{
	return ct_escape_also(in, n, out, lo, '\\');
}

/**
 * ct_escape_also - ct_escape(), and @also escaped too (';' in a folded frame)
 * @in:   the bytes
 * @n:    their number
 * @out:  4 * @n + 1 bytes, NUL terminated
 * @lo:   the lowest byte written as it is (at most 0x80)
 * @also: one more byte written as '\' and 3 octal digits
 * Return: the length written.
 */
size_t ct_escape_also(const char *in, size_t n, char *out, unsigned char lo,
		      char also)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = ones << 7;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		uint64_t x, bs, as;

		/*
		 * Eight bytes that need no escape are copied as they are: no
		 * byte below @lo, none above 0x7e, no '\' (the exact tests of
		 * "Bit Twiddling Hacks": has less than, has more than, has zero).
		 */
		if (i + 8 <= n) {
			memcpy(&x, in + i, 8);
			bs = x ^ ones * '\\';
			as = x ^ ones * (unsigned char)also;
			if (!((((x - ones * lo) & ~x) | ((x + ones * (127 - 0x7e)) | x) |
			       ((bs - ones) & ~bs) | ((as - ones) & ~as)) & highs)) {
				memcpy(out + o, &x, 8);
				o += 8;
				i += 7;
				continue;
			}
		}
		if (c >= lo && c < 0x7f && c != '\\' && c != (unsigned char)also) {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '\\';
		out[o++] = (char)('0' + (c >> 6));
		out[o++] = (char)('0' + (c >> 3 & 7));
		out[o++] = (char)('0' + (c & 7));
	}
	out[o] = '\0';
	return o;
}

/**
 * ct_encode_comm - escape a comm as the module does
 * @in:  the bytes
 * @n:   their number, at most CT_COMM_MAX
 * @out: CT_COMM_ESC bytes, NUL terminated
 *
 * '\' and bytes outside 0x21..0x7e become '\' and 3 octal digits; the
 * empty comm is "\000". The result has no space, so it is one field.
 * Return: the length written.
 */
size_t ct_encode_comm(const char *in, size_t n, char *out)
{
	if (!n) {
		memcpy(out, "\\000", 5);
		return 4;
	}
	return ct_escape(in, n < CT_COMM_MAX ? n : CT_COMM_MAX, out, 0x21);
}

/*
 * Split @s at runs of spaces into at most @max fields.
 * Return: the number of fields, or @max + 1 if there are more.
 */
static size_t split(const char *s, size_t len, const char **f, size_t *fl,
		    size_t max)
{
	size_t nf = 0, i = 0;

	while (i < len) {
		size_t start;

		if (s[i] == ' ') {
			i++;
			continue;
		}
		if (nf == max)
			return max + 1;
		for (start = i; i < len && s[i] != ' '; i++)
			;
		f[nf] = s + start;
		fl[nf++] = i - start;
	}
	return nf;
}

/**
 * ct_layout_init - the column order of cowtrace 0.2
 * @l: the layout
 *
 * For input that never names its columns (a headerless file).
 */
void ct_layout_init(struct ct_layout *l)
{
	int i;

	for (i = 0; i < CT_COL_NR; i++)
		l->col[i] = (signed char)i;
	l->nf = CT_COL_NR;
}

/* A word of a column line: an upper-case name such as TIMESTAMP. */
static int is_col_word(const char *s, size_t n)
{
	size_t i;

	if (!n || s[0] < 'A' || s[0] > 'Z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/*
 * "# fork TIMESTAMP CPU PID TGID CHILD COMM" and "# exit TIMESTAMP CPU
 * TGID COMM" (the words after "#" in @w), each field as in a record.
 * Only the fields of the event are set in @r; the rest are zero.
 */
static enum ct_line parse_event(const char *const *w, const size_t *wl,
				size_t nw, struct ct_rec *r)
{
	int fork = wl[0] == 4 && !memcmp(w[0], "fork", 4);
	size_t i = 0;

	if (nw != (fork ? 7u : 5u))
		return CT_LINE_BAD;
	memset(r, 0, sizeof(*r));
	if (parse_ts(w[1], wl[1], &r->sec, &r->nsec) ||
	    parse_u32(w[2], wl[2], &r->cpu))
		return CT_LINE_BAD;
	if (fork && (parse_u32(w[3], wl[3], &r->pid) ||
		     parse_u32(w[5], wl[5], &r->child)))
		return CT_LINE_BAD;
	i = fork ? 4 : 3;
	if (parse_u32(w[i], wl[i], &r->tgid) ||
	    ct_decode_comm(w[nw - 1], wl[nw - 1], r->comm, &r->comm_len))
		return CT_LINE_BAD;
	if (!fork)
		r->pid = r->tgid;
	return fork ? CT_LINE_FORK : CT_LINE_EXIT;
}

/*
 * "# lost N events on cpu C", a fork or exit line, the column line, or
 * another header line.
 * A line of upper-case words only is the column line: every other header
 * line of the module has lower-case words.
 */
static enum ct_line parse_comment(struct ct_layout *l, const char *line,
				  size_t len, struct ct_rec *r)
{
	const char *w[CT_FIELDS_MAX];
	size_t wl[CT_FIELDS_MAX], nw, i;
	unsigned int seen = 0;
	struct ct_layout nl;

	nw = split(line + 1, len - 1, w, wl, CT_FIELDS_MAX);
	if (nw == 6 && wl[0] == 4 && !memcmp(w[0], "lost", 4)) {
		static const char *const fixed[] = { "events", "on", "cpu" };

		for (i = 0; i < 3; i++)
			if (wl[i + 2] != strlen(fixed[i]) ||
			    memcmp(w[i + 2], fixed[i], wl[i + 2]))
				return CT_LINE_BAD;
		if (parse_u64(w[1], wl[1], UINT64_MAX, &r->lost) ||
		    parse_u32(w[5], wl[5], &r->cpu))
			return CT_LINE_BAD;
		return CT_LINE_LOST;
	}
	if (nw && wl[0] == 4 && !memcmp(w[0], "lost", 4))
		return CT_LINE_BAD;
	if (nw && wl[0] == 4 && (!memcmp(w[0], "fork", 4) ||
				 !memcmp(w[0], "exit", 4)))
		return parse_event(w, wl, nw, r);
	for (i = 0; i < nw && i < CT_FIELDS_MAX; i++)
		if (!is_col_word(w[i], wl[i]))
			return CT_LINE_HEADER;
	if (!nw)
		return CT_LINE_HEADER;
	if (nw > CT_FIELDS_MAX)
		return CT_LINE_BAD_COLUMNS;
	for (i = 0; i < nw; i++) {
		int c = name_index(w[i], wl[i], ct_col_name, CT_COL_NR);

		if (c >= 0 && seen & 1u << c)
			return CT_LINE_BAD_COLUMNS;
		if (c >= 0)
			seen |= 1u << c;
		nl.col[i] = (signed char)c;
	}
	if (seen != (1u << CT_COL_NR) - 1)
		return CT_LINE_BAD_COLUMNS;
	nl.nf = (unsigned int)nw;
	*l = nl;
	return CT_LINE_COLUMNS;
}

/* One field of a record into @r. Return: 0, or -1 if malformed. */
static int parse_field(int col, const char *s, size_t n, struct ct_rec *r)
{
	int i;

	switch (col) {
	case CT_COL_TIMESTAMP:
		return parse_ts(s, n, &r->sec, &r->nsec);
	case CT_COL_CPU:
		return parse_u32(s, n, &r->cpu);
	case CT_COL_PID:
		return parse_u32(s, n, &r->pid);
	case CT_COL_TGID:
		return parse_u32(s, n, &r->tgid);
	case CT_COL_ADDRESS:
		return parse_hex(s, n, &r->addr);
	case CT_COL_SIZE:
		return parse_u64(s, n, UINT64_MAX, &r->size);
	case CT_COL_KIND:
		i = name_index(s, n, ct_kind_name, COWTRACE_KIND_NR);
		r->kind = (enum cowtrace_kind)i;
		return i < 0 ? -1 : 0;
	case CT_COL_MAP:
		i = name_index(s, n, ct_map_name, COWTRACE_MAP_NR);
		r->map = (enum cowtrace_map)i;
		return i < 0 ? -1 : 0;
	case CT_COL_RESULT:
		i = name_index(s, n, ct_result_name, COWTRACE_RESULT_NR);
		r->result = (enum cowtrace_result)i;
		return i < 0 ? -1 : 0;
	case CT_COL_IP:
		return parse_hex(s, n, &r->ip);
	case CT_COL_COMM:
		return ct_decode_comm(s, n, r->comm, &r->comm_len);
	default:
		return 0;	/* a column this reader does not know */
	}
}

/**
 * ct_parse_line - classify and parse one line, without its newline
 * @l:    the column layout; a valid column line replaces it
 * @line: the bytes (need not be NUL terminated)
 * @len:  their number
 * @r:    filled for CT_LINE_RECORD, CT_LINE_LOST, CT_LINE_FORK and
 *        CT_LINE_EXIT
 *
 * A record must have exactly the fields @l names, each well formed.
 * Return: what the line is; CT_LINE_BAD for anything malformed.
 */
enum ct_line ct_parse_line(struct ct_layout *l, const char *line, size_t len,
			   struct ct_rec *r)
{
	const char *f[CT_FIELDS_MAX];
	size_t fl[CT_FIELDS_MAX], nf, i;

	if (!len || len > CT_LINE_MAX || memchr(line, '\0', len))
		return CT_LINE_BAD;
	if (line[0] == '#')
		return parse_comment(l, line, len, r);
	if (line[0] == ' ')
		return CT_LINE_BAD;
	nf = split(line, len, f, fl, l->nf);
	if (nf != l->nf)
		return CT_LINE_BAD;
	for (i = 0; i < nf; i++)
		if (parse_field(l->col[i], f[i], fl[i], r))
			return CT_LINE_BAD;
	return CT_LINE_RECORD;
}

/**
 * ct_header_u64 - the value of KEY=N in a header line
 * @line: a line starting with '#'
 * @len:  its length
 * @key:  e.g. "missed"
 * @v:    set to N when found
 *
 * Return: 0 when the line has a word @key=N with N decimal, else -1.
 */
int ct_header_u64(const char *line, size_t len, const char *key, uint64_t *v)
{
	const char *w[CT_FIELDS_MAX];
	size_t wl[CT_FIELDS_MAX], nw, i, kl = strlen(key);

	if (!len || line[0] != '#')
		return -1;
	nw = split(line + 1, len - 1, w, wl, CT_FIELDS_MAX);
	if (nw > CT_FIELDS_MAX)
		nw = CT_FIELDS_MAX;
	for (i = 0; i < nw; i++)
		if (wl[i] > kl && !memcmp(w[i], key, kl) && w[i][kl] == '=')
			return parse_u64(w[i] + kl + 1, wl[i] - kl - 1,
					 UINT64_MAX, v);
	return -1;
}
