/* Reading the small files init depends on (the inittab, the power status)
 * without ever blocking: a FIFO or a device in their place is refused. */
#ifndef HYDRA_FILE_H
#define HYDRA_FILE_H

#include <stddef.h>

#include "inittab.h"

/* An inittab larger than this is refused as a whole, with a message, at
 * boot and by init --check alike; the files of inittab.d share what the
 * inittab leaves of it. */
enum { INITTAB_MAX_BYTES = 1 << 20 };

/* Reads all of a regular file of at most max bytes into a malloc'd buffer
 * (NUL-terminated; *length excludes the NUL). Returns NULL with errno set:
 * EFBIG when larger, EINVAL when not a regular file. */
char *read_small_file(const char *path, size_t max, size_t *length);
/* Reads fd (a pipe, a socket, a file of /proc whose size is not known)
 * to its end into a malloc'd buffer, NUL-terminated (*length excludes the
 * NUL). Returns NULL with errno set; fd stays open. */
char *read_whole_fd(int fd, size_t *length);
/* strerror, with read_small_file's own meanings of EFBIG and EINVAL. */
const char *describe_read_error(int error);

/* The files an inittab was read from: paths[n] is file n of its entries
 * and errors. */
struct inittab_files {
	char **paths;
	unsigned count;
};

/* Reads the inittab at path, then each PATH.d/NAME.tab in name order (as
 * sysvinit reads /etc/inittab.d), into inittab; a .tab file that cannot be
 * read is an error (line 0) and skipped. Returns 0, or -1 with errno when
 * path itself cannot be read or memory runs out (then both hold nothing). */
int inittab_load(const char *path, struct inittab *inittab, struct inittab_files *files);
void inittab_files_free(struct inittab_files *files);

#endif
