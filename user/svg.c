// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: --svg PATH. One self-contained SVG, written at exit,
 * in the manner of perf timechart's svghelper.c: a few small functions
 * that each draw one thing, the styles in one <style> block, text as real
 * <text>. Two panels: the bytes each process copied over the time since
 * its fork (a line each, fork and exit marked, the largest named), and a
 * flame graph of where the bytes were copied (COMM;REGION;OBJECT;FUNCTION
 * as attribution resolves them, ct_svg_flame_where()).
 *
 * Bounded: CT_SVG_POINTS points a line (thinned to half when full),
 * CT_SVG_PROCS lines, CT_SVG_NODES frames; what is past a bound is
 * counted and said in the picture.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format.h"
#include "svg.h"

#define NSEC		1000000000ULL
#define WIDTH		1200
#define PLOT_X0		90	/* panel (a): the plot area */
#define PLOT_X1		900
#define PLOT_Y0		110
#define PLOT_Y1		450
#define LEGEND_X	930
#define FLAME_Y0	540	/* panel (b): its title */
#define FLAME_ROW	18
#define LINES_MAX	64	/* lines drawn, largest first */
#define NAMED		5	/* lines named at their end */
#define LEGEND_ROWS	12

static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};
#define NCOLORS	(sizeof(palette) / sizeof(palette[0]))

static uint64_t ns_of(const struct ct_rec *r)
{
	return r->sec * NSEC + r->nsec;
}

/* A new line for @tgid from @ns. Return: its index, or -1. */
static long proc_new(struct ct_svg *s, uint32_t tgid, const struct ct_rec *r,
		     bool forked)
{
	struct ct_svg_proc *p;

	if (s->n >= CT_SVG_PROCS) {
		s->dropped++;
		return -1;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		void *q = realloc(s->procs, cap * sizeof(*s->procs));

		if (!q)
			return -2;
		s->procs = q;
		s->cap = cap;
	}
	if (ct_tgid_put(&s->live, tgid, (uint32_t)s->n))
		return -2;
	p = &s->procs[s->n];
	memset(p, 0, sizeof(*p));
	p->tgid = tgid;
	p->comm_len = (uint8_t)r->comm_len;
	memcpy(p->comm, r->comm, sizeof(p->comm));
	p->forked = forked;
	p->start_ns = ns_of(r);
	return (long)s->n++;
}

/* Line @i goes (it copied nothing): the last takes its place. */
static void proc_drop(struct ct_svg *s, size_t i)
{
	uint32_t *v;

	free(s->procs[i].pts);
	if (i != --s->n) {
		s->procs[i] = s->procs[s->n];
		v = ct_tgid_get(&s->live, s->procs[i].tgid);
		if (v && *v == s->n)
			*v = (uint32_t)i;
	}
}

/* The TGID ends here: exited, or a fork line reuses it. */
static void proc_end(struct ct_svg *s, uint32_t tgid, uint64_t ns)
{
	uint32_t *v = ct_tgid_get(&s->live, tgid), i;

	if (!v)
		return;
	i = *v;
	ct_tgid_del(&s->live, tgid);
	if (!s->procs[i].bytes) {
		proc_drop(s, i);
		return;
	}
	s->procs[i].ended = true;
	s->procs[i].end_ns = ns < s->procs[i].start_ns ? s->procs[i].start_ns : ns;
}

/* One more point; a full line keeps every other one and a wider gap. */
static int point(struct ct_svg_proc *p, uint64_t ns)
{
	uint64_t t = ns > p->start_ns ? ns - p->start_ns : 0;
	uint32_t k;

	if (!p->pts && !(p->pts = malloc(CT_SVG_POINTS * sizeof(*p->pts))))
		return -1;
	if (p->n && t < p->pts[p->n - 1].t + p->gap) {
		p->pts[p->n - 1].t = t > p->pts[p->n - 1].t ? t : p->pts[p->n - 1].t;
		p->pts[p->n - 1].bytes = p->bytes;
		return 0;
	}
	if (p->n == CT_SVG_POINTS) {
		for (k = 1; k < CT_SVG_POINTS / 2; k++)
			p->pts[k] = p->pts[2 * k];
		p->pts[CT_SVG_POINTS / 2 - 1] = p->pts[CT_SVG_POINTS - 1];
		p->n = CT_SVG_POINTS / 2;
		p->gap = p->gap * 2 > t / (CT_SVG_POINTS / 2) ? p->gap * 2 :
							       t / (CT_SVG_POINTS / 2);
	}
	p->pts[p->n].t = t;
	p->pts[p->n++].bytes = p->bytes;
	return 0;
}

