#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "id_index.h"
#include "signals.h"

int table_build(struct table *table, const struct inittab *inittab)
{
	*table = (struct table){ .entries = calloc(inittab->count ? inittab->count : 1, sizeof(*table->entries)) };
	if (!table->entries)
		return -1;
	for (unsigned i = 0; i < inittab->count; i++) {
		const struct inittab_entry *source = &inittab->entries[i];
		struct entry *entry = &table->entries[table->count];

		entry->id = strdup(source->id);
		entry->process = strdup(source->process);
		if (!entry->id || !entry->process) {
			free(entry->id);
			free(entry->process);
			table_free(table);
			return -1;
		}
		entry->levels = source->levels;
		entry->action = source->action;
		entry->line = source->line;
		table->count++;
	}
	return 0;
}

static bool same_definition(const struct entry *a, const struct entry *b)
{
	return a->levels == b->levels && a->action == b->action &&
	       strcmp(a->process, b->process) == 0;
}

static void free_entry(struct entry *entry)
{
	free(entry->id);
	free(entry->process);
}

/* Does the entry still have processes: its own, or, while it is being
 * stopped, what is left of its process group? */
static bool has_processes(const struct entry *entry)
{
	return entry->pid > 0 || entry->state == ENTRY_STOPPING;
}

int table_merge(struct table *old, struct table *fresh)
{
	struct id_index ids = { 0 };
	unsigned leftovers = 0;
	struct entry *merged;

	for (unsigned i = 0; i < old->count; i++)
		if (has_processes(&old->entries[i]))
			leftovers++;
	merged = realloc(fresh->entries, (fresh->count + leftovers + 1) * sizeof(*merged));
	if (merged)
		fresh->entries = merged;
	/* Old entries by id (a removed one is no longer its id's). */
	for (unsigned j = 0; merged && j < old->count; j++)
		if (!old->entries[j].removed && id_index_add(&ids, old->entries[j].id, j) < 0)
			merged = NULL;
	if (!merged) {
		/* Keep the old table: a reload that cannot be done changes nothing. */
		id_index_free(&ids);
		table_free(fresh);
		return -1;
	}

	for (unsigned i = 0; i < fresh->count; i++) {
		struct entry *entry = &fresh->entries[i];
		long found = id_index_find(&ids, entry->id, strlen(entry->id));
		struct entry *previous = found >= 0 ? &old->entries[found] : NULL;

		if (previous && same_definition(previous, entry)) {
			char *id = entry->id, *process = entry->process;
			unsigned line = entry->line;

			free(previous->process);
			*entry = *previous;
			entry->id = id;
			entry->process = process;
			entry->line = line;
			/* previous->id stays until the index is gone: it is the key. */
			previous->process = NULL;
			previous->pid = 0;
			previous->state = ENTRY_IDLE; /* taken over: not a leftover */
		}
	}
	id_index_free(&ids);
	/* What still has processes in old was changed or removed: keep it to
	 * stop it. */
	for (unsigned j = 0; j < old->count; j++) {
		struct entry *previous = &old->entries[j];

		if (has_processes(previous)) {
			fresh->entries[fresh->count] = *previous;
			fresh->entries[fresh->count].removed = true;
			fresh->count++;
		} else {
			free_entry(previous);
		}
	}
	free(old->entries);
	free(old->pid_slots); /* positions changed: fresh's index is built when needed */
	*old = *fresh;
	*fresh = (struct table){ 0 };
	return 0;
}

void table_free(struct table *table)
{
	for (unsigned i = 0; i < table->count; i++)
		free_entry(&table->entries[i]);
	free(table->entries);
	free(table->pid_slots);
	*table = (struct table){ 0 };
}

/* The index from pid to position: open addressing. A slot whose entry no
 * longer has that pid (it died, or the entry was dropped) is stale: a
 * look-up checks the entry, and the next rebuild leaves the slot out. */
