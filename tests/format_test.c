/* init/format.c against the C library's printf: every combination of flag,
 * width, precision and length modifier that C11 defines for the integer,
 * character, string and pointer conversions, on edge values, into buffers
 * of several sizes. Built with the host's gcc and glibc (make, as
 * build/format-test), whose snprintf is the reference; run by
 * test_build.sh. Prints "N passed, N failed" and exits 1 on a mismatch. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* hydra's, under other names, beside glibc's own. */
#define vsnprintf hydra_vsnprintf
#define vfprintf hydra_vfprintf
#include "../init/format.c"
#undef vsnprintf
#undef vfprintf

static unsigned passed, failed;

static int ours(char *buffer, size_t size, const char *format, ...)
{
	va_list arguments;

	va_start(arguments, format);
	int length = hydra_vsnprintf(buffer, size, format, arguments);
	va_end(arguments);
	return length;
}

/* Formats with both, into buffers of a few sizes, and compares. */
#define COMPARE(format, ...)                                                                   \
	do {                                                                                   \
		static const size_t sizes[] = { 200, 7, 1, 0 };                                \
		for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {             \
			char expected[200] = "unset", got[200] = "unset";                       \
			int expected_length = snprintf(expected, sizes[s], format, __VA_ARGS__);  \
			int got_length = ours(got, sizes[s], format, __VA_ARGS__);                \
			if (expected_length == got_length && strcmp(expected, got) == 0) {      \
				passed++;                                                      \
			} else {                                                               \
				failed++;                                                      \
				if (failed < 20)                                               \
					fprintf(stderr, "format '%s' size %zu: want %d '%s', got %d '%s'\n", \
						format, sizes[s], expected_length, expected, got_length, got); \
			}                                                                      \
		}                                                                              \
	} while (0)

static const char *const flag_sets[] = { "", "-", "0", "+", " ", "#", "-0", "+0", "- ", "#0", "-#", "+ -0#" };
static const char *const widths[] = { "", "1", "5", "22" };
static const char *const precisions[] = { "", ".0", ".1", ".4", ".25" };

/* Builds "%<flags><width><precision><length><conversion>" into format. */
static void build(char *format, const char *flags, const char *width, const char *precision, const char *length,
		  char conversion)
{
	snprintf(format, 64, "[%%%s%s%s%s%c]", flags, width, precision, length, conversion);
}

static void test_signed(void)
{
	static const long long values[] = { 0, 1, -1, 42, -42, 99999, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN };
	char format[64];

	for (unsigned f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
		for (unsigned w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (unsigned p = 0; p < sizeof(precisions) / sizeof(precisions[0]); p++)
				for (unsigned v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
					if (strchr(flag_sets[f], '#'))
						continue; /* undefined for d */
					for (const char *c = "di"; *c; c++) {
						build(format, flag_sets[f], widths[w], precisions[p], "", *c);
						COMPARE(format, (int)values[v]);
						build(format, flag_sets[f], widths[w], precisions[p], "hh", *c);
						COMPARE(format, (int)(signed char)values[v]);
						build(format, flag_sets[f], widths[w], precisions[p], "h", *c);
						COMPARE(format, (int)(short)values[v]);
						build(format, flag_sets[f], widths[w], precisions[p], "l", *c);
						COMPARE(format, (long)values[v]);
						build(format, flag_sets[f], widths[w], precisions[p], "ll", *c);
						COMPARE(format, values[v]);
						build(format, flag_sets[f], widths[w], precisions[p], "z", *c);
						COMPARE(format, (ssize_t)values[v]);
						build(format, flag_sets[f], widths[w], precisions[p], "j", *c);
						COMPARE(format, (intmax_t)values[v]);
					}
				}
}

static void test_unsigned(void)
{
	static const unsigned long long values[] = { 0, 1, 7, 8, 255, 256, 0xdeadbeef, UINT_MAX, ULLONG_MAX };
	char format[64];

	for (unsigned f = 0; f < sizeof(flag_sets) / sizeof(flag_sets[0]); f++)
		for (unsigned w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
			for (unsigned p = 0; p < sizeof(precisions) / sizeof(precisions[0]); p++)
				for (unsigned v = 0; v < sizeof(values) / sizeof(values[0]); v++)
					for (const char *c = "uoxX"; *c; c++) {
						if (*c == 'u' && strchr(flag_sets[f], '#'))
							continue; /* undefined for u */
						build(format, flag_sets[f], widths[w], precisions[p], "", *c);
						COMPARE(format, (unsigned)values[v]);
						build(format, flag_sets[f], widths[w], precisions[p], "hh", *c);
						COMPARE(format, (unsigned)(unsigned char)values[v]);
						build(format, flag_sets[f], widths[w], precisions[p], "h", *c);
						COMPARE(format, (unsigned)(unsigned short)values[v]);
						build(format, flag_sets[f], widths[w], precisions[p], "l", *c);
						COMPARE(format, (unsigned long)values[v]);
						build(format, flag_sets[f], widths[w], precisions[p], "ll", *c);
						COMPARE(format, values[v]);
						build(format, flag_sets[f], widths[w], precisions[p], "z", *c);
						COMPARE(format, (size_t)values[v]);
					}
}

static void test_text(void)
{
	static const char *const texts[] = { "", "a", "hydra", "a longer string than every width" };
	static const char unterminated[3] = { 'a', 'b', 'c' };
	char format[64];

	for (unsigned f = 0; f < 2; f++) /* only - is defined for s and c */
		for (unsigned w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
			for (unsigned p = 0; p < sizeof(precisions) / sizeof(precisions[0]); p++)
				for (unsigned t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
					build(format, flag_sets[f], widths[w], precisions[p], "", 's');
					COMPARE(format, texts[t]);
				}
			build(format, flag_sets[f], widths[w], "", "", 'c');
			COMPARE(format, 'x');
		}
	COMPARE("[%.*s]", 3, unterminated);
	COMPARE("[%*s|%-*s|%*s]", 6, "ab", 6, "cd", -6, "ef");
	COMPARE("[%.*d|%.*d]", 5, 42, -3, 42);
	COMPARE("[%c%c]", 'a', 0);
	COMPARE("[%%|%s]", "after");
	COMPARE("[%p]", (void *)&passed);
	COMPARE("plain text, no conversion%s", "");
	errno = ENOENT;
	COMPARE("[%m|%d]", 1);
}

int main(void)
{
	char buffer[8];

	test_signed();
	test_unsigned();
	test_text();
	/* What C leaves to the library: hydra's own choices. */
	if (ours(buffer, sizeof(buffer), "%f|%d", 2.5, 7) == 3 && strcmp(buffer, "?|7") == 0)
		passed++;
	else
		failed++, fprintf(stderr, "floating point: got '%s'\n", buffer);
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