/**
 * ct_svg_add - follow a record, fork line or exit line for panel (a)
 * @s: the picture
 * @t: CT_LINE_RECORD, CT_LINE_FORK or CT_LINE_EXIT (others ignored)
 * @r: its fields
 *
 * A fork line starts its child's line at 0 (with its parent's comm until
 * the child shows its own); a process whose fork was not seen starts at
 * its first copy. Only RESULT copy adds bytes.
 * Return: 0, or -1 when out of memory.
 */
int ct_svg_add(struct ct_svg *s, enum ct_line t, const struct ct_rec *r)
{
	struct ct_svg_proc *p;
	uint32_t *v;
	long i;

	switch (t) {
	case CT_LINE_FORK:
		if (r->child == r->tgid)
			return 0;
		proc_end(s, r->child, ns_of(r));
		return proc_new(s, r->child, r, true) == -2 ? -1 : 0;
	case CT_LINE_EXIT:
		proc_end(s, r->tgid, ns_of(r));
		return 0;
	case CT_LINE_RECORD:
		break;
	default:
		return 0;
	}
	v = ct_tgid_get(&s->live, r->tgid);
	if (!v) {
		if (r->result != COWTRACE_RESULT_COPY)
			return 0;
		i = proc_new(s, r->tgid, r, false);
		if (i < 0)
			return i == -2 ? -1 : 0;
	} else {
		i = *v;
	}
	p = &s->procs[i];
	p->comm_len = (uint8_t)r->comm_len;
	memcpy(p->comm, r->comm, sizeof(p->comm));
	if (r->result != COWTRACE_RESULT_COPY)
		return 0;
	p->bytes = p->bytes + r->size < p->bytes ? UINT64_MAX : p->bytes + r->size;
	return point(p, ns_of(r));
}

/* The child of @parent named @name, made when @make; 0 when none. */
static uint32_t child_of(struct ct_svg *s, uint32_t parent, const char *name,
			 bool make)
{
	uint32_t *link = &s->nodes[parent].child, k;

	for (k = *link; k; link = &s->nodes[k].next, k = *link) {
		if (strcmp(s->nodes[k].name, name))
			continue;
		/* To the front: the next record is likely the same stack. */
		*link = s->nodes[k].next;
		s->nodes[k].next = s->nodes[parent].child;
		s->nodes[parent].child = k;
		return k;
	}
	if (!make || s->nnodes >= CT_SVG_NODES)
		return 0;
	if (s->nnodes == s->capnodes) {
		uint32_t cap = s->capnodes ? 2 * s->capnodes : 256;
		void *q = realloc(s->nodes, cap * sizeof(*s->nodes));

		if (!q)
			return 0;
		s->nodes = q;
		s->capnodes = cap;
	}
	k = s->nnodes;
	s->nodes[k].name = strdup(name);
	if (!s->nodes[k].name)
		return 0;
	s->nnodes++;
	s->nodes[k].bytes = 0;
	s->nodes[k].child = 0;
	s->nodes[k].next = s->nodes[parent].child;
	s->nodes[parent].child = k;
	return k;
}

/**
 * ct_svg_flame_add - add @bytes to the stack @frames (outermost first)
 * @s:      the picture
 * @frames: the names, each NUL terminated, any other bytes (escaped when
 *          drawn); e.g. COMM, REGION, OBJECT, FUNCTION
 * @n:      how many; past CT_SVG_DEPTH they are cut
 * @bytes:  bytes copied there
 *
 * The interface for attribution: it passes resolved names; without it,
 * ct_svg_flame_record() passes what a record has.
 * Return: 0, or -1 when out of memory (or past CT_SVG_NODES: the bytes
 * stay in the frames above, and are counted as not placed).
 */
