#include "signals.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <sys/wait.h>

/* Indexed by number: 7 bytes each, where pointers would take 16. */
static const char signal_names[][7] = {
	[SIGHUP] = "HUP", [SIGINT] = "INT", [SIGQUIT] = "QUIT", [SIGILL] = "ILL",
	[SIGTRAP] = "TRAP", [SIGABRT] = "ABRT", [SIGBUS] = "BUS", [SIGFPE] = "FPE",
	[SIGKILL] = "KILL", [SIGUSR1] = "USR1", [SIGSEGV] = "SEGV", [SIGUSR2] = "USR2",
	[SIGPIPE] = "PIPE", [SIGALRM] = "ALRM", [SIGTERM] = "TERM", [SIGSTKFLT] = "STKFLT",
	[SIGCHLD] = "CHLD", [SIGCONT] = "CONT", [SIGSTOP] = "STOP", [SIGTSTP] = "TSTP",
	[SIGTTIN] = "TTIN", [SIGTTOU] = "TTOU", [SIGURG] = "URG", [SIGXCPU] = "XCPU",
	[SIGXFSZ] = "XFSZ", [SIGVTALRM] = "VTALRM", [SIGPROF] = "PROF", [SIGWINCH] = "WINCH",
	[SIGIO] = "IO", [SIGPWR] = "PWR", [SIGSYS] = "SYS",
};
enum { NAMED_SIGNALS = sizeof(signal_names) / sizeof(signal_names[0]) };

const char *signal_name(int number)
{
	static char realtime[8];

	if (number > 0 && number < NAMED_SIGNALS && signal_names[number][0])
		return signal_names[number];
	if (number >= SIGRTMIN && number <= SIGRTMAX) {
		snprintf(realtime, sizeof(realtime), "RT%d", number - SIGRTMIN);
		return realtime;
	}
	return "?";
}

int signal_number(const char *name)
{
	char *end;
	long number = strtol(name, &end, 10);

	if (*name && !*end)
		return number > 0 && number < NSIG ? (int)number : 0;
	/* Either case, with or without SIG: "term", "SIGTERM". */
	char upper[sizeof(signal_names[0]) + 3];
	size_t length = strnlen(name, sizeof(upper));

	if (length == sizeof(upper))
		return 0; /* longer than every name */
	for (size_t i = 0; i <= length; i++)
		upper[i] = (char)toupper((unsigned char)name[i]);
	name = strncmp(upper, "SIG", 3) == 0 ? upper + 3 : upper;
	for (int number = 1; number < NAMED_SIGNALS; number++)
		if (signal_names[number][0] && strcmp(signal_names[number], name) == 0)
			return number;
	return 0;
}

const char *describe_status(int status, char *buffer, unsigned size)
{
	if (WIFEXITED(status))
		snprintf(buffer, size, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buffer, size, "signal %s%s", signal_name(WTERMSIG(status)),
			 WCOREDUMP(status) ? " (core dumped)" : "");
	else
		snprintf(buffer, size, "status %#x", status);
	return buffer;
}
