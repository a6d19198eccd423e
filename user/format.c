// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: a record as one JSON object or one CSV row, and the
 * escaping of the decoded comm (arbitrary bytes) that these need.
 */
#define _POSIX_C_SOURCE 200809L	/* strnlen */
#include <string.h>

#include "format.h"

/* The JSON keys, in the order ct_format_json() writes them. */
const char ct_csv_header[] =
	"ts,cpu,pid,tgid,addr,size,kind,map,result,ip,comm\r\n";

/* The module's column line, which text output starts with. */
const char ct_text_columns[] =
	"# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM\n";

/**
 * ct_utf8_len - length of the valid UTF-8 sequence at @s
 * @s: bytes
 * @n: how many may be looked at, at least 1
 *
 * Overlong forms, surrogates and code points past U+10FFFF are not valid.
 * Return: 1 to 4, or 0 if @s does not start a valid sequence.
 */
size_t ct_utf8_len(const unsigned char *s, size_t n)
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
 * Valid UTF-8 is kept; '"', '\' and control bytes (C0, DEL, and C1 written
 * in UTF-8) are escaped; a byte that is not part of valid UTF-8 is written
 * as \u00XX (its Latin-1 reading).
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
		size_t tl = 0, k, u = ct_utf8_len(s + i, n - i);

		if (u == 1 && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\' &&
		    s[i] != 0x7f) {
			tmp[tl++] = (char)s[i];
		} else if (u == 1 && (s[i] == '"' || s[i] == '\\')) {
			tmp[tl++] = '\\';
			tmp[tl++] = (char)s[i];
		} else if (u > 1 && !ct_utf8_c1(s + i, u)) {
			for (k = 0; k < u; k++)
				tmp[tl++] = (char)s[i + k];
		} else {
			unsigned char c = s[i];

			if (u == 2)
				c = s[i + 1];	/* C1: U+0080 to U+009F, its second byte */
			else
				u = 1;
			memcpy(tmp, "\\u00", 4);
			tmp[4] = hex[c >> 4];
			tmp[5] = hex[c & 15];
			tl = 6;
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

/*
 * Inlined whatever the compiler weighs: called for several fields of
 * every record, a call costs as much as the work.
 */
#define ct_inline	inline __attribute__((always_inline))

/*
 * Appending by hand: snprintf with eleven conversions per record made
 * JSON output three times slower than parsing. Each format writes its
 * line with a pointer, unbounded, into room for any line (line_end()).
 */
static const char spaces16[] = "                ";

/* "00" to "99": two digits per division, half the divisions. */
static const char digits2[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* The four digits of @v < 10000, zero padded, at @p. */
static ct_inline void dec4(char *p, uint32_t v)
{
	memcpy(p, digits2 + 2 * (v / 100), 2);
	memcpy(p + 2, digits2 + 2 * (v % 100), 2);
}

/* The eight digits of @v < 10^8, zero padded, at @p. */
static ct_inline void dec8(char *p, uint32_t v)
{
	dec4(p, v / 10000);
	dec4(p + 4, v % 10000);
}

/*
 * @v < 10000 in decimal at @p, 1 to 4 digits. The comparisons that pick
 * the length also count the digits: no loop, no table of powers.
 */
static ct_inline char *dec_small(char *p, uint32_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	if (v < 100) {
		memcpy(p, digits2 + 2 * v, 2);
		return p + 2;
	}
	if (v < 1000) {
		*p = (char)('0' + v / 100);
		memcpy(p + 1, digits2 + 2 * (v % 100), 2);
		return p + 3;
	}
	dec4(p, v);
	return p + 4;
}

/*
 * @v in decimal at @p: groups of up to four digits, the first one
 * without its leading zeros. 32-bit divisions, half the instructions of
 * 64-bit ones.
 */
static ct_inline char *dec32(char *p, uint32_t v)
{
	if (v < 10000)
		return dec_small(p, v);
	if (v < 100000000) {
		p = dec_small(p, v / 10000);
		dec4(p, v % 10000);
		return p + 4;
	}
	p = dec_small(p, v / 100000000);	/* 1 to 42 */
	dec8(p, v % 100000000);
	return p + 8;
}

/* @v in decimal at @p; past 32 bits, the last eight digits after the rest. */
static char *dec(char *p, uint64_t v)
{
	if (v <= UINT32_MAX)
		return dec32(p, (uint32_t)v);
	if (v / 100000000 <= UINT32_MAX) {
		p = dec32(p, (uint32_t)(v / 100000000));
	} else {
		/* Past 10^16 x 2^32: fewer than 1845 times 10^16. */
		p = dec_small(p, (uint32_t)(v / 10000000000000000ULL));
		dec8(p, (uint32_t)(v / 100000000 % 100000000));
		p += 8;
	}
	dec8(p, (uint32_t)(v % 100000000));
	return p + 8;
}

/* NSEC: nine digits, zero padded ("%09u"). */
static ct_inline char *dec9(char *p, uint32_t v)
{
	if (v >= 1000000000)
		return dec(p, v);	/* not from a record: as "%09u" would */
	*p = (char)('0' + v / 100000000);
	dec8(p + 1, v % 100000000);
	return p + 9;
}

/* "00" to "ff", the two hex digits of a byte, built by tables_init(). */
static char hex2[256][2];

/*
 * "0x" and @v in lower-case hex, no padding, at @p: two bytes per step,
 * then a byte and a nibble as needed.
 */
static ct_inline char *hex(char *p, uint64_t v)
{
	int n = v ? (67 - __builtin_clzll(v)) / 4 : 1, k;
	char *q = p + 2 + n;

	p[0] = '0';
	p[1] = 'x';
	for (k = n / 4; k; k--, v >>= 16) {
		q -= 4;
		memcpy(q, hex2[v >> 8 & 255], 2);
		memcpy(q + 2, hex2[v & 255], 2);
	}
	if (n & 2) {
		q -= 2;
		memcpy(q, hex2[v & 255], 2);
		v >>= 8;
	}
	if (n & 1)
		q[-1] = "0123456789abcdef"[v & 15];
	return p + 2 + n;
}

/*
 * The end of a field written from @start to @p, padded with spaces to
 * @width, and its separator. The caller filled the bytes with spaces
 * before writing the field, so the padding is already there.
 * Return: past the separator.
 */
static char *field_end(char *p, const char *start, size_t width)
{
	if ((size_t)(p - start) < width)
		p = (char *)start + width;
	return p + 1;
}

#define ONES	0x0101010101010101ULL	/* 0x01 in each byte */

/* The top bit of each byte of @w that is @b; 0 when there is none. */
static ct_inline uint64_t bytes_eq(uint64_t w, unsigned char b)
{
	uint64_t e = w ^ b * ONES;

	return (e - ONES) & ~e & 0x80 * ONES;
}

/*
 * Of the eight bytes at @c, those whose @keep byte is 0xff: the top bit
 * of each that would need an escape set in the result, which is 0 when
 * there is none. That is a byte below @lo or above 0x7e, '\\' or @q (in
 * text, below 0x21 or '\\'; in JSON, below 0x20, '\\' or '"'). The
 * word-at-a-time tests (Hacker's Delight); bytes not kept are made 'a'
 * first. The mask is loaded as the bytes are: either byte order holds.
 */
static ct_inline uint64_t escaped8(const char *c, const unsigned char *keep,
				   unsigned char lo, unsigned char q)
{
	uint64_t w, m;

	memcpy(&w, c, 8);
	memcpy(&m, keep, 8);
	w = (w & m) | ('a' * ONES & ~m);
	return ((((w - lo * ONES) & ~w) | (w + ONES) | w) & 0x80 * ONES) |
	       bytes_eq(w, '\\') | bytes_eq(w, q);
}

/* At keep + 16 - n, @n bytes 0xff then zeros: the bytes of a comm. */
static const unsigned char keep[32] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/*
 * Whether a comm of @n bytes (1 to CT_COMM_MAX) at @c, which has
 * CT_COMM_MAX + 1 bytes, is written as itself (escaped8() for @lo and
 * @q): eight bytes at a time, the second eight only for a longer comm.
 */
static ct_inline int comm_plain(const char *c, size_t n, unsigned char lo,
				unsigned char q)
{
	if (escaped8(c, keep + 16 - n, lo, q))
		return 0;
	return n <= 8 || !escaped8(c + 8, keep + 24 - n, lo, q);
}

/* Whether a CSV field of comm @c (as above) needs no quotes. */
static int csv_plain(const char *c, size_t n)
{
	uint64_t w, m, bad = 0;
	size_t i;

	for (i = 0; i < 16; i += 8) {
		memcpy(&w, c + i, 8);
		memcpy(&m, keep + 16 - n + i, 8);
		w = (w & m) | ('a' * ONES & ~m);
		bad |= bytes_eq(w, ',') | bytes_eq(w, '"') | bytes_eq(w, '\r') |
		       bytes_eq(w, '\n');
	}
	return !bad;
}

/*
 * KIND, MAP and RESULT names padded with spaces to 8 bytes ("write   ",
 * "anon    "), and their lengths, built once from the shared names, so
 * that a line copies each with one 8-byte move.
 */
static char kind8[COWTRACE_KIND_NR][8], map8[COWTRACE_MAP_NR][8],
	    result8[COWTRACE_RESULT_NR][8];

/*
 * 2^k in decimal and spaces after, for SIZE: a text line copies all 24
 * bytes (its padding is spaces anyway) and moves on by pow2_len[k].
 */
static char pow2_24[64][24];
static unsigned char pow2_len[64];

static unsigned char kind_len[COWTRACE_KIND_NR], map_len[COWTRACE_MAP_NR],
		     result_len[COWTRACE_RESULT_NR];

static void pad8(char (*dst)[8], unsigned char *lens, const char *const *names,
		 size_t n)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		memcpy(dst[i], spaces16, 8);
		len = strlen(names[i]);
		lens[i] = len < 8 ? len : 8;
		memcpy(dst[i], names[i], lens[i]);
	}
}

