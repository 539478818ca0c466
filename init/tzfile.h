/* Local time for shutdown HH:MM: the offset from UTC that a zone file of
 * tzdata (tzfile(5), "TZif") gives at one moment. A pure function, so
 * that it can be tested and fuzzed on any bytes. */
#ifndef HYDRA_TZFILE_H
#define HYDRA_TZFILE_H

#include <stddef.h>
#include <stdint.h>

/* The offset in seconds east of UTC at time when (seconds since the
 * epoch), from the file's last transition at or before when, or its first
 * time type before any transition. A file of version 2 or later is read
 * in its 64-bit part. The POSIX rule at the end of a file is not read:
 * after the last transition, its type holds (Debian's zone files list
 * transitions up to 2037). Returns 0, or -1 when data is not a whole
 * zone file. */
int tzfile_offset(const unsigned char *data, size_t size, int64_t when, long *offset);

#endif