int ct_svg_flame_add(struct ct_svg *s, const char *const frames[], int n,
		     uint64_t bytes)
{
	uint32_t k = 0;
	int i;

	if (!s->nnodes) {
		s->nodes = calloc(256, sizeof(*s->nodes));
		if (!s->nodes)
			return -1;
		s->capnodes = 256;
		s->nodes[0].name = NULL;
		s->nnodes = 1;
	}
	s->nodes[0].bytes += bytes;
	for (i = 0; i < n && i < CT_SVG_DEPTH; i++) {
		uint32_t c = child_of(s, k, frames[i], true);

		if (!c) {
			s->lost += bytes;
			return s->nnodes >= CT_SVG_NODES ? 0 : -1;
		}
		s->nodes[c].bytes += bytes;
		k = c;
	}
	return 0;
}

/**
 * ct_svg_flame_record - a copy record's stack, from what the record has
 * @s: the picture
 * @r: a record; only RESULT copy counts
 *
 * COMM, then MAP and KIND (e.g. "anon write"): the levels a record has
 * without attribution (ct_svg_flame_where() is the reader's).
 * Return: 0, or -1 when out of memory.
 */
int ct_svg_flame_record(struct ct_svg *s, const struct ct_rec *r)
{
	char where[32];
	const char *frames[2] = { r->comm, where };

	if (r->result != COWTRACE_RESULT_COPY)
		return 0;
	snprintf(where, sizeof(where), "%s %s", ct_map_name[r->map],
		 ct_kind_name[r->kind]);
	return ct_svg_flame_add(s, frames, 2, r->size);
}

/**
 * ct_svg_flame_where - a copy record's stack, as attribution resolved it
 * @s: the picture
 * @r: a record; only RESULT copy counts
 * @w: where it came from (ct_where()); a name it could not resolve is "-",
 *     as in -o folded
 *
 * COMM, REGION, OBJECT, FUNCTION.
 * Return: 0, or -1 when out of memory.
 */
int ct_svg_flame_where(struct ct_svg *s, const struct ct_rec *r,
		       const struct ct_where *w)
{
	const char *frames[4] = {
		r->comm, w->region ? w->region : "-",
		w->object ? w->object : "-", w->function ? w->function : "-",
	};

	if (r->result != COWTRACE_RESULT_COPY)
		return 0;
	return ct_svg_flame_add(s, frames, 4, r->size);
}

/*
 * Any bytes as XML text: valid UTF-8 as it is (markup characters as
 * entities), every other byte, controls, '\' and the code points XML
 * forbids as '\' and 3 octal digits, as COMM is written in text.
 */
static void svg_esc(FILE *f, const char *in, size_t n)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, u;

	while (i < n) {
		unsigned char c = s[i];

		if (c >= 0x80) {
			u = ct_utf8_len(s + i, n - i);
			/* C1 controls; U+FFFE and U+FFFF are not XML characters */
			if (u && !ct_utf8_c1(s + i, u) &&
			    !(u == 3 && c == 0xef && s[i + 1] == 0xbf && s[i + 2] >= 0xbe)) {
				fwrite(s + i, 1, u, f);
				i += u;
				continue;
			}
		}
		i++;
		switch (c) {
		case '&': fputs("&amp;", f); continue;
		case '<': fputs("&lt;", f); continue;
		case '>': fputs("&gt;", f); continue;
		case '"': fputs("&quot;", f); continue;
		case '\'': fputs("&apos;", f); continue;
		}
		if (c < 0x20 || c >= 0x7f || c == '\\')
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
}

static void svg_text(FILE *f, double x, double y, const char *cls,
		     const char *anchor, const char *s, size_t n)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\"%s%s%s>", x, y, cls,
		anchor ? " text-anchor=\"" : "", anchor ? anchor : "", anchor ? "\"" : "");
	svg_esc(f, s, n);
	fputs("</text>\n", f);
}

