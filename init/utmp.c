#include "utmp.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "log.h"

/* glibc's struct utmp on x86_64 (and every 64-bit glibc with the 32-bit
 * compat layout): what who, last and runlevel read. Times are 32 bits. */
struct record {
	int16_t type;
	int16_t padding;
	int32_t pid;
	char line[32];
	char id[4];
	char user[32];
	char host[256];
	int16_t termination, exit;
	int32_t session;
	int32_t seconds, microseconds;
	int32_t address[4];
	char reserved[20];
};
_Static_assert(sizeof(struct record) == 384, "glibc's utmp record is 384 bytes");
_Static_assert(offsetof(struct record, host) == 76, "ut_host at 76");
_Static_assert(offsetof(struct record, seconds) == 340, "ut_tv at 340");

enum record_type {
	RECORD_RUN_LEVEL = 1,
	RECORD_BOOT_TIME = 2,
	RECORD_INIT_PROCESS = 5,
	RECORD_LOGIN_PROCESS = 6,
	RECORD_USER_PROCESS = 7,
	RECORD_DEAD_PROCESS = 8,
};

enum { PENDING_UTMP = 1, PENDING_WTMP = 2 };
/* Enough for any real utmp; a bigger one is not searched further. */
enum { MAX_SEARCHED_RECORDS = 4096 };

static const char *utmp_path, *wtmp_path;
static unsigned pending_boot;

void utmp_configure(bool real_init)
{
	const char *utmp = getenv("HYDRA_UTMP"), *wtmp = getenv("HYDRA_WTMP");

	if (real_init) {
		utmp_path = "/var/run/utmp"; /* what glibc's readers open */
		wtmp_path = "/var/log/wtmp";
	} else {
		/* A PID namespace may share the host's files (the tests do):
		 * only the files named are written. */
		utmp_path = utmp && *utmp ? utmp : NULL;
		wtmp_path = wtmp && *wtmp ? wtmp : NULL;
	}
}

/* Opens an existing regular file for writing without ever waiting: a FIFO
 * in its place would block the open, a device the writes. -1 if none. */
