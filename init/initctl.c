#include "initctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inittab.h"
#include "log.h"
#include "supervisor.h"

/* sysvinit's command numbers (initreq.h). */
enum {
	COMMAND_RUNLEVEL = 1,
	COMMAND_POWERFAIL = 2,
	COMMAND_POWERFAILNOW = 3,
	COMMAND_POWEROK = 4,
	COMMAND_SETENV = 6,
	COMMAND_UNSETENV = 7,
};

/* The longest sleep time taken, as for telinit -t. */
enum { SLEEP_MAX_SECONDS = 3600 };

/* --- decoding (pure) ---------------------------------------------------- */

static int field(const unsigned char *bytes, unsigned index)
{
	int value;

	/* The writer's own int layout: the FIFO only ever joins processes of
	 * one machine. memcpy: the bytes need not be aligned. */
	memcpy(&value, bytes + index * sizeof(int), sizeof(value));
	return value;
}

static bool is_name_character(char character)
{
	return (character >= 'A' && character <= 'Z') || (character >= 'a' && character <= 'z') ||
	       (character >= '0' && character <= '9') || character == '_';
}

/* Checks one SETENV or UNSETENV item: an INIT_* name, then for SETENV an
 * optional "=VALUE" of printable ASCII. */
static const char *check_variable(const char *item, bool assignment_allowed)
{
	const char *cursor = item + 5;

	if (strncmp(item, "INIT_", 5) != 0)
		return "only INIT_* variables can be set";
	if (!is_name_character(*cursor))
		return "a variable name needs a character after INIT_";
	while (is_name_character(*cursor))
		cursor++;
	if (*cursor == '\0')
		return NULL;
	if (*cursor != '=')
		return "a variable name holds a character other than A-Z, a-z, 0-9 and _";
	if (!assignment_allowed)
		return "UNSETENV takes names, not NAME=VALUE";
	for (cursor++; *cursor; cursor++)
		if (*cursor < ' ' || *cursor > '~')
			return "a variable's value holds a byte that is not printable ASCII";
	return NULL;
}

/* The data of SETENV and UNSETENV: strings, each NUL-terminated, up to an
 * empty one or the end of the data. */
static int decode_variables(const unsigned char *data, struct initctl_request *out, const char **error)
{
	size_t offset = 0;

	memcpy(out->variables, data, INITCTL_DATA_SIZE);
	out->variable_count = 0;
	while (offset < INITCTL_DATA_SIZE && out->variables[offset] != '\0') {
		const char *item = out->variables + offset;
		const char *end = memchr(item, '\0', INITCTL_DATA_SIZE - offset);
		const char *problem;

		if (!end) {
			*error = "a variable is not NUL-terminated within the request";
			return -1;
		}
		problem = check_variable(item, out->kind == INITCTL_SETENV);
		if (problem) {
			*error = problem;
			return -1;
		}
		out->variable_count++;
		offset = end - out->variables + 1;
	}
	if (out->variable_count == 0) {
		*error = "no variable in the request";
		return -1;
	}
	return 0;
}

/* RUNLVL's runlevel is a character: 0-9 and S switch levels, Q reloads,
 * A-C start ondemand entries, U re-executes init (either case). */
static int decode_runlevel(int runlevel, int sleeptime, struct initctl_request *out, const char **error)
{
	int level = runlevel > 0 && runlevel < 128 ? level_index((char)runlevel) : -1;

	if (runlevel == 'Q' || runlevel == 'q') {
		out->kind = INITCTL_RELOAD;
	} else if (runlevel == 'U' || runlevel == 'u') {
		out->kind = INITCTL_REEXEC;
	} else if (level >= LEVEL_A) {
		out->kind = INITCTL_ONDEMAND;
		out->level = level;
	} else if (level >= 0) {
		out->kind = INITCTL_LEVEL;
		out->level = level;
		if (sleeptime > SLEEP_MAX_SECONDS) {
			*error = "sleep time over 3600 seconds";
			return -1;
		}
		/* 0 (what most writers send unless told) keeps init's own. */
		out->grace_ms = sleeptime > 0 ? (uint64_t)sleeptime * 1000 : 0;
	} else {
		*error = "bad runlevel: want one of 0-9, S, Q, A-C, U";
		return -1;
	}
	return 0;
}