/* A label of our own: plain ASCII, no escaping needed. */
#define svg_label(f, x, y, cls, anchor, s)	svg_text(f, x, y, cls, anchor, s, strlen(s))

/* A round step of 1, 2 or 5 times a power of ten, about @max / 6. */
static uint64_t nice_step(uint64_t max)
{
	uint64_t p = 1;

	for (;;) {
		if (max / p <= 6)
			return p;
		if (max / (2 * p) <= 6)
			return 2 * p;
		if (max / (5 * p) <= 6)
			return 5 * p;
		if (p > UINT64_MAX / 100)
			return p * 10;
		p *= 10;
	}
}

struct unit {
	const char *name;
	double div;
};

static struct unit time_unit(uint64_t max)
{
	if (max >= NSEC)
		return (struct unit){ "s", 1e9 };
	if (max >= 1000000)
		return (struct unit){ "ms", 1e6 };
	return (struct unit){ "us", 1e3 };
}

static struct unit byte_unit(uint64_t max)
{
	if (max >= 1ULL << 30)
		return (struct unit){ "GiB", 1073741824.0 };
	if (max >= 1ULL << 20)
		return (struct unit){ "MiB", 1048576.0 };
	if (max >= 1ULL << 10)
		return (struct unit){ "KiB", 1024.0 };
	return (struct unit){ "bytes", 1.0 };
}

static void human(char *out, size_t size, uint64_t bytes)
{
	struct unit u = byte_unit(bytes);

	if (u.div == 1.0)
		snprintf(out, size, "%llu bytes", (unsigned long long)bytes);
	else
		snprintf(out, size, "%.1f %s", bytes / u.div, u.name);
}

static void open_svg(FILE *f, int height)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		WIDTH, height, WIDTH, height);
	fputs("<style type=\"text/css\">\n"
	      "  text { font-family: 'DejaVu Sans', Verdana, sans-serif; fill: #222; }\n"
	      "  .title { font-size: 20px; font-weight: bold; }\n"
	      "  .panel { font-size: 15px; font-weight: bold; }\n"
	      "  .sub { font-size: 12px; fill: #555; }\n"
	      "  .axis { stroke: #333; stroke-width: 1; }\n"
	      "  .grid { stroke: #ddd; stroke-width: 1; }\n"
	      "  .tick { font-size: 11px; }\n"
	      "  .label { font-size: 12px; }\n"
	      "  .name { font-size: 11px; font-weight: bold; }\n"
	      "  .line { fill: none; stroke-width: 1.5; }\n"
	      "  .fork { stroke: #000; stroke-width: 1; }\n"
	      "  .exit { stroke: #000; stroke-width: 1; }\n"
	      "  .frame { stroke: #fff; stroke-width: 0.5; }\n"
	      "  .ftext { font-size: 11px; font-family: 'DejaVu Sans Mono', monospace; }\n"
	      "</style>\n", f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n",
		WIDTH, height);
}

/* Lines to draw: indexes of the largest, at most LINES_MAX. */
static size_t largest(const struct ct_svg *s, size_t *idx)
{
	size_t i, j, n = 0;

	for (i = 0; i < s->n; i++) {
		if (!s->procs[i].bytes)
			continue;
		for (j = n; j > 0 && s->procs[idx[j - 1]].bytes < s->procs[i].bytes; j--)
			if (j < LINES_MAX)
				idx[j] = idx[j - 1];
		if (j < LINES_MAX)
			idx[j] = i;
		if (n < LINES_MAX)
			n++;
	}
	return n;
}

/* The end of a line in time: its exit, else its last point. */
static uint64_t span(const struct ct_svg_proc *p)
{
	uint64_t t = p->n ? p->pts[p->n - 1].t : 0;

	if (p->ended && p->end_ns - p->start_ns > t)
		t = p->end_ns - p->start_ns;
	return t;
}

static void proc_name(char *out, size_t size, const struct ct_svg_proc *p)
{
	snprintf(out, size, " (%u)", p->tgid);
}

