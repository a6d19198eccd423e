// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: a record's IP and ADDRESS resolved as perf report
 * resolves a sample: the process's mapping that holds each (maps.c), the
 * object that IP lies in and the symbol that covers it (symbols.c). What
 * cannot be resolved is named "unknown" and counted by reason, never
 * guessed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "attr.h"
#include "maps.h"
#include "symbols.h"

static uint64_t unresolved, why_count[CT_WHY_NR];

static const char *const why_name[CT_WHY_NR] = {
	[CT_WHY_NO_REGION] = "no mapping for ADDRESS",
	[CT_WHY_NO_MAPPING] = "no mapping for IP",
	[CT_WHY_ANON] = "IP in anonymous memory",
	[CT_WHY_VDSO] = "IP in [vdso]",
	[CT_WHY_UNREADABLE] = "object unreadable",
	[CT_WHY_BAD_ELF] = "object not valid ELF",
	[CT_WHY_MISMATCH] = "build-id mismatch",
	[CT_WHY_NO_SYMBOL] = "no symbol",
	[CT_WHY_TOO_MANY] = "too many objects",
};

/* @s cut to CT_NAME_MAX bytes into @buf where longer. */
static const char *kept(const char *s, char *buf)
{
	size_t n = strlen(s);

	if (n <= CT_NAME_MAX)
		return s;
	memcpy(buf, s, CT_NAME_MAX);
	buf[CT_NAME_MAX] = '\0';
	return buf;
}

/* "NAME+0xOFF" into @buf of @size (at least 20) bytes: snprintf's output, once per record without it. */
static const char *name_off(char *buf, size_t size, const char *name, uint64_t off)
{
	size_t n = strlen(name), k = 0;
	char hex[16];

	if (n > size - 20)
		n = size - 20;
	memcpy(buf, name, n);
	memcpy(buf + n, "+0x", 3);
	n += 3;
	do {
		hex[k++] = "0123456789abcdef"[off & 15];
		off >>= 4;
	} while (off);
	while (k)
		buf[n++] = hex[--k];
	buf[n] = '\0';
	return buf;
}

static void resolve_ip(struct ct_model *md, struct ct_map *m, uint64_t ip,
		       struct ct_where *w)
{
	uint64_t foff = ip - m->start + m->pgoff, off;
	const char *name;
	struct ct_obj *o;

	if (m->name && !strcmp(m->name, "[vdso]")) {
		w->object = "[vdso]";
		snprintf(w->sym_buf, sizeof(w->sym_buf), "[vdso]+0x%" PRIx64, ip - m->start);
		w->sym = w->sym_buf;
		w->why |= 1u << CT_WHY_VDSO;
		return;
	}
	if (!ct_map_is_file(m)) {
		w->why |= 1u << CT_WHY_ANON;	/* JIT, or code of unknown origin */
		return;
	}
	w->object = kept(m->name, w->obj_buf);
	o = ct_obj_get(md, m);
	if (!o) {
		w->why |= 1u << CT_WHY_TOO_MANY;
		return;
	}
	switch (ct_obj_err(o)) {
	case CT_OBJ_OK:
		break;
	case CT_OBJ_MISMATCH:
		snprintf(w->obj_buf, sizeof(w->obj_buf), "%.*s (build-id mismatch)",
			 CT_NAME_MAX, m->name);
		w->object = w->obj_buf;
		w->why |= 1u << CT_WHY_MISMATCH;
		return;
	case CT_OBJ_UNREADABLE:
		w->why |= 1u << CT_WHY_UNREADABLE;
		return;
	default:
		w->why |= 1u << CT_WHY_BAD_ELF;
		return;
	}
	if (ct_obj_sym(o, foff, &name, &off)) {
		w->sym = name_off(w->sym_buf, sizeof(w->sym_buf), w->object, foff);
		w->why |= 1u << CT_WHY_NO_SYMBOL;
		return;
	}
	w->function = kept(name, w->func_buf);
	w->sym = name_off(w->sym_buf, sizeof(w->sym_buf), w->function, off);
}

/**
 * ct_where - where @r's copy came from: REGION of ADDRESS, OBJECT and
 * SYMBOL of IP, in the layout of @r's process (TGID) as the reader knows
 * it (read from /proc the first time it sees the process and again for a
 * newer record that falls outside it, ct_maps_rec(); inherited at fork;
 * or from a recording's "# map" lines)
 * @r: a record
 * @w: filled (see struct ct_where); its strings live until the next call
 *     with the same @w, or until the reader frees its objects
 *
 * Nothing is counted: ct_where_count() does that, once per record.
 * Return: 0 when every part was resolved, else the number of parts not.
 */
int ct_where(const struct ct_rec *r, struct ct_where *w)
{
	struct ct_model *md;
	struct ct_map *a, *i;
	int n = 0, k;

	w->comm = r->comm;
	w->region = w->object = w->function = w->sym = NULL;
	w->why = 0;
	md = ct_maps_get(r->tgid);
	if (md)
		ct_maps_rec(md, r, &a, &i);
	else
		a = i = NULL;
	if (a)
		w->region = kept(ct_map_region(a), w->region_buf);
	else
		w->why |= 1u << CT_WHY_NO_REGION;
	if (i)
		resolve_ip(md, i, r->ip, w);
	else
		w->why |= 1u << CT_WHY_NO_MAPPING;
	for (k = 0; k < CT_WHY_NR; k++)
		n += !!(w->why & 1u << k);
	return n;
}

/** ct_where_count - count what @w could not resolve, for ct_where_report() */
void ct_where_count(const struct ct_where *w)
{
	int k;

	if (!w->why)
		return;
	unresolved++;
	for (k = 0; k < CT_WHY_NR; k++)
		if (w->why & 1u << k)
			why_count[k]++;
}

/**
 * ct_where_report - "# unresolved: N records (REASON M, ...)" on @f, when
 * any record was not wholly resolved
 */
void ct_where_report(FILE *f)
{
	const char *sep = "";
	int k;

	if (!unresolved)
		return;
	fprintf(f, "# unresolved: %" PRIu64 " records (", unresolved);
	for (k = 0; k < CT_WHY_NR; k++) {
		if (!why_count[k])
			continue;
		fprintf(f, "%s%s %" PRIu64, sep, why_name[k], why_count[k]);
		sep = ", ";
	}
	fprintf(f, ")\n");
}
