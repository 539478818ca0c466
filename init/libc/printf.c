/* The program's printf, without floating point and without stdio's
 * buffers. The printf family of the C library formats through vsnprintf
 * (snprintf, asprintf) or vdprintf (dprintf); defining those two here keeps
 * musl's own out of the static binary: its floating-point formatting alone
 * is 9 KB, and its FILE machinery 4 KB more. hydra prints no floating-point
 * number (number.c reads seconds without strtod for the same reason) and
 * writes its output with dprintf: each call is one write(2), which is
 * what a message to a terminal or a log wants anyway.
 *
 * What is supported is what C11 says for the integer, character, string
 * and pointer conversions, with flags, width, precision and length
 * modifiers, plus glibc's and musl's %m. A floating-point conversion
 * takes its argument and prints "?". */
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

enum {
	FLAG_LEFT = 1 << 0,  /* - */
	FLAG_ZERO = 1 << 1,  /* 0 */
	FLAG_PLUS = 1 << 2,  /* + */
	FLAG_SPACE = 1 << 3, /* ' ' */
	FLAG_ALT = 1 << 4,   /* # */
};

struct spec {
	unsigned flags;
	size_t width;
	int precision; /* -1: none */
};

/* Writes prefix (a sign or 0x), zeros to the precision, then digits,
 * padded to the width. */
static void emit_number(struct sink *sink, const struct spec *spec, const char *prefix, const char *digits,
			size_t count)
{
	size_t prefix_length = strlen(prefix), zeros = 0, total;

	if (spec->precision >= 0) {
		if (spec->precision == 0 && count == 1 && digits[0] == '0')
			count = 0; /* "%.0d" of 0 prints nothing */
		if ((size_t)spec->precision > count)
			zeros = spec->precision - count;
	} else if ((spec->flags & FLAG_ZERO) && !(spec->flags & FLAG_LEFT) &&
		   spec->width > prefix_length + count) {
		zeros = spec->width - prefix_length - count;
	}
	total = prefix_length + zeros + count;
	if (!(spec->flags & FLAG_LEFT) && spec->width > total)
		pad(sink, ' ', spec->width - total);
	emit(sink, prefix, prefix_length);
	pad(sink, '0', zeros);
	emit(sink, digits, count);
	if ((spec->flags & FLAG_LEFT) && spec->width > total)
		pad(sink, ' ', spec->width - total);
}

static void emit_text(struct sink *sink, const struct spec *spec, const char *text)
{
	size_t count = 0;

	if (!text)
		text = "(null)";
	/* strnlen: with a precision the text need not be terminated. */
	count = spec->precision >= 0 ? strnlen(text, spec->precision) : strlen(text);
	if (!(spec->flags & FLAG_LEFT) && spec->width > count)
		pad(sink, ' ', spec->width - count);
	emit(sink, text, count);
	if ((spec->flags & FLAG_LEFT) && spec->width > count)
		pad(sink, ' ', spec->width - count);
}

/* Length modifiers. On x86_64 long, long long, size_t, ptrdiff_t and
 * intmax_t are one size: one va_arg serves them all. */
enum length { LENGTH_CHAR, LENGTH_SHORT, LENGTH_INT, LENGTH_LONG };
_Static_assert(sizeof(long) == sizeof(long long) && sizeof(long) == sizeof(size_t) &&
		       sizeof(long) == sizeof(intmax_t) && sizeof(long) == sizeof(ptrdiff_t),
	       "one size for every long integer");

/* The next integer argument, as its type says, widened: signed ones
 * sign-extended, so that a negative number's magnitude can be taken. */
static uintmax_t take_integer(va_list *arguments, enum length length, bool is_signed)
{
	intmax_t number;

	if (length == LENGTH_LONG)
		return is_signed ? (uintmax_t)va_arg(*arguments, long) : va_arg(*arguments, unsigned long);
	if (!is_signed) {
		unsigned value = va_arg(*arguments, unsigned);

		return length == LENGTH_CHAR ? (unsigned char)value : length == LENGTH_SHORT ? (unsigned short)value : value;
	}
	number = va_arg(*arguments, int);
	return (uintmax_t)(length == LENGTH_CHAR ? (signed char)number : length == LENGTH_SHORT ? (short)number : number);
}

static size_t read_count(const char **format)
{
	size_t count = 0;

	while (**format >= '0' && **format <= '9')
		count = count * 10 + (size_t)(*(*format)++ - '0');
	return count;
}

