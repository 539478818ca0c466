#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "number.h"
#include "signals.h"
#include "supervisor.h"

/* The options, and what the main process inherits from whoever started
 * init. There is one main process per init, so this state lives here, at
 * the edge, and the supervisor only knows the main process's pid and
 * status. */
static struct {
	char **command;
	bool signal_group;           /* -g: forward to the main process's group */
	bool success[256];           /* -e: exit codes reported as 0 */
	int parent_death_signal;     /* -p, 0 if none */
	bool subreaper;              /* -s */
	sigset_t inherited_mask;
	bool inherited_ignored[NSIG];
	pid_t init_group;            /* init's process group, to see if it holds the terminal */
} container;

/* Signals a main process that has not started yet (inittab entries of -f
 * still run) would have died of: init then ends the container at once. */
static const int stopping_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };

static void usage(int to)
{
	dprintf(to,
		"usage: init [-g] [-e CODE]... [-p SIGNAL] [-t SECONDS] [-s] [-v]... [-w] [-f INITTAB]\n"
		"            -- COMMAND [ARGS...]\n"
		"  -g          forward signals to the main process's whole process group\n"
		"  -e CODE     count exit code CODE (0-255) of the main process as success\n"
		"  -p SIGNAL   signal init gets when its parent dies (forwarded like any other)\n"
		"  -t SECONDS  grace time between TERM and KILL at the end (default 3)\n"
		"  -s          be a child subreaper (automatic when init is not PID 1)\n"
		"  -v          more messages on stderr (repeatable)\n"
		"  -w          log each reaped orphan\n"
		"  -f INITTAB  also run that inittab's entries beside the main command\n"
		"  --version, -h\n"
		"See init(8), CONTAINER MODE.\n");
}

/* Refuses an argument before anything has started: exit status 2. */
static int refuse(const char *format, const char *argument)
{
	dprintf(STDERR_FILENO, "init: ");
	dprintf(STDERR_FILENO, format, argument);
	dprintf(STDERR_FILENO, "\n");
	usage(STDERR_FILENO);
	return 2;
}

static int parse_exit_code(const char *text)
{
	char *end;
	long code = strtol(text, &end, 10);

	return *text && !*end && code >= 0 && code <= 255 ? (int)code : -1;
}

enum parse_result { PARSE_RUN, PARSE_DONE, PARSE_REFUSED };

/* Reads the options before "--". Short options may be grouped (-vvw) and
 * take their value attached or as the next argument (-e143, -e 143), as
 * tini's getopt does. */
static enum parse_result parse_options(int argc, char **argv, struct settings *settings,
				       int *verbosity, int *status)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *argument = argv[i];

		if (strcmp(argument, "--version") == 0) {
			dprintf(STDOUT_FILENO, "%s\n", INIT_VERSION);
			*status = 0;
			return PARSE_DONE;
		}
		if (strcmp(argument, "--help") == 0) {
			usage(STDOUT_FILENO);
			*status = 0;
			return PARSE_DONE;
		}
		if (argument[0] != '-' || argument[1] == '\0' || argument[1] == '-') {
			*status = refuse("unknown argument '%s' before --", argument);
			return PARSE_REFUSED;
		}
		for (const char *flag = argument + 1; *flag; flag++) {
			const char *value = NULL;
			int number;

			if (strchr("eptf", *flag)) {
				value = flag[1] ? flag + 1 : i + 1 < argc && strcmp(argv[i + 1], "--") != 0
								 ? argv[++i] : NULL;
				if (!value) {
					char option[3] = { '-', *flag, '\0' };
					*status = refuse("option %s needs a value", option);
					return PARSE_REFUSED;
				}
			}
			switch (*flag) {
			case 'g':
				container.signal_group = true;
				break;
			case 's':
				container.subreaper = true;
				break;
			case 'v':
				if (*verbosity < LOG_DEBUG)
					(*verbosity)++;
				break;
			case 'w':
				settings->log_orphans = true;
				break;
			case 'h':
				usage(STDOUT_FILENO);
				*status = 0;
				return PARSE_DONE;
			case 'e':
				if ((number = parse_exit_code(value)) < 0) {
					*status = refuse("bad exit code '%s' for -e (want 0 to 255)", value);
					return PARSE_REFUSED;
				}
				container.success[number] = true;
				break;
			case 'p':
				if (!(number = signal_number(value))) {
					*status = refuse("unknown signal '%s' for -p", value);
					return PARSE_REFUSED;
				}
				container.parent_death_signal = number;
				break;
			case 't':
				if (parse_seconds(value, 3600000, &settings->grace_ms) < 0) {
					*status = refuse("bad grace time '%s' for -t (want 0 to 3600 seconds)",
							 value);
					return PARSE_REFUSED;
				}
				break;
			case 'f':
				if (access(value, R_OK) < 0) {
					dprintf(STDERR_FILENO, "init: cannot read %s: %s\n", value, strerror(errno));
					*status = 2;
					return PARSE_REFUSED;
				}
				settings->inittab = value;
				break;
			default: {
				char option[3] = { '-', *flag, '\0' };
				*status = refuse("unknown option %s", option);
				return PARSE_REFUSED;
			}
			}
			if (value)
				break; /* the value took the rest of this argument */
		}
	}
	if (i + 1 >= argc) {
		*status = refuse("%s", "no command after --");
		return PARSE_REFUSED;
	}
	container.command = argv + i + 1;
	return PARSE_RUN;
}

