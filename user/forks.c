// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: --forks. For each fork line, a row: who forked whom,
 * when, how long the child lived, and the bytes that parent and child
 * copied while the child lived: what the fork cost in memory (Redis's
 * rdb_last_cow_size is the sum, for its save child).
 *
 * A process's bytes are a running total; a row keeps the parent's total
 * at the fork and takes the difference when the child exits, so a parent
 * with many children, each with its own life, needs nothing per record
 * but one addition. A child that forks again is the parent of its own
 * rows; its bytes are its own, not its children's.
 */
#include <stdlib.h>
#include <string.h>

#include "forks.h"

#define NONE	UINT32_MAX
#define NSEC	1000000000ULL

static uint64_t ns_of(const struct ct_rec *r)
{
	return r->sec * NSEC + r->nsec;
}

/* A process of the pool, zeroed. Return: its index, NONE on ENOMEM. */
static uint32_t proc_new(struct ct_forks *f)
{
	uint32_t i = f->free - 1;

	if (f->free) {
		f->free = f->procs[i].row;
	} else {
		if (f->nprocs == f->capprocs) {
			uint32_t cap = f->capprocs ? 2 * f->capprocs : 64;
			void *p = realloc(f->procs, cap * sizeof(*f->procs));

			if (!p)
				return NONE;
			f->procs = p;
			f->capprocs = cap;
		}
		i = f->nprocs++;
	}
	memset(&f->procs[i], 0, sizeof(f->procs[i]));
	f->procs[i].row = NONE;
	return i;
}

static void proc_put(struct ct_forks *f, uint32_t i)
{
	f->procs[i].row = f->free;
	f->free = i + 1;
}

/* A dead process no running row needs goes back to the pool. */
static void proc_release(struct ct_forks *f, uint32_t i)
{
	if (!f->procs[i].live && !f->procs[i].refs && f->procs[i].row == NONE)
		proc_put(f, i);
}

/* The child of row @k ended at @ns (exited, or its TGID reused). */
static void row_end(struct ct_forks *f, uint32_t k, uint64_t ns, int state)
{
	struct ct_fork *w = &f->rows[k];
	struct ct_fork_proc *p = &f->procs[w->pproc];

	w->state = state;
	w->end_ns = ns;
	w->cbytes = f->procs[w->cproc].bytes;
	w->pbytes = p->bytes - w->pbase;
	f->procs[w->cproc].row = NONE;
	p->refs--;
	proc_release(f, w->pproc);
}

/* The process of @tgid leaves the map: exited, or its TGID reused. */
static void proc_gone(struct ct_forks *f, uint32_t tgid, uint64_t ns, int state)
{
	uint32_t *v = ct_tgid_get(&f->by_tgid, tgid), i;

	if (!v)
		return;
	i = *v;
	ct_tgid_del(&f->by_tgid, tgid);
	f->procs[i].live = false;
	if (f->procs[i].row != NONE)
		row_end(f, f->procs[i].row, ns, state);
	proc_release(f, i);
}

/* The live process of @tgid, made when not yet followed. */
static uint32_t proc_of(struct ct_forks *f, uint32_t tgid)
{
	uint32_t *v = ct_tgid_get(&f->by_tgid, tgid), i;

	if (v)
		return *v;
	i = proc_new(f);
	if (i == NONE)
		return NONE;
	if (ct_tgid_put(&f->by_tgid, tgid, i)) {
		proc_put(f, i);
		return NONE;
	}
	f->procs[i].live = true;
	return i;
}

static int fork_line(struct ct_forks *f, const struct ct_rec *r)
{
	uint64_t ns = ns_of(r);
	struct ct_fork *w;
	uint32_t pp, cp;

	if (r->child == r->tgid)
		return 0;	/* no process forks itself: a forged line */
	/* A child TGID still followed: its exit line was lost; pid reused. */
	proc_gone(f, r->child, ns, CT_FORK_REUSED);
	if (f->n >= (f->max ? f->max : CT_FORKS_ROWS)) {
		f->dropped++;
		return 0;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 256;
		void *p = realloc(f->rows, cap * sizeof(*f->rows));

		if (!p)
			return -1;
		f->rows = p;
		f->cap = cap;
	}
	pp = proc_of(f, r->tgid);
	if (pp == NONE)
		return -1;
	cp = proc_of(f, r->child);
	if (cp == NONE)
		return -1;
	w = &f->rows[f->n];
	memset(w, 0, sizeof(*w));
	w->parent = r->tgid;
	w->child = r->child;
	w->pcomm_len = (uint8_t)r->comm_len;
	memcpy(w->pcomm, r->comm, sizeof(w->pcomm));
	/* Until it shows its own: a child starts with its parent's comm. */
	w->ccomm_len = w->pcomm_len;
	memcpy(w->ccomm, r->comm, sizeof(w->ccomm));
	w->fork_ns = ns;
	w->state = CT_FORK_RUNNING;
	w->pbase = f->procs[pp].bytes;
	w->pproc = pp;
	w->cproc = cp;
	f->procs[pp].refs++;
	f->procs[cp].row = (uint32_t)f->n++;
	return 0;
}