/* Panel (a): axes, a line per process, markers, names, legend. */
static void svg_lines(FILE *f, const struct ct_svg *s)
{
	size_t idx[LINES_MAX], n = largest(s, idx), i, k;
	uint64_t tmax = 1, bmax = 1, step, v;
	struct unit tu, bu;
	double ly[NAMED];
	char buf[96];

	for (i = 0; i < n; i++) {
		const struct ct_svg_proc *p = &s->procs[idx[i]];

		tmax = span(p) > tmax ? span(p) : tmax;
		bmax = p->bytes > bmax ? p->bytes : bmax;
	}
	svg_label(f, 20, 80, "panel", NULL, "(a) Bytes copied since fork, per process");
	snprintf(buf, sizeof(buf), "%zu processes copied; the %zu largest drawn%s", s->n, n,
		 s->dropped ? ", more not followed (bound reached)" : "");
	svg_label(f, 20, 98, "sub", NULL, buf);
	/* Grid, ticks and axes: round steps of the unit, the axes a step past */
	tu = time_unit(tmax);
	bu = byte_unit(bmax);
	step = nice_step((uint64_t)(tmax / tu.div)) * (uint64_t)tu.div;
	if (tmax <= UINT64_MAX - step)
		tmax = (tmax + step - 1) / step * step;
	for (v = 0; v <= tmax; v += step) {
		double x = PLOT_X0 + (double)v / tmax * (PLOT_X1 - PLOT_X0);

		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>\n",
			x, PLOT_Y0, x, PLOT_Y1);
		snprintf(buf, sizeof(buf), "%g", v / tu.div);
		svg_label(f, x, PLOT_Y1 + 16, "tick", "middle", buf);
		if (v > UINT64_MAX - step)
			break;
	}
	step = nice_step((uint64_t)(bmax / bu.div)) * (uint64_t)bu.div;
	if (bmax <= UINT64_MAX - step)
		bmax = (bmax + step - 1) / step * step;
	for (v = 0; v <= bmax; v += step) {
		double y = PLOT_Y1 - (double)v / bmax * (PLOT_Y1 - PLOT_Y0);

		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>\n",
			PLOT_X0, y, PLOT_X1, y);
		snprintf(buf, sizeof(buf), "%g", v / bu.div);
		svg_label(f, PLOT_X0 - 6, y + 4, "tick", "end", buf);
		if (v > UINT64_MAX - step)
			break;
	}
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>\n"
		"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>\n",
		PLOT_X0, PLOT_Y1, PLOT_X1, PLOT_Y1, PLOT_X0, PLOT_Y0, PLOT_X0, PLOT_Y1);
	snprintf(buf, sizeof(buf), "time since the process's fork (%s)", tu.name);
	svg_label(f, (PLOT_X0 + PLOT_X1) / 2.0, PLOT_Y1 + 36, "label", "middle", buf);
	snprintf(buf, sizeof(buf), "bytes copied (%s)", bu.name);
	fprintf(f, "<text x=\"0\" y=\"0\" class=\"label\" text-anchor=\"middle\" transform=\"translate(30,%d) rotate(-90)\">%s</text>\n",
		(PLOT_Y0 + PLOT_Y1) / 2, buf);
	/* Smallest first, so that the largest are drawn on top. */
	for (k = n; k-- > 0;) {
		const struct ct_svg_proc *p = &s->procs[idx[k]];
		const char *color = palette[k % NCOLORS];
		double x = PLOT_X0, y = PLOT_Y1, px, py;
		uint32_t j;

		fprintf(f, "<g><title>");
		svg_esc(f, p->comm, p->comm_len);
		human(buf, sizeof(buf), p->bytes);
		fprintf(f, " (%u): %s copied</title>\n", p->tgid, buf);
		fprintf(f, "<polyline class=\"line\" stroke=\"%s\" points=\"%.1f,%.1f", color, x, y);
		for (j = 0; j < p->n; j++) {
			px = PLOT_X0 + (double)p->pts[j].t / tmax * (PLOT_X1 - PLOT_X0);
			py = PLOT_Y1 - (double)p->pts[j].bytes / bmax * (PLOT_Y1 - PLOT_Y0);
			fprintf(f, " %.1f,%.1f %.1f,%.1f", px, y, px, py);	/* a step */
			y = py;
			x = px;
		}
		if (p->ended) {
			px = PLOT_X0 + (double)span(p) / tmax * (PLOT_X1 - PLOT_X0);
			fprintf(f, " %.1f,%.1f", px, y);
			x = px;
		}
		fputs("\"/>\n", f);
		if (p->forked)
			fprintf(f, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" class=\"fork\" fill=\"%s\"/>\n",
				PLOT_X0, PLOT_Y1, color);
		if (p->ended)
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" class=\"exit\" fill=\"%s\"/>\n",
				x - 4, y - 4, color);
		fputs("</g>\n", f);
		if (k < NAMED)
			ly[k] = y;
	}
	/* The largest named at their line's end, pushed apart. */
	for (k = 0; k < n && k < NAMED; k++) {
		const struct ct_svg_proc *p = &s->procs[idx[k]];
		double y = ly[k] - 6, x;
		size_t j;

		for (j = 0; j < k; j++)
			if (y > ly[j] - 6 - 13 && y < ly[j] - 6 + 13)
				y = ly[j] - 6 + 13;
		ly[k] = y + 6;
		x = PLOT_X0 + (double)span(p) / tmax * (PLOT_X1 - PLOT_X0);
		x = x > PLOT_X1 - 150 ? PLOT_X1 - 150 : x + 6;
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"name\" fill=\"%s\">", x, y,
			palette[k % NCOLORS]);
		svg_esc(f, p->comm, p->comm_len);
		proc_name(buf, sizeof(buf), p);
		fprintf(f, "%s</text>\n", buf);
	}
	/* Legend: colours of the largest, then what the marks mean. */
	svg_label(f, LEGEND_X, PLOT_Y0, "label", NULL, "largest processes");
	for (k = 0; k < n && k < LEGEND_ROWS; k++) {
		const struct ct_svg_proc *p = &s->procs[idx[k]];
		double y = PLOT_Y0 + 18 + 18 * k;

		fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"4\" fill=\"%s\"/>\n",
			LEGEND_X, y - 5, palette[k % NCOLORS]);
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" class=\"tick\">", LEGEND_X + 20, y);
		svg_esc(f, p->comm, p->comm_len);
		human(buf, sizeof(buf), p->bytes);
		fprintf(f, " (%u) %s</text>\n", p->tgid, buf);
	}
	k = PLOT_Y0 + 18 + 18 * (k + 1);
	fprintf(f, "<circle cx=\"%d\" cy=\"%zu\" r=\"4\" class=\"fork\" fill=\"#999\"/>\n",
		LEGEND_X + 7, k - 4);
	svg_label(f, LEGEND_X + 20, k, "tick", NULL, "fork (every line starts at 0)");
	fprintf(f, "<rect x=\"%d\" y=\"%zu\" width=\"8\" height=\"8\" class=\"exit\" fill=\"#999\"/>\n",
		LEGEND_X + 3, k + 10);
	svg_label(f, LEGEND_X + 20, k + 18, "tick", NULL, "exit");
	svg_label(f, LEGEND_X, k + 36, "tick", NULL, "no circle: fork not seen,");
	svg_label(f, LEGEND_X, k + 50, "tick", NULL, "time from its first copy");
}