/* hex2[], the padded names and pow2_24[], once, before the first record. */
static void tables_init(void)
{
	static int done;
	int i;

	if (done)
		return;
	for (i = 0; i < 256; i++) {
		hex2[i][0] = "0123456789abcdef"[i >> 4];
		hex2[i][1] = "0123456789abcdef"[i & 15];
	}
	pad8(kind8, kind_len, ct_kind_name, COWTRACE_KIND_NR);
	pad8(map8, map_len, ct_map_name, COWTRACE_MAP_NR);
	pad8(result8, result_len, ct_result_name, COWTRACE_RESULT_NR);
	for (i = 0; i < 64; i++) {
		memcpy(pow2_24[i], spaces16, 16);
		memcpy(pow2_24[i] + 16, spaces16, 8);
		pow2_len[i] = dec(pow2_24[i], 1ULL << i) - pow2_24[i];
	}
	done = 1;
}

/*
 * A line is written from @line to @p without a bound: straight into @out
 * when it has room for any line (CT_OUT_MAX, the reader's case), else
 * into a buffer that size, then copied to @out as far as @size allows.
 * Return: the length in @out, NUL terminated.
 */
#define LINE_BUF(tmp, out, size)	((size) >= CT_OUT_MAX ? (out) : (tmp))

static ct_inline size_t line_end(char *line, char *p, char *out, size_t size)
{
	size_t n = p - line;

	*p = '\0';
	if (line != out) {
		if (n > size - 1)
			n = size - 1;
		memcpy(out, line, n);
		out[n] = '\0';
	}
	return n;
}

