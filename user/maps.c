// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: the mappings of each process, as perf keeps its maps
 * (tools/perf/util/map.c): a snapshot of /proc/PID/maps taken when the
 * reader first sees a TGID, taken again when a record stamped after it
 * falls outside it (or in a mapping of another kind than its MAP), at a
 * fork for the parent, inherited by a child that cannot be read, kept
 * after exit for the records still to come, or read back from the
 * "# map" lines of a recording (cowtrace -w), which are never replaced.
 * Memory is bounded: CT_MODELS_MAX processes, the dead ones dropped
 * first, least recently used first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "maps.h"

#define NBUCKETS	4096
#define MAPS_MAX	65536			/* mappings a process may have (vm.max_map_count's default) */

static struct ct_model *bucket[NBUCKETS];
static size_t nmodels;
static uint64_t clock_use;		/* LRU order */
static bool proc_on = true;
static uint32_t building;		/* the TGID whose "# map" lines are being read */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/** ct_maps_set_proc - whether /proc/PID/maps may be read (default: yes) */
void ct_maps_set_proc(bool on)
{
	proc_on = on;
}

static void clear(struct ct_model *md)
{
	size_t i;

	for (i = 0; i < md->n; i++)
		free(md->m[i].name);
	md->n = 0;
}

static void model_free(struct ct_model *md)
{
	clear(md);
	free(md->m);
	free(md);
}

/* Room for one more mapping; NULL when out of memory or at MAPS_MAX. */
static struct ct_map *append(struct ct_model *md)
{
	if (md->n >= MAPS_MAX)
		return NULL;
	if (md->n == md->cap) {
		size_t cap = md->cap ? 2 * md->cap : 32;
		struct ct_map *m = realloc(md->m, cap * sizeof(*m));

		if (!m)
			return NULL;
		md->m = m;
		md->cap = cap;
	}
	memset(&md->m[md->n], 0, sizeof(md->m[0]));
	return &md->m[md->n++];
}

/**
 * ct_maps_parse_line - one line of /proc/PID/maps
 * @l: the line, NUL terminated, its newline removed
 * @m: filled; @m->name allocated (NULL where maps shows no name)
 * Return: 0, or -1 when malformed or out of memory.
 */
int ct_maps_parse_line(const char *l, struct ct_map *m)
{
	unsigned long long s, e, off, ino;
	unsigned int maj, min;
	char perm[5];
	int at = -1;
	size_t n;

	memset(m, 0, sizeof(*m));
	if (sscanf(l, "%llx-%llx %4s %llx %x:%x %llu%n", &s, &e, perm, &off, &maj,
		   &min, &ino, &at) != 7 || at < 0 || s >= e)
		return -1;
	l += at;
	while (*l == ' ')
		l++;
	m->start = s;
	m->end = e;
	m->pgoff = off;
	m->major = maj;
	m->minor = min;
	m->inode = ino;
	if (!*l)
		return 0;
	m->name = strdup(l);
	if (!m->name)
		return -1;
	n = strlen(l);
	m->deleted = n > 10 && !strcmp(l + n - 10, " (deleted)");
	return 0;
}

