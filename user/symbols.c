// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: objects and their symbols, through elfutils' libdwfl
 * as eu-stack and eu-addr2line use it. An object (an executable or a
 * library) is read once, through the process's own view of it
 * (/proc/PID/map_files/START-END, else /proc/PID/root/PATH, else PATH
 * for a process gone), and kept: memory grows with the objects and their
 * symbols, never with the records. Its symbols come from .symtab,
 * .dynsym, or a separate debug file found by build-id or debuglink
 * (dwfl_standard_find_debuginfo: /usr/lib/debug, or CT_DEBUGINFO_PATH,
 * in libdwfl's debuginfo_path syntax). The file is any file a user could
 * plant: it must be a regular file of a sane size whose ELF and program
 * headers lie inside it before libelf sees it, and libelf's own checks do
 * the rest. An address is resolved by the symbol that covers it, never
 * by the nearest one before it. A C++ (or Rust) name is shown
 * demangled, as perf report shows it.
 */
#define _GNU_SOURCE
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libiberty/demangle.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "symbols.h"

#define LOADS_MAX	64	/* PT_LOAD headers kept per object */
#define NBUCKETS	4096
#define CACHE_BITS	16	/* resolved (object, offset) pairs cached */

#define SYMS_MAX	(8 << 20)	/* symbols kept per object */
#define BACK_MAX	4096	/* symbols looked back at, for one that encloses */
#define DEMANGLE_MAX	4096	/* longer mangled names are shown as they are */

struct load {
	uint64_t off, filesz, vaddr;
};

/* A function symbol: [start, end), end = start + 1 for a size of 0 */
struct sym {
	uint64_t start, end, maxend;	/* maxend: the largest end up to here */
	const char *name;
	int rank;			/* of aliases, the lowest is named */
	unsigned char demangled;	/* name is final: tried once */
	unsigned char owned;		/* name is the demangler's (freed) */
};

struct ct_obj {
	/* the key: the file as maps names it, and the recorded build-id */
	uint32_t major, minor;
	uint64_t inode;
	char *path;
	uint8_t key_bid_len;
	unsigned char key_bid[CT_BUILD_ID_MAX];

	enum ct_obj_err err;
	uint8_t bid_len;
	unsigned char bid[CT_BUILD_ID_MAX];
	Dwfl *dwfl;
	Dwfl_Module *mod;
	GElf_Addr bias;
	struct load load[LOADS_MAX];
	int nload;
	struct sym *sym;	/* sorted by start, built at the first lookup */
	size_t nsym;
	bool sym_read;
	struct ct_obj *next;
};

struct cache_ent {
	const struct ct_obj *o;
	uint64_t file_off;
	const char *name;
	uint64_t off;
	int ok;
};

static struct ct_obj *bucket[NBUCKETS];
static size_t nobjs;
static struct cache_ent *cache;
static char *debuginfo_path;
static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

static size_t key_hash(const struct ct_map *m)
{
	size_t h = (size_t)(m->inode * 0x9e3779b97f4a7c15ULL) ^ m->major << 20 ^ m->minor;
	const char *p;

	for (p = m->name; *p; p++)
		h = h * 31 + (unsigned char)*p;
	return h % NBUCKETS;
}

static bool same_key(const struct ct_obj *o, const struct ct_map *m)
{
	uint8_t bl = m->bid_known ? m->bid_len : 0;

	return o->inode == m->inode && o->major == m->major && o->minor == m->minor &&
	       o->key_bid_len == bl && !memcmp(o->key_bid, m->bid, bl) &&
	       !strcmp(o->path, m->name);
}

/*
 * ct_obj_check_file - the bounds checks done before libelf reads @fd: a
 * regular file, at most CT_OBJ_SIZE_MAX, an ELF header whose program and
 * section header tables lie inside the file, with sane entry sizes.
 * Return: 0 when libelf may read it, or an enum ct_obj_err.
 */
int ct_obj_check_file(int fd)
{
	unsigned char id[EI_NIDENT];
	uint64_t phoff, shoff, phnum, shnum, phent, shent, need;
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > CT_OBJ_SIZE_MAX)
		return CT_OBJ_UNREADABLE;
	if (pread(fd, id, sizeof(id), 0) != sizeof(id) || memcmp(id, ELFMAG, SELFMAG))
		return CT_OBJ_BAD_ELF;
	if (id[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr e;

		if (pread(fd, &e, sizeof(e), 0) != sizeof(e))
			return CT_OBJ_BAD_ELF;
		phoff = e.e_phoff; shoff = e.e_shoff; phnum = e.e_phnum;
		shnum = e.e_shnum; phent = e.e_phentsize; shent = e.e_shentsize;
		if (phnum && phent != sizeof(Elf64_Phdr))
			return CT_OBJ_BAD_ELF;
		if (shnum && shent != sizeof(Elf64_Shdr))
			return CT_OBJ_BAD_ELF;
	} else if (id[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr e;

		if (pread(fd, &e, sizeof(e), 0) != sizeof(e))
			return CT_OBJ_BAD_ELF;
		phoff = e.e_phoff; shoff = e.e_shoff; phnum = e.e_phnum;
		shnum = e.e_shnum; phent = e.e_phentsize; shent = e.e_shentsize;
		if (phnum && phent != sizeof(Elf32_Phdr))
			return CT_OBJ_BAD_ELF;
		if (shnum && shent != sizeof(Elf32_Shdr))
			return CT_OBJ_BAD_ELF;
	} else {
		return CT_OBJ_BAD_ELF;
	}
	/* An extended count (PN_XNUM, or e_shnum 0 with a table) is not needed here. */
	if (phnum == PN_XNUM || (!shnum && shoff))
		return CT_OBJ_BAD_ELF;
	/* Both tables inside the file: 16-bit counts, no overflow in 64 bits. */
	need = phoff + phnum * phent;
	if (phnum && (phoff > (uint64_t)st.st_size || need > (uint64_t)st.st_size))
		return CT_OBJ_BAD_ELF;
	need = shoff + shnum * shent;
	if (shnum && (shoff > (uint64_t)st.st_size || need > (uint64_t)st.st_size))
		return CT_OBJ_BAD_ELF;
	return CT_OBJ_OK;
}

/*
 * Open @m's file as the process sees it: /proc/PID/map_files/START-END
 * (deleted files too), /proc/PID/root/PATH (its mount namespace), then,
 * for a process gone, PATH as installed now. @used gets the path opened.
 */
static int open_view(const struct ct_model *md, const struct ct_map *m,
		     char *used, size_t size)
{
	const int fl = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	size_t n = strlen(m->name) - (m->deleted ? 10 : 0);
	int fd;

	if (md->alive) {
		snprintf(used, size, "/proc/%" PRIu32 "/map_files/%" PRIx64 "-%" PRIx64,
			 md->tgid, m->start, m->end);
		fd = open(used, fl);
		if (fd >= 0) {
			/* libdwfl looks for a debuglink next to this name */
			snprintf(used, size, "/proc/%" PRIu32 "/root%.*s", md->tgid,
				 (int)n, m->name);
			return fd;
		}
		snprintf(used, size, "/proc/%" PRIu32 "/root%.*s", md->tgid, (int)n, m->name);
		fd = open(used, fl);
		if (fd >= 0)
			return fd;
	}
	if (m->deleted)
		return -1;
	snprintf(used, size, "%s", m->name);
	return open(used, fl);
}

static void read_loads(struct ct_obj *o)
{
	Elf *elf = dwfl_module_getelf(o->mod, &o->bias);
	size_t i, n;

	if (!elf || elf_getphdrnum(elf, &n))
		return;
	for (i = 0; i < n && o->nload < LOADS_MAX; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		o->load[o->nload].off = ph.p_offset;
		o->load[o->nload].filesz = ph.p_filesz;
		o->load[o->nload].vaddr = ph.p_vaddr;
		o->nload++;
	}
}

static void open_obj(struct ct_obj *o, const struct ct_model *md, const struct ct_map *m)
{
	char used[4200];
	const unsigned char *bits;
	GElf_Addr vaddr;
	int fd, len;

	fd = open_view(md, m, used, sizeof(used));
	if (fd < 0) {
		o->err = CT_OBJ_UNREADABLE;
		return;
	}
	o->err = ct_obj_check_file(fd);
	if (o->err) {
		close(fd);
		return;
	}
	o->dwfl = dwfl_begin(&callbacks);
	if (o->dwfl) {
		/* base 0 added to p_vaddr: module addresses are the ELF's own */
		o->mod = dwfl_report_elf(o->dwfl, m->name, used, fd, 0, true);
		dwfl_report_end(o->dwfl, NULL, NULL);
	}
	if (!o->mod) {
		close(fd);	/* libdwfl owns it only when the report worked */
		o->err = CT_OBJ_BAD_ELF;
		return;
	}
	read_loads(o);
	len = dwfl_module_build_id(o->mod, &bits, &vaddr);
	if (len > 0 && len <= CT_BUILD_ID_MAX) {
		memcpy(o->bid, bits, (size_t)len);
		o->bid_len = (uint8_t)len;
	}
	if (m->bid_known && (m->bid_len != o->bid_len || memcmp(m->bid, o->bid, o->bid_len)))
		o->err = CT_OBJ_MISMATCH;
}

/**
 * ct_obj_get - the object that @m maps, opened and read the first time
 * @md: the process (its view of its files)
 * @m:  a file mapping (ct_map_is_file()); @m->obj caches the answer
 *
 * Objects are keyed by the file (device, inode, path) and the build-id
 * recorded for it, if any: one read each.
 * Return: the object, with ct_obj_err() telling whether it has symbols;
 * NULL when out of memory or past CT_OBJS_MAX objects.
 */
struct ct_obj *ct_obj_get(const struct ct_model *md, struct ct_map *m)
{
	struct ct_obj *o;
	size_t h;

	if (m->obj_tried)
		return m->obj;
	m->obj_tried = true;
	h = key_hash(m);
	for (o = bucket[h]; o; o = o->next)
		if (same_key(o, m))
			return m->obj = o;
	if (nobjs >= CT_OBJS_MAX)
		return NULL;
	if (!debuginfo_path && getenv("CT_DEBUGINFO_PATH"))
		debuginfo_path = getenv("CT_DEBUGINFO_PATH");
	o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->path = strdup(m->name);
	if (!o->path) {
		free(o);
		return NULL;
	}
	o->major = m->major;
	o->minor = m->minor;
	o->inode = m->inode;
	if (m->bid_known) {
		o->key_bid_len = m->bid_len;
		memcpy(o->key_bid, m->bid, m->bid_len);
	}
	open_obj(o, md, m);
	o->next = bucket[h];
	bucket[h] = o;
	nobjs++;
	return m->obj = o;
}

/** ct_obj_err - CT_OBJ_OK when @o has symbols, else why not */
enum ct_obj_err ct_obj_err(const struct ct_obj *o)
{
	return o->err;
}

/** ct_obj_build_id - @o's build-id as read from the file; its length (0: none) */
size_t ct_obj_build_id(const struct ct_obj *o, const unsigned char **bid)
{
	*bid = o->bid;
	return o->bid_len;
}

static int by_start(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? 1 : -1;	/* the larger first */
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return strcmp(x->name, y->name);
}

/* Of aliases, as perf chooses: global, then weak, then local; then fewer '_'. */
static int rank(const GElf_Sym *sym, const char *name)
{
	int b = GELF_ST_BIND(sym->st_info), r;

	r = b == STB_GLOBAL ? 0 : b == STB_WEAK ? 8 : 16;
	while (*name == '_' && r % 8 < 7) {
		name++;
		r++;
	}
	return r;
}

/*
 * The function symbols of @o (libdwfl's choice of table: .symtab, from
 * the debug file if need be, else .dynsym, plus .gnu_debugdata), sorted
 * once, as perf keeps them: dwfl_module_addrinfo() walks every symbol at
 * each call, which a thousand cold addresses in large libraries felt.
 */
static void read_syms(struct ct_obj *o)
{
	int n = dwfl_module_getsymtab(o->mod), i;
	size_t k, j;

	o->sym_read = true;
	if (n <= 1)
		return;
	o->sym = calloc((size_t)n < SYMS_MAX ? (size_t)n : SYMS_MAX, sizeof(*o->sym));
	if (!o->sym)
		return;
	for (i = 1; i < n && o->nsym < SYMS_MAX; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name = dwfl_module_getsym_info(o->mod, i, &sym, &addr, &shndx,
							   NULL, NULL);
		int type = GELF_ST_TYPE(sym.st_info);

		if (!name || !*name || shndx == SHN_UNDEF ||
		    !(type == STT_FUNC || type == STT_GNU_IFUNC ||
		      (type == STT_NOTYPE && sym.st_size)))
			continue;
		o->sym[o->nsym].start = addr;
		o->sym[o->nsym].end = addr + (sym.st_size ? sym.st_size : 1);
		if (o->sym[o->nsym].end < addr)
			o->sym[o->nsym].end = UINT64_MAX;
		o->sym[o->nsym].name = name;
		o->sym[o->nsym].rank = rank(&sym, name);
		o->nsym++;
	}
	qsort(o->sym, o->nsym, sizeof(*o->sym), by_start);
	/* Aliases (same extent) are one symbol: the first, the best named. */
	for (k = 0, j = 0; k < o->nsym; k++)
		if (!j || o->sym[k].start != o->sym[j - 1].start ||
		    o->sym[k].end != o->sym[j - 1].end)
			o->sym[j++] = o->sym[k];
	o->nsym = j;
	for (k = 0; k < o->nsym; k++)
		o->sym[k].maxend = k && o->sym[k - 1].maxend > o->sym[k].end ?
				   o->sym[k - 1].maxend : o->sym[k].end;
}

/*
 * @s's name demangled, the first time it names a record: libiberty's
 * cplus_demangle() (binutils' demangler, perf's through libbfd) without
 * the parameters, as perf report shows names by default. It is read from
 * a file anyone can plant: libiberty bounds its recursion, and a name
 * longer than DEMANGLE_MAX is left as it is. A name that does not
 * demangle stays as it is.
 */
static void demangle(struct sym *s)
{
	char *d;

	s->demangled = 1;
	if (s->name[0] != '_' || (s->name[1] != 'Z' && s->name[1] != 'R') ||
	    strnlen(s->name, DEMANGLE_MAX + 1) > DEMANGLE_MAX)
		return;
	d = cplus_demangle(s->name, DMGL_NO_OPTS);
	if (d && *d) {
		s->name = d;
		s->owned = 1;
	} else {
		free(d);
	}
}

/*
 * The symbol that covers the ELF address @vaddr of @o: the last to start
 * at or before it whose extent holds it (a symbol of size 0 holds only
 * its own address), never merely the nearest before it.
 */
static int lookup(struct ct_obj *o, uint64_t vaddr, const char **name, uint64_t *off)
{
	uint64_t a = vaddr + o->bias;
	size_t lo = 0, hi, steps;

	if (!o->sym_read)
		read_syms(o);
	hi = o->nsym;
	while (lo < hi) {	/* the first that starts after @a */
		size_t mid = lo + (hi - lo) / 2;

		if (o->sym[mid].start <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (steps = 0; lo > 0 && steps < BACK_MAX; lo--, steps++) {
		struct sym *s = &o->sym[lo - 1];

		if (s->maxend <= a)
			break;		/* none at or before it reaches @a */
		if (s->end > a) {
			if (!s->demangled)
				demangle(s);
			*name = s->name;
			*off = a - s->start;
			return 0;
		}
	}
	return -1;
}

/**
 * ct_obj_sym - the function of @o at file offset @file_off
 * @o:        an object with ct_obj_err() CT_OBJ_OK
 * @file_off: IP - mapping start + mapping's file offset
 * @name:     set to the symbol's name (valid as long as the reader runs)
 * @off:      set to @file_off's offset in it
 *
 * The file offset becomes the ELF's address through its PT_LOAD
 * headers (the first that holds it, should they overlap). Answers are
 * cached per (object, offset), so a hot IP costs a lookup in an array.
 * Return: 0, or -1 when no symbol covers it.
 */
int ct_obj_sym(struct ct_obj *o, uint64_t file_off, const char **name, uint64_t *off)
{
	struct cache_ent *c;
	size_t h;
	int i;

	if (o->err)
		return -1;
	if (!cache)
		cache = calloc((size_t)1 << CACHE_BITS, sizeof(*cache));
	h = (size_t)(((uintptr_t)o >> 4) * 0x9e3779b97f4a7c15ULL ^ file_off * 0xc2b2ae3d27d4eb4fULL);
	h = (h ^ h >> 29) & (((size_t)1 << CACHE_BITS) - 1);
	c = cache ? &cache[h] : NULL;
	if (c && c->o == o && c->file_off == file_off) {
		*name = c->name;
		*off = c->off;
		return c->ok ? 0 : -1;
	}
	*name = NULL;
	*off = 0;
	for (i = 0; i < o->nload; i++) {
		const struct load *l = &o->load[i];

		if (file_off >= l->off && file_off - l->off < l->filesz) {
			if (lookup(o, l->vaddr + (file_off - l->off), name, off))
				*name = NULL;
			break;
		}
	}
	if (c) {
		c->o = o;
		c->file_off = file_off;
		c->name = *name;
		c->off = *off;
		c->ok = *name != NULL;
	}
	return *name ? 0 : -1;
}

/** ct_symbols_free - every object closed and freed */
void ct_symbols_free(void)
{
	size_t b, i;

	for (b = 0; b < NBUCKETS; b++) {
		while (bucket[b]) {
			struct ct_obj *o = bucket[b];

			bucket[b] = o->next;
			if (o->dwfl)
				dwfl_end(o->dwfl);
			for (i = 0; i < o->nsym; i++)
				if (o->sym[i].owned)
					free((char *)o->sym[i].name);
			free(o->sym);
			free(o->path);
			free(o);
		}
	}
	nobjs = 0;
	free(cache);
	cache = NULL;
}