static void format_to(struct sink *sink, const char *format, va_list *arguments)
{
	int saved_errno = errno; /* for %m: emitting may change errno */

	while (*format) {
		const char *percent = strchr(format, '%');
		struct spec spec = { .precision = -1 };
		enum length length = LENGTH_INT;
		char digits[3 * sizeof(uintmax_t) + 1], *end = digits + sizeof(digits), *digit = end;
		const char *prefix = "";
		unsigned base = 10;
		uintmax_t value;

		if (!percent) {
			emit(sink, format, strlen(format));
			break;
		}
		emit(sink, format, percent - format);
		format = percent + 1;
		for (;; format++) {
			const char *flag = strchr("-0+ #", *format);

			if (!*format || !flag)
				break;
			spec.flags |= 1u << (flag - "-0+ #");
		}
		if (*format == '*') {
			int width = va_arg(*arguments, int);

			format++;
			if (width < 0) {
				spec.flags |= FLAG_LEFT;
				width = -width;
			}
			spec.width = (size_t)width;
		} else {
			spec.width = read_count(&format);
		}
		if (*format == '.') {
			format++;
			if (*format == '*') {
				format++;
				spec.precision = va_arg(*arguments, int);
				if (spec.precision < 0)
					spec.precision = -1;
			} else {
				spec.precision = (int)read_count(&format);
			}
		}
		for (;; format++) {
			if (*format == 'h')
				length = length == LENGTH_SHORT ? LENGTH_CHAR : LENGTH_SHORT;
			else if (*format && strchr("lLjzqt", *format))
				length = LENGTH_LONG;
			else
				break;
		}
		switch (*format) {
		case 'd':
		case 'i': {
			intmax_t number = (intmax_t)take_integer(arguments, length, true);

			value = number < 0 ? -(uintmax_t)number : (uintmax_t)number;
			prefix = number < 0 ? "-" : spec.flags & FLAG_PLUS ? "+" : spec.flags & FLAG_SPACE ? " " : "";
			break;
		}
		case 'p':
			value = (uintptr_t)va_arg(*arguments, void *);
			base = 16;
			prefix = "0x";
			break;
		case 'o':
		case 'x':
		case 'X':
			base = *format == 'o' ? 8 : 16;
			/* fallthrough */
		case 'u':
			value = take_integer(arguments, length, false);
			if ((spec.flags & FLAG_ALT) && value && base == 16)
				prefix = *format == 'X' ? "0X" : "0x";
			break;
		case 'c': {
			char character = (char)va_arg(*arguments, int);

			spec.precision = -1;
			digit = end - 1;
			*digit = character;
			/* A NUL is printed too: emit the byte rather than a string. */
			if (!(spec.flags & FLAG_LEFT) && spec.width > 1)
				pad(sink, ' ', spec.width - 1);
			emit(sink, digit, 1);
			if ((spec.flags & FLAG_LEFT) && spec.width > 1)
				pad(sink, ' ', spec.width - 1);
			format++;
			continue;
		}
		case 's':
			emit_text(sink, &spec, va_arg(*arguments, const char *));
			format++;
			continue;
		case 'm':
			emit_text(sink, &spec, strerror(saved_errno));
			format++;
			continue;
		case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
			if (format[-1] == 'L')
				(void)va_arg(*arguments, long double);
			else
				(void)va_arg(*arguments, double);
			emit_text(sink, &spec, "?");
			format++;
			continue;
		case '%':
			emit(sink, "%", 1);
			format++;
			continue;
		default: /* unknown or cut short: print it as it stands */
			emit(sink, percent, (size_t)(format - percent) + (*format != '\0'));
			format += *format != '\0';
			continue;
		}
		do {
			*--digit = "0123456789abcdef"[value % base];
			if (*format == 'X' && *digit >= 'a')
				*digit -= 'a' - 'A';
			value /= base;
		} while (value);
		/* "%#o" makes the first digit a 0, if the precision does not. */
		if (base == 8 && (spec.flags & FLAG_ALT) && *digit != '0' &&
		    (spec.precision < 0 || (size_t)spec.precision <= (size_t)(end - digit)))
			prefix = "0";
		else if (base == 8 && (spec.flags & FLAG_ALT) && spec.precision == 0)
			spec.precision = 1; /* "%#.0o" of 0 is "0" */
		emit_number(sink, &spec, prefix, digit, (size_t)(end - digit));
		format++;
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
