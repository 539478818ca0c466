/* Reading the small files init depends on (the inittab, the power status)
 * without ever blocking: a FIFO or a device in their place is refused. */
#ifndef HYDRA_FILE_H
#define HYDRA_FILE_H

#include <stddef.h>

/* An inittab larger than this is refused as a whole, with a message, at
 * boot and by init --check alike. */
enum { INITTAB_MAX_BYTES = 1 << 20 };

/* Reads all of a regular file of at most max bytes into a malloc'd buffer
 * (NUL-terminated; *length excludes the NUL). Returns NULL with errno set:
 * EFBIG when larger, EINVAL when not a regular file. */
char *read_small_file(const char *path, size_t max, size_t *length);
/* strerror, with read_small_file's own meanings of EFBIG and EINVAL. */
const char *describe_read_error(int error);

#endif
