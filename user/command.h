/* SPDX-License-Identifier: GPL-2.0 */
/* cowtrace reader: -- COMMAND, run it and follow its process tree. */
#ifndef COWTRACE_COMMAND_H
#define COWTRACE_COMMAND_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "parse.h"
#include "tgidmap.h"

/**
 * struct ct_command - the command and the processes it made
 * @argv:    COMMAND and its arguments; NULL when there is none
 * @pid:     its process, once started
 * @state:   CT_CMD_RUNNING, then _EXITED when waitpid() said so, then
 *           _DONE when the input was read to its end after that
 * @status:  what waitpid() gave
 * @tree:    TGIDs of the command's process and of every process that
 *           descends from it, as fork lines say; a TGID leaves at its
 *           exit line, so that a reused pid is not taken for one
 * @signals: stop signals forwarded to it
 */
struct ct_command {
	char **argv;
	pid_t pid;
	enum { CT_CMD_RUNNING, CT_CMD_EXITED, CT_CMD_DONE } state;
	int status;
	struct ct_tgid_map tree;
	volatile sig_atomic_t signals;
};

#define CT_CMD_TICK_NS	(50 * 1000000LL)	/* look at waitpid() this often */

int ct_command_start(struct ct_command *c);
bool ct_command_pass(struct ct_command *c, enum ct_line t, const struct ct_rec *r);
bool ct_command_caught_up(struct ct_command *c);
bool ct_command_signal(struct ct_command *c, int sig, const siginfo_t *si);
int ct_command_exit_status(struct ct_command *c);
void ct_command_free(struct ct_command *c);

#endif /* COWTRACE_COMMAND_H */
