// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: --by KEY[,KEY...]: per value of the keys, a count of
 * records for each RESULT, the bytes copied and their share of all bytes
 * copied, largest first, then a total line. The rows live in the keyed
 * hash table of table.c, under a composite key: each key's value as a
 * length-prefixed string, in the order the keys were given.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "by.h"

static const char *const key_name[CT_BY_NR] = {
	[CT_BY_PROCESS] = "process", [CT_BY_COMM] = "comm",
	[CT_BY_FUNCTION] = "function", [CT_BY_OBJECT] = "object",
	[CT_BY_REGION] = "region", [CT_BY_KIND] = "kind", [CT_BY_MAP] = "map",
	[CT_BY_RESULT] = "result",
};

#define KEY_MAX		(CT_BY_NR * (CT_NAME_MAX + 16) + 64)
#define UNKNOWN		0xffff	/* length of a value not known */

/**
 * ct_by_parse - the argument of --by: keys separated by commas
 * Return: 0, or -1 when a key is unknown, repeated or missing.
 */
int ct_by_parse(struct ct_by *b, const char *arg)
{
	const char *p = arg;

	b->nkeys = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		int k, i;

		for (k = 0; k < CT_BY_NR; k++)
			if (strlen(key_name[k]) == n && !memcmp(p, key_name[k], n))
				break;
		if (k == CT_BY_NR)
			return -1;
		for (i = 0; i < b->nkeys; i++)
			if (b->key[i] == (enum ct_by_key)k)
				return -1;
		b->key[b->nkeys++] = k;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/** ct_by_needs_where - whether a key needs ct_where() (function, object, region) */
bool ct_by_needs_where(const struct ct_by *b)
{
	int i;

	for (i = 0; i < b->nkeys; i++)
		if (b->key[i] == CT_BY_FUNCTION || b->key[i] == CT_BY_OBJECT ||
		    b->key[i] == CT_BY_REGION)
			return true;
	return false;
}

/**
 * ct_key_put - append a value to a composite key
 * @key: the key; @at: its length so far; @size: its room
 * @s:   the value (any bytes), NULL for unknown; @n: its bytes (cut at
 *       CT_NAME_MAX)
 * Return: the new length.
 */
size_t ct_key_put(char *key, size_t at, size_t size, const char *s, size_t n)
{
	uint16_t l;

	if (n > CT_NAME_MAX)
		n = CT_NAME_MAX;
	l = s ? (uint16_t)n : UNKNOWN;
	if (at + 2 + (s ? n : 0) > size)
		return at;
	memcpy(key + at, &l, 2);
	if (s)
		memcpy(key + at + 2, s, n);
	return at + 2 + (s ? n : 0);
}

/**
 * ct_key_get - the value at @at of a composite key of @len bytes
 * @s: set to it (NULL: unknown); @n: set to its bytes
 * Return: where the next value starts.
 */
size_t ct_key_get(const char *key, size_t len, size_t at, const char **s, size_t *n)
{
	uint16_t l;

	*s = NULL;
	*n = 0;
	if (at + 2 > len)
		return len;
	memcpy(&l, key + at, 2);
	if (l == UNKNOWN)
		return at + 2;
	if (at + 2 + l > len)
		return len;
	*s = key + at + 2;
	*n = l;
	return at + 2 + l;
}

static size_t put_str(char *key, size_t at, const char *s)
{
	return ct_key_put(key, at, KEY_MAX, s, s ? strlen(s) : 0);
}

/**
 * ct_by_add - count @r under its keys' values
 * @w: where @r came from (ct_where()), when ct_by_needs_where()
 * Return: 0, or -1 when out of memory.
 */
int ct_by_add(struct ct_by *b, const struct ct_rec *r, const struct ct_where *w)
{
	char key[KEY_MAX], num[16];
	struct ct_count *c;
	size_t at = 0;
	int i;

	for (i = 0; i < b->nkeys; i++) {
		switch (b->key[i]) {
		case CT_BY_PROCESS:
			snprintf(num, sizeof(num), "%" PRIu32, r->tgid);
			at = put_str(key, at, num);
			/* the process is TGID and COMM */
			__attribute__((fallthrough));
		case CT_BY_COMM:
			at = ct_key_put(key, at, sizeof(key), r->comm, r->comm_len);
			break;
		case CT_BY_FUNCTION:
			at = put_str(key, at, w->function);
			break;
		case CT_BY_OBJECT:
			at = put_str(key, at, w->object);
			break;
		case CT_BY_REGION:
			at = put_str(key, at, w->region);
			break;
		case CT_BY_KIND:
			at = put_str(key, at, ct_kind_name[r->kind]);
			break;
		case CT_BY_MAP:
			at = put_str(key, at, ct_map_name[r->map]);
			break;
		case CT_BY_RESULT:
			at = put_str(key, at, ct_result_name[r->result]);
			break;
		default:
			break;
		}
	}
	c = ct_table_getk(&b->t, key, at, true);
	if (!c)
		return -1;
	ct_count_add(c, r);
	b->records++;
	return 0;
}

static uint64_t copied(const struct ct_count *c)
{
	return c->bytes[COWTRACE_RESULT_COPY];
}

/* Largest bytes copied first; ties: more records first, then the key. */
static int by_copied(const void *a, const void *b)
{
	const struct ct_count *x = a, *y = b;
	uint64_t rx = ct_count_records(x), ry = ct_count_records(y);
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int d;

	if (copied(x) != copied(y))
		return copied(x) < copied(y) ? 1 : -1;
	if (rx != ry)
		return rx < ry ? 1 : -1;
	d = memcmp(x->key, y->key, n);
	return d ? d : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

static void upper(const char *s, char *out, size_t size)
{
	size_t j;

	for (j = 0; s[j] && j < size - 1; j++)
		out[j] = (char)toupper((unsigned char)s[j]);
	out[j] = '\0';
}

/* The columns of the keys: a process is two (TGID, COMM). */
static int columns(const struct ct_by *b, const char **name)
{
	int i, n = 0;

	for (i = 0; i < b->nkeys; i++) {
		if (b->key[i] == CT_BY_PROCESS)
			name[n++] = "TGID";
		name[n++] = b->key[i] == CT_BY_PROCESS ? "COMM" : key_name[b->key[i]];
	}
	return n;
}

/* The values of row @c, escaped into @val (each one field, "-" unknown). */
static void values(const struct ct_count *c, int ncol, char (*val)[4 * CT_NAME_MAX + 1])
{
	size_t at = 0, n;
	const char *s;
	int i;

	for (i = 0; i < ncol; i++) {
		at = ct_key_get(c->key, c->key_len, at, &s, &n);
		if (!s)
			strcpy(val[i], "-");
		else if (!n)
			strcpy(val[i], "\\000");	/* as the empty comm is written */
		else
			ct_escape(s, n, val[i], 0x21);
	}
}

/**
 * ct_by_print - the table, a total line, then "N records, N lost"
 * @b:    the table; sorted by this call
 * @lost: records lost
 * @f:    where to
 *
 * A column per key (TGID and COMM for process), each value one field
 * (escaped as COMM is, "-" where unknown), a column per RESULT,
 * BYTES_COPIED (SIZE summed over copy) and SHARE (of all bytes copied).
 * Keys past the table's room count in one row, "(other)".
 */
void ct_by_print(struct ct_by *b, uint64_t lost, FILE *f)
{
	static char val[CT_BY_NR + 1][4 * CT_NAME_MAX + 1];
	const char *name[CT_BY_NR + 1];
	struct ct_count total = { 0 };
	size_t width[CT_BY_NR + 1], i;
	int ncol = columns(b, name), k, j;
	char h[16];

	ct_table_sort(&b->t, by_copied);
	for (j = 0; j < ncol; j++)
		width[j] = strlen(name[j]) > 7 ? strlen(name[j]) : 7;
	for (i = 0; i < b->t.n; i++) {
		values(&b->t.ent[i], ncol, val);
		for (j = 0; j < ncol; j++)
			if (strlen(val[j]) > width[j] && strlen(val[j]) < 64)
				width[j] = strlen(val[j]);
	}
	for (j = 0; j < ncol; j++) {
		upper(name[j], h, sizeof(h));
		fprintf(f, "%s%-*s", j ? " " : "", (int)width[j], h);
	}
	for (k = 0; k < COWTRACE_RESULT_NR; k++) {
		upper(ct_result_name[k], h, sizeof(h));
		fprintf(f, " %8s", h);
	}
	fprintf(f, " %14s %7s\n", "BYTES_COPIED", "SHARE");
	for (i = 0; i < b->t.n; i++)
		for (k = 0; k < COWTRACE_RESULT_NR; k++) {
			total.records[k] += b->t.ent[i].records[k];
			total.bytes[k] += b->t.ent[i].bytes[k];
		}
	for (k = 0; k < COWTRACE_RESULT_NR; k++) {
		total.records[k] += b->t.other.records[k];
		total.bytes[k] += b->t.other.bytes[k];
	}
	for (i = 0; i <= b->t.n + 1; i++) {
		const struct ct_count *c = i < b->t.n ? &b->t.ent[i] :
					   i == b->t.n ? &b->t.other : &total;

		if (c == &b->t.other && !ct_count_records(c))
			continue;
		if (c == &b->t.other || c == &total) {
			for (j = 0; j < ncol; j++)
				strcpy(val[j], j ? "-" : c == &total ? "(total)" : "(other)");
		} else {
			values(c, ncol, val);
		}
		for (j = 0; j < ncol; j++)
			fprintf(f, "%s%-*s", j ? " " : "", (int)width[j], val[j]);
		for (k = 0; k < COWTRACE_RESULT_NR; k++)
			fprintf(f, " %8" PRIu64, c->records[k]);
		fprintf(f, " %14" PRIu64 " %6.2f%%\n", copied(c),
			copied(&total) ? 100.0 * (double)copied(c) / (double)copied(&total) : 0.0);
	}
	fprintf(f, "%" PRIu64 " records, %" PRIu64 " lost\n", b->records, lost);
}

/** ct_by_free - free what ct_by_add() allocated */
void ct_by_free(struct ct_by *b)
{
	ct_table_free(&b->t);
	b->records = 0;
}
