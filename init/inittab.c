#include "inittab.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "id_index.h"

static const struct {
	const char *name;
	unsigned traits;
} action_table[] = {
	[ACTION_SYSINIT] = { "sysinit", TRAIT_AT_BOOT | TRAIT_BARRIER },
	[ACTION_BOOT] = { "boot", TRAIT_AT_BOOT },
	[ACTION_BOOTWAIT] = { "bootwait", TRAIT_AT_BOOT | TRAIT_BARRIER },
	[ACTION_WAIT] = { "wait", TRAIT_LEVEL_BOUND | TRAIT_BARRIER },
	[ACTION_ONCE] = { "once", TRAIT_LEVEL_BOUND },
	[ACTION_RESPAWN] = { "respawn", TRAIT_LEVEL_BOUND | TRAIT_RESPAWN },
	[ACTION_OFF] = { "off", 0 },
	[ACTION_ONDEMAND] = { "ondemand", TRAIT_LEVEL_BOUND | TRAIT_RESPAWN },
	[ACTION_INITDEFAULT] = { "initdefault", 0 },
	[ACTION_CTRLALTDEL] = { "ctrlaltdel", TRAIT_ON_EVENT },
	[ACTION_KBREQUEST] = { "kbrequest", TRAIT_ON_EVENT },
	[ACTION_POWERWAIT] = { "powerwait", TRAIT_ON_EVENT | TRAIT_BARRIER },
	[ACTION_POWERFAIL] = { "powerfail", TRAIT_ON_EVENT },
	[ACTION_POWEROKWAIT] = { "powerokwait", TRAIT_ON_EVENT | TRAIT_BARRIER },
	[ACTION_POWERFAILNOW] = { "powerfailnow", TRAIT_ON_EVENT },
};
enum { ACTION_COUNT = sizeof(action_table) / sizeof(action_table[0]) };

const char *action_name(enum action action)
{
	return action_table[action].name;
}

unsigned action_traits(enum action action)
{
	return action_table[action].traits;
}

int level_index(char character)
{
	if (character >= '0' && character <= '9')
		return character - '0';
	switch (character) {
	case 'S': case 's': return LEVEL_S;
	case 'A': case 'a': return LEVEL_A;
	case 'B': case 'b': return LEVEL_A + 1;
	case 'C': case 'c': return LEVEL_A + 2;
	}
	return -1;
}

char level_character(int index)
{
	if (index >= 0 && index <= 9)
		return '0' + index;
	if (index == LEVEL_S)
		return 'S';
	if (index >= LEVEL_A && index < LEVEL_COUNT)
		return 'a' + index - LEVEL_A;
	return 'N';
}

char *levels_string(unsigned levels, char *buffer)
{
	char *end = buffer;

	for (int index = 0; index < LEVEL_COUNT; index++)
		if (levels & LEVEL_BIT(index))
			*end++ = level_character(index);
	*end = '\0';
	return buffer;
}

unsigned split_words(char *line, char **words, unsigned max)
{
	unsigned count = 0;

	for (char *cursor = line;; cursor++) {
		while (*cursor == ' ' || *cursor == '\t')
			*cursor++ = '\0';
		if (!*cursor)
			return count;
		if (count == max)
			return max + 1;
		words[count++] = cursor;
		while (*cursor && *cursor != ' ' && *cursor != '\t')
			cursor++;
		if (!*cursor)
			return count;
		*cursor = '\0';
	}
}

/* Makes room in an array of count elements for one more; 0 or -1 (ENOMEM).
 * The room doubles whenever count reaches a power of two, so that n lines
 * cost O(n) copying. */
static int grow(void **array, unsigned count, size_t element_size)
{
	void *bigger;

	if (count & (count - 1))
		return 0; /* not a power of two: there is room */
	bigger = realloc(*array, (count ? 2 * (size_t)count : 1) * element_size);
	if (!bigger)
		return -1;
	*array = bigger;
	return 0;
}

static int add_error(struct inittab *result, unsigned file, unsigned line, const char *format, ...)
	__attribute__((format(printf, 4, 5)));

static int add_error(struct inittab *result, unsigned file, unsigned line, const char *format, ...)
{
	va_list args, again;
	char *message;
	int length;

	if (grow((void **)&result->errors, result->error_count, sizeof(*result->errors)) < 0)
		return -1;
	va_start(args, format);
	va_copy(again, args);
	length = vsnprintf(NULL, 0, format, args);
	message = malloc(length + 1);
	if (message)
		vsnprintf(message, length + 1, format, again);
	va_end(again);
	va_end(args);
	if (!message)
		return -1;
	result->errors[result->error_count].file = file;
	result->errors[result->error_count].line = line;
	result->errors[result->error_count].message = message;
	result->error_count++;
	return 0;
}

