/* The final stage of levels 0 and 6, and the end of container mode: every
 * process gets SIGTERM, then SIGKILL after the grace time, then sync,
 * unmount (only for the machine's real init) and reboot(2) or exit. */
#ifndef HYDRA_SHUTDOWN_H
#define HYDRA_SHUTDOWN_H

#include <stdbool.h>
#include <sys/types.h>

#include "supervisor.h"

void final_stage_begin(struct supervisor *supervisor);
/* Goes on once no process is left. */
void final_stage_advance(struct supervisor *supervisor);
/* Goes on when the grace time is over. */
void final_stage_expire(struct supervisor *supervisor);
/* Sends signal to every process of ours: kill(-1) when init is PID 1,
 * else each descendant (init is their subreaper). Returns how many. */
unsigned signal_everyone(int signal_number);
/* The parent pid in the text of /proc/PID/stat ("pid (comm) state ppid
 * ..."), or -1. Pure, for the fuzzer. */
pid_t stat_parent(const char *text);
/* Is this the machine's own init (PID 1 of the first PID namespace)? Calls
 * reboot(RB_DISABLE_CAD), which only that init may do, as a side effect. */
bool detect_real_init(void);
/* The end of the final stage, after sync: unmount and reboot(2) in the
 * given way (the machine's real init), or exit 0 (a PID namespace).
 * Returns only if reboot(2) failed. */
void final_stage_end(enum halt_mode mode, bool real_init);
/* sync, then reboot(2) in the given way. Returns only on failure. */
void reboot_now(int how);

#endif