static struct pid_slot *pid_slot(const struct table *table, pid_t pid)
{
	unsigned mask = table->pid_slots_size - 1, at = (unsigned)pid * 2654435761u & mask;

	while (table->pid_slots[at].pid && table->pid_slots[at].pid != pid)
		at = (at + 1) & mask;
	return &table->pid_slots[at];
}

static void add_pid(struct table *table, unsigned position)
{
	struct pid_slot *slot = pid_slot(table, table->entries[position].pid);

	table->pid_slots_used += slot->pid == 0;
	*slot = (struct pid_slot){ table->entries[position].pid, position };
}

/* From the entries' pids. Four slots an entry: as many starts as there
 * are entries fill it half, so rebuilds cost O(1) a start. Out of memory,
 * there is no index and look-ups scan. */
static void index_pids(struct table *table)
{
	unsigned size = 64;

	while (size / 4 < table->count)
		size *= 2;
	free(table->pid_slots);
	table->pid_slots = calloc(size, sizeof(*table->pid_slots));
	table->pid_slots_size = table->pid_slots ? size : 0;
	table->pid_slots_used = 0;
	for (unsigned i = 0; table->pid_slots && i < table->count; i++)
		if (table->entries[i].pid > 0)
			add_pid(table, i);
}

void table_index_pid(struct table *table, unsigned position)
{
	if ((table->pid_slots_used + 1) * 2 > table->pid_slots_size)
		index_pids(table); /* which takes this pid in */
	else
		add_pid(table, position);
}

struct entry *table_find_pid(struct table *table, pid_t pid)
{
	const struct pid_slot *slot;

	if (!table->pid_slots)
		index_pids(table);
	if (!table->pid_slots) {
		for (unsigned i = 0; i < table->count; i++)
			if (table->entries[i].pid == pid)
				return &table->entries[i];
		return NULL;
	}
	slot = pid_slot(table, pid);
	if (pid > 0 && slot->pid == pid && slot->position < table->count &&
	    table->entries[slot->position].pid == pid)
		return &table->entries[slot->position];
	return NULL;
}

void table_remove(struct table *table, unsigned index)
{
	free_entry(&table->entries[index]);
	memmove(&table->entries[index], &table->entries[index + 1],
		(table->count - index - 1) * sizeof(table->entries[0]));
	table->count--;
	/* The entries after it moved down one. */
	for (unsigned i = index; i < table->count; i++)
		if (table->entries[i].pid > 0)
			table_index_pid(table, i);
}

int entry_describe(const struct entry *entry, uint64_t now, char *buffer, unsigned size)
{
	static const char state_names[][9] = {
		[ENTRY_IDLE] = "stopped", [ENTRY_RUNNING] = "running", [ENTRY_STOPPING] = "stopping",
		[ENTRY_DISABLED] = "disabled",
	};
	char levels[LEVEL_COUNT + 1], state[48], pid[16], last[48];
	const char *removed = entry->removed ? ",removed" : "";

	if (entry->state == ENTRY_DISABLED)
		snprintf(state, sizeof(state), "disabled(%llus)%s",
			 (unsigned long long)((entry->deadline > now ? entry->deadline - now : 0) + 999) / 1000,
			 removed);
	else
		snprintf(state, sizeof(state), "%s%s",
			 entry->state == ENTRY_IDLE && entry->has_run ? "done" : state_names[entry->state], removed);
	snprintf(pid, sizeof(pid), entry->pid > 0 ? "%d" : "-", (int)entry->pid);
	return snprintf(buffer, size, "%-8s %-8s %-12s %-14s %-7s %-8u %s\n", entry->id,
			entry->levels == ALL_LEVELS ? "all" : levels_string(entry->levels, levels),
			action_name(entry->action), state, pid, entry->restarts,
			entry->has_exited ? describe_status(entry->last_status, last, sizeof(last)) : "-");
}
