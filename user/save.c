// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: -w PATH writes the stream as /proc/cowtrace writes it
 * (a header, the column line, the records through ct_format_text()) and,
 * before the first record of a process and again whenever the reader's
 * model of it changes, its mappings:
 *
 *   # map TGID START-END PGOFF MAJOR:MINOR INODE BUILDID PATH
 *
 * START, END, PGOFF, MAJOR, MINOR in hex as /proc/PID/maps has them,
 * BUILDID in hex or "-", PATH escaped with ct_escape() ("-" for none).
 * "cowtrace --file PATH -a" reads them back (ct_maps_line()) and resolves
 * the records as they were resolved when recorded, after the processes
 * are gone; the build-ids tell a binary replaced since.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../module/version.h"
#include "format.h"
#include "maps.h"
#include "save.h"
#include "symbols.h"

static FILE *out;
static int save_errno;

/**
 * ct_save_open - start writing the recording at @path (truncated)
 * Return: 0, or -1 with errno set.
 */
int ct_save_open(const char *path)
{
	out = fopen(path, "we");
	if (!out)
		return -1;
	setvbuf(out, NULL, _IOFBF, 1 << 16);
	fprintf(out, "# cowtrace %s\n# written by cowtrace -w: the records with the "
		"mappings of their processes\n" CT_MAPS_RECORDED "\n%s",
		COWTRACE_VERSION, ct_text_columns);
	return 0;
}

static void write_map(const struct ct_model *md, struct ct_map *m)
{
	static char esc[4 * 4096 + 1];
	const unsigned char *bid = NULL;
	size_t bl = 0, i;

	if (m->bid_known) {
		bid = m->bid;
		bl = m->bid_len;
	} else if (ct_map_is_file(m)) {
		struct ct_obj *o = ct_obj_get(md, m);

		if (o && ct_obj_err(o) != CT_OBJ_UNREADABLE)
			bl = ct_obj_build_id(o, &bid);
	}
	fprintf(out, "# map %" PRIu32 " %" PRIx64 "-%" PRIx64 " %08" PRIx64 " %02x:%02x %" PRIu64 " ",
		md->tgid, m->start, m->end, m->pgoff, m->major, m->minor, m->inode);
	for (i = 0; i < bl; i++)
		fprintf(out, "%02x", bid[i]);
	if (m->name) {
		size_t n = strlen(m->name);

		ct_escape(m->name, n < 4096 ? n : 4096, esc, 0x21);
	}
	fprintf(out, "%s %s\n", bl ? "" : "-", m->name ? esc : "-");
}

/**
 * ct_save_record - write @r, after its process's mappings when they were
 * not written yet or have changed (read again by ct_maps_rec(): @r was
 * outside them)
 */
void ct_save_record(const struct ct_rec *r)
{
	char line[CT_OUT_MAX];
	struct ct_model *md;
	struct ct_map *a, *ip;
	size_t i;

	if (!out)
		return;
	md = ct_maps_get(r->tgid);
	if (md)
		ct_maps_rec(md, r, &a, &ip);	/* read again if it changed */
	if (md && md->written != md->gen) {
		for (i = 0; i < md->n; i++)
			write_map(md, &md->m[i]);
		md->written = md->gen;
	}
	fwrite(line, 1, ct_format_text(r, line, sizeof(line)), out);
}

/** ct_save_lost - write a lost line */
void ct_save_lost(const struct ct_rec *r)
{
	char line[CT_OUT_MAX];

	if (out)
		fwrite(line, 1, ct_format_lost(r, line, sizeof(line)), out);
}

/**
 * ct_save_line - pass another line through (the "# fork" and "# exit"
 * lines), as it is, with its newline
 */
void ct_save_line(const char *line, size_t len)
{
	if (!out)
		return;
	fwrite(line, 1, len, out);
	fputc('\n', out);
}

/**
 * ct_save_close - finish the recording
 * Return: 0, or -1 with errno set when writing it failed.
 */
int ct_save_close(void)
{
	int err;

	if (!out)
		return 0;
	err = ferror(out) ? EIO : 0;
	if (fclose(out) && !err)
		err = errno ? errno : EIO;
	out = NULL;
	save_errno = err;
	errno = err;
	return err ? -1 : 0;
}