static uint32_t depth(const struct ct_svg *s, uint32_t k)
{
	uint32_t c, d = 0;

	for (c = s->nodes[k].child; c; c = s->nodes[c].next) {
		uint32_t e = depth(s, c);

		d = e > d ? e : d;
	}
	return d + 1;
}

/* A warm colour from the name, as flamegraph.pl's "hot" palette. */
static void flame_color(char *out, size_t size, const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	snprintf(out, size, "rgb(%u,%u,%u)", 205 + h % 50, 80 + (h >> 8) % 130,
		 40 + (h >> 16) % 45);
}

static void svg_frames(FILE *f, const struct ct_svg *s, uint32_t k, double x,
		       double w, int level, int base)
{
	double y = base - (level + 1) * FLAME_ROW, cx = x;
	const char *name = k ? s->nodes[k].name : "all";
	size_t len = strlen(name), fit;
	char color[32], buf[64];
	uint32_t c;

	if (w < 0.5)
		return;
	flame_color(color, sizeof(color), name);
	human(buf, sizeof(buf), s->nodes[k].bytes);
	fprintf(f, "<g><title>");
	svg_esc(f, name, len);
	fprintf(f, ": %s, %.1f%%</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" class=\"frame\" fill=\"%s\"/>",
		buf, 100.0 * s->nodes[k].bytes / (s->nodes[0].bytes ? s->nodes[0].bytes : 1),
		x, y, w, FLAME_ROW - 1, color);
	fit = (size_t)((w - 6) / 7);	/* 11 px monospace: 7 px a character */
	if (fit >= 3) {
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"ftext\">", x + 3, y + 13);
		if (len > fit) {
			svg_esc(f, name, fit - 2);
			fputs("..", f);
		} else {
			svg_esc(f, name, len);
		}
		fputs("</text>", f);
	}
	fputs("</g>\n", f);
	for (c = s->nodes[k].child; c; c = s->nodes[c].next) {
		double cw = w * s->nodes[c].bytes / (s->nodes[k].bytes ? s->nodes[k].bytes : 1);

		svg_frames(f, s, c, cx, cw, level + 1, base);
		cx += cw;
	}
}

