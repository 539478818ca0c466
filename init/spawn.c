#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "supervisor.h"

/* The same set sysvinit uses: anything the shell would interpret. */
static const char shell_characters[] = "~`!$^&*()=|\\{}[];\"'<>?";

bool needs_shell(const char *process)
{
	for (; *process; process++)
		if (strchr(shell_characters, *process))
			return true;
	return false;
}

void reset_signals(void)
{
	/* The kernel's own sigaction: the C library refuses the signals it
	 * keeps for its threads (32 to 34), yet a child must not inherit
	 * them ignored either. Fails for KILL and STOP: fine. */
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		uint64_t mask;
	} action = { .handler = SIG_DFL };
	sigset_t empty;

	for (int number = 1; number < NSIG; number++)
		syscall(SYS_rt_sigaction, number, &action, NULL, sizeof(action.mask));
	sigemptyset(&empty);
	sigprocmask(SIG_SETMASK, &empty, NULL);
}

void close_descriptors(void)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3, ~0U, 0) == 0)
		return;
#endif
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
}

static void open_console(const char *console)
{
	/* O_NONBLOCK: a serial line waiting for its carrier must not hang a
	 * sysinit or wait entry, and init with it. The child then does
	 * ordinary, blocking I/O. */
	int fd = open(console, O_RDWR | O_NOCTTY | O_APPEND | O_NONBLOCK);

	if (fd >= 0)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);

	if (fd < 0)
		fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		return;
	for (int target = 0; target < 3; target++)
		if (fd != target)
			dup2(fd, target);
	if (fd > 2)
		close(fd);
}

/* Container mode has no console: an entry writes where the container's
 * output goes (init's stdout and stderr) and reads nothing. */
/* No console: stdout and stderr stay init's own (a container's log),
 * stdin is /dev/null. */
static void keep_init_output(void)
{
	int fd = open("/dev/null", O_RDONLY);

	if (fd > 0) {
		dup2(fd, 0);
		close(fd);
	}
}

/* Splits on blanks, as many words as there are; no quoting (quotes send
 * the line to the shell). Returns a NULL-terminated array, or NULL. */
static char **split_command(char *line)
{
	size_t words = 1;
	char **argv;

	for (const char *cursor = line; *cursor; cursor++)
		words += *cursor == ' ' || *cursor == '\t';
	argv = calloc(words + 1, sizeof(*argv));
	if (argv)
		split_words(line, argv, words);
	return argv;
}

/* The levels as sysvinit hands them to the initscript: "#" for sysinit,
 * "*" for boot and bootwait, the digits (and S) of the field otherwise. */
static const char *initscript_levels(const struct entry *entry, char *buffer)
{
	if (entry->action == ACTION_SYSINIT)
		return "#";
	if (action_traits(entry->action) & TRAIT_AT_BOOT)
		return "*";
	if (entry->levels == ALL_LEVELS)
		return action_traits(entry->action) & TRAIT_ON_EVENT ? "S0123456789" : "0123456789";
	return levels_string(entry->levels, buffer);
}

/* The first length bytes of first, then second, in a new string; NULL
 * when memory runs out. */
static char *concat(const char *first, size_t length, const char *second)
{
	size_t second_length = strlen(second);
	char *result = malloc(length + second_length + 1);

	if (result) {
		memcpy(result, first, length);
		memcpy(result + length, second, second_length + 1);
	}
	return result;
}

/* With an initscript beside the inittab (/etc/initscript), every entry
 * runs as `sh initscript ID LEVELS ACTION PROCESS`, as in sysvinit, so that
 * one script sets ulimits, umask and the like for all; not in level S,
 * where a broken script must not keep the administrator out. Returns only
 * when there is no initscript to run. */
static void run_initscript(const struct spawn_context *context, const struct entry *entry,
			   const char *process)
{
	char levels[LEVEL_COUNT + 1], *script, *argv[7];
	const char *slash;

	if (!context->inittab || context->single_user)
		return;
	slash = strrchr(context->inittab, '/');
	script = slash ? concat(context->inittab, slash + 1 - context->inittab, "initscript")
		       : concat("./", 2, "initscript");
	if (!script || access(script, R_OK) < 0)
		return;
	argv[0] = "sh";
	argv[1] = script;
	argv[2] = entry->id;
	argv[3] = (char *)initscript_levels(entry, levels);
	argv[4] = (char *)action_name(entry->action);
	argv[5] = (char *)process;
	argv[6] = NULL;
	execv("/bin/sh", argv);
	dprintf(STDERR_FILENO, "init: %s: cannot run /bin/sh %s: %m\n", entry->id, script);
	_exit(127);
}

