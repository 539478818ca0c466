/* libFuzzer target: what init reads from /proc at the final stage. The
 * input is a /proc/self/mountinfo (lines of any length: the mount point is
 * the fifth field) and, up to its first NUL, a /proc/PID/stat. */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../init/mountinfo.h"
#include "../init/shutdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Does the line hold a fifth field with a space after it? */
static bool has_mount_point(const char *line, size_t length)
{
	unsigned spaces = 0;

	for (size_t i = 0; i < length && spaces < 5; i++)
		spaces += line[i] == ' ';
	return spaces >= 5;
}

static void check_mountinfo(const char *text, size_t length)
{
	unsigned count, expected = 0, index = 0;
	char **points = mountinfo_points(text, length, &count);
	const char *line = text, *end = text + length;

	assert(points);
	while (line < end) {
		const char *newline = memchr(line, '\n', end - line);
		size_t line_length = (newline ? newline : end) - line;

		if (has_mount_point(line, line_length)) {
			/* Escapes only shorten the field; it ends before the line does. */
			assert(index < count && strlen(points[index]) < line_length);
			index++;
			expected++;
		}
		line = newline ? newline + 1 : end;
	}
	assert(count == expected);
	mountinfo_free(points, count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *stat = malloc(size + 1);
	pid_t parent;

	check_mountinfo((const char *)data, size);
	assert(stat);
	memcpy(stat, data, size);
	stat[size] = '\0';
	parent = stat_parent(stat);
	assert(parent == -1 || strrchr(stat, ')'));
	free(stat);
	return 0;
}
