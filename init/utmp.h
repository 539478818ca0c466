/* Login accounting as sysvinit keeps it, for who -r, who -b, last -x and
 * Debian's runlevel: records in the utmp and wtmp files, in glibc's
 * x86_64 layout (musl's own utmp functions do nothing). A file is written
 * only when it exists, is a regular file and is writable; a failure is
 * never fatal and never blocks. */
#ifndef HYDRA_UTMP_H
#define HYDRA_UTMP_H

#include <stdbool.h>
#include <sys/types.h>

/* The machine's real init writes /var/run/utmp (or /run/utmp) and
 * /var/log/wtmp. Any other init (a PID namespace, which may share the
 * host's files) writes only the files $HYDRA_UTMP and $HYDRA_WTMP name. */
void utmp_configure(bool real_init);
/* (halt -w, run on the machine, passes true: the record is the machine's.) */

/* BOOT_TIME ("reboot") in both files. Where a file cannot be written yet
 * (/var not mounted), the record is written before the next one that can. */
void utmp_boot(void);
/* RUN_LVL ("runlevel"): level characters, 'N' for none. */
void utmp_runlevel(char level, char previous);
/* The "shutdown" record, in wtmp only (what halt -w writes). */
void utmp_shutdown(void);
/* An inittab entry started (INIT_PROCESS) or ended (DEAD_PROCESS). */
void utmp_process_started(const char *id, pid_t pid);
void utmp_process_ended(const char *id, pid_t pid);

/* shutdown's broadcast: text to the terminal of each login (USER_PROCESS)
 * in the utmp file at path, but the one on our own output; never waits. */
void utmp_wall(const char *path, const char *text);

/* Whether a boot record still waits for each file, for a re-exec to
 * carry over: bit 0 utmp, bit 1 wtmp. */
unsigned utmp_pending(void);
void utmp_set_pending(unsigned pending);

#endif
