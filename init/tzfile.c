#include "tzfile.h"

#include <string.h>

enum { HEADER = 44 };

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int tzfile_offset(const unsigned char *data, size_t size, int64_t when, long *offset)
{
	size_t start = 0, width = 4;

	for (;;) {
		const unsigned char *counts = data + start + 20;
		uint32_t is_ut, is_std, leaps, times, types, chars;
		size_t body;

		if (size - start < HEADER || memcmp(data + start, "TZif", 4) != 0)
			return -1;
		is_ut = be32(counts);
		is_std = be32(counts + 4);
		leaps = be32(counts + 8);
		times = be32(counts + 12);
		types = be32(counts + 16);
		chars = be32(counts + 20);
		/* Bounds that keep the sums below from overflowing. */
		if (types == 0 || types > 256 || times > 1 << 20 || leaps > 1 << 20 || is_ut > 256 ||
		    is_std > 256 || chars > 1 << 16)
			return -1;
		body = times * width + times + types * 6 + chars + leaps * (width + 4) + is_std + is_ut;
		if (size - start - HEADER < body)
			return -1;
		if (width == 4 && data[start + 4] >= '2') {
			/* Version 2 and later: the same again with 64-bit times. */
			start += HEADER + body;
			width = 8;
			continue;
		}
		const unsigned char *transitions = data + start + HEADER;
		const unsigned char *indices = transitions + times * width;
		const unsigned char *infos = indices + times;
		unsigned type = 0;

		for (uint32_t i = 0; i < times; i++) {
			const unsigned char *at = transitions + i * width;
			int64_t moment = width == 8 ? (int64_t)((uint64_t)be32(at) << 32 | be32(at + 4))
						    : (int32_t)be32(at);

			if (moment > when)
				break;
			type = indices[i];
		}
		if (type >= types)
			return -1;
		*offset = (int32_t)be32(infos + type * 6);
		return 0;
	}
}
