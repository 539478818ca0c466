#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libgen.h>
#include <sys/ioctl.h>
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
	const struct personality *as;
	const char *name;            /* the name init was called by, for the usage */
	char **command;
	bool signal_group;           /* -g: forward to the main process's group */
	bool new_session;            /* dumb-init's setsid mode */
	bool success[256];           /* -e: exit codes reported as 0 */
	unsigned char rewrite[32];   /* dumb-init's -r: signal N is sent as rewrite[N] - 1; 0: as is */
	int parent_death_signal;     /* -p, 0 if none */
	bool subreaper;              /* -s */
	sigset_t inherited_mask;
	bool inherited_ignored[NSIG];
	pid_t init_group;            /* init's process group, to see if it holds the terminal */
} container;

/* Signals a main process that has not started yet (inittab entries of -f
 * still run) would have died of: init then ends the container at once. */
static const int stopping_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };
/* What a terminal sends to stop a job. */
static const int terminal_stops[] = { SIGTSTP, SIGTTIN, SIGTTOU };

/* The names init answers to as a container's entrypoint, each with that
 * tool's option syntax, environment and exit codes, so that an
 * image or a daemon that calls tini, docker-init or dumb-init keeps
 * working (docs/container.md has the table). A bit each, for the option
 * tables below. */
enum { AS_HYDRA = 1, AS_TINI = 2, AS_DUMB_INIT = 4, AS_ANY = 7 };

static const struct personality {
	unsigned char bit;
	bool command_ends_options;    /* `--` is optional: the first non-option is the command */
	bool answers_on_stderr;       /* where -h and the version go */
	bool stops_with_child;        /* TSTP, TTIN, TTOU: forward, then stop init too */
	bool starts_session;          /* by default the main process leads a session, whose group gets the signals */
	unsigned char refused_status; /* a bad option or no command */
	unsigned char exec_status[4]; /* exec failed with ENOENT, ENOTDIR, EACCES, anything else */
	unsigned char levels[4];      /* log level for each -v step */
	unsigned char default_step;
	unsigned char orphan_level;   /* what -w logs each reaped orphan at */
	const char *version;
	const char *usage;            /* a format: %s is the name init was called by */
} hydra = {
	.bit = AS_HYDRA,
	.refused_status = 2,
	.exec_status = { 127, 127, 126, 126 }, /* the shell's: not found, cannot run */
	.levels = { LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG },
	.orphan_level = LOG_INFO,
	.version = INIT_VERSION "\n",
	.usage = "usage: %s [-g] [-e CODE]... [-p SIGNAL] [-t SECONDS] [-s] [-v]... [-w] [-f INITTAB]\n"
		 "            -- COMMAND [ARGS...]\n"
		 "  -g          forward signals to the main process's whole process group\n"
		 "  -e CODE     count exit code CODE (0-255) of the main process as success\n"
		 "  -p SIGNAL   signal init gets when its parent dies (forwarded like any other)\n"
		 "  -t SECONDS  grace time between TERM and KILL at the end (default 3)\n"
		 "  -f INITTAB  also run that inittab's entries beside the main command\n"
		 "  -s          be a child subreaper (automatic when init is not PID 1)\n"
		 "  -v          more messages on stderr (repeatable)\n"
		 "  -w          log each reaped orphan\n"
		 "  --version, -h\n"
		 "See init(8), CONTAINER MODE.\n",
}, tini = {
	.bit = AS_TINI,
	.command_ends_options = true,
	.refused_status = 1,
	.exec_status = { 127, 1, 126, 1 },
	.levels = { LOG_ERROR, LOG_WARNING, LOG_INFO, LOG_DEBUG },
	.default_step = 1, /* warnings; TINI_VERBOSITY counts from 0 */
	.orphan_level = LOG_WARNING, /* tini's "reaped zombie" lines */
	/* What Docker parses for `docker info` and `docker version`: the
	 * version before " - ", the commit after "git.", one word. */
	.version = "tini version 0.19.0+" INIT_VERSION " - git.hydra\n",
	.usage = "usage: %s [-gswl] [-e CODE]... [-p SIGNAL] [-v]... [-t SECONDS] [-f INITTAB]\n"
		 "            [--] COMMAND [ARGS...]\n"
		 "tini's options and TINI_SUBREAPER, TINI_KILL_PROCESS_GROUP, TINI_VERBOSITY;\n"
		 "-l: licence. See init(8), CONTAINER MODE.\n",
}, dumb_init = {
	.bit = AS_DUMB_INIT,
	.command_ends_options = true,
	.answers_on_stderr = true,
	.stops_with_child = true,
	.starts_session = true,
	.refused_status = 1,
	.exec_status = { 2, 2, 2, 2 },
	.levels = { LOG_WARNING, LOG_DEBUG, LOG_DEBUG, LOG_DEBUG },
	.version = "dumb-init v1.2.5 (" INIT_VERSION ")\n",
	.usage = "usage: %s [-c|--single-child] [-r|--rewrite S:R]... [-v] [-t SECONDS] [-f INITTAB]\n"
		 "            [--] COMMAND [ARGS...]\n"
		 "dumb-init's options; DUMB_INIT_SETSID=0 is -c, DUMB_INIT_DEBUG=1 is -v.\n"
		 "See init(8), CONTAINER MODE.\n",
};