/* Append the string literal @s at @p: a copy of a constant size. */
#define LIT(p, s)	(memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

/* Whether @r's comm may be copied whole once checked plain: 1 to 15 bytes. */
static ct_inline int comm_fits(const struct ct_rec *r)
{
	return r->comm_len && r->comm_len <= CT_COMM_MAX;
}

/* @r's comm, nothing to escape: 16 bytes moved, its length kept. */
static ct_inline char *comm_copy(char *p, const struct ct_rec *r)
{
	memcpy(p, r->comm, sizeof(r->comm));
	return p + r->comm_len;
}

/* A name of the padded table @name8 unpadded: 8 bytes moved, @len kept. */
static ct_inline char *name(char *p, const char *name8, unsigned char len)
{
	memcpy(p, name8, 8);
	return p + len;
}

/**
 * ct_format_text - @r as the module writes it in /proc/cowtrace
 * @r:    a record
 * @out:  destination, NUL terminated; CT_OUT_MAX bytes suffice
 * @size: its size, at least 1
 *
 * The module's "%llu.%09u %-3u %-7u %-7u 0x%-12llx %-7llu %-7s %-6s %-6s
 * 0x%-12llx %s\n", byte for byte, COMM escaped as it escapes it.
 * Return: the length written.
 */
size_t ct_format_text(const struct ct_rec *r, char *out, size_t size)
{
	char tmp[CT_OUT_MAX], *line, *p, *s;
	int k;

	tables_init();
	line = LINE_BUF(tmp, out, size);
	/* 136 years of seconds fit 32 bits: the inlined path, no call. */
	p = r->sec <= UINT32_MAX ? dec32(line, (uint32_t)r->sec) :
				   dec(line, r->sec);
	*p++ = '.';
	p = dec9(p, r->nsec);
	/*
	 * Spaces first, each field then written over them: CPU, PID and TGID
	 * take at most 3 * 11 bytes, ADDRESS and SIZE 19 + 24 (SIZE from
	 * pow2_24[], whole), IP 19.
	 */
	memcpy(p, spaces16, 16);
	memcpy(p + 16, spaces16, 16);
	memcpy(p + 32, spaces16, 16);
	s = p + 1;
	p = field_end(dec32(s, r->cpu), s, 3);
	s = p;
	p = field_end(dec32(s, r->pid), s, 7);
	/* TGID is PID for most threads: its field (8 bytes at most) copied. */
	if (r->tgid == r->pid && p - s == 8) {
		memcpy(p, s, 8);
		s = p;
		p += 8;
	} else {
		s = p;
		p = field_end(dec32(s, r->tgid), s, 7);
	}
	s = p;
	memcpy(s, spaces16, 16);
	memcpy(s + 16, spaces16, 16);
	memcpy(s + 32, spaces16, 16);
	p = field_end(hex(s, r->addr), s, 2 + 12);
	s = p;
	/* SIZE is a power of two (1 << shift): its digits made once. */
	if (r->size && !(r->size & (r->size - 1))) {
		k = __builtin_ctzll(r->size);
		memcpy(s, pow2_24[k], 24);
		p = field_end(s + pow2_len[k], s, 7);
	} else {
		p = field_end(dec(s, r->size), s, 7);
	}
	/* KIND padded to 7, MAP and RESULT to 6, each with its space. */
	memcpy(p, kind8[r->kind], 8);
	memcpy(p + 8, map8[r->map], 8);
	p[14] = ' ';
	memcpy(p + 15, result8[r->result], 8);
	p[21] = ' ';
	s = p + 22;
	memcpy(s, spaces16, 16);
	memcpy(s + 16, spaces16, 16);
	p = field_end(hex(s, r->ip), s, 2 + 12);
	/* Most comms need no escape: copied whole, the rest written over. */
	if (comm_fits(r) && comm_plain(r->comm, r->comm_len, 0x21, '\\'))
		p = comm_copy(p, r);
	else
		p += ct_encode_comm(r->comm, r->comm_len, p);
	*p++ = '\n';
	return line_end(line, p, out, size);
}

