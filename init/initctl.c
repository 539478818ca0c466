#include "initctl.h"

#include <stdlib.h>
#include <string.h>

#include "inittab.h"

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
