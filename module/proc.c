// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/cowtrace and /proc/cowtrace_raw: each open gets its own cursor over
 * the per-CPU rings and reads the records, merged by time, as text or as
 * binary items (struct cowtrace_format, chosen by the file opened); read()
 * returns 0 once caught up and poll() says when more arrived. Nothing is
 * consumed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kmemleak.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "filter.h"
#include "format.h"
#include "probe.h"
#include "proc.h"
#include "wake.h"

/*
 * Bytes one read() formats at most: a reader that never catches up (a storm
 * outruns it) still returns, and rmmod, which waits for running reads, is
 * not held up by a huge buffer.
 */
#define COWTRACE_READ_MAX	(128 * 1024)

/*
 * What poll() reports once the module is going away, and the key of the
 * wake-ups then: one bit passes each waiter's filter. HUP and ERR are in
 * every poll() filter, PRI in select()'s exception set, IN in its read set.
 */
#define COWTRACE_POLL_GONE	(EPOLLIN | EPOLLRDNORM | EPOLLPRI | EPOLLERR | \
				 EPOLLHUP)

/*
 * How long cowtrace_proc_exit() waits for pollers to leave: rmmod returns
 * within a second whatever the readers do.
 */
#define COWTRACE_EXIT_WAIT	(HZ / 4)

/**
 * struct cowtrace_hub - what pollers of both files sleep on
 * @wq:    the wait queue
 * @dying: set once the module is going away; poll() then reports
 *         COWTRACE_POLL_GONE so that every poller returns to user space
 * @rcu:   frees the hub after epoll's last look at @wq
 *
 * Allocated, not in module memory: a poller that cannot be made to leave
 * (a frozen task) keeps a pointer to @wq until it wakes, perhaps long after
 * the module is gone; the hub is then left allocated for it.
 */
struct cowtrace_hub {
	struct wait_queue_head wq;
	bool dying;
	struct rcu_head rcu;
};

static struct cowtrace_hub *cowtrace_hub;

static struct proc_dir_entry *cowtrace_pde;
static struct proc_dir_entry *cowtrace_raw_pde;
static struct cowtrace_rings *cowtrace_proc_rings;

/**
 * struct cowtrace_reader - one open file
 * @lock: serialises read() on this file (poll() reads @off and @len racily)
 * @cur:  the cursor
 * @fmt:  the format of the file opened
 * @text: formatted bytes not yet read, @off to @len
 * @size: size of @text
 * @len:  bytes in @text
 * @off:  bytes of @text already read
 * @unit: read() copies a multiple of this many bytes: 1 for text; for a
 *        format of whole items, the header's size, then the items'
 */
struct cowtrace_reader {
	struct mutex lock;	/* protects the rest of this struct */
	struct cowtrace_cursor cur;
	const struct cowtrace_format *fmt;
	char *text;
	size_t size;
	size_t len;
	size_t off;
	size_t unit;
};

static void cowtrace_reader_free(struct cowtrace_reader *rd)
{
	cowtrace_cursor_destroy(&rd->cur);
	kvfree(rd->text);
	kfree(rd);
}

static int cowtrace_proc_open(struct inode *inode, struct file *file)
{
	const struct cowtrace_format *fmt = pde_data(inode);
	struct cowtrace_rings *rs = cowtrace_proc_rings;
	const struct cowtrace_filter *f;
	struct cowtrace_probe_counts counts;
	struct cowtrace_header h = {};
	struct cowtrace_reader *rd;
	u64 *taken;
	int ret;

	if (file->f_mode & FMODE_WRITE)
		return -EACCES;
	/*
	 * Every process's addresses and instruction pointers: perf's rule
	 * for such data, CAP_PERFMON or CAP_SYS_ADMIN in the initial user
	 * namespace. The file mode alone lets in root of any container
	 * that shares this procfs' files. Silent, as perf is, per attempt.
	 */
	if (!perfmon_capable())
		return -EPERM;
	/* What an open pins is charged to the opener's memory cgroup. */
	rd = kzalloc(sizeof(*rd), GFP_KERNEL_ACCOUNT);
	if (!rd)
		return -ENOMEM;
	mutex_init(&rd->lock);
	rd->fmt = fmt;
	rd->size = max_t(size_t, PAGE_SIZE, fmt->header_size(rs->nr));
	rd->text = kvmalloc(rd->size, GFP_KERNEL_ACCOUNT);
	taken = kcalloc(rs->nr, sizeof(*taken), GFP_KERNEL_ACCOUNT);
	if (!rd->text || !taken ||
	    cowtrace_cursor_init(&rd->cur, rs, taken, GFP_KERNEL_ACCOUNT)) {
		ret = -ENOMEM;
		goto out_free_reader;
	}

	rcu_read_lock();
	f = rcu_dereference(cowtrace_filter_active);
	memcpy(h.filter, f->comm, sizeof(h.filter));
	h.pid = f->tgid;
	h.tree = !!f->tree;
	rcu_read_unlock();
	h.entries = rs->entries;
	h.nr = rs->nr;
	cowtrace_probe_counts(&counts);
	h.paths = counts.paths;
	h.missed = counts.missed;
	h.retried = counts.retried;
	h.raced = counts.raced;
	rd->len = fmt->header(rd->text, rd->size, &h, taken);
	rd->unit = fmt->whole ? rd->len : 1;
	kfree(taken);

	file->private_data = rd;
	return nonseekable_open(inode, file);

out_free_reader:
	kfree(taken);
	cowtrace_reader_free(rd);
	return ret;
}

