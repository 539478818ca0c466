#include "id_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a: short, and spreads the near-identical ids of a generated table. */
static uint32_t hash(const char *id, size_t length)
{
	uint32_t value = 2166136261u;

	for (size_t i = 0; i < length; i++)
		value = (value ^ (unsigned char)id[i]) * 16777619u;
	return value;
}

/* The slot holding id, or the empty slot where it would go. */
static struct id_slot *probe(const struct id_index *index, const char *id, size_t length)
{
	unsigned at = hash(id, length) & (index->size - 1);

	for (;;) {
		struct id_slot *slot = &index->slots[at];

		if (!slot->id || (strncmp(slot->id, id, length) == 0 && slot->id[length] == '\0'))
			return slot;
		at = (at + 1) & (index->size - 1);
	}
}

long id_index_find(const struct id_index *index, const char *id, size_t length)
{
	const struct id_slot *slot;

	if (index->size == 0)
		return -1;
	slot = probe(index, id, length);
	return slot->id ? (long)slot->position : -1;
}

/* Doubles the slots; the table is never more than half full. */
static int grow(struct id_index *index)
{
	struct id_index bigger = { .size = index->size ? index->size * 2 : 64, .used = index->used };

	if (bigger.size == 0 || !(bigger.slots = calloc(bigger.size, sizeof(*bigger.slots))))
		return -1;
	for (unsigned i = 0; i < index->size; i++)
		if (index->slots[i].id)
			*probe(&bigger, index->slots[i].id, strlen(index->slots[i].id)) = index->slots[i];
	free(index->slots);
	*index = bigger;
	return 0;
}

int id_index_add(struct id_index *index, const char *id, unsigned position)
{
	if ((index->used + 1) * 2 > index->size && grow(index) < 0)
		return -1;
	*probe(index, id, strlen(id)) = (struct id_slot){ .id = id, .position = position };
	index->used++;
	return 0;
}

void id_index_free(struct id_index *index)
{
	free(index->slots);
	*index = (struct id_index){ 0 };
}
