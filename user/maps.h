/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: each process's mappings, as /proc/PID/maps shows them. */
#ifndef COWTRACE_MAPS_H
#define COWTRACE_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

#define CT_BUILD_ID_MAX	64	/* bytes of a build-id kept */

struct ct_obj;

/**
 * struct ct_map - one line of /proc/PID/maps (or of a "# map" line)
 * @start, @end:  the mapping, [start, end)
 * @pgoff:        file offset of @start
 * @major, @minor, @inode: the file's device and inode (0 for no file)
 * @name:         as maps names it: a path (with " (deleted)" if so),
 *                "[heap]", "[stack]", "[anon:NAME]", "[vdso]", ...;
 *                NULL where maps shows no name
 * @deleted:      @name ends in " (deleted)"
 * @bid, @bid_len: build-id recorded in a "# map" line (@bid_len 0: none)
 * @bid_known:    @bid came from a recording (a "# map" line), so the file
 *                read now must have it
 * @obj, @obj_tried: the object symbols.c opened for it, once
 */
struct ct_map {
	uint64_t start, end, pgoff, inode;
	uint32_t major, minor;
	char *name;
	bool deleted, bid_known, obj_tried;
	uint8_t bid_len;
	unsigned char bid[CT_BUILD_ID_MAX];
	struct ct_obj *obj;
};

/**
 * struct ct_model - the mappings of one process (TGID), sorted by start
 * @tgid:     the process
 * @alive:    its /proc/PID may still be read (no exit seen, not recorded)
 * @recorded: from "# map" lines: never replaced by a snapshot of /proc
 * @gen:      bumped whenever @m changes (the -w writer writes it again)
 * @written:  the @gen the -w writer wrote last (0: none)
 */
struct ct_model {
	uint32_t tgid;
	bool alive, recorded;
	bool own;		/* read from its own /proc/PID/maps */
	uint32_t parent;	/* from a fork line; 0 unknown */
	int64_t fork_ns;	/* that fork's TIMESTAMP */
	uint64_t gen, written, used;
	int64_t snap_ns;
	struct ct_map *m;
	size_t n, cap;
	struct ct_model *next;	/* hash chain */
};

/* The header line of a -w recording: every layout is in its "# map" lines */
#define CT_MAPS_RECORDED	"# maps recorded"

#define CT_MODELS_MAX	4096	/* processes held; dead ones dropped first */

struct ct_model *ct_maps_get(uint32_t tgid);
const struct ct_map *ct_maps_find(struct ct_model *md, uint64_t addr);
int ct_maps_resnap(struct ct_model *md, int64_t ts);
void ct_maps_rec(struct ct_model *md, const struct ct_rec *r,
		 struct ct_map **a, struct ct_map **i);

/* A record's TIMESTAMP in ns, the clock of ct_maps_resnap() */
static inline int64_t ct_rec_ns(const struct ct_rec *r)
{
	return (int64_t)r->sec * 1000000000LL + r->nsec;
}
void ct_maps_fork(uint32_t parent, uint32_t child, int64_t ts);
void ct_maps_exit(uint32_t tgid);
int ct_maps_line(const char *line, size_t len);
void ct_maps_record_seen(void);
const char *ct_map_region(const struct ct_map *m);
bool ct_map_is_file(const struct ct_map *m);
int ct_maps_parse_line(const char *l, struct ct_map *m);
void ct_maps_set_proc(bool on);
size_t ct_maps_count(void);
void ct_maps_free(void);

#endif /* COWTRACE_MAPS_H */