/* Either case, as sysvinit reads them: "Respawn" is respawn. */
static bool find_action(const char *name, size_t length, enum action *action)
{
	char lower[16];

	if (length >= sizeof(lower))
		return false; /* longer than every action's name */
	for (size_t i = 0; i < length; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	lower[length] = '\0';
	for (unsigned i = 0; i < ACTION_COUNT; i++)
		if (strcmp(action_table[i].name, lower) == 0) {
			*action = i;
			return true;
		}
	return false;
}

/* Parses one line (without its newline) of file. Returns 0 (entry added,
 * or an error recorded) or -1 when memory ran out. */
static int parse_line(const char *line, size_t length, unsigned file, unsigned number,
		      struct inittab *result)
{
	const char *field[4], *end = line + length;
	size_t field_length[3];
	const char *cursor = line;
	enum action action;
	unsigned levels = 0;
	char bad_level = 0;

	while (cursor < end && isspace((unsigned char)*cursor))
		cursor++;
	if (cursor == end || *cursor == '#')
		return 0;
	for (int i = 0; i < 3; i++) {
		const char *colon = memchr(cursor, ':', end - cursor);

		if (!colon)
			return add_error(result, file, number,
					 "missing field: expected id:runlevels:action:process");
		field[i] = cursor;
		field_length[i] = colon - cursor;
		cursor = colon + 1;
	}
	field[3] = cursor; /* the process keeps its colons */
	while (end > field[3] && isspace((unsigned char)end[-1]))
		end--;

	if (field_length[0] == 0)
		return add_error(result, file, number, "empty id");
	if (!find_action(field[2], field_length[2], &action))
		return add_error(result, file, number, "unknown action '%.*s'",
				 (int)field_length[2], field[2]);
	for (size_t i = 0; i < field_length[1]; i++) {
		int index = level_index(field[1][i]);

		if (index < 0) {
			bad_level = field[1][i];
			break;
		}
		levels |= LEVEL_BIT(index);
	}
	if (bad_level)
		return add_error(result, file, number, "bad runlevel character '%c'", bad_level);
	if (field_length[1] == 0)
		levels = ALL_LEVELS;
	if (id_index_find(&result->ids, field[0], field_length[0]) >= 0)
		return add_error(result, file, number, "duplicate id '%.*s'",
				 (int)field_length[0], field[0]);

	if (action == ACTION_INITDEFAULT) {
		int level = field_length[1] == 1 ? level_index(field[1][0]) : -1;

		if (level < 0 || level >= LEVEL_A)
			return add_error(result, file, number,
					 "initdefault needs exactly one runlevel (0-9 or S)");
		if (level == 0 || level == 6)
			return add_error(result, file, number,
					 "initdefault %c would halt or reboot at every boot",
					 field[1][0]);
		result->default_level = level;
	} else if (end == field[3]) {
		return add_error(result, file, number, "empty process for action '%s'",
				 action_name(action));
	}

	if (grow((void **)&result->entries, result->count, sizeof(*result->entries)) < 0)
		return -1;
	struct inittab_entry *entry = &result->entries[result->count];
	entry->id = strndup(field[0], field_length[0]);
	entry->process = strndup(field[3], end - field[3]);
	if (!entry->id || !entry->process || id_index_add(&result->ids, entry->id, result->count) < 0) {
		free(entry->id);
		free(entry->process);
		return -1;
	}
	entry->levels = levels;
	entry->action = action;
	entry->file = file;
	entry->line = number;
	result->count++;
	return 0;
}

void inittab_init(struct inittab *result)
{
	memset(result, 0, sizeof(*result));
	result->default_level = -1;
}

int inittab_add(struct inittab *result, const char *text, size_t length, unsigned file)
{
	const char *cursor = text, *end = text + length;
	unsigned number = 0;

	while (cursor < end) {
		const char *newline = memchr(cursor, '\n', end - cursor);
		const char *line_end = newline ? newline : end;

		number++;
		if (memchr(cursor, '\0', line_end - cursor)) {
			if (add_error(result, file, number, "NUL byte in line") < 0)
				goto out_of_memory;
		} else if (parse_line(cursor, line_end - cursor, file, number, result) < 0) {
			goto out_of_memory;
		}
		cursor = newline ? newline + 1 : end;
	}
	return 0;

out_of_memory:
	inittab_free(result);
	errno = ENOMEM;
	return -1;
}

int inittab_add_error(struct inittab *result, unsigned file, const char *message)
{
	if (add_error(result, file, 0, "%s", message) < 0) {
		inittab_free(result);
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

int inittab_parse(const char *text, size_t length, struct inittab *result)
{
	inittab_init(result);
	return inittab_add(result, text, length, 0);
}

void inittab_free(struct inittab *inittab)
{
	for (unsigned i = 0; i < inittab->count; i++) {
		free(inittab->entries[i].id);
		free(inittab->entries[i].process);
	}
	for (unsigned i = 0; i < inittab->error_count; i++)
		free(inittab->errors[i].message);
	free(inittab->entries);
	free(inittab->errors);
	id_index_free(&inittab->ids);
	inittab_init(inittab);
}
