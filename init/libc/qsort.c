/* qsort as a heapsort: O(n log n) in every case, no recursion, no extra
 * memory, and 150 bytes where musl's smoothsort is 2 KB. hydra sorts only
 * the names in an inittab.d directory; sorting them need not be fast, it
 * must never be quadratic. */
#include <stddef.h>
#include <stdlib.h>

static void swap(char *a, char *b, size_t width)
{
	while (width--) {
		char byte = *a;

		*a++ = *b;
		*b++ = byte;
	}
}

/* Moves the element at root down the heap of count elements until both
 * its children are smaller. */
static void sift_down(char *base, size_t root, size_t count, size_t width, int (*compare)(const void *, const void *))
{
	for (size_t child; (child = 2 * root + 1) < count; root = child) {
		if (child + 1 < count && compare(base + child * width, base + (child + 1) * width) < 0)
			child++;
		if (compare(base + root * width, base + child * width) >= 0)
			return;
		swap(base + root * width, base + child * width, width);
	}
}

void qsort(void *elements, size_t count, size_t width, int (*compare)(const void *, const void *))
{
	char *base = elements;

	if (count < 2 || width == 0)
		return;
	for (size_t root = count / 2; root-- > 0;)
		sift_down(base, root, count, width, compare);
	for (size_t end = count - 1; end > 0; end--) {
		swap(base, base + end * width, width);
		sift_down(base, 0, end, width, compare);
	}
}
