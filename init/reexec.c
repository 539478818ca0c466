#include "reexec.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "file.h"
#include "log.h"
#include "utmp.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

/* The state format's first line. A binary that holds these bytes can read
 * the state: that is how a new image is recognised as hydra. */
static const char state_magic[] = "hydra-state 1";
/* Where init's image lives on disk. Known from /proc/self/exe, except after
 * running from a memfd: then it came with the state. */
static char image_path[PATH_MAX];

enum entry_flag {
	FLAG_HAS_EXITED = 1, FLAG_HAS_RUN = 2, FLAG_DEMANDED = 4, FLAG_REMOVED = 8, FLAG_KILLED = 16,
};

/* --- where the image is --------------------------------------------------- */

/* /proc/self/exe's target: "PATH", "PATH (deleted)" when the file was
 * replaced, "/memfd:NAME (deleted)" when running from memory. */
static bool read_own_exe(char *target, size_t size)
{
	ssize_t length = readlink("/proc/self/exe", target, size - 1);

	if (length <= 0)
		return false;
	target[length] = '\0';
	return true;
}

static bool strip_deleted(char *target)
{
	static const char suffix[] = " (deleted)";
	size_t length = strlen(target);

	if (length < sizeof(suffix) || strcmp(target + length - (sizeof(suffix) - 1), suffix) != 0)
		return false;
	target[length - (sizeof(suffix) - 1)] = '\0';
	return true;
}

static bool running_from_memory(const char *target)
{
	return strncmp(target, "/memfd:", 7) == 0;
}

/* Was init's file replaced (deleted) on disk? target: its path. */
static bool image_replaced(char target[PATH_MAX])
{
	return read_own_exe(target, PATH_MAX) && !running_from_memory(target) && strip_deleted(target);
}

bool reexec_image_replaced(void)
{
	char target[PATH_MAX];

	return image_replaced(target);
}

static bool find_image_path(char *path, size_t size)
{
	char target[PATH_MAX];

	if (read_own_exe(target, sizeof(target)) && !running_from_memory(target)) {
		strip_deleted(target);
		snprintf(image_path, sizeof(image_path), "%s", target);
	}
	if (!image_path[0])
		return false;
	snprintf(path, size, "%s", image_path);
	return true;
}

/* Does text hold the magic? A plain search: the magic is short and its
 * first byte rare in a binary (and musl's memmem is 1 KB). */
static bool holds_magic(const char *text, size_t length)
{
	enum { MAGIC = sizeof(state_magic) - 1 };

	for (size_t i = 0; i + MAGIC <= length; i++)
		if (text[i] == state_magic[0] && memcmp(text + i, state_magic, MAGIC) == 0)
			return true;
	return false;
}

/* Is the file at path a hydra that reads this state format? Only a regular
 * executable file is read (a FIFO there must not block init), in pieces. */
static bool file_is_hydra(const char *path)
{
	enum { CHUNK = 65536, OVERLAP = sizeof(state_magic) - 1, MAX_BYTES = 64 << 20 };
	char *buffer = malloc(CHUNK + OVERLAP);
	size_t kept = 0, total = 0;
	struct stat info;
	bool found = false;
	int fd = buffer ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;

	if (fd >= 0 && fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && (info.st_mode & 0111)) {
		ssize_t got;

		while (!found && total < MAX_BYTES && (got = read(fd, buffer + kept, CHUNK)) > 0) {
			size_t length = kept + got;

			total += got;
			found = holds_magic(buffer, length);
			kept = length < OVERLAP ? length : OVERLAP;
			memmove(buffer, buffer + length - kept, kept);
		}
	}
	if (fd >= 0)
		close(fd);
	free(buffer);
	return found;
}

static int create_memfd(const char *name, unsigned flags)
{
	int fd = syscall(SYS_memfd_create, name, flags | MFD_EXEC);

	/* Kernels before 6.3 know no MFD_EXEC (and need none). */
	if (fd < 0 && errno == EINVAL)
		fd = syscall(SYS_memfd_create, name, flags);
	return fd;
}

static bool write_all(int fd, const char *data, size_t length)
{
	while (length > 0) {
		ssize_t written = write(fd, data, length);

		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			return false;
		data += written;
		length -= written;
	}
	return true;
}

