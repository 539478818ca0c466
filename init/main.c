/* hydra: one multi-call binary. As PID 1 it is init; under the names
 * telinit, runlevel, halt, poweroff and reboot it is the client for each;
 * with `--`, or as tini, docker-init or dumb-init, it is a container's
 * entrypoint. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"
#include "container.h"
#include "file.h"
#include "inittab.h"
#include "log.h"
#include "loop.h"
#include "number.h"
#include "reexec.h"
#include "shutdown.h"
#include "supervisor.h"
#include "utmp.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} roles[] = {
	{ "telinit", telinit_main },
	{ "runlevel", runlevel_main },
	{ "halt", halt_main },
	{ "poweroff", halt_main },
	{ "reboot", halt_main },
	{ "shutdown", shutdown_main },
	/* A container's entrypoint by the names of the inits people use. */
	{ "tini", container_main },
	{ "docker-init", container_main },
	{ "dumb-init", container_main },
};

/* The signals PID 1 acts on; every other one is ignored. */
static const int boot_signals[] = { SIGCHLD, SIGHUP, SIGINT, SIGWINCH, SIGPWR, SIGTERM, SIGUSR1 };

static int handle_boot_signal(struct supervisor *supervisor, const struct signalfd_siginfo *info)
{
	char reply[256];

	switch (info->ssi_signo) {
	case SIGHUP:
		supervisor_reload(supervisor, reply, sizeof(reply));
		break;
	case SIGINT:
		supervisor_run_event(supervisor, ACTION_CTRLALTDEL);
		break;
	case SIGWINCH:
		supervisor_run_event(supervisor, ACTION_KBREQUEST);
		break;
	case SIGPWR:
		supervisor_power_event(supervisor);
		break;
	case SIGTERM:
		/* What docker stop and an OCI runtime's kill expect: go down in order. */
		notice("SIGTERM from pid %d: going to runlevel 0", (int)info->ssi_pid);
		if (supervisor_change_level(supervisor, 0, HALT_POWEROFF, 0, reply, sizeof(reply)) < 0)
			notice("%s", reply);
		break;
	case SIGUSR1:
		return WISH_REOPEN_CONTROL;
	}
	return WISH_NONE;
}

static void usage(int to)
{
	dprintf(to,
		"usage: init [-f INITTAB] [-c SOCKET] [-t SECONDS] [-R COUNT/WINDOW/PAUSE] [LEVEL]\n"
		"       init --check INITTAB\n"
		"       init [CONTAINER OPTIONS] -- COMMAND [ARGS...]\n"
		"       init LEVEL (when not PID 1: the same as telinit LEVEL)\n"
		"See init(8).\n");
}

/* init --check FILE: the same reading and parsing as at boot, as a dry run. */
static int check_main(const char *path)
{
	struct inittab_files files;
	struct inittab inittab;

	if (inittab_load(path, &inittab, &files) < 0) {
		dprintf(STDERR_FILENO, "%s: cannot read: %s\n", path, describe_read_error(errno));
		return 1;
	}
	for (unsigned i = 0; i < inittab.error_count; i++) {
		const struct inittab_error *problem = &inittab.errors[i];

		if (problem->line)
			dprintf(STDERR_FILENO, "%s:%u: %s\n", files.paths[problem->file], problem->line,
				problem->message);
		else
			dprintf(STDERR_FILENO, "%s: %s\n", files.paths[problem->file], problem->message);
	}
	int status = inittab.error_count ? 1 : 0;
	if (files.count > 1)
		dprintf(STDOUT_FILENO, "%s and %u file%s of %s.d: ", path, files.count - 1, files.count == 2 ? "" : "s", path);
	else
		dprintf(STDOUT_FILENO, "%s: ", path);
	dprintf(STDOUT_FILENO, "%u entr%s, %u error%s, default runlevel %c\n", inittab.count,
	       inittab.count == 1 ? "y" : "ies", inittab.error_count, inittab.error_count == 1 ? "" : "s",
	       inittab.default_level >= 0 ? level_character(inittab.default_level) : '-');
	inittab_free(&inittab);
	inittab_files_free(&files);
	return status;
}

