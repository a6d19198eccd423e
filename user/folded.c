// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: -o folded, the input of flamegraph.pl, inferno and
 * speedscope (Brendan Gregg's "folded" format, as stackcollapse-*.pl
 * writes it): one line per stack, "COMM;REGION;OBJECT;FUNCTION BYTES",
 * BYTES the SIZE summed over the records whose RESULT is copy; stacks
 * that copied nothing are left out. FUNCTION is the symbol without its
 * offset. A frame is escaped so that the line stays frames joined by ';',
 * a space, an integer: ';', '\' and bytes outside 0x20..0x7e are written
 * '\' and 3 octal digits (as COMM is in /proc/cowtrace); a space stays,
 * as in stackcollapse-perf.pl's C++ names ("std::vector<int, ...>"), since
 * every reader of the format takes the count after the last space; "-" is
 * a frame not known.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "by.h"
#include "folded.h"

#define KEY_MAX	(4 * (CT_NAME_MAX + 2) + 16)

static size_t put(char *key, size_t at, const char *s)
{
	return ct_key_put(key, at, KEY_MAX, s, s ? strlen(s) : 0);
}

/**
 * ct_folded_add - count @r's bytes copied under its stack
 * @w: where @r came from (ct_where())
 * Return: 0, or -1 when out of memory.
 */
int ct_folded_add(struct ct_folded *fd, const struct ct_rec *r,
		  const struct ct_where *w)
{
	char key[KEY_MAX];
	struct ct_count *c;
	size_t at;

	if (r->result != COWTRACE_RESULT_COPY)
		return 0;
	at = ct_key_put(key, 0, sizeof(key), r->comm, r->comm_len);
	at = put(key, at, w->region);
	at = put(key, at, w->object);
	at = put(key, at, w->function);
	c = ct_table_getk(&fd->t, key, at, true);
	if (!c)
		return -1;
	ct_count_add(c, r);
	return 0;
}

/**
 * ct_folded_frame - @s (@n bytes, NULL: unknown) as one frame
 * @out: 4 * @n + 1 bytes (at least 5), NUL terminated
 * Return: the length written.
 */
size_t ct_folded_frame(const char *s, size_t n, char *out)
{
	if (!s) {
		strcpy(out, "-");
		return 1;
	}
	if (!n) {
		strcpy(out, "\\000");
		return 4;
	}
	return ct_escape_also(s, n, out, 0x20, ';');
}

static int by_key(const void *a, const void *b)
{
	const struct ct_count *x = a, *y = b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int d = memcmp(x->key, y->key, n);

	return d ? d : (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

/** ct_folded_print - the stacks, sorted by their key, with their bytes copied */
void ct_folded_print(struct ct_folded *fd, FILE *f)
{
	static char frame[4 * CT_NAME_MAX + 1];
	size_t i;

	ct_table_sort(&fd->t, by_key);
	for (i = 0; i <= fd->t.n; i++) {
		const struct ct_count *c = i < fd->t.n ? &fd->t.ent[i] : &fd->t.other;
		uint64_t bytes = c->bytes[COWTRACE_RESULT_COPY];
		size_t at = 0, n;
		const char *s;
		int k;

		if (!bytes)
			continue;
		if (c == &fd->t.other) {
			fprintf(f, "(other) %" PRIu64 "\n", bytes);
			continue;
		}
		for (k = 0; k < 4; k++) {
			at = ct_key_get(c->key, c->key_len, at, &s, &n);
			ct_folded_frame(s, n, frame);
			fprintf(f, "%s%s", k ? ";" : "", frame);
		}
		fprintf(f, " %" PRIu64 "\n", bytes);
	}
}

/** ct_folded_free - free what ct_folded_add() allocated */
void ct_folded_free(struct ct_folded *fd)
{
	ct_table_free(&fd->t);
}
