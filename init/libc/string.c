/* The string functions hydra calls, a byte at a time. musl's read a word
 * at a time (strlen 125 bytes, memchr 197, strchr through strchrnul 256);
 * hydra's strings are lines of a configuration file and names, where
 * the word-wise speed is never seen. */
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