static int open_accounting(const char *path, int flags)
{
	struct stat info;
	int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -1;
	if (fstat(fd, &info) < 0 || !S_ISREG(info.st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void copy_field(char *field, size_t size, const char *text)
{
	/* strncpy's meaning exactly: padded with NULs, not terminated when full. */
	size_t length = strnlen(text, size);

	memcpy(field, text, length);
	memset(field + length, 0, size - length);
}

static struct record make_record(enum record_type type, const char *user, const char *id, pid_t pid,
				 const char *line)
{
	struct record record;
	struct timespec now;

	memset(&record, 0, sizeof(record));
	read_clock(CLOCK_REALTIME, &now);
	record.type = type;
	record.pid = pid;
	record.seconds = (int32_t)now.tv_sec;
	record.microseconds = (int32_t)(now.tv_nsec / 1000);
	copy_field(record.user, sizeof(record.user), user);
	copy_field(record.id, sizeof(record.id), id);
	copy_field(record.line, sizeof(record.line), line);
	return record;
}

static bool is_process_type(int type)
{
	return type == RECORD_INIT_PROCESS || type == RECORD_LOGIN_PROCESS ||
	       type == RECORD_USER_PROCESS || type == RECORD_DEAD_PROCESS;
}

/* Does existing stand for the same thing as record, as glibc's getutid
 * decides: the same type for the level and boot records, the same id for
 * the process records? */
static bool same_slot(const struct record *existing, const struct record *record)
{
	if (!is_process_type(record->type))
		return existing->type == record->type;
	return is_process_type(existing->type) && existing->id[0] &&
	       memcmp(existing->id, record->id, sizeof(record->id)) == 0;
}

static void write_boot_if_pending(unsigned which);

/* Replaces the record's slot in utmp, or appends it. A DEAD_PROCESS takes
 * the line of the record it replaces (a getty's tty, which login wrote),
 * so that wtmp names it too. */
static bool write_utmp(struct record *record)
{
	/* Debian's /var/run is a link to /run; a system without the link may
	 * keep its utmp in either. */
	const char *path = utmp_path && strcmp(utmp_path, "/var/run/utmp") == 0 &&
				   access(utmp_path, F_OK) < 0 ? "/run/utmp" : utmp_path;
	struct record existing;
	off_t offset = 0, slot = -1;
	int fd;

	if (!path || access(path, W_OK) < 0 || (fd = open_accounting(path, O_RDWR)) < 0)
		return false;
	write_boot_if_pending(PENDING_UTMP);
	for (unsigned i = 0; i < MAX_SEARCHED_RECORDS; i++, offset += sizeof(existing)) {
		if (pread(fd, &existing, sizeof(existing), offset) != sizeof(existing))
			break;
		if (same_slot(&existing, record)) {
			slot = offset;
			if (record->type == RECORD_DEAD_PROCESS && !record->line[0])
				memcpy(record->line, existing.line, sizeof(record->line));
			break;
		}
	}
	if (slot < 0)
		slot = offset; /* after the last whole record */
	if (pwrite(fd, record, sizeof(*record), slot) != sizeof(*record))
		debug("cannot write %s: %m", path);
	close(fd);
	return true;
}

static bool write_wtmp(struct record *record)
{
	struct utsname system;
	int fd;

	if (!wtmp_path || access(wtmp_path, W_OK) < 0 || (fd = open_accounting(wtmp_path, O_WRONLY | O_APPEND)) < 0)
		return false;
	write_boot_if_pending(PENDING_WTMP);
	/* sysvinit puts the kernel's release where a login's host would be. */
	if (uname(&system) == 0)
		copy_field(record->host, sizeof(record->host), system.release);
	if (write(fd, record, sizeof(*record)) != sizeof(*record))
		debug("cannot write %s: %m", wtmp_path);
	close(fd);
	return true;
}

/* A record made of these fields, into utmp and then wtmp. */
static void write_both(enum record_type type, const char *user, const char *id, pid_t pid,
		       const char *line)
{
	struct record record = make_record(type, user, id, pid, line);

	write_utmp(&record);
	write_wtmp(&record);
}

/* The boot record, if it still waits for this file: written before any
 * other record there, so that it comes first. */
static void write_boot_if_pending(unsigned which)
{
	struct record boot;
	bool written;

	if (!(pending_boot & which))
		return;
	pending_boot &= ~which; /* the write below must not come back here */
	boot = make_record(RECORD_BOOT_TIME, "reboot", "~~", 0, "~");
	written = which == PENDING_UTMP ? write_utmp(&boot) : write_wtmp(&boot);
	if (!written)
		pending_boot |= which;
}

void utmp_boot(void)
{
	pending_boot = PENDING_UTMP | PENDING_WTMP;
	write_boot_if_pending(PENDING_UTMP);
	write_boot_if_pending(PENDING_WTMP);
}

void utmp_runlevel(char level, char previous)
{
	/* The levels as characters, the previous one in the second byte. */
	write_both(RECORD_RUN_LEVEL, "runlevel", "~~", level + 256 * previous, "~");
}

void utmp_shutdown(void)
{
	struct record record = make_record(RECORD_RUN_LEVEL, "shutdown", "~~", 0, "~");

	write_wtmp(&record);
}

void utmp_process_started(const char *id, pid_t pid)
{
	write_both(RECORD_INIT_PROCESS, "", id, pid, "");
}

void utmp_process_ended(const char *id, pid_t pid)
{
	write_both(RECORD_DEAD_PROCESS, "", id, pid, "");
}

unsigned utmp_pending(void)
{
	return pending_boot;
}

void utmp_set_pending(unsigned pending)
{
	pending_boot = pending & (PENDING_UTMP | PENDING_WTMP);
}

/* A line of "../x" would name a file outside /dev. */
static bool has_dot_dot(const char *line, size_t length)
{
	for (size_t i = 1; i < length; i++)
		if (line[i - 1] == '.' && line[i] == '.')
			return true;
	return false;
}

void utmp_wall(const char *path, const char *text)
{
	struct record record;
	struct stat own, terminal;
	bool own_is_terminal = fstat(STDOUT_FILENO, &own) == 0 && S_ISCHR(own.st_mode);
	int file = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (file < 0)
		return;
	for (unsigned n = 0; n < MAX_SEARCHED_RECORDS && read(file, &record, sizeof(record)) == sizeof(record); n++) {
		char device[5 + sizeof(record.line) + 1] = "/dev/";
		int fd;

		size_t length = strnlen(record.line, sizeof(record.line));

		if (record.type != RECORD_USER_PROCESS || !length || has_dot_dot(record.line, length))
			continue;
		memcpy(device + 5, record.line, length);
		/* A terminal only, never waited for (a stopped one drops it). */
		fd = open(device, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &terminal) == 0 && S_ISCHR(terminal.st_mode) &&
		    !(own_is_terminal && terminal.st_rdev == own.st_rdev) && write(fd, text, strlen(text)) < 0) {
			/* A full or hung terminal misses the message. */
		}
		close(fd);
	}
	close(file);
}
