/* libFuzzer target: the inittab parser, the table built from it, a reload
 * (table_merge) into a table whose entries have processes, and the status
 * listing of the result. The input is the old inittab; after a line that
 * is only "%%", the new one. Without that line, the same text is reloaded
 * (the common `telinit q`, and where quadratic merging showed). */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../init/inittab.h"
#include "../init/log.h"
#include "../init/supervisor.h"
#include "../init/table.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	log_open("/dev/null", false);
	return 0;
}

static int compare_ids(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, so that the check itself stays fast on large inputs. */
static void assert_unique_ids(const struct inittab *inittab)
{
	char **ids = malloc((inittab->count + 1) * sizeof(*ids));

	assert(ids);
	for (unsigned i = 0; i < inittab->count; i++)
		ids[i] = inittab->entries[i].id;
	qsort(ids, inittab->count, sizeof(*ids), compare_ids);
	for (unsigned i = 1; i < inittab->count; i++)
		assert(strcmp(ids[i - 1], ids[i]) != 0);
	free(ids);
}

/* Parses text and checks what any result must satisfy. */
static void parse(const char *text, size_t length, struct inittab *inittab)
{
	size_t lines = 1;

	for (size_t i = 0; i < length; i++)
		lines += text[i] == '\n';
	if (inittab_parse(text, length, inittab) < 0)
		abort(); /* only when memory runs out */
	assert(inittab->count + inittab->error_count <= lines);
	for (unsigned i = 0; i < inittab->count; i++) {
		const struct inittab_entry *entry = &inittab->entries[i];

		assert(entry->id[0] != '\0' && !strchr(entry->id, ':') && !strchr(entry->id, '\n'));
		assert(!strchr(entry->process, '\n'));
		assert(entry->line >= 1 && entry->line <= lines);
		assert(action_name(entry->action) != NULL);
	}
	assert_unique_ids(inittab);
	for (unsigned i = 0; i < inittab->error_count; i++)
		assert(inittab->errors[i].line >= 1 && inittab->errors[i].line <= lines &&
		       inittab->errors[i].message[0] != '\0');
	assert(inittab->default_level >= -1 && inittab->default_level < LEVEL_A);
}

/* Gives the old table's entries states as a running system has them,
 * chosen by the input's bytes. */
static void pretend_running(struct table *table, const uint8_t *data, size_t size)
{
	for (unsigned i = 0; i < table->count; i++) {
		struct entry *entry = &table->entries[i];
		uint8_t choice = size ? data[i % size] : 0;

		entry->state = choice % 4;
		entry->pid = entry->state == ENTRY_RUNNING || (entry->state == ENTRY_STOPPING && choice & 4)
				     ? (pid_t)(i + 2)
				     : 0;
		entry->restarts = choice >> 3;
		entry->has_exited = choice & 8;
		entry->last_status = choice;
		entry->demanded = choice & 16;
	}
}

static size_t count_with_processes(const struct table *table)
{
	size_t count = 0;

	for (unsigned i = 0; i < table->count; i++)
		count += table->entries[i].pid > 0 || table->entries[i].state == ENTRY_STOPPING;
	return count;
}

/* Finds the line "%%": where the new inittab starts. */
static const char *find_separator(const char *text, size_t length, size_t *old_length)
{
	for (size_t i = 0; i + 2 <= length; i++)
		if ((i == 0 || text[i - 1] == '\n') && text[i] == '%' && text[i + 1] == '%' &&
		    (i + 2 == length || text[i + 2] == '\n')) {
			*old_length = i;
			return i + 3 <= length ? text + i + 3 : text + length;
		}
	*old_length = length;
	return text;
}

static void check_status(struct table *table)
{
	struct supervisor supervisor = { .table = *table, .level = 2, .previous_level = -1 };
	char *listing = supervisor_status(&supervisor);
	size_t lines = 0;

	assert(listing);
	for (const char *c = listing; *c; c++)
		lines += *c == '\n';
	assert(lines == table->count + 2); /* every entry's line is whole */
	free(listing);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *new_text;
	size_t old_length, with_processes, taken_over = 0;
	struct inittab old_inittab, new_inittab;
	struct table old, fresh;

	new_text = find_separator(text, size, &old_length);
	parse(text, old_length, &old_inittab);
	parse(new_text, text + size - new_text, &new_inittab);
	if (table_build(&old, &old_inittab) < 0 || table_build(&fresh, &new_inittab) < 0)
		abort();
	pretend_running(&old, data, size);
	with_processes = count_with_processes(&old);
	table_merge(&old, &fresh);
	for (unsigned i = 0; i < old.count; i++) {
		const struct entry *entry = &old.entries[i];
		/* pretend_running() gave old entry n the pid n + 2. */
		const struct inittab_entry *before = entry->pid > 0 ? &old_inittab.entries[entry->pid - 2] : NULL;

		if (i < new_inittab.count) {
			/* The new inittab's entries, in its order, as it defines them;
			 * one that has a process took it over from the same definition. */
			const struct inittab_entry *now = &new_inittab.entries[i];

			assert(strcmp(entry->id, now->id) == 0 && !entry->removed);
			assert(strcmp(entry->process, now->process) == 0 && entry->line == now->line);
			if (before)
				assert(strcmp(before->id, now->id) == 0 && strcmp(before->process, now->process) == 0 &&
				       before->levels == now->levels && before->action == now->action);
			taken_over += entry->pid > 0 || entry->state == ENTRY_STOPPING;
		} else {
			/* The rest: changed or removed, kept to be stopped. */
			assert(entry->removed && (entry->pid > 0 || entry->state == ENTRY_STOPPING));
			assert(!before || strcmp(entry->id, before->id) == 0);
		}
	}
	assert(old.count == new_inittab.count + with_processes - taken_over);
	check_status(&old);
	for (unsigned i = old.count; i-- > 0;)
		if (old.entries[i].removed)
			table_remove(&old, i);
	assert(old.count == new_inittab.count);
	table_free(&old);
	inittab_free(&old_inittab);
	inittab_free(&new_inittab);
	return 0;
}