/* The running image, copied into a memfd from /proc/self/exe (readable
 * even when its file was deleted). -1 on failure, logged. */
static int copy_own_image(void)
{
	char buffer[65536];
	ssize_t got;
	int image = create_memfd("hydra", MFD_CLOEXEC);
	int own = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

	if (image < 0 || own < 0) {
		error("cannot copy init's image into memory: %m");
		if (image >= 0)
			close(image);
		if (own >= 0)
			close(own);
		return -1;
	}
	while ((got = read(own, buffer, sizeof(buffer))) > 0)
		if (!write_all(image, buffer, got))
			break;
	close(own);
	if (got != 0) {
		error("cannot copy init's image into memory: %m");
		close(image);
		return -1;
	}
	return image;
}

/* Executes a copy of the running image with argv. Returns only if that
 * fails: false if the copy failed (logged), true if the exec did (errno). */
static bool exec_own_image(char **argv)
{
	int image = copy_own_image();

	if (image < 0)
		return false;
	syscall(SYS_execveat, image, "", argv, environ, AT_EMPTY_PATH);
	close(image);
	return true;
}

/* --- the state ------------------------------------------------------------ */

static unsigned entry_flags(const struct entry *entry)
{
	return (entry->has_exited ? FLAG_HAS_EXITED : 0) | (entry->has_run ? FLAG_HAS_RUN : 0) |
	       (entry->demanded ? FLAG_DEMANDED : 0) | (entry->removed ? FLAG_REMOVED : 0) |
	       (entry->killed ? FLAG_KILLED : 0);
}

/* Writes the state as text to fd: one "key value" a line; an entry is an
 * "entry" line of numbers, then its id and process on lines of their own;
 * "end" closes it, so that a cut state is seen as one. Written straight
 * into the memfd: no copy of it in init's memory. false if a write failed. */
static bool write_state(int fd, const struct supervisor *supervisor, int listen_fd,
			int initctl_fd, const char *path)
{
	const struct settings *settings = &supervisor->settings;
	bool failed = dprintf(fd, "%s\nimage %s\ninittab %s\n", state_magic, path,
			      settings->inittab) < 0;

	if (settings->control)
		failed |= dprintf(fd, "control %s\n", settings->control) < 0;
	if (settings->console)
		failed |= dprintf(fd, "console %s\n", settings->console) < 0;
	failed |= dprintf(fd, "numbers %llu %u %llu %llu %d %d %d %d %d %d %u %llu %u %d\n",
			  (unsigned long long)settings->grace_ms, settings->respawn_limit,
			  (unsigned long long)settings->respawn_window_ms,
			  (unsigned long long)settings->respawn_pause_ms, (int)supervisor->phase,
			  supervisor->level, supervisor->previous_level, supervisor->default_level,
			  supervisor->requested_level, (int)supervisor->halt_mode, supervisor->cursor,
			  (unsigned long long)supervisor->level_grace_ms, utmp_pending(), listen_fd) < 0;
	if (initctl_fd >= 0)
		failed |= dprintf(fd, "fifo %d\n", initctl_fd) < 0;
	if (supervisor->single_user_over)
		failed |= dprintf(fd, "single_user_over 1\n") < 0;
	for (unsigned i = 0; i < INITCTL_VARIABLES_MAX; i++)
		if (supervisor->variables[i])
			failed |= dprintf(fd, "variable %s\n", supervisor->variables[i]) < 0;
	for (unsigned i = 0; i < supervisor->table.count; i++) {
		const struct entry *entry = &supervisor->table.entries[i];

		failed |= dprintf(fd, "entry %u %d %u %d %d %d %d %u %d %u %llu %llu %u\nid %s\nprocess %s\n",
				  entry->levels, (int)entry->action, entry->line, (int)entry->state,
				  (int)entry->disable_reason, (int)entry->pid, (int)entry->group,
				  entry->restarts, entry->last_status, entry_flags(entry),
				  (unsigned long long)entry->deadline,
				  (unsigned long long)entry->window_start, entry->window_starts,
				  entry->id, entry->process) < 0;
	}
	failed |= dprintf(fd, "end\n") < 0;
	return !failed;
}

