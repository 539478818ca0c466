/* The string functions hydra calls, a byte at a time. musl's read a word
 * at a time (strlen 125 bytes, memchr 197, strchr through strchrnul 256);
 * hydra's strings are lines of a configuration file and names, where
 * the word-wise speed is never seen. */
#include <stdlib.h>
#include <string.h>

size_t strlen(const char *text)
{
	size_t length = 0;

	while (text[length])
		length++;
	return length;
}

size_t strnlen(const char *text, size_t limit)
{
	size_t length = 0;

	while (length < limit && text[length])
		length++;
	return length;
}

void *memchr(const void *memory, int byte, size_t length)
{
	const unsigned char *at = memory;

	for (; length; length--, at++)
		if (*at == (unsigned char)byte)
			return (void *)at;
	return NULL;
}

char *strchr(const char *text, int character)
{
	for (;; text++) {
		if (*text == (char)character)
			return (char *)text;
		if (!*text)
			return NULL;
	}
}

char *strrchr(const char *text, int character)
{
	const char *last = NULL;

	do
		if (*text == (char)character)
			last = text;
	while (*text++);
	return (char *)last;
}

int strcmp(const char *left, const char *right)
{
	while (*left && *left == *right)
		left++, right++;
	return *(const unsigned char *)left - *(const unsigned char *)right;
}

int strncmp(const char *left, const char *right, size_t length)
{
	for (; length; length--, left++, right++)
		if (*left != *right || !*left)
			return *(const unsigned char *)left - *(const unsigned char *)right;
	return 0;
}

int memcmp(const void *left, const void *right, size_t length)
{
	const unsigned char *a = left, *b = right;

	for (; length; length--, a++, b++)
		if (*a != *b)
			return *a - *b;
	return 0;
}

/* The copies: length bytes of text and a null byte. */
static char *copy_text(const char *text, size_t length)
{
	char *copy = malloc(length + 1);

	if (copy) {
		memcpy(copy, text, length);
		copy[length] = '\0';
	}
	return copy;
}

char *strndup(const char *text, size_t limit)
{
	return copy_text(text, strnlen(text, limit));
}

char *strdup(const char *text)
{
	return copy_text(text, strlen(text));
}

/* POSIX's basename: the last name in path, slashes at its end cut off in
 * place; "." for an empty path, "/" for one of slashes only. */
char *basename(char *path)
{
	if (!path || !*path)
		return ".";
	size_t end = strlen(path), start;

	while (end > 1 && path[end - 1] == '/')
		path[--end] = '\0';
	for (start = end - 1; start > 0 && path[start - 1] != '/'; start--)
		;
	return path + start;
}
