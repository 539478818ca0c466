#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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
	int saved;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &info) < 0)
		goto out;
	if (!S_ISREG(info.st_mode)) {
		errno = EINVAL;
		goto out;
	}
	if ((size_t)info.st_size > max) {
		errno = EFBIG;
		goto out;
	}
	buffer = read_whole_fd(fd, length);
	if (buffer && *length > max) {
		free(buffer); /* it grew while read */
		buffer = NULL;
		errno = EFBIG;
	}
out:
	saved = errno;
	close(fd);
	errno = saved;
	return buffer;
}

char *read_whole_fd(int fd, size_t *length)
{
	size_t used = 0, capacity = 0;
	char *buffer = NULL;
	int saved;

	for (;;) {
		ssize_t got;

		if (used == capacity) {
			size_t size = capacity ? 2 * capacity : 4096;
			char *bigger = realloc(buffer, size + 1);

			if (!bigger)
				goto fail;
			buffer = bigger;
			capacity = size;
		}
		got = read(fd, buffer + used, capacity - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto fail;
		if (got == 0)
			break;
		used += got;
	}
	buffer[used] = '\0';
	*length = used;
	return buffer;

fail:
	saved = errno;
	free(buffer);
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

/* Adds path as file number files->count; -1 when memory runs out. The
 * room doubles at each power of two: a directory of many files costs
 * linear time. */
static int add_file(struct inittab_files *files, const char *path)
{
	unsigned count = files->count;

	if ((count & (count - 1)) == 0) {
		char **bigger = realloc(files->paths, (count ? 2 * (size_t)count : 1) * sizeof(*files->paths));

		if (!bigger)
			return -1;
		files->paths = bigger;
	}
	if (!(files->paths[files->count] = strdup(path)))
		return -1;
	files->count++;
	return 0;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the paths of directory's NAME.tab files to files, in name order;
 * -1 with errno when the directory cannot be read or memory runs out. */
static int add_tab_files(struct inittab_files *files, const char *directory)
{
	DIR *listing = opendir(directory);
	unsigned first = files->count;
	struct dirent *item;
	size_t prefix = strlen(directory);
	int result = 0;

	if (!listing)
		return -1;
	while (result == 0 && (errno = 0, item = readdir(listing))) {
		size_t length = strlen(item->d_name);
		char *path;

		if (length <= 4 || strcmp(item->d_name + length - 4, ".tab") != 0)
			continue;
		if (!(path = malloc(prefix + length + 2))) {
			result = -1;
			break;
		}
		memcpy(path, directory, prefix);
		path[prefix] = '/';
		memcpy(path + prefix + 1, item->d_name, length + 1);
		result = add_file(files, path);
		free(path);
	}
	if (result == 0 && errno)
		result = -1; /* readdir failed */
	int saved = errno;
	closedir(listing);
	while (result < 0 && files->count > first)
		free(files->paths[--files->count]); /* the directory's error alone */
	errno = saved;
	qsort(files->paths + first, files->count - first, sizeof(*files->paths), compare_paths);
	return result;
}

/* Reads file number file of files into inittab, within budget bytes. */
static int read_into(struct inittab *inittab, const struct inittab_files *files, unsigned file, size_t *budget)
{
	size_t length;
	char *text = read_small_file(files->paths[file], *budget, &length);
	char message[128];
	int result;

	if (!text) {
		if (file == 0)
			return -1;
		snprintf(message, sizeof(message), "cannot read: %s%s", describe_read_error(errno),
			 errno == EFBIG ? " (the inittab and its .tab files share 1 MiB)" : "");
		return inittab_add_error(inittab, file, message);
	}
	*budget -= length;
	result = inittab_add(inittab, text, length, file);
	free(text);
	return result;
}

int inittab_load(const char *path, struct inittab *inittab, struct inittab_files *files)
{
	size_t budget = INITTAB_MAX_BYTES, length = strlen(path);
	char *directory = malloc(length + 3);
	unsigned first;
	int saved;

	inittab_init(inittab);
	*files = (struct inittab_files){ 0 };
	if (!directory)
		goto out_of_memory;
	if (add_file(files, path) < 0 || read_into(inittab, files, files->count - 1, &budget) < 0)
		goto fail;
	memcpy(directory, path, length);
	memcpy(directory + length, ".d", 3);
	first = files->count;
	if (add_tab_files(files, directory) < 0) {
		char message[128];

		if (errno == ENOMEM)
			goto out_of_memory;
		if (errno != ENOENT) {
			snprintf(message, sizeof(message), "cannot read the directory: %m");
			if (add_file(files, directory) < 0 || inittab_add_error(inittab, files->count - 1, message) < 0)
				goto out_of_memory;
		}
	}
	for (unsigned file = first; file < files->count; file++)
		if (read_into(inittab, files, file, &budget) < 0)
			goto out_of_memory;
	free(directory);
	return 0;

out_of_memory:
	errno = ENOMEM;
fail:
	saved = errno;
	free(directory);
	inittab_free(inittab);
	inittab_files_free(files);
	errno = saved;
	return -1;
}

void inittab_files_free(struct inittab_files *files)
{
	for (unsigned i = 0; i < files->count; i++)
		free(files->paths[i]);
	free(files->paths);
	*files = (struct inittab_files){ 0 };
}