/* The state in a memfd the new image inherits (not close-on-exec). */
static int save_state(const struct supervisor *supervisor, int listen_fd, int initctl_fd,
		      const char *path)
{
	int fd = create_memfd("hydra-state", 0);

	if (fd < 0 || !write_state(fd, supervisor, listen_fd, initctl_fd, path) ||
	    lseek(fd, 0, SEEK_SET) < 0) {
		error("cannot re-execute: cannot save the state: %m");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void set_close_on_exec(int fd, bool on)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags >= 0)
		fcntl(fd, F_SETFD, on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC);
}

void reexec(struct supervisor *supervisor, int listen_fd, int initctl_fd)
{
	char path[PATH_MAX], state_argument[16];
	char *argv[] = { path, "--state", state_argument, NULL };
	int state;

	if (!find_image_path(path, sizeof(path))) {
		error("cannot re-execute: init's own path is unknown (/proc/self/exe: %m)");
		return;
	}
	state = save_state(supervisor, listen_fd, initctl_fd, path);
	if (state < 0)
		return;
	snprintf(state_argument, sizeof(state_argument), "%d", state);
	if (listen_fd >= 0)
		set_close_on_exec(listen_fd, false);
	if (initctl_fd >= 0)
		set_close_on_exec(initctl_fd, false);
	/* Signals stay blocked across execve, and a pending SIGCHLD stays
	 * pending: the new image's signalfd reports deaths of this window. */
	if (file_is_hydra(path)) {
		notice("re-executing %s", path);
		execve(path, argv, environ);
		error("cannot re-execute %s: %m; going on as before", path);
	} else {
		/* sysvinit's postinst runs `init u` after replacing /sbin/init:
		 * never run a stranger as PID 1, but let go of the deleted file. */
		notice("%s is not hydra: re-executing the running image from memory", path);
		if (exec_own_image(argv))
			error("cannot re-execute from memory: %m; going on as before");
	}
	if (listen_fd >= 0)
		set_close_on_exec(listen_fd, true);
	if (initctl_fd >= 0)
		set_close_on_exec(initctl_fd, true);
	close(state);
}

/* --- reading it back ------------------------------------------------------ */

/* Reads count numbers separated by blanks; false if any is missing. */
static bool read_numbers(const char *text, long long *numbers, unsigned count)
{
	char *end;

	for (unsigned i = 0; i < count; i++) {
		errno = 0;
		numbers[i] = strtoll(text, &end, 10);
		if (end == text || errno)
			return false;
		text = end;
	}
	return *text == '\0';
}

static bool restore_numbers(struct supervisor *supervisor, const char *text, int *listen_fd)
{
	struct settings *settings = &supervisor->settings;
	long long n[14];

	if (!read_numbers(text, n, 14) || n[4] < PHASE_SYSINIT || n[4] > PHASE_FINAL ||
	    n[5] < -1 || n[5] >= LEVEL_COUNT || n[6] < -1 || n[6] >= LEVEL_COUNT ||
	    n[9] < HALT_POWEROFF || n[9] > HALT_REBOOT)
		return false;
	settings->grace_ms = n[0];
	settings->respawn_limit = n[1];
	settings->respawn_window_ms = n[2];
	settings->respawn_pause_ms = n[3];
	supervisor->phase = n[4];
	supervisor->level = n[5];
	supervisor->previous_level = n[6];
	supervisor->default_level = n[7];
	supervisor->requested_level = n[8];
	supervisor->halt_mode = n[9];
	supervisor->cursor = n[10];
	supervisor->level_grace_ms = n[11];
	utmp_set_pending(n[12]);
	*listen_fd = n[13];
	return true;
}

/* The entry of an "entry" line, past the table's end: counted once its id
 * and process have come. NULL if the line is bad or memory runs out. */
static struct entry *restore_entry(struct table *table, const char *text)
{
	long long n[13];
	struct entry *bigger, *entry;

	if (!read_numbers(text, n, 13) || n[1] < ACTION_SYSINIT || n[1] > ACTION_POWERFAILNOW ||
	    n[3] < ENTRY_IDLE || n[3] > ENTRY_DISABLED)
		return NULL;
	bigger = realloc(table->entries, (table->count + 1) * sizeof(*bigger));
	if (!bigger)
		return NULL;
	table->entries = bigger;
	entry = &table->entries[table->count];
	*entry = (struct entry){
		.levels = n[0], .action = n[1], .line = n[2], .state = n[3], .disable_reason = n[4],
		.pid = n[5], .group = n[6], .restarts = n[7], .last_status = n[8],
		.has_exited = n[9] & FLAG_HAS_EXITED, .has_run = n[9] & FLAG_HAS_RUN,
		.demanded = n[9] & FLAG_DEMANDED, .removed = n[9] & FLAG_REMOVED,
		.killed = n[9] & FLAG_KILLED, .deadline = n[10], .window_start = n[11],
		.window_starts = n[12],
	};
	return entry;
}