/* Reads COUNT/WINDOW/PAUSE (seconds) for the respawn rate limit. Returns
 * NULL, or why the text is refused. */
static const char *parse_respawn_limit(const char *text, struct settings *settings)
{
	enum { DAY_MS = 86400000 };
	char copy[64], *window, *pause;
	uint64_t count, window_ms, pause_ms;

	if (strlen(text) >= sizeof(copy))
		return "too long";
	memcpy(copy, text, strlen(text) + 1);
	window = strchr(copy, '/');
	pause = window ? strchr(window + 1, '/') : NULL;
	if (!pause)
		return "want COUNT/WINDOW/PAUSE";
	*window++ = '\0';
	*pause++ = '\0';
	if (parse_seconds(copy, 1000000000, &count) < 0 || count % 1000 ||
	    parse_seconds(window, DAY_MS, &window_ms) < 0 || window_ms == 0 ||
	    parse_seconds(pause, DAY_MS, &pause_ms) < 0)
		return "want COUNT/WINDOW/PAUSE: a whole count, seconds up to a day";
	/* A count of 0 would never start a respawn entry; a pause under a
	 * second would restart a failing one in a busy loop. */
	if (count == 0)
		return "COUNT must be at least 1";
	if (pause_ms < 1000)
		return "PAUSE must be at least 1 second";
	settings->respawn_limit = count / 1000;
	settings->respawn_window_ms = window_ms;
	settings->respawn_pause_ms = pause_ms;
	return NULL;
}

static int parse_level_argument(const char *argument)
{
	if (strcmp(argument, "single") == 0 || strcmp(argument, "-s") == 0 ||
	    strcmp(argument, "emergency") == 0)
		return LEVEL_S;
	if (strlen(argument) == 1 && level_index(argument[0]) >= 0 && level_index(argument[0]) < LEVEL_A)
		return level_index(argument[0]);
	return -1;
}

/* Without $CONSOLE: /dev/console, or, where there is none (a container
 * run without a terminal), NULL: init's own stdout and stderr, which are
 * the container's log. */
static const char *console_or_stderr(void)
{
	int fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	close(fd);
	return "/dev/console";
}

/* PID 1 in boot mode. Bad arguments are logged and ignored: exiting here
 * would panic the kernel. */
