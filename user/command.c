// SPDX-License-Identifier: GPL-2.0
/*
 * cowtrace reader: cowtrace [options] -- COMMAND [ARG...]. Runs COMMAND
 * once the input is open, so that none of its records can come before the
 * reader's cursor, and passes the records of COMMAND's process and of
 * every process it forks, at any depth, by following the fork lines among
 * what the module records (its parameters are never changed). The end:
 * COMMAND has exited (waitpid()) and the input was read to its end after.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "command.h"

extern char **environ;

/**
 * ct_command_start - run @c->argv
 * @c: the command
 *
 * posix_spawnp(): the child shares the reader's memory until it execs
 * (CLONE_VM | CLONE_VFORK), so the reader's pages take no copy-on-write
 * fault for it, and nothing of the reader is recorded as the command's.
 * It gets the signal dispositions and mask a shell would give it (the
 * reader ignores SIGPIPE). The input is open before: nothing COMMAND
 * does is missed.
 * Return: 0, or an errno (then nothing runs).
 */
int ct_command_start(struct ct_command *c)
{
	posix_spawnattr_t a;
	sigset_t none, def;
	int err;

	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	if ((err = posix_spawnattr_init(&a)))
		return err;
	posix_spawnattr_setsigmask(&a, &none);
	posix_spawnattr_setsigdefault(&a, &def);
	posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	err = posix_spawnp(&c->pid, c->argv[0], NULL, &a, c->argv, environ);
	posix_spawnattr_destroy(&a);
	if (err)
		return err;
	if (ct_tgid_put(&c->tree, (uint32_t)c->pid, 1))
		return ENOMEM;
	c->state = CT_CMD_RUNNING;
	return 0;
}

/**
 * ct_command_pass - whether a record, fork or exit line is the command's
 * @c: the command
 * @t: what the line is
 * @r: its fields
 *
 * A fork line of a process of the tree adds its child to it; an exit
 * line takes its process out, after passing it.
 * Return: true when it passes.
 */
bool ct_command_pass(struct ct_command *c, enum ct_line t, const struct ct_rec *r)
{
	if (!ct_tgid_get(&c->tree, r->tgid))
		return false;
	/* Out of memory, the child would be missed: say so, keep going. */
	if (t == CT_LINE_FORK && ct_tgid_put(&c->tree, r->child, 1))
		fprintf(stderr, "cowtrace: out of memory: process %u not followed\n",
			r->child);
	if (t == CT_LINE_EXIT)
		ct_tgid_del(&c->tree, r->tgid);
	return true;
}

/**
 * ct_command_caught_up - the reader has read all there is: the end?
 * @c: the command
 *
 * Called each time a read() found nothing more. The first time after
 * waitpid() says COMMAND ended, the reader reads once more to the end:
 * what COMMAND did before it ended was committed before waitpid() saw it.
 * Return: true when the reader is done.
 */
bool ct_command_caught_up(struct ct_command *c)
{
	if (c->state == CT_CMD_EXITED)
		c->state = CT_CMD_DONE;
	else if (c->state == CT_CMD_RUNNING &&
		 waitpid(c->pid, &c->status, WNOHANG) == c->pid)
		c->state = CT_CMD_EXITED;
	return c->state == CT_CMD_DONE;
}

/**
 * ct_command_signal - a stop signal came to the reader (signal handler)
 * @c:   the command
 * @sig: SIGINT, SIGTERM or SIGHUP
 * @si:  who sent it
 *
 * One sent to the reader alone (kill, a service manager) goes on to the
 * command, which ends as it chooses, then the reader; one the terminal
 * sent (^C) went to the whole foreground process group, so the command
 * has it already. The third ends the reader at once.
 * Return: true when the reader goes on until the command ends.
 */
bool ct_command_signal(struct ct_command *c, int sig, const siginfo_t *si)
{
	if (!c->argv || c->state != CT_CMD_RUNNING || ++c->signals > 2)
		return false;
	if (si->si_code != SI_KERNEL)
		kill(c->pid, sig);
	return true;
}

/**
 * ct_command_exit_status - the reader's status: the command's
 * @c: the command
 *
 * Return: its exit status; 128 + N when signal N ended it; 0 when it
 * has not ended (the reader ended first: -t, -n, a third signal), which
 * is said on stderr: it runs on.
 */
int ct_command_exit_status(struct ct_command *c)
{
	if (c->state == CT_CMD_RUNNING) {
		if (waitpid(c->pid, &c->status, WNOHANG) != c->pid) {
			fprintf(stderr, "cowtrace: %s (pid %d) is still running\n",
				c->argv[0], (int)c->pid);
			return 0;
		}
		c->state = CT_CMD_EXITED;
	}
	if (WIFSIGNALED(c->status))
		return 128 + WTERMSIG(c->status);
	return WEXITSTATUS(c->status);
}

void ct_command_free(struct ct_command *c)
{
	ct_tgid_free(&c->tree);
}
