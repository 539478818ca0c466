/* The allocator. musl's (mallocng) is 8 KB of the static binary, built for
 * threads and hardened against heap exploits of long-running servers that
 * allocate without bound. hydra is one thread, allocates little after
 * start-up (the table, a status answer, an inittab read), and frees all of
 * it again, so a small allocator serves it:
 * - a request of up to 32 KiB (with its 16-byte header) takes a block of
 *   the next power of two from 32 bytes, from that size's free list, or
 *   carved from a 64 KiB region mapped for that purpose; freed blocks go
 *   back to their list, so memory stays bounded by the peak in use;
 * - a larger one gets pages of its own from mmap, given back on free, and
 *   grown by mremap, so a large inittab read or status answer leaves no
 *   resident memory behind.
 * The header before each block holds its size class, or, for a mapping,
 * its length in bytes (a multiple of the page size, never a class). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum {
	HEADER = 16,                 /* keeps every block 16-byte aligned */
	SMALLEST = 32,               /* class 0: 32 bytes, header included */
	CLASSES = 11,                /* 32 bytes up to 32 KiB */
	REGION = 64 << 10,           /* mapped at a time for small blocks */
	PAGE = 4096,
};

struct header {
	size_t size; /* a class index, or a mapping's length */
	size_t unused;
};

struct free_block {
	struct free_block *next;
};

static struct free_block *free_lists[CLASSES];
static char *region_next, *region_end;

static size_t class_size(unsigned class)
{
	return (size_t)SMALLEST << class;
}

static void *map(size_t length)
{
	void *memory = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return memory == MAP_FAILED ? NULL : memory;
}

static void push(unsigned class, void *block)
{
	struct free_block *free_block = block;

	free_block->next = free_lists[class];
	free_lists[class] = free_block;
}

/* A new region; what is left of the old one goes to the free lists. */
static int grow(void)
{
	char *region = map(REGION);

	if (!region)
		return -1;
	for (unsigned class = CLASSES; class-- > 0;)
		while ((size_t)(region_end - region_next) >= class_size(class)) {
			push(class, region_next);
			region_next += class_size(class);
		}
	region_next = region;
	region_end = region + REGION;
	return 0;
}

static void *take_small(unsigned class)
{
	struct header *header;

	if (free_lists[class]) {
		header = (struct header *)free_lists[class];
		free_lists[class] = free_lists[class]->next;
	} else {
		if ((size_t)(region_end - region_next) < class_size(class) && grow() < 0)
			return NULL;
		header = (struct header *)region_next;
		region_next += class_size(class);
	}
	header->size = class;
	return header + 1;
}

static size_t capacity(const struct header *header)
{
	return (header->size < CLASSES ? class_size(header->size) : header->size) - HEADER;
}

void *malloc(size_t size)
{
	struct header *header;
	size_t length;

	if (size > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	for (unsigned class = 0; class < CLASSES; class++)
		if (size + HEADER <= class_size(class)) {
			void *block = take_small(class);

			if (!block)
				errno = ENOMEM;
			return block;
		}
	length = (size + HEADER + PAGE - 1) / PAGE * PAGE;
	header = map(length);
	if (!header) {
		errno = ENOMEM;
		return NULL;
	}
	header->size = length;
	return header + 1;
}

void free(void *block)
{
	struct header *header;

	if (!block)
		return;
	header = (struct header *)block - 1;
	if (header->size < CLASSES)
		push(header->size, header);
	else
		munmap(header, header->size);
}

void *calloc(size_t count, size_t size)
{
	void *block;

	if (size && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	block = malloc(count * size);
	if (block)
		memset(block, 0, count * size);
	return block;
}

void *realloc(void *block, size_t size)
{
	struct header *header;
	void *moved;

	if (!block)
		return malloc(size);
	header = (struct header *)block - 1;
	if (size <= capacity(header))
		return block;
	if (header->size >= CLASSES && size <= SIZE_MAX / 2) {
		size_t length = (size + HEADER + PAGE - 1) / PAGE * PAGE;

		moved = mremap(header, header->size, length, MREMAP_MAYMOVE);
		if (moved == MAP_FAILED) {
			errno = ENOMEM;
			return NULL;
		}
		header = moved;
		header->size = length;
		return header + 1;
	}
	moved = malloc(size);
	if (moved) {
		memcpy(moved, block, capacity(header));
		free(block);
	}
	return moved;
}