static int by_start(const void *a, const void *b)
{
	const struct ct_map *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Whether @tgid still had its memory once its maps were read: its exit
 * detaches the mm (vsize 0 in /proc/PID/stat) before tearing the mappings
 * down, and maps read in several read() calls across that teardown would
 * be a partial layout taken for a whole one.
 */
static bool mm_attached(uint32_t tgid)
{
	char p[64], buf[1024], *s;
	unsigned long long vsize = 0;
	ssize_t n;
	int fd, i;

	snprintf(p, sizeof(p), "/proc/%" PRIu32 "/stat", tgid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	s = strrchr(buf, ')');	/* the comm may hold anything */
	/* Fields 3 to 22 after the comm, then vsize (23). */
	for (i = 0; s && i < 21; i++)
		s = strchr(s + 1, ' ');
	return s && sscanf(s, " %llu", &vsize) == 1 && vsize;
}

/* Read /proc/PID/maps into @md. Return: 0, or -1 (gone, unreadable). */
static int snapshot(struct ct_model *md)
{
	struct ct_model tmp = { 0 };
	char p[64], *l = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	md->snap_ns = now_ns();
	snprintf(p, sizeof(p), "/proc/%" PRIu32 "/maps", md->tgid);
	f = fopen(p, "re");
	if (!f)
		return -1;
	while ((len = getline(&l, &cap, f)) > 0) {
		struct ct_map *m;

		if (l[len - 1] == '\n')
			l[len - 1] = '\0';
		m = append(&tmp);
		if (!m || ct_maps_parse_line(l, m)) {
			if (m)
				tmp.n--;
			break;
		}
	}
	free(l);
	fclose(f);
	if (tmp.n && !mm_attached(md->tgid)) {
		clear(&tmp);	/* read while it exited: maybe a part */
		tmp.n = 0;
	}
	if (!tmp.n) {
		free(tmp.m);
		return -1;	/* exited (an empty read) or a kernel thread */
	}
	qsort(tmp.m, tmp.n, sizeof(tmp.m[0]), by_start);
	clear(md);
	free(md->m);
	md->m = tmp.m;
	md->n = tmp.n;
	md->cap = tmp.cap;
	md->gen++;
	return 0;
}

static struct ct_model **slot_of(uint32_t tgid)
{
	struct ct_model **p = &bucket[(tgid * 2654435761u) % NBUCKETS];

	while (*p && (*p)->tgid != tgid)
		p = &(*p)->next;
	return p;
}

/* At CT_MODELS_MAX, drop the least recently used model, a dead one if any. */
static void make_room(void)
{
	struct ct_model **victim = NULL, **p;
	bool victim_dead = false;
	size_t b;

	if (nmodels < CT_MODELS_MAX)
		return;
	for (b = 0; b < NBUCKETS; b++) {
		for (p = &bucket[b]; *p; p = &(*p)->next) {
			bool dead = !(*p)->alive;

			if (!victim || (dead && !victim_dead) ||
			    (dead == victim_dead && (*p)->used < (*victim)->used)) {
				victim = p;
				victim_dead = dead;
			}
		}
	}
	if (victim) {
		struct ct_model *md = *victim;

		*victim = md->next;
		model_free(md);
		nmodels--;
	}
}

static struct ct_model *create(uint32_t tgid, bool snap)
{
	struct ct_model *md, **p;

	make_room();
	md = calloc(1, sizeof(*md));
	if (!md)
		return NULL;
	md->tgid = tgid;
	md->gen = 1;
	md->alive = snap && proc_on && !snapshot(md);
	md->own = md->alive;
	p = slot_of(tgid);
	md->next = *p;
	*p = md;
	nmodels++;
	return md;
}

/**
 * ct_maps_get - the model of @tgid, read from /proc/@tgid/maps the first time
 * Return: the model (possibly empty: the process was gone); NULL only when
 * out of memory.
 */
struct ct_model *ct_maps_get(uint32_t tgid)
{
	struct ct_model *md = *slot_of(tgid);

	if (!md)
		md = create(tgid, true);
	if (md)
		md->used = ++clock_use;
	return md;
}

/** ct_maps_find - the mapping of @md that holds @addr, or NULL */
const struct ct_map *ct_maps_find(struct ct_model *md, uint64_t addr)
{
	size_t lo = 0, hi = md->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < md->m[mid].start)
			hi = mid;
		else if (addr >= md->m[mid].end)
			lo = mid + 1;
		else
			return &md->m[mid];
	}
	return NULL;
}

static int copy_maps(struct ct_model *dst, const struct ct_model *src);

/**
 * ct_maps_resnap - read a layout again that may have changed since it was
 * read: the record at @ts fell outside it
 * @md: the model; pointers into its mappings are invalid when it returns 1
 * @ts: the record's TIMESTAMP, CLOCK_MONOTONIC ns (as the reader's clock)
 *
 * A layout read after @ts already held every mapping the record saw that
 * still exists: it is not read again (no thrash on a mapping gone since).
 * A child known only through its parent's layout (it exited before the
 * reader could read its own) takes its parent's again, when that was read
 * before the fork.
 * Return: 1 when the model was read again, 0 when not.
 */
int ct_maps_resnap(struct ct_model *md, int64_t ts)
{
	struct ct_model *p;

	if (md->recorded || !proc_on)
		return 0;
	if (md->alive) {
		if (md->snap_ns > ts)
			return 0;
		if (!snapshot(md))
			return 1;
		md->alive = false;	/* gone: keep what was known */
	}
	if (!md->parent || md->own)
		return 0;
	p = *slot_of(md->parent);
	if (!p || !p->alive || p->snap_ns > md->fork_ns)
		return 0;
	if (snapshot(p)) {
		p->alive = false;
		return 0;
	}
	return !copy_maps(md, p);
}

