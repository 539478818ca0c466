/* The client commands: telinit, runlevel, halt, poweroff, reboot and
 * shutdown. Each
 * asks init over the control socket and reports its answer. */
#ifndef HYDRA_CLIENT_H
#define HYDRA_CLIENT_H

int telinit_main(int argc, char **argv);
int runlevel_main(int argc, char **argv);
/* halt, poweroff and reboot; mode comes from the command's name. */
int halt_main(int argc, char **argv);
/* shutdown: sysvinit's, over the socket (INIT_HALT through /run/initctl). */
int shutdown_main(int argc, char **argv);

#endif