int initctl_decode(const void *bytes, size_t length, struct initctl_request *out,
		   const char **error)
{
	const unsigned char *request = bytes;

	if (length != INITCTL_REQUEST_SIZE) {
		*error = "a request is 384 bytes";
		return -1;
	}
	if ((unsigned)field(request, 0) != INITCTL_MAGIC) {
		*error = "bad magic number";
		return -1;
	}
	memset(out, 0, sizeof(*out));
	switch (field(request, 1)) {
	case COMMAND_RUNLEVEL:
		return decode_runlevel(field(request, 2), field(request, 3), out, error);
	case COMMAND_POWERFAIL:
		out->kind = INITCTL_POWERFAIL;
		return 0;
	case COMMAND_POWERFAILNOW:
		out->kind = INITCTL_POWERFAILNOW;
		return 0;
	case COMMAND_POWEROK:
		out->kind = INITCTL_POWEROK;
		return 0;
	case COMMAND_SETENV:
	case COMMAND_UNSETENV:
		out->kind = field(request, 1) == COMMAND_SETENV ? INITCTL_SETENV : INITCTL_UNSETENV;
		return decode_variables(request + INITCTL_DATA_OFFSET, out, error);
	default:
		*error = "unsupported command (there are RUNLVL, POWERFAIL, POWERFAILNOW, POWEROK, "
			 "SETENV and UNSETENV)";
		return -1;
	}
}

/* --- the variables passed on ---------------------------------------------- */

static bool has_name(const char *variable, const char *name, size_t name_length)
{
	return strncmp(variable, name, name_length) == 0 && variable[name_length] == '=';
}

int initctl_apply_variable(char **variables, const char *item)
{
	const char *equals = strchr(item, '=');
	size_t name_length = equals ? (size_t)(equals - item) : strlen(item);
	char **free_slot = NULL;

	for (unsigned i = 0; i < INITCTL_VARIABLES_MAX; i++) {
		if (variables[i] && has_name(variables[i], item, name_length)) {
			free(variables[i]);
			variables[i] = NULL;
		}
		if (!variables[i] && !free_slot)
			free_slot = &variables[i];
	}
	if (!equals)
		return 0;
	if (!free_slot || !(*free_slot = strdup(item)))
		return -1;
	return 0;
}

const char *initctl_variable(char *const *variables, const char *name)
{
	size_t name_length = strlen(name);

	for (unsigned i = 0; i < INITCTL_VARIABLES_MAX; i++)
		if (variables[i] && has_name(variables[i], name, name_length))
			return variables[i] + name_length + 1;
	return NULL;
}

/* --- the FIFO ----------------------------------------------------------- */

/* Only a FIFO of init's own user (root), readable and writable by it alone,
 * is used: anyone else who could write to it could stop the machine. */
static bool is_private_fifo(const struct stat *status)
{
	return S_ISFIFO(status->st_mode) && status->st_uid == geteuid() && (status->st_mode & 0777) == 0600;
}

int initctl_open(const char *path, bool report)
{
	struct stat status;
	int fd;

	/* A FIFO that is not init's own (another owner or mode) is replaced,
	 * never reused. Anything else there (a file, a directory, a symlink)
	 * is not init's to delete, as with the control socket: it is left,
	 * and tried again at the next wake-up, so that the FIFO comes once
	 * someone has removed it. */
	if (lstat(path, &status) == 0 && !is_private_fifo(&status)) {
		if (!S_ISFIFO(status.st_mode)) {
			if (report)
				error("cannot make %s: it exists and is not a FIFO; not removing it", path);
			return -1;
		}
		if (unlink(path) < 0) {
			if (report)
				error("cannot replace %s: %m", path);
			return -1;
		}
	}
	if (mkfifo(path, 0600) < 0 && errno != EEXIST) {
		if (report)
			error("cannot create %s: %m", path);
		return -1;
	}
	/* O_RDWR: init is a writer too, so the FIFO never reads as ended when
	 * the last client closes it, and a client's open never waits. */
	fd = open(path, O_RDWR | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (report)
			error("cannot open %s: %m", path);
		return -1;
	}
	if (fstat(fd, &status) < 0 || !is_private_fifo(&status)) {
		if (report)
			error("%s is not a FIFO of root's with mode 0600: not using it", path);
		close(fd);
		return -1;
	}
	return fd;
}

bool initctl_still_there(int fd, const char *path)
{
	struct stat opened, named;

	return fstat(fd, &opened) == 0 && stat(path, &named) == 0 && opened.st_dev == named.st_dev &&
	       opened.st_ino == named.st_ino;
}

static void set_variables(struct supervisor *supervisor, const struct initctl_request *request)
{
	const char *item = request->variables;

	for (unsigned i = 0; i < request->variable_count; i++, item += strlen(item) + 1) {
		bool set = strchr(item, '=') != NULL;

		if (initctl_apply_variable(supervisor->variables, item) < 0)
			warning("initctl: cannot set %s: %d variables are set already", item,
				INITCTL_VARIABLES_MAX);
		else
			info("initctl: %s %s", set ? "set" : "unset", item);
	}
}

