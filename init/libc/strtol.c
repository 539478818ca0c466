/* The C library's conversions of text to integers. musl's go through its
 * stdio-based scanner (2 KB with its buffering); these read the string
 * directly, with the same meaning: leading white space, a sign, base 0
 * meaning 0x/0/decimal, the end pointer, ERANGE on overflow. On x86_64
 * long and long long are one size, so two functions serve all four. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>

_Static_assert(sizeof(long) == sizeof(long long), "strtol is strtoll here");

static int digit_value(char character)
{
	if (character >= '0' && character <= '9')
		return character - '0';
	if (character >= 'a' && character <= 'z')
		return character - 'a' + 10;
	if (character >= 'A' && character <= 'Z')
		return character - 'A' + 10;
	return 99;
}

/* Reads the magnitude; sets *negative and *overflow. Returns 0 with end
 * at text when there is no number. */
static unsigned long long scan(const char *text, char **end, int base, bool *negative, bool *overflow)
{
	const char *at = text;
	unsigned long long value = 0;
	bool any = false;

	*negative = *overflow = false;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)text;
		return 0;
	}
	while (isspace((unsigned char)*at))
		at++;
	if (*at == '+' || *at == '-')
		*negative = *at++ == '-';
	/* A 0x with no hex digit after it is the number 0 followed by "x". */
	if ((base == 0 || base == 16) && at[0] == '0' && (at[1] == 'x' || at[1] == 'X') &&
	    digit_value(at[2]) < 16) {
		at += 2;
		base = 16;
	} else if (base == 0) {
		base = at[0] == '0' ? 8 : 10;
	}
	for (int digit; (digit = digit_value(*at)) < base; at++) {
		any = true;
		if (value > (ULLONG_MAX - (unsigned)digit) / (unsigned)base)
			*overflow = true;
		else
			value = value * (unsigned)base + (unsigned)digit;
	}
	if (end)
		*end = (char *)(any ? at : text);
	return any ? value : 0;
}

unsigned long long strtoull(const char *restrict text, char **restrict end, int base)
{
	bool negative, overflow;
	unsigned long long value = scan(text, end, base, &negative, &overflow);

	if (overflow) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return negative ? -value : value;
}

long long strtoll(const char *restrict text, char **restrict end, int base)
{
	bool negative, overflow;
	unsigned long long value = scan(text, end, base, &negative, &overflow);

	if (negative && (overflow || value > (unsigned long long)LLONG_MAX + 1)) {
		errno = ERANGE;
		return LLONG_MIN;
	}
	if (!negative && (overflow || value > LLONG_MAX)) {
		errno = ERANGE;
		return LLONG_MAX;
	}
	return negative ? (long long)(0 - value) : (long long)value;
}

unsigned long strtoul(const char *restrict text, char **restrict end, int base)
{
	return strtoull(text, end, base);
}

long strtol(const char *restrict text, char **restrict end, int base)
{
	return strtoll(text, end, base);
}