static const struct {
	const char *name;
	const struct personality *as;
} names[] = {
	{ "tini", &tini },
	{ "docker-init", &tini },
	{ "dumb-init", &dumb_init },
};

/* tini -l. hydra's source carries no licence statement; say so rather
 * than invent one. */
static const char licence[] = INIT_VERSION ": no licence statement: its source names none.\n";

enum option_action {
	SIGNAL_GROUP, SINGLE_CHILD, EXIT_CODE, PARENT_DEATH, GRACE, SUBREAPER, MORE_VERBOSE,
	VERBOSITY, LOG_ORPHANS, INITTAB, REWRITE, HELP, VERSION, LICENCE,
};

static const struct option {
	char letter;           /* 0: long form only */
	char long_name[13];    /* "": short form only */
	bool takes_value;
	unsigned char as;      /* the names that accept it */
	unsigned char action;
} options[] = {
	{ 'g', "", false, AS_HYDRA | AS_TINI, SIGNAL_GROUP },
	{ 'e', "", true, AS_HYDRA | AS_TINI, EXIT_CODE },
	{ 'p', "", true, AS_HYDRA | AS_TINI, PARENT_DEATH },
	{ 's', "", false, AS_HYDRA | AS_TINI, SUBREAPER },
	{ 'w', "", false, AS_HYDRA | AS_TINI, LOG_ORPHANS },
	{ 'l', "", false, AS_TINI, LICENCE },
	{ 'c', "single-child", false, AS_DUMB_INIT, SINGLE_CHILD },
	{ 'r', "rewrite", true, AS_DUMB_INIT, REWRITE },
	{ 'V', "version", false, AS_DUMB_INIT, VERSION },
	{ 0, "version", false, AS_HYDRA | AS_TINI, VERSION },
	{ 'v', "verbose", false, AS_ANY, MORE_VERBOSE },
	{ 'h', "help", false, AS_ANY, HELP },
	{ 't', "", true, AS_ANY, GRACE },
	{ 'f', "", true, AS_ANY, INITTAB },
};

/* Read after the options, as tini and dumb-init do: TINI_VERBOSITY wins
 * over -v. */
static const struct {
	const char *name;
	const char *when; /* the value that turns it on; NULL: any, even empty */
	unsigned char as;
	unsigned char action;
} environment[] = {
	{ "TINI_SUBREAPER", NULL, AS_TINI, SUBREAPER },
	{ "TINI_KILL_PROCESS_GROUP", NULL, AS_TINI, SIGNAL_GROUP },
	{ "TINI_VERBOSITY", NULL, AS_TINI, VERBOSITY },
	{ "DUMB_INIT_SETSID", "0", AS_DUMB_INIT, SINGLE_CHILD },
	{ "DUMB_INIT_DEBUG", "1", AS_DUMB_INIT, MORE_VERBOSE },
};

static void usage(int to)
{
	dprintf(to, container.as->usage, container.name);
}

/* Refuses an argument before anything has started, with the status of
 * the name init was called by. */
static int refuse(const char *format, const char *argument)
{
	dprintf(STDERR_FILENO, "init: ");
	dprintf(STDERR_FILENO, format, argument);
	dprintf(STDERR_FILENO, "\n");
	usage(STDERR_FILENO);
	return container.as->refused_status;
}