static void perform(struct supervisor *supervisor, const struct initctl_request *request)
{
	char reply[256] = "";
	int result = 0;

	switch (request->kind) {
	case INITCTL_LEVEL:
		result = supervisor_change_level(supervisor, request->level,
						 supervisor_halt_mode(supervisor, request->level),
						 request->grace_ms, reply, sizeof(reply));
		break;
	case INITCTL_RELOAD:
		result = supervisor_reload(supervisor, reply, sizeof(reply));
		break;
	case INITCTL_ONDEMAND:
		result = supervisor_demand(supervisor, request->level, reply, sizeof(reply));
		break;
	case INITCTL_REEXEC:
		result = supervisor_request_reexec(supervisor, reply, sizeof(reply));
		break;
	case INITCTL_POWERFAIL:
		supervisor_power_status(supervisor, 'F');
		return;
	case INITCTL_POWERFAILNOW:
		supervisor_power_status(supervisor, 'L');
		return;
	case INITCTL_POWEROK:
		supervisor_power_status(supervisor, 'O');
		return;
	case INITCTL_SETENV:
	case INITCTL_UNSETENV:
		set_variables(supervisor, request);
		return;
	}
	if (result < 0)
		warning("initctl: %s", reply);
	else
		notice("initctl: %s", reply);
}

/* Only root may write to the FIFO, but a runaway program must still not
 * flood the console: refusals and dropped bytes share one rate limit. */
static struct log_ratelimit complaints = { .what = "initctl: refused or dropped input" };

static void refuse(const char *reason)
{
	if (log_ratelimit(&complaints))
		warning("initctl: refused a request: %s", reason);
}

/* Carries out the whole requests at the start of the buffer. A pipe keeps
 * no boundaries between writes, so after bytes that are no request the
 * next magic number is looked for, and reading goes on from there. */
static void take_requests(struct supervisor *supervisor, struct initctl_buffer *buffer,
			  size_t *dropped)
{
	const int magic_number = INITCTL_MAGIC;
	const char *magic = (const char *)&magic_number;
	size_t start = 0;

	while (buffer->used - start >= INITCTL_REQUEST_SIZE) {
		struct initctl_request request;
		const char *reason;
		size_t next;

		if (memcmp(buffer->bytes + start, magic, sizeof(magic_number)) == 0) {
			if (initctl_decode(buffer->bytes + start, INITCTL_REQUEST_SIZE, &request, &reason) < 0)
				refuse(reason);
			else
				perform(supervisor, &request);
			start += INITCTL_REQUEST_SIZE;
			continue;
		}
		for (next = start + 1; next + sizeof(magic_number) <= buffer->used; next++)
			if (memcmp(buffer->bytes + next, magic, sizeof(magic_number)) == 0)
				break;
		if (next + sizeof(magic_number) > buffer->used)
			next = buffer->used - (sizeof(magic_number) - 1); /* a magic number may be cut at the end */
		*dropped += next - start;
		start = next;
	}
	memmove(buffer->bytes, buffer->bytes + start, buffer->used - start);
	buffer->used -= start;
}

void initctl_serve(struct supervisor *supervisor, int fd, struct initctl_buffer *buffer)
{
	/* Enough for any burst a program sends; a flood beyond it waits for
	 * the next turn of the loop, so that nothing else starves. */
	enum { READS_PER_TURN = 64 };
	size_t dropped = 0; /* bytes that were no request at all */
	int failure = 0; /* errno of the read that ended the turn, 0 if none */

	for (unsigned reads = 0; reads < READS_PER_TURN; reads++) {
		ssize_t got = read(fd, buffer->bytes + buffer->used, sizeof(buffer->bytes) - buffer->used);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			failure = got < 0 ? errno : 0;
			break;
		}
		buffer->used += got;
		take_requests(supervisor, buffer, &dropped);
	}
	/* Drained: a writer's request (at most PIPE_BUF bytes) arrives whole,
	 * so what is left is a short or broken write. */
	if (failure == EAGAIN) {
		dropped += buffer->used;
		buffer->used = 0;
	} else if (failure) {
		error("initctl: cannot read: %s", strerror(failure));
	}
	if (dropped && log_ratelimit(&complaints))
		warning("initctl: dropped %zu bytes that were no whole request (a short write or "
			"garbage)", dropped);
}