/**
 * ct_format_json - @r as one JSON object and a newline
 * @r:    a record
 * @out:  destination, NUL terminated; CT_OUT_MAX bytes suffice
 * @size: its size, at least 1
 *
 * Keys in the order of ct_csv_header. ts is a string, so that its nine
 * decimals survive a JSON reader's doubles; addr and ip are "0x" strings.
 * Return: the length written.
 */
size_t ct_format_json(const struct ct_rec *r, char *out, size_t size)
{
	char tmp[CT_OUT_MAX], *line, *p;

	tables_init();
	line = LINE_BUF(tmp, out, size);
	p = LIT(line, "{\"ts\":\"");
	p = dec(p, r->sec);
	*p++ = '.';
	p = dec9(p, r->nsec);
	p = LIT(p, "\",\"cpu\":");
	p = dec32(p, r->cpu);
	p = LIT(p, ",\"pid\":");
	p = dec32(p, r->pid);
	p = LIT(p, ",\"tgid\":");
	p = dec32(p, r->tgid);
	p = LIT(p, ",\"addr\":\"");
	p = hex(p, r->addr);
	p = LIT(p, "\",\"size\":");
	p = dec(p, r->size);
	p = LIT(p, ",\"kind\":\"");
	p = name(p, kind8[r->kind], kind_len[r->kind]);
	p = LIT(p, "\",\"map\":\"");
	p = name(p, map8[r->map], map_len[r->map]);
	p = LIT(p, "\",\"result\":\"");
	p = name(p, result8[r->result], result_len[r->result]);
	p = LIT(p, "\",\"ip\":\"");
	p = hex(p, r->ip);
	p = LIT(p, "\",\"comm\":\"");
	/* As in text: most comms are copied whole (here a space is plain). */
	if (comm_fits(r) && comm_plain(r->comm, r->comm_len, 0x20, '"'))
		p = comm_copy(p, r);
	else
		p += ct_json_string(r->comm, r->comm_len, p, 6 * CT_COMM_MAX + 1);
	p = LIT(p, "\"}\n");
	return line_end(line, p, out, size);
}