/* What the main process gets back: the mask and the ignored signals init
 * itself was started with, not init's own blocked set. */
static void save_inheritance(void)
{
	sigprocmask(SIG_BLOCK, NULL, &container.inherited_mask);
	for (int number = 1; number < NSIG; number++) {
		struct sigaction action;

		container.inherited_ignored[number] =
			sigaction(number, NULL, &action) == 0 && action.sa_handler == SIG_IGN;
	}
}

static void restore_inheritance(void)
{
	for (int number = 1; number < NSIG; number++) {
		struct sigaction action = {
			.sa_handler = container.inherited_ignored[number] ? SIG_IGN : SIG_DFL,
		};

		sigaction(number, &action, NULL); /* fails for KILL, STOP and libc's own: fine */
	}
	sigprocmask(SIG_SETMASK, &container.inherited_mask, NULL);
}

/* In the child: becomes the foreground of init's terminal, if init holds
 * it. The child does it, not init: done by init after fork it would race
 * with the child's first read of the terminal. SIGTTOU is still blocked
 * here (inherited from init), so tcsetpgrp cannot stop us. An init started
 * in the background of a shell leaves that shell's terminal alone. */
static void take_terminal(void)
{
	int terminal = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (terminal < 0)
		return; /* no controlling terminal */
	if (tcgetpgrp(terminal) == container.init_group && tcsetpgrp(terminal, getpid()) < 0)
		dprintf(STDERR_FILENO, "init: cannot give the terminal to %s: %s\n", container.command[0],
			strerror(errno));
	close(terminal);
}

static void run_main(void)
{
	/* Its own process group: -g and the terminal address it as a whole. */
	setpgid(0, 0);
	take_terminal();
	restore_inheritance();
	execvp(container.command[0], container.command);
	int saved = errno;
	dprintf(STDERR_FILENO, "init: cannot run %s: %s\n", container.command[0], strerror(saved));
	/* The shell's conventions: 127 not found, 126 found but not runnable. */
	_exit(saved == ENOENT || saved == ENOTDIR ? 127 : 126);
}

void container_start_main(struct supervisor *supervisor)
{
	pid_t pid;

	if (supervisor->main_pid > 0 || supervisor->main_exited)
		return;
	pid = fork();
	if (pid == 0)
		run_main();
	if (pid < 0) {
		error("cannot start %s: fork: %s", container.command[0], strerror(errno));
		supervisor->main_exited = true;
		supervisor->main_status = 1 << 8; /* exit status 1 */
		return;
	}
	supervisor->main_pid = pid;
	debug("started %s (pid %d)", container.command[0], (int)pid);
}

void container_main_exited(struct supervisor *supervisor, int status)
{
	char description[48];

	supervisor->main_exited = true;
	supervisor->main_status = status;
	info("%s (pid %d) ended: %s", container.command[0], (int)supervisor->main_pid,
	     describe_status(status, description, sizeof(description)));
}

static bool stops_container(int number)
{
	for (unsigned i = 0; i < sizeof(stopping_signals) / sizeof(stopping_signals[0]); i++)
		if (stopping_signals[i] == number)
			return true;
	return false;
}