/* Format the next items into @rd->text. Return: false when caught up. */
static bool cowtrace_reader_fill(struct cowtrace_reader *rd)
{
	const struct cowtrace_format *fmt = rd->fmt;
	struct cowtrace_record rec;
	unsigned int cpu;
	u64 lost;

	rd->len = 0;
	rd->off = 0;
	rd->unit = fmt->whole ? fmt->item_max : 1;
	while (rd->size - rd->len >= fmt->item_max) {
		char *p = rd->text + rd->len;
		size_t room = rd->size - rd->len;

		switch (cowtrace_cursor_next(&rd->cur, &rec, &lost, &cpu)) {
		case COWTRACE_ITEM_RECORD:
			rd->len += fmt->record(p, room, &rec);
			break;
		case COWTRACE_ITEM_LOST:
			rd->len += fmt->lost(p, room, lost, cpu);
			break;
		default:
			return rd->len;
		}
	}
	return true;
}

static ssize_t cowtrace_proc_read(struct file *file, char __user *buf,
				  size_t count, loff_t *ppos)
{
	struct cowtrace_reader *rd = file->private_data;
	size_t done = 0;
	ssize_t ret = 0;

	/* Going away: as after the removal, and as poll() said (ERR|HUP). */
	if (READ_ONCE(cowtrace_hub->dying))
		return -EIO;
	if (mutex_lock_interruptible(&rd->lock))
		return -ERESTARTSYS;
	while (done < count) {
		size_t n, left;

		if (rd->off == rd->len) {
			/* Bounded work per call: see COWTRACE_READ_MAX. */
			if (done >= COWTRACE_READ_MAX)
				break;
			if (fatal_signal_pending(current)) {
				ret = -EINTR;
				break;
			}
			cond_resched();
			if (!cowtrace_reader_fill(rd))
				break;
		}
		n = min(count - done, rd->len - rd->off);
		/*
		 * Whole items only, so that a binary reader never has to
		 * reassemble one; a buffer smaller than the next item is the
		 * caller's error when nothing was copied yet.
		 */
		n -= n % rd->unit;
		if (!n) {
			if (!done)
				ret = -EINVAL;
			break;
		}
		left = copy_to_user(buf + done, rd->text + rd->off, n);
		/* A fault inside an item: it is read again next time. */
		n -= left;
		n -= n % rd->unit;
		rd->off += n;
		done += n;
		if (left) {
			ret = -EFAULT;
			break;
		}
	}
	mutex_unlock(&rd->lock);
	return done ? done : ret;
}