static int parse_exit_code(const char *text)
{
	char *end;
	long code = strtol(text, &end, 10);

	return *text && !*end && code >= 0 && code <= 255 ? (int)code : -1;
}

/* dumb-init's S:R, each 1 to 31, R also 0 (drop S); names work too. */
static int parse_rewrite(const char *text)
{
	char source[16];
	const char *colon = strchr(text, ':');
	int from, to;

	if (!colon || colon - text >= (long)sizeof(source))
		return -1;
	memcpy(source, text, colon - text);
	source[colon - text] = '\0';
	from = signal_number(source);
	to = strcmp(colon + 1, "0") == 0 ? 0 : signal_number(colon + 1);
	if (from < 1 || from > 31 || (to == 0 && strcmp(colon + 1, "0") != 0) || to > 31)
		return -1;
	container.rewrite[from] = to + 1;
	return 0;
}

/* Carries out one option or environment variable. Returns -1 to go on,
 * or the status to exit with at once (help, version, a bad value). */
static int apply(enum option_action action, const char *value, struct settings *settings, int *step)
{
	int answer = container.as->answers_on_stderr ? STDERR_FILENO : STDOUT_FILENO;
	int number;

	switch (action) {
	case SIGNAL_GROUP:
		container.signal_group = true;
		break;
	case SINGLE_CHILD:
		container.signal_group = container.new_session = false;
		break;
	case EXIT_CODE:
		if ((number = parse_exit_code(value)) < 0)
			return refuse("bad exit code '%s' for -e (want 0 to 255)", value);
		container.success[number] = true;
		break;
	case PARENT_DEATH:
		if (!(number = signal_number(value)))
			return refuse("unknown signal '%s' for -p", value);
		container.parent_death_signal = number;
		break;
	case GRACE:
		if (parse_seconds(value, 3600000, &settings->grace_ms) < 0)
			return refuse("bad grace time '%s' for -t (want 0 to 3600 seconds)", value);
		break;
	case SUBREAPER:
		container.subreaper = true;
		break;
	case MORE_VERBOSE:
		if (*step < 3)
			(*step)++;
		break;
	case VERBOSITY:
		number = (int)strtol(value, NULL, 10); /* as tini reads it: anything else is 0 */
		*step = number < 0 ? 0 : number > 3 ? 3 : number;
		break;
	case LOG_ORPHANS:
		settings->orphan_log_level = container.as->orphan_level;
		break;
	case INITTAB:
		if (access(value, R_OK) < 0) {
			dprintf(STDERR_FILENO, "init: cannot read %s: %m\n", value);
			return container.as->refused_status;
		}
		settings->inittab = value;
		break;
	case REWRITE:
		if (parse_rewrite(value) < 0)
			return refuse("bad rewrite '%s' for -r (want S:R, signals 1 to 31, R 0 to drop S)",
				      value);
		break;
	case HELP:
		usage(answer);
		return 0;
	case VERSION:
		dprintf(answer, "%s", container.as->version);
		return 0;
	case LICENCE:
		dprintf(STDOUT_FILENO, "%s", licence);
		return 0;
	}
	return -1;
}

static const struct option *find_option(char letter, const char *long_name, size_t length)
{
	for (unsigned i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		const struct option *option = &options[i];

		if (!(option->as & container.as->bit))
			continue;
		if (long_name ? option->long_name[0] && strlen(option->long_name) == length &&
					strncmp(option->long_name, long_name, length) == 0
			      : option->letter == letter)
			return option;
	}
	return NULL;
}

/* Reads the options, up to "--" (or, for tini and dumb-init, up to the
 * command). Short options may be grouped (-vvw) and take their value
 * attached or as the next argument (-e143, -e 143); long ones as
 * --rewrite=15:3 or --rewrite 15:3, as getopt does. Then the environment
 * the name reads. Returns -1 to run the command, else the exit status. */
