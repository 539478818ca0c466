/* Reading /proc/self/mountinfo for the final stage: which filesystems are
 * mounted, in mount order. Pure: bytes in, mount points out, so that it
 * can be unit-tested and fuzzed on its own. */
#ifndef HYDRA_MOUNTINFO_H
#define HYDRA_MOUNTINFO_H

#include <stddef.h>

/* The mount point (fifth field, its \ooo escapes decoded) of every line of
 * text, however long, in order; a line with fewer fields is skipped.
 * Returns a malloc'd array of malloc'd strings and sets *count, or NULL
 * with *count 0 when memory runs out. */
char **mountinfo_points(const char *text, size_t length, unsigned *count);
void mountinfo_free(char **points, unsigned count);

#endif
