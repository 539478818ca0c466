/* sysvinit's /run/initctl FIFO, beside hydra's own socket, so that Debian's
 * shutdown, telinit, halt and friends work unchanged. A request is a fixed
 * 384-byte struct init_request (see initctl(5)): magic 0x03091969, a command,
 * a runlevel character, a sleep time in seconds and 368 bytes of data. No
 * answer goes back: what init did is logged. See docs/init.8, INITCTL. */
#ifndef HYDRA_INITCTL_H
#define HYDRA_INITCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEFAULT_INITCTL "/run/initctl"

enum {
	INITCTL_MAGIC = 0x03091969,
	INITCTL_REQUEST_SIZE = 384,  /* magic, cmd, runlevel, sleeptime (ints), data */
	INITCTL_DATA_OFFSET = 16,
	INITCTL_DATA_SIZE = 368,
	/* At most this many INIT_* variables are kept, as sysvinit keeps 16. */
	INITCTL_VARIABLES_MAX = 16,
};

enum initctl_kind {
	INITCTL_LEVEL,        /* RUNLVL 0-9, S */
	INITCTL_RELOAD,       /* RUNLVL Q */
	INITCTL_ONDEMAND,     /* RUNLVL A, B, C */
	INITCTL_REEXEC,       /* RUNLVL U */
	INITCTL_POWERFAIL,    /* the power is failing */
	INITCTL_POWERFAILNOW, /* the battery is low: go down now */
	INITCTL_POWEROK,      /* the power is back */
	INITCTL_SETENV,       /* NAME=VALUE (set) or NAME (unset), each INIT_* */
	INITCTL_UNSETENV,     /* NAME */
};

struct initctl_request {
	enum initctl_kind kind;
	int level;         /* LEVEL and ONDEMAND: a level index */
	uint64_t grace_ms; /* LEVEL: the sleep time, 0 for init's own grace time */
	unsigned variable_count;
	/* SETENV and UNSETENV: variable_count strings, each NUL-terminated,
	 * one after the other. */
	char variables[INITCTL_DATA_SIZE];
};

/* Decodes one request of length bytes. Returns 0, or -1 with the reason in
 * *error. Pure: no I/O, no globals; any bytes are safe to give it. */
int initctl_decode(const void *bytes, size_t length, struct initctl_request *out,
		   const char **error);

/* The variables init passes to every process it starts: an array of
 * INITCTL_VARIABLES_MAX malloc'd "NAME=VALUE" strings, NULL where free.
 * Sets (item "NAME=VALUE") or unsets (item "NAME") one. Returns 0, or -1
 * when all slots are taken or memory ran out. */
int initctl_apply_variable(char **variables, const char *item);
/* The value of name among variables, or NULL. */
const char *initctl_variable(char *const *variables, const char *name);

/* The init side: creates the FIFO at path (root's, mode 0600, replacing
 * whatever else is there) and opens it for reading without ever seeing an
 * end of file. Returns the descriptor, or -1 (logged if report). */
int initctl_open(const char *path, bool report);
/* Is the FIFO open on fd still the one at path (/run may have been
 * mounted over it)? */
bool initctl_still_there(int fd, const char *path);

/* What arrived on the FIFO and is not a whole request yet. */
struct initctl_buffer {
	size_t used;
	char bytes[4 * INITCTL_REQUEST_SIZE];
};

struct supervisor;
/* Reads every request waiting on fd and carries each out. */
void initctl_serve(struct supervisor *supervisor, int fd, struct initctl_buffer *buffer);

#endif