/* Sets *field to a copy of value (settings live as long as init). */
static bool keep_string(const char **field, const char *value)
{
	char *copy = strdup(value);

	if (copy)
		*field = copy;
	return copy != NULL;
}

int reexec_restore(struct supervisor *supervisor, int fd)
{
	int *listen_fd = &supervisor->restored_listen_fd;
	struct table *table = &supervisor->table;
	bool ended = false, good = true, numbers = false;
	size_t length;
	char *text = read_whole_fd(fd, &length), *line, *next;
	struct entry *pending = NULL; /* its id and process yet to come */

	close(fd);
	*listen_fd = supervisor->restored_initctl_fd = -1;
	if (!text) {
		error("cannot read the state of the previous image: %m");
		return -1;
	}
	if (strlen(text) != length || strncmp(text, state_magic, sizeof(state_magic) - 1) != 0 ||
	    text[sizeof(state_magic) - 1] != '\n') {
		error("the previous image's state is not in format '%s'", state_magic);
		free(text);
		return -1;
	}
	for (line = text + sizeof(state_magic); good && !ended && *line; line = next) {
		char *value = strchr(line, ' ');

		next = strchr(line, '\n');
		if (!next)
			break; /* a cut line */
		*next++ = '\0';
		if (value)
			*value++ = '\0';
		if (strcmp(line, "end") == 0)
			ended = true;
		else if (!value)
			good = false;
		else if (strcmp(line, "image") == 0)
			snprintf(image_path, sizeof(image_path), "%s", value);
		else if (strcmp(line, "inittab") == 0)
			good = keep_string(&supervisor->settings.inittab, value);
		else if (strcmp(line, "control") == 0)
			good = keep_string(&supervisor->settings.control, value);
		else if (strcmp(line, "console") == 0)
			good = keep_string(&supervisor->settings.console, value);
		else if (strcmp(line, "numbers") == 0)
			good = numbers = restore_numbers(supervisor, value, listen_fd);
		else if (strcmp(line, "fifo") == 0)
			supervisor->restored_initctl_fd = (int)strtol(value, NULL, 10);
		else if (strcmp(line, "single_user_over") == 0)
			supervisor->single_user_over = value[0] == '1';
		else if (strcmp(line, "variable") == 0)
			good = initctl_apply_variable(supervisor->variables, value) == 0;
		else if (strcmp(line, "entry") == 0)
			good = !pending && (pending = restore_entry(table, value));
		else if (strcmp(line, "id") == 0)
			good = pending && !pending->id && (pending->id = strdup(value));
		else if (strcmp(line, "process") == 0) {
			good = pending && pending->id && (pending->process = strdup(value));
			if (good) {
				table->count++; /* whole now */
				pending = NULL;
			}
		}
		/* Unknown keys are a newer image's additions: skipped. */
	}
	if (pending)
		free(pending->id);
	free(text);
	if (supervisor->cursor > table->count)
		supervisor->cursor = table->count;
	if (!numbers) {
		error("the previous image's state holds no level: starting afresh");
		table_free(table);
		return -1;
	}
	if (!good || !ended)
		error("the previous image's state is %s: kept what could be read (%u entries)",
		      good ? "cut short" : "damaged", table->count);
	return 0;
}

/* --- the final stage ------------------------------------------------------ */

void reexec_final_if_deleted(const struct supervisor *supervisor)
{
	char target[PATH_MAX], how[16];
	char *argv[] = { "init", "--final", how, NULL };

	if (!image_replaced(target))
		return;
	/* The deleted file stays allocated while its image runs, and keeps the
	 * filesystem from being remounted read-only: run from a copy. */
	notice("%s was replaced on disk: continuing from a copy in memory to release it", target);
	snprintf(how, sizeof(how), "%d", (int)supervisor->halt_mode);
	if (exec_own_image(argv))
		error("cannot continue from memory: %m");
}
