/* Container entrypoint mode: `init [OPTIONS] -- COMMAND [ARGS...]` runs
 * COMMAND as the main process, passes signals on to it, reaps every zombie,
 * and at the end stops every other process before exiting with the main
 * process's status. With -f, an inittab's entries run beside it. */
#ifndef HYDRA_CONTAINER_H
#define HYDRA_CONTAINER_H

struct supervisor;

int container_main(int argc, char **argv);
/* Starts the main command; the supervisor calls it once sysinit and boot
 * entries are done (at once without -f). */
void container_start_main(struct supervisor *supervisor);
void container_main_exited(struct supervisor *supervisor, int status);
/* Exits with the main process's status; the final stage calls it. */
void container_exit(struct supervisor *supervisor) __attribute__((noreturn));

#endif