static int parse_options(int argc, char **argv, struct settings *settings, int *step)
{
	int i, status;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *argument = argv[i];

		if (argument[0] != '-' || argument[1] == '\0') {
			if (container.as->command_ends_options)
				break;
			return refuse("unknown argument '%s' before --", argument);
		}
		if (argument[1] == '-') {
			const char *name = argument + 2, *equals = strchr(name, '=');
			const struct option *option =
				find_option(0, name, equals ? (size_t)(equals - name) : strlen(name));
			const char *value = equals ? equals + 1 : NULL;

			if (!option || (equals && !option->takes_value))
				return refuse("unknown option %s", argument);
			if (option->takes_value && !value && (value = i + 1 < argc ? argv[++i] : NULL) == NULL)
				return refuse("option %s needs a value", argument);
			if ((status = apply(option->action, value, settings, step)) >= 0)
				return status;
			continue;
		}
		for (const char *flag = argument + 1; *flag; flag++) {
			const struct option *option = find_option(*flag, NULL, 0);
			const char *value = NULL;
			char name[3] = { '-', *flag, '\0' };

			if (!option)
				return refuse("unknown option %s", name);
			if (option->takes_value) {
				value = flag[1] ? flag + 1 : i + 1 < argc && strcmp(argv[i + 1], "--") != 0
								 ? argv[++i] : NULL;
				if (!value)
					return refuse("option %s needs a value", name);
			}
			if ((status = apply(option->action, value, settings, step)) >= 0)
				return status;
			if (value)
				break; /* the value took the rest of this argument */
		}
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		return refuse("%s", container.as->command_ends_options ? "no command" : "no command after --");
	container.command = argv + i;
	for (unsigned e = 0; e < sizeof(environment) / sizeof(environment[0]); e++) {
		const char *value = getenv(environment[e].name);

		if ((environment[e].as & container.as->bit) && value &&
		    (!environment[e].when || strcmp(value, environment[e].when) == 0))
			apply(environment[e].action, value, settings, step);
	}
	/* dumb-init's setsid mode: the main process's group is a session of
	 * its own, with no parent in it, where the kernel drops TSTP, TTIN
	 * and TTOU: they are sent as STOP unless -r says otherwise. */
	for (unsigned k = 0; container.new_session && k < sizeof(terminal_stops) / sizeof(terminal_stops[0]); k++)
		if (!container.rewrite[terminal_stops[k]])
			container.rewrite[terminal_stops[k]] = SIGSTOP + 1;
	return -1;
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
		dprintf(STDERR_FILENO, "init: cannot give the terminal to %s: %m\n", container.command[0]);
	close(terminal);
}

/* dumb-init's setsid mode, in init before the fork: lets go of init's
 * controlling terminal, so that the main process's new session can take
 * it. A session leader that lets go makes the kernel send SIGHUP and
 * SIGCONT to its foreground group, init's own: ignored and unblocked for
 * that moment, they are dropped instead of being forwarded later. */
static void release_terminal(void)
{
	struct sigaction ignore = { .sa_handler = SIG_IGN }, saved;
	sigset_t hangup, mask;

	sigemptyset(&hangup);
	sigaddset(&hangup, SIGHUP);
	sigaddset(&hangup, SIGCONT);
	sigprocmask(SIG_UNBLOCK, &hangup, &mask);
	sigaction(SIGHUP, &ignore, &saved);
	if (ioctl(STDIN_FILENO, TIOCNOTTY) < 0)
		debug("keeping no terminal to release: %m");
	sigaction(SIGHUP, &saved, NULL);
	sigprocmask(SIG_SETMASK, &mask, NULL);
}

static void run_main(void)
{
	if (container.new_session) {
		/* Signals to its group reach the whole session; the terminal
		 * is its own if init let go of it (else stdin is no terminal,
		 * or another session's, and that is fine). */
		if (setsid() < 0)
			dprintf(STDERR_FILENO, "init: cannot start a session: %m\n");
		if (ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0 && errno != ENOTTY)
			debug("the main process did not take the terminal: %m");
	} else {
		/* Its own process group: -g and the terminal address it as a whole. */
		setpgid(0, 0);
		take_terminal();
	}
	restore_inheritance();
	execvp(container.command[0], container.command);
	int saved = errno;
	dprintf(STDERR_FILENO, "init: cannot run %s: %s\n", container.command[0], strerror(saved));
	/* hydra's status is the shell's: 127 not found, 126 found but not
	 * runnable; tini and dumb-init have their own. */
	_exit(container.as->exec_status[saved == ENOENT ? 0 : saved == ENOTDIR ? 1 : saved == EACCES ? 2 : 3]);
}

