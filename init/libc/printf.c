/* The program's printf, without floating point and without stdio's
 * buffers. The printf family of the C library formats through vsnprintf
 * (snprintf) or vdprintf (dprintf); defining those here keeps
 * musl's own out of the static binary: its floating-point formatting alone
 * is 9 KB, and its FILE machinery 4 KB more. hydra prints no floating-point
 * number (number.c reads seconds without strtod for the same reason) and
 * writes its output with dprintf: each call is one write(2), which is
 * what a message to a terminal or a log wants anyway.
 *
 * What is supported is what hydra's formats use, as C11 says it: the
 * conversions d, i, u, x, c, s, glibc's and musl's %m and %%; the flags -
 * and # (for x); a width; a precision for s (digits or *); the length
 * modifiers l, ll and z. Anything else is printed as it stands. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Where formatted bytes go: buffer, of size bytes; with to_fd, buffer
 * collects them and is written to fd whenever it is full, so that a short
 * message is one write. */
struct sink {
	char *buffer;
	size_t size;
	bool to_fd;
	int fd;
	int error;     /* with a descriptor: errno of a failed write, else 0 */
	size_t length; /* bytes produced so far, whether they fitted or not */
	size_t held;   /* with a descriptor: bytes in buffer not yet written */
};

static void flush(struct sink *sink)
{
	for (size_t done = 0; done < sink->held && !sink->error;) {
		ssize_t written = write(sink->fd, sink->buffer + done, sink->held - done);

		if (written > 0)
			done += (size_t)written;
		else if (written < 0 && errno != EINTR)
			sink->error = errno;
	}
	sink->held = 0;
}

static void emit(struct sink *sink, const char *bytes, size_t count)
{
	if (!sink->to_fd) {
		if (sink->length < sink->size) {
			size_t room = sink->size - sink->length;

			memcpy(sink->buffer + sink->length, bytes, count < room ? count : room);
		}
		sink->length += count;
		return;
	}
	sink->length += count;
	while (count) {
		size_t room = sink->size - sink->held, part = count < room ? count : room;

		memcpy(sink->buffer + sink->held, bytes, part);
		sink->held += part;
		bytes += part;
		count -= part;
		if (sink->held == sink->size)
			flush(sink);
	}
}

static void pad(struct sink *sink, char with, size_t count)
{
	char run[16];

	memset(run, with, sizeof(run));
	for (; count > sizeof(run); count -= sizeof(run))
		emit(sink, run, sizeof(run));
	emit(sink, run, count);
}

/* A conversion's width, padded with spaces on the left, or on the right
 * with the - flag. */
static void emit_padded(struct sink *sink, bool left, size_t width, const char *prefix, const char *text,
			size_t count)
{
	size_t prefix_length = strlen(prefix), total = prefix_length + count;

	if (!left && width > total)
		pad(sink, ' ', width - total);
	emit(sink, prefix, prefix_length);
	emit(sink, text, count);
	if (left && width > total)
		pad(sink, ' ', width - total);
}

static size_t read_count(const char **format)
{
	size_t count = 0;

	while (**format >= '0' && **format <= '9')
		count = count * 10 + (size_t)(*(*format)++ - '0');
	return count;
}

_Static_assert(sizeof(long) == sizeof(long long) && sizeof(long) == sizeof(size_t),
	       "one size for every long integer");

static void format_to(struct sink *sink, const char *format, va_list *arguments)
{
	int saved_errno = errno; /* for %m: emitting may change errno */

	while (*format) {
		const char *percent = strchr(format, '%'), *text, *prefix = "";
		char digits[3 * sizeof(uintmax_t) + 1], *end = digits + sizeof(digits), *digit = end;
		bool left = false, alternate = false, is_long = false;
		int precision = -1;
		unsigned base = 10;
		size_t width;
		uintmax_t value;

		if (!percent) {
			emit(sink, format, strlen(format));
			break;
		}
		emit(sink, format, percent - format);
		format = percent + 1;
		for (;; format++) {
			if (*format == '-')
				left = true;
			else if (*format == '#')
				alternate = true;
			else
				break;
		}
		width = read_count(&format);
		if (*format == '.') {
			format++;
			if (*format == '*') {
				format++;
				precision = va_arg(*arguments, int);
			} else {
				precision = (int)read_count(&format);
			}
		}
		for (; *format == 'l' || *format == 'z'; format++)
			is_long = true;
		switch (*format++) {
		case 'd':
		case 'i': {
			long number = is_long ? va_arg(*arguments, long) : va_arg(*arguments, int);

			value = number < 0 ? -(uintmax_t)number : (uintmax_t)number;
			if (number < 0)
				prefix = "-";
			break;
		}
		case 'x':
			base = 16;
			/* fallthrough */
		case 'u':
			value = is_long ? va_arg(*arguments, unsigned long) : va_arg(*arguments, unsigned);
			if (alternate && value && base == 16)
				prefix = "0x";
			break;
		case 'c':
			*--digit = (char)va_arg(*arguments, int); /* a NUL too: not a string */
			emit_padded(sink, left, width, "", digit, 1);
			continue;
		case 'm':
			text = strerror(saved_errno);
			goto text;
		case 's':
			text = va_arg(*arguments, const char *);
		text:
			if (!text)
				text = "(null)";
			/* strnlen: with a precision the text need not be terminated. */
			emit_padded(sink, left, width, "", text,
				    precision >= 0 ? strnlen(text, precision) : strlen(text));
			continue;
		case '%':
			emit(sink, "%", 1);
			continue;
		default: /* not one hydra uses, or cut short: print it as it stands */
			format -= format[-1] == '\0';
			emit(sink, percent, (size_t)(format - percent));
			continue;
		}
		do {
			*--digit = "0123456789abcdef"[value % base];
			value /= base;
		} while (value);
		emit_padded(sink, left, width, prefix, digit, (size_t)(end - digit));
	}
	errno = saved_errno;
}

int vsnprintf(char *restrict buffer, size_t size, const char *restrict format, va_list arguments)
{
	struct sink sink = { .buffer = buffer, .size = size ? size - 1 : 0 };
	va_list copy;

	va_copy(copy, arguments);
	format_to(&sink, format, &copy);
	va_end(copy);
	if (size)
		buffer[sink.length < sink.size ? sink.length : sink.size] = '\0';
	if (sink.length > INT32_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)sink.length;
}

int vdprintf(int fd, const char *restrict format, va_list arguments)
{
	char buffer[256];
	struct sink sink = { .buffer = buffer, .size = sizeof(buffer), .to_fd = true, .fd = fd };
	va_list copy;

	va_copy(copy, arguments);
	format_to(&sink, format, &copy);
	va_end(copy);
	flush(&sink);
	if (sink.error) {
		errno = sink.error;
		return -1;
	}
	return sink.length > INT32_MAX ? -1 : (int)sink.length;
}

/* musl's own snprintf and dprintf only pass their arguments on, but,
 * built for SSE, save eight vector registers on the way (340 bytes). */
int snprintf(char *restrict buffer, size_t size, const char *restrict format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	int length = vsnprintf(buffer, size, format, arguments);
	va_end(arguments);
	return length;
}

int dprintf(int fd, const char *restrict format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	int length = vdprintf(fd, format, arguments);
	va_end(arguments);
	return length;
}
