/* The supervisor: the machine's life as a few phases (sysinit, boot, a
 * runlevel, the final stage), the entries it starts and stops on the way,
 * and the respawning of those that die. Signals and control requests only
 * record wishes here; supervisor_advance() grants them. */
#ifndef HYDRA_SUPERVISOR_H
#define HYDRA_SUPERVISOR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "initctl.h"
#include "table.h"

#define INIT_VERSION "hydra-0.1"
#define DEFAULT_CONTROL "/run/initctl.sock"
#define DEFAULT_INITTAB "/etc/inittab"
#define DEFAULT_LEVEL 2
/* How long to wait for processes after SIGKILL: one stuck in the kernel
 * (a dead NFS server) must not keep the machine from going on. */
enum { KILL_WAIT_MS = 5000 };

enum phase {
	PHASE_SYSINIT, /* sysinit entries, one at a time */
	PHASE_BOOT,    /* boot and bootwait entries */
	PHASE_LEVEL,   /* in (or entering) a runlevel */
	PHASE_FINAL,   /* the final stage: kill everything, sync, unmount, reboot */
};

enum halt_mode { HALT_POWEROFF, HALT_HALT, HALT_REBOOT };

enum final_step { FINAL_TERM, FINAL_KILL, FINAL_DONE };

struct settings {
	const char *inittab;
	const char *control;
	const char *initctl;         /* sysvinit's FIFO; NULL: none (container mode) */
	const char *console;
	const char *term, *home;     /* TERM and HOME as the kernel passed them, or NULL */
	uint64_t grace_ms;           /* SIGTERM to SIGKILL */
	unsigned respawn_limit;      /* more starts than this in the window disable */
	uint64_t respawn_window_ms;
	uint64_t respawn_pause_ms;
	bool real_init;              /* the machine's init, not a namespace's */
	bool container;              /* container entrypoint mode */
	unsigned char orphan_log_level; /* -w: each reaped orphan is logged at it; 0: not */
};

/* sysvinit's numbers: 3 s of grace, more than 10 starts in 120 s pause
 * an entry for 300 s. Boot and container mode start from these. */
#define DEFAULT_SETTINGS                                                          \
	.grace_ms = 3000, .respawn_limit = 10, .respawn_window_ms = 120000,         \
	.respawn_pause_ms = 300000

struct supervisor {
	struct settings settings;
	struct table table;
	enum phase phase;
	int level;              /* level index, -1 before the first one */
	int previous_level;
	int default_level;      /* from the command line or initdefault, -1 if none */
	int requested_level;    /* asked for during sysinit or boot: entered after them */
	bool single_user_over;  /* level S has ended (its entries ran and exited) */
	enum halt_mode halt_mode;
	/* INIT_* variables set through /run/initctl, passed to every child. */
	char *variables[INITCTL_VARIABLES_MAX];
	unsigned cursor;        /* next entry to consider in the current phase */
	uint64_t level_grace_ms;

	enum final_step final_step;
	uint64_t final_deadline;
	uint64_t final_poll;    /* next look for processes that are not our children */
	bool children_left;     /* did the last reap leave children behind? */

	/* telinit u: set by the request, granted by the loop after answering. */
	bool reexec_wanted;
	/* Started by a re-exec with the previous image's state: no boot. */
	bool restored;
	int restored_listen_fd; /* its control socket, -1 if none */
	int restored_initctl_fd; /* its /run/initctl FIFO, -1 if none */

	/* Container mode: the main command. */
	pid_t main_pid;
	int main_status;
	bool main_exited;
};

/* Loads the inittab (or falls back to a single-user shell) and starts the
 * sysinit phase; after a re-exec, reloads the inittab into the restored
 * table and goes on where the previous image was. */
void supervisor_start(struct supervisor *supervisor);
/* Moves on as far as the current state allows: starts the next entries,
 * finishes a level change, enters the final stage. */
void supervisor_advance(struct supervisor *supervisor);
/* Handles deadlines that have passed (SIGKILL, re-enabling). */
void supervisor_expire(struct supervisor *supervisor);
/* The earliest pending deadline, or 0 if none. */
uint64_t supervisor_next_deadline(const struct supervisor *supervisor);
/* Reaps every dead child; returns how many were reaped. */
unsigned supervisor_reap(struct supervisor *supervisor);

/* Requests, from signals and the control socket. Each returns a message for
 * the requester in reply (ok or the reason for refusing), and 0 or -1. */
int supervisor_change_level(struct supervisor *supervisor, int level, enum halt_mode mode,
			    uint64_t grace_ms, char *reply, unsigned size);
/* How a change to level goes down: 6 reboots; 0 halts when INIT_HALT=HALT
 * was set through /run/initctl (Debian's shutdown -H sets it just before
 * asking for level 0), and powers off otherwise. */
enum halt_mode supervisor_halt_mode(const struct supervisor *supervisor, int level);
int supervisor_reload(struct supervisor *supervisor, char *reply, unsigned size);
int supervisor_demand(struct supervisor *supervisor, int level, char *reply, unsigned size);
/* telinit u: asks the loop to re-execute init once the reply is sent. */
int supervisor_request_reexec(struct supervisor *supervisor, char *reply, unsigned size);
void supervisor_run_event(struct supervisor *supervisor, enum action action);
/* SIGPWR: reads the power status file and runs the matching entries. */
void supervisor_power_event(struct supervisor *supervisor);
/* Runs the entries for a power status: F(ail), O(k) or L(ow battery). */
void supervisor_power_status(struct supervisor *supervisor, char status);

/* Builds the status listing in a malloc'd buffer; NULL when out of memory. */
char *supervisor_status(const struct supervisor *supervisor);
/* "N 2": previous and current level. */
void supervisor_runlevel(const struct supervisor *supervisor, char *buffer, unsigned size);

#endif
