/* The event loop: the one place where init waits. It blocks in epoll_wait
 * on a signalfd, the control socket and its connections, and a timerfd
 * that is armed only while a deadline exists. An idle init makes no
 * system call at all. */
#ifndef HYDRA_LOOP_H
#define HYDRA_LOOP_H

#include <signal.h>
#include <sys/signalfd.h>

struct supervisor;

enum loop_wish { WISH_NONE = 0, WISH_REOPEN_CONTROL = 1 };

/* Handles one signal other than SIGCHLD; returns loop_wish bits. */
typedef int (*signal_handler)(struct supervisor *supervisor, const struct signalfd_siginfo *info);

/* Blocks the signals in handled (they arrive through the signalfd), opens
 * the control socket at control (unless NULL), starts nothing itself.
 * Never returns: the supervisor exits or reboots from within. */
void loop_run(struct supervisor *supervisor, const sigset_t *handled, signal_handler handler,
	      const char *control);

#endif