static int boot_main(int argc, char **argv)
{
	struct supervisor supervisor = {
		.settings = {
			.inittab = DEFAULT_INITTAB,
			.control = DEFAULT_CONTROL,
			DEFAULT_SETTINGS,
		},
		.default_level = -1,
		.main_pid = -1,
	};
	struct settings *settings = &supervisor.settings;
	const char *console = getenv("CONSOLE");
	const char *ignored[16];
	unsigned ignored_count = 0;
	int state_fd = -1, final_mode = -1;
	sigset_t handled;

	settings->console = console && *console ? console : console_or_stderr();
	settings->initctl = DEFAULT_INITCTL;
	settings->term = getenv("TERM");
	settings->home = getenv("HOME");
	settings->real_init = detect_real_init();
	log_open(settings->console, settings->real_init);
	utmp_configure(settings->real_init);
	/* Catch or ignore every signal; a default action must never kill PID 1. */
	for (int number = 1; number < NSIG; number++) {
		struct sigaction ignore = { .sa_handler = SIG_IGN };

		/* 32 up to SIGRTMIN belong to the C library's threads. */
		if (number != SIGCHLD && (number < 32 || number >= SIGRTMIN))
			sigaction(number, &ignore, NULL);
	}
	sigemptyset(&handled);
	for (unsigned i = 0; i < sizeof(boot_signals) / sizeof(boot_signals[0]); i++)
		sigaddset(&handled, boot_signals[i]);

	for (int i = 1; i < argc; i++) {
		const char *argument = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
		int level;

		if (value && strcmp(argument, "-f") == 0) {
			settings->inittab = value;
			i++;
		} else if (value && strcmp(argument, "-c") == 0) {
			settings->control = value;
			i++;
		} else if (value && strcmp(argument, "-t") == 0) {
			if (parse_seconds(value, 3600000, &settings->grace_ms) < 0)
				error("bad grace time '%s': keeping %llu ms", value,
				      (unsigned long long)settings->grace_ms);
			i++;
		} else if (value && strcmp(argument, "-R") == 0) {
			const char *problem = parse_respawn_limit(value, settings);

			if (problem)
				error("bad respawn limit '%s' (%s): keeping %u/%llu/%llu", value, problem,
				      settings->respawn_limit,
				      (unsigned long long)settings->respawn_window_ms / 1000,
				      (unsigned long long)settings->respawn_pause_ms / 1000);
			i++;
		} else if (value && strcmp(argument, "--state") == 0) {
			state_fd = (int)strtol(value, NULL, 10); /* from the previous image: see reexec.h */
			i++;
		} else if (value && strcmp(argument, "--final") == 0) {
			final_mode = (int)strtol(value, NULL, 10);
			i++;
		} else if ((level = parse_level_argument(argument)) >= 0) {
			supervisor.default_level = level;
		} else if (ignored_count < sizeof(ignored) / sizeof(ignored[0])) {
			ignored[ignored_count++] = argument;
		}
	}
	if (final_mode >= HALT_POWEROFF && final_mode <= HALT_REBOOT) {
		/* The final stage, continued from memory: everything is stopped. */
		notice("%s: the final stage goes on from memory", INIT_VERSION);
		final_stage_end(final_mode, settings->real_init);
		for (;;)
			pause(); /* reboot(2) failed: PID 1 stays, idle */
	}
	if (state_fd >= 0 && reexec_restore(&supervisor, state_fd) == 0) {
		supervisor.restored = true;
		notice("%s re-executed: runlevel %c, %u entries kept", INIT_VERSION,
		       supervisor.level >= 0 ? level_character(supervisor.level) : 'N',
		       supervisor.table.count);
		loop_run(&supervisor, &handled, handle_boot_signal, settings->control);
	}
	notice("%s starting%s", INIT_VERSION, settings->real_init ? "" : " in a PID namespace");
	for (unsigned i = 0; i < ignored_count; i++)
		info("ignoring unknown argument '%s'", ignored[i]);
	if (setsid() < 0 && errno != EPERM)
		debug("setsid: %m");
	if (chdir("/") < 0)
		warning("cannot change to /: %m");
	umask(022);
	loop_run(&supervisor, &handled, handle_boot_signal, settings->control);
	return 0;
}

static int init_main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return container_main(argc, argv);
		if (strcmp(argv[i], "--check") == 0) {
			if (i + 2 != argc) {
				dprintf(STDERR_FILENO, "usage: init --check INITTAB\n");
				return 2;
			}
			return check_main(argv[i + 1]);
		}
	}
	if (getpid() == 1)
		return boot_main(argc, argv);
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		dprintf(STDOUT_FILENO, "%s\n", INIT_VERSION);
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(STDOUT_FILENO);
		return 0;
	}
	if (argc == 1) {
		dprintf(STDERR_FILENO, "init: must be run as PID 1 (or with -- COMMAND, or as telinit)\n");
		usage(STDERR_FILENO);
		return 2;
	}
	/* Not PID 1: act as telinit, as sysvinit's init does. */
	return telinit_main(argc, argv);
}

/* Started with 0, 1 or 2 closed (a kernel with no console to open), the
 * next descriptors opened would take their places: init's log would go
 * into its epoll set, and children would start without them. /dev/null
 * holds them; without /dev, an O_PATH descriptor of / does. */
static void reserve_standard_descriptors(void)
{
	int fd = 0;

	while (fd >= 0 && fd <= 2) {
		fd = open("/dev/null", O_RDWR);
		if (fd < 0)
			fd = open("/", O_PATH);
		if (fd > 2)
			close(fd);
	}
}

int main(int argc, char **argv)
{
	const char *name = basename(argv[0]);

	reserve_standard_descriptors();

	for (unsigned i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(name, roles[i].name) == 0)
			return roles[i].run(argc, argv);
	return init_main(argc, argv);
}
