/* Container entrypoint mode: `init [OPTIONS] -- COMMAND [ARGS...]` runs
 * COMMAND as the main process, passes signals on to it, reaps every zombie,
 * and at the end stops every other process before exiting with the main
 * process's status. */
#ifndef HYDRA_CONTAINER_H
#define HYDRA_CONTAINER_H

struct supervisor;

int container_main(int argc, char **argv);
void container_main_exited(struct supervisor *supervisor, int status);
/* Exits with the main process's status; the final stage calls it. */
void container_exit(struct supervisor *supervisor) __attribute__((noreturn));

#endif