static int copy_maps(struct ct_model *dst, const struct ct_model *src)
{
	size_t i;

	clear(dst);
	for (i = 0; i < src->n; i++) {
		struct ct_map *m = append(dst);

		if (!m)
			return -1;
		*m = src->m[i];
		m->obj = NULL;
		m->obj_tried = false;
		m->name = src->m[i].name ? strdup(src->m[i].name) : NULL;
		if (src->m[i].name && !m->name) {
			dst->n--;
			return -1;
		}
	}
	dst->gen++;
	return 0;
}

/**
 * ct_maps_fork - @child was forked by @parent at @ts: it shares its layout
 * until it execs, so it starts with a copy of @parent's model, replaced by
 * its own snapshot of /proc where that can still be read. A child that has
 * mappings from a recording keeps them.
 */
void ct_maps_fork(uint32_t parent, uint32_t child, int64_t ts)
{
	struct ct_model *p = ct_maps_get(parent), *c = *slot_of(child);

	if (c && c->recorded)
		return;
	/*
	 * The parent's layout as it forked: read again now if it was read
	 * before, while the parent (often waiting for the child) still has it.
	 */
	if (p && p->alive && !p->recorded && proc_on && p->snap_ns <= ts &&
	    snapshot(p))
		p->alive = false;
	if (!c)
		c = create(child, false);
	if (!c)
		return;
	c->used = ++clock_use;
	c->parent = parent;
	c->fork_ns = ts;
	if (proc_on && !snapshot(c)) {
		c->alive = true;
		c->own = true;
		return;
	}
	c->alive = false;
	c->own = false;
	p = *slot_of(parent);	/* create() may have dropped it */
	/* The parent's layout, read again if it was read before the fork. */
	if (p && !(p->snap_ns <= ts && ct_maps_resnap(c, ts)))
		copy_maps(c, p);
}

/** ct_maps_exit - @tgid exited: its model is kept, never read again */
void ct_maps_exit(uint32_t tgid)
{
	struct ct_model *md = *slot_of(tgid);

	if (md)
		md->alive = false;
}

/** ct_maps_record_seen - a record came: the next "# map" lines start a new set */
void ct_maps_record_seen(void)
{
	building = 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* ct_escape() undone: "\ooo" is a byte. Return: the length, or -1. */
static long unescape(const char *s, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		if (i + 3 >= n || s[i + 1] < '0' || s[i + 1] > '3' ||
		    s[i + 2] < '0' || s[i + 2] > '7' || s[i + 3] < '0' || s[i + 3] > '7')
			return -1;
		out[o++] = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
		i += 3;
	}
	out[o] = '\0';
	return (long)o;
}

/**
 * ct_maps_line - a "# map TGID START-END PGOFF DEV INODE BUILDID PATH" line
 * @line: a header line (not NUL terminated)
 * @len:  its length
 *
 * CT_MAPS_RECORDED, which a recording has at its top, turns the reading
 * of /proc/PID/maps off for the rest of the run: what the recording does
 * not say of a process stays unknown.
 * The lines of one TGID that follow each other are its whole layout: the
 * first of them replaces what was known of it. PATH is escaped with
 * ct_escape() ("-" for none); BUILDID is hex or "-".
 * Return: 1 when it was such a line and was taken, 0 when it is another
 * header line, -1 when malformed (or out of memory).
 */
