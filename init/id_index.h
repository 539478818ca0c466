/* Entries found by id in constant time: the inittab's duplicate check and
 * a reload's matching of old and new entries stay linear in the table's
 * size (a 1 MiB inittab holds some 80,000 entries). */
#ifndef HYDRA_ID_INDEX_H
#define HYDRA_ID_INDEX_H

#include <stddef.h>

struct id_slot {
	const char *id; /* NULL: empty; not owned, must outlive the index */
	unsigned position;
};

struct id_index {
	struct id_slot *slots;
	unsigned size; /* a power of two, or 0 */
	unsigned used;
};

/* The position stored for the id of that length, or -1. */
long id_index_find(const struct id_index *index, const char *id, size_t length);
/* Stores position for id (NUL-terminated, not yet in the index). Returns 0,
 * or -1 when memory runs out (the index is unchanged). */
int id_index_add(struct id_index *index, const char *id, unsigned position);
void id_index_free(struct id_index *index);

#endif