/* environ with the count variables of added ("NAME=value") in place of
 * those of the same names (putenv's work, without its 700 bytes). */
static void add_to_environment(char **added, unsigned count)
{
	size_t length = 0, used = 0;
	char **list;

	while (environ[length])
		length++;
	if (!(list = calloc(length + count + 1, sizeof(*list))))
		return;
	for (char **variable = environ; *variable; variable++) {
		unsigned i = 0;

		while (i < count && strncmp(*variable, added[i], strchr(added[i], '=') - added[i] + 1) != 0)
			i++;
		if (i == count)
			list[used++] = *variable;
	}
	memcpy(list + used, added, count * sizeof(*list));
	environ = list;
}

static void child_run(const struct spawn_context *context, const struct entry *entry)
{
	const char *id = entry->id, *process = entry->process;
	char runlevel[16], prevlevel[16], console[4096], control[4096], term[256], home[4096];
	char *environment[9 + INITCTL_VARIABLES_MAX] = {
		"PATH=/sbin:/usr/sbin:/bin:/usr/bin", runlevel, prevlevel, "INIT_VERSION=" INIT_VERSION,
	};
	unsigned variables = 4;
	bool login = false;
	char *command, *shell_argv[4], **argv;

	reset_signals();
	setsid();
	if (context->console)
		open_console(context->console);
	else
		keep_init_output();
	close_descriptors();
	if (chdir("/") < 0) {
		/* Nowhere better to go: stay where init is. */
	}
	umask(022);
	snprintf(runlevel, sizeof(runlevel), "RUNLEVEL=%c", context->runlevel);
	snprintf(prevlevel, sizeof(prevlevel), "PREVLEVEL=%c", context->prevlevel);
	if (context->keep_environment) {
		/* Container mode: the container's environment (its
		 * configuration often lives there), plus the levels. */
		add_to_environment(environment + 1, 3);
	} else {
		if (context->console) {
			snprintf(console, sizeof(console), "CONSOLE=%s", context->console);
			environment[variables++] = console;
		}
		if (context->control) {
			snprintf(control, sizeof(control), "INIT_CONTROL=%s", context->control);
			environment[variables++] = control;
		}
		/* What the kernel gave init of its own environment: the
		 * terminal type and the home directory, nothing else. */
		if (context->term) {
			snprintf(term, sizeof(term), "TERM=%s", context->term);
			environment[variables++] = term;
		}
		if (context->home) {
			snprintf(home, sizeof(home), "HOME=%s", context->home);
			environment[variables++] = home;
		}
		for (unsigned i = 0; context->variables && i < INITCTL_VARIABLES_MAX; i++)
			if (context->variables[i])
				environment[variables++] = context->variables[i];
		environment[variables] = NULL;
		environ = environment;
	}

	/* sysvinit's "+" (no utmp accounting) means nothing here; "-" asks for a
	 * login shell, as BusyBox init does: argv[0] starts with '-'. */
	while (*process == '+' || *process == '-') {
		if (*process == '-')
			login = true;
		process++;
	}
	run_initscript(context, entry, process);
	if (needs_shell(process)) {
		if (!(command = concat("exec ", 5, process)))
			_exit(127);
		shell_argv[0] = login ? "-sh" : "sh";
		shell_argv[1] = "-c";
		shell_argv[2] = command;
		shell_argv[3] = NULL;
		execv("/bin/sh", shell_argv);
		dprintf(STDERR_FILENO, "init: %s: cannot run /bin/sh: %m\n", id);
		_exit(127);
	}
	command = strdup(process);
	if (!command)
		_exit(127);
	argv = split_command(command);
	if (!argv)
		_exit(127);
	if (!argv[0]) {
		dprintf(STDERR_FILENO, "init: %s: empty command\n", id);
		_exit(127);
	}
	const char *path = argv[0];
	if (login) {
		const char *slash = strrchr(path, '/');

		if (!(argv[0] = concat("-", 1, slash ? slash + 1 : path)))
			_exit(127);
	}
	execvp(path, argv);
	int saved = errno;
	dprintf(STDERR_FILENO, "init: %s: cannot run %s: %s\n", id, path, strerror(saved));
	_exit(saved == ENOENT ? 127 : 126);
}

pid_t spawn_entry(const struct spawn_context *context, const struct entry *entry)
{
	/* _Fork: init has one thread and no atfork handlers, so fork's locking
	 * (1.7 KB of musl's thread code) would guard nothing. */
	pid_t pid = _Fork();

	if (pid == 0)
		child_run(context, entry);
	return pid;
}
