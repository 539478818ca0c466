/* libFuzzer target: the zone file reader of shutdown HH:MM. Any bytes,
 * at any moment: no read outside them (ASan), and an offset only from a
 * file whose counts fit in it; the same bytes with a byte more or less at
 * the end may not crash either. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../init/tzfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t when = 0;
	long offset = 0;

	/* The moment comes first, then the file. */
	if (size < sizeof(when))
		return 0;
	memcpy(&when, data, sizeof(when));
	data += sizeof(when);
	size -= sizeof(when);
	if (tzfile_offset(data, size, when, &offset) == 0) {
		assert(size >= 44 && memcmp(data, "TZif", 4) == 0);
		assert(offset >= INT32_MIN && offset <= INT32_MAX);
	}
	if (size > 0)
		tzfile_offset(data, size - 1, when, &offset);
	return 0;
}
