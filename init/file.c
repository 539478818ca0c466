#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *read_small_file(const char *path, size_t max, size_t *length)
{
	/* O_NONBLOCK: opening a FIFO would wait for a writer forever. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	char *buffer = NULL;
	struct stat info;
	size_t used = 0;
	int saved;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &info) < 0)
		goto fail;
	if (!S_ISREG(info.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if ((size_t)info.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	/* One byte more than the size: a file that grew is noticed. */
	buffer = malloc((size_t)info.st_size + 2);
	if (!buffer)
		goto fail;
	for (;;) {
		ssize_t got = read(fd, buffer + used, (size_t)info.st_size + 1 - used);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto fail;
		if (got == 0)
			break;
		used += got;
		if (used > (size_t)info.st_size) {
			errno = EAGAIN; /* changing under us: try again later */
			goto fail;
		}
	}
	close(fd);
	buffer[used] = '\0';
	*length = used;
	return buffer;

fail:
	saved = errno;
	free(buffer);
	close(fd);
	errno = saved;
	return NULL;
}

const char *describe_read_error(int error)
{
	if (error == EFBIG)
		return "too large";
	if (error == EINVAL)
		return "not a regular file";
	return strerror(error);
}