void container_start_main(struct supervisor *supervisor)
{
	pid_t pid;

	if (supervisor->main_pid > 0 || supervisor->main_exited)
		return;
	pid = _Fork(); /* one thread: see spawn_entry */
	if (pid == 0)
		run_main();
	if (pid < 0) {
		error("cannot start %s: fork: %m", container.command[0]);
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

static bool is_one_of(const int *list, unsigned count, int number)
{
	for (unsigned i = 0; i < count; i++)
		if (list[i] == number)
			return true;
	return false;
}

/* dumb-init's -r: the signal the main process gets for number; 0 for none. */
static int rewritten(int number)
{
	if (number < (int)sizeof(container.rewrite) && container.rewrite[number]) {
		debug("%s is sent as %s", signal_name(number),
		      container.rewrite[number] == 1 ? "nothing" : signal_name(container.rewrite[number] - 1));
		return container.rewrite[number] - 1;
	}
	return number;
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
		int sent = rewritten(number);

		debug("forwarding %s from pid %d to %s %d", signal_name(number), (int)info->ssi_pid,
		      container.signal_group ? "process group" : "pid", (int)main_pid);
		/* With -g, a main process that moved to another group (a shell
		 * with job control) still gets the signal itself. */
		if (sent && !(container.signal_group && kill(-main_pid, sent) == 0) &&
		    kill(main_pid, sent) < 0)
			debug("cannot forward %s to pid %d: %m", signal_name(sent), (int)main_pid);
		/* dumb-init's job control: run from an interactive shell, init
		 * stops with its main process, so that the shell sees its job
		 * stop and can continue it (the CONT is then forwarded). A
		 * namespace's PID 1 cannot be stopped, and need not be. */
		if (container.as->stops_with_child && getpid() != 1 &&
		    is_one_of(terminal_stops, sizeof(terminal_stops) / sizeof(terminal_stops[0]), number)) {
			debug("%s: stopping init too", signal_name(number));
			kill(getpid(), SIGSTOP); /* one thread: raise's masking would guard nothing */
		}
	} else if (is_one_of(stopping_signals, sizeof(stopping_signals) / sizeof(stopping_signals[0]), number)) {
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
 * started. Then loop_run(), which never returns: the final stage exits.
 * The name init was called by (tini, dumb-init...) picks the option
 * syntax; any other name is hydra's own. */
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
	int step, status, verbosity;
	sigset_t handled;
	struct sigaction default_action = { .sa_handler = SIG_DFL };

	container.name = basename(argv[0]);
	container.as = &hydra;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(container.name, names[i].name) == 0)
			container.as = names[i].as;
	step = container.as->default_step;
	container.signal_group = container.new_session = container.as->starts_session;
	if ((status = parse_options(argc, argv, &supervisor.settings, &step)) >= 0)
		return status;
	/* Messages go to init's stderr (the container's log), written
	 * without ever blocking init. */
	log_open(NULL, false);
	verbosity = container.as->levels[step];
	/* hydra's -w turns info messages on. tini's logs warnings and leaves
	 * the verbosity alone: TINI_VERBOSITY=0 (errors only) silences them,
	 * as it silences tini's. */
	if (container.as == &hydra && supervisor.settings.orphan_log_level > verbosity)
		verbosity = supervisor.settings.orphan_log_level;
	log_set_verbosity(verbosity);
	save_inheritance();

	pid_t parent = getppid();
	if (container.parent_death_signal &&
	    prctl(PR_SET_PDEATHSIG, container.parent_death_signal) < 0) {
		dprintf(STDERR_FILENO, "init: cannot set the parent death signal: %m\n");
		return container.as->refused_status;
	}
	/* Not PID 1: orphans would go to the machine's init (or another
	 * subreaper) and escape both the reaping and the final stage. */
	if ((container.subreaper || getpid() != 1) && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		warning("cannot become a child subreaper: %m; orphans will not be reaped here");
	/* An inherited SIG_IGN for SIGCHLD would make the kernel reap the main
	 * process itself, and its status would be lost. */
	sigaction(SIGCHLD, &default_action, NULL);
	if (container.new_session)
		release_terminal();

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
		kill(getpid(), container.parent_death_signal);
	container.init_group = getpgrp();
	if (getpid() != 1)
		debug("not PID 1: descendants are found through /proc at the end");
	loop_run(&supervisor, &handled, forward_signal, NULL);
	return 1; /* not reached */
}