static int forward_signal(struct supervisor *supervisor, const struct signalfd_siginfo *info)
{
	int number = info->ssi_signo;
	pid_t main_pid = supervisor->main_pid;

	/* A SIGPIPE or SIGXFSZ raised by init's own write (a closed stderr)
	 * is init's business, not the main process's. */
	if (info->ssi_code == SI_USER && (pid_t)info->ssi_pid == getpid())
		return WISH_NONE;
	if (supervisor->main_exited) {
		debug("%s from pid %d: the main process has ended, not forwarded", signal_name(number),
		      (int)info->ssi_pid);
	} else if (main_pid > 0) {
		debug("forwarding %s from pid %d to %s %d", signal_name(number), (int)info->ssi_pid,
		      container.signal_group ? "process group" : "pid", (int)main_pid);
		/* With -g, a main process that moved to another group (a shell
		 * with job control) still gets the signal itself. */
		if (!(container.signal_group && kill(-main_pid, number) == 0) &&
		    kill(main_pid, number) < 0)
			debug("cannot forward %s to pid %d: %s", signal_name(number), (int)main_pid,
			      strerror(errno));
	} else if (stops_container(number)) {
		notice("%s before the main process started: ending the container", signal_name(number));
		supervisor->main_exited = true;
		supervisor->main_status = number; /* the wait status of a death by that signal */
	}
	return WISH_NONE;
}

void container_exit(struct supervisor *supervisor)
{
	int status = supervisor->main_status, code;

	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		code = 128 + WTERMSIG(status); /* as shells report it */
	else
		code = 1;
	if (code < 256 && container.success[code])
		code = 0;
	debug("exiting with status %d", code);
	exit(code);
}

/* Init phase: any failure here exits with a message, before anything has
 * started. Then loop_run(), which never returns: the final stage exits. */
int container_main(int argc, char **argv)
{
	struct supervisor supervisor = {
		.settings = {
			.inittab = NULL,
			.control = NULL,
			.console = NULL, /* entries of -f keep the container's stdout and stderr */
			DEFAULT_SETTINGS,
			.container = true,
		},
		.default_level = -1,
		.main_pid = -1,
	};
	int verbosity = LOG_WARNING, status = 0;
	sigset_t handled;
	struct sigaction default_action = { .sa_handler = SIG_DFL };

	switch (parse_options(argc, argv, &supervisor.settings, &verbosity, &status)) {
	case PARSE_RUN:
		break;
	case PARSE_DONE:
	case PARSE_REFUSED:
		return status;
	}
	/* Messages go to init's stderr (the container's log), written
	 * without ever blocking init. */
	log_open(NULL, false);
	if (supervisor.settings.log_orphans && verbosity < LOG_INFO)
		verbosity = LOG_INFO;
	log_set_verbosity(verbosity);
	save_inheritance();

	pid_t parent = getppid();
	if (container.parent_death_signal &&
	    prctl(PR_SET_PDEATHSIG, container.parent_death_signal) < 0) {
		dprintf(STDERR_FILENO, "init: cannot set the parent death signal: %s\n", strerror(errno));
		return 2;
	}
	/* Not PID 1: orphans would go to the machine's init (or another
	 * subreaper) and escape both the reaping and the final stage. */
	if ((container.subreaper || getpid() != 1) && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		warning("cannot become a child subreaper: %s; orphans will not be reaped here",
			strerror(errno));
	/* An inherited SIG_IGN for SIGCHLD would make the kernel reap the main
	 * process itself, and its status would be lost. */
	sigaction(SIGCHLD, &default_action, NULL);

	/* Every signal that can be caught comes through the loop's signalfd.
	 * Blocked now, before the fork, so that none is lost in between;
	 * SIGTTIN, SIGTTOU and SIGTSTP can then never stop init itself. */
	sigfillset(&handled);
	sigdelset(&handled, SIGKILL);
	sigdelset(&handled, SIGSTOP);
	sigprocmask(SIG_BLOCK, &handled, NULL);
	/* The parent died before prctl: act as if it died now. Raised while
	 * blocked, it waits in the signalfd even for a PID 1, which the
	 * kernel would otherwise spare a signal it has no handler for. */
	if (container.parent_death_signal && getppid() != parent)
		raise(container.parent_death_signal);
	container.init_group = getpgrp();
	if (getpid() != 1)
		debug("not PID 1: descendants are found through /proc at the end");
	loop_run(&supervisor, &handled, forward_signal, NULL);
	return 1; /* not reached */
}
