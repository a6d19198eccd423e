// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: --metrics, counters per comm and RESULT in the
 * Prometheus text format, for node_exporter's textfile collector, which
 * reads every *.prom file of its directory at each scrape: the file is
 * replaced whole (a temporary file, then rename()), never seen half written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "metrics.h"
#include "raw.h"

/**
 * ct_metrics_add - count @r under its comm, or under "other"
 * @m: the metrics
 * @r: a record
 *
 * The first @m->max_comms comms get a label value each; the records of
 * later ones go to comm="other", so that a host that runs many distinct
 * programs cannot make the file (and Prometheus' series) grow without end.
 * A comm really named "other" shares that label.
 * Return: 0, or -1 when out of memory.
 */
int ct_metrics_add(struct ct_metrics *m, const struct ct_rec *r)
{
	struct ct_count *c;

	m->t.max = m->max_comms + 1;	/* the comms and "other": never full */
	c = ct_table_get(&m->t, 0, r->comm, r->comm_len, false);
	if (!c && m->t.n < m->max_comms)
		c = ct_table_get(&m->t, 0, r->comm, r->comm_len, true);
	if (!c)
		c = ct_table_get(&m->t, 0, CT_METRICS_OTHER,
				 strlen(CT_METRICS_OTHER), true);
	if (!c)
		return -1;
	ct_count_add(c, r);
	return 0;
}

/**
 * ct_metrics_label - a decoded comm as a label value, escaped for the file
 * @comm: the bytes (any)
 * @n:    their number, at most CT_COMM_MAX
 * @out:  CT_LABEL_MAX bytes, NUL terminated
 *
 * A label value must be UTF-8. Valid UTF-8 is kept; each byte that is not
 * part of valid UTF-8, a control byte (0x00-0x1f, 0x7f, and both bytes of
 * a C1 control U+0080-U+009F) or a backslash is written \xHH, two
 * lower-case hex digits, so that the file is safe to cat. A backslash is otherwise always
 * the start of such an escape, so two distinct comms never give the same
 * value. Then the text format's own escape: '\' as "\\", '"' as "\"".
 * Return: the length written.
 */
size_t ct_metrics_label(const char *comm, size_t n, char *out)
{
	const unsigned char *s = (const unsigned char *)comm;
	size_t i = 0, o = 0;

	while (i < n && i < CT_COMM_MAX) {
		size_t u = ct_utf8_len(s + i, n - i);

		if (!u || (u == 1 && (s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\')) ||
		    ct_utf8_c1(s + i, u)) {
			out[o++] = '\\';	/* "\x" in the value, escaped */
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = "0123456789abcdef"[s[i] >> 4];
			out[o++] = "0123456789abcdef"[s[i] & 15];
			i++;
			continue;
		}
		if (u == 1 && s[i] == '"')
			out[o++] = '\\';
		memcpy(out + o, s + i, u);
		o += u;
		i += u;
	}
	out[o] = '\0';
	return o;
}

/* In label order, so that the file reads the same from one write to the next. */
static int by_comm(const void *a, const void *b)
{
	const struct ct_count *x = a, *y = b;

	return memcmp(x->comm, y->comm, sizeof(x->comm));
}

static void family(FILE *f, struct ct_metrics *m, const char *name,
		   const char *help, int bytes)
{
	size_t i;
	int k;

	fprintf(f, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
	for (i = 0; i < m->t.n; i++) {
		const struct ct_count *c = &m->t.ent[i];
		char label[CT_LABEL_MAX];

		ct_metrics_label(c->comm, c->comm_len, label);
		for (k = 0; k < COWTRACE_RESULT_NR; k++)
			fprintf(f, "%s{comm=\"%s\",result=\"%s\"} %llu\n", name,
				label, ct_result_name[k], (unsigned long long)
				(bytes ? c->bytes[k] : c->records[k]));
	}
}

/**
 * ct_metrics_write - the metrics in the Prometheus text format
 * @m:      the metrics; sorted by comm by this call
 * @lost:   records lost (the "# lost" lines)
 * @missed: the module's missed= counter
 * @f:      where to
 *
 * Every RESULT of a comm is written, zeros too, so that a rate() sees a
 * series from its first record on.
 * Return: 0, or -1 if @f has an error.
 */
int ct_metrics_write(struct ct_metrics *m, uint64_t lost, uint64_t missed, FILE *f)
{
	ct_table_sort(&m->t, by_comm);
	family(f, m, "cowtrace_records_total",
	       "Copy-on-write records read by cowtrace, per comm and RESULT.", 0);
	family(f, m, "cowtrace_bytes_total",
	       "Bytes of the pages of those records (SIZE summed), per comm and RESULT.", 1);
	fprintf(f, "# HELP cowtrace_lost_records_total Records overwritten before cowtrace read them.\n"
		"# TYPE cowtrace_lost_records_total counter\n"
		"cowtrace_lost_records_total %llu\n", (unsigned long long)lost);
	fprintf(f, "# HELP cowtrace_missed_records_total Probe hits the module missed (missed= in its header).\n"
		"# TYPE cowtrace_missed_records_total counter\n"
		"cowtrace_missed_records_total %llu\n", (unsigned long long)missed);
	return ferror(f) ? -1 : 0;
}

/**
 * ct_metrics_save - replace the file at @path with the metrics, atomically
 * @m:      the metrics
 * @lost:   records lost
 * @missed: the module's missed= counter
 * @path:   the file, e.g. /var/lib/prometheus/node-exporter/cowtrace.prom
 *
 * Written to PATH.XXXXXX in the same directory (not *.prom: the collector
 * skips it), fsync()ed, then renamed over @path. Mode 0644: node_exporter
 * runs as another user.
 * Return: 0, or -1 with errno set; no temporary file is left then.
 */
int ct_metrics_save(struct ct_metrics *m, uint64_t lost, uint64_t missed,
		    const char *path)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + sizeof(".XXXXXX"));
	FILE *f;
	int fd, err;

	if (!tmp)
		return -1;
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".XXXXXX", sizeof(".XXXXXX"));
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		goto out_free;
	}
	f = fdopen(fd, "w");
	if (!f) {
		err = errno;
		close(fd);
		goto out_unlink;
	}
	errno = 0;
	if (fchmod(fd, 0644) || ct_metrics_write(m, lost, missed, f) ||
	    fflush(f) || fsync(fd)) {
		err = errno ? errno : EIO;
		fclose(f);
		goto out_unlink;
	}
	if (fclose(f) || rename(tmp, path)) {
		err = errno;
		goto out_unlink;
	}
	free(tmp);
	return 0;