/**
 * ct_format_csv - @r as one RFC 4180 row, CRLF ended
 * @r:    a record
 * @out:  destination, NUL terminated; CT_OUT_MAX bytes suffice
 * @size: its size, at least 1
 *
 * Columns as in ct_csv_header; comm as COMM is in text (escaped, so that
 * the file holds printable ASCII only), quoted as needed.
 * Return: the length written.
 */
size_t ct_format_csv(const struct ct_rec *r, char *out, size_t size)
{
	char tmp[CT_OUT_MAX], *line, *p;

	tables_init();
	line = LINE_BUF(tmp, out, size);
	p = dec(line, r->sec);
	*p++ = '.';
	p = dec9(p, r->nsec);
	*p++ = ',';
	p = dec32(p, r->cpu);
	*p++ = ',';
	p = dec32(p, r->pid);
	*p++ = ',';
	p = dec32(p, r->tgid);
	*p++ = ',';
	p = hex(p, r->addr);
	*p++ = ',';
	p = dec(p, r->size);
	*p++ = ',';
	p = name(p, kind8[r->kind], kind_len[r->kind]);
	*p++ = ',';
	p = name(p, map8[r->map], map_len[r->map]);
	*p++ = ',';
	p = name(p, result8[r->result], result_len[r->result]);
	*p++ = ',';
	p = hex(p, r->ip);
	*p++ = ',';
	/* Most comms need neither escapes nor quotes: copied whole. */
	if (comm_fits(r) && comm_plain(r->comm, r->comm_len, 0x21, '\\') &&
	    csv_plain(r->comm, r->comm_len)) {
		p = comm_copy(p, r);
	} else {
		char esc[CT_COMM_ESC];
		size_t n = ct_encode_comm(r->comm, r->comm_len, esc);

		p += ct_csv_field(esc, n, p, 2 * CT_COMM_ESC + 1);
	}
	p = LIT(p, "\r\n");
	return line_end(line, p, out, size);
}

/**
 * ct_format_lost - a lost line, as the module writes it
 * @r:    a CT_LINE_LOST: @r->lost records lost on CPU @r->cpu
 * @out:  destination, NUL terminated; CT_OUT_MAX bytes suffice
 * @size: its size, at least 1
 *
 * Written from the numbers, never copied from the input line.
 * Return: the length written, its newline included.
 */
size_t ct_format_lost(const struct ct_rec *r, char *out, size_t size)
{
	char tmp[CT_OUT_MAX], *line, *p;

	line = LINE_BUF(tmp, out, size);
	p = LIT(line, "# lost ");
	p = dec(p, r->lost);
	p = LIT(p, " events on cpu ");
	p = dec32(p, r->cpu);
	*p++ = '\n';
	return line_end(line, p, out, size);
}

/* -a: the column line and CSV header with SYMBOL, OBJECT, REGION */
const char ct_csv_header_where[] =
	"ts,cpu,pid,tgid,addr,size,kind,map,result,ip,comm,sym,obj,region\r\n";
const char ct_text_columns_where[] =
	"# TIMESTAMP CPU PID TGID ADDRESS SIZE KIND MAP RESULT IP COMM SYMBOL OBJECT REGION\n";

