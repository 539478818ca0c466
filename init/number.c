#include "number.h"

int parse_seconds(const char *text, uint64_t max_ms, uint64_t *milliseconds)
{
	uint64_t whole = 0, fraction = 0, scale = 1000;
	const char *cursor = text;

	if (*cursor < '0' || *cursor > '9')
		return -1;
	while (*cursor >= '0' && *cursor <= '9') {
		whole = whole * 10 + (*cursor++ - '0');
		if (whole > max_ms / 1000 + 1)
			return -1;
	}
	if (*cursor == '.') {
		cursor++;
		if (*cursor < '0' || *cursor > '9')
			return -1;
		while (*cursor >= '0' && *cursor <= '9') {
			if (scale > 1) {
				scale /= 10;
				fraction += (*cursor - '0') * scale;
			}
			cursor++;
		}
	}
	if (*cursor || whole * 1000 + fraction > max_ms)
		return -1;
	*milliseconds = whole * 1000 + fraction;
	return 0;
}
