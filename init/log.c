#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x00000008
#endif

/* How a line is written without blocking: most console descriptors are
 * init's own, opened with O_NONBLOCK; the exceptions share their file
 * description with the children, whose I/O must stay blocking. */
enum console_kind {
	CONSOLE_OWN,    /* O_NONBLOCK, or a regular file (a write waits for no reader) */
	CONSOLE_SOCKET, /* shared: send() with MSG_DONTWAIT */
	CONSOLE_SHARED, /* shared pipe or terminal: pwritev2() with RWF_NOWAIT, or the line is lost */
};

static int console_fd = 2;
static enum console_kind console_kind;
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

	console_kind = CONSOLE_OWN;
	if (!console) {
		/* init's own stderr, shared with the children. A regular file
		 * is written through that very description: one offset for
		 * init's lines and theirs, even without O_APPEND (`init -- cmd
		 * >log 2>&1`). A socket is written with MSG_DONTWAIT (its /proc
		 * link cannot be opened); anything else gets a description of
		 * our own, reopened with O_NONBLOCK, so that the children's
		 * stays blocking. */
		struct stat status;

		if (fstat(2, &status) < 0)
			status.st_mode = 0;
		if (S_ISSOCK(status.st_mode))
			console_kind = CONSOLE_SOCKET;
		else if (!S_ISREG(status.st_mode) && (fd = open_quietly("/proc/self/fd/2")) < 0)
			console_kind = CONSOLE_SHARED; /* no /proc, or not ours to open */
		if (fd < 0)
			fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
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

/* A full or vanished console loses the line; init goes on. */
static void write_console(const char *text, size_t length)
{
	struct iovec piece = { .iov_base = (char *)text, .iov_len = length };
	ssize_t written;

	if (console_kind == CONSOLE_SOCKET)
		written = send(console_fd, text, length, MSG_DONTWAIT | MSG_NOSIGNAL);
	else if (console_kind == CONSOLE_SHARED)
		/* Offset -1: the file's own, as write(2). Kernels without
		 * RWF_NOWAIT for pipes (before 6.4) or terminals refuse it. */
		written = syscall(SYS_pwritev2, console_fd, &piece, 1, -1L, -1L, RWF_NOWAIT);
	else
		written = write(console_fd, text, length);
	(void)written;
}

/* The system call, not the vDSO: musl's vDSO lookup is 1 KB of the
 * binary, and init reads the clock a few times per event, no more. */
void read_clock(clockid_t clock, struct timespec *now)
{
	syscall(SYS_clock_gettime, clock, now);
}

uint64_t now_ms(void)
{
	struct timespec now;

	read_clock(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

bool log_ratelimit(struct log_ratelimit *limit)
{
	uint64_t now = now_ms();

	if (!limit->begin || now - limit->begin >= LOG_INTERVAL_MS) {
		if (limit->missed)
			warning("%s: %u more not logged", limit->what, limit->missed);
		limit->begin = now;
		limit->printed = limit->missed = 0;
	}
	if (limit->printed < LOG_BURST) {
		limit->printed++;
		return true;
	}
	limit->missed++;
	return false;
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
	errno = saved_errno; /* for %m: reopening may have changed it */
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
	write_console(line + skip, length - skip);
	errno = saved_errno;
}
