#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int console_fd = 2;
static int kmsg_fd = -1;
/* Early in boot /dev may not be mounted yet: what could not be opened is
 * tried again with the next line, until it opens. */
static const char *console_path;
static bool console_missing, kmsg_wanted;
static enum log_level verbosity = LOG_INFO;

static int open_quietly(const char *path)
{
	/* O_NONBLOCK: a console that nobody drains (a stopped serial line, a
	 * full pty) must cost us a lost line, never a hung PID 1. */
	return open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | O_APPEND);
}

void log_open(const char *console, bool to_kmsg)
{
	int fd = -1;

	if (!console) {
		/* init's own stderr, through a file description of our own so
		 * that O_NONBLOCK does not change the children's (a pipe's
		 * /proc link opens the pipe; a socket's cannot be opened). */
		fd = open_quietly("/proc/self/fd/2");
		if (fd < 0)
			fd = dup(2);
		console_path = NULL;
		console_missing = false;
	} else {
		/* A console that was named but cannot be opened falls back to
		 * /dev/null, never to the machine's own console. */
		console_path = console;
		fd = open_quietly(console_path);
		console_missing = fd < 0;
		if (fd < 0)
			fd = open_quietly("/dev/null");
	}
	if (fd >= 0) {
		if (console_fd > 2)
			close(console_fd);
		console_fd = fd;
	}
	if (kmsg_fd >= 0) {
		close(kmsg_fd);
		kmsg_fd = -1;
	}
	kmsg_wanted = to_kmsg;
	if (to_kmsg)
		kmsg_fd = open_quietly("/dev/kmsg");
}

static void reopen_missing(void)
{
	if (console_missing) {
		int fd = open_quietly(console_path);

		if (fd >= 0) {
			if (console_fd > 2)
				close(console_fd);
			console_fd = fd;
			console_missing = false;
		}
	}
	if (kmsg_wanted && kmsg_fd < 0)
		kmsg_fd = open_quietly("/dev/kmsg");
}

void log_set_verbosity(enum log_level level)
{
	verbosity = level;
}

void log_message(enum log_level level, const char *format, ...)
{
	char line[1024];
	int saved_errno = errno;
	int prefix, length;
	va_list args;

	if (level > verbosity)
		return;
	reopen_missing();
	/* "<N>" is the kernel log level; /dev/kmsg reads it, the console must not see it. */
	prefix = snprintf(line, sizeof(line), "<%d>init: ", level);
	va_start(args, format);
	length = vsnprintf(line + prefix, sizeof(line) - prefix - 1, format, args);
	va_end(args);
	if (length < 0)
		length = 0;
	length += prefix;
	if (length > (int)sizeof(line) - 2)
		length = sizeof(line) - 2;
	line[length++] = '\n';
	if (kmsg_fd >= 0 && write(kmsg_fd, line, length) < 0) {
		/* Nothing to do: the console still gets the line. */
	}
	int skip = strchr(line, '>') - line + 1;
	if (write(console_fd, line + skip, length - skip) < 0) {
		/* A full or vanished console loses the line; init goes on. */
	}
	errno = saved_errno;
}
