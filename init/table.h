/* The table of inittab entries and the state of each one's process. All
 * process state lives here; `telinit status` prints it. */
#ifndef HYDRA_TABLE_H
#define HYDRA_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "inittab.h"

enum entry_state {
	ENTRY_IDLE,     /* not running: never started, finished, or stopped */
	ENTRY_RUNNING,
	ENTRY_STOPPING, /* sent SIGTERM to its group; SIGKILL follows at deadline */
	ENTRY_DISABLED, /* not started again before deadline */
};

enum disable_reason { DISABLED_TOO_FAST, DISABLED_SPAWN_FAILED };

struct entry {
	char *id;
	unsigned levels;
	enum action action;
	char *process;
	unsigned line;

	enum entry_state state;
	enum disable_reason disable_reason;
	pid_t pid;
	pid_t group;            /* its process group, which may outlive it */
	unsigned restarts;      /* starts after the first one */
	int last_status;        /* wait status of the last exit */
	bool has_exited;        /* last_status is meaningful */
	bool has_run;           /* started since the current level (or boot phase) began */
	bool demanded;          /* started by `telinit a|b|c`; survives level changes */
	bool removed;           /* gone from the inittab: forget it once it is dead */
	bool killed;            /* SIGKILL sent */
	uint64_t deadline;      /* ms, monotonic: SIGKILL (stopping) or re-enable (disabled) */
	uint64_t window_start;  /* ms: start of the respawn rate window */
	unsigned window_starts; /* starts counted in that window */
};

/* An entry's position by its pid (see table_find_pid). */
struct pid_slot {
	pid_t pid; /* 0: empty */
	unsigned position;
};

struct table {
	struct entry *entries;
	unsigned count;
	struct pid_slot *pid_slots; /* NULL: built at the next look-up */
	unsigned pid_slots_size;    /* a power of two, or 0 */
	unsigned pid_slots_used;
};

/* Builds a table from a parsed inittab; -1 when memory runs out. */
int table_build(struct table *table, const struct inittab *inittab);
/* Replaces old by fresh (a newly built table) for a reload: entries whose id,
 * levels, action and process are unchanged keep their state; changed or
 * removed entries that still have processes (running, or a stopped group
 * not gone yet) are kept at the end, marked removed, so that they can be
 * stopped. fresh is consumed. Linear in the tables' sizes. Returns 0, or
 * -1 when memory runs out: then old is unchanged. */
int table_merge(struct table *old, struct table *fresh);
void table_free(struct table *table);
/* The entry whose process is pid, or NULL; constant time, so that n
 * deaths cost O(n), not O(n * table size). */
struct entry *table_find_pid(struct table *table, pid_t pid);
/* Records the new pid of entry position (after a start). */
void table_index_pid(struct table *table, unsigned position);
/* Drops entry index (a removed entry that has died). */
void table_remove(struct table *table, unsigned index);
/* One line for the status listing. now is used for "disabled" time left.
 * A line takes at most the id's length plus ENTRY_LINE_MAX bytes. */
enum { ENTRY_LINE_MAX = 160 };
int entry_describe(const struct entry *entry, uint64_t now, char *buffer, unsigned size);

#endif