int ct_maps_line(const char *line, size_t len)
{
	unsigned long long s, e, off, ino;
	unsigned int tgid, maj, min;
	char buf[4200], bid[2 * CT_BUILD_ID_MAX + 2], *path;
	struct ct_model *md;
	struct ct_map *m;
	int at = -1;
	size_t i, bl;

	/* A recording: its processes are known from it alone, never from /proc
	 * (a PID there now may be another process's). */
	if (len == sizeof(CT_MAPS_RECORDED) - 1 && !memcmp(line, CT_MAPS_RECORDED, len)) {
		proc_on = false;
		return 1;
	}
	if (len < 6 || memcmp(line, "# map ", 6))
		return 0;
	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (sscanf(buf, "# map %u %llx-%llx %llx %x:%x %llu %129s %n", &tgid, &s, &e,
		   &off, &maj, &min, &ino, bid, &at) != 8 || at < 0 || s >= e || !tgid)
		return -1;
	path = buf + at;
	if (!*path || strchr(path, ' '))
		return -1;
	md = *slot_of(tgid);
	if (!md)
		md = create(tgid, false);
	if (!md)
		return -1;
	if (building != tgid) {
		clear(md);
		md->gen++;
		building = tgid;
	}
	md->recorded = true;
	md->alive = false;
	m = append(md);
	if (!m)
		return -1;
	m->start = s;
	m->end = e;
	m->pgoff = off;
	m->major = maj;
	m->minor = min;
	m->inode = ino;
	if (strcmp(bid, "-")) {
		bl = strlen(bid);
		if (bl % 2 || bl / 2 > CT_BUILD_ID_MAX)
			goto bad;
		for (i = 0; i < bl / 2; i++) {
			int hi = hexval(bid[2 * i]), lo = hexval(bid[2 * i + 1]);

			if (hi < 0 || lo < 0)
				goto bad;
			m->bid[i] = (unsigned char)(hi << 4 | lo);
		}
		m->bid_len = (uint8_t)(bl / 2);
		m->bid_known = true;
	}
	if (strcmp(path, "-")) {
		long n = unescape(path, strlen(path), path);

		if (n <= 0 || (size_t)n != strlen(path))
			goto bad;
		m->name = strdup(path);
		if (!m->name)
			goto bad;
		m->deleted = n > 10 && !strcmp(path + n - 10, " (deleted)");
	}
	/* Kept sorted: a recording writes them in order, so this seldom moves. */
	for (i = md->n - 1; i > 0 && md->m[i - 1].start > md->m[i].start; i--) {
		struct ct_map t = md->m[i];

		md->m[i] = md->m[i - 1];
		md->m[i - 1] = t;
	}
	md->gen++;
	return 1;
bad:
	md->n--;
	return -1;
}

/** ct_map_region - the name of @m as maps shows it; "[anon]" for none */
const char *ct_map_region(const struct ct_map *m)
{
	return m->name ? m->name : "[anon]";
}

/*
 * Whether @a, the mapping known at @r's ADDRESS, cannot be the one its
 * fault was in: MAP says anonymous and @a is a file, or the reverse (a
 * file's span that a later MAP_FIXED mapping replaced); a deleted file
 * stands for /dev/zero and hugetlb anonymous memory.
 */
static bool stale(const struct ct_map *a, const struct ct_rec *r)
{
	if (r->map == COWTRACE_MAP_ANON)
		return ct_map_is_file(a) && !a->deleted;
	if (r->map == COWTRACE_MAP_FILE)
		return !ct_map_is_file(a);
	return false;
}

/**
 * ct_maps_rec - the mappings of @r's ADDRESS and IP in @md, the layout
 * read again first (ct_maps_resnap()) when it cannot be the one @r was
 * made in: either is outside it, or ADDRESS is in a mapping of another
 * kind than @r's MAP
 * @md: the layout of @r's TGID
 * @r:  a record
 * @a:  set to the mapping of ADDRESS, or NULL
 * @i:  set to the mapping of IP, or NULL
 */
void ct_maps_rec(struct ct_model *md, const struct ct_rec *r,
		 struct ct_map **a, struct ct_map **i)
{
	/* @md is the caller's to change: its mappings are too */
	*a = (struct ct_map *)ct_maps_find(md, r->addr);
	*i = (struct ct_map *)ct_maps_find(md, r->ip);
	if ((!*a || !*i || stale(*a, r)) && ct_maps_resnap(md, ct_rec_ns(r))) {
		*a = (struct ct_map *)ct_maps_find(md, r->addr);
		*i = (struct ct_map *)ct_maps_find(md, r->ip);
	}
}

/** ct_map_is_file - whether @m maps a file (a path, an inode) */
bool ct_map_is_file(const struct ct_map *m)
{
	return m->name && m->name[0] == '/' && m->inode;
}

/** ct_maps_count - the models held (at most CT_MODELS_MAX) */
size_t ct_maps_count(void)
{
	return nmodels;
}

/** ct_maps_free - every model freed */
void ct_maps_free(void)
{
	size_t b;

	for (b = 0; b < NBUCKETS; b++) {
		while (bucket[b]) {
			struct ct_model *md = bucket[b];

			bucket[b] = md->next;
			model_free(md);
		}
	}
	nmodels = 0;
}