out_unlink:
	unlink(tmp);
out_free:
	free(tmp);
	errno = err;
	return -1;
}

#define CHUNK	512	/* bytes of a text header read at a time */

/**
 * ct_metrics_missed - the module's missed= counter, from a header alone
 * @fd:          a fresh open of the file the reader follows, at its start
 * @header_size: bytes of its binary header (the follower's own header's
 *               header_size: the module's rings do not change while it
 *               is loaded), or 0 for a file of text
 * @buf:         room for the header: @header_size bytes, or 4096 for text
 * @size:        its size
 * @missed:      set when the header has it
 *
 * Reads the header and nothing after it in binary: @header_size bytes, one
 * read() for /proc/cowtrace_raw, whose header is one item; in text, CHUNK
 * bytes at a time until the line with missed= is whole, the column line,
 * or a line that is not a header line.
 * Return: 0 when @missed was set, else -1.
 */
int ct_metrics_missed(int fd, size_t header_size, char *buf, size_t size,
		      uint64_t *missed)
{
	size_t have = 0, want = header_size ? header_size : size, line = 0;
	struct ct_layout lay;
	struct ct_raw h;
	struct ct_rec r;
	char why[256];

	if (want > size)
		return -1;
	ct_layout_init(&lay);
	while (have < want) {
		size_t ask = header_size || want - have < CHUNK ? want - have : CHUNK;
		ssize_t n = read(fd, buf + have, ask);
		const char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		have += n;
		if (header_size)
			continue;
		/* Each line made whole by this read() */
		while ((nl = memchr(buf + line, '\n', have - line))) {
			size_t len = nl - (buf + line);

			if (!ct_header_u64(buf + line, len, "missed", missed))
				return 0;
			if (!len || buf[line] != '#' ||
			    ct_parse_line(&lay, buf + line, len, &r) == CT_LINE_COLUMNS)
				return -1;	/* the end of the header */
			line += len + 1;
		}
	}
	if (!header_size || ct_raw_header(buf, have, &h, why, sizeof(why)))
		return -1;
	*missed = h.missed;
	return 0;
}

/** ct_metrics_free - free the counters */
void ct_metrics_free(struct ct_metrics *m)
{
	ct_table_free(&m->t);
}