/* One name of -a in @fmt at @p; NULL is unknown. Return: the end. */
static char *where_field(int fmt, const char *s, char *p)
{
	char esc[4 * CT_NAME_MAX + 1];
	size_t n = s ? strnlen(s, CT_NAME_MAX) : 0;

	switch (fmt) {
	case CT_FMT_TEXT:
		*p++ = ' ';
		if (!s || !n)
			return LIT(p, "-");
		return p + ct_escape(s, n, p, 0x21);
	case CT_FMT_JSON:
		if (!s)
			return LIT(p, "null");
		*p++ = '"';
		p += ct_json_string(s, n, p, 6 * CT_NAME_MAX + 1);
		*p++ = '"';
		return p;
	default:
		if (!s)
			return p;
		n = ct_escape(s, n, esc, 0x20);
		return p + ct_csv_field(esc, n, p, 2 * sizeof(esc) + 3);
	}
}

/**
 * ct_format_where - add -a's SYMBOL, OBJECT and REGION to a formatted record
 * @fmt:    CT_FMT_TEXT, CT_FMT_JSON or CT_FMT_CSV: what @line is
 * @sym, @obj, @region: the names, any bytes but NUL; NULL where unknown
 * @line:   a line as ct_format_text(), _json() or _csv() wrote it
 * @len:    its length
 * @size:   room at @line: at least @len + CT_WHERE_OUT
 *
 * Text: three more columns, escaped as COMM is (one field each), "-" where
 * unknown. JSON: keys sym, obj, region (null where unknown). CSV: three
 * more fields (empty where unknown), escaped as COMM is but for spaces.
 * Names longer than CT_NAME_MAX are cut there.
 * Return: the new length of @line, NUL terminated.
 */
size_t ct_format_where(int fmt, const char *sym, const char *obj,
		       const char *region, char *line, size_t len, size_t size)
{
	char *p;

	if (size < len + CT_WHERE_OUT)
		return len;
	/* Off with the end: "\n", "}\n" or "\r\n". */
	p = line + len - (fmt == CT_FMT_TEXT ? 1 : 2);
	if (fmt == CT_FMT_JSON) {
		p = LIT(p, ",\"sym\":");
		p = where_field(fmt, sym, p);
		p = LIT(p, ",\"obj\":");
		p = where_field(fmt, obj, p);
		p = LIT(p, ",\"region\":");
		p = where_field(fmt, region, p);
		p = LIT(p, "}\n");
	} else if (fmt == CT_FMT_CSV) {
		*p++ = ',';
		p = where_field(fmt, sym, p);
		*p++ = ',';
		p = where_field(fmt, obj, p);
		*p++ = ',';
		p = where_field(fmt, region, p);
		p = LIT(p, "\r\n");
	} else {
		p = where_field(fmt, sym, p);
		p = where_field(fmt, obj, p);
		p = where_field(fmt, region, p);
		*p++ = '\n';
	}
	*p = '\0';
	return (size_t)(p - line);
}

/**
 * ct_format_event - a fork or exit line, as the module writes it
 * @t:    CT_LINE_FORK or CT_LINE_EXIT
 * @r:    its fields
 * @out:  destination, NUL terminated; CT_OUT_MAX bytes suffice
 * @size: its size, at least 1
 *
 * "# fork TIMESTAMP CPU PID TGID CHILD COMM" or "# exit TIMESTAMP CPU
 * TGID COMM", one space apart, COMM escaped as in a record. Written from
 * the numbers, never copied from the input line.
 * Return: the length written, its newline included.
 */
size_t ct_format_event(enum ct_line t, const struct ct_rec *r, char *out,
		       size_t size)
{
	char tmp[CT_OUT_MAX], *line, *p;
	int fork = t == CT_LINE_FORK;

	tables_init();
	line = LINE_BUF(tmp, out, size);
	p = fork ? LIT(line, "# fork ") : LIT(line, "# exit ");
	p = dec(p, r->sec);
	*p++ = '.';
	p = dec9(p, r->nsec);
	*p++ = ' ';
	p = dec32(p, r->cpu);
	if (fork) {
		*p++ = ' ';
		p = dec32(p, r->pid);
	}
	*p++ = ' ';
	p = dec32(p, r->tgid);
	if (fork) {
		*p++ = ' ';
		p = dec32(p, r->child);
	}
	*p++ = ' ';
	p += ct_encode_comm(r->comm, r->comm_len, p);
	*p++ = '\n';
	return line_end(line, p, out, size);
}
