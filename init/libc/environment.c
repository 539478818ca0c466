/* getenv and execvp, with musl's meanings, in the fewest bytes: musl's
 * (609 bytes) find the end of a name and of a PATH directory with
 * strchrnul (238), which nothing else of hydra needs. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A name that is empty or holds '=' is in no environment. */
char *getenv(const char *name)
{
	size_t length = strlen(name);

	if (!length || strchr(name, '='))
		return NULL;
	for (char **entry = environ; entry && *entry; entry++)
		if (strncmp(*entry, name, length) == 0 && (*entry)[length] == '=')
			return *entry + length + 1;
	return NULL;
}

/* A file named with a slash is run as it is; another is looked for in
 * each directory of PATH in turn (musl's default without one; an empty
 * one is the current directory), the search going on past a missing or
 * refused file. EACCES if one was refused, else the last failure. */
int execvp(const char *file, char *const argv[])
{
	const char *path = getenv("PATH");
	size_t file_length = strlen(file);
	char candidate[PATH_MAX];
	bool refused = false;

	errno = ENOENT;
	if (!file_length)
		return -1;
	if (strchr(file, '/'))
		return execve(file, argv, environ);
	if (file_length > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!path)
		path = "/usr/local/bin:/bin:/usr/bin";
	for (;; path++) {
		size_t length = 0;

		while (path[length] && path[length] != ':')
			length++;
		/* A directory too long for a path is skipped, as musl does. */
		if (length + 1 + file_length < sizeof(candidate)) {
			memcpy(candidate, path, length);
			candidate[length] = '/';
			memcpy(candidate + length + (length > 0), file, file_length + 1);
			execve(candidate, argv, environ);
			if (errno == EACCES)
				refused = true;
			else if (errno != ENOENT && errno != ENOTDIR)
				return -1;
		}
		path += length;
		if (!*path)
			break;
	}
	if (refused)
		errno = EACCES;
	return -1;
}
