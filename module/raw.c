// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace binary format of /proc/cowtrace_raw: what the text format says,
 * as the structs of uapi/cowtrace.h, so that a reader need not parse text.
 */

#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include "format.h"

/* Bytes of the raw header of @nr rings, taken[] included. */
static size_t cowtrace_raw_header_size(unsigned int nr)
{
	return struct_size((struct cowtrace_raw_header *)NULL, taken, nr);
}

/*
 * The header as one item; @size is at least cowtrace_raw_header_size().
 * Every byte is written: the buffer goes to user space as it is.
 */
static int cowtrace_raw_header(char *buf, size_t size,
			       const struct cowtrace_header *h,
			       const u64 *taken)
{
	struct cowtrace_raw_header *rh = (struct cowtrace_raw_header *)buf;
	size_t n = cowtrace_raw_header_size(h->nr);

	memset(rh, 0, n);
	rh->magic = COWTRACE_RAW_MAGIC;
	rh->version = COWTRACE_RAW_VERSION;
	rh->record_size = sizeof(struct cowtrace_record);
	rh->header_size = n;
	rh->nr_cpus = h->nr;
	rh->entries = h->entries;
	rh->pid = h->pid;
	rh->paths = h->paths;
	rh->missed = h->missed;
	rh->retried = h->retried;
	rh->raced = h->raced;
	memcpy(rh->filter, h->filter, sizeof(rh->filter));
	memcpy(rh->taken, taken, flex_array_size(rh, taken, h->nr));
	return n;
}

/*
 * The record as it is in the ring, marked as a record (or a process event)
 * rather than stamped.
 */
static int cowtrace_raw_record(char *buf, size_t size,
			       const struct cowtrace_record *rec)
{
	struct cowtrace_record *item = (struct cowtrace_record *)buf;

	*item = *rec;
	if (rec->kind == COWTRACE_EVENT_FORK)
		item->stamp = COWTRACE_RAW_FORK;
	else if (rec->kind == COWTRACE_EVENT_EXIT)
		item->stamp = COWTRACE_RAW_EXIT;
	else
		item->stamp = COWTRACE_RAW_RECORD;
	return sizeof(*item);
}

/* A record-sized item that counts what was lost; every other field 0. */
static int cowtrace_raw_lost(char *buf, size_t size, u64 lost,
			     unsigned int cpu)
{
	struct cowtrace_record *item = (struct cowtrace_record *)buf;

	memset(item, 0, sizeof(*item));
	item->stamp = COWTRACE_RAW_LOST;
	item->addr = lost;
	item->cpu = cpu;
	return sizeof(*item);
}

const struct cowtrace_format cowtrace_format_raw = {
	.item_max	= sizeof(struct cowtrace_record),
	.whole		= true,
	.header_size	= cowtrace_raw_header_size,
	.header		= cowtrace_raw_header,
	.record		= cowtrace_raw_record,
	.lost		= cowtrace_raw_lost,
};
