#include "mountinfo.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool is_octal(char character)
{
	return character >= '0' && character <= '7';
}

/* Copies a field, decoding the kernel's \ooo escapes (space, tab, newline
 * and backslash in a path: "\040"). */
static char *unescape(const char *field, size_t length)
{
	char *copy = malloc(length + 1), *out = copy;

	if (!copy)
		return NULL;
	for (size_t i = 0; i < length; i++) {
		if (field[i] == '\\' && i + 3 < length && field[i + 1] >= '0' && field[i + 1] <= '3' &&
		    is_octal(field[i + 2]) && is_octal(field[i + 3])) {
			*out++ = (char)((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0'));
			i += 3;
		} else {
			*out++ = field[i];
		}
	}
	*out = '\0';
	return copy;
}

char **mountinfo_points(const char *text, size_t length, unsigned *count)
{
	const char *cursor = text, *end = text + length;
	char **points = NULL;
	unsigned capacity = 0;

	*count = 0;
	while (cursor < end) {
		const char *newline = memchr(cursor, '\n', end - cursor);
		const char *line_end = newline ? newline : end, *field = cursor, *space;

		/* "36 35 98:0 /root /mnt/point options ...": the fifth field. */
		for (int skip = 0; skip < 4 && field; skip++) {
			space = memchr(field, ' ', line_end - field);
			field = space ? space + 1 : NULL;
		}
		space = field ? memchr(field, ' ', line_end - field) : NULL;
		cursor = newline ? newline + 1 : end;
		if (!space)
			continue;
		if (*count == capacity) {
			char **bigger = realloc(points, (capacity ? 2 * capacity : 16) * sizeof(*points));

			if (!bigger)
				goto out_of_memory;
			points = bigger;
			capacity = capacity ? 2 * capacity : 16;
		}
		if (!(points[*count] = unescape(field, space - field)))
			goto out_of_memory;
		(*count)++;
	}
	if (!points)
		points = malloc(sizeof(*points)); /* an empty list is not a failure */
	return points;

out_of_memory:
	mountinfo_free(points, *count);
	*count = 0;
	return NULL;
}

void mountinfo_free(char **points, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		free(points[i]);
	free(points);
}
