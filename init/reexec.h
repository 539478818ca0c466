/* telinit u: init replaces its own image and keeps everything: the
 * supervised processes and their states, the level, the rate-limit
 * counters, the listening control socket. The state goes to the new image
 * as text in a memfd named by `--state FD` (see docs/init.8). An image
 * whose file was replaced on disk re-executes when level 0 or 6 begins
 * (the supervisor asks), and at the final stage from memory, so that the
 * old file's inode no longer keeps / busy. */
#ifndef HYDRA_REEXEC_H
#define HYDRA_REEXEC_H

#include <stdbool.h>

#include "supervisor.h"

/* Re-executes init, handing over the supervisor's state, listen_fd (the
 * control socket) and initctl_fd (the /run/initctl FIFO), -1 if none. The binary at init's path is executed when it is hydra (it
 * carries the state format's magic); anything else (sysvinit's init after
 * `dpkg -i sysvinit-core`) is never run: the running image is copied into
 * a memfd and executed from there. Returns only if the exec failed, with
 * everything as before (logged). */
void reexec(struct supervisor *supervisor, int listen_fd, int initctl_fd);
/* In the new image: reads the state from fd into supervisor (settings,
 * level, table, INIT_* variables, the inherited descriptors) and closes
 * fd. Returns 0 (a damaged state is logged and what could be read is
 * kept), or -1 if nothing usable came: then init boots afresh. */
int reexec_restore(struct supervisor *supervisor, int fd);

/* Was init's own file deleted or replaced on disk since it was executed?
 * Its inode then stays allocated, and / cannot be remounted read-only. */
bool reexec_image_replaced(void);

/* At the end of the final stage: if init's own file was deleted or
 * replaced, re-executes the image from memory as `--final HOW` (HOW: the
 * halt mode's number), which unmounts and reboots. Returns if not needed
 * or not possible. */
void reexec_final_if_deleted(const struct supervisor *supervisor);

#endif