static __poll_t cowtrace_proc_poll(struct file *file, poll_table *wait)
{
	struct cowtrace_reader *rd = file->private_data;

	poll_wait(file, &cowtrace_hub->wq, wait);
	/*
	 * Our entry on the queue before the heads are read; pairs with the
	 * barrier in wq_has_sleeper() that cowtrace_notify() runs after a
	 * record is committed, so a record is either seen here or gets us a
	 * wake-up (at once or from the timer: see wake.c).
	 * Also before @dying is read: an exit that set it either finds our
	 * entry when it wakes the queue (under its lock) or set it before we
	 * took that lock to queue.
	 */
	smp_mb();
	if (READ_ONCE(cowtrace_hub->dying))
		return COWTRACE_POLL_GONE;
	/* A racy look at a reader's progress: read() holds @rd->lock. */
	if (data_race(rd->off != rd->len) ||
	    cowtrace_cursor_pending(&rd->cur))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static int cowtrace_proc_release(struct inode *inode, struct file *file)
{
	cowtrace_reader_free(file->private_data);
	return 0;
}

static const struct proc_ops cowtrace_proc_ops = {
	.proc_open	= cowtrace_proc_open,
	.proc_read	= cowtrace_proc_read,
	.proc_poll	= cowtrace_proc_poll,
	.proc_release	= cowtrace_proc_release,
};

/**
 * cowtrace_proc_init - create /proc/cowtrace and /proc/cowtrace_raw over @rs
 * @rs: the rings; they must outlive cowtrace_proc_exit()
 *
 * Return: 0, or -ENOMEM.
 */
int cowtrace_proc_init(struct cowtrace_rings *rs)
{
	cowtrace_hub = kzalloc(sizeof(*cowtrace_hub), GFP_KERNEL);
	if (!cowtrace_hub)
		return -ENOMEM;
	init_waitqueue_head(&cowtrace_hub->wq);
	cowtrace_wake_init(rs, &cowtrace_hub->wq);
	cowtrace_proc_rings = rs;
	cowtrace_pde = proc_create_data("cowtrace", 0400, NULL,
					&cowtrace_proc_ops,
					(void *)&cowtrace_format_text);
	cowtrace_raw_pde = proc_create_data("cowtrace_raw", 0400, NULL,
					    &cowtrace_proc_ops,
					    (void *)&cowtrace_format_raw);
	if (!cowtrace_pde || !cowtrace_raw_pde) {
		/* Nothing was opened yet: no reader or poller to wait for. */
		proc_remove(cowtrace_raw_pde);
		proc_remove(cowtrace_pde);
		kfree(cowtrace_hub);
		return -ENOMEM;
	}
	return 0;
}

/*
 * Wake every poller, whatever it waits for, and let epoll drop its entries
 * (POLLFREE). Return: true when no poller is queued any more.
 */
static bool cowtrace_hub_flush(struct cowtrace_hub *hub)
{
	bool queued;

	__wake_up(&hub->wq, TASK_NORMAL, 0,
		  poll_to_key(COWTRACE_POLL_GONE | POLLFREE));
	spin_lock_irq(&hub->wq.lock);
	/* Under the queue's lock: a remover has also let go of the lock. */
	queued = waitqueue_active(&hub->wq);
	spin_unlock_irq(&hub->wq.lock);
	return !queued;
}

/* Flush until the queue is empty or @deadline passed. */
static bool cowtrace_hub_drain(struct cowtrace_hub *hub,
			       unsigned long deadline)
{
	while (!cowtrace_hub_flush(hub)) {
		if (time_after(jiffies, deadline))
			return false;
		schedule_timeout_uninterruptible(1);
	}
	return true;
}

/**
 * cowtrace_proc_exit - remove both files; no reader is left after it
 *
 * The probes must be gone already. Returns within COWTRACE_EXIT_WAIT
 * (twice) with open files, pollers of any kind, stopped readers; but not
 * while a read() is inside copy_to_user() on a buffer whose page never
 * comes (a userfaultfd or FUSE mapping that is not served): procfs counts
 * that call as using the file, and proc_remove() waits for it, as the
 * removal of any procfs or tracefs file (trace_pipe) does.
 *
 * A poll() or select() leaves the queue only when it returns to user space,
 * and after proc_remove() a re-poll gets proc's default mask, which a
 * POLLPRI-only poll() ignores: so the pollers are made to return while our
 * poll() still runs, by @dying and a wake-up that passes every filter.
 * epoll leaves on POLLFREE. A poller that cannot run (frozen) is taken off
 * the queue by hand; its poll_freewait() will still take the queue's lock,
 * so the hub is then left allocated rather than freed under it.
 */
void cowtrace_proc_exit(void)
{
	struct cowtrace_hub *hub = cowtrace_hub;
	struct wait_queue_entry *e, *tmp;
	unsigned long deadline;

	/* No wake-up may touch the hub once it may be freed. */
	cowtrace_wake_exit();
	/* Pairs with the queue's lock and the smp_mb() in poll: see there. */
	WRITE_ONCE(hub->dying, true);
	deadline = jiffies + COWTRACE_EXIT_WAIT;
	cowtrace_hub_drain(hub, deadline);
	/* Waits for running calls and releases every open file. */
	proc_remove(cowtrace_raw_pde);
	proc_remove(cowtrace_pde);
	/* No poll() can queue any more; epoll may have since proc_remove(). */
	deadline = jiffies + COWTRACE_EXIT_WAIT;
	if (cowtrace_hub_drain(hub, deadline)) {
		/* epoll may look at the queue under rcu_read_lock() till then. */
		kfree_rcu(hub, rcu);
		return;
	}
	spin_lock_irq(&hub->wq.lock);
	list_for_each_entry_safe(e, tmp, &hub->wq.head, entry)
		list_del_init(&e->entry);
	spin_unlock_irq(&hub->wq.lock);
	kmemleak_not_leak(hub);
	pr_warn("a poller of /proc/cowtrace* did not wake (frozen?): %zu bytes left allocated for it\n",
		sizeof(*hub));
}