/**
 * ct_svg_write - write the picture to @path
 * @s:    the picture
 * @path: where; written to PATH.tmp then renamed, so that a reader of
 *        PATH never sees half of it
 *
 * Return: 0, or -1 with errno set.
 */
int ct_svg_write(const struct ct_svg *s, const char *path)
{
	uint32_t levels = s->nnodes ? depth(s, 0) : 1;
	int height = FLAME_Y0 + 40 + levels * FLAME_ROW + 40, base, err;
	char tmp[4096], buf[128];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	open_svg(f, height);
	svg_label(f, 20, 34, "title", NULL, "cowtrace: copy-on-write over time, per process");
	strcpy(buf, "bytes copied: SIZE of the records whose RESULT is copy; total ");
	human(buf + strlen(buf), sizeof(buf) - strlen(buf), s->nnodes ? s->nodes[0].bytes : 0);
	svg_label(f, 20, 54, "sub", NULL, buf);
	svg_lines(f, s);
	svg_label(f, 20, FLAME_Y0, "panel", NULL,
		  "(b) Where the bytes were copied (flame graph: width = bytes copied)");
	svg_label(f, 20, FLAME_Y0 + 18, "sub", NULL,
		  "levels from the bottom: all, COMM, REGION, OBJECT, FUNCTION (- where not resolved)");
	base = FLAME_Y0 + 40 + levels * FLAME_ROW;
	if (s->nnodes && s->nodes[0].bytes)
		svg_frames(f, s, 0, 10, WIDTH - 20, 0, base);
	else
		svg_label(f, 20, base - 4, "label", NULL, "no bytes were copied");
	if (s->lost) {
		human(buf, sizeof(buf), s->lost);
		svg_label(f, 20, base + 20, "sub", NULL, "not placed (too many frames):");
		svg_label(f, 200, base + 20, "sub", NULL, buf);
	}
	fputs("</svg>\n", f);
	err = ferror(f);
	if (fclose(f) || err) {
		err = errno ? errno : EIO;
		unlink(tmp);
		errno = err;
		return -1;
	}
	if (rename(tmp, path)) {
		err = errno;
		unlink(tmp);
		errno = err;
		return -1;
	}
	return 0;
}

void ct_svg_free(struct ct_svg *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->procs[i].pts);
	free(s->procs);
	for (i = 1; i < s->nnodes; i++)
		free(s->nodes[i].name);
	free(s->nodes);
	ct_tgid_free(&s->live);
	memset(s, 0, sizeof(*s));
}
