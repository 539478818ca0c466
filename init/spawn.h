/* Starting children: the one place that forks and execs. */
#ifndef HYDRA_SPAWN_H
#define HYDRA_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

#include "table.h"

struct spawn_context {
	const char *console;  /* path of the console for stdin, stdout and stderr;
	                       * NULL: init's own stdout and stderr, stdin /dev/null */
	bool keep_environment; /* container mode: init's environment, not a clean one */
	const char *control;  /* the control socket, passed as INIT_CONTROL */
	char runlevel;        /* RUNLEVEL and PREVLEVEL */
	char prevlevel;
	const char *inittab;  /* its directory's initscript, if any, runs each entry */
	bool single_user;     /* level S: no initscript, as in sysvinit */
	const char *term;     /* TERM and HOME, when set */
	const char *home;
	char *const *variables; /* INITCTL_VARIABLES_MAX "NAME=VALUE" strings or NULLs */
};

/* Does process need /bin/sh (it holds shell metacharacters)? */
bool needs_shell(const char *process);
/* Starts an inittab entry's process in a new session with a clean
 * environment. Returns the pid, or -1 (errno set) when fork failed. */
pid_t spawn_entry(const struct spawn_context *context, const struct entry *entry);
/* In a child: default dispositions for every signal and an empty mask. */
void reset_signals(void);
/* In a child: closes every descriptor from 3 up. */
void close_descriptors(void);

#endif