/**
 * ct_forks_add - follow one record, fork line or exit line
 * @f: the rows
 * @t: CT_LINE_RECORD, CT_LINE_FORK or CT_LINE_EXIT (others ignored)
 * @r: its fields
 *
 * A record counts its SIZE when its RESULT is copy, for a process that
 * a fork line named; an exit line ends the row of its process.
 * Return: 0, or -1 when out of memory.
 */
int ct_forks_add(struct ct_forks *f, enum ct_line t, const struct ct_rec *r)
{
	struct ct_fork_proc *p;
	uint32_t *v;

	switch (t) {
	case CT_LINE_FORK:
		return fork_line(f, r);
	case CT_LINE_EXIT:
		proc_gone(f, r->tgid, ns_of(r), CT_FORK_EXITED);
		return 0;
	case CT_LINE_RECORD:
		break;
	default:
		return 0;
	}
	v = ct_tgid_get(&f->by_tgid, r->tgid);
	if (!v)
		return 0;
	p = &f->procs[*v];
	if (r->result == COWTRACE_RESULT_COPY)
		p->bytes = p->bytes + r->size < p->bytes ? UINT64_MAX :
						 p->bytes + r->size;
	if (p->row != NONE) {	/* a child names itself (exec, PR_SET_NAME) */
		f->rows[p->row].ccomm_len = (uint8_t)r->comm_len;
		memcpy(f->rows[p->row].ccomm, r->comm, sizeof(r->comm));
	}
	return 0;
}

/**
 * ct_forks_print - the rows, in the order of their fork lines
 * @f:   the rows
 * @out: where
 *
 * A child still running at the end is `running`, its bytes counted so
 * far; one whose TGID forked again before its exit line came (that line
 * was lost) lived `<=` until then, its bytes counted until then. Comms escaped as
 * in the text output. Then a line with the number of forks.
 */
void ct_forks_print(const struct ct_forks *f, FILE *out)
{
	size_t k;

	fprintf(out, "%-7s %-16s %-7s %-16s %-20s %-13s %14s %14s %14s\n",
		"PARENT", "COMM", "CHILD", "CHILD_COMM", "FORKED", "LIVED",
		"PARENT_BYTES", "CHILD_BYTES", "SUM");
	for (k = 0; k < f->n; k++) {
		const struct ct_fork *w = &f->rows[k];
		char pc[CT_COMM_ESC], cc[CT_COMM_ESC], lived[32];
		uint64_t pb = w->pbytes, cb = w->cbytes, d;

		if (w->state == CT_FORK_RUNNING) {
			pb = f->procs[w->pproc].bytes - w->pbase;
			cb = f->procs[w->cproc].bytes;
			snprintf(lived, sizeof(lived), "running");
		} else {
			d = w->end_ns - w->fork_ns;
			if (w->end_ns < w->fork_ns)
				d = 0;	/* a follower saw the CPUs step back */
			snprintf(lived, sizeof(lived), "%s%llu.%09llu",
				 w->state == CT_FORK_REUSED ? "<=" : "",
				 (unsigned long long)(d / NSEC),
				 (unsigned long long)(d % NSEC));
		}
		ct_encode_comm(w->pcomm, w->pcomm_len, pc);
		ct_encode_comm(w->ccomm, w->ccomm_len, cc);
		fprintf(out, "%-7u %-16s %-7u %-16s %10llu.%09llu %-13s %14llu %14llu %14llu\n",
			w->parent, pc, w->child, cc,
			(unsigned long long)(w->fork_ns / NSEC),
			(unsigned long long)(w->fork_ns % NSEC), lived,
			(unsigned long long)pb, (unsigned long long)cb,
			(unsigned long long)(pb + cb < pb ? UINT64_MAX : pb + cb));
	}
	fprintf(out, "%zu forks", f->n);
	if (f->dropped)
		fprintf(out, ", %llu more without a row (past %zu)",
			(unsigned long long)f->dropped, f->max ? f->max : (size_t)CT_FORKS_ROWS);
	fputc('\n', out);
}

void ct_forks_free(struct ct_forks *f)
{
	free(f->rows);
	free(f->procs);
	ct_tgid_free(&f->by_tgid);
	memset(f, 0, sizeof(*f));
}
